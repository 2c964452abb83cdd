import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import { LibvirtTransport } from '../../../src/transport/libvirt/libvirt-transport.js';
import { chunkRules } from '../../../src/ui/shell/verbs/transfer-chunks.js';
import { planVerb } from '../../../src/ui/shell/verbs/verb-plan.js';

const lookup = new SchemaLookup(loadShippedSchema());
const cwd = mkdtempSync(path.join(tmpdir(), 'qh-verb-plan-'));
mkdirSync(path.join(cwd, 'into'));
writeFileSync(path.join(cwd, 'tool.sh'), 'echo hi\n');
const ctx = { lookup, cwd };

describe('planVerb: :exec', () => {
  it('runs a command with its arguments, quoted words kept whole, and names what it runs for the confirmation', () => {
    expect(planVerb('exec', `printf '%s|' "a b" -c`, ctx)).toEqual({
      kind: 'run',
      request: { verb: 'exec', spec: { path: 'printf', args: ['%s|', 'a b', '-c'] } },
      change: 'runs printf %s| a b -c in the guest',
    });
  });

  it('takes --shell LINE, --stdin TEXT (with a newline, as a shell here-string), --env and --timeout', () => {
    const plan = planVerb('exec', "--stdin 'hello there' --env LANG=C --timeout 2s --shell 'tr a-z A-Z | wc -c'", ctx);
    expect(plan).toEqual({
      kind: 'run',
      request: { verb: 'exec', timeoutMs: 2000, spec: { path: 'sh', args: ['-c', 'tr a-z A-Z | wc -c'], env: ['LANG=C'], input: Buffer.from('hello there\n') } },
      change: 'runs sh -c tr a-z A-Z | wc -c in the guest (with the --stdin text as input)',
    });
    expect(planVerb('exec', '--input ./data.bin od -c', ctx)).toMatchObject({ request: { inputFile: './data.bin', spec: { path: 'od', args: ['-c'] } }, change: 'runs od -c in the guest (stdin from ./data.bin)' });
    expect(planVerb('exec', '-- --weird-name', ctx)).toMatchObject({ request: { spec: { path: '--weird-name', args: [] } } });
  });

  it('says what is wrong before anything is sent', () => {
    expect(planVerb('exec', '', ctx)).toMatchObject({ kind: 'problem', message: ':exec needs a command to run' });
    expect(planVerb('exec', "--shell 'ls' ls", ctx)).toMatchObject({ kind: 'problem', message: "give either --shell 'LINE' or a command, not both" });
    expect(planVerb('exec', '--bogus ls', ctx)).toMatchObject({ kind: 'problem', message: ':exec has no option --bogus' });
    expect(planVerb('exec', '--env NOEQUALS ls', ctx)).toMatchObject({ kind: 'problem', message: '--env takes NAME=VALUE, not "NOEQUALS"' });
    expect(planVerb('exec', '--timeout soon sleep 1', ctx)).toMatchObject({ kind: 'problem', message: expect.stringContaining('--timeout takes a duration') });
    expect(planVerb('exec', "echo 'open", ctx)).toMatchObject({ kind: 'problem', message: expect.stringContaining('unterminated') });
  });
});

