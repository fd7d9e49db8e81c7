import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type DocumentProblem, decodeDocument } from './parse-result.ts';

/**
 * YAML read with the `yaml` package, keeping where everything is: a problem about a value is reported
 * at the line of that value (or of its key), as every document problem is (`file:line: …`).
 */
export interface YamlSource {
  /** The document as plain data, or undefined when it has syntax errors. */
  value: unknown;
  /** Syntax errors (and duplicate keys), each at its line. */
  errors: { line: number; message: string }[];
  /** The line of the value at `path` (map keys and sequence indexes); of its nearest ancestor that
   * exists when it does not; of the key itself when `key` is set. */
  lineOf: (path: readonly (string | number)[], key?: boolean) => number;
}

export function readYaml(text: string, firstLine = 1): YamlSource {
  const counter = new LineCounter();
  // uniqueKeys: a key given twice is an error rather than "the last one wins" without a word.
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number) => counter.linePos(offset).line + firstLine - 1;
  const errors = doc.errors.map((error) => ({
    line: lineAt(error.pos[0]),
    // Without prettyErrors the message is one sentence; drop the position it may end with.
    message: error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''),
  }));
  const lineOf = (path: readonly (string | number)[], key = false) => {
    let node: unknown = doc.contents;
    let line = lineAt((node as Node | null)?.range?.[0] ?? 0);
    for (const [index, step] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === step);
        if (!pair) return line;
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) line = lineAt(keyNode.range[0]);
        if (key && index === path.length - 1) return line;
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number') {
        node = node.items[step];
      } else {
        return line;
      }
      const range = (node as Node | null)?.range;
      if (range) line = lineAt(range[0]);
    }
    return line;
  };
  let value: unknown;
  if (errors.length === 0) {
    try {
      // No aliases (`*name`): nothing an editor writes needs them, and expanding them is how a small
      // file becomes a huge value ("billion laughs").
      value = doc.toJS({ maxAliasCount: 0 });
    } catch {
      errors.push({ line: firstLine, message: 'aliases (*name) are not allowed; write the value out' });
    }
  }
  return { value, errors, lineOf };
}

/**
 * A YAML file of the content folder that must be a mapping (site.yaml, redirects.yaml): the byte-level
 * rules of every document (UTF-8, size, control characters), then YAML, of which only the first
 * syntax error is reported (the parser's later ones are mostly that one mistake seen again). An empty
 * file is an empty mapping; anything else that is not a mapping is `notMapping`, at its line.
 */
export function readYamlMapping(
  input: string | Uint8Array,
  file: string,
  notMapping: string,
):
  | { ok: true; value: Record<string, unknown>; yaml: YamlSource }
  | { ok: false; problems: DocumentProblem[] } {
  const decoded = decodeDocument(input, file);
  if (!decoded.ok) return decoded;
  const yaml = readYaml(decoded.text);
  const [error] = yaml.errors;
  if (error) return { ok: false, problems: [{ file, ...error }] };
  const value = yaml.value ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: [{ file, line: yaml.lineOf([]), message: notMapping }] };
  }
  return { ok: true, value: value as Record<string, unknown>, yaml };
}
