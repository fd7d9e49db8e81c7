/**
 * What a social card is drawn from, as a hash the seed stores with the card (articles.card_input):
 * the article's title and date label, and the renderer's own version, which holds everything else
 * the card shows or is drawn with (the site's name and tagline, the logo, the versions of the
 * packages that draw). A seed renders a card again only when this hash changes, so an edited body
 * keeps its card.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE_NAME, SITE_TAGLINE } from '../schema/brand.ts';
import { formatDate } from '../schema/dates.ts';
import { type ArticleCardInput, CARD_RENDERER } from './social-card.ts';

const ROOT = join(import.meta.dirname, '..');
/** The packages whose output is in a card: layout and glyph paths, rasteriser, fonts, emoji, measure. */
const DRAWING_PACKAGES = [
  'satori',
  '@resvg/resvg-js',
  '@expo-google-fonts/inter',
  '@iconify-json/twemoji',
  'harfbuzzjs',
];

const sha256 = (value: string | Uint8Array) => hash('sha256', value);

let renderer: string | undefined;

/** The renderer's version, with the versions of the packages it draws with and what it draws. */
function rendererVersion(): string {
  renderer ??= JSON.stringify({
    renderer: CARD_RENDERER,
    packages: DRAWING_PACKAGES.map((name) => {
      const manifest = readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8');
      return `${name}@${(JSON.parse(manifest) as { version: string }).version}`;
    }),
    site: [SITE_NAME, SITE_TAGLINE],
    logo: sha256(readFileSync(join(ROOT, 'assets', 'logo.svg'))),
  });
  return renderer;
}

/** What the card of an article shows: its title and its date, as the card writes it. */
export function cardInputOf(article: { title: string; publishedAt: string }): ArticleCardInput {
  return { title: article.title, date: formatDate(article.publishedAt) };
}

/** The hash of a card's input: 16 hex digits. */
export function cardInputHash(input: ArticleCardInput): string {
  return sha256(JSON.stringify([rendererVersion(), input.title, input.date])).slice(0, 16);
}
