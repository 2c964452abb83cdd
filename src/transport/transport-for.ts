// The transport for an endpoint: node:net for a socket or TCP address, virsh for a libvirt domain.
import { LibvirtTransport } from './libvirt/libvirt-transport.js';
import { SocketTransport } from './socket-transport.js';
import type { Endpoint, Transport } from './transport.js';

export function transportFor(endpoint: Endpoint): Transport {
  return endpoint.kind === 'libvirt' ? new LibvirtTransport(endpoint) : new SocketTransport(endpoint);
}
