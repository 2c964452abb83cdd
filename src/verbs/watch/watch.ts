// `watch`: the same read-only command every few seconds, as an async iterator of ticks.
// Each tick carries the reply (or the agent's error) and the series computed so far, so
// the CLI and the shell render the same numbers. Ticks keep a fixed rhythm: the next one
// is due `everyMs` after the previous one started, whatever the command took.
import { AgentError, CancelledError, asQemuHostError } from '../../protocol/errors.js';
import type { JsonObject, JsonValue } from '../../protocol/json.js';
import { explainDisabled } from '../disabled.js';
import { callValue, sleep, type VerbSession } from '../verb-session.js';
import { checkWatchable } from './read-only.js';
import { samplesOf } from './samples.js';
import { SeriesTracker, type Series } from './series.js';

export interface WatchTick {
  /** 1 for the first. */
  n: number;
  /** When the command was sent (ms since the epoch). */
  at: number;
  /** Round trip of the command. */
  ms: number;
  value?: JsonValue;
  /** The agent's refusal this time (the watch goes on). */
  error?: AgentError;
  /** Every series so far; empty for commands without numbers. */
  series: Series[];
}

export interface WatchOptions {
  everyMs?: number;
  /** Stop after this many ticks. */
  count?: number;
  /** Abort to stop (the iterator just ends). */
  signal?: AbortSignal;
  callTimeoutMs?: number;
  /** Points kept per series. */
  capacity?: number;
}

export async function* watchCommand(
  session: VerbSession,
  command: string,
  args: JsonObject | undefined,
  options: WatchOptions = {},
): AsyncGenerator<WatchTick, void> {
  checkWatchable(command);
  const everyMs = options.everyMs ?? 2000;
  const tracker = new SeriesTracker(options.capacity);
  const callOptions = options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs };
  let due = performance.now();
  for (let n = 1; options.count === undefined || n <= options.count; n++) {
    if (options.signal?.aborted) return;
    const at = Date.now();
    const started = performance.now();
    const tick: WatchTick = { n, at, ms: 0, series: [] };
    try {
      tick.value = await callValue(session, command, args, callOptions);
      tick.series = tracker.push(at, samplesOf(command, tick.value));
    } catch (thrown) {
      const err = asQemuHostError(thrown);
      // An unknown or disabled command will not get better: fail at once on the first tick.
      if (!(err instanceof AgentError)) throw err;
      if (n === 1) throw await explainDisabled(session, err, command, undefined, options.callTimeoutMs);
      tick.error = err;
      tick.series = tracker.push(at, []);
    }
    tick.ms = performance.now() - started;
    yield tick;
    if (options.count !== undefined && n >= options.count) return;
    due += everyMs;
    try {
      await sleep(Math.max(0, due - performance.now()), options.signal);
    } catch (err) {
      if (err instanceof CancelledError) return;
      throw err;
    }
    if (due < performance.now()) due = performance.now();
  }
}
