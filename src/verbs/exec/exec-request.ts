// What `exec` asks the agent to run, and the guest-exec arguments that say so.
import { UsageError } from '../../protocol/errors.js';
import type { JsonObject } from '../../protocol/json.js';

export interface ExecSpec {
  /** The program; the agent searches PATH for a bare name. */
  path: string;
  args?: readonly string[];
  /**
   * `K=V` entries. Careful: the agent passes them as the child's WHOLE environment, so
   * PATH, HOME and the rest are gone unless listed too.
   */
  env?: readonly string[];
  /** Bytes for the process's stdin. Without it, stdin is /dev/null. */
  input?: Buffer;
  /** Collect stdout and stderr (default true). Without it the output goes nowhere. */
  captureOutput?: boolean;
}

/**
 * The largest stdin `exec` sends. It travels base64-encoded in one JSON string, and QEMU's
 * JSON reader refuses a token over 64 MiB; 16 MiB keeps far from that limit. Larger input
 * belongs in a file (`put`), read by the command.
 */
export const EXEC_INPUT_LIMIT = 16 * 1024 * 1024;

/** `sh -c LINE`: a shell line, pipes and redirections included. */
export function shellSpec(line: string, rest: Omit<ExecSpec, 'path' | 'args'> = {}): ExecSpec {
  return { ...rest, path: 'sh', args: ['-c', line] };
}

/** Checks `K=V` words; throws UsageError naming the first bad one. */
export function checkEnv(entries: readonly string[]): void {
  for (const entry of entries) {
    if (!/^[^=\s]+=/.test(entry)) {
      throw new UsageError(`--env takes NAME=VALUE, not "${entry}"`, { hint: 'For example --env LANG=C --env PATH=/usr/bin:/bin.' });
    }
  }
}

/** The guest-exec arguments for a spec. Throws UsageError for input over the limit. */
export function execArguments(spec: ExecSpec): JsonObject {
  if (spec.path === '') throw new UsageError('exec needs a command to run', { hint: 'For example: qemu-host exec -- uname -a' });
  const args: JsonObject = { path: spec.path };
  if (spec.args && spec.args.length > 0) args.arg = [...spec.args];
  if (spec.env) {
    checkEnv(spec.env);
    args.env = [...spec.env];
  }
  if (spec.input !== undefined) {
    if (spec.input.length > EXEC_INPUT_LIMIT) {
      throw new UsageError(`stdin for exec is ${spec.input.length} bytes; the limit is ${EXEC_INPUT_LIMIT} (16 MiB)`, {
        hint: 'Copy the data into the guest with `qemu-host put FILE GUEST_PATH` and let the command read that file.',
      });
    }
    args['input-data'] = spec.input.toString('base64');
  }
  args['capture-output'] = spec.captureOutput ?? true;
  return args;
}

/** The command as a person would type it, for messages. */
export function describeSpec(spec: ExecSpec): string {
  const words = [spec.path, ...(spec.args ?? [])];
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
