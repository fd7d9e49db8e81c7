import { describe, expect, it } from 'vitest';
import { linkify } from '../worker/lib/linkify.ts';

const links = (text: string) => linkify(text).filter((s) => s.href);

describe('linkify', () => {
  it('leaves text without http, www. or @ one plain segment (and empty text none)', () => {
    const text = 'Werkgevers in het publieke domein: één afspraak, 125.000 banen. Zie verder.';
    expect(linkify(text)).toEqual([{ text }]);
    expect(linkify('')).toEqual([]);
    // One of the three is enough to look for links, also when none is a link after all.
    expect(linkify('Geen link: www. en @ alleen')).toEqual([{ text: 'Geen link: www. en @ alleen' }]);
  });

  it('links e-mail addresses with mailto:, leaving the closing full stop outside', () => {
    const text = 'Het mailadres is kennisalliantiebanenafspraak@minbzk.nl.';
    expect(linkify(text)).toEqual([
      { text: 'Het mailadres is ' },
      {
        text: 'kennisalliantiebanenafspraak@minbzk.nl',
        href: 'mailto:kennisalliantiebanenafspraak@minbzk.nl',
      },
      { text: '.' },
    ]);
  });

  it('links http(s) and www. URLs, without trailing punctuation, keeping balanced parentheses', () => {
    expect(links('Zie https://www.vso.nl/banen, of (http://example.org/a).')).toEqual([
      { text: 'https://www.vso.nl/banen', href: 'https://www.vso.nl/banen' },
      { text: 'http://example.org/a', href: 'http://example.org/a' },
    ]);
    expect(links('Kijk op www.overheid.nl!')).toEqual([
      { text: 'www.overheid.nl', href: 'https://www.overheid.nl' },
    ]);
    expect(links('https://nl.wikipedia.org/wiki/Banen_(2019) is een bron')).toEqual([
      {
        text: 'https://nl.wikipedia.org/wiki/Banen_(2019)',
        href: 'https://nl.wikipedia.org/wiki/Banen_(2019)',
      },
    ]);
  });

  it('links a bare www. host with a path as https://, leaving the closing full stop outside', () => {
    expect(linkify('Meer op www.werk.nl/banenafspraak.')).toEqual([
      { text: 'Meer op ' },
      { text: 'www.werk.nl/banenafspraak', href: 'https://www.werk.nl/banenafspraak' },
      { text: '.' },
    ]);
    expect(links('Zie “www.werk.nl:8080/a?b=c#d”, of (www.uwv.nl).')).toEqual([
      { text: 'www.werk.nl:8080/a?b=c#d', href: 'https://www.werk.nl:8080/a?b=c#d' },
      { text: 'www.uwv.nl', href: 'https://www.uwv.nl' },
    ]);
  });

  it('does not link www. inside a word, a host, a path or an e-mail address, nor www. without a domain', () => {
    for (const text of [
      'éwww.werk.nl',
      'info.www.werk.nl',
      'pad/www.werk.nl',
      'www. is geen host',
      'www.nl',
    ]) {
      expect(links(text), text).toEqual([]);
    }
    expect(links('Mail info@www.werk.nl.')).toEqual([
      { text: 'info@www.werk.nl', href: 'mailto:info@www.werk.nl' },
    ]);
    expect(links('Op https://www.werk.nl/a staat het')).toEqual([
      { text: 'https://www.werk.nl/a', href: 'https://www.werk.nl/a' },
    ]);
  });

  it('never makes a link of another scheme', () => {
    const segments = linkify('javascript:alert(1) data:text/html,x ftp://host/file vbscript:x');
    expect(segments.filter((s) => s.href)).toEqual([]);
    expect(segments.map((s) => s.text).join('')).toBe(
      'javascript:alert(1) data:text/html,x ftp://host/file vbscript:x',
    );
  });

  it('keeps all text: joining the segments gives the input back', () => {
    const text = 'Mail info@vso.nl of bel; zie https://vso.nl/a?b=c&d=e#f. Of www.werk.nl/x! Klaar.';
    expect(
      linkify(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });
});
