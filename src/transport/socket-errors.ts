// Turns socket errors into messages that say what is most likely wrong and what to do.
import { ConnectError, ConnectionLostError } from '../protocol/errors.js';
import type { SocketEndpoint as Endpoint } from './transport.js';

const QEMU_RECIPE =
  '-chardev socket,path=SOCK,server=on,wait=off,id=qga0 -device virtio-serial ' +
  '-device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0';

function where(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? endpoint.path : `${endpoint.host}:${endpoint.port}`;
}

export function connectErrorFor(endpoint: Endpoint, err: NodeJS.ErrnoException): ConnectError {
  const at = where(endpoint);
  const code = err.code;
  const recipe = endpoint.kind === 'unix' ? QEMU_RECIPE.replace('SOCK', endpoint.path) : QEMU_RECIPE;
  switch (code) {
    case 'ENOENT':
      return new ConnectError(`no socket at ${at}`, code, {
        cause: err,
        hint: `Is the VM running? QEMU creates this socket when started with: ${recipe}`,
      });
    case 'ECONNREFUSED':
      return new ConnectError(
        endpoint.kind === 'unix' ? `nothing is listening on ${at}` : `connection refused by ${at}`,
        code,
        {
          cause: err,
          hint: endpoint.kind === 'unix'
            ? 'The socket file is left over: QEMU was killed or has quit. Start the VM again.'
            : 'Check the host and port, and that QEMU was started with a TCP chardev for the agent.',
        },
      );
    case 'EAGAIN':
      return new ConnectError(`the socket at ${at} is busy`, code, {
        cause: err,
        hint: 'Another client holds the agent, which serves one client at a time. Close it, or share the agent with `qemu-host serve`.',
      });
    case 'EACCES':
    case 'EPERM':
      return new ConnectError(`permission denied on ${at}`, code, {
        cause: err,
        hint: 'Run as the user that owns the socket (often root or libvirt-qemu), or change its permissions.',
      });
    case 'ENOTSOCK':
      return new ConnectError(`${at} is not a socket`, code, {
        cause: err,
        hint: 'Point --socket at the chardev socket QEMU created for the agent.',
      });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectError(`cannot reach ${at} (${code})`, code, {
        cause: err,
        hint: 'Check the address and that the host is up.',
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectError(`unknown host in ${at}`, code, { cause: err, hint: 'Check the host name.' });
    default:
      return new ConnectError(`cannot connect to ${at}: ${err.message}`, code, { cause: err });
  }
}

export function connectionLostFor(endpoint: Endpoint, err: NodeJS.ErrnoException | undefined): ConnectionLostError {
  const at = where(endpoint);
  const code = err?.code;
  if (code === 'ECONNRESET') {
    return new ConnectionLostError(`the connection to ${at} was reset`, {
      cause: err,
      hint: 'QEMU exited while data was in flight (crashed or was killed). Check the VM and reconnect.',
    });
  }
  if (code === 'EPIPE') {
    return new ConnectionLostError(`the connection to ${at} is broken (EPIPE)`, {
      cause: err,
      hint: 'QEMU has quit or closed the chardev. Check the VM and reconnect.',
    });
  }
  if (err) {
    return new ConnectionLostError(`the connection to ${at} failed: ${err.message}`, { cause: err });
  }
  return new ConnectionLostError(`the connection to ${at} closed (EOF)`, {
    hint: 'QEMU quit, the guest shut down, or another tool closed the chardev.',
  });
}
