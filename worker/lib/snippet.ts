/**
 * Search snippets made in the Worker from the text of a result, not by FTS5's snippet(): that one
 * re-reads the match for every row it is asked for, and cost 20 ms for 50 results among 10,000
 * matching articles, more than the whole page. Matching follows the index: words of letters and
 * digits, diacritics and case ignored (unicode61 remove_diacritics 2), each query word a prefix.
 */

/** Lowercase, without diacritics: "Creëren" → "creeren". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a visitor's query, as the index sees them. */
export function queryWords(input: string): string[] {
  return (input.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A window of about `size` words of `text` with the most distinct query words, each match between
 * `start` and `end` markers and "…" where the text is cut; the text's beginning when nothing matches.
 */
export function makeSnippet(
  text: string,
  words: string[],
  markers: { start: string; end: string },
  size = 24,
): string {
  const prefixes = words.map(fold);
  const tokens = [...text.matchAll(WORD)].map((m) => {
    const folded = fold(m[0]);
    const hit = prefixes.findIndex((prefix) => folded.startsWith(prefix));
    return { index: m.index, length: m[0].length, hit };
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
    out +=
      text.slice(at, token.index) +
      markers.start +
      text.slice(token.index, token.index + token.length) +
      markers.end;
    at = token.index + token.length;
  }
  out += text.slice(at, to);
  return (out + (to < text.length ? '…' : '')).replace(/\s+/g, ' ').trim();
}
