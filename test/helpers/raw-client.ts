// The plainest possible client: connect, write one request line, read one reply line.
// Tests compare the tool's results with what this returns from the same agent.
import net from 'node:net';

/** Calls `onLine` with each line `sock` receives (read as latin1), until it returns true. */
function eachLine(sock: net.Socket, onLine: (line: string) => boolean): void {
  let buffer = '';
  let done = false;
  sock.setEncoding('latin1');
  sock.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl !== -1 && !done; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      done = onLine(line);
    }
  });
}

export function rawExchange(socketPath: string, request: string, options: { sync?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    const syncId = 424242;
    let synced = !options.sync;
    sock.on('connect', () => {
      if (options.sync) sock.write(`\xff{"execute":"guest-sync-delimited","arguments":{"id":${syncId}}}\n`, 'latin1');
      sock.write(`${request}\n`);
    });
    eachLine(sock, (line) => {
      if (!synced) {
        if (line.startsWith('\xff') && line.includes(`${syncId}`)) synced = true;
        return false;
      }
      sock.end();
      resolve(Buffer.from(line, 'latin1').toString('utf8'));
      return true;
    });
    sock.on('error', reject);
  });
}

/**
 * The plainest client for timing: connects, syncs once, then sends `request` `count` times,
 * each when the last reply has come. Resolves with the ms the `count` round trips took.
 */
export function rawRoundTrips(socketPath: string, count: number, request = '{"execute":"guest-ping"}\n'): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    let left = count;
    let synced = false;
    let started = 0;
    sock.on('error', reject);
    sock.on('connect', () => sock.write('\xff{"execute":"guest-sync-delimited","arguments":{"id":4242}}\n', 'latin1'));
    eachLine(sock, (line) => {
      if (!synced) {
        if (line.startsWith('\xff') && line.includes('4242')) {
          synced = true;
          started = performance.now();
          sock.write(request);
        }
        return false;
      }
      if (--left === 0) {
        const ms = performance.now() - started;
        sock.destroy();
        resolve(ms);
        return true;
      }
      sock.write(request);
      return false;
    });
  });
}
