// A first pass over a transcript before anything is sent: how many runs and calls it
// holds, what it was recorded against, and which calls would change the guest, so that
// the user can be asked once, up front, with the whole list in front of them.
import { isJsonObject } from '../../protocol/json.js';
import { changeOf } from '../../schema/annotations.js';
import { TranscriptReader } from './read-transcript.js';
import { skipReason } from './replay.js';

export interface PlannedChange {
  lineNo: number;
  execute: string;
  /** What it changes, in words ("runs /bin/true in the guest"). */
  change: string;
}

export interface TranscriptScan {
  runs: number;
  calls: number;
  endpoints: string[];
  agents: string[];
  changes: PlannedChange[];
  /** Calls that will not be sent whatever the options (redacted secret, no recorded outcome). */
  unsendable: number;
  notes: string[];
}

export async function scanTranscript(path: string): Promise<TranscriptScan> {
  const reader = new TranscriptReader(path);
  const scan: TranscriptScan = { runs: 0, calls: 0, endpoints: [], agents: [], changes: [], unsendable: 0, notes: reader.notes };
  for await (const entry of reader.entries()) {
    if (entry.kind === 'header') {
      scan.runs += 1;
      if (!scan.endpoints.includes(entry.line.endpoint)) scan.endpoints.push(entry.line.endpoint);
      const agent = entry.line.agent;
      if (agent !== undefined && !scan.agents.includes(agent)) scan.agents.push(agent);
    } else if (entry.kind === 'agent') {
      if (!scan.agents.includes(entry.line.version)) scan.agents.push(entry.line.version);
    } else {
      scan.calls += 1;
      const line = entry.line;
      if (skipReason(line)) {
        scan.unsendable += 1;
        continue;
      }
      const args = isJsonObject(line.request.arguments) ? line.request.arguments : undefined;
      const change = changeOf(line.execute, args);
      if (change !== undefined) scan.changes.push({ lineNo: entry.lineNo, execute: line.execute, change });
    }
  }
  return scan;
}
