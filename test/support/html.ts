/** Visible text of an HTML fragment, entities decoded and whitespace folded, for "does the page say X" checks. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<\/?(a|mark|span|time|strong|em|abbr)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#\d+|#x[\da-f]+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
      const named: Record<string, string> = {
        amp: '&',
        lt: '<',
        gt: '>',
        quot: '"',
        apos: "'",
        nbsp: '\u00a0',
      };
      if (e[0] !== '#') return named[e.toLowerCase()] ?? '';
      return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Attribute values of every element matching a simple `tag[attr]` selector, in order. */
export function attributes(html: string, tag: string, attr: string): string[] {
  const out: string[] = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${attr}="([^"]*)"`, 'g')))
    out.push(match[1] ?? '');
  return out;
}

/** The inner HTML of the first element with the given id (non-nested elements only). */
export function section(html: string, tag: string, className: string): string {
  const match = new RegExp(
    `<${tag}[^>]*class="[^"]*\\b${className}\\b[^"]*"[^>]*>([\\s\\S]*?)</${tag}>`,
  ).exec(html);
  return match?.[1] ?? '';
}
