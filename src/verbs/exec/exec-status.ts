// Reading guest-exec-status's answer: whether the process has ended, how, and its output
// (base64, sent only once the process has exited and closed its output).
import { ProtocolError } from '../../protocol/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../protocol/json.js';

export interface ExecStatus {
  exited: boolean;
  /** The exit status, when the process exited by itself. */
  exitCode?: number;
  /** The signal number, when a signal ended it (POSIX guests). */
  signal?: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The agent kept only the first 16 MiB of the output. */
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** The object as the agent sent it. */
  raw: JsonObject;
}

export function parseExecStatus(value: JsonValue): ExecStatus {
  if (!isJsonObject(value) || typeof value.exited !== 'boolean') {
    throw new ProtocolError('guest-exec-status did not return an object with "exited"', { received: value });
  }
  const status: ExecStatus = {
    exited: value.exited,
    stdout: decode(value['out-data']),
    stderr: decode(value['err-data']),
    stdoutTruncated: value['out-truncated'] === true,
    stderrTruncated: value['err-truncated'] === true,
    raw: value,
  };
  if (typeof value.exitcode === 'number') status.exitCode = value.exitcode;
  if (typeof value.signal === 'number') status.signal = value.signal;
  return status;
}

function decode(value: JsonValue | undefined): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
}
