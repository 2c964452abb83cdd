// Turns a call's settled promise into the history item's fields. Requests are redacted
// here, on the way in, so no secret is ever held in the UI's state.
import { AgentError, CancelledError, TimeoutError, asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject, type JsonObject } from '../../protocol/json.js';
import { redactRequest } from '../../schema/annotations.js';
import type { CallResult } from '../../session/session.js';
import type { CallItem } from '../history/history-item.js';

export function fromResult(item: CallItem, result: CallResult): CallItem {
  const request = redactRequest(result.request as unknown as JsonObject);
  if (result.status === 'ok') return { ...item, status: 'ok', value: result.value, ms: result.ms, request };
  return { ...item, status: 'no-reply', detail: result.detail, ms: result.ms, request };
}

export function fromError(item: CallItem, thrown: unknown, ms: number): CallItem {
  const err = asQemuHostError(thrown);
  const sent = isJsonObject(err.sent) && typeof err.sent.execute === 'string' ? redactRequest(err.sent) : item.request;
  const base: CallItem = { ...item, request: sent, ms, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  if (err instanceof AgentError) return { ...base, status: 'agent-error', errorClass: err.errorClass, message: err.desc };
  if (err instanceof TimeoutError) return { ...base, status: 'timeout', errorClass: err.code };
  if (err instanceof CancelledError) return { ...base, status: 'cancelled', errorClass: err.code };
  return { ...base, status: 'failed', errorClass: err.code };
}
