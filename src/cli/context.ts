// What every subcommand gets from the global options: where the agent is, how long to
// wait, how to print. Building a session from it is one call.
import { UsageError } from '../protocol/errors.js';
import { redactRequest, redactRequestText } from '../schema/annotations.js';
import { PerCommandSession } from '../session/per-command.js';
import { Session, type SessionOptions } from '../session/session.js';
import { attachWireLog } from './wire-log.js';
import { transportFor } from '../transport/transport-for.js';
import type { Endpoint } from '../transport/transport.js';

export interface GlobalOptions {
  socket?: string;
  tcp?: string;
  timeout?: string;
  json?: boolean;
  readOnly?: boolean;
  plain?: boolean;
  /** --schema: a QAPI file (plain or .gz) or `debian`; the shipped schema without it. */
  schema?: string;
  wire?: boolean;
  /** --yes: confirm commands that change the guest without asking. */
  yes?: boolean;
  /** --share: connect, sync, run one command and disconnect, every time. */
  share?: boolean;
  /** --profile: a connection saved in the settings (socket or TCP, timeout, read-only). */
  profile?: string;
  /** --record: the transcript file every session of this run is recorded into. */
  record?: string;
  /** --domain: a libvirt domain, reached through virsh qemu-agent-command. */
  domain?: string;
  /** --connect: the libvirt URI for --domain (virsh's -c). */
  connect?: string;
}

export interface CliContext {
  options: GlobalOptions;
  /** Per-command timeout from --timeout, if given. */
  timeoutMs: number | undefined;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export function contextFrom(options: GlobalOptions): CliContext {
  return {
    options,
    timeoutMs: parseTimeout(options.timeout),
    json: options.json === true,
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new UsageError(`--timeout takes a whole number of milliseconds, not "${text}"`, { hint: 'For example --timeout 5000.' });
  }
  return ms;
}

/** Where the agent is: --socket, --tcp, --domain, or QEMU_HOST_SOCKET. Undefined when none is given. */
export function endpointFrom(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Endpoint | undefined {
  const given = [options.socket && '--socket', options.tcp && '--tcp', options.domain && '--domain'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give one of --socket, --tcp or --domain, not ${given.join(' and ')}`);
  if (options.connect && !options.domain) {
    throw new UsageError('--connect names the libvirt URI for --domain', { hint: 'For example --domain web1 --connect qemu+ssh://root@host/system.' });
  }
  if (options.domain !== undefined) return parseDomain(options.domain, options.connect);
  if (options.tcp) return parseTcp(options.tcp);
  const path = options.socket ?? env.QEMU_HOST_SOCKET;
  if (path) return { kind: 'unix', path };
  return undefined;
}

/**
 * --profile NAME: the saved profile's socket (or TCP address), timeout and read-only mode,
 * each unless the command line gives its own. The settings are only read when asked for.
 */
export async function withProfile(options: GlobalOptions): Promise<GlobalOptions> {
  if (!options.profile) return options;
  const { SettingsStore, defaultConfigDir } = await import('../settings/index.js');
  const store = new SettingsStore(defaultConfigDir());
  const profile = store.profile(options.profile);
  if (!profile) {
    const names = Object.keys(store.profiles());
    throw new UsageError(`no profile named ${options.profile}`, {
      hint: names.length > 0 ? `Saved profiles: ${names.join(', ')}.` : 'Save one from the shell with :profile save NAME.',
    });
  }
  const merged: GlobalOptions = { ...options };
  if (!options.socket && !options.tcp && !options.domain) {
    if (profile.socket) merged.socket = profile.socket;
    else if (profile.tcp) merged.tcp = profile.tcp;
    else if (profile.domain) {
      merged.domain = profile.domain;
      if (profile.connect && !options.connect) merged.connect = profile.connect;
    }
  }
  if (options.timeout === undefined && profile.timeoutMs !== undefined) merged.timeout = String(profile.timeoutMs);
  if (options.readOnly === undefined && profile.readOnly) merged.readOnly = true;
  return merged;
}

export function requireEndpoint(options: GlobalOptions): Endpoint {
  const endpoint = endpointFrom(options);
  if (!endpoint) {
    throw new UsageError('no agent socket given', {
      hint: 'Use -s /path/to/qga.sock, --tcp HOST:PORT, --domain NAME [--connect URI] for a libvirt guest, or set QEMU_HOST_SOCKET.',
    });
  }
  return endpoint;
}

function parseTcp(text: string): Endpoint {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new UsageError(`--tcp takes HOST:PORT, not "${text}"`, { hint: 'For example --tcp 127.0.0.1:4444 or --tcp [::1]:4444.' });
  }
  return { kind: 'tcp', host: (match[1] ?? match[2])!, port };
}

function parseDomain(domain: string, uri: string | undefined): Endpoint {
  if (!domain.trim() || /[\r\n]/.test(domain)) throw new UsageError(`--domain takes a libvirt domain name, not ${JSON.stringify(domain)}`);
  if (uri !== undefined && (!uri.trim() || /[\r\n]/.test(uri))) throw new UsageError(`--connect takes a libvirt URI, not ${JSON.stringify(uri)}`);
  return uri ? { kind: 'libvirt', domain, uri } : { kind: 'libvirt', domain };
}

/** --share for every session this process opens; set once from the global options. */
let connectPerCommand = false;

export function setConnectPerCommand(on: boolean): void {
  connectPerCommand = on;
}

/** --wire for every session this process opens: where to log the traffic. */
let wireLog: NodeJS.WritableStream | undefined;

export function setWireLog(stream: NodeJS.WritableStream | undefined): void {
  wireLog = stream;
}

/** Called with every session the CLI opens (--record attaches its recorder this way). */
const sessionHooks: Array<(session: Session) => void> = [];

export function onSessionOpen(hook: (session: Session) => void): void {
  sessionHooks.push(hook);
}

/** Runs the hooks on a session built elsewhere (the broker's). */
export function runSessionHooks(session: Session): void {
  for (const hook of sessionHooks) hook(session);
}

/** Every session the CLI opens hides secrets in what it reports (wire logs, history, errors). */
const REDACT = { request: redactRequest, text: redactRequestText };

export function openSession(endpoint: Endpoint, options: SessionOptions = {}): Session {
  const transport = transportFor(endpoint);
  const withRedaction: SessionOptions = { redact: REDACT, ...options };
  const session = connectPerCommand ? new PerCommandSession(transport, withRedaction) : new Session(transport, withRedaction);
  if (wireLog) attachWireLog(session, wireLog);
  runSessionHooks(session);
  return session;
}
