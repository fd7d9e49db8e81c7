export type TextSegment = { text: string; href?: string };

// URLs (http, https, or starting with www.) and e-mail addresses in plain text. Written by hand rather
// than with linkify-it: that library brings full Unicode tables (a large part of the Worker bundle) to
// recognise far more than we need, and here the rule is narrow on purpose: only http(s) and mailto
// links are ever made, so no other scheme (javascript:, data:) can come out of a document.
// A URL or www. host starts a word: not after a letter, digit or one of . _ - @ / (\b alone is ASCII-only,
// so "éwww.x.nl" or "info.www.x.nl" would otherwise link the middle of a word or host). A bare www.
// host needs a domain after it (www.werk.nl), so that "www." on its own or "www.nl" in a sentence stays
// text; an e-mail address such as info@www.werk.nl is matched whole by the last alternative first.
const PATTERN =
  /(?<![\p{L}\p{N}._@/-])(?:https?:\/\/[^\s<>"'‘’“”]+|www\.(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?::\d+)?(?:[/?#][^\s<>"'‘’“”]*)?)|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Punctuation that ends a sentence rather than the URL.
const TRAILING = /[.,;:!?)\]]+$/;

/** Splits text into plain segments and link segments (`href` set) for rendering. */
export function linkify(text: string): TextSegment[] {
  // Every match holds `http`, `www.` or `@`: text without them (most of it) is one segment, without
  // running the pattern, whose Unicode classes and lookbehind make it the costliest part of a page.
  if (!text.includes('http') && !text.includes('www.') && !text.includes('@')) return text ? [{ text }] : [];
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(PATTERN)) {
    let value = match[0];
    const start = match.index ?? 0;
    if (!value.includes('@') || value.startsWith('http') || value.startsWith('www.')) {
      // Keep a closing parenthesis that belongs to the URL, e.g. …/Banen_(2019).
      const trailing = TRAILING.exec(value)?.[0] ?? '';
      let cut = trailing.length;
      if (trailing.startsWith(')') && value.slice(0, -cut).includes('(')) cut = trailing.length - 1;
      value = value.slice(0, value.length - cut);
    }
    if (value === '' || value === 'www.') continue;
    if (start > last) segments.push({ text: text.slice(last, start) });
    const href =
      value.includes('@') && !/^(https?:\/\/|www\.)/.test(value)
        ? `mailto:${value}`
        : value.startsWith('www.')
          ? `https://${value}`
          : value;
    segments.push({ text: value, href });
    last = start + value.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
