import type {
  Definition,
  Image,
  ImageReference,
  List,
  Nodes,
  PhrasingContent,
  Root,
  RootContent,
  Yaml,
} from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import * as v from 'valibot';
import type { Block, Segment } from '../schema/blocks.ts';
import {
  MarkdownDocument,
  type RawMarkdownInput,
  type UnsupportedConstruct,
} from '../schema/markdown-document.ts';
import { type DocumentProblem, decodeDocument, type ParseResult } from './parse-result.ts';
import { readYaml } from './yaml-source.ts';

/**
 * CommonMark (micromark) with YAML front matter, plus the GFM constructs an editor may write that the
 * blocks cannot show (tables, footnotes, strikethrough, task lists), so that they are recognised and
 * refused rather than shown as stray pipes and tildes. GFM's bare-URL autolinks are left out on
 * purpose: bare URLs stay text and are linked when the page is rendered, exactly as in a .txt.
 */
const OPTIONS = {
  extensions: [frontmatter(['yaml']), gfmTable(), gfmFootnote(), gfmStrikethrough(), gfmTaskListItem()],
  mdastExtensions: [
    frontmatterFromMarkdown(['yaml']),
    gfmTableFromMarkdown(),
    gfmFootnoteFromMarkdown(),
    gfmStrikethroughFromMarkdown(),
    gfmTaskListItemFromMarkdown(),
  ],
};

/** Block-level Markdown the blocks cannot show, by mdast node type. */
const BLOCK_CONSTRUCTS: Partial<Record<string, UnsupportedConstruct>> = {
  code: 'code',
  html: 'html',
  blockquote: 'blockquote',
  thematicBreak: 'thematicBreak',
  table: 'table',
  footnoteDefinition: 'footnote',
  list: 'nestedList',
  heading: 'itemBlocks',
  paragraph: 'itemBlocks',
};
/** Inline Markdown the blocks cannot show, by mdast node type. */
const INLINE_CONSTRUCTS: Partial<Record<string, UnsupportedConstruct>> = {
  inlineCode: 'inlineCode',
  image: 'image',
  imageReference: 'image',
  html: 'html',
  delete: 'strikethrough',
  footnoteReference: 'footnote',
};

type Marks = Omit<Segment, 'text'>;
type Run = Segment & { line: number };

const lineOf = (node: Nodes) => node.position?.start.line ?? 1;
const sameMarks = (a: Marks, b: Marks) =>
  a.href === b.href && a.file === b.file && a.strong === b.strong && a.emphasis === b.emphasis;
const isMarked = (run: Run) => run.href !== undefined || run.file !== undefined || run.strong || run.emphasis;

/** An address with a scheme, a path of this site or a fragment: anything but a file beside the document. */
const ADDRESS = /^(?:[a-z][a-z0-9+.-]*:|\/|#)/i;
/**
 * A target that names a file beside the document, as its name: percent-escapes decoded (CommonMark
 * escapes a space written as <naam met spaties.pdf>), a leading "./" dropped; null for an address.
 */
function fileName(url: string): string | null {
  if (ADDRESS.test(url)) return null;
  let name = url.replace(/^\.\//, '');
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not valid percent-encoding: the name as written.
  }
  return name;
}

/** Adjacent runs with the same marks as one run. */
function merge(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last && sameMarks(last, run)) last.text += run.text;
    else out.push({ ...run });
  }
  return out;
}

// White space other than a line break, as String#trim sees it (no-break spaces too).
const AROUND_BREAK = /[^\S\n]*\n[^\S\n]*/g;
const LEADING = /^[^\S\n]+/;
const TRAILING = /[^\S\n]+$/;

/**
 * Text trimmed as the .txt contract trims it: each line, and the whole, without white space at its
 * ends; line breaks (soft and hard) kept. Runs that become empty go.
 */
