/**
 * The glossary source document, `glossary.yaml` beside the other source documents: abbreviations
 * and the names they stand for, so that a search for either finds both. Validated like the other
 * documents: every problem as `file:line: what is wrong`, and nothing is written when there is one.
 */
import { join } from 'node:path';
import * as v from 'valibot';
import { type GlossaryEntry, wordsOf } from '../schema/search-terms.ts';
import { readContentFile } from './content-files.ts';
import type { DocumentProblem } from './parse-document.ts';
import { readYaml } from './yaml-source.ts';

const GLOSSARY_FILE = 'glossary.yaml';
/** Like the text documents: a glossary is small, and a huge file is a mistake. */
const GLOSSARY_MAX_BYTES = 256 * 1024;
const FORM_MAX_LENGTH = 150;

const Form = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.nonEmpty('must not be empty'),
  v.maxLength(FORM_MAX_LENGTH, `must be at most ${FORM_MAX_LENGTH} characters`),
  v.check((form) => wordsOf(form).length > 0, 'must hold at least one letter or digit'),
);
const Entry = v.strictObject(
  {
    term: Form,
    names: v.pipe(v.array(Form, 'must be a list of names'), v.minLength(1, 'must name at least one name')),
  },
  (issue) =>
    issue.expected === 'Object'
      ? 'an entry is a mapping with term and names'
      : issue.received === 'undefined'
        ? 'is missing'
        : 'unknown key: an entry has only term and names',
);
const Glossary = v.array(Entry, 'the glossary is a list of entries (- term: …, names: […])');

export type GlossaryResult =
  | { ok: true; entries: GlossaryEntry[] }
  | { ok: false; problems: DocumentProblem[] };

/** Parses and validates the glossary text of `file`. */
export function parseGlossary(text: string, file: string): GlossaryResult {
  const yaml = readYaml(text);
  // The first syntax error only: the ones after it mostly follow from it.
  const problems: DocumentProblem[] = yaml.errors
    .slice(0, 1)
    .map((error) => ({ file, line: error.line, message: `not valid YAML: ${error.message}` }));
  if (problems.length > 0) return { ok: false, problems };
  const result = v.safeParse(Glossary, yaml.value ?? []);
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.issues) {
      const path = (issue.path ?? []).map((item) => item.key as string | number);
      const line = yaml.lineOf(path);
      const key = path.findLast((item) => typeof item === 'string');
      const where = key === undefined ? '' : `${String(key)}: `;
      const message = `${where}${issue.message}`;
      if (seen.has(`${line}:${message}`)) continue;
      seen.add(`${line}:${message}`);
      problems.push({ file, line, message });
    }
    return { ok: false, problems };
  }
  // A term twice would make the seed's table refuse the second one: say where.
  const terms = new Map<string, number>();
  result.output.forEach((entry, i) => {
    const key = wordsOf(entry.term).join(' ');
    const first = terms.get(key);
    if (first === undefined) terms.set(key, i);
    else {
      problems.push({
        file,
        line: yaml.lineOf([i, 'term']),
        message: `term "${entry.term}" is already an entry (line ${yaml.lineOf([first, 'term'])})`,
      });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries: result.output };
}

/** Reads `glossary.yaml` in `dir` (as every content file: pipeline/content-files.ts); none is an empty glossary. */
export async function readGlossary(dir: string): Promise<GlossaryResult> {
  const file = join(dir, GLOSSARY_FILE);
  const read = await readContentFile(dir, GLOSSARY_FILE, GLOSSARY_MAX_BYTES);
  if (!read) return { ok: true, entries: [] };
  if ('refused' in read) return { ok: false, problems: [{ file, line: 1, message: read.refused }] };
  if (read.size > GLOSSARY_MAX_BYTES) {
    return {
      ok: false,
      problems: [{ file, line: 1, message: `the glossary is over ${GLOSSARY_MAX_BYTES / 1024} KiB` }],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(read.bytes);
  } catch {
    return { ok: false, problems: [{ file, line: 1, message: 'the glossary is not UTF-8' }] };
  }
  return parseGlossary(text, file);
}
