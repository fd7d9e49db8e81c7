// What the share links of the newest seed article must lead to, written out by hand (not taken from
// worker/lib/share-networks.ts, so that a wrong intent there fails the tests): one table for the
// in-process and the workerd share tests.
import { MET, SITE } from './addresses.ts';

export const MET_TITLE = 'Met elkaar voor 125.000 banen';
export const MET_URL = `${SITE}${MET}`;

/** A person's browser: shares from it are counted. */
export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

const e = encodeURIComponent;

/** The share intent of every network but Mastodon (which asks for the visitor's instance first). */
export const INTENTS: Record<string, string> = {
  linkedin: `https://www.linkedin.com/sharing/share-offsite/?url=${e(MET_URL)}`,
  x: `https://x.com/intent/tweet?text=${e(MET_TITLE)}&url=${e(MET_URL)}`,
  facebook: `https://www.facebook.com/sharer/sharer.php?u=${e(MET_URL)}`,
  whatsapp: `https://wa.me/?text=${e(`${MET_TITLE} ${MET_URL}`)}`,
  bluesky: `https://bsky.app/intent/compose?text=${e(`${MET_TITLE} ${MET_URL}`)}`,
  telegram: `https://t.me/share/url?url=${e(MET_URL)}&text=${e(MET_TITLE)}`,
  email: `mailto:?subject=${e(MET_TITLE)}&body=${e(`${MET_TITLE}\r\n\r\n${MET_URL}`)}`,
};
