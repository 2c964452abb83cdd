// How much one guest-file-read or guest-file-write carries. Measured against a real
// agent: 64 KiB to 4 MiB all run at full speed (~110-119 MB/s), 16 MiB and up slow down.
// The agent caps a read at 48 MiB; a write's base64 text must stay under QEMU's 64 MiB
// JSON token limit, hence the 32 MiB ceiling.
import { UsageError } from '../../protocol/errors.js';

export const DEFAULT_CHUNK = 1024 * 1024;
export const MIN_CHUNK = 1024;
export const MAX_CHUNK = 32 * 1024 * 1024;

/**
 * The chunk size if it is allowed. `limit` is a lower ceiling a transport imposes (libvirt
 * carries at most 4 MiB per request or reply, so 2 MiB of data once base64-encoded).
 */
export function checkChunk(bytes: number, limit?: { max: number; why: string }): number {
  if (!Number.isInteger(bytes) || bytes < MIN_CHUNK || bytes > MAX_CHUNK) {
    throw new UsageError(`--chunk must be between 1K and 32M, not ${bytes} bytes`, {
      hint: 'The default, 1M, is as fast as any; 64K to 4M all run at full speed.',
    });
  }
  if (limit && bytes > limit.max) {
    const most = limit.max >= 1024 * 1024 ? `${limit.max / 1024 / 1024}M` : `${limit.max / 1024}K`;
    throw new UsageError(`--chunk can be at most ${most} here, not ${bytes} bytes`, { hint: limit.why });
  }
  return bytes;
}
