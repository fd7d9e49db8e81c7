/**
 * The media objects the site serves at `/media/{key}` (images) and `/media/{key}/{name}` (downloads),
 * as the seed stores them in R2 and the Worker answers them: a key is 128 bits of the SHA-256 of the
 * object's bytes in hex, and its extension, which alone decides the Content-Type (never the stored
 * metadata, never the bytes). docs/media.md.
 */

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';

/** The Content-Type of each extension a media key may have. */
export const MEDIA_CONTENT_TYPES = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  docx: `${OOXML}.wordprocessingml.document`,
  xlsx: `${OOXML}.spreadsheetml.sheet`,
  pptx: `${OOXML}.presentationml.presentation`,
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  odt: `${ODF}.text`,
  ods: `${ODF}.spreadsheet`,
  odp: `${ODF}.presentation`,
  csv: 'text/csv; charset=utf-8',
} as const;
export type MediaExtension = keyof typeof MEDIA_CONTENT_TYPES;

/** The images the site shows inline; every other extension is a download (Content-Disposition). */
export const IMAGE_EXTENSIONS: readonly MediaExtension[] = ['avif', 'webp', 'jpg', 'png'];

/** A media key: `{32 hex}.{extension}`. */
export const MEDIA_KEY = new RegExp(`^[0-9a-f]{32}\\.(${Object.keys(MEDIA_CONTENT_TYPES).join('|')})$`);

/** The file card's name of each download's type (what a visitor knows it as). */
export const DOWNLOAD_LABELS: Partial<Record<MediaExtension, string>> = {
  pdf: 'PDF',
  docx: 'Word',
  doc: 'Word',
  xlsx: 'Excel',
  xls: 'Excel',
  pptx: 'PowerPoint',
  odt: 'OpenDocument-tekst',
  ods: 'OpenDocument-rekenblad',
  odp: 'OpenDocument-presentatie',
  csv: 'CSV',
};

/** Dutch size for the file card: "1,2 MB", "340 kB", "12 bytes". */
export function dutchSize(bytes: number): string {
  const format = (value: number) =>
    new Intl.NumberFormat('nl-NL', { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1000 * 1000) return `${format(bytes / 1000)} kB`;
  return `${format(bytes / 1000 / 1000)} MB`;
}
