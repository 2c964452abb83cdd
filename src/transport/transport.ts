// The byte pipe under a session. Unix sockets and TCP today; later a spawned process's
// stdio or libvirt. A transport knows nothing of JSON: it connects, carries bytes both
// ways, and reports how it ended.
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
  write(data: Buffer | string): void;
  /** Closes from our side; onClose then reports no error. */
  close(): void;
}

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number };

export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? `unix:${endpoint.path}` : `tcp:${endpoint.host}:${endpoint.port}`;
}
