// An image's type and pixel size, read from the first bytes of a PNG, JPEG, GIF or WebP file,
// as the embedded model describes an attached image. Every read is bounds-checked: a short or
// broken file gives null, never an error.

/**
 * The image type and `width` × `height` in pixels that the header of `bytes` (a Buffer) says, or
 * null when it is none of the four or is cut short.
 */
export function imageSize(bytes) {
  for (const read of [png, gif, webp, jpeg]) {
    const size = read(bytes);
    if (size) return size;
  }
  return null;
}

const has = (bytes, offset, text) => bytes.length >= offset + text.length && bytes.toString('latin1', offset, offset + text.length) === text;

// The signature, then the IHDR chunk: width and height, 32-bit big-endian.
function png(bytes) {
  if (!has(bytes, 0, '\x89PNG\r\n\x1a\n') || !has(bytes, 12, 'IHDR') || bytes.length < 24) return null;
  return {type: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

// GIF87a or GIF89a, then the logical screen's width and height, 16-bit little-endian.
function gif(bytes) {
  if (!(has(bytes, 0, 'GIF87a') || has(bytes, 0, 'GIF89a')) || bytes.length < 10) return null;
  return {type: 'image/gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8)};
}

// A RIFF container of one of three chunks: lossy (VP8 ), lossless (VP8L) or extended (VP8X).
function webp(bytes) {
  if (!has(bytes, 0, 'RIFF') || !has(bytes, 8, 'WEBP')) return null;
  const size = (width, height) => ({type: 'image/webp', width, height});
  // A key frame's start code, then 14-bit width and height (the top two bits are a scale).
  if (has(bytes, 12, 'VP8 ') && bytes.length >= 30 && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return size(bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
  }
  // A signature byte, then width − 1 and height − 1 in 14 bits each.
  if (has(bytes, 12, 'VP8L') && bytes.length >= 25 && bytes[20] === 0x2f) {
    const bits = bytes.readUInt32LE(21);
    return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  // The canvas: width − 1 and height − 1 in 24 bits each.
  if (has(bytes, 12, 'VP8X') && bytes.length >= 30) return size(bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1);
  return null;
}

/** The JPEG markers without a length: TEM, RST0–7, SOI, EOI. */
const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9]);
/** The start-of-frame markers, which carry the size: C0–CF but DHT (C4), JPG (C8) and DAC (CC). */
const isFrameStart = (marker) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const START_OF_SCAN = 0xda;

// The segments from the start, up to the first frame header: its height, then its width, 16-bit big-endian.
function jpeg(bytes) {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    // 0xFF may repeat before a marker, as fill.
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (STANDALONE.has(marker)) {
      at += 2;
      continue;
    }
    if (marker === START_OF_SCAN || at + 4 > bytes.length) return null;
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) return null;
    if (isFrameStart(marker)) return at + 9 <= bytes.length ? {type: 'image/jpeg', width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5)} : null;
    at += 2 + length;
  }
  return null;
}
