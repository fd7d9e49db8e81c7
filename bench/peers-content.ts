/**
 * The two articles of content-seed/ as a peer stores them: title, date, slug and the body as HTML
 * (paragraphs, headings, lists with their links, bold and italics), parsed by the project's own parser.
 */
import { join, relative } from 'node:path';
import { readDocuments } from '../pipeline/content-files.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import type { Block, Segment } from '../schema/blocks.ts';

export interface PeerArticle {
  slug: string;
  title: string;
  /** YYYY-MM-DD. */
  publishedAt: string;
  excerpt: string;
  html: string;
  /** The body as plain text (Ghost keeps it beside the HTML). */
  plaintext: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const runs = (text: string, inline: Segment[] | undefined) =>
  (inline ?? [{ text }])
    .map((segment) => {
      let html = escapeHtml(segment.text).replace(/\n/g, '<br>');
      if (segment.emphasis) html = `<em>${html}</em>`;
      if (segment.strong) html = `<strong>${html}</strong>`;
      if (segment.href) html = `<a href="${escapeHtml(segment.href)}">${html}</a>`;
      return html;
    })
    .join('');

function blockHtml(block: Block): string {
  if (block.type === 'image') return '';
  if (block.type === 'paragraph') return `<p>${runs(block.text, block.inline as Segment[] | undefined)}</p>`;
  if (block.type === 'heading') return `<h2>${runs(block.text, block.inline as Segment[] | undefined)}</h2>`;
  const tag = block.ordered ? 'ol' : 'ul';
  const inline = block.inline as Segment[][] | undefined;
  const items = block.items.map((item, i) => `<li>${runs(item, inline?.[i])}</li>`).join('');
  return `<${tag}>${items}</${tag}>`;
}

const blockText = (block: Block) =>
  block.type === 'list' ? block.items.join('\n') : block.type === 'image' ? '' : block.text;

/** The articles of content-seed/, newest first (the first is the one measured). */
export async function peerArticles(): Promise<PeerArticle[]> {
  const files = (await readDocuments(join(ROOT, 'content-seed'))).map((doc) => ({
    ...doc,
    file: relative(ROOT, doc.file),
  }));
  const parsed = parseDocuments(files);
  if (!parsed.ok) throw new Error('content-seed/ does not parse: run npm run seed for the problems');
  return parsed.parsed
    .map(({ document: { article } }) => ({
      slug: article.slug,
      title: article.title,
      publishedAt: article.publishedAt,
      excerpt: article.excerpt,
      html: article.body.map(blockHtml).join('\n'),
      plaintext: article.body.map(blockText).join('\n\n'),
    }))
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}
