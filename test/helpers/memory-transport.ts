// An in-memory transport for exact byte cases: the test plays the agent, writing whatever
// bytes it likes and reading what the session wrote. Never a stand-in for the real agent.
import { ConnectionLostError } from '../../src/protocol/errors.js';
import type { Transport, TransportHandlers } from '../../src/transport/transport.js';

export class MemoryTransport implements Transport {
  readonly description = 'memory:test';
  readonly needsSync: boolean;
  handlers: TransportHandlers | undefined;
  /** Everything the session wrote, one entry per write. */
  readonly writes: Buffer[] = [];
  connects = 0;
  private onWrite: ((data: Buffer) => void) | undefined;

  constructor(options: { needsSync?: boolean } = {}) {
    this.needsSync = options.needsSync ?? true;
  }

  connect(handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    this.connects += 1;
    return Promise.resolve();
  }

  write(data: Buffer | string): void {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.writes.push(buf);
    this.onWrite?.(buf);
  }

  close(): void {
    const handlers = this.handlers;
    this.handlers = undefined;
    handlers?.onClose(undefined);
  }

  /** Bytes from "the agent". */
  send(data: Buffer | string): void {
    this.handlers?.onData(Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1'));
  }

  /** The agent side closes (EOF). */
  eof(): void {
    const handlers = this.handlers;
    this.handlers = undefined;
    handlers?.onClose(new ConnectionLostError('the connection to memory:test closed (EOF)'));
  }

  /** Calls `fn` for every future write, and for none of the past ones. */
  whenWritten(fn: (data: Buffer) => void): void {
    this.onWrite = fn;
  }

  /** Parsed JSON requests written so far (0xFF stripped). */
  requests(): Array<Record<string, unknown>> {
    return this.writes
      .map((w) => w.toString('latin1').replace(/^\xff/, '').trim())
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/**
 * Answers like a minimal agent: guest-sync-delimited with 0xFF + return id (preceded by the
 * parse-error reply a real agent sends for the 0xFF byte), other commands via `answer`.
 */
export function actLikeAgent(
  t: MemoryTransport,
  answer: (req: Record<string, unknown>) => string | undefined,
): void {
  t.whenWritten((buf) => {
    const text = buf.toString('latin1');
    const flushed = text.startsWith('\xff');
    const req = JSON.parse(text.replace(/^\xff/, '')) as Record<string, unknown>;
    queueMicrotask(() => {
      if (flushed) t.send('{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\ufffd\'"}}\n');
      if (req.execute === 'guest-sync-delimited') {
        const id = (req.arguments as { id: number }).id;
        t.send(`\xff{"return": ${id}}\n`);
        return;
      }
      const reply = answer(req);
      if (reply !== undefined) t.send(reply);
    });
  });
}
