// The shell verbs through libvirt (--domain): a real libvirtd for this file with the lab
// guest as a domain, the built shell in tmux. :put, :get and :exec go through virsh
// qemu-agent-command like every other command, with libvirt's smaller write chunks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibvirtd, type LibvirtDaemon } from '../helpers/libvirt.js';
import { Terminal, requireTmux } from '../helpers/tmux.js';
import { builtCli } from '../helpers/vm.js';

const GUEST = 'qh-lab-verbs';
let daemon: LibvirtDaemon;
let work: string;
let terminal: Terminal | undefined;

beforeAll(async () => {
  requireTmux();
  daemon = await startLibvirtd();
  await daemon.defineLab(GUEST);
  await daemon.waitForAgent(GUEST);
  work = mkdtempSync(path.join(tmpdir(), 'qh-verbs-libvirt-'));
}, 300_000);

afterAll(async () => {
  terminal?.kill();
  await daemon?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('shell verbs through libvirt', () => {
  it(':put, :get and :exec work on a libvirt domain, with matching checksums', async () => {
    const t = new Terminal('libvirt', work, 60_000);
    terminal = t;
    t.start(builtCli(), ['--domain', GUEST, '--connect', daemon.uri], { QEMU_HOST_CONFIG_DIR: path.join(work, 'config'), TERM: 'xterm-256color' });
    await t.waitFor('● ready');
    const data = randomBytes(300 * 1024 + 5);
    const local = path.join(work, 'up.bin');
    writeFileSync(local, data);

    t.type(`:put ${local} /tmp/up.bin`);
    t.press('Enter');
    await t.waitFor('Run it? y runs');
    t.type('y');
    const put = await t.waitFor(/❯ :put .* done/);
    expect(put).toMatch(/✓ put 300 KiB in 0:\d\d .*guest handle \d+ closed/);
    expect(put).toMatch(/✓ sha256 [0-9a-f]{64} matches the guest's copy/);

    const back = path.join(work, 'back.bin');
    t.type(`:get /tmp/up.bin ${back}`);
    t.press('Enter');
    await t.waitFor(`✓ saved to ${back}`);
    expect(readFileSync(back).equals(data)).toBe(true);

    t.type(":exec --shell 'cmp /tmp/up.bin /tmp/up.bin && echo same'");
    t.press('Enter');
    await t.waitFor('Run it? y runs');
    t.type('y');
    const exec = await t.waitFor(/❯ :exec --shell .* exit 0/);
    expect(exec).toContain('  │ same');
  });
});
