// A shell verb's entry in the history (:exec, :get, :put, :info, :watch, :freeze, :thaw).
// Like every history item it is immutable: each update (a poll, a chunk, a tick) replaces
// it with a new object, which is what the layout cache keys on.
import type { JsonValue } from '../../../protocol/json.js';
import type { TransferProgress } from '../../../verbs/transfer/progress.js';
import type { TransferResult } from '../../../verbs/transfer/transfer-types.js';
import type { Series } from '../../../verbs/watch/series.js';

export type VerbName = 'exec' | 'get' | 'put' | 'info' | 'watch' | 'freeze' | 'thaw';

export const VERB_NAMES: readonly VerbName[] = ['exec', 'get', 'put', 'info', 'watch', 'freeze', 'thaw'];

export function isVerbName(name: string): name is VerbName {
  return (VERB_NAMES as readonly string[]).includes(name);
}

export type VerbPhase = 'running' | 'stopping' | 'done' | 'failed' | 'cancelled';

export interface ExecOutcome {
  ended: 'exited' | 'signalled' | 'timed-out' | 'interrupted';
  exited: boolean;
  exitCode?: number;
  signal?: number;
  /** Decoded as UTF-8 (bytes that are not become U+FFFD; `binary` says so). */
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  stdoutBinary: boolean;
  stderrBinary: boolean;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** How it ended, in a sentence, when that needs saying (signal, stopped, ...). */
  end?: string;
  note?: string;
}

export interface ExecBody {
  verb: 'exec';
  /** The command as a person would type it. */
  command: string;
  pid?: number;
  outcome?: ExecOutcome;
}

export interface TransferBody {
  verb: 'get' | 'put';
  /** `guest:/path` or a host path. */
  from: string;
  to: string;
  handle?: number;
  progress?: TransferProgress;
  verifying: boolean;
  result?: TransferResult;
}

export interface InfoBody {
  verb: 'info';
  step?: { command: string; index: number; count: number };
  /** The overview as text tables (src/verbs/info/info-text.ts). */
  text?: string;
}

export interface WatchTickView {
  n: number;
  at: number;
  ms: number;
  value?: JsonValue;
  /** The agent's refusal this tick (the watch goes on). */
  error?: string;
  series: Series[];
}

export interface WatchBody {
  verb: 'watch';
  /** The command and its arguments as typed. */
  command: string;
  everyMs: number;
  tick?: WatchTickView;
}

export interface FreezeBody {
  verb: 'freeze' | 'thaw';
  /** "every guest filesystem", or the mountpoints. */
  what: string;
  count?: number;
  /** thaw: how long the guest had been frozen, when this shell knows. */
  frozenForMs?: number;
}

export type VerbBody = ExecBody | TransferBody | InfoBody | WatchBody | FreezeBody;

export interface VerbItem {
  kind: 'verb';
  id: number;
  verb: VerbName;
  /** The line as typed. */
  line: string;
  /** Date.now() when it started. */
  startedAt: number;
  elapsedMs: number;
  phase: VerbPhase;
  body: VerbBody;
  /** Why it failed or stopped. */
  message?: string;
  hint?: string;
  errorClass?: string;
}
