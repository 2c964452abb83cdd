// One open guest file, through guest-file-open/-read/-write/-seek/-close. The agent's
// handles outlive connections and are never reclaimed until closed, so close() is
// idempotent and meant for a `finally`.
import { CommandDisabledError, ProtocolError, asQemuHostError, type QemuHostError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';
import type { CallOptions } from '../../session/session.js';
import { explainDisabled } from '../disabled.js';
import { callValue, type VerbSession } from '../verb-session.js';

export interface ReadChunk {
  data: Buffer;
  eof: boolean;
}

function policyBlocksFiles(err: CommandDisabledError): CommandDisabledError {
  const better = new CommandDisabledError(err.errorClass, err.desc, {
    sent: err.sent,
    received: err.received,
    cause: err,
    hint: "The guest's qemu-ga blocks guest-file-* (RHEL-family guests do by default). In the guest, remove " +
      'guest-file-open, -read, -write, -seek and -close from BLOCK_RPCS in /etc/sysconfig/qemu-ga (newer packages: ' +
      'add them to --allow-rpcs), then restart qemu-guest-agent.',
  });
  better.message = "guest-file-open is disabled by the guest agent's policy, so files cannot be copied";
  return better;
}

export class GuestFile {
  readonly session: VerbSession;
  readonly path: string;
  readonly handle: number;
  private readonly options: CallOptions;
  private closed = false;

  private constructor(session: VerbSession, path: string, handle: number, options: CallOptions) {
    this.session = session;
    this.path = path;
    this.handle = handle;
    this.options = options;
  }

  static async open(session: VerbSession, path: string, mode: 'r' | 'w', options: CallOptions = {}): Promise<GuestFile> {
    let value;
    try {
      value = await callValue(session, 'guest-file-open', { path, mode }, options);
    } catch (err) {
      throw await explainDisabled(session, err, 'guest-file-open', policyBlocksFiles, options.timeoutMs);
    }
    if (typeof value !== 'number') throw new ProtocolError('guest-file-open did not return a handle number', { received: value });
    return new GuestFile(session, path, value, options);
  }

  /**
   * Reads up to `count` bytes. With `into` (at least `count` bytes long), the data is
   * decoded into it and `data` is a view of it: no new memory per chunk.
   */
  async read(count: number, into?: Buffer): Promise<ReadChunk> {
    const value = await callValue(this.session, 'guest-file-read', { handle: this.handle, count }, this.options);
    if (!isJsonObject(value) || typeof value['buf-b64'] !== 'string') {
      throw new ProtocolError('guest-file-read did not return {"count", "buf-b64", "eof"}', { received: value });
    }
    const b64 = value['buf-b64'];
    if (into && b64.length <= Math.ceil(into.length / 3) * 4) {
      return { data: into.subarray(0, into.write(b64, 'base64')), eof: value.eof === true };
    }
    return { data: Buffer.from(b64, 'base64'), eof: value.eof === true };
  }

  /** Writes all of `data` (repeating when the agent takes less). */
  async write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const part = offset === 0 ? data : data.subarray(offset);
      const value = await callValue(this.session, 'guest-file-write', { handle: this.handle, 'buf-b64': base64Of(part) }, this.options);
      const count = isJsonObject(value) ? value.count : undefined;
      if (typeof count !== 'number' || count <= 0) {
        throw new ProtocolError(`guest-file-write wrote nothing at byte ${offset} of ${data.length}`, { received: value });
      }
      offset += count;
    }
  }

  /** The file's size, by seeking to its end and back; undefined where seeking fails (pipes, devices). */
  async size(): Promise<number | undefined> {
    try {
      const end = await callValue(this.session, 'guest-file-seek', { handle: this.handle, offset: 0, whence: 'end' }, this.options);
      await callValue(this.session, 'guest-file-seek', { handle: this.handle, offset: 0, whence: 'set' }, this.options);
      const position = isJsonObject(end) ? end.position : undefined;
      return typeof position === 'number' && position > 0 ? position : undefined;
    } catch {
      return undefined;
    }
  }

  /** Closes the handle once; returns the error instead of throwing, for use in `finally`. */
  async close(): Promise<QemuHostError | undefined> {
    if (this.closed) return undefined;
    this.closed = true;
    try {
      await callValue(this.session, 'guest-file-close', { handle: this.handle }, this.options);
      return undefined;
    } catch (err) {
      return asQemuHostError(err);
    }
  }
}

/**
 * Base64 of `data`, built from pieces of 384 KiB. Node turns a longer encoding into an
 * "external" string whose memory the garbage collector hardly notices, so a stream of
 * 1 MiB writes would pile up tens of MB before the next collection; pieces this size stay
 * ordinary heap strings (their concatenation is flattened once, when the request is written).
 */
export function base64Of(data: Buffer): string {
  const PIECE = 384 * 1024;
  if (data.length <= PIECE) return data.toString('base64');
  let text = '';
  for (let at = 0; at < data.length; at += PIECE) text += data.subarray(at, at + PIECE).toString('base64');
  return text;
}
