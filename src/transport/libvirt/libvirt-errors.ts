// What virsh's `error: ...` lines mean, as our error tree. libvirt answers an agent error
// with a message rather than the agent's JSON ("unable to execute QEMU agent command 'X':
// DESC"), so that one is turned back into an agent reply: the description survives, the
// class does not (CommandNotFound is recognised from its text, anything else is
// GenericError, which is what qemu-ga uses for nearly everything). Every libvirt-level
// failure gets its own message and a hint. Texts are libvirt 9's, run with LC_ALL=C.
import { ConnectError, ConnectionLostError, ProtocolError, QemuHostError, SyncTimeoutError, TimeoutError } from '../../protocol/errors.js';

export const VIRSH_INSTALL_HINT = 'apt-get install -y --no-install-recommends libvirt-clients';

/** ConnectError.errno values for libvirt failures, so callers can tell them apart. */
export type LibvirtCode =
  | 'NO_VIRSH'
  | 'LIBVIRT_CONNECT'
  | 'EACCES'
  | 'NO_DOMAIN'
  | 'DOMAIN_NOT_RUNNING'
  | 'NO_AGENT_CHANNEL'
  | 'AGENT_NOT_CONNECTED';

export interface Where {
  domain: string;
  uri: string | undefined;
}

export interface RequestContext extends Where {
  execute: string;
  shown: unknown;
  noReply: boolean;
  /** virsh's --timeout for this command, in seconds. */
  timeoutS: number;
  /** How long virsh took to answer, in milliseconds. */
  elapsedMs: number;
}

export type Interpretation =
  | { kind: 'agent-error'; errorClass: string; desc: string }
  | { kind: 'no-reply'; detail: string }
  | { kind: 'failure'; error: QemuHostError; fatal: boolean };

const AGENT_ERROR = /unable to execute QEMU agent command '[^']*'(?:: ([\s\S]*))?$/;
const CHANNEL_XML = "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>";
/** libvirt's own sync waits up to 5 s; an answer well before --timeout came from there. */
const EARLY_MS = 750;

export function virsh(where: Pick<Where, 'uri'>): string {
  return where.uri ? `virsh -c ${where.uri}` : 'virsh';
}

/** The error lines without their `error: ` prefix, joined. */
export function errorText(stderr: string): string {
  return stderr.split('\n').map((l) => l.replace(/^error: /, '').trim()).filter(Boolean).join(': ');
}

/** Failures of the connection to libvirt or of the domain: the same whatever the command. */
export function connectionFailure(text: string, where: Where): { error: ConnectError; fatal: boolean } | undefined {
  const at = where.uri ?? "virsh's default URI";
  const cmd = virsh(where);
  if (/failed to connect to the hypervisor|no valid connection/i.test(text)) {
    if (/permission denied/i.test(text)) {
      return { fatal: true, error: new ConnectError(`permission denied connecting to libvirt at ${at}: ${text}`, 'EACCES', {
        hint: 'Run as root, join the libvirt group (adduser $USER libvirt, then log in again), or use qemu:///session for your own VMs.',
      }) };
    }
    const daemon = /Failed to connect socket.*(no such file or directory|connection refused)/i.test(text)
      ? ' Is the libvirt daemon running (systemctl start libvirtd, or virtqemud)?' : '';
    return { fatal: true, error: new ConnectError(`cannot connect to libvirt at ${at}: ${text}`, 'LIBVIRT_CONNECT', {
      hint: `Check the URI (qemu:///system, qemu+ssh://user@host/system) and that \`${cmd} list\` works.${daemon}`,
    }) };
  }
  if (/access denied|authentication failed|permission denied/i.test(text)) {
    return { fatal: true, error: new ConnectError(`libvirt at ${at} refused access: ${text}`, 'EACCES', {
      hint: 'Agent commands need a read-write libvirt connection: run as root or in the libvirt group, or ask for the polkit/ACL rule.',
    }) };
  }
  if (/failed to get domain|Domain not found/i.test(text)) {
    return { fatal: true, error: new ConnectError(`libvirt at ${at} has no domain named ${where.domain}`, 'NO_DOMAIN', {
      hint: `Names are case-sensitive; \`${cmd} list --all\` shows them.`,
    }) };
  }
  if (/domain is not running/i.test(text)) {
    return { fatal: true, error: new ConnectError(`domain ${where.domain} is not running`, 'DOMAIN_NOT_RUNNING', {
      hint: `Start it with \`${cmd} start ${where.domain}\`, then wait for qemu-ga to come up.`,
    }) };
  }
  if (/guest agent is not configured/i.test(text)) {
    return { fatal: false, error: new ConnectError(`domain ${where.domain} has no guest-agent channel`, 'NO_AGENT_CHANNEL', {
      hint: `Add ${CHANNEL_XML} to its <devices> (\`${cmd} edit ${where.domain}\`), then shut it down and start it again.`,
    }) };
  }
  if (/guest agent is not connected/i.test(text)) {
    return { fatal: false, error: new ConnectError(`libvirt says the agent of ${where.domain} is not connected`, 'AGENT_NOT_CONNECTED', {
      hint: 'qemu-ga is not running in the guest: it is still booting, not installed, or stopped. Start it there ' +
        '(systemctl start qemu-guest-agent) and try again.',
    }) };
  }
  if (/Disconnected from .* due to|end of file while reading/i.test(text)) {
    return { fatal: true, error: new ConnectError(`the connection to libvirt at ${at} was lost: ${text}`, 'LIBVIRT_CONNECT', {
      hint: 'The libvirt daemon restarted or the link to it (ssh) dropped. qemu-host reconnects on the next command.',
    }) };
  }
  return undefined;
}

