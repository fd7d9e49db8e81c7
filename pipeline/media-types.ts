/**
 * What a media file beside a document may be, told from its name and checked against its first
 * bytes: an image the site shows (JPEG, PNG, WebP, AVIF, GIF) or a file it offers as a download
 * (PDF, Office and OpenDocument files, CSV). Pure: no sharp, no file system. docs/media.md.
 */

/** The largest media file, in bytes: a photo straight from a camera fits, a video does not. */
export const MEDIA_MAX_BYTES = 25_000_000;

/** An image's source format, as sharp names it. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

const IMAGE_EXTENSIONS: Record<string, ImageFormat> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  gif: 'gif',
};

/** The names of the formats in problems, as an editor knows them. */
const FORMAT_NAMES: Record<ImageFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  avif: 'AVIF',
  gif: 'GIF',
};

/** A download: its Content-Type and how its first bytes must look (undefined: text, checked apart). */
interface DownloadType {
  contentType: string;
  /** The name the file card shows ("PDF", "Word"). */
  label: string;
  magic?: 'pdf' | 'zip' | 'ole';
  /** For OpenDocument: the `mimetype` entry a zip of this type starts with. */
  odfMimetype?: string;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';

const DOWNLOADS: Record<string, DownloadType> = {
  pdf: { contentType: 'application/pdf', label: 'PDF', magic: 'pdf' },
  docx: { contentType: `${OOXML}.wordprocessingml.document`, label: 'Word', magic: 'zip' },
  xlsx: { contentType: `${OOXML}.spreadsheetml.sheet`, label: 'Excel', magic: 'zip' },
  pptx: { contentType: `${OOXML}.presentationml.presentation`, label: 'PowerPoint', magic: 'zip' },
  doc: { contentType: 'application/msword', label: 'Word', magic: 'ole' },
  xls: { contentType: 'application/vnd.ms-excel', label: 'Excel', magic: 'ole' },
  odt: { contentType: `${ODF}.text`, label: 'OpenDocument-tekst', magic: 'zip', odfMimetype: `${ODF}.text` },
  ods: {
    contentType: `${ODF}.spreadsheet`,
    label: 'OpenDocument-rekenblad',
    magic: 'zip',
    odfMimetype: `${ODF}.spreadsheet`,
  },
  odp: {
    contentType: `${ODF}.presentation`,
    label: 'OpenDocument-presentatie',
    magic: 'zip',
    odfMimetype: `${ODF}.presentation`,
  },
  csv: { contentType: 'text/csv; charset=utf-8', label: 'CSV' },
};

/** Names that are never media: markup a browser would run as the site's own. */
const MARKUP = /\.(svg|svgz|html?|xhtml|xml|js|mjs)$/i;

const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/** What a name says a file is; `refused` says why it can be neither. */
export type MediaNameKind =
  | { kind: 'image'; format: ImageFormat; extension: string }
  | { kind: 'download'; type: DownloadType; extension: string }
  | { kind: 'refused'; problem: string };

export function mediaKind(name: string): MediaNameKind {
  const extension = extensionOf(name);
  if (/^svgz?$/.test(extension)) {
    return {
      kind: 'refused',
      problem: `${name} is an SVG image: SVG can hold scripts and is never served from the site; export it as PNG`,
    };
  }
  if (MARKUP.test(name)) {
    return {
      kind: 'refused',
      problem: `${name} is markup (.${extension}), which the site never serves as a file`,
    };
  }
  const format = IMAGE_EXTENSIONS[extension];
  if (format) return { kind: 'image', format, extension };
  const type = DOWNLOADS[extension];
  if (type) return { kind: 'download', type, extension };
  return {
    kind: 'refused',
    problem: `${name}: .${extension || '(no extension)'} is not a file the site serves; images are ${Object.keys(IMAGE_EXTENSIONS).join(', ')}; downloads are ${Object.keys(DOWNLOADS).join(', ')}`,
  };
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) =>
  prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

/** The image format the bytes begin with, if any of those the site takes. */
function sniffImage(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (/^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif';
  // ISO BMFF: a "ftyp" box whose brand is AVIF (a still image or a sequence).
  if (ascii(bytes, 4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(bytes, 8, 12))) return 'avif';
  return null;
}

/** Text that a browser would read as HTML or SVG: "<" first, after white space and a byte order mark. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes.subarray(0, 512));
  return /^\uFEFF?\s*</.test(head);
}

/** Why the bytes are not the image their name says, or null when they are. */
export function imageBytesProblem(bytes: Uint8Array, name: string, format: ImageFormat): string | null {
  const found = sniffImage(bytes);
  if (found === format) return null;
  const expected = `a ${FORMAT_NAMES[format]} image`;
  if (found) {
    return `${name} is a ${FORMAT_NAMES[found]} image, but its name says ${expected}: rename it to .${found === 'jpeg' ? 'jpg' : found}`;
  }
  if (looksLikeMarkup(bytes)) return `${name} is HTML or SVG text, not ${expected}`;
  return `${name} is not ${expected}: its bytes are no image the site can read`;
}

/** Why the bytes are not the download their name says, or null when they are. */
export function downloadBytesProblem(bytes: Uint8Array, name: string, type: DownloadType): string | null {
  const what = `${/^[AEIOU]/.test(type.label) ? 'an' : 'a'} ${type.label} file`;
  switch (type.magic) {
    case 'pdf':
      return ascii(bytes, 0, 5) === '%PDF-' ? null : `${name} is not ${what}: it does not start with %PDF-`;
    case 'ole':
      return startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
        ? null
        : `${name} is not ${what}: its bytes are no Office document`;
    case 'zip': {
      if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
        return `${name} is not ${what}: it is no zip-based document`;
      // OpenDocument: the first entry is "mimetype", stored, holding the type (ODF 1.2 part 3 §3.3).
      if (
        type.odfMimetype &&
        ascii(bytes, 30, 38 + type.odfMimetype.length) !== `mimetype${type.odfMimetype}`
      ) {
        return `${name} is not ${what}: its mimetype entry says otherwise`;
      }
      return null;
    }
    default: {
      // CSV: UTF-8 text without NUL bytes (a spreadsheet saved under the wrong name has them).
      if (bytes.includes(0)) return `${name} is not ${what}: it holds binary data`;
      try {
        new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
      } catch {
        return `${name} is not ${what} in UTF-8: save it as "CSV UTF-8"`;
      }
      return looksLikeMarkup(bytes) ? `${name} is HTML, not ${what}` : null;
    }
  }
}
