// Turns a parsed call into what the session sends. This is where the schema checks
// arguments before anything reaches the agent.
import type { JsonObject } from '../protocol/json.js';
import type { ParsedCall } from '../schema/call-syntax.js';
import type { CallOptions } from '../session/session.js';

export interface PreparedCall {
  command: string;
  args: JsonObject | undefined;
  options: CallOptions;
}

export function prepareCall(parsed: ParsedCall, timeoutMs: number | undefined): PreparedCall {
  const options: CallOptions = {};
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (parsed.raw) options.raw = parsed.raw;
  return { command: parsed.command, args: parsed.args, options };
}
