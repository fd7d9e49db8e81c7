import * as v from 'valibot';

/**
 * The body blocks of an article, as the document contract makes them and the API describes them. A
 * module of its own so that the Worker (which uses the schemas for its OpenAPI document) does not
 * bundle the rest of the contract.
 */

/** A non-empty string; `what` names it in the problems. */
export const text = (what: string) =>
  v.pipe(v.string(`${what} is missing`), v.minLength(1, `${what} is empty`));

/**
 * Where a link may go: http(s) URLs with a host, mailto: addresses, and paths of this site (`/…`, so
 * that pages can link to each other; never `//host`, which a browser reads as another host). No
 * other scheme (javascript:, data:) and no relative path is ever made into a link, from a bare URL in
 * the text or from Markdown.
 */
function isLinkTarget(href: string): boolean {
  if (/^\/(?![/\\])/.test(href)) return !/[\s\\]/.test(href);
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return url.pathname !== '';
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

/**
 * The name of a media file beside the document, as the document writes it: one name, no folder (the
 * content folder is flat), no URL. The seed finds the file (docs/media.md).
 */
const mediaName = (what: string) =>
  v.pipe(
    text(`the file name of ${what}`),
    v.check(
      (name) => !/[/\\]/.test(name) && !/^[a-z][a-z0-9+.-]*:/i.test(name) && name !== '.' && name !== '..',
      (issue) =>
        `${what} names "${issue.input}": give the name of a file beside the document, without a folder`,
    ),
  );

/**
 * One run of a block's text with its inline markup: a link (`href`), bold (`strong`), italics
 * (`emphasis`). The runs of a block, joined, are exactly its `text`, so that a client that knows
 * nothing of them reads the same words; a mark is either there (`true`) or absent.
 */
const Segment = v.pipe(
  v.object({
    text: text('a run of inline text'),
    href: v.optional(
      v.pipe(
        v.string(),
        v.check(
          isLinkTarget,
          (issue) =>
            `a link to "${issue.input}": only http(s), mailto: and paths of this site (/…) can be links`,
        ),
        v.description(
          'The link target: an http(s) URL, a mailto: address, or a path of this site (another page, a download under /media/).',
        ),
      ),
    ),
    file: v.optional(
      v.pipe(
        mediaName('a download'),
        v.description(
          'A download: the name of a file beside the document (a PDF, an Office or OpenDocument file, CSV). The run links to it.',
        ),
      ),
    ),
    download: v.optional(
      v.pipe(
        v.object({ format: v.string(), bytes: v.number() }),
        v.description(
          'The stored download the run links to: its extension and size in bytes (the file card).',
        ),
      ),
    ),
    strong: v.optional(v.pipe(v.literal(true), v.description('Bold (Markdown `**…**`).'))),
    emphasis: v.optional(v.pipe(v.literal(true), v.description('Italics (Markdown `*…*`).'))),
  }),
  v.description(
    'A run of text with its marks. Line breaks are "\\n" in the text, as in the block\'s own text.',
  ),
);
export type Segment = v.InferOutput<typeof Segment>;

const Inline = v.pipe(
  v.array(Segment),
  v.minLength(1, 'inline markup without text'),
  v.description(
    "The block's text as runs with inline markup (links, bold, italics); the runs' texts joined are exactly `text`. Only present when the text has such markup: without it, `text` is all there is.",
  ),
);

const Paragraph = v.object({
  type: v.literal('paragraph'),
  text: text('a paragraph'),
  inline: v.optional(Inline),
});
const Heading = v.object({
  type: v.literal('heading'),
  text: v.pipe(text('a heading'), v.regex(/^[^\n]*$/, 'a heading is one line')),
  inline: v.optional(Inline),
});
const List = v.object({
  type: v.literal('list'),
  /** A numbered list (`<ol>`) or a bullet list (`<ul>`); the numbers themselves are not kept. */
  ordered: v.pipe(v.boolean(), v.description('A numbered list (true) or a bullet list (false).')),
  items: v.pipe(v.array(text('a list item')), v.minLength(1, 'a list has no items')),
  inline: v.optional(
    v.pipe(
      v.array(Inline),
      v.description(
        'The items as runs with inline markup, one entry per item of `items` (in the same order); only present when an item has such markup.',
      ),
    ),
  ),
});

/**
 * An image on a line of its own: the file beside the document (`src`) and its alt text. A decorative
 * image (alt "-" in both formats) has an empty alt and `decorative`; page text may leave the alt out
 * (the seed prints a notice), Markdown may not.
 */
const Image = v.pipe(
  v.object({
    type: v.literal('image'),
    src: v.pipe(mediaName('an image'), v.description('The name of the image file beside the document.')),
    alt: v.pipe(
      v.string(),
      v.regex(/^[^\n]*$/, 'alt text is one line'),
      v.description('What the image shows, for those who cannot see it; empty for a decorative image.'),
    ),
    decorative: v.optional(
      v.pipe(v.literal(true), v.description('Decorative: the alt text is empty on purpose.')),
    ),
    share: v.optional(
      v.pipe(
        v.literal(true),
        v.description(
          "The article's share image: its link previews (og:image) show this image instead of the generated card.",
        ),
      ),
    ),
    media: v.optional(
      v.pipe(
        v.object({
          width: v.number(),
          height: v.number(),
          variants: v.array(
            v.object({
              url: v.pipe(v.string(), v.description('The variant, content-hashed: /media/{hash}.{ext}.')),
              format: v.picklist(['avif', 'webp', 'jpeg', 'png']),
              width: v.number(),
            }),
          ),
          share: v.optional(
            v.pipe(
              v.object({ url: v.string(), width: v.number(), height: v.number() }),
              v.description(
                'Of a share image: the JPEG, 1200 px wide, that link previews show (og:image, og:image:width/height).',
              ),
            ),
          ),
        }),
        v.description(
          'What the seed made of the file: its served size (upright, at most 2400 px) and its variants, widths never above it, as AVIF, WebP and a JPEG or PNG fallback.',
        ),
      ),
    ),
  }),
  v.check((image) => !(image.decorative && image.alt !== ''), 'a decorative image has no alt text'),
);

const joined = (segments: Segment[]) => segments.map((segment) => segment.text).join('');

/** Runs that say something other than the plain text would show different words to different clients. */
function inlineMatches(block: v.InferOutput<typeof Paragraph | typeof Heading | typeof List>): boolean {
  if (!block.inline) return true;
  if (block.type !== 'list') return joined(block.inline as Segment[]) === block.text;
  const inline = block.inline as Segment[][];
  return (
    inline.length === block.items.length && inline.every((segments, i) => joined(segments) === block.items[i])
  );
}

export const Block = v.pipe(
  v.variant('type', [Paragraph, Heading, List, Image]),
  v.check(
    (block) => block.type === 'image' || inlineMatches(block),
    "the inline runs do not spell the block's text",
  ),
);
export type Block = v.InferOutput<typeof Block>;
