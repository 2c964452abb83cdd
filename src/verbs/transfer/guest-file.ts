// One open guest file, through guest-file-open/-read/-write/-seek/-close. The agent's
// handles outlive connections and are never reclaimed until closed, so close() is
// idempotent and meant for a `finally`.
import { CommandDisabledError, ProtocolError, asQemuHostError, type QemuHostError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';
import type { CallOptions } from '../../session/session.js';
import { explainDisabled } from '../disabled.js';
import { callValue, type VerbSession } from '../verb-session.js';
import { decodeBase64Bytes } from './base64.js';

/** File data longer than this comes from the session as bytes, not as a string. */
const LARGE_DATA_BYTES = 64 * 1024;

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
    // Large data comes as bytes and is decoded straight from what was received (base64.ts).
    let decoded: Buffer | undefined;
    const largeStrings = {
      minBytes: LARGE_DATA_BYTES,
      take: (key: string, bytes: Buffer) => {
        if (key === 'buf-b64') decoded = decodeBase64Bytes(bytes, into);
      },
    };
    const value = await callValue(this.session, 'guest-file-read', { handle: this.handle, count }, { ...this.options, largeStrings });
    if (!isJsonObject(value) || typeof value['buf-b64'] !== 'string') {
      throw new ProtocolError('guest-file-read did not return {"count", "buf-b64", "eof"}', { received: value });
    }
    const data = decoded ?? decodeBase64(value['buf-b64'], into);
    if (typeof value.count === 'number' && value.count !== data.length) {
      throw new ProtocolError(`guest-file-read said ${value.count} bytes but its data decodes to ${data.length}`, { received: { ...value, 'buf-b64': '(left out)' } });
    }
    return { data, eof: value.eof === true };
  }

  /** Writes all of `data` (repeating when the agent takes less). */
  async write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const part = offset === 0 ? data : data.subarray(offset);
      const base64Argument = { name: 'buf-b64', data: part };
      const value = await callValue(this.session, 'guest-file-write', { handle: this.handle }, { ...this.options, base64Argument });
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

/** A base64 string decoded into `into` when it fits, or into a new buffer. */
function decodeBase64(b64: string, into: Buffer | undefined): Buffer {
  if (into && b64.length <= Math.ceil(into.length / 3) * 4) return into.subarray(0, into.write(b64, 'base64'));
  return Buffer.from(b64, 'base64');
}
