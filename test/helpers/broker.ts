// Test helpers for the broker: one started in-process in front of a real qemu-ga (its
// log kept in memory), and a plain line client that speaks the agent protocol to it as
// socat or qemu-ga-client would: bytes out, reply lines back (0xFF prefix noted).
import net from 'node:net';
import path from 'node:path';
import { startService, type RunningService, type ServiceOptions } from '../../src/broker/service.js';
import { parseJson, type JsonObject, type JsonValue } from '../../src/protocol/json.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';
import type { AgentFixture } from './agent.js';

export interface TestBroker extends RunningService {
  path: string;
  log: string[];
}

export async function startTestBroker(agent: AgentFixture, options: Partial<ServiceOptions> = {}): Promise<TestBroker> {
  const log: string[] = [];
  const listen = options.listen ?? path.join(agent.dir, `broker-${process.pid}-${Math.random().toString(36).slice(2, 8)}.sock`);
  const service = await startService(new SocketTransport({ kind: 'unix', path: agent.socket }), {
    reconnect: { initialMs: 50, maxMs: 500 },
    log: (line) => log.push(line),
    ...options,
    listen,
  });
  await service.started;
  return { ...service, path: listen, log };
}

export interface ReplyLine {
  /** The line without its 0xFF prefix and newline. */
  text: string;
  /** It started with 0xFF. */
  delimited: boolean;
}

/** A raw client: writes bytes, collects reply lines in order. */
export class LineClient {
  readonly socket: net.Socket;
  readonly lines: ReplyLine[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(socketPath: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath });
      socket.once('connect', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits until `count` lines have arrived in all; fails with what came if the socket closes first. */
  async waitForLines(count: number, what = 'replies'): Promise<ReplyLine[]> {
    while (this.lines.length < count) {
      if (this.closed) throw new Error(`connection closed after ${this.lines.length} of ${count} ${what}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.lines.slice(0, count);
  }

  /** The next reply as an object (waits for it). */
  async reply(index: number): Promise<JsonObject> {
    const lines = await this.waitForLines(index + 1);
    return parseJson(lines[index]!.text) as JsonObject;
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (let nl = this.buffer.indexOf(0x0a); nl !== -1; nl = this.buffer.indexOf(0x0a)) {
      let line = this.buffer.subarray(0, nl);
      this.buffer = this.buffer.subarray(nl + 1);
      const delimited = line[0] === 0xff;
      if (delimited) line = line.subarray(1);
      this.lines.push({ text: line.toString('utf8'), delimited });
    }
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** A value written with keys sorted, BigInt as digits: two replies are equal when these are. */
export function canonical(value: JsonValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Polls `check` until it is true, giving up (with `what` in the error) after `limitMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
