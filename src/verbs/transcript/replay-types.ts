// What replaying one recorded call came to, as the report (text or --json) shows it.
import type { JsonValue } from '../../protocol/json.js';
import type { CallStatus } from '../../session/events.js';
import type { Mapping } from './value-map.js';

/**
 * same      the replies match (after mapping handles and pids)
 * volatile  they differ only where differences are expected (clocks, counters, polls);
 *           every such path is listed under `ignored`
 * differs   they differ elsewhere, or the outcome differs (a reply against a timeout)
 * skipped   not sent, and `notes` says why (a redacted secret, --read-only, ...)
 * failed    the replay could not get an outcome (the connection to the agent was lost)
 */
export type ReplayOutcome = 'same' | 'volatile' | 'differs' | 'skipped' | 'failed';

export interface PathDifference {
  path: string;
  change: 'changed' | 'added' | 'removed';
  recorded?: JsonValue;
  replayed?: JsonValue;
}

export interface IgnoredDifference extends PathDifference {
  /** The --ignore pattern, the built-in volatile path, or the rule that covered it. */
  by: string;
}

export interface ReplayedCall {
  /** The call's line in the transcript (1-based). */
  lineNo: number;
  seq: number;
  execute: string;
  outcome: ReplayOutcome;
  recordedStatus: CallStatus;
  replayedStatus?: CallStatus;
  differences: PathDifference[];
  ignored: IgnoredDifference[];
  /** Handles and pids paired or substituted for this call. */
  mapped: Mapping[];
  notes: string[];
  recordedMs: number;
  replayedMs?: number;
}

export interface ReplaySummary {
  calls: number;
  same: number;
  volatile: number;
  differs: number;
  skipped: number;
  failed: number;
  /** Recorded calls not replayed because the connection was lost first. */
  notRun: number;
  /** Why the replay stopped early, when it did. */
  stoppedBy?: { class: string; desc: string };
}
