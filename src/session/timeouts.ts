// Default deadlines per command. Most agent commands answer in well under a millisecond;
// the generous default covers slow guests under TCG and large file reads. Freezing and
// trimming filesystems can take minutes on a busy guest.
export const DEFAULT_TIMEOUT_MS = 10_000;

const LONG_RUNNING: Record<string, number> = {
  'guest-fsfreeze-freeze': 300_000,
  'guest-fsfreeze-freeze-list': 300_000,
  'guest-fsfreeze-thaw': 120_000,
  'guest-fstrim': 600_000,
};

export function defaultTimeoutFor(command: string): number {
  return LONG_RUNNING[command] ?? DEFAULT_TIMEOUT_MS;
}

/** How long a no-reply command (guest-shutdown, guest-suspend-*) waits for a refusal. */
export const NO_REPLY_GRACE_MS = 2_000;

/** Per sync attempt; attempts repeat until the caller's deadline. */
export const SYNC_ATTEMPT_MS = 1_000;

/** Commands that send no reply when they succeed (success-response: false), for when no schema is loaded. */
export const KNOWN_NO_REPLY_COMMANDS = new Set([
  'guest-shutdown',
  'guest-suspend-disk',
  'guest-suspend-ram',
  'guest-suspend-hybrid',
]);
