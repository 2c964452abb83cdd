// A small inline schema with one of everything validation must handle: scalars of every
// width, enums, alternates, nested structs with a base, a union, lists, `any`, a command
// whose arguments are a named struct, and one whose arguments are a union.
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { emptyDoc, type Definition, type Member, type TypeRef } from '../../../src/schema/model.js';

function m(spec: string, type: TypeRef, doc?: string): Member {
  const optional = spec.startsWith('*');
  return { name: optional ? spec.slice(1) : spec, type, optional, ...(doc ? { doc } : {}) };
}

function command(name: string, args: Member[], extra: Partial<Extract<Definition, { kind: 'command' }>> = {}): Definition {
  return { kind: 'command', name, args, successResponse: true, doc: emptyDoc(), ...extra };
}

const definitions: Definition[] = [
  command('guest-ping', []),
  command('guest-file-open', [m('path', 'str', 'Absolute path of the file.'), m('*mode', 'str')], { returns: 'int' }),
  command('guest-file-read', [m('handle', 'int'), m('*count', 'int')]),
  command('guest-shutdown', [m('*mode', 'str')], { successResponse: false }),
  { kind: 'enum', name: 'QGASeek', values: [{ name: 'set' }, { name: 'cur' }, { name: 'end' }], doc: emptyDoc() },
  {
    kind: 'alternate', name: 'GuestFileWhence', doc: emptyDoc(),
    branches: [{ name: 'value', type: 'int' }, { name: 'name', type: 'QGASeek' }],
  },
  command('guest-file-seek', [m('handle', 'int'), m('offset', 'int'), m('whence', 'GuestFileWhence')]),
  {
    kind: 'enum', name: 'GuestExecCaptureOutputMode', doc: emptyDoc(),
    values: ['none', 'stdout', 'stderr', 'separated', 'merged'].map((name) => ({ name })),
  },
  {
    kind: 'alternate', name: 'GuestExecCaptureOutput', doc: emptyDoc(),
    branches: [{ name: 'flag', type: 'bool' }, { name: 'mode', type: 'GuestExecCaptureOutputMode' }],
  },
  command('guest-exec', [
    m('path', 'str'), m('*arg', ['str']), m('*env', ['str']), m('*input-data', 'str'),
    m('*capture-output', 'GuestExecCaptureOutput'),
  ]),
  command('guest-set-time', [m('*time', 'int')]),
  { kind: 'struct', name: 'Base', members: [m('id', 'int')], doc: emptyDoc() },
  { kind: 'struct', name: 'GuestMemoryBlock', base: 'Base', members: [m('phys-index', 'uint64'), m('online', 'bool'), m('*can-offline', 'bool')], doc: emptyDoc() },
  command('guest-set-memory-blocks', [m('mem-blks', ['GuestMemoryBlock'])]),
  command('widths', [
    m('*i8', 'int8'), m('*i16', 'int16'), m('*i32', 'int32'), m('*i64', 'int64'),
    m('*u8', 'uint8'), m('*u16', 'uint16'), m('*u32', 'uint32'), m('*u64', 'uint64'), m('*sz', 'size'),
    m('*num', 'number'), m('*flag', 'bool'), m('*nothing', 'null'), m('*anything', 'any'), m('*qtype', 'QType'),
  ]),
  { kind: 'enum', name: 'Shape', values: [{ name: 'circle' }, { name: 'square' }, { name: 'point' }], doc: emptyDoc() },
  { kind: 'struct', name: 'Circle', members: [m('radius', 'number')], doc: emptyDoc() },
  { kind: 'struct', name: 'Square', members: [m('side', 'uint32')], doc: emptyDoc() },
  {
    kind: 'union', name: 'Figure', base: [m('kind', 'Shape'), m('*label', 'str')], discriminator: 'kind', doc: emptyDoc(),
    branches: [{ name: 'circle', type: 'Circle' }, { name: 'square', type: 'Square' }],
  },
  command('draw', [m('figure', 'Figure'), m('*more', ['Figure'])]),
  { kind: 'struct', name: 'NamedArgs', members: [m('who', 'str'), m('*times', 'uint8')], doc: emptyDoc() },
  command('greet', [], { argsType: 'NamedArgs' }),
  command('draw-boxed', [], { argsType: 'Figure', boxed: true }),
];

export const fixture = new SchemaLookup({ origin: 'test fixture', definitions, pragmas: {}, freeDocs: [] });
