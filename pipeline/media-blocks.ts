/**
 * The blocks as stored: each image block with what the seed made of its file (size and variants, so
 * that a page renders its `<picture>` from the article's own row, in the page's one batch) and each
 * download run linked to its object. Pure: the files are read and stored before (media-store.ts).
 */
import type { Block, Segment } from '../schema/blocks.ts';
import type { MediaVariant } from '../schema/tables.ts';
import type { ParsedFile } from './parse-result.ts';

/** What the blocks need of a media row. */
export interface MediaFacts {
  width?: number | null;
  height?: number | null;
  variants: MediaVariant[];
}

const mediaUrl = (key: string) => `/media/${key}`;

/**
 * `items` with their media filled in from `sources` (file name → content hash) and `rows` (content
 * hash → row). A name without a row is left as written (the seed refuses it before this).
 */
export function withStoredMedia<T extends ParsedFile>(
  items: T[],
  sources: ReadonlyMap<string, string>,
  rows: ReadonlyMap<string, MediaFacts>,
): T[] {
  const rowOf = (name: string) => {
    const source = sources.get(name);
    return source === undefined ? undefined : rows.get(source);
  };
  const link = (run: Segment): Segment => {
    const object = run.file === undefined ? undefined : rowOf(run.file)?.variants[0];
    if (!object || !run.file) return run;
    // The name in the path is what the download is saved as (Content-Disposition).
    const href = `${mediaUrl(object.key)}/${encodeURIComponent(run.file)}`;
    return { ...run, href, download: { format: object.format, bytes: object.bytes } };
  };
  const store = (block: Block): Block => {
    switch (block.type) {
      case 'image': {
        const row = rowOf(block.src);
        if (!row?.width || !row.height) return block;
        const variants = row.variants.map((variant) => ({
          url: mediaUrl(variant.key),
          format: variant.format as 'avif' | 'webp' | 'jpeg' | 'png',
          width: variant.width ?? row.width ?? 0,
        }));
        return { ...block, media: { width: row.width, height: row.height, variants } };
      }
      case 'list':
        return block.inline ? { ...block, inline: block.inline.map((runs) => runs.map(link)) } : block;
      default:
        return block.inline ? { ...block, inline: block.inline.map(link) } : block;
    }
  };
  return items.map((item) => {
    const document =
      item.document.kind === 'article'
        ? {
            ...item.document,
            article: { ...item.document.article, body: item.document.article.body.map(store) },
          }
        : { ...item.document, page: { ...item.document.page, body: item.document.page.body.map(store) } };
    return { ...item, document } as T;
  });
}
