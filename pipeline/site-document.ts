import * as v from 'valibot';
import { SiteDocument, type SitePart } from '../schema/site-document.ts';
import type { DocumentProblem } from './parse-result.ts';
import { readYamlMapping } from './yaml-source.ts';

/** A valid site document: its parts (null where it leaves one out) and the line of each. */
export interface ParsedSite {
  file: string;
  parts: {
    about: string | null;
    featured: { title: string; text: string } | null;
    participants: string[] | null;
  };
  lines: Record<SitePart, number>;
  /** Where the sidebar's "Lees verder" links lead (null: the stand-in pages), with their lines. */
  links: { about: string | null; featured: string | null };
  /** The news sections besides the default one, in order, each with its line. */
  sections: { path: string; title: string; line: number }[];
  /** The menu as written (null: none, the seed makes one), each item with its line. */
  menu: MenuEntry[] | null;
  /** Line of each key: `about.url`, `featured.url`, `menu`, `sections` … for problems about them. */
  keyLines: Record<string, number>;
}

interface MenuEntry {
  label: string;
  path: string;
  line: number;
  children: { label: string; path: string; line: number }[];
}

export type SiteParseResult = { ok: true; site: ParsedSite } | { ok: false; problems: DocumentProblem[] };

/**
 * Reads the site document: the same byte-level rules as every document (UTF-8, size, control
 * characters), then YAML, then the valibot contract; each problem at its line.
 */
export function parseSiteDocument(input: string | Uint8Array, file: string): SiteParseResult {
  // An empty file is a site document that leaves every part to the documents. (A list would be an
  // object to valibot, whose strict object would call each index an unknown key.)
  const read = readYamlMapping(
    input,
    file,
    'the site document must be a mapping of about, featured, participants, sections and menu',
  );
  if (!read.ok) return read;
  const { value, yaml } = read;
  const result = v.safeParse(SiteDocument, value);
  if (!result.success) {
    return {
      ok: false,
      problems: result.issues.map((issue) => {
        const path = (issue.path ?? []).map((item) => item.key as string | number);
        // An unknown key is reported at the key, a missing one at the key of the mapping that
        // lacks it, and a wrong value at the value.
        const own = issue.type === 'strict_object';
        const line =
          own && issue.expected === 'never'
            ? yaml.lineOf(path, true)
            : own && issue.expected?.startsWith('"')
              ? yaml.lineOf(path.slice(0, -1), true)
              : yaml.lineOf(path);
        return { file, line, message: issue.message };
      }),
    };
  }
  const site = result.output;
  const about = typeof site.about === 'object' ? site.about : null;
  const menu =
    site.menu?.map((item, i) => ({
      label: item.label,
      path: item.path,
      line: yaml.lineOf(['menu', i]),
      children: (item.children ?? []).map((child, k) => ({
        ...child,
        line: yaml.lineOf(['menu', i, 'children', k]),
      })),
    })) ?? null;
  return {
    ok: true,
    site: {
      file,
      parts: {
        about: about ? about.text : typeof site.about === 'string' ? site.about : null,
        featured: site.featured ? { title: site.featured.title, text: site.featured.text } : null,
        participants: site.participants ?? null,
      },
      links: { about: about?.url ?? null, featured: site.featured?.url ?? null },
      sections: (site.sections ?? []).map((section, i) => ({
        ...section,
        line: yaml.lineOf(['sections', i]),
      })),
      menu,
      keyLines: {
        'about.url': yaml.lineOf(['about', 'url']),
        'featured.url': yaml.lineOf(['featured', 'url']),
        sections: yaml.lineOf(['sections'], true),
        menu: yaml.lineOf(['menu'], true),
      },
      lines: {
        about: yaml.lineOf(['about'], true),
        featured: yaml.lineOf(['featured'], true),
        participants: yaml.lineOf(['participants'], true),
      },
    },
  };
}
