import * as v from 'valibot';
import { text } from './blocks.ts';
import { listedOnce } from './listed-once.ts';

/**
 * The site document (content-seed/site.yaml): the site-wide blocks in one place an editor can find,
 * instead of the copies of the page chrome that scraped documents carry. Each part is optional; a
 * part it leaves out comes from the documents' chrome, as without a site document.
 */

/** The file name of the site document in a content folder. */
export const SITE_DOCUMENT = 'site.yaml';

/** The site parts, as the sidebar shows them; the same three whether from a document or site.yaml. */
export type SitePart = 'about' | 'featured' | 'participants';

/**
 * The message of a strict object's own issues: not a mapping at all (expected "Object"), a key it
 * does not know (expected "never", the key in issue.input), or a key it needs (expected '"key"').
 */
const mapping = (what: string, keys: string) => (issue: v.StrictObjectIssue) =>
  issue.expected === 'Object'
    ? `${what} must be a mapping of ${keys}`
    : issue.expected === 'never'
      ? `unknown key "${String(issue.input)}" in ${what}: expected ${keys}`
      : `${what} has no ${issue.expected}: expected ${keys}`;

/** A path of this site a link leads to; whether something answers there is checked with the documents. */
const SitePath = (what: string) =>
  v.pipe(
    v.string(`${what} must be a path of this site, e.g. /organisatie/achtergrond/`),
    v.trim(),
    v.check(
      (path) => path.startsWith('/') && !path.startsWith('//') && !/[?#\s]/.test(path),
      (issue) =>
        `${what} "${issue.input}" must be a path of this site, starting with one "/" (no host, query or spaces)`,
    ),
  );

/** The most items a menu level may have, and the most sections: beyond that no visitor reads them. */
const MAX_MENU_ITEMS = 12;
const MAX_SECTIONS = 20;

const MenuItem = v.strictObject(
  {
    label: text('a menu label ("label")'),
    path: SitePath('a menu path ("path")'),
  },
  mapping('a menu item', 'label and path'),
);

export const SiteDocument = v.strictObject(
  {
    /** The about blurb; as a mapping it also says where its "Lees verder" leads (`url`). */
    about: v.optional(
      v.union(
        [
          text('the about blurb ("about")'),
          v.strictObject(
            { text: text('the about blurb ("about.text")'), url: v.optional(SitePath('"about.url"')) },
            mapping('"about"', 'text and url'),
          ),
        ],
        'about must be the blurb, or a mapping of text and url',
      ),
    ),
    featured: v.optional(
      v.strictObject(
        {
          title: text('the featured title ("featured.title")'),
          text: text('the featured blurb ("featured.text")'),
          url: v.optional(SitePath('"featured.url"')),
        },
        mapping('"featured"', 'title, text and url'),
      ),
    ),
    /** News sections besides /banenafspraak/nieuws: each a path and a title. */
    sections: v.optional(
      v.pipe(
        v.array(
          v.strictObject(
            { path: SitePath('a section path ("path")'), title: text('a section title ("title")') },
            mapping('a section', 'path and title'),
          ),
          'sections must be a list of path and title',
        ),
        v.maxLength(MAX_SECTIONS, `at most ${MAX_SECTIONS} sections`),
      ),
    ),
    /** The menu ("Ga naar..."): labels and paths, at most two levels. */
    menu: v.optional(
      v.pipe(
        v.array(
          v.strictObject(
            {
              label: text('a menu label ("label")'),
              path: SitePath('a menu path ("path")'),
              children: v.optional(
                v.pipe(
                  v.array(MenuItem, 'children must be a list of label and path (a menu has two levels)'),
                  v.maxLength(MAX_MENU_ITEMS, `at most ${MAX_MENU_ITEMS} items under one menu item`),
                ),
              ),
            },
            mapping('a menu item', 'label, path and children'),
          ),
          'menu must be a list of label and path',
        ),
        v.maxLength(MAX_MENU_ITEMS, `at most ${MAX_MENU_ITEMS} items in the menu`),
      ),
    ),
    participants: v.optional(
      v.pipe(
        v.array(text('a participant name'), 'participants must be a list of names'),
        v.minLength(1, 'participants is an empty list: leave it out to keep the documents’ list'),
        listedOnce((name, first) => `"${name}" is listed twice (also item ${first + 1})`),
      ),
    ),
  },
  mapping('the site document', 'about, featured, participants, sections and menu'),
);
export type SiteDocument = v.InferOutput<typeof SiteDocument>;
