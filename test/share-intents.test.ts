import { describe, expect, it } from 'vitest';
import {
  fitText,
  isCountedAgent,
  isSpeculative,
  NETWORKS,
  parseInstance,
  shareIntent,
  shareLimitKey,
} from '../worker/lib/share-networks.ts';
import { MET, SITE } from './support/addresses.ts';
import { CRAWLER_AGENTS } from './support/crawlers.ts';

const article = {
  url: `${SITE}${MET}`,
  title: 'Met elkaar voor 125.000 banen & “meer”',
};

describe('shareIntent', () => {
  it('puts only the canonical URL and title into each intent, encoded with %20 for spaces', () => {
    for (const network of NETWORKS) {
      const intent = new URL(shareIntent(network, article, 'mastodon.social'));
      const text = decodeURIComponent(intent.href);
      expect(text, network).toContain(article.url);
      expect(intent.href, network).not.toContain('+');
      expect(intent.href, network).not.toMatch(/ /);
    }
  });

  it('writes e-mail as an RFC 6068 mailto: URI with subject and body', () => {
    const mail = shareIntent('email', article);
    expect(mail).toBe(
      `mailto:?subject=Met%20elkaar%20voor%20125.000%20banen%20%26%20%E2%80%9Cmeer%E2%80%9D&body=` +
        `Met%20elkaar%20voor%20125.000%20banen%20%26%20%E2%80%9Cmeer%E2%80%9D%0D%0A%0D%0A${encodeURIComponent(article.url)}`,
    );
  });

  it('needs an instance for Mastodon', () => {
    expect(() => shareIntent('mastodon', article)).toThrow(/instance/);
    expect(shareIntent('mastodon', article, 'mastodon.nl')).toMatch(/^https:\/\/mastodon\.nl\/share\?text=/);
  });

  it('keeps a Bluesky post within 300 graphemes by shortening the title', () => {
    const long = { url: article.url, title: 'Werkgever👩‍💼 '.repeat(60) };
    const text = new URL(shareIntent('bluesky', long)).searchParams.get('text') ?? '';
    const graphemes = [...new Intl.Segmenter('nl', { granularity: 'grapheme' }).segment(text)];
    expect(graphemes.length).toBeLessThanOrEqual(300);
    expect(text.endsWith(` ${article.url}`)).toBe(true);
    expect(text).toContain('…');
    // A short title is left alone.
    expect(fitText('Kort', article.url, 300)).toBe('Kort');
  });
});

describe('parseInstance', () => {
  it.each([
    ['mastodon.social', 'mastodon.social'],
    ['  Mastodon.NL ', 'mastodon.nl'],
    ['social.vso-werkgevers.nl', 'social.vso-werkgevers.nl'],
    ['xn--mstdon-bua.example', 'xn--mstdon-bua.example'],
  ])('accepts the host name %j', (input, host) => {
    expect(parseInstance(input)).toBe(host);
  });

  it.each([
    '',
    'https://mastodon.social',
    'mastodon.social/',
    'mastodon.social/share?text=x',
    'mastodon.social:8443',
    'user@mastodon.social',
    '@user@mastodon.social',
    'evil.example#mastodon.social',
    'evil.example?x=1',
    '127.0.0.1',
    '[::1]',
    'localhost',
    'mastodon..social',
    '-mastodon.social',
    'mastodon-.social',
    'mast odon.social',
    'mastödon.social',
    `${'a'.repeat(64)}.social`,
    `${'a.'.repeat(127)}social`,
    'mastodon.social\nevil.example',
    'evil.example\\@mastodon.social',
  ])('refuses %j', (input) => {
    expect(parseInstance(input)).toBeNull();
  });
});

describe('isCountedAgent', () => {
  it.each([
    ...CRAWLER_AGENTS,
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'curl/8.5.0',
    '',
    undefined,
  ])('does not count %j', (agent) => {
    expect(isCountedAgent(agent)).toBe(false);
  });

  it.each([
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
  ])('counts a browser: %s', (agent) => {
    expect(isCountedAgent(agent)).toBe(true);
  });
});

describe('isSpeculative', () => {
  it.each<Record<string, string>>([
    { 'Sec-Purpose': 'prefetch' },
    { 'Sec-Purpose': 'prefetch;prerender' },
    { 'Sec-Purpose': 'prefetch; anonymous-client-ip' },
    { Purpose: 'prefetch' },
    { 'X-Purpose': 'preview' },
    { 'X-Moz': 'prefetch' },
  ])('knows a prefetch or prerender: %j', (headers) => {
    expect(isSpeculative(new Headers(headers))).toBe(true);
  });

  it.each<Record<string, string>>([
    {},
    { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' },
    { Purpose: 'other' },
  ])('takes a navigation for one: %j', (headers) => {
    expect(isSpeculative(new Headers(headers))).toBe(false);
  });
});

describe('shareLimitKey', () => {
  it('is a hash that holds no address and differs per client and per article', async () => {
    const key = await shareLimitKey('203.0.113.7', 'met-elkaar-voor-125000-banen');
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await shareLimitKey('203.0.113.7', 'met-elkaar-voor-125000-banen')).toBe(key);
    expect(await shareLimitKey('203.0.113.8', 'met-elkaar-voor-125000-banen')).not.toBe(key);
    expect(await shareLimitKey('203.0.113.7', 'centrale-postbus')).not.toBe(key);
  });
});
