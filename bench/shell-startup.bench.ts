// Issue 4's figures, measured in a real pseudo-terminal (util-linux `script`):
// 1. launch to the first interactive prompt of the built shell (`node dist/cli.js -s SOCK`
//    against a real qemu-ga), against an unbundled Ink hello-world measured in the same
//    run, alternating so machine noise hits both. Target: the shell within 0.6x of it.
// 2. keystroke to frame while typing with completion over the full shipped schema: the
//    time from writing one key to the terminal until the shell's next frame arrives.
//    Target: p95 under 16 ms (one frame at 60 Hz).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAgent, type AgentFixture } from '../test/helpers/agent.js';
import { fmt, median, percentile } from './stats.js';

const ROUNDS = 9;
const CLI = path.resolve('dist/cli.js');
const ROOT = path.resolve('.');

// The baseline: Ink and React loaded from node_modules as a plain script would, one line drawn.
const INK_HELLO = `
import React from 'react';
import { render, Text } from 'ink';
render(React.createElement(Text, null, 'hello from ink'));
`;

interface Pty {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves when the output (since `from`) matches. */
  waitFor: (marker: string, from?: number, timeoutMs?: number) => Promise<number>;
  write: (text: string) => void;
  close: () => void;
}

/** Runs argv in a pseudo-terminal of 120x40; times are performance.now() values. */
function openPty(argv: string[], env: NodeJS.ProcessEnv = {}): Pty {
  const command = `stty cols 120 rows 40; exec ${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
  // Ink draws nothing live when it believes it runs in CI (any CI variable set, even empty).
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'BUILD_NUMBER', 'RUN_ID'].includes(k)));
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...clean, TERM: 'xterm-256color', ...env },
  });
  let out = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) w();
  });
  child.stderr.resume();
  return {
    child,
    output: () => out,
    waitFor(marker, from = 0, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (out.indexOf(marker, from) !== -1) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(performance.now());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no "${marker}" within ${timeoutMs} ms; output so far:\n${out.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    write: (text) => child.stdin.write(text),
    close: () => {
      child.kill('SIGKILL');
    },
  };
}

async function timeToMarker(argv: string[], marker: string, env?: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  const pty = openPty(argv, env);
  try {
    return (await pty.waitFor(marker)) - start;
  } finally {
    pty.close();
  }
}

/** Types `keys` one at a time, each after the previous frame settled; ms from key to next output. */
async function keystrokeLatencies(agent: AgentFixture, configDir: string): Promise<number[]> {
  await agent.waitReady();
  const pty = openPty([process.execPath, CLI, '-s', agent.socket], { QEMU_HOST_CONFIG_DIR: configDir });
  const latencies: number[] = [];
  try {
    await pty.waitFor('commands enabled');
    await new Promise((r) => setTimeout(r, 300));
    // Each key redraws the prompt and the fuzzy list over the whole shipped schema.
    const lines = ['guest-file-op', 'osinf', 'exec-st', 'get-host', 'fsfreeze', 'net-int', 'ssh-get', 'gfr'];
    for (let round = 0; round < 3; round++) {
      for (const line of lines) {
        for (const ch of [...line, '\u007f', '\u007f', '\u007f', ...line.slice(-3), '\t']) {
          const from = pty.output().length;
          const sent = performance.now();
          pty.write(ch);
          const frame = await waitForOutput(pty, from);
          latencies.push(frame - sent);
          // Let the frame finish and Ink's frame throttle reset before the next key.
          await new Promise((r) => setTimeout(r, 35));
        }
        pty.write('\u0015'); // Ctrl+U clears the line for the next one.
        await new Promise((r) => setTimeout(r, 35));
      }
    }
  } finally {
    pty.close();
  }
  return latencies;
}

function waitForOutput(pty: Pty, from: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no frame within 2 s of a key press')), 2000);
    const poll = (): void => {
      if (pty.output().length > from) {
        clearTimeout(timer);
        resolve(performance.now());
        return;
      }
      pty.child.stdout.once('data', () => setImmediate(poll));
    };
    poll();
  });
}

export async function run(): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  if (spawnSync('script', ['--version']).status !== 0) throw new Error('util-linux `script` is needed for a pseudo-terminal (apt-get install -y bsdutils)');
  const agent = await startAgent();
  const configDir = mkdtempSync(path.join(tmpdir(), 'qh-bench-config-'));
  const hello: number[] = [];
  const shell: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await timeToMarker([process.execPath, '-e', 'process.stdout.write("bare node\\n")'], 'bare node'));
      hello.push(await timeToMarker([process.execPath, '--input-type=module', '-e', INK_HELLO], 'hello from ink'));
      await agent.waitReady();
      shell.push(await timeToMarker([process.execPath, CLI, '-s', agent.socket], 'qga›', { QEMU_HOST_CONFIG_DIR: configDir }));
    }
    const keys = await keystrokeLatencies(agent, configDir);
    const ratio = median(shell) / median(hello);
    return {
      name: 'shell startup and keystroke latency',
      figures: {
        'node alone, launch to first output (median ms)': fmt(median(bare), 1),
        'unbundled Ink hello-world, launch to first frame (median ms)': fmt(median(hello), 1),
        'qemu-host shell, launch to first prompt (median ms)': fmt(median(shell), 1),
        'shell / Ink hello-world (target <= 0.6)': fmt(ratio, 2),
        'keystroke to frame, completion over the full schema: p50 ms': fmt(median(keys), 2),
        'keystroke to frame: p95 ms (target < 16)': fmt(percentile(keys, 95), 2),
        'keystroke to frame: max ms': fmt(Math.max(...keys), 2),
        'keystrokes measured': String(keys.length),
      },
      notes: [
        `${ROUNDS} alternating launches each, in a 120x40 pseudo-terminal; the shell connects to a real qemu-ga.`,
        ratio <= 0.6 ? 'startup target met' : `startup target NOT met: ${fmt(ratio, 2)}x of the Ink hello-world`,
        percentile(keys, 95) < 16 ? 'keystroke target met' : 'keystroke target NOT met',
      ],
    };
  } finally {
    await agent.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}
