import { describe, expect, it } from 'vitest';
import { fold, makeSnippet, queryWords } from '../worker/lib/snippet.ts';

const M = { start: '[', end: ']' };

describe('search snippets', () => {
  it('folds case and diacritics like the index', () => {
    expect(fold('Creëren Één café')).toBe('creeren een cafe');
    expect(queryWords('  "creeren" OR -banen* (x) ')).toEqual(['creeren', 'OR', 'banen', 'x']);
  });

  it('marks every word that starts with a query word, ignoring diacritics', () => {
    expect(makeSnippet('Het creëren van banen en Banenafspraak.', ['creeren', 'banen'], M)).toBe(
      'Het [creëren] van [banen] en [Banenafspraak].',
    );
  });

  it('cuts a long text around the best window, with ellipses where it was cut', () => {
    const words = Array.from({ length: 100 }, (_, i) => `woord${i}`);
    words[60] = 'werkgever';
    words[62] = 'banen';
    const snippet = makeSnippet(words.join(' '), ['werkgever', 'banen'], M, 10);
    expect(snippet.startsWith('…woord57 woord58 woord59 [werkgever] woord61 [banen]')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.split(' ')).toHaveLength(10);
  });

  it('prefers the window holding the most different query words', () => {
    const text = `banen ${'x '.repeat(40)}werkgevers en banen samen ${'y '.repeat(40)}einde`;
    expect(makeSnippet(text, ['banen', 'werkgevers'], M, 8)).toContain('[werkgevers] en [banen]');
  });

  it('shows the beginning when nothing matches, and nothing for an empty text', () => {
    expect(makeSnippet('Een korte tekst.', ['ander'], M)).toBe('Een korte tekst.');
    expect(makeSnippet('', ['ander'], M)).toBe('');
  });
});
