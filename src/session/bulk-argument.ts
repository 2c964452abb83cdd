// A request argument that carries file data: CallOptions.base64Argument. The data goes out
// as base64 written piece by piece straight to the transport, rather than as one string
// of megabytes made, put into the request, serialized again with it and copied once more
// for the socket. Strings that size land in V8's large-object space, and a 1 GB put
// made the heap grow past 60 MB.
import { stringifyJson, type JsonObject } from '../protocol/json.js';
import type { Request } from '../protocol/messages.js';

export interface Base64Argument {
  /** The member of `arguments` it fills, e.g. "buf-b64". */
  name: string;
  data: Buffer;
}

/** Bytes per piece: a multiple of 3 (pieces join without padding), 64 KiB of text. */
const PIECE_BYTES = 48 * 1024;

/** The base64 of `data` in pieces that concatenate to `data.toString('base64')`. */
export function* base64Pieces(data: Buffer): Generator<string> {
  for (let at = 0; at < data.length; at += PIECE_BYTES) yield data.toString('base64', at, Math.min(at + PIECE_BYTES, data.length));
}

/**
 * The request's JSON before and after the base64 text: `head + base64 + tail` is exactly
 * what JSON.stringify gives for the request with the argument in place (added last).
 */
export function splitAround(request: Request, bulk: Base64Argument): { head: string; tail: string } {
  const args = stringifyJson(request.arguments ?? {});
  const open = args === '{}' ? '{' : `${args.slice(0, -1)},`;
  const head = `{"execute":${stringifyJson(request.execute)},"arguments":${open}${stringifyJson(bulk.name)}:"`;
  const tail = `"}${request.id === undefined ? '' : `,"id":${stringifyJson(request.id)}`}}`;
  return { head, tail };
}

/**
 * The request as the session reports it (events, errors): with the base64 text when
 * someone listens to calls, or a note of its size when nobody would see it.
 */
export function reportedRequest(request: Request, bulk: Base64Argument, withText: boolean): Request {
  const value = withText ? bulk.data.toString('base64') : `(${bulk.data.length} bytes as base64, not kept)`;
  const args: JsonObject = { ...request.arguments, [bulk.name]: value };
  return { ...request, arguments: args };
}

/** The whole request as one buffer, the base64 written into it piece by piece. */
export function bulkRequestBytes(request: Request, bulk: Base64Argument): Buffer {
  const { head, tail } = splitAround(request, bulk);
  // One buffer holds the request: queued string pieces would wait in the heap while the
  // socket drains, long enough to be promoted.
  const end = `${tail}\n`;
  const out = Buffer.allocUnsafe(Buffer.byteLength(head) + Math.ceil(bulk.data.length / 3) * 4 + Buffer.byteLength(end));
  let at = out.write(head, 0, 'utf8');
  for (const piece of base64Pieces(bulk.data)) at += out.write(piece, at, 'latin1');
  at += out.write(end, at, 'utf8');
  return out.subarray(0, at);
}

/** The whole request as text (for the wire view, and for transports that take text). */
export function bulkRequestText(request: Request, bulk: Base64Argument): string {
  const { head, tail } = splitAround(request, bulk);
  return `${head}${bulk.data.toString('base64')}${tail}`;
}
