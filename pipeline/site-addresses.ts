import {
  addressKey,
  addressProblem,
  ancestorKeys,
  articlePath,
  DEFAULT_SECTION,
  DEFAULT_SECTION_TITLE,
  parentKey,
} from '../schema/addresses.ts';
import type { DocumentProblem, ParsedArticle, ParsedPage } from './parse-result.ts';
import type { Redirect } from './redirects-document.ts';
import type { ParsedSite } from './site-document.ts';

/**
 * The site's addresses as the documents, site.yaml and redirects.yaml make them, checked as a whole:
 * every article in a known section, every page address taken once, the indexes the tree needs, the
 * menu and the sidebar links leading to something that answers, and every redirect from an address no
 * document owns to one that answers, without chains. What the seed writes besides the documents.
 */

/** The fixed pages of the site (worker/routes): a menu item, a link or a redirect may lead there. */
const FIXED_PAGES: { path: string; label: string }[] = [
  { path: '/', label: 'Home' },
  { path: '/participanten', label: 'Participanten' },
  { path: '/over-vso', label: 'Over VSO Werkgevers' },
  { path: '/zelfstandige-publieke-werkgevers', label: 'Zelfstandige Publieke Werkgevers' },
  { path: '/zoeken', label: 'Zoeken' },
];

interface SectionRow {
  path: string;
  title: string;
  position: number;
}
interface IndexPage {
  path: string;
  key: string;
  parent: string | null;
  title: string;
}
interface MenuItem {
  label: string;
  path: string;
  children?: { label: string; path: string }[];
}

export interface SiteStructure {
  /** Sections besides the default one, in the order of site.yaml. */
  sections: SectionRow[];
  /** An index for every address above a page or section that has no document of its own. */
  indexes: IndexPage[];
  menu: MenuItem[];
  links: { about: string | null; featured: string | null };
  redirects: { path: string; target: string }[];
}

