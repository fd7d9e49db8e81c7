/**
 * The link-preview fetchers the site is shared to: how each one identifies itself, how it fetches a
 * page and what it needs from it. The one table of these limits: the preview check
 * (pipeline/unfurl-check.ts), the share tests (which must never count these agents) and
 * docs/link-previews.md (which says what each one reads and shows) all take them from here.
 * Where a limit is not documented by the network the comment says so, and the value is the
 * strictest one we know of, so that the check errs on the side of a broken preview.
 */

/** The tags a preview is made of; `twitter:card` must also say `summary_large_image`. */
type PreviewTag =
  | 'og:title'
  | 'og:description'
  | 'og:image'
  | 'og:image:width'
  | 'og:image:height'
  | 'og:url'
  | 'twitter:card';

export interface Crawler {
  /** The network, as the report names it. */
  name: string;
  userAgent: string;
  /** Bytes of the page it reads: a tag that ends after them is not seen. */
  pageBytes: number;
  /** Whether it asks for only those bytes with `Range: bytes=0-{pageBytes - 1}`. */
  sendsRange: boolean;
  /** `Accept-Encoding` it sends (null: whatever an HTTP client sends by default). */
  acceptEncoding: string | null;
  /** Redirects it follows before it gives up. */
  maxRedirects: number;
  /** Tags without which its preview has no title, no text or no (large) image. */
  needs: readonly PreviewTag[];
  /** It resolves a relative `og:image` against the page URL (the others show no image). */
  resolvesRelativeImage: boolean;
  /** The product token it looks for in robots.txt, for a crawler that obeys it (null: it does not). */
  robotsToken: string | null;
  /** Characters of the title and description it shows before it cuts them (null: not known). */
  shows: { title: number | null; description: number | null };
}

const CORE: readonly PreviewTag[] = ['og:title', 'og:description', 'og:image'];

/** Not documented by these networks: a client's usual default. */
const USUAL_REDIRECTS = 5;
/**
 * Not documented by these networks either: the smallest read that any of them documents (Slack's,
 * below), so that tags past it are reported rather than guessed to be seen.
 */
const SMALLEST_DOCUMENTED_READ = 32 * 1024;

export const CRAWLERS: readonly Crawler[] = [
  {
    name: 'Facebook',
    userAgent: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    // Meta's "The Facebook Crawler" page: Open Graph properties must come within the first 1 MB,
    // and its own example request asks for `Range: bytes=0-524288`: a server that honours the
    // Range sends 512 KiB, so that is what counts. Only gzip and deflate (same page).
    pageBytes: 512 * 1024,
    sendsRange: true,
    acceptEncoding: 'gzip, deflate',
    maxRedirects: USUAL_REDIRECTS,
    // Without og:image:width/height the first share shows no image (Meta's Sharing best practices).
    needs: [...CORE, 'og:url', 'og:image:width', 'og:image:height'],
    resolvesRelativeImage: false,
    robotsToken: null,
    // Not documented ("2 to 4 sentences"); OGTester measured 122 characters of title (2023).
    shows: { title: 122, description: null },
  },
  {
    name: 'WhatsApp',
    userAgent: 'WhatsApp/2.23.20.0',
    // Not documented; Meta's crawler limit (above) as the nearest documented one.
    pageBytes: 512 * 1024,
    sendsRange: false,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    needs: CORE,
    resolvesRelativeImage: false,
    robotsToken: null,
    // OGTester measured 81 characters of title (2023).
    shows: { title: 81, description: null },
  },
  {
    name: 'LinkedIn',
    userAgent: 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    pageBytes: SMALLEST_DOCUMENTED_READ,
    sendsRange: false,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    // LinkedIn reads og:* only, not twitter:* (its "Make your website shareable" page).
    needs: CORE,
    // LinkedIn's Post Inspector reports a relative og:image as an error.
    resolvesRelativeImage: false,
    robotsToken: null,
    shows: { title: null, description: null },
  },
  {
    name: 'X',
    userAgent: 'Twitterbot/1.0',
    pageBytes: SMALLEST_DOCUMENTED_READ,
    sendsRange: false,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    // The large card needs twitter:card=summary_large_image; og:* stand in for twitter:* (X's Cards
    // "Getting started" and markup reference).
    needs: [...CORE, 'twitter:card'],
    resolvesRelativeImage: false,
    // X's Cards docs: Twitterbot obeys robots.txt, for the page and for the image.
    robotsToken: 'Twitterbot',
    // X's Cards markup reference: title at most 70 characters, description at most 200.
    shows: { title: 70, description: 200 },
  },
  {
    name: 'Slack',
    userAgent: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    // Slack's unfurler asks for `Range: bytes=0-32768` (seen in its requests; Slack documents no
    // number, only that it reads the start of the page).
    pageBytes: 32 * 1024,
    sendsRange: true,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    // oEmbed first, then twitter:*, then og:* (Slack's "Everything you ever wanted to know about
    // unfurling"): our pages carry og:* for every one of them.
    needs: ['og:title', 'og:image'],
    resolvesRelativeImage: false,
    robotsToken: null,
    // OGTester: Slack shows the whole title.
    shows: { title: null, description: null },
  },
  {
    name: 'Bluesky',
    userAgent: 'Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)',
    pageBytes: SMALLEST_DOCUMENTED_READ,
    sendsRange: false,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    needs: CORE,
    resolvesRelativeImage: false,
    robotsToken: null,
    shows: { title: null, description: null },
  },
  {
    name: 'Mastodon',
    userAgent: 'http.rb/5.1.1 (Mastodon/4.3.0; +https://mastodon.social/)',
    // Mastodon's Request#body_with_limit: 1 MB, and only a 200 with text/html
    // (app/lib/request.rb, app/services/fetch_link_card_service.rb).
    pageBytes: 1024 * 1024,
    sendsRange: false,
    acceptEncoding: null,
    // app/lib/request.rb: `.follow(max_hops: 2)`.
    maxRedirects: 2,
    needs: CORE,
    // fetch_link_card_service.rb resolves og:image against the page URL.
    resolvesRelativeImage: true,
    robotsToken: null,
    shows: { title: null, description: null },
  },
  {
    name: 'Telegram',
    userAgent: 'TelegramBot (like TwitterBot)',
    pageBytes: SMALLEST_DOCUMENTED_READ,
    sendsRange: false,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    needs: CORE,
    resolvesRelativeImage: false,
    robotsToken: null,
    // OGTester measured 1023 characters of title (2023).
    shows: { title: 1023, description: null },
  },
  {
    name: 'Discord',
    userAgent: 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    pageBytes: SMALLEST_DOCUMENTED_READ,
    sendsRange: false,
    acceptEncoding: null,
    maxRedirects: USUAL_REDIRECTS,
    // Discord shows a large image only with twitter:card=summary_large_image.
    needs: [...CORE, 'twitter:card'],
    resolvesRelativeImage: false,
    robotsToken: null,
    // Discord's embed limits (developer docs, "Embed Limits"): title 256, description 4096.
    shows: { title: 256, description: 4096 },
  },
];
