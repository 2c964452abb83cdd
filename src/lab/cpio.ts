// A writer for the "newc" cpio format, the one the Linux kernel unpacks as an initramfs.
// Each entry is a 110-byte ASCII header ("070701" and thirteen 8-digit hex fields), the
// NUL-terminated name padded to a multiple of 4, then the data padded to a multiple of 4.
// A "TRAILER!!!" entry ends the archive. Writing it ourselves means device nodes (which a
// normal user cannot mknod) can go into the image, and no cpio tool is needed.

const MAGIC = '070701';

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

export interface CpioEntry {
  /** Path inside the archive, without a leading slash ("init", "bin/busybox"). */
  name: string;
  /** File type bits and permissions, e.g. S_IFREG | 0o755. */
  mode: number;
  data?: Buffer;
  /** For device nodes. */
  rdevMajor?: number;
  rdevMinor?: number;
  mtime?: number;
}

function hex8(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`cpio header field out of range: ${value}`);
  }
  return value.toString(16).padStart(8, '0');
}

function padding(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

/** Collects entries and renders them as one newc archive. Parent directories come first. */
export class CpioWriter {
  private readonly chunks: Buffer[] = [];
  private readonly names = new Set<string>();
  private nextInode = 1;
  private size = 0;

  get bytes(): number {
    return this.size;
  }

  has(name: string): boolean {
    return this.names.has(normalize(name));
  }

  dir(name: string, mode = 0o755): void {
    this.add({ name, mode: S_IFDIR | mode });
  }

  file(name: string, data: Buffer | string, mode = 0o644): void {
    this.add({ name, mode: S_IFREG | mode, data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data });
  }

  symlink(name: string, target: string): void {
    this.add({ name, mode: S_IFLNK | 0o777, data: Buffer.from(target, 'utf8') });
  }

  charDevice(name: string, major: number, minor: number, mode = 0o600): void {
    this.add({ name, mode: S_IFCHR | mode, rdevMajor: major, rdevMinor: minor });
  }

  /** Adds an entry, creating any missing parent directories first. */
  add(entry: CpioEntry): void {
    const name = normalize(entry.name);
    if (this.names.has(name)) throw new Error(`duplicate cpio entry: ${name}`);
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!this.names.has(parent)) this.add({ name: parent, mode: S_IFDIR | 0o755 });
    }
    this.names.add(name);
    this.push({ ...entry, name });
  }

  /** The whole archive, trailer included. The writer is finished afterwards. */
  finish(): Buffer {
    this.push({ name: 'TRAILER!!!', mode: 0 }, 0);
    return Buffer.concat(this.chunks);
  }

  private push(entry: CpioEntry, inode = this.nextInode++): void {
    const data = entry.data ?? Buffer.alloc(0);
    const nameBytes = Buffer.from(`${entry.name}\0`, 'utf8');
    const isDir = (entry.mode & 0o170000) === S_IFDIR;
    const header = [
      MAGIC,
      hex8(inode),
      hex8(entry.mode),
      hex8(0), // uid: root
      hex8(0), // gid: root
      hex8(isDir ? 2 : 1), // nlink
      hex8(entry.mtime ?? 0),
      hex8(data.length),
      hex8(0), // devmajor
      hex8(0), // devminor
      hex8(entry.rdevMajor ?? 0),
      hex8(entry.rdevMinor ?? 0),
      hex8(nameBytes.length),
      hex8(0), // check: unused by newc
    ].join('');
    const head = Buffer.concat([Buffer.from(header, 'ascii'), nameBytes]);
    const parts = [head, padding(head.length), data, padding(data.length)];
    for (const part of parts) {
      this.chunks.push(part);
      this.size += part.length;
    }
  }
}

function normalize(name: string): string {
  const clean = name.replace(/^\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`bad cpio entry name: ${JSON.stringify(name)}`);
  }
  return clean;
}
