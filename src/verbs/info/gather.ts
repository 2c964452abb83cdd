// `info`: ask the agent everything it will say about the guest, one command at a time.
// guest-info comes first: it lists which commands this agent has and which its policy
// disables, so those are skipped (and named) instead of being sent to fail.
import { AgentError, asQemuHostError } from '../../protocol/errors.js';
import type { JsonValue } from '../../protocol/json.js';
import { parseAgentInfo, type AgentInfo } from '../../schema/capabilities.js';
import { callValue, type VerbSession } from '../verb-session.js';

/** The read-only commands `info` draws on, in the order it asks them. */
export const INFO_COMMANDS = [
  // First: while the filesystems are frozen the agent refuses most of the others, and the
  // reasons given for skipping them must say so rather than blame its policy.
  'guest-fsfreeze-status',
  'guest-get-osinfo',
  'guest-get-host-name',
  'guest-get-timezone',
  'guest-get-time',
  'guest-get-users',
  'guest-get-vcpus',
  'guest-get-memory-block-info',
  'guest-get-memory-blocks',
  'guest-get-load',
  'guest-get-fsinfo',
  'guest-get-disks',
  'guest-network-get-interfaces',
] as const;

export type InfoCommand = (typeof INFO_COMMANDS)[number];

export interface Skipped {
  command: string;
  reason: string;
}

export interface GatheredInfo {
  /** guest-info's answer, unless the agent refused it. */
  agent: AgentInfo | undefined;
  /** Each command's return value, by command. */
  replies: Partial<Record<InfoCommand, JsonValue>>;
  /** For guest-get-time: the host's clock (ms since the epoch) halfway through the call. */
  hostTimeMs?: number;
  skipped: Skipped[];
}

export interface GatherOptions {
  callTimeoutMs?: number;
  /** Called before each command is sent (or skipped): for a progress display. */
  onStep?: (command: string, index: number, count: number) => void;
}

export async function gatherInfo(session: VerbSession, options: GatherOptions = {}): Promise<GatheredInfo> {
  const callOptions = options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs };
  const info: GatheredInfo = { agent: undefined, replies: {}, skipped: [] };
  const count = INFO_COMMANDS.length + 1;
  options.onStep?.('guest-info', 0, count);
  try {
    info.agent = parseAgentInfo(await callValue(session, 'guest-info', undefined, callOptions));
  } catch (thrown) {
    const err = asQemuHostError(thrown);
    if (!(err instanceof AgentError)) throw err;
    info.skipped.push({ command: 'guest-info', reason: reasonOf(err) });
  }
  for (const [i, command] of INFO_COMMANDS.entries()) {
    options.onStep?.(command, i + 1, count);
    const entry = info.agent?.commands.get(command);
    if (info.agent && !entry) {
      info.skipped.push({ command, reason: `not in this agent (qemu-ga ${info.agent.version})` });
      continue;
    }
    const frozen = info.replies['guest-fsfreeze-status'] === 'frozen';
    if (entry && !entry.enabled) {
      info.skipped.push({ command, reason: frozen ? FROZEN_REASON : "disabled by the agent's policy" });
      continue;
    }
    try {
      const before = Date.now();
      info.replies[command] = await callValue(session, command, undefined, callOptions);
      if (command === 'guest-get-time') info.hostTimeMs = (before + Date.now()) / 2;
    } catch (thrown) {
      const err = asQemuHostError(thrown);
      // The agent refusing one command is part of the picture; losing the agent is not.
      if (!(err instanceof AgentError)) throw err;
      info.skipped.push({ command, reason: frozen && /disabled/i.test(err.desc) ? FROZEN_REASON : reasonOf(err) });
    }
  }
  return info;
}

const FROZEN_REASON = "refused while the guest's filesystems are frozen";

function reasonOf(err: AgentError): string {
  if (/disabled/i.test(err.desc)) return "disabled by the agent's policy";
  if (err.errorClass === 'CommandNotFound') return 'not in this agent';
  return `the agent failed it: ${err.desc}`;
}
