/**
 * Whether robots.txt lets a crawler fetch a path, as RFC 9309 says a crawler decides it: the groups
 * whose user-agent matches its product token (else those of `*`), merged; the rule with the longest
 * matching path wins, `allow` on a tie; `*` matches any run of characters and `$` ends the path.
 */

interface Rule {
  allow: boolean;
  path: string;
}

/** RFC 9309 §2.2.2: a path pattern, `*` for any characters, `$` at the end for the end of the path. */
function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}${anchored ? '$' : ''}`).test(path);
}

/** The rules of the groups for `token` (case-insensitive), or of `*` when no group names it. */
function rulesFor(robots: string, token: string): Rule[] {
  const groups: { agents: string[]; rules: Rule[] }[] = [];
  let current: { agents: string[]; rules: Rule[] } | null = null;
  let lastWasAgent = false;
  for (const raw of robots.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else if ((key === 'allow' || key === 'disallow') && current) {
      // An empty disallow allows everything: it is no rule at all.
      if (value !== '') current.rules.push({ allow: key === 'allow', path: value });
      lastWasAgent = false;
    } else {
      lastWasAgent = false;
    }
  }
  const named = groups.filter((group) => group.agents.includes(token.toLowerCase()));
  const chosen = named.length > 0 ? named : groups.filter((group) => group.agents.includes('*'));
  return chosen.flatMap((group) => group.rules);
}

/** RFC 9309 §2.2.2: whether `path` (path and query, percent-encoded as sent) may be fetched. */
export function robotsAllow(robots: string, token: string, path: string): boolean {
  if (path === '/robots.txt') return true;
  let best: Rule | null = null;
  for (const rule of rulesFor(robots, token)) {
    if (!matches(rule.path, path)) continue;
    const longer = !best || rule.path.length > best.path.length;
    const tie = best && rule.path.length === best.path.length;
    if (longer || (tie && rule.allow)) best = rule;
  }
  return best?.allow ?? true;
}
