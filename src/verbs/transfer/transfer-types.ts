// What get and put take and give back.
import type { ChecksumCheck } from './guest-checksum.js';
import type { TransferProgress } from './progress.js';

export interface TransferOptions {
  /** Bytes per guest-file-read/-write (default 1 MiB). */
  chunk?: number;
  /** Compare sha256 of both sides at the end (default true). */
  verify?: boolean;
  /** Abort to stop: the guest handle is closed and nothing partial is kept on the host. */
  signal?: AbortSignal;
  /** Deadline of each agent call. */
  callTimeoutMs?: number;
  /** The guest file is open: its handle and, when it could be learned, its size. */
  onOpened?: (handle: number, total: number | undefined) => void;
  onProgress?: (progress: TransferProgress) => void;
  /** The data is across; the guest side is being hashed now. */
  onVerifying?: () => void;
}

export interface TransferResult {
  direction: 'get' | 'put';
  guestPath: string;
  /** The host side: a file path, or "stdout"/"stdin". */
  local: string;
  bytes: number;
  /** The data transfer alone, without the checksum step. */
  ms: number;
  /** The guest handle used (closed by now). */
  handle: number;
  /** 'off' when verification was turned off. */
  check: ChecksumCheck | { result: 'off'; sha256: string };
  /** get: whether the destination now holds the data (false after a checksum mismatch). */
  saved: boolean;
}
