// Reads a transcript line by line, without holding the file in memory: a transcript of
// large file reads can be far bigger than what one needs at a time. Lines of unknown types
// (a later format version may add some) are skipped; a cut last line (the recording
// process died while writing it) is skipped with a note; anything else that is not a
// transcript is a UsageError that names the line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../../protocol/errors.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../../protocol/json.js';
import { CALL_STATUSES, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, type AgentLine, type CallLine, type HeaderLine } from './format.js';

/** Types of this version that replay has no use for. */
const UNREPLAYED_TYPES = new Set(['state', 'discard', 'end']);

export type TranscriptEntry =
  | { kind: 'header'; lineNo: number; line: HeaderLine }
  | { kind: 'agent'; lineNo: number; line: AgentLine }
  | { kind: 'call'; lineNo: number; line: CallLine };

export class TranscriptReader {
  readonly path: string;
  /** Said while reading: a cut last line, skipped lines of unknown types. */
  readonly notes: string[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** The header, agent and call lines in file order. Rejects with UsageError on bad input. */
  async *entries(): AsyncGenerator<TranscriptEntry> {
    const stream = createReadStream(this.path);
    const opened = new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (err) => reject(new UsageError(`cannot read ${this.path}: ${err.message}`, { cause: err })));
    });
    await opened;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNo = 0;
    let pending: { lineNo: number; error: Error } | undefined;
    let sawHeader = false;
    const unknown = new Set<string>();
    try {
      for await (const text of lines) {
        lineNo += 1;
        if (pending) throw this.badLine(pending.lineNo, pending.error.message);
        if (text.trim() === '') continue;
        let value: JsonValue;
        try {
          value = parseJson(text);
        } catch (err) {
          if (!sawHeader) throw this.notTranscript(lineNo, 'is not JSON');
          // Only the last line may be cut short; decided when the next line arrives.
          pending = { lineNo, error: err as Error };
          continue;
        }
        if (!isJsonObject(value)) throw this.badLine(lineNo, 'not a JSON object');
        if (!sawHeader && value.type !== 'header') throw this.notTranscript(lineNo, 'is not a header line');
        const entry = this.entry(value, lineNo);
        if (entry === undefined) {
          if (!UNREPLAYED_TYPES.has(String(value.type))) unknown.add(String(value.type));
          continue;
        }
        if (entry.kind === 'header') sawHeader = true;
        yield entry;
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    if (pending) this.notes.push(`line ${pending.lineNo} is cut short (the recording stopped while writing it); it was skipped`);
    if (unknown.size > 0) this.notes.push(`lines of types this version does not know were skipped: ${[...unknown].join(', ')}`);
    if (!sawHeader) {
      throw new UsageError(`${this.path} holds no transcript`, { hint: 'Record one with qemu-host --record FILE ...' });
    }
  }

  private entry(value: JsonObject, lineNo: number): TranscriptEntry | undefined {
    switch (value.type) {
      case 'header':
        return { kind: 'header', lineNo, line: this.header(value, lineNo) };
      case 'agent':
        if (typeof value.version !== 'string') throw this.badLine(lineNo, 'an agent line without a version');
        return { kind: 'agent', lineNo, line: value as unknown as AgentLine };
      case 'call':
        return { kind: 'call', lineNo, line: this.call(value, lineNo) };
      default:
        return undefined;
    }
  }

  private header(value: JsonObject, lineNo: number): HeaderLine {
    if (value.format !== TRANSCRIPT_FORMAT) throw this.badLine(lineNo, `a header of another format (${String(value.format)})`);
    const version = value.version;
    if (typeof version !== 'number' || version > TRANSCRIPT_VERSION) {
      throw new UsageError(`${this.path}: line ${lineNo} is a transcript of format version ${String(version)}; this qemu-host reads version ${TRANSCRIPT_VERSION}`, {
        hint: 'Replay it with the qemu-host that recorded it, or a newer one.',
      });
    }
    return value as unknown as HeaderLine;
  }

  private call(value: JsonObject, lineNo: number): CallLine {
    const request = value.request;
    if (typeof value.execute !== 'string' || !isJsonObject(request) || typeof request.execute !== 'string') {
      throw this.badLine(lineNo, 'a call line without execute and request');
    }
    if (!CALL_STATUSES.includes(value.status as CallLine['status'])) throw this.badLine(lineNo, `a call line with status ${String(value.status)}`);
    if (value.reply !== undefined && !isJsonObject(value.reply)) throw this.badLine(lineNo, 'a call line whose reply is not an object');
    return value as unknown as CallLine;
  }

  private notTranscript(lineNo: number, what: string): UsageError {
    return new UsageError(`${this.path} is not a qemu-host transcript: line ${lineNo} ${what}`, { hint: 'Record one with qemu-host --record FILE ...' });
  }

  private badLine(lineNo: number, what: string): UsageError {
    return new UsageError(`${this.path}: line ${lineNo} is not a transcript line (${what})`, {
      hint: 'Transcripts are JSON Lines written by qemu-host --record; was the file edited?',
    });
  }
}
