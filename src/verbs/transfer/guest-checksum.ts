// The guest side of a transfer's checksum: sha256sum run in the guest through guest-exec.
// When that cannot run (guest-exec blocked by policy, no sha256sum in the guest) the check
// is reported as skipped, with the reason; it is never passed off as verified.
import { AgentError, CommandDisabledError, asQemuHostError } from '../../protocol/errors.js';
import type { VerbSession } from '../verb-session.js';
import { runExec } from '../exec/exec.js';

export type GuestChecksum = { kind: 'ok'; sha256: string } | { kind: 'skipped'; reason: string };

/** What a finished transfer says about checksums. */
export type ChecksumCheck =
  | { result: 'match'; sha256: string }
  | { result: 'mismatch'; sha256: string; guestSha256: string }
  | { result: 'skipped'; sha256: string; reason: string };

export async function guestSha256(session: VerbSession, path: string, callTimeoutMs?: number): Promise<GuestChecksum> {
  let result;
  try {
    result = await runExec(session, { path: 'sha256sum', args: ['--', path] }, { callTimeoutMs, timeoutMs: 600_000 });
  } catch (thrown) {
    const err = asQemuHostError(thrown);
    if (err instanceof CommandDisabledError) {
      return { kind: 'skipped', reason: "guest-exec is disabled by the guest agent's policy, so the guest's copy could not be hashed" };
    }
    if (err instanceof AgentError && err.errorClass === 'CommandNotFound') {
      return { kind: 'skipped', reason: 'this guest agent has no guest-exec, so the guest\'s copy could not be hashed' };
    }
    if (err instanceof AgentError && /Failed to execute child process/i.test(err.desc)) {
      return { kind: 'skipped', reason: 'the guest has no sha256sum program' };
    }
    return { kind: 'skipped', reason: `hashing in the guest failed: ${err.message}` };
  }
  const text = result.stdout.toString('utf8');
  const match = /^\\?([0-9a-f]{64})\b/i.exec(text);
  if (result.exitCode !== 0 || !match) {
    const why = result.stderr.toString('utf8').trim() || `exit status ${result.exitCode ?? `signal ${result.signal}`}`;
    return { kind: 'skipped', reason: `sha256sum in the guest failed: ${why}` };
  }
  return { kind: 'ok', sha256: match[1]!.toLowerCase() };
}

export function compareChecksums(hostSha256: string, guest: GuestChecksum): ChecksumCheck {
  if (guest.kind === 'skipped') return { result: 'skipped', sha256: hostSha256, reason: guest.reason };
  return guest.sha256 === hostSha256
    ? { result: 'match', sha256: hostSha256 }
    : { result: 'mismatch', sha256: hostSha256, guestSha256: guest.sha256 };
}
