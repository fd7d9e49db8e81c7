// The origin and the article paths that tests ask the Worker for, in one place.
export { SITE_URL as SITE } from '../../dev/site-origin.ts';

/** The newest article of content-seed/: on the home page, and the one most tests read. */
export const MET_SLUG = 'met-elkaar-voor-125000-banen';
export const MET = `/banenafspraak/nieuws/2019-02-12/${MET_SLUG}`;
/** An older article of content-seed/. */
export const POSTBUS = '/banenafspraak/nieuws/2019-01-22/centrale-postbus-voor-vragen-over-de-banenafspraak';
