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

/** The return value of a call that must have succeeded with a reply. */
export function okValue<T = unknown>(result: import('../../src/session/session.js').CallResult): T {
  if (result.status !== 'ok') throw new Error(`expected a reply, got ${result.status}: ${result.detail}`);
  return result.value as T;
}
