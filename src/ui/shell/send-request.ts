import type { JsonObject } from '../../protocol/json.js';

/** A call the user asked for, as the shell sends it. */
export interface SendRequest {
  command: string;
  args: JsonObject | undefined;
  /** A raw request to send exactly as written. */
  raw?: JsonObject;
  /** The line as typed (secrets are replaced before it is kept anywhere). */
  line: string;
}
