// Builds the error for an agent's {"error": ...} reply, recognising the cases a person
// needs told apart: a command disabled by the agent's policy versus one it does not know.
import { AgentError, CommandDisabledError } from '../protocol/errors.js';
import type { AgentErrorBody, Request } from '../protocol/messages.js';
import type { JsonObject } from '../protocol/json.js';

export function agentErrorFrom(body: AgentErrorBody, sent: Request, received: JsonObject): AgentError {
  if (/\bdisabled\b/i.test(body.desc)) {
    return new CommandDisabledError(body.class, body.desc, {
      sent,
      received,
      hint: `The agent has ${sent.execute} but its policy blocks it. Restart qemu-ga without blocking it ` +
        '(remove it from -b/--block-rpcs, or add it to --allow-rpcs; on RHEL-family guests see ' +
        'BLOCK_RPCS or FILTER_RPC_ARGS in /etc/sysconfig/qemu-ga).',
    });
  }
  if (body.class === 'CommandNotFound') {
    return new AgentError(body.class, body.desc, {
      sent,
      received,
      hint: `This agent does not know ${sent.execute}: it may be older than the command, or built without it for this platform.`,
    });
  }
  return new AgentError(body.class, body.desc, { sent, received });
}
