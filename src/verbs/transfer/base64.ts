// Decoding file data without megabyte strings. A 1 MiB chunk is 1.4 MB of base64, and a
// string that size lands in V8's large-object space: a few per chunk, each surviving now
// and then a collection that happens mid-transfer, grew a 1 GB copy to over 100 MB of
// memory. The text is decoded here in pieces of 64 KiB, ordinary short-lived strings.
// (Encoding for guest-file-write happens as the request is written: session/bulk-argument.ts.)

/** Base64 characters per piece: a multiple of 4, so every piece decodes on its own. */
const PIECE_CHARS = 64 * 1024;

/**
 * Decodes base64 text given as bytes (ASCII) into `into` from offset 0, or into a new
 * buffer when `into` is too small. Returns the decoded bytes (a view of `into`).
 */
export function decodeBase64Bytes(text: Buffer, into?: Buffer): Buffer {
  const needed = decodedLength(text);
  const target = into && into.length >= needed ? into : Buffer.allocUnsafe(needed);
  let written = 0;
  for (let at = 0; at < text.length; at += PIECE_CHARS) {
    written += target.write(text.toString('latin1', at, Math.min(at + PIECE_CHARS, text.length)), written, 'base64');
  }
  return target.subarray(0, written);
}

/** Bytes that `text` decodes to at most (exactly, for well-formed base64): padding counted. */
function decodedLength(text: Buffer): number {
  let padding = 0;
  if (text.length % 4 === 0 && text[text.length - 1] === 0x3d) padding = text[text.length - 2] === 0x3d ? 2 : 1;
  return Math.ceil(text.length / 4) * 3 - padding;
}
