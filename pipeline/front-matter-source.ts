import type { DocumentProblem } from './parse-result.ts';
import { readYaml } from './yaml-source.ts';

/** The line that opens and closes a front matter, as in Markdown (micromark-extension-frontmatter). */
const FENCE = /^---[ \t]*$/;

/**
 * The front matter of page text: YAML between a `---` on the very first line and the next `---` line.
 * Returns its value as YAML read it (undefined when the text has none), the line of each key and of
 * each earlier URL under `aliases`, and the text with the front matter's lines blanked, so that every
 * line keeps its number for the parser's problems. A front matter that is opened and never closed, or
 * is not valid YAML, is a problem at its line.
 */
export function readFrontMatter(
  text: string,
  file: string,
): { value: unknown; lines: Map<string, number>; rest: string; problems: DocumentProblem[] } {
  const lines = new Map<string, number>();
  // Most documents have none: not split into lines for nothing.
  if (!text.startsWith('---')) return { value: undefined, lines, rest: text, problems: [] };
  const all = text.split('\n');
  if (!FENCE.test(all[0] ?? '')) return { value: undefined, lines, rest: text, problems: [] };
  const close = all.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (close < 0) {
    return {
      value: undefined,
      lines,
      rest: text,
      problems: [
        { file, line: 1, message: 'the front matter opened here is not closed: end it with a line "---"' },
      ],
    };
  }
  const rest = [...all.slice(0, close + 1).map(() => ''), ...all.slice(close + 1)].join('\n');
  // The YAML text starts on the line after the opening "---".
  const yaml = readYaml(all.slice(1, close).join('\n'), 2);
  const problems = yaml.errors.map((error) => ({
    file,
    line: error.line,
    message: `the front matter is not valid YAML: ${error.message}`,
  }));
  if (problems.length > 0) return { value: undefined, lines, rest, problems };
  // An empty front matter is a mapping without keys.
  const value = yaml.value ?? {};
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      lines.set(key, yaml.lineOf([key], true));
      if (key === 'aliases' && Array.isArray(entry)) {
        entry.forEach((_, index) => {
          lines.set(`aliases.${index}`, yaml.lineOf([key, index]));
        });
      }
    }
  }
  return { value, lines, rest, problems };
}
