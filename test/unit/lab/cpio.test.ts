// The newc cpio writer, byte for byte: the kernel unpacks exactly this format, and a
// mistake in padding or a field shows up only as a guest that does not boot.
import { describe, expect, it } from 'vitest';
import { CpioWriter, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG } from '../../../src/lab/cpio.js';

function header(fields: { ino: number; mode: number; nlink: number; size: number; rmaj?: number; rmin?: number; namesize: number }): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `070701${hex(fields.ino)}${hex(fields.mode)}${hex(0)}${hex(0)}${hex(fields.nlink)}${hex(0)}${hex(fields.size)}` +
    `${hex(0)}${hex(0)}${hex(fields.rmaj ?? 0)}${hex(fields.rmin ?? 0)}${hex(fields.namesize)}${hex(0)}`;
}

describe('CpioWriter', () => {
  it('writes header, name and data, each padded to 4 bytes, then the trailer', () => {
    const cpio = new CpioWriter();
    cpio.file('init', 'hi\n', 0o755);
    const bytes = cpio.finish();
    const expected =
      header({ ino: 1, mode: S_IFREG | 0o755, nlink: 1, size: 3, namesize: 5 }) + 'init\0' + '\0' + // 110 + 5 = 115 -> 116
      'hi\n' + '\0' + // 3 -> 4
      header({ ino: 0, mode: 0, nlink: 1, size: 0, namesize: 11 }) + 'TRAILER!!!\0' + '\0\0\0'; // 121 -> 124
    expect(bytes.toString('latin1')).toBe(expected);
    expect(bytes.length % 4).toBe(0);
  });

  it('adds missing parent directories first, and writes symlinks and device nodes', () => {
    const cpio = new CpioWriter();
    cpio.symlink('lib64/ld.so', '/lib/ld.so');
    cpio.charDevice('dev/console', 5, 1, 0o600);
    const text = cpio.finish().toString('latin1');
    const names = [...text.matchAll(/070701[0-9a-f]{104}([^\0]+)\0/g)].map((m) => m[1]);
    expect(names).toEqual(['lib64', 'lib64/ld.so', 'dev', 'dev/console', 'TRAILER!!!']);
    expect(text).toContain(header({ ino: 1, mode: S_IFDIR | 0o755, nlink: 2, size: 0, namesize: 6 }) + 'lib64\0');
    expect(text).toContain(header({ ino: 2, mode: S_IFLNK | 0o777, nlink: 1, size: 10, namesize: 12 }) + 'lib64/ld.so\0\0\0/lib/ld.so\0\0');
    expect(text).toContain(header({ ino: 4, mode: S_IFCHR | 0o600, nlink: 1, size: 0, rmaj: 5, rmin: 1, namesize: 12 }) + 'dev/console\0');
  });

  it('refuses duplicate and unsafe names', () => {
    const cpio = new CpioWriter();
    cpio.file('etc/x', 'a');
    expect(() => cpio.file('/etc/x', 'b')).toThrow('duplicate cpio entry: etc/x');
    expect(() => cpio.file('../x', 'b')).toThrow('bad cpio entry name');
    expect(() => cpio.file('a//b', 'b')).toThrow('bad cpio entry name');
  });
});
