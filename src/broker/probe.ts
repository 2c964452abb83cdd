// For a client (the shell, a status line): is this socket a qemu-host broker, and how
// many clients share the agent behind it? The broker answers `qemu-host-broker-info`
// itself; a bare agent answers CommandNotFound, which means "not shared".
import { AgentError } from '../protocol/errors.js';
import { isJsonObject } from '../protocol/json.js';
import type { Session } from '../session/session.js';
import type { BrokerInfo } from './broker.js';
import { BROKER_INFO_COMMAND } from './requests.js';

/** The broker's info, or undefined when the session talks to an agent directly. */
export async function brokerInfoOf(session: Session, options: { timeoutMs?: number } = {}): Promise<BrokerInfo | undefined> {
  try {
    const result = await session.call(BROKER_INFO_COMMAND, undefined, { timeoutMs: options.timeoutMs ?? 5000 });
    if (result.status !== 'ok' || !isJsonObject(result.value)) return undefined;
    return result.value as unknown as BrokerInfo;
  } catch (err) {
    if (err instanceof AgentError && err.errorClass === 'CommandNotFound') return undefined;
    throw err;
  }
}

export { BROKER_INFO_COMMAND };
