/**
 * Stored media on the blocks (pipeline/media-blocks.ts) and the `<picture>` a page makes of them
 * (worker/views/picture.tsx): AVIF and WebP sources, an <img> with its size, srcset and sizes, the
 * first image fetched at once and the others lazily; a download run linked to its object.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { withStoredMedia } from '../pipeline/media-blocks.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { Block } from '../schema/blocks.ts';
import { ArticleBody } from '../worker/views/components.tsx';

const key = (c: string, ext: string) => `${c.repeat(32)}.${ext}`;
const variants = (c: string, widths: number[], fallback: string) =>
  widths.flatMap((width, i) =>
    [
      ['avif', 'avif'],
      ['webp', 'webp'],
      [fallback, fallback === 'jpeg' ? 'jpg' : 'png'],
    ].map(([format, ext]) => ({
      key: key(`${c}${i}`.slice(-1), `${ext}`),
      format: format as string,
      width,
      bytes: 1,
    })),
  );

function stored() {
  const text = `---\ntitle: Beelden\ndate: 2019-02-12\n---\n\nDe eerste alinea.\n\n![De zaal](zaal.jpg)\n\n![-](logo.png)\n\nLees [het verslag](<Jaar verslag.pdf>).\n`;
  const parsed = parseDocuments(
    [{ file: 'a.md', text }],
    new Set(['zaal.jpg', 'logo.png', 'Jaar verslag.pdf']),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const sources = new Map([
    ['zaal.jpg', 'z'],
    ['logo.png', 'l'],
    ['Jaar verslag.pdf', 'p'],
  ]);
  const rows = new Map([
    ['z', { width: 1000, height: 500, variants: variants('a', [480, 800, 1000], 'jpeg') }],
    ['l', { width: 200, height: 100, variants: variants('b', [200], 'png') }],
    ['p', { variants: [{ key: key('c', 'pdf'), format: 'pdf', bytes: 1200 }] }],
  ]);
  return (withStoredMedia(parsed.parsed, sources, rows)[0]?.document.article.body ?? []) as Block[];
}

describe('stored media', () => {
  it('fills in the images and links the downloads, still valid blocks', () => {
    const body = stored();
    for (const block of body) expect(v.safeParse(Block, block).success).toBe(true);
    expect(body[1]).toMatchObject({ type: 'image', media: { width: 1000, height: 500 } });
    expect(body[3]).toMatchObject({
      inline: [
        { text: 'Lees ' },
        {
          text: 'het verslag',
          file: 'Jaar verslag.pdf',
          href: `/media/${key('c', 'pdf')}/Jaar%20verslag.pdf`,
        },
        { text: '.' },
      ],
    });
  });

  it('renders a picture with sources, size, srcset and sizes; the first image eager, the rest lazy', async () => {
    const html = String(await ArticleBody({ body: stored() })?.toString());
    const pictures = html.match(/<picture>.*?<\/picture>/g) ?? [];
    expect(pictures).toHaveLength(2);
    expect(pictures[0]).toContain(
      `<source type="image/avif" srcset="/media/${key('0', 'avif')} 480w, /media/${key('1', 'avif')} 800w, /media/${key('2', 'avif')} 1000w" sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)"`,
    );
    expect(pictures[0]).toContain('<source type="image/webp"');
    expect(pictures[0]).toMatch(
      /<img src="\/media\/2{32}\.jpg" srcset="[^"]*480w[^"]*" sizes="[^"]+" width="1000" height="500" alt="De zaal" fetchpriority="high"/,
    );
    expect(pictures[1]).toMatch(/<img src="\/media\/0{32}\.png" [^>]*alt="" loading="lazy" decoding="async"/);
    expect(html).toContain(
      `<a href="/media/${key('c', 'pdf')}/Jaar%20verslag.pdf">het verslag</a> <span class="file-card">(PDF, 1,2 kB)</span>.`,
    );
  });

  it('makes the images and links absolute for the feed', async () => {
    const html = String(
      await ArticleBody({ body: stored(), origin: 'https://www.vso-werkgevers.nl' })?.toString(),
    );
    expect(html).toContain(`srcset="https://www.vso-werkgevers.nl/media/${key('0', 'avif')} 480w,`);
    expect(html).toMatch(/<img src="https:\/\/www\.vso-werkgevers\.nl\/media\//);
    expect(html).toContain(
      `<a href="https://www.vso-werkgevers.nl/media/${key('c', 'pdf')}/Jaar%20verslag.pdf">`,
    );
    expect(html).not.toMatch(/(src|href)="\//);
  });
});
