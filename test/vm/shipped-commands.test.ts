// Every command in the shipped schema, sent once through our Session to a real qemu-ga
// (Debian's 7.2) over virtio-serial in the lab guest. Commands this agent predates must be
// refused with CommandNotFound; the rest must answer as recorded below. The guest is
// disposable, so the machine-changing commands run too, guest-shutdown last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qmpCommand } from '../../src/lab/qmp.js';
import { AgentError, QemuHostError } from '../../src/protocol/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/protocol/json.js';
import type { CallResult } from '../../src/session/session.js';
import { loadShippedSchema } from '../../src/schema/shipped.js';
import { bootVm, recordCalls, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

interface Context {
  handle?: number;
  pid?: number;
}

interface Step {
  command: string;
  args?: (ctx: Context) => JsonObject;
  /** Keeps what later steps need. */
  keep?: (value: JsonValue, ctx: Context) => void;
}

const FILE = '/tmp/qh-shipped';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKc1qFhv6Q0MTaKmUPxmZ6ZXZg5XcGLaCTO2Qq3n6hUH qh-test';

/** In the order they run; every shipped command appears exactly once. */
const STEPS: Step[] = [
  { command: 'guest-sync-delimited', args: () => ({ id: 123456789 }) },
  { command: 'guest-sync', args: () => ({ id: 987654321 }) },
  { command: 'guest-ping' },
  { command: 'guest-info' },
  { command: 'guest-get-time' },
  { command: 'guest-set-time' },
  { command: 'guest-get-host-name' },
  { command: 'guest-get-osinfo' },
  { command: 'guest-get-timezone' },
  { command: 'guest-get-users' },
  { command: 'guest-get-load' },
  { command: 'guest-get-cpustats' },
  { command: 'guest-get-diskstats' },
  { command: 'guest-get-devices' },
  { command: 'guest-get-disks' },
  { command: 'guest-get-fsinfo' },
  { command: 'guest-network-get-interfaces' },
  { command: 'guest-network-get-route' },
  { command: 'guest-get-vcpus' },
  { command: 'guest-set-vcpus', args: () => ({ vcpus: [{ 'logical-id': 0, online: true }] }) },
  { command: 'guest-get-memory-blocks' },
  { command: 'guest-get-memory-block-info' },
  { command: 'guest-set-memory-blocks', args: () => ({ 'mem-blks': [] }) },
  {
    command: 'guest-file-open',
    args: () => ({ path: FILE, mode: 'w+' }),
    keep: (value, ctx) => {
      ctx.handle = value as number;
    },
  },
  { command: 'guest-file-write', args: (ctx) => ({ handle: ctx.handle!, 'buf-b64': Buffer.from('hello, guest\n').toString('base64') }) },
  { command: 'guest-file-flush', args: (ctx) => ({ handle: ctx.handle! }) },
  { command: 'guest-file-seek', args: (ctx) => ({ handle: ctx.handle!, offset: 0, whence: 'set' }) },
  { command: 'guest-file-read', args: (ctx) => ({ handle: ctx.handle!, count: 100 }) },
  { command: 'guest-file-close', args: (ctx) => ({ handle: ctx.handle! }) },
  {
    command: 'guest-exec',
    args: () => ({ path: '/bin/cat', arg: [FILE], 'capture-output': true }),
    keep: (value, ctx) => {
      ctx.pid = isJsonObject(value) ? (value.pid as number) : undefined;
    },
  },
  { command: 'guest-exec-status', args: (ctx) => ({ pid: ctx.pid! }) },
  { command: 'guest-ssh-add-authorized-keys', args: () => ({ username: 'root', keys: [KEY] }) },
  { command: 'guest-ssh-get-authorized-keys', args: () => ({ username: 'root' }) },
  { command: 'guest-ssh-remove-authorized-keys', args: () => ({ username: 'root', keys: [KEY] }) },
  { command: 'guest-set-user-password', args: () => ({ username: 'root', password: Buffer.from('x').toString('base64'), crypted: false }) },
  { command: 'guest-fsfreeze-status' },
  { command: 'guest-fsfreeze-freeze' },
  { command: 'guest-fsfreeze-freeze-list', args: () => ({ mountpoints: ['/tmp'] }) },
  { command: 'guest-fsfreeze-thaw' },
  { command: 'guest-fstrim' },
  { command: 'guest-suspend-disk' },
  { command: 'guest-suspend-hybrid' },
  { command: 'guest-suspend-ram' },
  { command: 'guest-shutdown' },
];

type Outcome = { command: string; status: string; value?: JsonValue; detail: string };

/**
 * How Debian 12's qemu-ga 7.2 in the lab guest answers each command. `error X` is an agent
 * error of class X, `no-reply` a command that sends none on success.
 */
const EXPECTED_7_2: Record<string, string> = {
  'guest-sync-delimited': 'ok', 'guest-sync': 'ok', 'guest-ping': 'ok', 'guest-info': 'ok',
  'guest-get-time': 'ok', 'guest-set-time': 'ok', 'guest-get-host-name': 'ok', 'guest-get-osinfo': 'ok',
  'guest-get-timezone': 'ok', 'guest-get-users': 'ok',
  'guest-get-load': 'error CommandNotFound', // added in QEMU 9.1
  'guest-get-cpustats': 'ok', 'guest-get-diskstats': 'ok',
  'guest-get-devices': 'error CommandNotFound', // Windows only: compiled in, disabled on Linux
  'guest-get-disks': 'ok', 'guest-get-fsinfo': 'ok', 'guest-network-get-interfaces': 'ok',
  'guest-network-get-route': 'error CommandNotFound', // added in QEMU 9.1
  'guest-get-vcpus': 'ok', 'guest-set-vcpus': 'ok', 'guest-get-memory-blocks': 'ok',
  'guest-get-memory-block-info': 'ok', 'guest-set-memory-blocks': 'ok',
  'guest-file-open': 'ok', 'guest-file-write': 'ok', 'guest-file-flush': 'ok', 'guest-file-seek': 'ok',
  'guest-file-read': 'ok', 'guest-file-close': 'ok', 'guest-exec': 'ok', 'guest-exec-status': 'ok',
  'guest-ssh-add-authorized-keys': 'ok', 'guest-ssh-get-authorized-keys': 'ok', 'guest-ssh-remove-authorized-keys': 'ok',
  'guest-set-user-password': 'error GenericError', // the guest has no chpasswd
  'guest-fsfreeze-status': 'ok', 'guest-fsfreeze-freeze': 'ok', 'guest-fsfreeze-freeze-list': 'ok',
  'guest-fsfreeze-thaw': 'ok', 'guest-fstrim': 'ok',
  'guest-suspend-disk': 'error GenericError', // no swap to hibernate to
  'guest-suspend-hybrid': 'error GenericError',
  'guest-suspend-ram': 'no-reply', // the guest really sleeps (S3); QMP system_wakeup wakes it
  'guest-shutdown': 'no-reply',
};

describe('every shipped-schema command, once, over virtio-serial', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('covers the whole shipped schema', () => {
    const shipped = loadShippedSchema().definitions.filter((d) => d.kind === 'command').map((d) => d.name).sort();
    expect(STEPS.map((s) => s.command).sort()).toEqual(shipped);
  });

  it('gets the recorded answer from the real agent for each, with every reply matched to its request', async () => {
    const session = vm.session();
    const calls = recordCalls(session);
    const ctx: Context = {};
    const outcomes: Outcome[] = [];
    await session.connect();
    const info = await session.call('guest-info');
    const version = info.status === 'ok' && isJsonObject(info.value) ? String(info.value.version) : '?';
    expect(version, `the recorded answers are qemu-ga 7.2's; record them again for ${version}`).toMatch(/^7\.2\./);
    const listed = info.status === 'ok' && isJsonObject(info.value) && Array.isArray(info.value.supported_commands)
      ? info.value.supported_commands.filter(isJsonObject)
      : [];
    const enabled = new Set(listed.filter((c) => c.enabled === true).map((c) => String(c.name)));
    const exited = vm.vm.exited;
    try {
      for (const step of STEPS) {
        let result: CallResult | undefined;
        try {
          result = await session.call(step.command, step.args?.(ctx), { timeoutMs: 30_000 });
          if (result.status === 'ok') step.keep?.(result.value, ctx);
          outcomes.push({
            command: step.command,
            status: result.status,
            value: result.status === 'ok' ? result.value : undefined,
            detail: result.status === 'ok' ? '' : result.detail,
          });
        } catch (err) {
          const e = err as QemuHostError;
          outcomes.push({ command: step.command, status: e instanceof AgentError ? `error ${e.errorClass}` : e.code, detail: e.message });
        }
        if (step.command === 'guest-suspend-ram' && result?.status === 'no-reply') {
          // The guest really went to sleep (S3), as QEMU reports; wake it so the steps after run.
          let status: unknown;
          for (let i = 0; i < 100 && status !== 'suspended'; i++) {
            status = ((await qmpCommand(vm.qmpSocket, 'query-status')) as { status?: string }).status;
            if (status !== 'suspended') await new Promise((r) => setTimeout(r, 100));
          }
          expect(status).toBe('suspended');
          await qmpCommand(vm.qmpSocket, 'system_wakeup');
        }
        // Whatever this agent lacks or disables is refused by name, never sent into a void.
        if (!enabled.has(step.command)) expect(outcomes.at(-1), step.command).toMatchObject({ status: 'error CommandNotFound' });
      }
    } finally {
      session.close();
    }
    expect(Object.fromEntries(outcomes.map((o) => [o.command, o.status]))).toEqual(EXPECTED_7_2);
    expect(repliesMatchRequests(calls)).toBe(true);

    const value = (command: string): JsonValue | undefined => outcomes.find((o) => o.command === command)?.value;
    expect(value('guest-sync-delimited')).toBe(123456789);
    expect(value('guest-sync')).toBe(987654321);
    expect(typeof value('guest-get-time')).toBe('bigint'); // nanoseconds: beyond 2^53, kept exact
    expect(value('guest-get-host-name')).toEqual({ 'host-name': 'qh-lab' });
    expect(value('guest-file-write')).toMatchObject({ count: 13 });
    expect(value('guest-file-read')).toMatchObject({ count: 13, 'buf-b64': Buffer.from('hello, guest\n').toString('base64'), eof: true });
    expect(value('guest-ssh-get-authorized-keys')).toEqual({ keys: [KEY] });
    expect(value('guest-fsfreeze-status')).toBe('thawed');
    expect(outcomes.find((o) => o.command === 'guest-get-devices')?.detail).toContain('has been disabled');
    // guest-shutdown powered the guest off: QEMU exits cleanly.
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