function trimRuns(runs: Run[]): Run[] {
  const out = merge(runs).map((run) => ({ ...run, text: run.text.replace(AROUND_BREAK, '\n') }));
  // White space next to a line break in the neighbouring run.
  out.forEach((run, i) => {
    if (out[i + 1]?.text.startsWith('\n')) run.text = run.text.replace(TRAILING, '');
    if (out[i - 1]?.text.endsWith('\n')) run.text = run.text.replace(LEADING, '');
  });
  const kept = out.filter((run) => run.text !== '');
  while (kept[0] && kept[0].text.trimStart() === '') kept.shift();
  while (kept.at(-1)?.text.trimEnd() === '') kept.pop();
  const first = kept[0];
  if (first) first.text = first.text.trimStart();
  const last = kept.at(-1);
  if (last) last.text = last.text.trimEnd();
  return merge(kept);
}

/**
 * Reads a Markdown document into the raw shape of its contract. Every node is either mapped onto the
 * blocks or listed as unsupported at its line; `lines` maps each part's path (as valibot issues give
 * it, joined with ".") to the line of the file it comes from.
 */
class Reader {
  readonly lines = new Map<string, number>();
  readonly unsupported: RawMarkdownInput['unsupported'] = [];
  readonly body: Block[] = [];
  private readonly definitions = new Map<string, Definition>();

  constructor(tree: Root) {
    const collect = (node: Nodes) => {
      // The first definition of a label is the one that counts (CommonMark §4.7).
      if (node.type === 'definition' && !this.definitions.has(node.identifier)) {
        this.definitions.set(node.identifier, node);
      }
      if ('children' in node) for (const child of node.children) collect(child);
    };
    collect(tree);
  }

  refuse(construct: UnsupportedConstruct, node: Nodes) {
    this.lines.set(`unsupported.${this.unsupported.length}`, lineOf(node));
    this.unsupported.push({ construct, node: node.type });
  }

  /** The runs of phrasing content with the marks of the nodes around it. */
  private phrasing(nodes: PhrasingContent[], marks: Marks, out: Run[]) {
    for (const node of nodes) {
      const line = lineOf(node);
      switch (node.type) {
        case 'text':
          out.push({ ...marks, text: node.value, line });
          break;
        case 'break':
          out.push({ ...marks, text: '\n', line });
          break;
        case 'emphasis':
          this.phrasing(node.children, { ...marks, emphasis: true }, out);
          break;
        case 'strong':
          this.phrasing(node.children, { ...marks, strong: true }, out);
          break;
        case 'link':
        case 'linkReference': {
          // A reference link ([tekst][naam] with a "[naam]: https://…" line) is a link like any other.
          const target = node.type === 'link' ? node : this.definitions.get(node.identifier);
          if (!target) {
            this.refuse('other', node);
            break;
          }
          if (target.title) this.refuse('linkTitle', node);
          const before = out.length;
          // A link to a file beside the document is a download: the seed links it to the stored file.
          const file = fileName(target.url);
          this.phrasing(
            node.children,
            file === null ? { ...marks, href: target.url } : { ...marks, file },
            out,
          );
          if (out.slice(before).every((run) => run.text.trim() === '')) this.refuse('emptyLink', node);
          break;
        }
        default:
          this.refuse(INLINE_CONSTRUCTS[node.type] ?? 'other', node);
      }
    }
  }

  /** A paragraph's or heading's text and runs; `inline` only when a run has a mark. */
  private inline(nodes: PhrasingContent[]): { text: string; runs: Run[]; marked: boolean } {
    const runs: Run[] = [];
    this.phrasing(nodes, {}, runs);
    const trimmed = trimRuns(runs);
    return {
      text: trimmed.map((run) => run.text).join(''),
      runs: trimmed,
      marked: trimmed.some(isMarked),
    };
  }

  private push(block: Block, line: number) {
    this.lines.set(`body.${this.body.length}`, line);
    this.body.push(block);
  }

  private runLines(prefix: string, runs: Run[]) {
    runs.forEach((run, i) => {
      this.lines.set(`${prefix}.${i}`, run.line);
    });
  }

