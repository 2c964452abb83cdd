// The shipped schema (schemas/qga.json) against QEMU 10.2's own qga/qapi-schema.json:
// the facts must agree exactly, and the help text must be complete and our own.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Branch, Definition, EnumValue, Member, Schema } from '../../../src/schema/model.js';
import { readQapiFile } from '../../../src/schema/qapi/read.js';
import { checkShipped, loadShippedSchema, SHIPPED_QEMU_VERSION } from '../../../src/schema/shipped.js';

// Repo at <root>/main, shared files at <root>/shared (same layout in CI).
const QEMU_10_2 = path.resolve(import.meta.dirname, '../../../../shared/qapi/qga-qapi-schema.json');
// QEMU 7.2's schema as Debian 12's qemu-guest-agent package installs it.
const QEMU_7_2 = process.env['QEMU_HOST_QGA_7_2_SCHEMA'] ?? '/usr/share/doc/qemu-guest-agent/qapi-schema.json.gz';

function requireFile(file: string, what: string): string {
  if (!existsSync(file)) {
    throw new Error(
      `${what} not found at ${file}. The shipped-schema tests compare against it and must not be skipped; ` +
        'restore the file (see shared/qapi/SOURCE.md) rather than disabling the test.',
    );
  }
  return file;
}

// ---- Facts: everything but help text and versions ----

const memberFacts = (m: Member) => ({
  name: m.name, type: m.type, optional: m.optional, if: m.if, features: m.features ?? [],
});
const valueFacts = (v: EnumValue) => ({ name: v.name, if: v.if });
const branchFacts = (b: Branch) => ({ name: b.name, type: b.type, if: b.if });

function facts(def: Definition): unknown {
  const common = { kind: def.kind, name: def.name, if: def.if, features: def.features ?? [] };
  switch (def.kind) {
    case 'command':
      return {
        ...common, args: def.args.map(memberFacts), argsType: def.argsType, boxed: def.boxed ?? false,
        returns: def.returns, successResponse: def.successResponse, allowOob: def.allowOob ?? false,
      };
    case 'struct':
      return { ...common, base: def.base, members: def.members.map(memberFacts) };
    case 'enum':
      return { ...common, values: def.values.map(valueFacts), prefix: def.prefix };
    case 'union':
      return {
        ...common, base: typeof def.base === 'string' ? def.base : def.base.map(memberFacts),
        discriminator: def.discriminator, branches: def.branches.map(branchFacts),
      };
    case 'alternate':
      return { ...common, branches: def.branches.map(branchFacts) };
    case 'event':
      return { ...common, args: def.args.map(memberFacts), argsType: def.argsType, boxed: def.boxed ?? false };
  }
}

/** Members, enum values and branches of a definition, with their inline help. */
function documented(def: Definition): (Member | EnumValue | Branch)[] {
  switch (def.kind) {
    case 'command':
    case 'event':
      return def.args;
    case 'struct':
      return def.members;
    case 'enum':
      return def.values;
    case 'union':
      return [...(typeof def.base === 'string' ? [] : def.base), ...def.branches];
    case 'alternate':
      return def.branches;
  }
}

const firstVersion = (text: string | undefined) => /\d+(?:\.\d+)+/.exec(text ?? '')?.[0];

