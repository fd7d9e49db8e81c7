import { describe, expect, it } from 'vitest';
import { fold, type GlossaryEntry, queryPlan, queryWords, wordMatcher } from '../schema/search-terms.ts';
import { makeSnippet } from '../worker/lib/snippet.ts';

const M = { start: '[', end: ']' };
/** The matcher of a query given as its words, with an optional glossary. */
const q = (words: string[], glossary: GlossaryEntry[] = []) => {
  const plan = queryPlan(words.join(' '));
  if (!plan) throw new Error('no words');
  return wordMatcher(plan, glossary);
};

describe('search snippets', () => {
  it('folds case and diacritics like the index', () => {
    expect(fold('Creëren Één café')).toBe('creeren een cafe');
    expect(queryWords('  "creeren" OR -banen* (x) ')).toEqual(['creeren', 'OR', 'banen', 'x']);
  });

  it('marks every word that starts with a query word, ignoring diacritics', () => {
    expect(makeSnippet('Het creëren van banen en Banenafspraak.', q(['creeren', 'banen']), M)).toBe(
      'Het [creëren] van [banen] en [Banenafspraak].',
    );
  });

  it('cuts a long text around the best window, with ellipses where it was cut', () => {
    const words = Array.from({ length: 100 }, (_, i) => `woord${i}`);
    words[60] = 'werkgever';
    words[62] = 'banen';
    const snippet = makeSnippet(words.join(' '), q(['werkgever', 'banen']), M, 10);
    expect(snippet.startsWith('…woord57 woord58 woord59 [werkgever] woord61 [banen]')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.split(' ')).toHaveLength(10);
  });

  it('prefers the window holding the most different query words', () => {
    const text = `banen ${'x '.repeat(40)}werkgevers en banen samen ${'y '.repeat(40)}einde`;
    expect(makeSnippet(text, q(['banen', 'werkgevers']), M, 8)).toContain('[werkgevers] en [banen]');
  });

  it('marks stems whole and compound parts where they stand, diacritics ignored', () => {
    expect(makeSnippet('Er komen 125.000 banen bij.', q(['baan']), M)).toBe('Er komen 125.000 [banen] bij.');
    expect(makeSnippet('De Banenafspraak en overheidswerkgevers.', q(['afspraak', 'werkgever']), M)).toBe(
      'De Banen[afspraak] en overheids[werkgever]s.',
    );
    // Folding changed the length (a decomposed ë): the whole word is marked.
    expect(makeSnippet('Het cree\u0308ren.', q(['reeren']), M)).toBe('Het [cree\u0308ren].');
  });

  it('marks the other forms of a glossary entry the query names', () => {
    const bzk = { term: 'BZK', names: ['Binnenlandse Zaken en Koninkrijksrelaties', 'Binnenlandse Zaken'] };
    expect(
      makeSnippet('Het ministerie van Binnenlandse Zaken en Koninkrijksrelaties.', q(['BZK'], [bzk]), M),
    ).toBe('Het ministerie van [Binnenlandse] [Zaken] en [Koninkrijksrelaties].');
    expect(makeSnippet('De bewindslieden van BZK.', q(['Binnenlandse', 'Zaken'], [bzk]), M)).toBe(
      'De bewindslieden van [BZK].',
    );
  });

  it('shows the beginning when nothing matches, and nothing for an empty text', () => {
    expect(makeSnippet('Een korte tekst.', q(['ander']), M)).toBe('Een korte tekst.');
    expect(makeSnippet('', q(['ander']), M)).toBe('');
  });
});