/** A segment as a title: `markt-en-overheid` → "Markt en overheid". */
const segmentTitle = (key: string) => {
  const words = (key.slice(key.lastIndexOf('/') + 1) || key).replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function siteStructure(
  articles: ParsedArticle[],
  pages: ParsedPage[],
  site: ParsedSite | null,
  redirects: { file: string; redirects: Redirect[] } | null,
): { ok: true; structure: SiteStructure } | { ok: false; problems: DocumentProblem[] } {
  const problems: DocumentProblem[] = [];
  const siteFile = site?.file ?? 'site.yaml';

  // Sections: the default one and those site.yaml lists, each path once and of the site's form.
  const sections = new Map<string, string>([[DEFAULT_SECTION, DEFAULT_SECTION_TITLE]]);
  const sectionRows: SectionRow[] = [];
  for (const section of site?.sections ?? []) {
    const problem = addressProblem(section.path, 'the section path');
    const path = addressKey(section.path);
    if (problem) problems.push({ file: siteFile, line: section.line, message: problem });
    else if (sections.has(path)) {
      const what = path === DEFAULT_SECTION ? 'the default section, which is always there' : 'listed twice';
      problems.push({ file: siteFile, line: section.line, message: `the section ${path} is ${what}` });
    } else {
      sections.set(path, section.title);
      sectionRows.push({ path, title: section.title, position: sectionRows.length });
    }
  }

  // Every address a document owns, by key, with where it is owned.
  const owners = new Map<string, string>();
  const own = (key: string, at: string, file: string, line: number) => {
    const first = owners.get(key);
    if (first) problems.push({ file, line, message: `the address ${key} is also ${first}` });
    else owners.set(key, at);
  };
  for (const [path] of sections) owners.set(path, `the section ${path}`);
  for (const item of articles) {
    const { article } = item.document;
    const line = item.frontLines?.url ?? item.frontLines?.section ?? item.titleLine;
    if (!sections.has(article.section)) {
      const known = [...sections.keys()].join(', ');
      problems.push({
        file: item.file,
        line,
        message: `the section ${article.section} is not a section of the site (${known}); list it under sections: in site.yaml`,
      });
      continue;
    }
    owners.set(articlePath(article), `the article of ${item.file}:${item.titleLine}`);
  }
  for (const item of pages) {
    const key = addressKey(item.document.page.path);
    const line = item.frontLines?.url ?? item.titleLine;
    own(key, `the page of ${item.file}:${line}`, item.file, line);
  }

  // The indexes the tree needs: every address above a public page, so that no breadcrumb leads to a
  // 404. (Not above a section alone: a section's list shows no breadcrumbs, and an index only a
  // section hangs under would be a page no link leads to.)
  const served = new Map<string, string>(); // key → the path as served
  for (const fixed of FIXED_PAGES) served.set(fixed.path, fixed.path);
  for (const [path] of sections) served.set(path, path);
  const publicPages = pages.filter((item) => !item.document.publishing.draft);
  for (const item of publicPages) served.set(addressKey(item.document.page.path), item.document.page.path);
  const titles = menuTitles(site);
  const indexes: IndexPage[] = [];
  const above = publicPages.map((item) => item.document.page.path);
  for (const key of new Set(above.flatMap(ancestorKeys))) {
    if (owners.has(key) || served.has(key)) continue;
    const path = `${key}/`;
    indexes.push({ path, key, parent: parentKey(key), title: titles.get(key) ?? segmentTitle(key) });
    served.set(key, path);
  }
  for (const item of articles) {
    if (sections.has(item.document.article.section)) {
      const path = articlePath(item.document.article);
      served.set(path, path);
    }
  }

  // Where a link of site.yaml leads: the address as it is served (either form may be written).
  const resolve = (path: string, what: string, line: number): string | null => {
    const target = served.get(addressKey(path));
    if (target !== undefined) return target;
    const draft = pages.find((item) => addressKey(item.document.page.path) === addressKey(path));
    problems.push({
      file: siteFile,
      line,
      message: draft
        ? `${what} ${path} is a draft (${draft.file}): it answers only once it is published`
        : `${what} ${path} leads to no page of this site`,
    });
    return null;
  };
  const links = {
    about: site?.links.about ? resolve(site.links.about, 'about.url', site.keyLines['about.url'] ?? 1) : null,
    featured: site?.links.featured
      ? resolve(site.links.featured, 'featured.url', site.keyLines['featured.url'] ?? 1)
      : null,
  };
  const menu = site?.menu
    ? site.menu.map((item) => ({
        label: item.label,
        path: resolve(item.path, 'the menu item', item.line) ?? item.path,
        ...(item.children.length > 0 && {
          children: item.children.map((child) => ({
            label: child.label,
            path: resolve(child.path, 'the menu item', child.line) ?? child.path,
          })),
        }),
      }))
    : fallbackMenu(sections, publicPages, indexes);

  const redirectRows = checkRedirects(redirects, owners, served, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, structure: { sections: sectionRows, indexes, menu, links, redirects: redirectRows } };
}

/** The label the menu gives each address (by key), to title the indexes it names. */
function menuTitles(site: ParsedSite | null): Map<string, string> {
  const titles = new Map<string, string>();
  for (const item of site?.menu ?? []) {
    titles.set(addressKey(item.path), item.label);
    for (const child of item.children) titles.set(addressKey(child.path), child.label);
  }
  return titles;
}

/**
 * The menu of a site.yaml without `menu:`: home, the news sections, the top-level pages and indexes
 * (by their order, then title), the participants and search: every part of the site one click away.
 */
function fallbackMenu(sections: Map<string, string>, pages: ParsedPage[], indexes: IndexPage[]): MenuItem[] {
  const top = [
    ...pages
      .filter((item) => parentKey(item.document.page.path) === null)
      .map((item) => ({ ...item.document.page, label: item.document.page.title })),
    ...indexes
      .filter((index) => index.parent === null)
      .map((index) => ({ ...index, label: index.title, position: null })),
  ].sort(
    (a, b) =>
      (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) ||
      a.label.localeCompare(b.label, 'nl'),
  );
  return [
    { label: 'Home', path: '/' },
    ...[...sections].map(([path, title]) => ({ label: title, path })),
    ...top.map((item) => ({ label: item.label, path: item.path })),
    { label: 'Participanten', path: '/participanten' },
    { label: 'Zoeken', path: '/zoeken' },
  ];
}

/**
 * redirects.yaml against the site: an old address no document, section or index owns, sent to one
 * that answers, never to another redirect (so a visitor gets exactly one 301). The target is stored
 * as it is served.
 */
function checkRedirects(
  redirects: { file: string; redirects: Redirect[] } | null,
  owners: Map<string, string>,
  served: Map<string, string>,
  problems: DocumentProblem[],
): { path: string; target: string }[] {
  if (!redirects) return [];
  const sources = new Set(redirects.redirects.map((r) => r.from));
  const rows: { path: string; target: string }[] = [];
  for (const redirect of redirects.redirects) {
    const at = { file: redirects.file, line: redirect.line };
    const owner = owners.get(redirect.from) ?? (served.has(redirect.from) ? `an index of the site` : null);
    if (owner) {
      problems.push({
        ...at,
        message: `${redirect.from} is ${owner}: an address in use cannot be redirected`,
      });
      continue;
    }
    const key = addressKey(redirect.to);
    if (sources.has(key)) {
      problems.push({
        ...at,
        message: `${redirect.to} is itself redirected in this file: send ${redirect.from} straight to where that leads`,
      });
      continue;
    }
    const target = served.get(key);
    if (target === undefined) {
      problems.push({ ...at, message: `${redirect.to} leads to no page of this site` });
      continue;
    }
    rows.push({ path: redirect.from, target });
  }
  return rows;
}