describe('shipped schema', () => {
  const shipped = loadShippedSchema();

  it('loads with the expected header', () => {
    expect(SHIPPED_QEMU_VERSION).toBe('10.2');
    expect(shipped.qemuVersion).toBe(SHIPPED_QEMU_VERSION);
    expect(shipped.origin).toBe('shipped');
    expect(shipped.freeDocs).toEqual([]);
    expect(loadShippedSchema()).toBe(shipped);
  });

  it('rejects a file in another format', () => {
    expect(() => checkShipped({ format: 'qemu-host-schema/0', origin: 'x', definitions: [], pragmas: {}, freeDocs: [] }))
      .toThrow(/unsupported format "qemu-host-schema\/0"/);
    expect(() => checkShipped([])).toThrow(/JSON object/);
    expect(() => checkShipped({ format: 'qemu-host-schema/1', origin: 'x', definitions: [{}], pragmas: {}, freeDocs: [] }))
      .toThrow(/definition #0/);
  });

  it('has the counts QEMU 10.2 has (shared/qapi/FORMAT-NOTES.md, section 3)', () => {
    const defs = shipped.definitions;
    const kinds = (k: Definition['kind']) => defs.filter((d) => d.kind === k).length;
    expect([kinds('command'), kinds('struct'), kinds('enum'), kinds('union'), kinds('alternate'), kinds('event')])
      .toEqual([44, 34, 8, 3, 2, 0]);
    let args = 0, structMembers = 0, unionBase = 0, optional = 0, values = 0, ifs = 0, silent = 0;
    for (const d of defs) {
      if (d.if !== undefined) ifs++;
      if (d.kind === 'command') {
        args += d.args.length;
        optional += d.args.filter((m) => m.optional).length;
        if (!d.successResponse) silent++;
      } else if (d.kind === 'struct') {
        structMembers += d.members.length;
        optional += d.members.filter((m) => m.optional).length;
      } else if (d.kind === 'union' && typeof d.base !== 'string') {
        unionBase += d.base.length;
        optional += d.base.filter((m) => m.optional).length;
      } else if (d.kind === 'enum') {
        values += d.values.length;
        ifs += d.values.filter((v) => v.if !== undefined).length;
      }
    }
    expect({ args, structMembers, unionBase, optional, values, ifs, silent })
      .toEqual({ args: 35, structMembers: 178, unionBase: 3, optional: 87, values: 38, ifs: 56, silent: 4 });
  });
});

describe('shipped schema agrees with QEMU 10.2', () => {
  const shipped = loadShippedSchema();
  let qemu: Schema;

  beforeAll(async () => {
    qemu = await readQapiFile(requireFile(QEMU_10_2, "QEMU 10.2's guest-agent schema"));
  });

  it('defines the same names, in the same order: nothing missing, nothing invented', () => {
    const ours = shipped.definitions.map((d) => `${d.kind} ${d.name}`);
    const theirs = qemu.definitions.map((d) => `${d.kind} ${d.name}`);
    expect(ours.filter((n) => !theirs.includes(n)), 'invented').toEqual([]);
    expect(theirs.filter((n) => !ours.includes(n)), 'missing').toEqual([]);
    expect(ours).toEqual(theirs);
  });

  it('agrees on every member, type, optionality, reply, value, branch and condition', () => {
    const byName = new Map(qemu.definitions.map((d) => [d.name, d]));
    for (const def of shipped.definitions) {
      const theirs = byName.get(def.name);
      expect(theirs, def.name).toBeDefined();
      // Soft, so one run lists every definition that disagrees.
      expect.soft(facts(def), def.name).toEqual(facts(theirs!));
    }
  });

  it('carries the same pragmas', () => {
    expect(shipped.pragmas).toEqual(qemu.pragmas);
  });

  it('agrees on versions wherever QEMU states one', () => {
    const byName = new Map(qemu.definitions.map((d) => [d.name, d]));
    for (const def of shipped.definitions) {
      const theirs = byName.get(def.name)!;
      const stated = firstVersion(theirs.since ?? theirs.doc.since);
      if (stated !== undefined) expect(def.since, def.name).toBe(stated);
      const sinceOf = (m: Member | EnumValue | Branch) => ('since' in m ? m.since : undefined);
      const theirMembers = new Map(documented(theirs).map((m) => [m.name, sinceOf(m)]));
      for (const m of documented(def)) {
        const theirSince = theirMembers.get(m.name);
        // Only QEMU versions: GuestLinuxCpuStats cites Linux kernel versions instead.
        if (theirSince !== undefined && /^\d/.test(theirSince.trim())) {
          expect(sinceOf(m), `${def.name}.${m.name}`).toBe(firstVersion(theirSince));
        }
      }
    }
  });
});

describe('shipped help text', () => {
  const shipped = loadShippedSchema();

  it('gives every definition a single-line summary of at most 90 characters', () => {
    for (const def of shipped.definitions) {
      const s = def.doc.summary;
      expect(s.trim(), def.name).not.toBe('');
      expect(s, def.name).not.toMatch(/\n/);
      expect(s.length, `${def.name}: ${s}`).toBeLessThanOrEqual(90);
    }
  });

  it('documents every member, enum value and branch, one line each, and nothing else', () => {
    let count = 0;
    for (const def of shipped.definitions) {
      const items = documented(def);
      expect(Object.keys(def.doc.members).sort(), def.name).toEqual(items.map((m) => m.name).sort());
      for (const item of items) {
        const where = `${def.name}.${item.name}`;
        expect(item.doc?.trim(), where).toBeTruthy();
        expect(item.doc, where).not.toMatch(/\n/);
        expect(def.doc.members[item.name], where).toBe(item.doc);
        count++;
      }
    }
    expect(count).toBe(35 + 178 + 3 + 38 + 3 + 4);
  });

  it('describes what each command returns, and carries since on the doc too', () => {
    for (const def of shipped.definitions) {
      expect(def.doc.since, def.name).toBe(def.since);
      expect(def.doc.features, def.name).toEqual({});
      if (def.kind === 'command' && def.returns !== undefined) expect(def.doc.returns?.trim(), def.name).toBeTruthy();
    }
  });

  it('has a since for every definition, worked out from history where QEMU omits it', () => {
    for (const def of shipped.definitions) expect(def.since, def.name).toMatch(/^\d+\.\d+(\.\d+)?$/);
    const since = (name: string) => shipped.definitions.find((d) => d.name === name)?.since;
    expect(since('GuestDeviceType')).toBe('5.2'); // added with guest-get-devices' flat union, 5.2 cycle
    expect(since('GuestDiskStatsInfo')).toBe('7.1'); // added with guest-get-diskstats
  });

  it('warns about the things users trip over', () => {
    const text = (name: string) => {
      const def = shipped.definitions.find((d) => d.name === name);
      expect(def, name).toBeDefined();
      const d = def!.doc;
      return [d.summary, d.body, d.returns ?? '', d.errors ?? '', ...d.notes, ...Object.values(d.members)].join('\n');
    };
    const tips: [string, RegExp][] = [
      ['guest-file-read', /base64/], ['guest-file-read', /48 MiB/], ['guest-file-read', /before encoding/],
      ['GuestFileRead', /before base64/],
      ['guest-file-write', /base64/], ['guest-exec', /input-data is base64/],
      ['GuestExecStatus', /out-data.*base64/], ['GuestExecStatus', /err-data.*base64/],
      ['guest-file-open', /guest-file-close/], ['guest-file-open', /survive a disconnect/],
      ['guest-exec-status', /only when exited is true/], ['guest-exec-status', /first reply with exited: true/],
      ['guest-exec', /replaces the whole environment/], ['guest-exec', /8\.0/], ['guest-exec', /16 MiB/],
      ['guest-exec', /truncated/], ['GuestExecCaptureOutput', /8\.0/],
      ['guest-shutdown', /No reply/], ['guest-suspend-disk', /No reply/], ['guest-suspend-ram', /No reply/],
      ['guest-suspend-hybrid', /No reply/],
      ['guest-fsfreeze-freeze', /guest-ping, guest-info, guest-sync, guest-sync-delimited/],
      ['guest-fsfreeze-freeze-list', /refuses every command except/],
      ['guest-get-time', /2\^53/], ['guest-set-user-password', /crypted/], ['guest-set-user-password', /[Bb]ase64/],
      ['guest-ssh-add-authorized-keys', /not base64-encode/], ['guest-sync-delimited', /0xFF/],
    ];
    for (const [name, pattern] of tips) expect(text(name), `${name} should mention ${pattern}`).toMatch(pattern);
  });
});

// ---- Originality: QEMU's documentation is GPL; ours must not reuse its sentences ----

const RUN = 8;
// Joins words the way a reflowed QAPI comment would: a line break and a comment marker.
const REFLOW = ' \n#   ';

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** The comment text of a QAPI file: every line starting with '#', minus the '#'. */
function commentText(source: string): string {
  return source.split('\n').filter((l) => l.startsWith('#')).map((l) => l.slice(1)).join('\n');
}

function runs(text: string): string[] {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + RUN <= w.length; i++) out.push(w.slice(i, i + RUN).join(' '));
  return out;
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) yield* strings(v);
}

