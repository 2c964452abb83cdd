// The QEMU 10.2 guest-agent schema must load completely: the counts below are the ones
// listed in shared/qapi/FORMAT-NOTES.md section 3, checked against the reader's model.
import { beforeEach, describe, expect, it } from 'vitest';
import { elementType, isBuiltin, isList, type Condition, type Schema, type TypeRef } from '../../../src/schema/model.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { readQapiFile } from '../../../src/schema/qapi/read.js';
import {
  allConditions, byName, countKinds, crudeExpressions, definitionAsExpression, expectEveryDocLineKept,
  HOW_TO_GET_10_2, membersByRole, QGA_10_2, rawText, requireDataFile,
} from './qapi-test-data.js';

let schema: Schema;
let text: string;

let loading: Promise<void> | undefined;

// Loaded once, but awaited before each test, so a missing data file fails every test
// with a clear message instead of leaving them skipped.
beforeEach(async () => {
  loading ??= (async () => {
    requireDataFile(QGA_10_2, HOW_TO_GET_10_2);
    text = rawText(QGA_10_2);
    schema = await readQapiFile(QGA_10_2);
  })();
  await loading;
});

function commands(): Extract<Schema['definitions'][number], { kind: 'command' }>[] {
  return schema.definitions.filter((d) => d.kind === 'command');
}

