// One client on the broker socket: its bytes are parsed as the agent parses them, its
// requests queue in its own lane, and its replies are written back in order. A client
// that stops reading (or floods requests) is paused on its own; it never holds up the
// agent or the other clients, unlike on a bare agent socket.
import type net from 'node:net';
import type { Broker } from './broker.js';
import { replyBytes } from './agent-format.js';
import type { Lane } from './lane.js';
import { RequestStream } from './request-stream.js';

/** Stop reading a client with this many requests queued... */
const MAX_QUEUED = 1024;
/** ...or this many reply bytes it has not read yet. */
const MAX_UNREAD_BYTES = 16 * 1024 * 1024;

export function attachClient(broker: Broker, socket: net.Socket): Lane {
  const log = broker.log;
  const stream = new RequestStream();
  let paused = false;
  const lane = broker.openLane((id) => `client ${id}`, {
    writeNow(line) {
      if (socket.destroyed) return false;
      socket.write(line);
      return true;
    },
    deliver(delivery) {
      if (delivery.reply && !delivery.written && !socket.destroyed) socket.write(delivery.line ?? replyBytes(delivery.reply, delivery.delimited));
      throttle();
      endIfDone();
    },
  }, { socketClient: true });
  log?.(`${lane.label} connected (${broker.clients} attached)`);

  const throttle = (): void => {
    const over = lane.items.length >= MAX_QUEUED || socket.writableLength >= MAX_UNREAD_BYTES;
    if (over && !paused) {
      paused = true;
      socket.pause();
    } else if (!over && paused) {
      paused = false;
      socket.resume();
    }
  };

  socket.on('data', (chunk: Buffer) => {
    for (const item of stream.push(chunk)) {
      if (item.kind === 'value') broker.submit(lane, item.value);
      else broker.submitParseError(lane, item.desc);
    }
    throttle();
  });
  // The client has sent everything (shut down its side): answer what it asked, then end.
  let inputEnded = false;
  const endIfDone = (): void => {
    if (inputEnded && lane.items.length === 0 && !socket.destroyed) socket.end();
  };
  socket.on('end', () => {
    inputEnded = true;
    endIfDone();
  });
  socket.on('drain', throttle);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    const inFlight = lane.inFlight;
    const dropped = broker.closeLane(lane, { socketClient: true });
    const left = [dropped > 0 ? `${dropped} queued request${dropped === 1 ? '' : 's'} dropped` : '', inFlight ? 'its command in flight will be read and dropped' : '']
      .filter(Boolean).join('; ');
    log?.(`${lane.label} disconnected (${broker.clients} attached)${left ? `: ${left}` : ''}`);
  });
  return lane;
}
