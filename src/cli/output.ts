// Printing results and errors for the command line.
import { QemuHostError, asQemuHostError } from '../protocol/errors.js';
import { stringifyJson, type JsonValue } from '../protocol/json.js';
import type { CliContext } from './context.js';

export function printValue(ctx: CliContext, value: JsonValue): void {
  ctx.stdout.write(`${stringifyJson(value, ctx.json ? undefined : 2)}\n`);
}

/** The one-line JSON shape of a tool failure, as batch mode and --json print it. */
export function errorObject(err: QemuHostError): { error: { class: string; desc: string } } {
  return { error: { class: err.code, desc: err.hint ? `${err.message}. ${err.hint}` : err.message } };
}

export function printError(ctx: CliContext, thrown: unknown): number {
  const err = asQemuHostError(thrown);
  ctx.stderr.write(`qemu-host: ${err.describe()}\n`);
  return err.exitCode;
}
