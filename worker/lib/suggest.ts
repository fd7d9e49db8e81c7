/**
 * "Bedoelde u …?": for a query that finds nothing (or little), the closest words of the index for the
 * words it does not hold. Candidates come from the trigram vocabulary (the same batch as the search);
 * here they are measured by edit distance, so that one typo in a short word and two in a long one
 * (`banenafsrpaak` → `banenafspraak`: one transposition) are forgiven.
 */
import type { QueryPlan } from '../../schema/search-terms.ts';

export interface VocabularyRow {
  /** Index of the query word the row is a candidate for. */
  word: number;
  term: string;
  /** Articles holding the term; -1 marks "the query word itself is a word of the index". */
  docs: number;
}

/** Candidates asked per query word, and how many words of a query get suggestions. */
export const SUGGEST_CANDIDATES = 20;
export const SUGGEST_WORDS = 4;
/** Trigrams need three letters; a typo in a word of three letters is anyone's guess. */
export const SUGGEST_MIN_LENGTH = 4;

/** The optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The FTS5 expression of a word's trigrams (letters and digits only, quoted). */
export function trigramQuery(word: string): string {
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= word.length; i++) grams.add(`"${word.slice(i, i + 3)}"`);
  return [...grams].join(' OR ');
}

/**
 * The suggested query (at most one), or none: offered when the query found nothing, or found fewer
 * articles than a closer word is in. Words the index holds are kept as typed.
 */
export function suggestQuery(
  plan: QueryPlan,
  typed: string[],
  rows: VocabularyRow[],
  total: number,
): string[] {
  let changed = false;
  const words = plan.words.map(({ word }, i) => {
    const own = rows.filter((row) => row.word === i);
    if (word.length < SUGGEST_MIN_LENGTH || own.some((row) => row.docs < 0 || row.term === word)) {
      return typed[i] ?? word;
    }
    const allowed = word.length <= 5 ? 1 : 2;
    const best = own
      .map((row) => ({ ...row, distance: editDistance(word, row.term) }))
      .filter((row) => row.distance <= allowed && (total === 0 || row.docs > total))
      .sort((a, b) => a.distance - b.distance || b.docs - a.docs || a.term.localeCompare(b.term))[0];
    if (!best) return typed[i] ?? word;
    changed = true;
    return best.term;
  });
  return changed ? [words.join(' ')] : [];
}
