// Unix-socket and TCP transport over node:net.
import net from 'node:net';
import type { ConnectionError } from '../protocol/errors.js';
import { connectErrorFor, connectionLostFor } from './socket-errors.js';
import { describeEndpoint, type SocketEndpoint as Endpoint, type Transport, type TransportHandlers } from './transport.js';

const READ_BUFFER_BYTES = 64 * 1024;

export class SocketTransport implements Transport {
  readonly description: string;
  readonly needsSync = true;
  private socket: net.Socket | undefined;
  private closedByUs = false;
  private readonly endpoint: Endpoint;
  private readonly connectTimeoutMs: number;
  private readBuffer: Buffer | undefined;

  constructor(endpoint: Endpoint, options: { connectTimeoutMs?: number } = {}) {
    this.endpoint = endpoint;
    this.description = describeEndpoint(endpoint);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  }

  connect(handlers: TransportHandlers): Promise<void> {
    this.closedByUs = false;
    return new Promise((resolve, reject) => {
      // Every read lands in the same buffer, handed to onData and reused for the next read:
      // a 1 GB file read arrives as ~22,000 reads of 64 KiB that would otherwise each be new
      // memory for the garbage collector to find.
      const readBuffer = (this.readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES));
      const onread = {
        buffer: readBuffer,
        callback: (bytes: number): boolean => {
          handlers.onData(readBuffer.subarray(0, bytes));
          return true;
        },
      };
      const socket = this.endpoint.kind === 'unix'
        ? net.createConnection({ path: this.endpoint.path, onread })
        : net.createConnection({ host: this.endpoint.host, port: this.endpoint.port, onread });
      socket.setNoDelay?.(true);
      let connected = false;
      let lastError: NodeJS.ErrnoException | undefined;
      const timer = setTimeout(() => {
        const err = Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' });
        socket.destroy(err);
      }, this.connectTimeoutMs);

      socket.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        this.socket = socket;
        resolve();
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        lastError = err;
        if (!connected) {
          clearTimeout(timer);
          reject(connectErrorFor(this.endpoint, err));
        }
      });
      socket.on('close', () => {
        if (!connected) return;
        this.socket = undefined;
        const error: ConnectionError | undefined = this.closedByUs ? undefined : connectionLostFor(this.endpoint, lastError);
        handlers.onClose(error);
      });
    });
  }

  write(data: Buffer | string): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) throw connectionLostFor(this.endpoint, undefined);
    socket.write(data);
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.destroy();
  }
}