function conditionForm(cond: Condition): string {
  if (typeof cond === 'string') return 'string';
  if ('any' in cond) return `any of ${cond.any.length}`;
  if ('all' in cond) return `all of ${cond.all.length}`;
  return 'not';
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

describe('QEMU 10.2 qga schema', () => {
  it('has the definitions, pragmas and no events or includes', () => {
    expect(countKinds(schema)).toEqual({ command: 44, struct: 34, enum: 8, union: 3, alternate: 2 });
    expect(schema.origin).toBe(QGA_10_2);
    expect(schema.qemuVersion).toBeUndefined();
    const pragmaExpressions = crudeExpressions(text).filter((e) => 'pragma' in e);
    expect(pragmaExpressions).toHaveLength(2);
    expect(schema.pragmas['doc-required']).toBe(true);
    expect(schema.pragmas['member-name-exceptions']).toEqual(['GuestAgentInfo']);
    expect(schema.pragmas['command-returns-exceptions']).toHaveLength(9);
    expect(schema.pragmas['documentation-exceptions']).toEqual(['GuestNVMeSmart']);
  });

  it('matches an independent crude reading of the same file, definition by definition', () => {
    const crude = crudeExpressions(text).filter((e) => !('pragma' in e));
    expect(schema.definitions.map(definitionAsExpression)).toEqual(crude);
  });

  it('reads command data and returns in every form', () => {
    const cmds = commands();
    expect(cmds.filter((c) => c.args.length > 0)).toHaveLength(20);
    expect(cmds.filter((c) => c.args.length === 0 && c.argsType === undefined)).toHaveLength(24);
    expect(cmds.filter((c) => c.argsType !== undefined)).toHaveLength(0);
    const returnForms = tally(cmds.map((c) => {
      if (c.returns === undefined) return 'absent';
      if (isList(c.returns)) return 'list';
      return c.returns === 'int' ? 'int' : 'named';
    }));
    expect(returnForms).toEqual({ absent: 11, int: 8, named: 14, list: 11 });
    const silent = cmds.filter((c) => !c.successResponse).map((c) => c.name).sort();
    expect(silent).toEqual(['guest-shutdown', 'guest-suspend-disk', 'guest-suspend-hybrid', 'guest-suspend-ram']);
    expect(cmds.some((c) => c.boxed !== undefined || c.allowOob !== undefined || c.features !== undefined)).toBe(false);
  });

  it('counts members, optional members and array references', () => {
    const { args, structMembers, unionBase } = membersByRole(schema);
    expect([args.length, structMembers.length, unionBase.length]).toEqual([35, 178, 3]);
    expect([...args, ...structMembers, ...unionBase].filter((m) => m.optional)).toHaveLength(87);
    const listReturns = commands().filter((c) => c.returns !== undefined && isList(c.returns));
    expect([args.filter((m) => isList(m.type)).length, listReturns.length, structMembers.filter((m) => isList(m.type)).length])
      .toEqual([7, 11, 6]);
  });

  it('reads enum values (one in object form), union and alternate branches', () => {
    const enums = schema.definitions.filter((d) => d.kind === 'enum');
    expect(enums.flatMap((e) => e.values)).toHaveLength(38);
    const mode = byName(schema, 'GuestExecCaptureOutputMode');
    expect(mode.kind === 'enum' && mode.values.filter((v) => v.if !== undefined)).toEqual([
      { name: 'merged', if: { not: 'CONFIG_WIN32' }, doc: 'capture both stdout and stderr, but merge together into\nout-data.  Not effective on windows guests.' },
    ]);
    const unions = schema.definitions.filter((d) => d.kind === 'union');
    const alternates = schema.definitions.filter((d) => d.kind === 'alternate');
    expect(unions.flatMap((u) => u.branches)).toHaveLength(3);
    expect(alternates.flatMap((a) => a.branches)).toHaveLength(4);
    for (const union of unions) {
      expect(union.discriminator).toBe('type');
      expect(Array.isArray(union.base) && union.base.map((m) => m.name)).toEqual(['type']);
    }
    const capture = byName(schema, 'GuestExecCaptureOutput');
    expect(capture.kind === 'alternate' && capture.branches.map((b) => [b.name, b.type, b.doc?.slice(0, 13)])).toEqual([
      ['flag', 'bool', 'captures both'],
      ['mode', 'GuestExecCaptureOutputMode', 'capture mode;'],
    ]);
  });

  it('reads all 56 if conditions, by form and by place', () => {
    const conditions = allConditions(schema);
    expect(conditions).toHaveLength(56);
    expect(tally(conditions.map((c) => conditionForm(c.cond)))).toEqual({ string: 23, 'any of 2': 31, 'any of 3': 1, not: 1 });
    expect(tally(conditions.map((c) => c.place))).toEqual({ command: 23, struct: 23, enum: 6, union: 3, 'enum value': 1 });
  });

  it('counts built-in type uses', () => {
    const refs: TypeRef[] = [];
    for (const def of schema.definitions) {
      if (def.kind === 'command') {
        refs.push(...def.args.map((m) => m.type));
        if (def.returns !== undefined) refs.push(def.returns);
      }
      if (def.kind === 'struct') refs.push(...def.members.map((m) => m.type));
      if (def.kind === 'union' && typeof def.base !== 'string') refs.push(...def.base.map((m) => m.type));
      if (def.kind === 'union' || def.kind === 'alternate') refs.push(...def.branches.map((b) => b.type));
    }
    const builtins = tally(refs.map(elementType).filter(isBuiltin));
    expect(builtins).toEqual({ uint64: 64, str: 60, int: 59, bool: 16, number: 4, uint16: 2 });
  });

  it('resolves every type reference through the lookup', () => {
    const lookup = new SchemaLookup(schema);
    expect(lookup.commands()).toHaveLength(44);
    expect(lookup.structMembers('GuestDiskSmart').map((m) => m.name)).toEqual(['type']);
    const exec = lookup.command('guest-exec')!;
    expect(lookup.commandArgs(exec).map((m) => `${m.optional ? '*' : ''}${m.name}:${String(m.type)}`)).toEqual([
      'path:str', '*arg:str', '*env:str', '*input-data:str', '*capture-output:GuestExecCaptureOutput',
    ]);
  });

  it('has 91 definition doc blocks and one free-form block holding the only example', () => {
    expect(schema.definitions.every((d) => d.doc.since !== undefined || d.doc.summary !== '' || Object.keys(d.doc.members).length > 0)).toBe(true);
    expect(schema.freeDocs).toHaveLength(1);
    expect(schema.freeDocs[0]!.text).toContain('.. qmp-example::');
    expect(schema.freeDocs[0]!.source).toBe(`${QGA_10_2}:4`);
    expect(schema.definitions.flatMap((d) => d.doc.examples)).toEqual([]);
  });

  it('fills the tagged sections: Returns 21, Since 89, Errors 4, TODO 1, 8 notes', () => {
    const docs = schema.definitions.map((d) => d.doc);
    expect(docs.filter((d) => d.returns !== undefined)).toHaveLength(21);
    expect(docs.filter((d) => d.since !== undefined)).toHaveLength(89);
    expect(docs.filter((d) => d.errors !== undefined)).toHaveLength(4);
    const notes = docs.flatMap((d) => d.notes);
    expect(notes.filter((n) => n.startsWith('TODO: '))).toEqual(['TODO: document members briefly']);
    expect(notes.filter((n) => !n.startsWith('TODO: '))).toHaveLength(8);
    expect(docs.every((d) => Object.keys(d.features).length === 0)).toBe(true);
  });

  it('leaves since unset only on GuestDeviceType and GuestDiskStatsInfo', () => {
    expect(schema.definitions.filter((d) => d.since === undefined).map((d) => d.name)).toEqual(['GuestDeviceType', 'GuestDiskStatsInfo']);
    const bus = byName(schema, 'GuestDiskBusType');
    expect(bus.since).toBe('2.2');
    expect(bus.doc.since).toBe("2.2; 'Unknown' and all entries below since 2.4");
    expect(byName(schema, 'guest-get-load').since).toBe('10.0');
    expect(byName(schema, 'guest-sync').since).toBe('0.15.0');
  });

  it('keeps every doc line, and copies member text onto members with inline versions', () => {
    expect(expectEveryDocLineKept(schema, text)).toBeGreaterThan(1000);
    for (const def of schema.definitions) {
      const owned = def.kind === 'struct' ? def.members : def.kind === 'command' ? def.args
        : def.kind === 'enum' ? def.values : def.kind === 'union' || def.kind === 'alternate' ? def.branches : [];
      for (const item of owned) expect(item.doc, `${def.name}.${item.name}`).toBe(def.doc.members[item.name]);
    }
    const member = (def: string, name: string) => {
      const d = byName(schema, def);
      return (d.kind === 'struct' ? d.members : d.kind === 'command' ? d.args : []).find((m) => m.name === name)!;
    };
    expect(member('GuestAgentCommandInfo', 'success-response').since).toBe('1.7');
    expect(member('GuestDiskAddress', 'serial').since).toBe('3.1');
    expect(member('GuestDiskInfo', 'smart').since).toBe('7.1');
    expect(member('GuestFilesystemInfo', 'total-bytes-privileged').since).toBe('9.1');
    expect(member('GuestLinuxCpuStats', 'iowait').since).toBeUndefined();
    expect(member('GuestOSInfo', 'kernel-release').doc).toBe('* POSIX: release field returned by uname(2)\n* Windows: build number of the OS');
  });

  it('splits summary and body and keeps notes apart from the body', () => {
    const freeze = byName(schema, 'guest-fsfreeze-freeze');
    expect(freeze.doc.summary).toMatch(/^Sync and freeze all freezable, local guest filesystems\.\s+If this command succeeded/);
    expect(freeze.doc.summary).not.toContain('\n');
    expect(freeze.doc.body).toMatch(/^On error, all filesystems will be thawed\./);
    expect(freeze.doc.notes).toHaveLength(1);
    expect(freeze.doc.notes[0]).toMatch(/^On Windows, the command is implemented/);
    expect(freeze.doc.body).not.toContain('Volume Shadow-copy');
    expect(freeze.source).toMatch(/qga-qapi-schema\.json:\d+$/);
  });
});
