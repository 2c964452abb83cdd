// Behaves like QEMU's chardev socket in front of an agent: one connection to the agent
// held for the relay's whole life, one client served at a time (later clients wait,
// connected but unserved), and bytes the agent writes while no client is attached held
// for the next one. A host qemu-ga drops a connection's state when its client leaves;
// behind this relay, what one client leaves behind reaches the next, as in a real VM.
import { rmSync } from 'node:fs';
import net from 'node:net';

export interface Relay {
  /** Unix socket path clients connect to (when listening on a path). */
  path?: string;
  /** TCP port (when listening on TCP). */
  port?: number;
  /** Bytes from the agent currently held for the next client. */
  held(): number;
  close(): Promise<void>;
}

export async function startRelay(agentSocket: string, listen: { path: string } | { tcp: true }): Promise<Relay> {
  const agent = net.createConnection({ path: agentSocket });
  await new Promise<void>((resolve, reject) => {
    agent.once('connect', resolve);
    agent.once('error', reject);
  });
  let active: net.Socket | undefined;
  const waiting: net.Socket[] = [];
  let heldChunks: Buffer[] = [];

  agent.on('data', (chunk: Buffer) => {
    if (active && !active.destroyed) active.write(chunk);
    else heldChunks.push(chunk);
  });
  agent.on('error', () => undefined);

  const activate = (client: net.Socket): void => {
    active = client;
    for (const chunk of heldChunks) client.write(chunk);
    heldChunks = [];
    client.on('data', (chunk: Buffer) => agent.write(chunk));
    client.resume();
  };
  const next = (): void => {
    active = undefined;
    const client = waiting.shift();
    if (client) activate(client);
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    client.on('error', () => undefined);
    client.on('close', () => {
      if (client === active) next();
      else waiting.splice(waiting.indexOf(client), 1);
    });
    if (active) waiting.push(client);
    else activate(client);
  });

  if ('path' in listen) {
    rmSync(listen.path, { force: true });
    await new Promise<void>((resolve) => server.listen(listen.path, resolve));
  } else {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  const address = server.address();
  return {
    path: 'path' in listen ? listen.path : undefined,
    port: typeof address === 'object' && address ? address.port : undefined,
    held: () => heldChunks.reduce((n, c) => n + c.length, 0),
    close: async () => {
      for (const c of [...waiting, ...(active ? [active] : [])]) c.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
