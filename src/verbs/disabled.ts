// "Disabled" from the agent means one of two things: its policy blocks the command (-b,
// --allow-rpcs, BLOCK_RPCS), or the guest's filesystems are frozen and the agent refuses
// everything but a handful of commands until they are thawed. The agent words both the
// same way, so the verbs ask guest-fsfreeze-status (which still runs while frozen) to tell
// the user which one it is.
import { CommandDisabledError, asQemuHostError, type QemuHostError } from '../protocol/errors.js';
import { callValue, type VerbSession } from './verb-session.js';

/** Whether the guest is frozen right now; false when that cannot be learned. */
export async function guestIsFrozen(session: VerbSession, timeoutMs?: number): Promise<boolean> {
  try {
    return (await callValue(session, 'guest-fsfreeze-status', undefined, timeoutMs === undefined ? {} : { timeoutMs })) === 'frozen';
  } catch {
    return false;
  }
}

export function frozenError(command: string, err: CommandDisabledError): CommandDisabledError {
  const better = new CommandDisabledError(err.errorClass, err.desc, {
    sent: err.sent,
    received: err.received,
    cause: err,
    hint: "The agent refuses most commands until they are thawed: run qemu-host thaw (or wait for whoever froze them).",
  });
  better.message = `${command} is refused because the guest's filesystems are frozen`;
  return better;
}

/**
 * For a CommandDisabledError: the frozen-guest error when the guest is frozen, else what
 * `policy` makes of it. Any other error is returned as it is.
 */
export async function explainDisabled(
  session: VerbSession,
  thrown: unknown,
  command: string,
  policy: (err: CommandDisabledError) => QemuHostError = (err) => err,
  timeoutMs?: number,
): Promise<QemuHostError> {
  const err = asQemuHostError(thrown);
  if (!(err instanceof CommandDisabledError)) return err;
  return (await guestIsFrozen(session, timeoutMs)) ? frozenError(command, err) : policy(err);
}
