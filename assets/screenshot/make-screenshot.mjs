// Makes assets/shell.png (and shell.svg): the built shell in tmux against a real qemu-ga,
// driven through a short session, captured with its colours, drawn as SVG and rendered
// to PNG with rsvg-convert. Run from the repository root after `npm run build`:
//   node assets/screenshot/make-screenshot.mjs
// Needs tmux, qemu-ga and rsvg-convert (apt-get install -y tmux qemu-guest-agent librsvg2-bin).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAnsi, toSvg } from './ansi-to-svg.mjs';

const COLUMNS = 120;
const ROWS = 34;
const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'qh-shot-'));
const socket = path.join(work, 'qga.sock');
const server = `qh-shot-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(marker) {
  for (let i = 0; i < 300; i++) {
    if (tmux('capture-pane', '-p', '-t', 'main').includes(marker)) return;
    await sleep(50);
  }
  throw new Error(`screen never showed ${marker}:\n${tmux('capture-pane', '-p', '-t', 'main')}`);
}

const blocked = 'guest-shutdown,guest-suspend-disk,guest-suspend-ram,guest-suspend-hybrid,guest-set-time,guest-fsfreeze-freeze,guest-fsfreeze-freeze-list,guest-fsfreeze-thaw,guest-set-user-password,guest-set-vcpus,guest-set-memory-blocks,guest-fstrim';
const agent = spawn('/usr/sbin/qemu-ga', ['-m', 'unix-listen', '-p', socket, '-t', work, '-b', blocked], { stdio: 'ignore' });
try {
  while (!existsSync(socket)) await sleep(10);
  writeFileSync(path.join(work, 'motd'), 'Welcome to the lab guest.\nBackups run nightly at 02:00.\n');
  const env = `env -u CI TERM=xterm-256color QEMU_HOST_CONFIG_DIR=${work}/config`;
  tmux('new-session', '-d', '-s', 'main', '-x', String(COLUMNS), '-y', String(ROWS), `${env} node ${root}/dist/cli.js -s ${socket}; sleep 60`);
  await waitFor('commands enabled');
  const type = (text) => tmux('send-keys', '-t', 'main', '-l', text);
  const press = (...keys) => tmux('send-keys', '-t', 'main', ...keys);
  type('guest-get-host-name');
  press('Enter');
  await waitFor('"host-name"');
  type(`guest-file-open path=${work}/motd`);
  press('Enter');
  await waitFor('❯ guest-file-open');
  await sleep(200);
  const screen = tmux('capture-pane', '-p', '-t', 'main');
  const handle = /\n {2}(\d+)\n/.exec(screen.slice(screen.lastIndexOf('❯ guest-file-open')))[1];
  type(`guest-file-read handle=${handle}`);
  press('Enter');
  await waitFor('│ Backups run nightly');
  type('fs');
  await waitFor('› guest-fs');
  press('Down');
  await sleep(300);
  const ansi = tmux('capture-pane', '-e', '-N', '-p', '-t', 'main');
  const svg = toSvg(parseAnsi(ansi), { columns: COLUMNS, title: `qemu-host -s ${path.basename(socket)}` });
  writeFileSync(path.join(root, 'assets/shell.svg'), svg);
  execFileSync('rsvg-convert', ['-o', path.join(root, 'assets/shell.png'), path.join(root, 'assets/shell.svg')]);
  console.log('wrote assets/shell.svg and assets/shell.png');
} finally {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  agent.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
