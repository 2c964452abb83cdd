// What completion offers. Pure data: the prompt view decides how to draw it.

/** Whether the connected agent can run a command, as its guest-info said. */
export type Availability =
  /** Listed by the agent and enabled. */
  | 'enabled'
  /** Listed, but disabled by the agent's policy (-b, allow-rpcs, blocked by a freeze). */
  | 'disabled'
  /** Not in the agent's list: too old, or not built for this guest OS. */
  | 'absent'
  /** Not known yet (no guest-info answer so far). */
  | 'unknown';

/** What the agent supports; built from its guest-info reply. */
export interface AgentSupport {
  availability(command: string): Availability;
}

export const UNKNOWN_SUPPORT: AgentSupport = { availability: () => 'unknown' };

export type CandidateKind = 'command' | 'member' | 'value' | 'meta' | 'path';

export interface Candidate {
  kind: CandidateKind;
  /** What the list shows, e.g. `guest-file-open`, `path=`, `merged`. */
  label: string;
  /** The text that replaces the word being completed. */
  insert: string;
  /** One line of help. */
  help: string;
  /** Short type or status note, e.g. `str, required`. */
  detail?: string;
  /** For commands: whether the agent has it. Members and values inherit their command's. */
  availability: Availability;
  /** Accepting this leaves the cursor inside the word (after `member=`), so completion continues. */
  continues: boolean;
}

export type CompletionContext = 'command' | 'member' | 'value' | 'meta' | 'path' | 'none';

export interface Completion {
  context: CompletionContext;
  /** Range of the line that accepting a candidate replaces: [from, to). */
  from: number;
  to: number;
  /** The text being completed. */
  query: string;
  candidates: Candidate[];
  /** The command on the line, when one is known. */
  command?: string;
  /** Help for the member whose value is being typed, when it has no fixed choices. */
  hint?: string;
}