describe('shipped help text is our own', () => {
  const shipped = loadShippedSchema();

  it.each([
    ['QEMU 10.2', QEMU_10_2],
    ['QEMU 7.2', QEMU_7_2],
  ])(`shares no ${RUN}-word run with the %s documentation`, (label, file) => {
    const raw = readFileSync(requireFile(file, `${label}'s guest-agent schema`));
    const source = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const theirs = new Set(runs(commentText(source)));
    expect(theirs.size, `${label}: no doc text found`).toBeGreaterThan(1000);
    const copied: string[] = [];
    for (const def of shipped.definitions) {
      const ownText = [...strings(def.doc), ...documented(def).map((m) => m.doc ?? '')];
      for (const s of ownText) for (const run of runs(s)) if (theirs.has(run)) copied.push(`${def.name}: "${run}"`);
    }
    expect(copied).toEqual([]);
  });

  it('the check itself catches a copied phrase', () => {
    const source = readFileSync(requireFile(QEMU_10_2, "QEMU 10.2's guest-agent schema"), 'utf8');
    const comments = commentText(source);
    const theirs = new Set(runs(comments));
    // Take a stretch of QEMU's own text (not stored here), then reflow and recase it.
    const stretch = words(comments).slice(500, 512);
    const disguised = stretch.map((w, i) => (i % 3 === 0 ? w.toUpperCase() : w)).join(REFLOW);
    expect(runs(disguised).some((r) => theirs.has(r))).toBe(true);
    expect(runs('a sentence of our own that QEMU never wrote in any of its guest agent files')
      .some((r) => theirs.has(r))).toBe(false);
  });
});