  private segments = (runs: Run[]): Segment[] => runs.map(({ line: _, ...segment }) => segment);

  block(node: RootContent) {
    const count = this.unsupported.length;
    switch (node.type) {
      case 'paragraph':
      case 'heading': {
        if (node.type === 'heading' && node.depth === 1) return this.refuse('heading1', node);
        if (node.type === 'heading' && node.depth > 3) return this.refuse('deepHeading', node);
        const content = node.children.filter(
          (child) => !(child.type === 'text' && child.value.trim() === ''),
        );
        const [only] = content;
        if (node.type === 'paragraph' && content.length === 1 && only && /^image/.test(only.type)) {
          return this.image(only as Image | ImageReference);
        }
        const { text, runs, marked } = this.inline(node.children);
        // Nothing left but what was refused: no second problem about an empty block.
        if (text === '' && this.unsupported.length > count) return;
        this.runLines(`body.${this.body.length}.inline`, runs);
        const type = node.type;
        this.push(marked ? { type, text, inline: this.segments(runs) } : { type, text }, lineOf(node));
        return;
      }
      case 'list':
        return this.list(node);
      case 'definition':
        return; // the target of reference links, read in the constructor
      default:
        this.refuse(BLOCK_CONSTRUCTS[node.type] ?? 'other', node);
    }
  }

  /**
   * An image in a paragraph of its own: `![alt text](naam.jpg)`, or `![-](naam.jpg)` for one that is
   * only decoration. Alt text is required; the file must be beside the document.
   */
  private image(node: Image | ImageReference) {
    const target = node.type === 'image' ? node : this.definitions.get(node.identifier);
    if (!target) return this.refuse('other', node);
    const src = fileName(target.url);
    if (src === null) return this.refuse('remoteImage', node);
    if (target.title) this.refuse('imageTitle', node);
    const alt = (node.alt ?? '').trim();
    if (alt === '') return this.refuse('imageAlt', node);
    this.push(
      alt === '-' ? { type: 'image', src, alt: '', decorative: true } : { type: 'image', src, alt },
      lineOf(node),
    );
  }

  /** A list of one level whose items are one paragraph each. */
  private list(node: List) {
    const index = this.body.length;
    const items: string[] = [];
    const inline: Segment[][] = [];
    let marked = false;
    for (const item of node.children) {
      if (item.checked !== null && item.checked !== undefined) this.refuse('taskList', item);
      const count = this.unsupported.length;
      const [first, ...rest] = item.children;
      let text = '';
      let runs: Run[] = [];
      if (first?.type === 'paragraph') ({ text, runs } = this.inline(first.children));
      else if (first) this.refuse(BLOCK_CONSTRUCTS[first.type] ?? 'other', first);
      for (const other of rest) this.refuse(BLOCK_CONSTRUCTS[other.type] ?? 'other', other);
      if (text === '' && this.unsupported.length > count) continue;
      const k = items.length;
      this.lines.set(`body.${index}.items.${k}`, lineOf(item));
      this.runLines(`body.${index}.inline.${k}`, runs);
      items.push(text);
      inline.push(this.segments(runs));
      marked ||= runs.some(isMarked);
    }
    if (items.length === 0 && node.children.length > 0) return;
    const ordered = node.ordered === true;
    // An empty item is reported as such; its list then carries no runs to be reported again.
    const withInline = marked && items.every((item) => item !== '');
    this.push(
      withInline ? { type: 'list', ordered, items, inline } : { type: 'list', ordered, items },
      lineOf(node),
    );
  }
}

/**
 * The front matter as YAML reads it (pipeline/yaml-source.ts), with the line of each key and of each
 * earlier URL under `aliases`; YAML syntax errors as problems.
 */
