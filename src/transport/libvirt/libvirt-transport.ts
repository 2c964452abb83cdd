// The agent of a libvirt domain, through `virsh qemu-agent-command` (--domain NAME
// [--connect URI]). libvirt holds the agent's socket, syncs with the agent itself and
// serializes agent commands per domain; this transport hands it one whole request at a
// time over one long-lived virsh (see virsh-shell.ts) and turns what virsh prints back
// into a reply line, a "no reply expected", or an error from our tree.
//
// What libvirt does that shapes this (libvirt 9):
// - --timeout is in whole seconds, so a deadline in ms is rounded up; libvirt's own sync
//   before a command waits up to 5 s whatever --timeout says.
// - guest-sync-delimited must never go through: libvirt cannot parse the 0xFF byte in
//   front of its reply and stops talking to the agent until the agent reconnects.
// - guest-shutdown and guest-suspend-* wait for --timeout or end with "agent disappeared"
//   when the guest goes down; both mean "sent, no reply expected" here.
// - A request or reply over 4 MiB cannot cross libvirt's RPC.
// - Requests travel on virsh's stdin, never its command line, so a password is not in `ps`.
import { CancelledError, ConnectError, ConnectionLostError, NotConnectedError, ProtocolError, UsageError, type QemuHostError } from '../../protocol/errors.js';
import { isJsonObject, parseJson, stringifyJson } from '../../protocol/json.js';
import { describeEndpoint, type Endpoint, type RequestOptions, type RequestOutcome, type Transport, type TransportHandlers } from '../transport.js';
import { connectionFailure, errorText, interpretFailure, virsh, virshMissing, type Where } from './libvirt-errors.js';
import type { VirshShell } from './virsh-shell.js';
import { VirshExited, virshBinary, virshQuote } from './virsh-words.js';

export type LibvirtEndpoint = Extract<Endpoint, { kind: 'libvirt' }>;

export interface LibvirtTransportOptions {
  binary?: string;
  env?: NodeJS.ProcessEnv;
}

/** The largest guest-file-read chunk whose base64 reply fits libvirt's 4 MiB RPC limit. */
export const LIBVIRT_MAX_READ_CHUNK = 2 * 1024 * 1024;
/**
 * guest-file-write through libvirt 9.0: requests of 64 KiB of data (87 KB of JSON) and
 * up to ~200 KB of JSON went through every time; from ~240 KB on, the agent often answered
 * "JSON parse error, expecting value" (and each took seconds), while the same writes on
 * the chardev socket directly are fine at 1 MiB. So writes stay small here.
 */
export const LIBVIRT_MAX_WRITE_CHUNK = 128 * 1024;
export const LIBVIRT_DEFAULT_WRITE_CHUNK = 64 * 1024;

/** JSON with every character outside printable ASCII escaped: readline under LC_ALL=C would mangle it. */
export function asciiJson(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The agent's reply in what virsh printed: the last line that is a JSON object. */
export function replyLine(stdout: string): string | undefined {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line.startsWith('{') && line.endsWith('}')) return line;
  }
  return undefined;
}

/** The domain state `domstate` printed, without readline's echo of the command. */
function printedState(stdout: string): string {
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('virsh')).join(' ');
}

export class LibvirtTransport implements Transport {
  readonly description: string;
  readonly needsSync = false;
  private readonly where: Where;
  private readonly binary: string;
  private shell: VirshShell | undefined;
  private opening: Promise<VirshShell> | undefined;
  private handlers: TransportHandlers | undefined;
  private connected = false;
  private readonly options: LibvirtTransportOptions;

  constructor(endpoint: LibvirtEndpoint, options: LibvirtTransportOptions = {}) {
    this.options = options;
    this.description = describeEndpoint(endpoint);
    this.where = { domain: endpoint.domain, uri: endpoint.uri };
    this.binary = options.binary ?? virshBinary(options.env);
  }

  /** The pid of the virsh now in use, if any (for tests and the bench). */
  get virshPid(): number | undefined {
    return this.shell?.pid;
  }

  async connect(handlers: TransportHandlers): Promise<void> {
    await this.openShell();
    this.handlers = handlers;
    this.connected = true;
  }

  write(): void {
    throw new ProtocolError('the libvirt transport takes whole requests, not bytes');
  }

  close(): void {
    this.end(undefined);
  }

