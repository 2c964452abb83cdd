// Just enough QMP to stop a VM cleanly: read the greeting, leave capabilities negotiation
// with qmp_capabilities, then send quit. QEMU replies and exits.
import net from 'node:net';
import { QemuHostError } from '../protocol/errors.js';

export function qmpCommand(socketPath: string, execute: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    let buffer = '';
    let stage: 'greeting' | 'capabilities' | 'command' | 'done' = 'greeting';
    const timer = setTimeout(() => finish(new QemuHostError(`QMP ${execute} got no answer within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | undefined, result?: unknown): void => {
      if (stage === 'done') return;
      stage = 'done';
      clearTimeout(timer);
      sock.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if ('event' in message) continue;
        if (stage === 'greeting' && 'QMP' in message) {
          stage = 'capabilities';
          sock.write('{"execute":"qmp_capabilities"}\n');
        } else if (stage === 'capabilities' && 'return' in message) {
          stage = 'command';
          sock.write(`${JSON.stringify({ execute })}\n`);
        } else if (stage === 'command' || stage === 'capabilities') {
          if ('error' in message) finish(new QemuHostError(`QMP ${execute} failed: ${JSON.stringify(message.error)}`));
          else finish(undefined, message.return);
        }
      }
    });
    sock.on('error', (err) => finish(new QemuHostError(`QMP socket ${socketPath}: ${err.message}`, { cause: err })));
    // quit may close the socket before its reply arrives: that is success too.
    sock.on('close', () => (stage === 'command' && execute === 'quit' ? finish(undefined, {}) : finish(new QemuHostError(`QMP socket ${socketPath} closed`))));
  });
}
