// Which commands `watch` may repeat: only those that read. Repeating anything else would
// repeat its effect, and some reads have effects too: guest-exec-status reaps a finished
// process (its one report is gone), guest-file-read moves the file position.
import { UsageError } from '../../protocol/errors.js';
import { mayChangeGuest } from '../../schema/annotations.js';

const READ_ONLY = new Set(['guest-ping', 'guest-info', 'guest-fsfreeze-status', 'guest-network-get-interfaces', 'guest-network-get-route']);

const WHY_NOT: Record<string, string> = {
  'guest-exec-status': 'it reaps a finished process: the exit report can be read only once',
  'guest-file-read': 'each read moves the file position, so repeating it reads on',
  'guest-sync': 'it is part of the protocol, not a reading',
  'guest-sync-delimited': 'it is part of the protocol, not a reading',
};

export function isReadOnly(command: string): boolean {
  if (mayChangeGuest(command)) return false;
  return READ_ONLY.has(command) || command.startsWith('guest-get-');
}

/** Throws UsageError for a command watch must not repeat. */
export function checkWatchable(command: string): void {
  if (isReadOnly(command)) return;
  const why = WHY_NOT[command] ?? (mayChangeGuest(command) ? 'it changes the guest' : 'it is not a read-only command');
  throw new UsageError(`watch repeats only read-only commands; not ${command}: ${why}`, {
    hint: 'Try guest-get-cpustats, guest-get-diskstats, guest-get-load, guest-get-fsinfo or guest-network-get-interfaces.',
  });
}