describe('planVerb: :get and :put', () => {
  it(':get names the local file after the guest file, in the shell directory or the directory given', () => {
    expect(planVerb('get', '/etc/hostname', ctx)).toEqual({ kind: 'run', request: { verb: 'get', guestPath: '/etc/hostname', local: path.join(cwd, 'hostname'), chunk: 1024 * 1024, verify: true }, change: undefined });
    expect(planVerb('get', '/etc/hostname into --chunk 64K --no-verify', ctx)).toMatchObject({ request: { local: path.join(cwd, 'into', 'hostname'), chunk: 65536, verify: false } });
    expect(planVerb('get', '/etc/hostname renamed.txt', ctx)).toMatchObject({ request: { local: path.join(cwd, 'renamed.txt') } });
  });

  it('follows the transport\'s chunk rules: libvirt writes default to 64K and refuse more than 128K', () => {
    const libvirt = chunkRules(new LibvirtTransport({ kind: 'libvirt', domain: 'vm1' }));
    expect(planVerb('put', 'tool.sh /tmp/x', { ...ctx, chunks: libvirt })).toMatchObject({ request: { chunk: 64 * 1024 } });
    expect(planVerb('put', 'tool.sh /tmp/x --chunk 1M', { ...ctx, chunks: libvirt })).toMatchObject({ kind: 'problem', message: '--chunk can be at most 128K here, not 1048576 bytes' });
    expect(planVerb('get', '/etc/hostname --chunk 4M', { ...ctx, chunks: libvirt })).toMatchObject({ kind: 'problem', message: '--chunk can be at most 2M here, not 4194304 bytes' });
    expect(planVerb('get', '/etc/hostname', { ...ctx, chunks: libvirt })).toMatchObject({ request: { chunk: 1024 * 1024 } });
  });

  it(':get refuses stdout and bad chunk sizes', () => {
    expect(planVerb('get', '/etc/hostname -', ctx)).toMatchObject({ kind: 'problem', message: expect.stringContaining('cannot write a file to its own screen') });
    expect(planVerb('get', '/x --chunk 10', ctx)).toMatchObject({ kind: 'problem', message: '--chunk must be between 1K and 32M, not 10 bytes' });
    expect(planVerb('get', '', ctx)).toMatchObject({ kind: 'problem', message: 'usage: :get GUEST_PATH [LOCAL] [--chunk SIZE] [--no-verify]' });
  });

  it(':put reads the host file size for the confirmation, and puts it into a guest directory ending in /', () => {
    expect(planVerb('put', 'tool.sh /tmp/', ctx)).toEqual({
      kind: 'run',
      request: { verb: 'put', local: path.join(cwd, 'tool.sh'), guestPath: `/tmp/${'tool.sh'}`, size: 8, chunk: 1024 * 1024, verify: true },
      change: 'writes guest:/tmp/tool.sh (8 B from tool.sh; replaces any file there)',
    });
    expect(planVerb('put', 'missing.bin /tmp/x', ctx)).toMatchObject({ kind: 'problem', message: expect.stringMatching(/^cannot read .*missing\.bin: ENOENT/) });
    expect(planVerb('put', 'into /tmp/x', ctx)).toMatchObject({ kind: 'problem', message: expect.stringContaining('not a regular file') });
    expect(planVerb('put', '- /tmp/x', ctx)).toMatchObject({ kind: 'problem', message: 'the shell has no stdin to send: give LOCAL as a host file' });
  });
});

describe('planVerb: :watch, :info, :freeze, :thaw', () => {
  it(':watch takes a read-only command with its arguments, --every and --count anywhere', () => {
    expect(planVerb('watch', 'guest-get-cpustats --every 0.5 --count 3', ctx)).toEqual({
      kind: 'run', request: { verb: 'watch', command: 'guest-get-cpustats', args: undefined, everyMs: 500, count: 3 }, change: undefined,
    });
    expect(planVerb('watch', '--every 1 guest-get-fsinfo', ctx)).toMatchObject({ request: { command: 'guest-get-fsinfo', everyMs: 1000 } });
  });

  it(':watch refuses commands that change or consume, and alone (or "stop") stops the watch', () => {
    expect(planVerb('watch', 'guest-exec-status pid=1', ctx)).toMatchObject({ kind: 'problem', message: expect.stringContaining('it reaps a finished process') });
    expect(planVerb('watch', 'guest-shutdown', ctx)).toMatchObject({ kind: 'problem', message: expect.stringContaining('it changes the guest') });
    expect(planVerb('watch', 'guest-get-load --count 0', ctx)).toMatchObject({ kind: 'problem', message: '--count takes a whole number above 0, not "0"' });
    expect(planVerb('watch', undefined, ctx)).toEqual({ kind: 'stop-watch' });
    expect(planVerb('watch', 'stop', ctx)).toEqual({ kind: 'stop-watch' });
  });

  it(':freeze names every filesystem or the mountpoints; :thaw and :info take nothing', () => {
    expect(planVerb('freeze', undefined, ctx)).toEqual({ kind: 'run', request: { verb: 'freeze', mountpoints: [] }, change: 'freezes every guest filesystem: writes in the guest block until they are thawed' });
    expect(planVerb('freeze', '/mnt/a /mnt/b', ctx)).toMatchObject({ request: { mountpoints: ['/mnt/a', '/mnt/b'] }, change: expect.stringMatching(/^freezes .*\/mnt\/a.*\/mnt\/b/) });
    expect(planVerb('thaw', undefined, ctx)).toEqual({ kind: 'run', request: { verb: 'thaw' }, change: "thaws the guest's frozen filesystems" });
    expect(planVerb('thaw', 'now', ctx)).toMatchObject({ kind: 'problem' });
    expect(planVerb('info', undefined, ctx)).toEqual({ kind: 'run', request: { verb: 'info' }, change: undefined });
    expect(planVerb('info', 'more', ctx)).toMatchObject({ kind: 'problem', message: ':info takes no arguments' });
  });
});
