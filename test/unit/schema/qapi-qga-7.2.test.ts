// The QEMU 7.2 guest-agent schema (what Debian 12 ships, gzip-compressed) must load with
// its legacy doc format. Counts are derived here from the raw text, independently of the
// reader, and compared with the model.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Schema } from '../../../src/schema/model.js';
import { readQapiFile } from '../../../src/schema/qapi/read.js';
import {
  allConditions, byName, countIfKeys, countKinds, crudeExpressions, definitionAsExpression, expectEveryDocLineKept,
  HOW_TO_GET_7_2, QGA_7_2, rawDocBlocks, rawText, requireDataFile,
} from './qapi-test-data.js';

let schema: Schema;
let text: string;

let loading: Promise<void> | undefined;

// Loaded once, but awaited before each test, so a missing data file fails every test
// with a clear message instead of leaving them skipped.
beforeEach(async () => {
  loading ??= (async () => {
    requireDataFile(QGA_7_2, HOW_TO_GET_7_2);
    text = rawText(QGA_7_2);
    schema = await readQapiFile(QGA_7_2);
  })();
  await loading;
});

/** Lines of the raw text matching `pattern`. */
function countLines(pattern: RegExp): number {
  return text.split('\n').filter((line) => pattern.test(line)).length;
}

describe('QEMU 7.2 qga schema (gzip)', () => {
  it('has as many definitions of each kind as the raw text shows', () => {
    const expected: Record<string, number> = {};
    for (const kind of ['command', 'struct', 'enum', 'union', 'alternate', 'event']) {
      const n = countLines(new RegExp(`^\\s*\\{ '${kind}':`));
      if (n > 0) expected[kind] = n;
    }
    expect(expected.command).toBeGreaterThan(30);
    expect(countKinds(schema)).toEqual(expected);
    expect(schema.definitions).toHaveLength(countLines(/^\s*\{ '(command|struct|enum|union|alternate)':/));
  });

  it('matches an independent crude reading of the same file, definition by definition', () => {
    const crude = crudeExpressions(text);
    const definitions = crude.filter((e) => !('pragma' in e));
    expect(definitions.length).toBe(schema.definitions.length);
    expect(schema.definitions.map(definitionAsExpression)).toEqual(definitions);
    expect(allConditions(schema)).toHaveLength(countIfKeys(crude));
    expect(allConditions(schema).length).toBe(countLines(/'if':/));
  });

  it('counts optional members like the raw text does', () => {
    const optionalInText = (text.replace(/^\s*#.*$/gm, '').match(/'\*[a-z]/g) ?? []).length;
    const optionalInModel = schema.definitions.flatMap((d) =>
      d.kind === 'struct' ? d.members : d.kind === 'command' ? d.args : d.kind === 'union' && typeof d.base !== 'string' ? d.base : [],
    ).filter((m) => m.optional).length;
    expect(optionalInModel).toBeGreaterThan(40);
    expect(optionalInModel).toBe(optionalInText);
  });

  it('has one doc block per definition plus the free-form headings', () => {
    const blocks = rawDocBlocks(text);
    const definitionBlocks = blocks.filter((b) => b.symbol !== undefined);
    expect(definitionBlocks.map((b) => b.symbol)).toEqual(schema.definitions.map((d) => d.name));
    expect(schema.freeDocs.map((f) => f.text.split('\n')[0])).toEqual(
      blocks.filter((b) => b.symbol === undefined).map((b) => b.lines[0]),
    );
    expect(schema.freeDocs[0]!.text).toMatch(/^= General note/);
  });

  it('fills sections as often as the raw text has their tags', () => {
    const docs = schema.definitions.map((d) => d.doc);
    expect(docs.filter((d) => d.returns !== undefined)).toHaveLength(countLines(/^# Returns:/));
    expect(docs.filter((d) => d.since !== undefined)).toHaveLength(countLines(/^# Since:/));
    expect(docs.flatMap((d) => d.notes)).toHaveLength(countLines(/^# (Notes?|TODO):/) + countLines(/^# \.\. note::/));
    expect(docs.flatMap((d) => d.examples)).toHaveLength(countLines(/^# Examples?:/) + countLines(/^# \.\. qmp-example::/));
    expect(countLines(/^# Notes?:/)).toBeGreaterThan(3);
  });

  it('keeps every doc line', () => {
    expect(expectEveryDocLineKept(schema, text)).toBeGreaterThan(800);
  });

  it('reads guest-exec, guest-shutdown and the features 7.2 lacks', () => {
    const exec = byName(schema, 'guest-exec');
    expect(exec.kind === 'command' && exec.args.map((m) => [m.name, m.type, m.optional])).toEqual([
      ['path', 'str', false], ['arg', ['str'], true], ['env', ['str'], true],
      ['input-data', 'str', true], ['capture-output', 'bool', true],
    ]);
    expect(exec.kind === 'command' && exec.returns).toBe('GuestExec');
    const shutdown = byName(schema, 'guest-shutdown');
    expect(shutdown.kind === 'command' && shutdown.successResponse).toBe(false);
    expect(schema.definitions.some((d) => d.name === 'GuestExecCaptureOutput')).toBe(false);
    expect(schema.definitions.some((d) => d.name === 'guest-get-load')).toBe(false);
    expect(byName(schema, 'guest-ssh-get-authorized-keys').if).toBe('CONFIG_POSIX');
  });

  it('puts legacy Note: and Notes: sections into notes, not the body', () => {
    const status = byName(schema, 'guest-fsfreeze-status');
    expect(status.doc.notes).toHaveLength(1);
    expect(status.doc.notes[0]).toMatch(/^This may fail to properly report the current state as a result of\nsome other guest/);
    expect(status.doc.returns).toMatch(/^GuestFsfreezeStatus/);
    const osInfo = byName(schema, 'GuestOSInfo');
    expect(osInfo.doc.notes).toHaveLength(1);
    expect(osInfo.doc.notes[0]).toMatch(/^On POSIX systems[\s\S]*\n\nOn Windows the values/);
    expect(osInfo.doc.body).toBe('');
    const suspend = byName(schema, 'guest-suspend-ram');
    expect(suspend.doc.notes[0]).toMatch(/^It's strongly recommended/);
    expect(suspend.doc.body).toMatch(/IMPORTANT: guest-suspend-ram requires/);
  });

  it('follows the old continuation rules', () => {
    const osInfo = byName(schema, 'GuestOSInfo');
    expect(osInfo.doc.members['kernel-release']).toBe('* POSIX: release field returned by uname(2)\n* Windows: build number of the OS');
    const busType = byName(schema, 'GuestDiskBusType');
    expect(Object.keys(busType.doc.members)).toHaveLength(20);
    expect(busType.doc.members.nvme).toBe('NVMe disks (since 7.1)');
    const memory = byName(schema, 'guest-set-memory-blocks');
    expect(memory.doc.returns).toMatch(/input list\.\n\nNote: it will return NULL/);
    expect(memory.doc.notes).toEqual([]);
    const exec = byName(schema, 'GuestExecStatus');
    expect(exec.doc.members['err-data']).toMatch(/^base64-encoded stderr of the process\nNote: @out-data/);
    const diskstats = byName(schema, 'guest-get-diskstats');
    expect(diskstats.doc.summary).toBe('Retrieve information about disk stats.');
    expect(diskstats.doc.returns).toBe('List of disk stats of guest.');
    const users = byName(schema, 'guest-get-users');
    expect(users.doc.summary).toBe('Retrieves a list of currently active users on the VM.');
  });

  it('handles the odd blocks: no Since, members without colons, bullets naming branches', () => {
    expect(schema.definitions.filter((d) => d.since === undefined).map((d) => d.name)).toEqual(['GuestDeviceType', 'GuestDiskStatsInfo']);
    const stats = byName(schema, 'GuestDiskStatsInfo');
    expect(stats.doc.members).toEqual({});
    expect(stats.doc.summary).toBe('@name disk name');
    const smart = byName(schema, 'GuestDiskSmart');
    expect(smart.doc.body).toBe('- @nvme: NVMe disk smart');
    const setPassword = byName(schema, 'guest-set-user-password');
    expect(setPassword.doc.summary).toMatch(/^If the @crypted flag is true/);
    expect(Object.keys(setPassword.doc.members)).toEqual(['username', 'password', 'crypted']);
  });

  it('extracts member versions in every inline spelling', () => {
    const members = (name: string) => {
      const def = byName(schema, name);
      return def.kind === 'struct' ? def.members : [];
    };
    const since = (def: string, member: string) => members(def).find((m) => m.name === member)?.since;
    expect(since('GuestAgentCommandInfo', 'success-response')).toBe('1.7');
    expect(since('GuestDiskAddress', 'ccw-address')).toBe('6.0');
    expect(since('GuestDiskInfo', 'smart')).toBe('7.1');
    expect(since('GuestNetworkInterface', 'statistics')).toBe('2.11');
    expect(since('GuestLinuxCpuStats', 'steal')).toBeUndefined();
    expect(byName(schema, 'GuestDiskBusType').since).toBe('2.2');
  });
});
