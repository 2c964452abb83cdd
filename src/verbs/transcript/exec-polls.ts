// guest-exec-status on replay. A recording holds the polls made while the process ran
// (exited: false) and the one that saw it end; how many of each depends on timing, which
// a replay cannot repeat. And the agent forgets a process once a poll has reported its
// end, so a later poll would fail. So:
// - a recorded final poll whose replay still says "running" is asked again, with the exec
//   verb's back-off, until the process ends (at most `maxWaitMs`);
// - once a replayed poll has seen the end, later recorded polls of that process are
//   answered with that final status instead of being sent (the agent would say "no such
//   pid"), with a note saying so.
import { isJsonObject, type JsonObject, type JsonValue } from '../../protocol/json.js';
import { pollDelays } from '../exec/backoff.js';
import { sleep } from '../verb-session.js';
import type { CallLine } from './format.js';
import type { Replayed } from './replay.js';

export class ExecPolls {
  private readonly finals = new Map<string, JsonObject>();
  private readonly send: (args: JsonObject | undefined) => Promise<Replayed>;
  private readonly maxWaitMs: number;

  constructor(send: (args: JsonObject | undefined) => Promise<Replayed>, maxWaitMs = 60_000) {
    this.send = send;
    this.maxWaitMs = maxWaitMs;
  }

  /** The replayed outcome of a recorded guest-exec-status (with its pid already mapped). */
  async status(line: CallLine, args: JsonObject | undefined, notes: string[]): Promise<Replayed> {
    const key = String(args?.pid);
    const recordedExited = exitedOf(line.reply);
    const final = this.finals.get(key);
    if (final && recordedExited !== undefined) {
      notes.push('not sent again: a poll earlier in this replay already saw the process end, and the agent forgets a process once it has said so');
      return { status: 'ok', reply: final, ms: 0 };
    }
    let replayed = await this.send(args);
    if (recordedExited === true) {
      const deadline = performance.now() + this.maxWaitMs;
      let more = 0;
      for (const delay of pollDelays()) {
        if (replayed.status !== 'ok' || exitedOf(replayed.reply) !== false || performance.now() > deadline) break;
        await sleep(delay);
        replayed = await this.send(args);
        more += 1;
      }
      if (more > 0) notes.push(`asked ${more} more time${more === 1 ? '' : 's'} until the process ended, as it had when recorded`);
    }
    if (replayed.status === 'ok' && replayed.reply && exitedOf(replayed.reply) === true) this.finals.set(key, replayed.reply);
    return replayed;
  }
}

/** `return.exited` of a guest-exec-status reply, when it has one. */
function exitedOf(reply: JsonObject | undefined): boolean | undefined {
  const value: JsonValue | undefined = reply?.return;
  return isJsonObject(value) && typeof value.exited === 'boolean' ? value.exited : undefined;
}
