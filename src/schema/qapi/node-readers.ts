// Typed access to syntax-tree values, each failing with a positioned message that names
// what was being read ("'data' of struct 'Foo' must be an object").
import type { Condition, Member, TypeRef } from '../model.js';
import { describeNode, findEntry, type QList, type QNode, type QObject, type QString } from './ast.js';
import { readCondition } from './condition.js';
import { errorAt, type SourcePos } from './errors.js';

/** A type name used somewhere, kept with its position for the reference check. */
export interface TypeUse extends SourcePos {
  name: string;
  /** What uses it, for messages: "member 'x' of struct 'Foo'". */
  usedBy: string;
}

const DEFINITION_NAME = /^(?:__[A-Za-z0-9.-]+_)?[A-Za-z][A-Za-z0-9_.-]*$/;
const MEMBER_NAME = /^(?:__[A-Za-z0-9.-]+_)?[A-Za-z][A-Za-z0-9_-]*$/;
const ENUM_VALUE_NAME = /^(?:__[A-Za-z0-9.-]+_)?[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export type NameRule = 'definition' | 'member' | 'enum-value';

export function checkName(name: string, rule: NameRule, pos: SourcePos, what: string): void {
  const pattern = rule === 'definition' ? DEFINITION_NAME : rule === 'member' ? MEMBER_NAME : ENUM_VALUE_NAME;
  if (!pattern.test(name)) throw errorAt(pos, `invalid name '${name}' for ${what}`);
}

export function expectString(node: QNode, what: string): QString {
  if (node.type !== 'string') throw errorAt(node, `${what} must be a string, not ${describeNode(node)}`);
  return node;
}

export function expectBool(node: QNode, what: string): boolean {
  if (node.type !== 'bool') throw errorAt(node, `${what} must be true or false, not ${describeNode(node)}`);
  return node.value;
}

export function expectObject(node: QNode, what: string): QObject {
  if (node.type !== 'object') throw errorAt(node, `${what} must be an object, not ${describeNode(node)}`);
  return node;
}

export function expectList(node: QNode, what: string): QList {
  if (node.type !== 'list') throw errorAt(node, `${what} must be a list, not ${describeNode(node)}`);
  return node;
}

/** Rejects keys outside `allowed`, pointing at the first stray key. */
export function checkKeys(obj: QObject, allowed: readonly string[], what: string): void {
  for (const entry of obj.entries) {
    if (!allowed.includes(entry.key)) throw errorAt(entry.keyPos, `unknown key '${entry.key}' in ${what}`);
  }
}

export function optionalCondition(obj: QObject): Condition | undefined {
  const entry = findEntry(obj, 'if');
  return entry ? readCondition(entry.value) : undefined;
}

/** `'T'` or `['T']`. */
export function readTypeRef(node: QNode, usedBy: string, uses: TypeUse[]): TypeRef {
  if (node.type === 'string') {
    uses.push({ name: node.value, usedBy, file: node.file, line: node.line, col: node.col });
    return node.value;
  }
  if (node.type === 'list') {
    const [only, extra] = node.items;
    if (!only || extra) throw errorAt(node, `an array type for ${usedBy} must be a list of exactly one type name`);
    const name = expectString(only, `the array element type of ${usedBy}`);
    uses.push({ name: name.value, usedBy, file: name.file, line: name.line, col: name.col });
    return [name.value];
  }
  throw errorAt(node, `the type of ${usedBy} must be a type name or a one-element list, not ${describeNode(node)}`);
}

/** `features: ['name' | {name, if}]`, returned as names. */
export function readFeatures(node: QNode, what: string): string[] {
  const list = expectList(node, `'features' of ${what}`);
  return list.items.map((item) => {
    if (item.type === 'string') {
      checkName(item.value, 'member', item, `a feature of ${what}`);
      return item.value;
    }
    const obj = expectObject(item, `a feature of ${what}`);
    checkKeys(obj, ['name', 'if'], `a feature of ${what}`);
    const name = findEntry(obj, 'name');
    if (!name) throw errorAt(obj, `a feature of ${what} is missing 'name'`);
    optionalCondition(obj);
    const value = expectString(name.value, `the feature name in ${what}`);
    checkName(value.value, 'member', value, `a feature of ${what}`);
    return value.value;
  });
}

/** Members as written in `data` (or an inline union base): `'name'`/`'*name'` to a type. */
export function readMembers(obj: QObject, owner: string, uses: TypeUse[]): Member[] {
  const members: Member[] = [];
  const seen = new Set<string>();
  for (const entry of obj.entries) {
    const optional = entry.key.startsWith('*');
    const name = optional ? entry.key.slice(1) : entry.key;
    const what = `member '${name}' of ${owner}`;
    checkName(name, 'member', entry.keyPos, `a member of ${owner}`);
    if (seen.has(name)) throw errorAt(entry.keyPos, `duplicate member '${name}' in ${owner}`);
    seen.add(name);
    members.push(readMember(name, optional, entry.value, what, uses));
  }
  return members;
}

function readMember(name: string, optional: boolean, node: QNode, what: string, uses: TypeUse[]): Member {
  if (node.type !== 'object') return { name, type: readTypeRef(node, what, uses), optional };
  checkKeys(node, ['type', 'if', 'features'], what);
  const typeEntry = findEntry(node, 'type');
  if (!typeEntry) throw errorAt(node, `${what} is missing 'type'`);
  const member: Member = { name, type: readTypeRef(typeEntry.value, what, uses), optional };
  const condition = optionalCondition(node);
  if (condition !== undefined) member.if = condition;
  const features = findEntry(node, 'features');
  if (features) member.features = readFeatures(features.value, what);
  return member;
}