/** What a failed qemu-agent-command means. */
export function interpretFailure(stderr: string, ctx: RequestContext): Interpretation {
  const text = errorText(stderr);
  const agent = AGENT_ERROR.exec(text);
  if (agent) {
    const desc = (agent[1] ?? '').trim();
    return { kind: 'agent-error', errorClass: /has not been found/i.test(desc) ? 'CommandNotFound' : 'GenericError', desc };
  }
  const connection = connectionFailure(text, ctx);
  if (connection) return { kind: 'failure', ...connection, error: withSent(connection.error, ctx.shown) };
  const early = ctx.elapsedMs < ctx.timeoutS * 1000 - EARLY_MS;
  if (/Guest agent not available for now/i.test(text)) {
    if (early) {
      return { kind: 'failure', fatal: false, error: new SyncTimeoutError(`libvirt could not sync with the agent of ${ctx.domain}`, 5000, {
        sent: ctx.shown,
        hint: 'libvirt got no answer to its guest-sync within 5 s, so it did not send the command. The guest may be ' +
          'booting, busy (a frozen filesystem, a slow command), or qemu-ga stuck. Try again.',
      }) };
    }
    if (ctx.noReply) return { kind: 'no-reply', detail: 'sent, no reply expected: the agent has not answered since' };
    return { kind: 'failure', fatal: false, error: new TimeoutError(`no reply to ${ctx.execute} within ${ctx.timeoutS} s (libvirt's --timeout)`, ctx.timeoutS * 1000, {
      sent: ctx.shown,
      hint: 'The agent may be busy with a slow command, stuck, or gone. Raise --timeout for slow commands.',
    }) };
  }
  if (/Guest agent disappeared while executing command/i.test(text)) {
    if (ctx.noReply) return { kind: 'no-reply', detail: 'sent, no reply expected: the agent went away afterwards' };
    return { kind: 'failure', fatal: false, error: new ConnectionLostError(`the agent of ${ctx.domain} went away while libvirt waited for ${ctx.execute}; it may or may not have run`, {
      sent: ctx.shown,
      hint: 'The guest is shutting down or rebooting, or qemu-ga restarted. Try again once it is back.',
    }) };
  }
  if (/agent is not available due to an error/i.test(text)) {
    return { kind: 'failure', fatal: false, error: new ConnectionLostError(`libvirt stopped talking to the agent of ${ctx.domain} after an error`, {
      sent: ctx.shown,
      hint: 'It had read something it could not parse from the agent. libvirt talks to it again once the agent ' +
        'reconnects: restart qemu-ga in the guest, or restart the domain.',
    }) };
  }
  if (/cannot acquire state change lock|Timed out during operation/i.test(text)) {
    return { kind: 'failure', fatal: false, error: new TimeoutError(`libvirt is still busy with another agent command on ${ctx.domain}`, ctx.timeoutS * 1000, {
      sent: ctx.shown,
      hint: 'libvirt runs one agent command per domain at a time (an earlier one may still be waiting for its own ' +
        '--timeout, e.g. after a cancel). Try again in a moment.',
    }) };
  }
  if (/Unable to encode message payload|message payload|too large|exceeds maximum/i.test(text)) {
    return { kind: 'failure', fatal: false, error: new ProtocolError(`libvirt cannot carry ${ctx.execute}: its request or reply is over libvirt's 4 MiB limit`, {
      sent: ctx.shown,
      hint: 'Use --chunk 2M or less for get and put. If it was a guest-file-read, the agent has still read that much ' +
        'of the file: seek back before reading again.',
    }) };
  }
  return { kind: 'failure', fatal: false, error: new ProtocolError(`libvirt: ${text || 'qemu-agent-command failed without saying why'}`, { sent: ctx.shown, received: stderr }) };
}

function withSent(error: ConnectError, sent: unknown): ConnectError {
  return new ConnectError(error.message, error.errno, { sent, hint: error.hint, cause: error.cause });
}

/** virsh is missing (spawn ENOENT) or cannot be run. */
export function virshMissing(binary: string, err: NodeJS.ErrnoException): ConnectError {
  if (err.code === 'ENOENT') {
    return new ConnectError(`${binary} is not installed (needed for --domain)`, 'NO_VIRSH', {
      cause: err,
      hint: `Install libvirt's client: ${VIRSH_INSTALL_HINT}`,
    });
  }
  return new ConnectError(`cannot run ${binary}: ${err.message}`, 'NO_VIRSH', { cause: err });
}

export function isConnectErrorCode(err: unknown, code: LibvirtCode): boolean {
  return err instanceof ConnectError && err.errno === code;
}
