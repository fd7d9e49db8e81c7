import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGlossary, readGlossary } from '../pipeline/glossary.ts';
import { ROOT } from './support/cli.ts';

const F = 'glossary.yaml';

describe('the glossary document', () => {
  it('content-seed/glossary.yaml is valid and names the participants and the ministries of the articles', async () => {
    const result = await readGlossary(join(ROOT, 'content-seed'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const terms = result.entries.map((entry) => entry.term);
    for (const term of [
      'BZK',
      'SZW',
      'VNG',
      'IPO',
      'NFU',
      'VSNU',
      'PO-Raad',
      'VO-raad',
      'MBO Raad',
      'WVOI',
    ]) {
      expect(terms).toContain(term);
    }
  });

  it('reads entries, trimmed', () => {
    expect(parseGlossary('- term: " BZK "\n  names: [Binnenlandse Zaken]\n', F)).toEqual({
      ok: true,
      entries: [{ term: 'BZK', names: ['Binnenlandse Zaken'] }],
    });
    expect(parseGlossary('', F)).toEqual({ ok: true, entries: [] });
  });

  it.each([
    ['- term: BZK\n  names: []\n', 2, 'names: must name at least one name'],
    ['- term: BZK\n', 1, 'names: is missing'],
    ['- term: BZK\n  names: [a]\n  extra: 1\n', 3, 'extra: unknown key: an entry has only term and names'],
    ['- term: ""\n  names: [a]\n', 1, 'term: must not be empty'],
    ['- term: "-–"\n  names: [a]\n', 1, 'term: must hold at least one letter or digit'],
    ['- term: BZK\n  names: [a]\n- term: bzk\n  names: [b]\n', 3, 'term "bzk" is already an entry (line 1)'],
    ['- [BZK]\n', 1, 'term: is missing'],
    ['- BZK\n', 1, 'an entry is a mapping with term and names'],
    ['term: BZK\n', 1, 'the glossary is a list of entries (- term: …, names: […])'],
    ['- term: BZK\n  names: [a\n', 3, 'not valid YAML'],
    ['- term: BZK\n  term: SZW\n  names: [a]\n', 2, 'not valid YAML: Map keys must be unique'],
    ['- term: &t BZK\n  names: [*t]\n', 1, 'not valid YAML: aliases (*name) are not allowed'],
  ])('refuses %j at line %i: %s', (text, line, message) => {
    const result = parseGlossary(text, F);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.line).toBe(line);
    expect(result.problems[0]?.message).toContain(message);
    expect(result.problems[0]?.file).toBe(F);
  });
});