function readFrontMatter(node: Yaml, file: string, lines: Map<string, number>) {
  // The YAML text starts on the line after the opening "---".
  const yaml = readYaml(node.value, lineOf(node) + 1);
  const problems: DocumentProblem[] = yaml.errors.map((error) => ({
    file,
    line: error.line,
    message: `the front matter is not valid YAML: ${error.message}`,
  }));
  if (problems.length > 0) return { value: {}, problems };
  const value = yaml.value ?? {};
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      lines.set(`frontMatter.${key}`, yaml.lineOf([key], true));
      if (key === 'aliases' && Array.isArray(entry)) {
        entry.forEach((_, index) => {
          lines.set(`frontMatter.aliases.${index}`, yaml.lineOf([key, index]));
        });
      }
    }
  }
  // An empty front matter is a mapping without keys, so that each missing key is named.
  return { value, problems };
}

/**
 * Parses one Markdown document: YAML front matter (title, date, optional source, slug, excerpt), then
 * a body of paragraphs, "##"/"###" headings and lists with links, bold and italics. The parsers only
 * find structure; the valibot contract in schema/markdown-document.ts judges it, and every issue it
 * raises is mapped back to the line it is about.
 */
export function parseMarkdown(input: string | Uint8Array, file: string): ParseResult {
  const decoded = decodeDocument(input, file);
  if (!decoded.ok) return decoded;
  const tree = fromMarkdown(decoded.text, OPTIONS);
  const reader = new Reader(tree);
  const { lines } = reader;
  lines.set('frontMatter', 1);

  const [head, ...rest] = tree.children;
  let frontMatter: unknown;
  let yamlProblems: DocumentProblem[] = [];
  // A "---" on the first line without a closing one is a front matter left open, not a rule: the
  // contract says there is no front matter, and how one is written.
  const opened = head?.type === 'thematicBreak' && lineOf(head) === 1;
  const content = head?.type === 'yaml' || opened ? rest : tree.children;
  if (head?.type === 'yaml') {
    ({ value: frontMatter, problems: yamlProblems } = readFrontMatter(head, file, lines));
    lines.set('body', head.position?.end.line ?? 1);
  } else {
    lines.set('body', 1);
  }
  for (const node of content) reader.block(node);

  const raw: RawMarkdownInput = { frontMatter, body: reader.body, unsupported: reader.unsupported };
  const result = v.safeParse(MarkdownDocument, raw);
  const titleLine = lines.get('frontMatter.title') ?? 1;
  if (result.success && yamlProblems.length === 0) {
    const aliasLines = result.output.publishing.aliases.map(
      (_, index) => lines.get(`frontMatter.aliases.${index}`) ?? titleLine,
    );
    const frontLines = Object.fromEntries(
      [...lines]
        .filter(([key]) => key.startsWith('frontMatter.'))
        .map(([key, line]) => [key.slice('frontMatter.'.length), line]),
    );
    const blockLines = reader.body.map((_, index) => lines.get(`body.${index}`) ?? 1);
    return {
      ok: true,
      parsed: { file, document: result.output, titleLine, aliasLines, frontLines, blockLines },
    };
  }
  const issues = result.success ? [] : result.issues;
  const problems = [
    ...yamlProblems,
    ...issues
      .filter((issue) => {
        const [part, next] = (issue.path ?? []).map((item) => item.key);
        // After a YAML syntax error the front matter is unknown: no problems about what it lacks.
        if (part === 'frontMatter') return yamlProblems.length === 0;
        // A body left empty (or without a paragraph) by what was refused is not a problem of its own.
        return !(part === 'body' && next === undefined && reader.unsupported.length > 0);
      })
      .map((issue) => {
        const keys = (issue.path ?? []).map((item) => String(item.key));
        let line = 1;
        for (let n = keys.length; n > 0; n--) {
          const found = lines.get(keys.slice(0, n).join('.'));
          if (found !== undefined) {
            line = found;
            break;
          }
        }
        return { file, line, message: issue.message };
      }),
  ];
  // In the order of the file (a stable sort keeps the contract's order within a line).
  return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
}
