// The part of harfbuzzjs (no types of its own) that the social card uses to measure text (and its
// test, to read the font's character map). The
// package's module.exports is a Promise<HarfBuzz>, loaded with require() in card-assets.ts.
declare module 'harfbuzzjs' {
  export interface HbBlob {
    destroy(): void;
  }
  export interface HbFace {
    readonly upem: number;
    /** The code points of the font's character map. */
    collectUnicodes(): Uint32Array;
    destroy(): void;
  }
  export interface HbFont {
    destroy(): void;
  }
  export interface HbGlyphPosition {
    /** Advance width in font units. */
    x_advance: number;
  }
  export interface HbGlyphInfo {
    /** After shaping: the glyph id, 0 when the font has no glyph for the character. */
    codepoint: number;
  }
  export interface HbBuffer {
    addText(text: string): void;
    guessSegmentProperties(): void;
    getGlyphInfos(): HbGlyphInfo[];
    getGlyphPositions(): HbGlyphPosition[];
    destroy(): void;
  }
  export interface HarfBuzz {
    createBlob(data: ArrayBuffer | Uint8Array): HbBlob;
    createFace(blob: HbBlob, index: number): HbFace;
    createFont(face: HbFace): HbFont;
    createBuffer(): HbBuffer;
    shape(font: HbFont, buffer: HbBuffer, features?: string): void;
  }
}
