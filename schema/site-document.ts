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

export const SiteDocument = v.strictObject(
  {
    about: v.optional(text('the about blurb ("about")')),
    featured: v.optional(
      v.strictObject(
        {
          title: text('the featured title ("featured.title")'),
          text: text('the featured blurb ("featured.text")'),
        },
        mapping('"featured"', 'title and text'),
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
  mapping('the site document', 'about, featured and participants'),
);
export type SiteDocument = v.InferOutput<typeof SiteDocument>;
