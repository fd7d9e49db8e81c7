import { describe, expect, it } from 'vitest';
import { cacheKey, QUERY_PARAMETERS, readQuery, workersCacheKey } from '../worker/cache/cache-policy.ts';
import { SITE } from './support/addresses.ts';

const url = (path: string) => new URL(path, 'https://evil.example');

describe('the cache keys', () => {
  it('hold only the query parameters the route reads, sorted by name', () => {
    const shared =
      '/zoeken?utm_source=linkedin&pagina=2&fbclid=x&srsltid=a&_gl=b&gbraid=c&igsh=d&foo=1&Q=upper&q=banen';
    expect(readQuery(url(shared))).toBe('?pagina=2&q=banen');
    expect(cacheKey(url(shared), SITE)).toBe(`${SITE}/zoeken?pagina=2&q=banen`);
    expect(workersCacheKey(url(shared))).toBe('/zoeken?pagina=2&q=banen');
  });

  it('give a path that reads no parameter no query at all', () => {
    expect(cacheKey(url('/over-vso?pagina=2&q=x&utm_medium=social'), SITE)).toBe(`${SITE}/over-vso`);
    expect(workersCacheKey(url('/banenafspraak/nieuws/2019-02-12/x?ref=y'))).toBe(
      '/banenafspraak/nieuws/2019-02-12/x',
    );
  });

  it('are the same for Workers Cache and the L1 cache on every listed route', () => {
    for (const [path, names] of Object.entries(QUERY_PARAMETERS)) {
      const query = names.map((name, i) => `${name}=${i}`).join('&');
      const request = url(`${path}?zz=1&${query}&utm_source=x`);
      expect(`${SITE}${workersCacheKey(request)}`, path).toBe(cacheKey(request, SITE));
      expect(new URL(cacheKey(request, SITE)).searchParams.size, path).toBe(names.length);
    }
  });

  it('keep pagina for any address no fixed route answers (a section list, a content page), not for articles or feeds', () => {
    const query = '?utm_source=x&pagina=2&q=y';
    expect(workersCacheKey(url(`/nieuws/algemeen${query}`))).toBe('/nieuws/algemeen?pagina=2');
    expect(cacheKey(url(`/organisatie/achtergrond/${query}`), SITE)).toBe(
      `${SITE}/organisatie/achtergrond/?pagina=2`,
    );
    expect(workersCacheKey(url(`/nieuws/algemeen/2020-01-02/bericht${query}`))).toBe(
      '/nieuws/algemeen/2020-01-02/bericht',
    );
    expect(workersCacheKey(url(`/nieuws/algemeen/feed.xml${query}`))).toBe('/nieuws/algemeen/feed.xml');
    for (const fixed of ['/', '/participanten', '/feed.xml', '/sitemap.xml', '/api/site']) {
      expect(readQuery(url(`${fixed}${query}`)), fixed).toBe('');
    }
  });

  it('leave Workers Cache its own URL key where nothing is cached by page rules', () => {
    expect(workersCacheKey(url('/deel/x/linkedin?instance=a'))).toBe('');
    expect(workersCacheKey(url('/og/x.0123456789abcdef.png?v=1'))).toBe('');
  });
});
