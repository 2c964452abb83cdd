// Stopping a guest process the agent started. The agent has no kill command, so this runs
// one through guest-exec: a small sh function that stops the process (SIGSTOP), kills its
// children (depth first, found with pgrep -P), then signals the process and lets a
// non-KILL signal be delivered (SIGCONT). The children matter: the agent reports an exit
// only when every holder of the output pipes has closed them. Stopping the parent first
// matters too: a shell whose child is killed would otherwise go on to its next command
// (`sleep 60; echo never` printed "never") before its own signal arrives.
import type { JsonObject } from '../../protocol/json.js';
import { asQemuHostError } from '../../protocol/errors.js';
import { callValue, sleep, type VerbSession } from '../verb-session.js';
import { pollDelays } from './backoff.js';
import { parseExecStatus } from './exec-status.js';

const KILL_TREE = 'k(){ kill -s STOP "$1" 2>/dev/null; for c in $(pgrep -P "$1" 2>/dev/null); do k "$c" "$2"; done; ' +
  'kill -s "$2" "$1" 2>/dev/null; kill -s CONT "$1" 2>/dev/null; }; k "$1" "$2"';

/** How long to wait for the kill helper itself to finish. */
const HELPER_WAIT_MS = 2_000;

/**
 * Sends `signal` (a name such as KILL or TERM) to guest process `pid` and its descendants.
 * Returns undefined when the helper ran, or why it could not.
 */
export async function killGuestProcess(
  session: VerbSession,
  pid: number,
  signal = 'KILL',
  callTimeoutMs?: number,
): Promise<string | undefined> {
  const options = callTimeoutMs === undefined ? {} : { timeoutMs: callTimeoutMs };
  const args: JsonObject = { path: 'sh', arg: ['-c', KILL_TREE, 'qemu-host-kill', String(pid), signal], 'capture-output': false };
  let helper: number;
  try {
    const started = await callValue(session, 'guest-exec', args, options);
    helper = Number((started as JsonObject).pid);
  } catch (err) {
    return asQemuHostError(err).message;
  }
  // Reap the helper so the agent does not keep its status forever.
  const end = Date.now() + HELPER_WAIT_MS;
  for (const delay of pollDelays()) {
    await sleep(delay);
    try {
      if (parseExecStatus(await callValue(session, 'guest-exec-status', { pid: helper }, options)).exited) return undefined;
    } catch (err) {
      return asQemuHostError(err).message;
    }
    if (Date.now() > end) return undefined;
  }
  return undefined;
}
