/**
 * The tags of a page that link previews are made of, each with the byte at which it ends, so that
 * the preview check can tell a tag that a crawler reads from one that comes after the bytes it
 * reads. An HTML parser (htmlparser2, as forgiving as the crawlers' own), not a pattern: comments,
 * scripts and quoting must not make a tag appear or disappear.
 */
import { Parser } from 'htmlparser2';

export interface PageTag {
  /** `og:title`, `twitter:card`… (meta property or name, lower case); `title`; `oembed`; `lang`. */
  key: string;
  /** The content (entities decoded), the oEmbed link's href, the title's text, `<html lang>`. */
  value: string;
  /** The UTF-8 byte just after the tag (for `title`, after `</title>`). */
  endByte: number;
}

/** Every preview tag of `bytes` (decoded as UTF-8) in document order. */
export function pageTags(bytes: Uint8Array): PageTag[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  const tags: PageTag[] = [];
  // Byte offsets from character offsets, counted forward once: tags come in document order.
  let seenChars = 0;
  let seenBytes = 0;
  const byteAt = (index: number) => {
    seenBytes += Buffer.byteLength(text.slice(seenChars, index));
    seenChars = index;
    return seenBytes;
  };
  let title: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const end = () => byteAt(parser.endIndex + 1);
        if (name === 'html' && attributes.lang) {
          tags.push({ key: 'lang', value: attributes.lang, endByte: end() });
        } else if (name === 'meta') {
          const key = (attributes.property ?? attributes.name ?? '').trim().toLowerCase();
          if (key && attributes.content !== undefined) {
            tags.push({ key, value: attributes.content.trim(), endByte: end() });
          }
        } else if (
          name === 'link' &&
          /(^|\s)alternate(\s|$)/i.test(attributes.rel ?? '') &&
          (attributes.type ?? '').toLowerCase() === 'application/json+oembed' &&
          attributes.href
        ) {
          tags.push({ key: 'oembed', value: attributes.href.trim(), endByte: end() });
        } else if (name === 'title' && title === null) {
          title = '';
        }
      },
      ontext(data) {
        if (title !== null && !tags.some((tag) => tag.key === 'title')) title += data;
      },
      onclosetag(name) {
        if (name === 'title' && title !== null && !tags.some((tag) => tag.key === 'title')) {
          tags.push({ key: 'title', value: title.trim(), endByte: byteAt(parser.endIndex + 1) });
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(text);
  parser.end();
  return tags;
}
