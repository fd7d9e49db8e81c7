/**
 * "Deel dit artikel": the networks, their current share intents, and who is counted.
 *
 * Every intent is built from the article's canonical URL (from SITE_URL) and its title only, never
 * from anything in the request, so /deel/… can never become an open redirect.
 */

export const NETWORKS = [
  'linkedin',
  'x',
  'facebook',
  'whatsapp',
  'bluesky',
  'telegram',
  'mastodon',
  'email',
] as const;
export type Network = (typeof NETWORKS)[number];

export const isNetwork = (value: string): value is Network => (NETWORKS as readonly string[]).includes(value);

/** Names as visitors know them, for link texts ("Deel op LinkedIn"). */
export const NETWORK_LABELS: Record<Network, string> = {
  linkedin: 'LinkedIn',
  x: 'X',
  facebook: 'Facebook',
  whatsapp: 'WhatsApp',
  bluesky: 'Bluesky',
  telegram: 'Telegram',
  mastodon: 'Mastodon',
  email: 'e-mail',
};

// encodeURIComponent writes spaces as %20, as RFC 6068 (mailto) and every intent below expect.
const enc = encodeURIComponent;

/** Bluesky posts hold at most 300 graphemes; the intent's text is the title, a space and the URL. */
const BLUESKY_MAX_GRAPHEMES = 300;

function graphemes(text: string): string[] {
  return Array.from(new Intl.Segmenter('nl', { granularity: 'grapheme' }).segment(text), (s) => s.segment);
}

/** The title shortened (with an ellipsis) so that `title + ' ' + url` fits in `max` graphemes. */
export function fitText(title: string, url: string, max: number): string {
  const room = max - graphemes(url).length - 1;
  const parts = graphemes(title);
  if (parts.length <= room) return title;
  return `${parts
    .slice(0, Math.max(0, room - 1))
    .join('')
    .trimEnd()}…`;
}

/**
 * The share intent of a network for an article (the URLs: docs/link-previews.md).
 * Mastodon needs the visitor's own instance, already checked by `parseInstance`.
 */
export function shareIntent(
  network: Network,
  article: { url: string; title: string },
  instance?: string,
): string {
  const { url, title } = article;
  switch (network) {
    case 'linkedin':
      // LinkedIn takes only the URL; title and summary come from the page's Open Graph tags.
      return `https://www.linkedin.com/sharing/share-offsite/?url=${enc(url)}`;
    case 'x':
      return `https://x.com/intent/tweet?text=${enc(title)}&url=${enc(url)}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}`;
    case 'whatsapp':
      return `https://wa.me/?text=${enc(`${title} ${url}`)}`;
    case 'telegram':
      return `https://t.me/share/url?url=${enc(url)}&text=${enc(title)}`;
    case 'bluesky':
      return `https://bsky.app/intent/compose?text=${enc(`${fitText(title, url, BLUESKY_MAX_GRAPHEMES)} ${url}`)}`;
    case 'mastodon':
      if (!instance) throw new Error('a Mastodon share needs an instance');
      return `https://${instance}/share?text=${enc(`${title} ${url}`)}`;
    case 'email':
      return `mailto:?subject=${enc(title)}&body=${enc(`${title}\r\n\r\n${url}`)}`;
  }
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A Mastodon instance as a plain host name ("mastodon.social"), lowercased; null for anything else:
 * schemes, paths, ports, user info, IP addresses, single labels such as "localhost". Internationalised
 * names are accepted in their ASCII (xn--) form only.
 */
export function parseInstance(input: string): string | null {
  const host = input.trim().toLowerCase();
  if (host.length === 0 || host.length > 253) return null;
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  // A top-level domain is never all digits: this refuses IPv4 addresses.
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return null;
  return host;
}

/**
 * Crawlers, link-preview fetchers and other robots: they follow links but share nothing, so their
 * requests are not counted. (WhatsApp, Mastodon and Bluesky's card fetcher name no "bot".)
 */
const ROBOT =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|facebot|whatsapp|mastodon|cardyb|bluesky|embedly|iframely|pinterest|vkshare|headless|lighthouse|curl|wget|python|go-http|okhttp|java\//i;

/** Whether a request with this User-Agent counts as a share by a person. */
export function isCountedAgent(userAgent: string | undefined): boolean {
  return !!userAgent && !ROBOT.test(userAgent);
}

/**
 * Whether the browser fetched the link ahead of a click that may never come: speculative prefetches
 * and prerenders (Speculation Rules, `<link rel=prefetch>`) say so in `Sec-Purpose: prefetch` or
 * `prefetch;prerender` (Fetch Metadata); older browsers send `Purpose: prefetch`, Safari's previews
 * `X-Purpose: preview`, Firefox `X-Moz: prefetch`. None of them is a share.
 */
export function isSpeculative(headers: Headers): boolean {
  const purpose = [
    headers.get('Sec-Purpose'),
    headers.get('Purpose'),
    headers.get('X-Purpose'),
    headers.get('X-Moz'),
  ]
    .filter((value) => value !== null)
    .join(',')
    .toLowerCase();
  return /\b(prefetch|prerender|preview)\b/.test(purpose);
}

/**
 * The rate-limit key of one client sharing one article: a SHA-256 of the slug and the client's
 * address (CF-Connecting-IP), so that the limiter never holds an address, and nothing else does.
 */
export async function shareLimitKey(clientIp: string, slug: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${slug}\n${clientIp}`));
  return Array.from(new Uint8Array(digest).slice(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );
}