  async request(line: string, options: RequestOptions): Promise<RequestOutcome> {
    if (!this.connected) throw new NotConnectedError('not connected to libvirt', { sent: options.shown });
    const request = parseJson(line);
    if (!isJsonObject(request)) throw new ProtocolError('a request must be a JSON object', { sent: options.shown });
    if (options.execute === 'guest-sync-delimited' || request.execute === 'guest-sync-delimited') {
      throw new UsageError('guest-sync-delimited cannot go through libvirt', {
        sent: options.shown,
        hint: 'libvirt cannot parse the 0xFF byte the agent puts before its answer, and would stop talking to the ' +
          'agent until it reconnects. libvirt syncs by itself before every command; guest-sync and guest-ping work.',
      });
    }
    const shell = await this.openShellFor(options.shown);
    if (options.signal.aborted) throw new CancelledError(`${options.execute} was cancelled`, { sent: options.shown });
    const timeoutS = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const command = `qemu-agent-command --domain ${virshQuote(this.where.domain)} --timeout ${timeoutS} ${virshQuote(asciiJson(line.trim()))}`;
    // Giving up kills this virsh: whatever it still prints can then never be taken for the
    // answer to a later command. The next request starts a new one.
    const onAbort = (): void => this.dropShell(shell);
    options.signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    let output;
    try {
      output = await shell.run(command);
    } catch (err) {
      if (options.signal.aborted) throw new CancelledError(`${options.execute} was abandoned`, { sent: options.shown });
      this.dropShell(shell);
      throw new ConnectionLostError(`virsh exited while running ${options.execute}; it may or may not have run`, {
        sent: options.shown,
        cause: err,
        hint: 'The next command starts a new virsh.',
      });
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
    const reply = replyLine(output.stdout);
    if (reply !== undefined) return { kind: 'reply', line: reply };
    const meaning = interpretFailure(output.stderr, {
      ...this.where,
      execute: options.execute,
      shown: options.shown,
      noReply: options.noReply,
      timeoutS,
      elapsedMs: performance.now() - started,
    });
    switch (meaning.kind) {
      case 'agent-error': {
        // Back into the agent's own shape, with the request's id, for the session's router.
        const body = { error: { class: meaning.errorClass, desc: meaning.desc } };
        return { kind: 'reply', line: stringifyJson('id' in request ? { ...body, id: request.id } : body) };
      }
      case 'no-reply':
        return meaning;
      case 'failure':
        // A failure of libvirt or of the domain ends the "connection": the session then
        // shows it disconnected and reconnects (with back-off) only when asked to.
        if (meaning.fatal) setImmediate(() => this.end(meaning.error as ConnectError));
        throw meaning.error;
    }
  }

  private async openShellFor(sent: unknown): Promise<VirshShell> {
    try {
      return await this.openShell();
    } catch (err) {
      const error = err as QemuHostError;
      setImmediate(() => this.end(error instanceof ConnectError ? error : undefined));
      throw error instanceof ConnectError ? new ConnectError(error.message, error.errno, { sent, hint: error.hint, cause: error }) : error;
    }
  }

  /** The virsh in use, or a new one checked with `domstate` (the URI works, the domain exists and runs). */
  private openShell(): Promise<VirshShell> {
    if (this.shell?.alive) return Promise.resolve(this.shell);
    this.opening ??= this.startShell().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async startShell(): Promise<VirshShell> {
    // Loaded here, not with this module: every run of the command line loads the transports.
    const { VirshShell } = await import('./virsh-shell.js');
    const shell = new VirshShell({ uri: this.where.uri, binary: this.binary, env: this.options.env });
    try {
      await shell.spawned;
    } catch (err) {
      throw virshMissing(this.binary, err as NodeJS.ErrnoException);
    }
    try {
      const probe = await shell.run(`domstate --domain ${virshQuote(this.where.domain)}`);
      const text = errorText(probe.stderr);
      if (text) throw connectionFailure(text, this.where)?.error ?? new ConnectError(`libvirt: ${text}`, 'LIBVIRT_CONNECT');
      const state = printedState(probe.stdout);
      if (state !== 'running') {
        const todo = state === 'paused' ? `resume ${this.where.domain}` : `start ${this.where.domain}`;
        throw new ConnectError(`domain ${this.where.domain} is ${state || 'in an unknown state'}, not running`, 'DOMAIN_NOT_RUNNING', {
          hint: `Its agent cannot answer until it runs: \`${virsh(this.where)} ${todo}\`.`,
        });
      }
    } catch (err) {
      shell.kill();
      if (err instanceof ConnectError) throw err;
      // virsh gives up at once when it cannot connect to the URI: what it said tells why.
      const said = err instanceof VirshExited ? err.said : '';
      const known = said ? connectionFailure(said, this.where)?.error : undefined;
      throw known ?? new ConnectError(`virsh could not start: ${(err as Error).message}`, 'LIBVIRT_CONNECT', { cause: err });
    }
    this.shell = shell;
    return shell;
  }

  private dropShell(shell: VirshShell): void {
    shell.kill();
    if (this.shell === shell) this.shell = undefined;
  }

  private end(error: ConnectError | undefined): void {
    if (this.shell) this.dropShell(this.shell);
    if (!this.connected) return;
    this.connected = false;
    const handlers = this.handlers;
    this.handlers = undefined;
    handlers?.onClose(error);
  }
}
