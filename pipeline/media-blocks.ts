/**
 * The blocks as stored: each image block with what the seed made of its file (size and variants, so
 * that a page renders its `<picture>` from the article's own row, in the page's one batch) and each
 * download run linked to its object. Pure: the files are read and stored before (media-store.ts).
 */
import type { Block, Segment } from '../schema/blocks.ts';
import { CARD_WIDTH } from '../schema/card-size.ts';
import type { MediaVariant } from '../schema/tables.ts';
import type { DocumentProblem, ParsedFile } from './parse-result.ts';

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
        const variants = row.variants
          .filter((variant) => !variant.share)
          .map((variant) => ({
            url: mediaUrl(variant.key),
            format: variant.format as 'avif' | 'webp' | 'jpeg' | 'png',
            width: variant.width ?? row.width ?? 0,
          }));
        // Only the image the article shares carries its share image (shareImageProblems otherwise).
        const shared = block.share ? row.variants.find((variant) => variant.share) : undefined;
        const share = shared?.width &&
          shared.height && { url: mediaUrl(shared.key), width: shared.width, height: shared.height };
        return {
          ...block,
          media: { width: row.width, height: row.height, variants, ...(share && { share }) },
        };
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

/**
 * An article that asks for a share image (`share_image: true`) whose first image got none: narrower
 * than the share image's width (the seed never upscales). A problem at the front matter's key.
 */
export function shareImageProblems(items: ParsedFile[]): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  for (const item of items) {
    if (item.document.kind !== 'article') continue;
    const image = item.document.article.body.find((block) => block.type === 'image' && block.share);
    if (image?.type !== 'image' || !image.media || image.media.share) continue;
    problems.push({
      file: item.file,
      line: item.frontLines?.share_image ?? item.titleLine,
      message: `share_image: ${image.src} is ${image.media.width} px wide; a share image is ${CARD_WIDTH} px wide, and the seed never enlarges: use a larger image, or leave share_image out for the generated card`,
    });
  }
  return problems;
}
