// A running broker: the agent session, the listening socket and, optionally, the HTTP
// API, started and stopped together. `qemu-host serve` is this plus signal handling;
// tests and the benchmark start it in-process.
import type { Transport } from '../transport/transport.js';
import { Broker, type BrokerOptions } from './broker.js';
import { attachClient } from './client-connection.js';
import { checkHttpBind, startHttpApi, type HttpApi, type HttpBind } from './http-api.js';
import { listenUnix, type UnixServer } from './socket-server.js';

export interface ServiceOptions extends BrokerOptions {
  /** Where clients connect. */
  listen: string;
  /** Mode of the socket file (default 0600). */
  socketMode?: number;
  http?: HttpBind;
  token?: string;
}

export interface RunningService {
  broker: Broker;
  socket: UnixServer;
  http: HttpApi | undefined;
  /** Settles once the first connect to the agent has succeeded or failed (failures are retried). */
  started: Promise<void>;
  close(): Promise<void>;
}

export async function startService(transport: Transport, options: ServiceOptions): Promise<RunningService> {
  if (options.http) checkHttpBind(options.http, options.token);
  const broker = new Broker(transport, options);
  let socket: UnixServer | undefined;
  let http: HttpApi | undefined;
  try {
    socket = await listenUnix(options.listen, options.socketMode ?? 0o600, (client) => attachClient(broker, client));
    if (options.http) http = await startHttpApi(broker, options.http, options.token);
  } catch (err) {
    await socket?.close();
    broker.close();
    throw err;
  }
  const mode = (options.socketMode ?? 0o600).toString(8).padStart(4, '0');
  broker.log?.(`serving ${transport.description} on ${options.listen} (mode ${mode})` +
    `${http ? `, HTTP API on ${http.url}${options.token ? ' (token required)' : ''}` : ''}` +
    `${broker.readOnly ? ', read-only' : ''}`);
  // Clients may connect and queue while the agent is still being reached.
  const started = broker.start();
  const opened = socket;
  return {
    broker,
    socket: opened,
    http,
    started,
    close: async () => {
      await Promise.all([opened.close(), http?.close()]);
      broker.close();
    },
  };
}
