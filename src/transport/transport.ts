// The pipe under a session. Unix sockets and TCP carry bytes both ways and know nothing
// of JSON. libvirt is different: it owns the agent's socket and takes one whole request at
// a time (virsh qemu-agent-command), so its transport implements request() instead of a
// byte stream. Either way a transport connects and reports how it ended.
import type { ConnectionError } from '../protocol/errors.js';

export interface TransportHandlers {
  /**
   * Bytes from the peer. The chunk is valid only during the call: a transport may read
   * into the same buffer again afterwards, so whatever is kept must be copied.
   */
  onData(chunk: Buffer): void;
  /** Called once when the connection ends; `error` says why when it was not a clean close by us. */
  onClose(error: ConnectionError | undefined): void;
}

export interface Transport {
  /** How to name this endpoint to a person, e.g. `unix:/tmp/qga.sock`. */
  readonly description: string;
  /**
   * Whether the session must run the 0xFF + guest-sync-delimited handshake itself.
   * False for transports whose peer already does it (libvirt).
   */
  readonly needsSync: boolean;
  connect(handlers: TransportHandlers): Promise<void>;
  /** Byte-stream transports only; a request transport throws. */
  write(data: Buffer | string): void;
  /**
   * Request transports only (libvirt): sends one request line and settles with its reply
   * line, with "sent, no reply expected" for a command that never answers, or rejects with
   * the error that says what went wrong. The session calls this instead of write() when
   * it exists, and aborts `signal` when it gives up (timeout, cancel).
   */
  request?(line: string, options: RequestOptions): Promise<RequestOutcome>;
  /** Closes from our side; onClose then reports no error. */
  close(): void;
}

export interface RequestOptions {
  /** The caller's deadline for this command. */
  timeoutMs: number;
  /** The command sends no reply when it succeeds (guest-shutdown, guest-suspend-*). */
  noReply: boolean;
  /** The command's name, for messages. */
  execute: string;
  /** The request as the session reports it (secrets hidden), to attach to errors. */
  shown: unknown;
  signal: AbortSignal;
}

export type RequestOutcome =
  | { kind: 'reply'; line: string }
  | { kind: 'no-reply'; detail: string };

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  /** A libvirt domain; `uri` is virsh's -c (its own default, e.g. $LIBVIRT_DEFAULT_URI, when absent). */
  | { kind: 'libvirt'; domain: string; uri?: string };

/** The endpoints reached over node:net. */
export type SocketEndpoint = Exclude<Endpoint, { kind: 'libvirt' }>;

export function describeEndpoint(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return `unix:${endpoint.path}`;
    case 'tcp':
      return `tcp:${endpoint.host}:${endpoint.port}`;
    case 'libvirt':
      return `libvirt:${endpoint.uri ? `${endpoint.uri} ` : ''}${endpoint.domain}`;
  }
}
