const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe inside an element or a quoted attribute, of both HTML and XML: the API's search
 * snippets (HTML) and the feed and sitemap (XML). `'` becomes the numeric `&#39;`, which both
 * languages read (XML 1.0 §4.1), unlike `&apos;`, which HTML 4 does not know.
 */
export const escapeMarkup = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
