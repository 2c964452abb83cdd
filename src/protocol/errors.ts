// The one error tree of qemu-host. Every error a user can meet is one of these classes,
// and each carries its data: the request that was sent (when one was), what came back
// (when anything did), and a hint saying what to do about it.
//
//   QemuHostError                  base: `code`, `hint`, `sent`, `received`, `exitCode`
//   ├── UsageError                 bad command line or input; nothing was sent (exit 2)
//   │   └── ArgumentError          arguments do not fit the command's schema (exit 2)
//   ├── AgentError                 the agent answered {"error": {class, desc}} (exit 1)
//   │   └── CommandDisabledError   the agent has the command but policy disables it (exit 1)
//   ├── ConnectionError            could not reach the agent or lost it (exit 3)
//   │   ├── ConnectError           connect() failed: ENOENT, ECONNREFUSED, EAGAIN, ...
//   │   ├── ConnectionLostError    EOF, ECONNRESET or EPIPE while connected
//   │   └── NotConnectedError      a call was made while the session was closed
//   ├── TimeoutError               no reply within the deadline (exit 3)
//   │   └── SyncTimeoutError       the agent never answered guest-sync-delimited
//   ├── CancelledError             the user cancelled the command in flight (exit 3)
//   └── ProtocolError              the agent sent something that is not the protocol (exit 3)

export type ExitCode = 0 | 1 | 2 | 3;

export interface ErrorData {
  /** The request as sent on the wire (without the tool's id where that is meaningful). */
  sent?: unknown;
  /** What came back: a reply object, or raw text when it did not parse. */
  received?: unknown;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

export class QemuHostError extends Error {
  /** A stable, machine-readable class name, printed in batch mode's `{"error": {"class"}}`. */
  readonly code: string = 'QemuHostError';
  readonly exitCode: ExitCode = 3;
  readonly sent: unknown;
  readonly received: unknown;
  readonly hint: string | undefined;

  constructor(message: string, data: ErrorData = {}) {
    super(message, data.cause === undefined ? undefined : { cause: data.cause });
    this.name = new.target.name;
    this.sent = data.sent;
    this.received = data.received;
    this.hint = data.hint;
  }

  /** The message followed by the hint, as shown to people. */
  describe(): string {
    return this.hint ? `${this.message}\n  ${this.hint}` : this.message;
  }
}

export class UsageError extends QemuHostError {
  override readonly code: string = 'UsageError';
  override readonly exitCode: ExitCode = 2;
}

export class ArgumentError extends UsageError {
  override readonly code: string = 'ArgumentError';
  /** The command whose arguments were wrong. */
  readonly command: string;
  /** Dotted path of the member at fault ('' for the whole argument object). */
  readonly member: string;
  constructor(command: string, member: string, message: string, data: ErrorData = {}) {
    super(message, data);
    this.command = command;
    this.member = member;
  }
}

export class AgentError extends QemuHostError {
  override readonly code: string = 'AgentError';
  override readonly exitCode: ExitCode = 1;
  /** The agent's error class, e.g. GenericError or CommandNotFound. */
  readonly errorClass: string;
  /** The agent's own description, verbatim. */
  readonly desc: string;
  constructor(errorClass: string, desc: string, data: ErrorData = {}) {
    super(`agent error ${errorClass}: ${desc}`, data);
    this.errorClass = errorClass;
    this.desc = desc;
  }
}

export class CommandDisabledError extends AgentError {
  override readonly code: string = 'CommandDisabled';
}

export class ConnectionError extends QemuHostError {
  override readonly code: string = 'ConnectionError';
}

export class ConnectError extends ConnectionError {
  override readonly code: string = 'ConnectError';
  /** The system error code, e.g. ENOENT. */
  readonly errno: string | undefined;
  constructor(message: string, errno: string | undefined, data: ErrorData = {}) {
    super(message, data);
    this.errno = errno;
  }
}

export class ConnectionLostError extends ConnectionError {
  override readonly code: string = 'ConnectionLost';
}

export class NotConnectedError extends ConnectionError {
  override readonly code: string = 'NotConnected';
}

export class TimeoutError extends QemuHostError {
  override readonly code: string = 'Timeout';
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, data: ErrorData = {}) {
    super(message, data);
    this.timeoutMs = timeoutMs;
  }
}

export class SyncTimeoutError extends TimeoutError {
  override readonly code: string = 'AgentNotResponding';
}

export class CancelledError extends QemuHostError {
  override readonly code: string = 'Cancelled';
}

export class ProtocolError extends QemuHostError {
  override readonly code: string = 'ProtocolError';
}

/** Wraps anything thrown into a QemuHostError so callers deal with one shape. */
export function asQemuHostError(err: unknown): QemuHostError {
  if (err instanceof QemuHostError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new QemuHostError(message, { cause: err });
}
