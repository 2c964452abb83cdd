// What a verb needs from a session: to send one command and get its outcome. Session,
// PerCommandSession and the broker's lanes all fit, and so does a test double.
import { CancelledError, ProtocolError } from '../protocol/errors.js';
import type { JsonObject, JsonValue } from '../protocol/json.js';
import type { CallOptions, CallResult } from '../session/session.js';

export interface VerbSession {
  call(execute: string, args?: JsonObject, options?: CallOptions): Promise<CallResult>;
}

/** Sends one command and returns its return value; a command that sent no reply is a ProtocolError. */
export async function callValue(
  session: VerbSession,
  execute: string,
  args?: JsonObject,
  options: CallOptions = {},
): Promise<JsonValue> {
  const result = await session.call(execute, args, options);
  if (result.status !== 'ok') {
    throw new ProtocolError(`${execute} sent no reply, but one was expected`, { sent: result.request });
  }
  return result.value;
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The CancelledError for an aborted signal (its reason when that already is one). */
export function abortError(signal: AbortSignal, what = 'interrupted'): CancelledError {
  return signal.reason instanceof CancelledError ? signal.reason : new CancelledError(what);
}

/** Throws CancelledError when the signal has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(signal, what);
}
