// The broker's listening unix socket. It is created with mode 0600 (owner only) unless
// asked otherwise: whoever can connect can run any command in the guest. A socket file
// left by a broker that died is replaced; a live one, or a file that is not a socket, is
// refused rather than stolen.
import { chmodSync, lstatSync, rmSync } from 'node:fs';
import net from 'node:net';
import { UsageError } from '../protocol/errors.js';

export interface UnixServer {
  path: string;
  server: net.Server;
  close(): Promise<void>;
}

function isAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

async function clearStale(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) {
    throw new UsageError(`${path} exists and is not a socket`, { hint: 'Choose another --listen path; the broker does not overwrite files.' });
  }
  if (await isAlive(path)) {
    throw new UsageError(`something is already serving on ${path}`, {
      hint: 'Another broker (or QEMU) owns this socket. Connect to it, or choose another --listen path.',
    });
  }
  rmSync(path, { force: true });
}

export async function listenUnix(path: string, mode: number, onClient: (socket: net.Socket) => void): Promise<UnixServer> {
  await clearStale(path);
  const sockets = new Set<net.Socket>();
  // Half-open: a client that sends its requests and shuts down its side (echo ... | socat)
  // still gets its replies; the broker ends the connection after the last one.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onClient(socket);
  });
  // Create the file with no group/other access from the start, then set the mode asked for.
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: NodeJS.ErrnoException): void => {
        reject(new UsageError(`cannot create the broker socket ${path}: ${err.code ?? err.message}`, {
          cause: err,
          hint: err.code === 'EACCES'
            ? 'Choose a --listen path in a directory you can write to.'
            : 'Check that the directory exists and the path is short enough for a unix socket (about 100 bytes).',
        }));
      };
      server.once('error', fail);
      server.listen(path, () => {
        server.off('error', fail);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  chmodSync(path, mode);
  return {
    path,
    server,
    /** Stops listening, disconnects every client and removes the socket file. */
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      rmSync(path, { force: true });
    }),
  };
}

/** Parses --socket-mode: octal digits such as 600 or 0660. */
export function parseSocketMode(text: string | undefined): number {
  if (text === undefined) return 0o600;
  if (!/^0?[0-7]{3}$/.test(text)) {
    throw new UsageError(`--socket-mode takes an octal mode like 600 or 660, not "${text}"`);
  }
  return parseInt(text, 8);
}
