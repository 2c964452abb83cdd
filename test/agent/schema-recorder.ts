// A recording pass-through in front of a real qemu-ga: each client gets its own
// connection to the agent, every byte is forwarded both ways, and everything the client
// wrote is kept. Tests read `executes()` to prove what did (or did not) reach the agent.
import { rmSync } from 'node:fs';
import net from 'node:net';

export interface Recorder {
  /** The socket path to give the CLI. */
  path: string;
  /** How many clients connected. */
  connections(): number;
  /** Every byte the clients sent, as text (0xFF flush bytes dropped). */
  text(): string;
  /** The `execute` of every request the clients sent, in order. */
  executes(): string[];
  close(): Promise<void>;
}

export async function startRecorder(agentSocket: string, path: string): Promise<Recorder> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const agent = net.createConnection({ path: agentSocket });
    sockets.add(client).add(agent);
    client.on('data', (chunk: Buffer) => {
      received.push(chunk);
      agent.write(chunk);
    });
    agent.on('data', (chunk: Buffer) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      agent.destroy();
    };
    client.on('close', end).on('error', end);
    agent.on('close', end).on('error', end);
  });
  rmSync(path, { force: true });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const text = (): string => Buffer.concat(received).toString('latin1').replaceAll('\xff', '');
  return {
    path,
    connections: () => connections,
    text,
    executes: () => [...text().matchAll(/"execute"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
