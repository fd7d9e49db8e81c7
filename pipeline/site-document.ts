import * as v from 'valibot';
import { SiteDocument, type SitePart } from '../schema/site-document.ts';
import { type DocumentProblem, decodeDocument } from './parse-result.ts';
import { readYaml } from './yaml-source.ts';

/** A valid site document: its parts (null where it leaves one out) and the line of each. */
export interface ParsedSite {
  file: string;
  parts: {
    about: string | null;
    featured: { title: string; text: string } | null;
    participants: string[] | null;
  };
  lines: Record<SitePart, number>;
}

export type SiteParseResult = { ok: true; site: ParsedSite } | { ok: false; problems: DocumentProblem[] };

/**
 * Reads the site document: the same byte-level rules as every document (UTF-8, size, control
 * characters), then YAML, then the valibot contract; each problem at its line.
 */
export function parseSiteDocument(input: string | Uint8Array, file: string): SiteParseResult {
  const decoded = decodeDocument(input, file);
  if (!decoded.ok) return decoded;
  const yaml = readYaml(decoded.text);
  // Only the first syntax error: the parser's later ones are mostly that one mistake seen again.
  const [error] = yaml.errors;
  if (error) return { ok: false, problems: [{ file, ...error }] };
  // An empty file is an empty mapping: a site document that leaves every part to the documents.
  const value = yaml.value ?? {};
  // A list is an object to valibot, whose strict object would call each index an unknown key.
  if (Array.isArray(value)) {
    return {
      ok: false,
      problems: [
        {
          file,
          line: yaml.lineOf([]),
          message: 'the site document must be a mapping of about, featured and participants',
        },
      ],
    };
  }
  const result = v.safeParse(SiteDocument, value);
  if (!result.success) {
    return {
      ok: false,
      problems: result.issues.map((issue) => {
        const path = (issue.path ?? []).map((item) => item.key as string | number);
        // An unknown key is reported at the key, a missing one at the key of the mapping that
        // lacks it, and a wrong value at the value.
        const own = issue.type === 'strict_object';
        const line =
          own && issue.expected === 'never'
            ? yaml.lineOf(path, true)
            : own && issue.expected?.startsWith('"')
              ? yaml.lineOf(path.slice(0, -1), true)
              : yaml.lineOf(path);
        return { file, line, message: issue.message };
      }),
    };
  }
  const site = result.output;
  return {
    ok: true,
    site: {
      file,
      parts: {
        about: site.about ?? null,
        featured: site.featured ?? null,
        participants: site.participants ?? null,
      },
      lines: {
        about: yaml.lineOf(['about'], true),
        featured: yaml.lineOf(['featured'], true),
        participants: yaml.lineOf(['participants'], true),
      },
    },
  };
}
