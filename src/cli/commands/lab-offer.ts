// What `qemu-host` with no socket does. A socket set in the settings is used; otherwise, in
// a terminal, it offers something real to talk to instead of failing: the lab VM (as
// `qemu-host lab`), or where QEMU is missing a sandboxed qemu-ga on THIS machine, or where
// that is missing too, exactly what to install. Without a terminal it stays a usage error:
// a script never boots a VM or starts an agent by surprise.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  QEMU_GA_INSTALL_HINT,
  QEMU_INSTALL_HINT,
  findQemu,
  findQemuGa,
  hasCachedImage,
  startHostAgent,
} from '../../lab/index.js';
import { UsageError } from '../../protocol/errors.js';
import { requireEndpoint, type GlobalOptions } from '../context.js';
import type { RunShell } from './lab.js';
import { runLab } from './lab-run.js';

/** Names the temp directory of a host agent's socket, so every place that shows the socket says it. */
export const HOST_AGENT_DIR_PREFIX = 'qh-this-machine-not-a-guest-';

export const LAB_QUESTION = 'No agent socket given. Start a tiny lab VM with a real agent (about 2 s)? [Y/n] ';
export const HOST_AGENT_QUESTION =
  'Start a sandboxed qemu-ga on THIS MACHINE instead (not a guest; only commands that read are allowed)? [Y/n] ';

const SOCKET_HINT = 'Give the agent\'s socket with -s /path/to/qga.sock or --tcp HOST:PORT, a libvirt guest with --domain NAME [--connect URI], or set QEMU_HOST_SOCKET.';

type Answer = 'yes' | 'no' | 'interrupted';

/** Asks on the terminal; Enter means yes. Ctrl+C is 'interrupted', Ctrl+D 'no'. */
function ask(question: string): Promise<Answer> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const settle = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(answer);
    };
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      settle('interrupted');
    });
    rl.on('close', () => {
      // Ctrl+D: end the prompt's line before whatever is said next.
      if (!settled) process.stderr.write('\n');
      settle('no');
    });
    const prompt = (text: string): void => {
      rl.question(text, (line) => {
        const reply = line.trim();
        if (/^(y|yes)?$/i.test(reply)) settle('yes');
        else if (/^(n|no)$/i.test(reply)) settle('no');
        else prompt('Please answer y or n: ');
      });
    };
    prompt(question);
  });
}

/** The default socket from the settings file, if one is set there (never creates the file). */
async function configuredSocket(): Promise<string | undefined> {
  try {
    const { SettingsStore, defaultConfigDir } = await import('../../settings/index.js');
    const dir = defaultConfigDir();
    if (!existsSync(path.join(dir, 'settings.json'))) return undefined;
    return new SettingsStore(dir).settings.defaultSocket;
  } catch {
    return undefined;
  }
}

function declined(): never {
  throw new UsageError('no agent socket given', { hint: `${SOCKET_HINT} Or run: qemu-host lab` });
}

/** Runs the default path (shell, or batch) when neither -s, --tcp, --domain nor $QEMU_HOST_SOCKET was given. */
export async function runWithoutSocket(globals: GlobalOptions, runShell: RunShell): Promise<number> {
  const configured = await configuredSocket();
  if (configured) return runShell({ ...globals, socket: configured });
  // Not a terminal: the usage error, as before. Nothing starts behind a script's back.
  if (!process.stdin.isTTY) requireEndpoint(globals);
  const say = (text: string): void => {
    process.stderr.write(`${text}\n`);
  };

  if (findQemu()) {
    if (!hasCachedImage()) say('(The first time, the guest is built from Debian packages: about 32 MB, downloaded once.)');
    const answer = await ask(LAB_QUESTION);
    if (answer === 'interrupted') return 130;
    if (answer === 'no') declined();
    return runLab(globals, { transport: 'virtio', accel: 'auto' }, runShell);
  }

  if (findQemuGa()) {
    say(`No agent socket given, and QEMU is not installed for a lab VM (install it with: ${QEMU_INSTALL_HINT}).`);
    const answer = await ask(HOST_AGENT_QUESTION);
    if (answer === 'interrupted') return 130;
    if (answer === 'no') declined();
    return runHostAgentShell(globals, runShell, say);
  }

  throw new UsageError('no agent socket given, and neither QEMU nor qemu-ga is installed here to try one', {
    hint: [
      `For a tiny lab VM with a real agent, install QEMU: ${QEMU_INSTALL_HINT}`,
      `or, for a sandboxed agent on this machine: ${QEMU_GA_INSTALL_HINT}`,
      SOCKET_HINT,
    ].join('\n  '),
  });
}

/** A sandboxed qemu-ga on this machine for as long as the shell runs; read-only both ends. */
async function runHostAgentShell(globals: GlobalOptions, runShell: RunShell, say: (text: string) => void): Promise<number> {
  const agent = await startHostAgent({ dirPrefix: HOST_AGENT_DIR_PREFIX });
  const shown = ['guest-exec', 'guest-file-open', 'guest-shutdown', 'guest-set-time'].filter((rpc) => agent.blocked.includes(rpc));
  say(`qemu-host: THIS MACHINE, NOT A GUEST: ${agent.binary} runs here on ${agent.socket}; it is restarted if it exits and stopped when you leave the shell.`);
  say(`qemu-host: only commands that read are allowed: the agent refuses the other ${agent.blocked.length} (${shown.join(', ')}, ...), and the shell is read-only.`);
  const stopAndExit = (signalNumber: number): void => {
    void agent.stop().finally(() => process.exit(128 + signalNumber));
  };
  const handlers = { SIGHUP: () => stopAndExit(1), SIGTERM: () => stopAndExit(15) };
  // `on`, not `once`: a once-listener is gone by the time signal-exit (loaded with Ink)
  // counts listeners, and it would then re-raise the signal and kill us before we stop.
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  try {
    return await runShell({ ...globals, socket: agent.socket, tcp: undefined, readOnly: true });
  } finally {
    for (const [signal, handler] of Object.entries(handlers)) process.removeListener(signal, handler);
    await agent.stop();
  }
}
