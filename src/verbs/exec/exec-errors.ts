// Turning the agent's refusals of guest-exec into messages that say what to do.
import { AgentError, CommandDisabledError, type QemuHostError } from '../../protocol/errors.js';

/** The hint for a guest whose agent policy blocks guest-exec (RHEL-family default). */
export const EXEC_DISABLED_HINT =
  "The guest's qemu-ga runs with guest-exec blocked (the default on RHEL, CentOS, Rocky, Alma and Fedora). " +
  'To allow it, in the guest edit /etc/sysconfig/qemu-ga: remove guest-exec and guest-exec-status from ' +
  'BLOCK_RPCS (newer packages: add them to --allow-rpcs / FILTER_RPC_ARGS), then run ' +
  '`systemctl restart qemu-guest-agent`. Elsewhere, restart qemu-ga without them in -b/--block-rpcs.';

/** A clearer error for guest-exec / guest-exec-status refusals; other errors pass through. */
export function explainExecError(err: QemuHostError, command: string): QemuHostError {
  if (err instanceof CommandDisabledError) {
    const better = new CommandDisabledError(err.errorClass, err.desc, {
      sent: err.sent,
      received: err.received,
      hint: EXEC_DISABLED_HINT,
      cause: err,
    });
    better.message = `${command} is disabled by the guest agent's policy, so nothing can be run in the guest`;
    return better;
  }
  if (err instanceof AgentError && err.errorClass === 'CommandNotFound') {
    const better = new AgentError(err.errorClass, err.desc, {
      sent: err.sent,
      received: err.received,
      hint: 'guest-exec arrived in QEMU 2.5; upgrade the guest\'s qemu-guest-agent.',
      cause: err,
    });
    better.message = `this guest agent has no ${command}`;
    return better;
  }
  if (err instanceof AgentError && command === 'guest-exec' && /Failed to execute child process/i.test(err.desc)) {
    const better = new AgentError(err.errorClass, err.desc, {
      sent: err.sent,
      received: err.received,
      hint: 'Check the program name and the guest\'s PATH (with --env the environment is replaced: set PATH too, or give a full path).',
      cause: err,
    });
    better.message = `the guest could not start the program: ${err.desc.replace(/^Guest agent command failed, error was /, '')}`;
    return better;
  }
  return err;
}
