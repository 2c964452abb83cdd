// Turns file contents into schema text: gunzips when the bytes start with the gzip magic
// (1f 8b), insists on UTF-8, and normalises line endings.
import { gunzipSync } from 'node:zlib';
import { QapiSyntaxError } from './errors.js';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function decodeSource(content: string | Uint8Array, file: string): string {
  if (typeof content === 'string') return normalizeText(content);
  let bytes = content;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new QapiSyntaxError(file, 1, 1, `cannot decompress gzip data: ${(err as Error).message}`);
    }
  }
  try {
    return normalizeText(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new QapiSyntaxError(file, 1, 1, 'the file is not valid UTF-8 text');
  }
}
