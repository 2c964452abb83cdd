// Freezing and thawing the guest's filesystems (guest-fsfreeze-*), for consistent disk
// snapshots. While frozen, writes in the guest block and the agent refuses almost every
// command: only ping, info, sync, fsfreeze-status and fsfreeze-thaw still run.
import { CommandDisabledError, ProtocolError, asQemuHostError } from '../../protocol/errors.js';
import { callValue, type VerbSession } from '../verb-session.js';

export type FreezeStatus = 'frozen' | 'thawed';

/** What still works while the guest is frozen, for banners and hints. */
export const FROZEN_REMINDER =
  'While frozen, writes in the guest block and the agent refuses most commands (only guest-ping, ' +
  'guest-info, guest-sync, guest-fsfreeze-status and guest-fsfreeze-thaw run). Thaw with: qemu-host thaw';

const FREEZE_DISABLED_HINT =
  "The guest's qemu-ga blocks it by policy. Restart the agent without it in -b/--block-rpcs (on " +
  'RHEL-family guests: BLOCK_RPCS or --allow-rpcs in /etc/sysconfig/qemu-ga).';

interface Options {
  callTimeoutMs?: number;
}

function callOptions(o: Options): { timeoutMs?: number } {
  return o.callTimeoutMs === undefined ? {} : { timeoutMs: o.callTimeoutMs };
}

export async function freezeStatus(session: VerbSession, options: Options = {}): Promise<FreezeStatus> {
  const value = await callValue(session, 'guest-fsfreeze-status', undefined, callOptions(options));
  if (value !== 'frozen' && value !== 'thawed') {
    throw new ProtocolError('guest-fsfreeze-status did not return "frozen" or "thawed"', { received: value });
  }
  return value;
}

/** Freezes every filesystem, or only `mountpoints`; returns how many were frozen. */
export async function freezeFilesystems(session: VerbSession, mountpoints: readonly string[] = [], options: Options = {}): Promise<number> {
  const command = mountpoints.length > 0 ? 'guest-fsfreeze-freeze-list' : 'guest-fsfreeze-freeze';
  return count(command, () => callValue(session, command, mountpoints.length > 0 ? { mountpoints: [...mountpoints] } : undefined, callOptions(options)));
}

/** Thaws; returns how many filesystems were thawed (0 when none was frozen). */
export async function thawFilesystems(session: VerbSession, options: Options = {}): Promise<number> {
  return count('guest-fsfreeze-thaw', () => callValue(session, 'guest-fsfreeze-thaw', undefined, callOptions(options)));
}

async function count(command: string, call: () => Promise<unknown>): Promise<number> {
  let value: unknown;
  try {
    value = await call();
  } catch (thrown) {
    const err = asQemuHostError(thrown);
    if (err instanceof CommandDisabledError) {
      const better = new CommandDisabledError(err.errorClass, err.desc, { sent: err.sent, received: err.received, hint: FREEZE_DISABLED_HINT, cause: err });
      better.message = `${command} is disabled by the guest agent's policy`;
      throw better;
    }
    throw err;
  }
  if (typeof value !== 'number') throw new ProtocolError(`${command} did not return a count`, { received: value });
  return value;
}

/** The banner line while frozen: "FROZEN 1:05  3 filesystems  ...". */
export function frozenBanner(elapsedMs: number, filesystems: number | undefined, tail: string): string {
  const total = Math.floor(elapsedMs / 1000);
  const clock = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  const what = filesystems === undefined ? '' : `  ${filesystems} filesystem${filesystems === 1 ? '' : 's'}`;
  return `FROZEN ${clock}${what}  ${tail}`;
}
