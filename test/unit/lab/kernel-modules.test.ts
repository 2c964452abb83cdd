// Reading a module's dependencies from its .modinfo strings.
import { describe, expect, it } from 'vitest';
import { moduleDepends } from '../../../src/lab/kernel.js';

describe('moduleDepends', () => {
  it('reads the comma list after depends= up to the NUL', () => {
    const image = Buffer.from('\x7fELF...\0license=GPL\0depends=virtio_ring,virtio,virtio-pci-legacy-dev\0name=virtio_pci\0', 'latin1');
    expect(moduleDepends(image)).toEqual(['virtio_ring', 'virtio', 'virtio_pci_legacy_dev']);
  });

  it('gives an empty list for a module with no dependencies', () => {
    expect(moduleDepends(Buffer.from('\0license=GPL\0depends=\0name=virtio_ring\0', 'latin1'))).toEqual([]);
    expect(moduleDepends(Buffer.from('\0license=GPL\0name=x\0', 'latin1'))).toEqual([]);
  });
});
