// How big a chunk :get and :put use, and may use, through the shell's transport: the same
// rules as the command line's (libvirt carries less per request than a socket does).
import { chunkLimitFor, defaultChunkFor } from '../../../cli/commands/transfer-cli.js';
import { LibvirtTransport } from '../../../transport/libvirt/libvirt-transport.js';
import type { Endpoint, Transport } from '../../../transport/transport.js';

export interface ChunkRule {
  default: number;
  limit?: { max: number; why: string };
}

export type ChunkRules = Record<'read' | 'write', ChunkRule>;

export function chunkRules(transport: Pick<Transport, 'description'>): ChunkRules {
  // The rules depend only on the kind of endpoint, not on which socket or domain it is.
  const endpoint: Endpoint = transport instanceof LibvirtTransport ? { kind: 'libvirt', domain: '' } : { kind: 'unix', path: '' };
  const rule = (direction: 'read' | 'write'): ChunkRule => {
    const limit = chunkLimitFor(endpoint, direction);
    return limit ? { default: defaultChunkFor(endpoint, direction), limit } : { default: defaultChunkFor(endpoint, direction) };
  };
  return { read: rule('read'), write: rule('write') };
}
