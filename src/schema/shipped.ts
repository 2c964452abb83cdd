// The schema we ship: every guest-agent command up to QEMU 10.2, with help text written
// by us (QEMU's own documentation is GPL, so only the facts are taken from it). The agent
// has no introspection, so help, completion and argument forms all start from this.
// The JSON is imported directly; esbuild inlines it into the CLI bundle.
import data from '../../schemas/qga.json' with { type: 'json' };
import type { Schema } from './model.js';

/** QEMU release whose guest-agent schema `schemas/qga.json` describes. */
export const SHIPPED_QEMU_VERSION = '10.2';

/** The `format` tag the shipped file must carry; bump it when the layout changes. */
export const SHIPPED_SCHEMA_FORMAT = 'qemu-host-schema/1';

let cached: Schema | undefined;

/**
 * The shipped schema, checked once and then shared: callers must treat it as read-only
 * (clone it first if something needs to change it).
 */
export function loadShippedSchema(): Schema {
  cached ??= checkShipped(data as unknown);
  return cached;
}

/** Validates the top level of a serialized schema and returns it as a `Schema`. */
export function checkShipped(raw: unknown): Schema {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('shipped schema: expected a JSON object at the top level');
  }
  const file = raw as Record<string, unknown>;
  if (file['format'] !== SHIPPED_SCHEMA_FORMAT) {
    throw new Error(
      `shipped schema: unsupported format ${JSON.stringify(file['format'])} ` +
        `(this build reads ${JSON.stringify(SHIPPED_SCHEMA_FORMAT)})`,
    );
  }
  const { origin, qemuVersion, definitions, pragmas, freeDocs } = file;
  if (typeof origin !== 'string') throw new Error("shipped schema: 'origin' must be a string");
  if (qemuVersion !== undefined && typeof qemuVersion !== 'string') {
    throw new Error("shipped schema: 'qemuVersion' must be a string");
  }
  if (!Array.isArray(definitions)) throw new Error("shipped schema: 'definitions' must be an array");
  if (typeof pragmas !== 'object' || pragmas === null || Array.isArray(pragmas)) {
    throw new Error("shipped schema: 'pragmas' must be an object");
  }
  if (!Array.isArray(freeDocs)) throw new Error("shipped schema: 'freeDocs' must be an array");
  for (const [i, def] of definitions.entries()) {
    const d = def as Record<string, unknown> | null;
    if (typeof d !== 'object' || d === null || typeof d['name'] !== 'string' || typeof d['kind'] !== 'string') {
      throw new Error(`shipped schema: definition #${i} lacks a name or kind`);
    }
  }
  return {
    origin,
    ...(qemuVersion === undefined ? {} : { qemuVersion }),
    definitions: definitions as Schema['definitions'],
    pragmas: pragmas as Record<string, unknown>,
    freeDocs: freeDocs as Schema['freeDocs'],
  };
}
