// Requests written to the agent and not yet answered, keyed by id. Replies are matched by
// id; a reply without an id (parse errors, or agents that do not echo ids) goes to the
// oldest entry, first in first out.
import type { JsonValue } from '../protocol/json.js';
import { stringifyJson } from '../protocol/json.js';

// A string id is its own key: no new string to build and hash per call. Every other id,
// and a string id that starts with NUL itself, gets a prefix starting with NUL, so two
// different ids never share a key.
function keyOf(id: JsonValue | undefined): string {
  if (typeof id === 'string') return id.charCodeAt(0) === 0 ? `\u0000s:${id}` : id;
  if (typeof id === 'bigint') return `\u0000n:${id}`;
  if (typeof id === 'number' && Number.isInteger(id)) return `\u0000n:${id}`;
  return `\u0000j:${stringifyJson(id ?? null)}`;
}

export class PendingTable<T> {
  private readonly entries = new Map<string, T>();

  get size(): number {
    return this.entries.size;
  }

  add(id: JsonValue, value: T): void {
    const key = keyOf(id);
    if (this.entries.has(key)) throw new Error(`duplicate request id ${stringifyJson(id)}`);
    this.entries.set(key, value);
  }

  has(id: JsonValue): boolean {
    return this.entries.has(keyOf(id));
  }

  /** Removes and returns the entry for this id. */
  take(id: JsonValue): T | undefined {
    const key = keyOf(id);
    const value = this.entries.get(key);
    if (value !== undefined) this.entries.delete(key);
    return value;
  }

  /** Removes and returns the oldest entry (FIFO fallback). */
  takeOldest(): T | undefined {
    const first = this.entries.entries().next();
    if (first.done) return undefined;
    this.entries.delete(first.value[0]);
    return first.value[1];
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const values = [...this.entries.values()];
    this.entries.clear();
    return values;
  }
}
