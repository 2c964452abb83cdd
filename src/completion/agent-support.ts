// Reads guest-info's `supported_commands` into an AgentSupport: which commands this agent
// lists, and which of those its policy leaves enabled.
import { isJsonObject, type JsonValue } from '../protocol/json.js';
import type { AgentSupport, Availability } from './types.js';

export function supportFromGuestInfo(info: JsonValue): AgentSupport {
  const listed = new Map<string, boolean>();
  const supported = isJsonObject(info) ? info['supported_commands'] : undefined;
  if (Array.isArray(supported)) {
    for (const entry of supported) {
      if (!isJsonObject(entry) || typeof entry['name'] !== 'string') continue;
      listed.set(entry['name'], entry['enabled'] !== false);
    }
  }
  return {
    availability(command: string): Availability {
      const enabled = listed.get(command);
      if (enabled === undefined) return listed.size === 0 ? 'unknown' : 'absent';
      return enabled ? 'enabled' : 'disabled';
    },
  };
}
