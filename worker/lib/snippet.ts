/**
 * Search snippets made in the Worker from the text of a result, not by FTS5's snippet(): that one
 * re-reads the match for every row it is asked for (and the index is contentless). What counts as a
 * match is the index's own rule (schema/search-terms.ts, wordMatcher): words as written, their stems,
 * compound parts and glossary forms.
 */
import { fold, type WordMatch } from '../../schema/search-terms.ts';

// Combining marks belong to their word (a decomposed "ë"), as the index folds them away.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/**
 * A window of about `size` words of `text` with the most distinct query words, each match between
 * `start` and `end` markers and "…" where the text is cut; the text's beginning when nothing matches.
 * A compound is marked only where the query word stands in it, when folding kept its length.
 */
export function makeSnippet(
  text: string,
  match: (folded: string) => WordMatch,
  markers: { start: string; end: string },
  size = 24,
): string {
  const tokens = [...text.matchAll(WORD)].map((m) => {
    const folded = fold(m[0]);
    const found = match(folded);
    const exact = found && folded.length === m[0].length;
    return {
      index: m.index,
      length: m[0].length,
      hit: found ? found.hit : -1,
      from: exact ? found.from : 0,
      to: exact ? found.to : m[0].length,
    };
  });
  if (tokens.length === 0) return '';

  // The window that holds the most different query words; the first such window wins.
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.hit === -1 && i > 0) continue;
    const seen = new Set(
      tokens
        .slice(i, i + size)
        .map((t) => t.hit)
        .filter((hit) => hit >= 0),
    );
    if (seen.size > bestScore) {
      best = i;
      bestScore = seen.size;
    }
  }
  // Start a few words before the first match, so it has some context.
  const first = Math.max(0, Math.min(best - 3, tokens.length - size));
  const window = tokens.slice(first, first + size);
  const from = first === 0 ? 0 : (window[0]?.index ?? 0);
  const last = window[window.length - 1];
  const to = first + size >= tokens.length ? text.length : last ? last.index + last.length : text.length;

  let out = first === 0 ? '' : '…';
  let at = from;
  for (const token of window) {
    if (token.hit < 0) continue;
    const start = token.index + token.from;
    const end = token.index + token.to;
    out += text.slice(at, start) + markers.start + text.slice(start, end) + markers.end;
    at = end;
  }
  out += text.slice(at, to);
  return (out + (to < text.length ? '…' : '')).replace(/\s+/g, ' ').trim();
}
