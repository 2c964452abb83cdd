// Opens a session to a unix socket for tests, and closes every one at the end.
import { afterEach } from 'vitest';
import { Session, type SessionOptions } from '../../src/session/session.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';

const open: Session[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

export function sessionTo(socket: string, options: SessionOptions = {}): Session {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socket }), options);
  open.push(session);
  return session;
}
