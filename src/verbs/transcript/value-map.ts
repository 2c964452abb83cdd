// Values the agent hands out that a replay gets anew: file handles from guest-file-open
// and pids from guest-exec. The recorded value and the replayed one are paired when the
// call that produced them is replayed, and later requests that name the recorded value
// are sent with the replayed one, so an open/read/close or exec/status sequence replays
// as it was recorded.
import { isJsonObject, type JsonObject, type JsonValue } from '../../protocol/json.js';
import type { PathSegment } from './json-path.js';

export type MappedKind = 'handle' | 'pid';

interface Producer {
  kind: MappedKind;
  /** Where the value sits in the reply. */
  path: PathSegment[];
}

const PRODUCERS: Readonly<Record<string, Producer>> = {
  'guest-file-open': { kind: 'handle', path: ['return'] },
  'guest-exec': { kind: 'pid', path: ['return', 'pid'] },
};

/** Commands whose argument names a value handed out earlier. */
const CONSUMERS: Readonly<Record<string, { kind: MappedKind; member: string }>> = {
  'guest-file-read': { kind: 'handle', member: 'handle' },
  'guest-file-write': { kind: 'handle', member: 'handle' },
  'guest-file-seek': { kind: 'handle', member: 'handle' },
  'guest-file-flush': { kind: 'handle', member: 'handle' },
  'guest-file-close': { kind: 'handle', member: 'handle' },
  'guest-exec-status': { kind: 'pid', member: 'pid' },
};

export interface Mapping {
  kind: MappedKind;
  recorded: JsonValue;
  replayed: JsonValue;
}

export interface Rewritten {
  args: JsonObject | undefined;
  /** The substitution made, if any. */
  mapped?: Mapping;
  /** The request named a value this replay never saw produced (it was sent unchanged). */
  unknown?: { kind: MappedKind; value: JsonValue };
  /** The request names a value whose producing call was skipped: it must not be sent. */
  orphan?: { kind: MappedKind; value: JsonValue; lineNo: number };
}

export class ValueMap {
  private readonly maps: Record<MappedKind, Map<string, JsonValue>> = { handle: new Map(), pid: new Map() };
  /** Recorded values whose producing call was not replayed, with its line. */
  private readonly skipped: Record<MappedKind, Map<string, number>> = { handle: new Map(), pid: new Map() };

  /** The reply path that holds a produced value, for `command`. */
  producedPath(command: string): PathSegment[] | undefined {
    return PRODUCERS[command]?.path;
  }

  /** Pairs the recorded and replayed values of a producing call. Returns the pairing. */
  learn(command: string, recordedReply: JsonObject | undefined, replayedReply: JsonObject | undefined): Mapping | undefined {
    const producer = PRODUCERS[command];
    if (!producer || !recordedReply || !replayedReply) return undefined;
    const recorded = at(recordedReply, producer.path);
    const replayed = at(replayedReply, producer.path);
    if (!isId(recorded) || !isId(replayed)) return undefined;
    this.maps[producer.kind].set(key(recorded), replayed);
    return { kind: producer.kind, recorded, replayed };
  }

  /** Notes that a producing call was skipped: requests naming what it handed out are skipped too. */
  skip(command: string, recordedReply: JsonObject | undefined, lineNo: number): void {
    const producer = PRODUCERS[command];
    const recorded = producer && recordedReply ? at(recordedReply, producer.path) : undefined;
    if (producer && isId(recorded)) this.skipped[producer.kind].set(key(recorded), lineNo);
  }

  /** The arguments to send: a recorded handle or pid replaced by its replayed value. */
  rewrite(command: string, args: JsonObject | undefined): Rewritten {
    const consumer = CONSUMERS[command];
    const recorded = consumer && args ? args[consumer.member] : undefined;
    if (!consumer || !args || !isId(recorded)) return { args };
    const replayed = this.maps[consumer.kind].get(key(recorded));
    const skippedAt = this.skipped[consumer.kind].get(key(recorded));
    if (replayed === undefined && skippedAt !== undefined) return { args, orphan: { kind: consumer.kind, value: recorded, lineNo: skippedAt } };
    if (replayed === undefined) return { args, unknown: { kind: consumer.kind, value: recorded } };
    return { args: { ...args, [consumer.member]: replayed }, mapped: { kind: consumer.kind, recorded, replayed } };
  }

  /** The replayed value a recorded one maps to, if known. */
  replayedOf(kind: MappedKind, recorded: JsonValue): JsonValue | undefined {
    return isId(recorded) ? this.maps[kind].get(key(recorded)) : undefined;
  }
}

function at(value: JsonValue, path: readonly PathSegment[]): JsonValue | undefined {
  let here: JsonValue | undefined = value;
  for (const segment of path) {
    if (typeof segment === 'number') here = Array.isArray(here) ? here[segment] : undefined;
    else here = isJsonObject(here) ? here[segment] : undefined;
  }
  return here;
}

function isId(value: JsonValue | undefined): value is number | bigint {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
}

function key(value: number | bigint): string {
  return String(value);
}
