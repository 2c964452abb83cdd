// The measuring half of bench/shell-verbs.bench.ts, run as a child bundled whole with
// React in production mode (as the built CLI runs it). Prints its figures as JSON. The app
// draws as in a terminal (Ink's own frame throttle, 60 fps as shell-main sets it) into a
// stream that only counts what it is given.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { createElement } from 'react';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAgent } from '../test/helpers/agent.js';
import { SchemaLookup } from '../src/schema/lookup.js';
import { loadShippedSchema } from '../src/schema/shipped.js';
import { Session } from '../src/session/session.js';
import { SocketTransport } from '../src/transport/socket-transport.js';
import { App } from '../src/ui/app.js';
import { recallLine } from '../src/ui/shell/line-secrets.js';
import { memoryRecall } from '../src/ui/shell/recall-store.js';
import { ShellStore } from '../src/ui/shell/shell-store.js';
import { THEMES } from '../src/ui/theme/theme.js';
import { getFile } from '../src/verbs/transfer/get.js';
import { FileSink } from '../src/verbs/transfer/local-target.js';
import { fileSource, putFile } from '../src/verbs/transfer/put.js';
import { fmt, median } from './stats.js';

const MB = 1_000_000;
const SIZE = 64 * MB;
const ROUNDS = 5;

async function main(): Promise<Record<string, string>> {
  const agent = await startAgent();
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-bench-shell-verbs-'));
  const source = path.join(agent.dir, 'payload.bin');
  writeFileSync(source, randomBytes(SIZE));
  const lookup = new SchemaLookup(loadShippedSchema());
  const figures: Record<string, string> = {};
  try {
    const upload = path.join(dir, 'upload.bin');
    writeFileSync(upload, randomBytes(SIZE));
    for (const [label, chunk] of [['1 MiB', 1024 * 1024], ['64 KiB', 64 * 1024]] as const) {
      const direct = { get: [] as number[], put: [] as number[] };
      const shell = { get: [] as number[], put: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        direct.get.push(await viaVerb(agent.socket, 'get', source, path.join(dir, `d${round}`), chunk));
        shell.get.push(await viaShell(agent.socket, lookup, `:get ${source} ${path.join(dir, `s${round}`)}`, chunk));
        direct.put.push(await viaVerb(agent.socket, 'put', path.join(agent.dir, 'put-direct.bin'), upload, chunk));
        shell.put.push(await viaShell(agent.socket, lookup, `:put ${upload} ${path.join(agent.dir, 'put-shell.bin')}`, chunk));
      }
      for (const verb of ['get', 'put'] as const) {
        const [d, s] = [median(direct[verb]), median(shell[verb])];
        figures[`${verb} verb, ${label} chunks (MB/s, median of ${ROUNDS})`] = fmt(SIZE / MB / (d / 1000), 1);
        figures[`:${verb} in the shell, ${label} chunks (MB/s)`] = fmt(SIZE / MB / (s / 1000), 1);
        figures[`shell / verb throughput, ${verb} ${label}`] = `${fmt(d / s)}x (target >= 0.9x)`;
      }
    }
  } finally {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

main().then((figures) => process.stdout.write(JSON.stringify(figures)), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

/** get: guest `guestPath` to host `local`; put: host `local` to guest `guestPath`. */
async function viaVerb(socket: string, verb: 'get' | 'put', guestPath: string, local: string, chunk: number): Promise<number> {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socket }));
  try {
    await session.connect();
    const result = verb === 'get'
      ? await getFile(session, guestPath, await FileSink.create(local), { chunk, verify: false })
      : await putFile(session, await fileSource(local), guestPath, { chunk, verify: false });
    return result.ms;
  } finally {
    session.close();
    if (verb === 'get') rmSync(local, { force: true });
  }
}

/** A 120x40 terminal that keeps nothing. */
class NullTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  bytes = 0;
  write = (data: string): boolean => {
    this.bytes += data.length;
    return true;
  };
}

/** Keys never come: the bench types with store.submit. */
class SilentKeys extends EventEmitter {
  readonly isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): null => null;
}

async function viaShell(socket: string, lookup: SchemaLookup, line: string, chunk: number): Promise<number> {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socket }));
  const store = new ShellStore({ session, lookup, readOnly: false, timeoutMs: undefined, recall: memoryRecall([], recallLine), size: { columns: 120, rows: 40 } });
  const stdout = new NullTerminal();
  const ink = render(createElement(App, { store, theme: THEMES.dark, trackSize: false }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: new SilentKeys() as unknown as NodeJS.ReadStream, stderr: new NullTerminal() as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false, patchConsole: false, maxFps: 60,
  });
  try {
    store.start({ connect: false });
    await session.connect();
    store.submit(`${line} --no-verify --chunk ${chunk}`);
    // :put asks first.
    if (store.getSnapshot().confirm) store.handleKey({ name: 'text', text: 'y' });
    for (;;) {
      const item = store.getSnapshot().history.items.find((i) => i.kind === 'verb');
      if (item?.kind === 'verb' && item.phase !== 'running') {
        if (item.phase !== 'done' || (item.body.verb !== 'get' && item.body.verb !== 'put') || !item.body.result) throw new Error(`${line} ended ${item.phase}: ${item.message}`);
        if (stdout.bytes === 0) throw new Error('the app drew nothing: is CI set? (Ink then draws only at exit)');
        return item.body.result.ms;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    ink.unmount();
    store.stop();
    session.close();
    if (line.startsWith(':get')) rmSync(line.split(' ')[2]!, { force: true });
  }
}
