// Where two JSON values differ, as a list of paths with both sides. Objects are compared
// key by key, arrays index by index; integers compare by value whether they arrived as
// number or BigInt. A difference is reported at the deepest path where the two sides
// still have the same shape.
import { isJsonObject, type JsonValue } from '../../protocol/json.js';
import type { PathSegment } from './json-path.js';

export interface Difference {
  path: PathSegment[];
  /** `removed`: only the recording has it; `added`: only the replay has it. */
  change: 'changed' | 'added' | 'removed';
  recorded?: JsonValue;
  replayed?: JsonValue;
}

export function diffJson(recorded: JsonValue, replayed: JsonValue): Difference[] {
  const out: Difference[] = [];
  walk(recorded, replayed, [], out);
  return out;
}

function walk(a: JsonValue, b: JsonValue, path: PathSegment[], out: Difference[]): void {
  if (isJsonObject(a) && isJsonObject(b)) {
    for (const key of Object.keys(a)) {
      if (!Object.hasOwn(b, key)) out.push({ path: [...path, key], change: 'removed', recorded: a[key] });
      else walk(a[key]!, b[key]!, [...path, key], out);
    }
    for (const key of Object.keys(b)) {
      if (!Object.hasOwn(a, key)) out.push({ path: [...path, key], change: 'added', replayed: b[key] });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) walk(a[i]!, b[i]!, [...path, i], out);
    for (let i = common; i < a.length; i++) out.push({ path: [...path, i], change: 'removed', recorded: a[i] });
    for (let i = common; i < b.length; i++) out.push({ path: [...path, i], change: 'added', replayed: b[i] });
    return;
  }
  if (!sameScalar(a, b)) out.push({ path, change: 'changed', recorded: a, replayed: b });
}

function sameScalar(a: JsonValue, b: JsonValue): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'number' && typeof b === 'number') return a === b;
    const big = (v: number | bigint): bigint | undefined => (typeof v === 'bigint' ? v : Number.isInteger(v) ? BigInt(v) : undefined);
    const x = big(a);
    return x !== undefined && x === big(b);
  }
  // Objects against arrays, strings against numbers, ...: a change of shape.
  if (typeof a === 'object' || typeof b === 'object') return a === null && b === null;
  return a === b;
}
