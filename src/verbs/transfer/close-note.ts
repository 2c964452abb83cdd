// When a transfer fails and the guest handle could not be closed either, the message says
// so and how to close it by hand: a leaked handle stays open in the agent until it restarts.
import { asQemuHostError, type QemuHostError } from '../../protocol/errors.js';

export function withCloseNote(thrown: unknown, handle: number, closeError: QemuHostError | undefined): QemuHostError {
  const err = asQemuHostError(thrown);
  if (closeError) {
    err.message += `; guest file handle ${handle} could not be closed (${closeError.message}): ` +
      `close it with qemu-host call guest-file-close handle=${handle}`;
  }
  return err;
}
