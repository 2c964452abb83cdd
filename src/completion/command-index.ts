// A fuzzy index over command names and their one-line summaries. Ranking puts what the
// user most likely means first:
//   1. the exact name;
//   2. names that start with the query (with or without the `guest-` prefix);
//   3. names with a dash-separated word starting with the query (`read` -> guest-file-read);
//   4. names containing the query;
//   5. fuzzy matches on name and summary, best score first.
// A query of several words (`read file`) is a search: every word must appear in the name
// or the summary, names holding more of the words first.
// Within a tier, commands the agent has enabled come before the rest, then shorter names.
import Fuse from 'fuse.js';
import type { SchemaLookup } from '../schema/lookup.js';
import { UNKNOWN_SUPPORT, type AgentSupport, type Availability, type Candidate } from './types.js';

interface Entry {
  name: string;
  /** The name without its `guest-` prefix. */
  short: string;
  summary: string;
  /** The summary in lower case, for word search. */
  summaryWords: string;
  hasArgs: boolean;
}

/** Fuse score (0 = perfect) under which a fuzzy match is shown beside literal ones. */
const CLOSE_FUZZY = 0.2;

const AVAILABILITY_ORDER: Record<Availability, number> = { enabled: 0, unknown: 1, disabled: 2, absent: 3 };

export class CommandIndex {
  private readonly entries: Entry[];
  private readonly fuse: Fuse<Entry>;

  constructor(lookup: SchemaLookup) {
    this.entries = lookup.commands().map((cmd) => ({
      name: cmd.name,
      short: cmd.name.replace(/^guest-/, ''),
      summary: cmd.doc.summary,
      summaryWords: cmd.doc.summary.toLowerCase(),
      hasArgs: lookup.commandArgs(cmd).length > 0,
    }));
    this.fuse = new Fuse(this.entries, {
      keys: [
        { name: 'name', weight: 0.4 },
        { name: 'short', weight: 0.3 },
        { name: 'summary', weight: 0.3 },
      ],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.4,
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Ranked candidates for a (possibly empty) query. */
  search(query: string, support: AgentSupport = UNKNOWN_SUPPORT, limit = 50): Candidate[] {
    const q = query.trim().toLowerCase();
    const ranked: { entry: Entry; tier: number; score: number }[] = [];
    const seen = new Set<string>();
    for (const entry of this.entries) {
      const tier = literalTier(entry, q);
      if (tier === undefined) continue;
      ranked.push({ entry, tier, score: 0 });
      seen.add(entry.name);
    }
    // Fuzzy matches fill in when the letters are not literally in a name. Every name
    // starts with guest-, so a typed guest- prefix says nothing and is left out; beside
    // literal matches only close fuzzy ones are worth showing.
    const fuzzyQuery = q.replace(/^guest-?/, '');
    if (fuzzyQuery.length >= 2) {
      const cutoff = ranked.length > 0 ? CLOSE_FUZZY : 1;
      for (const result of this.fuse.search(fuzzyQuery)) {
        if (seen.has(result.item.name) || (result.score ?? 1) > cutoff) continue;
        ranked.push({ entry: result.item, tier: 5, score: result.score ?? 1 });
      }
    }
    const availability = (name: string): Availability => support.availability(name);
    ranked.sort(
      (a, b) =>
        a.tier - b.tier ||
        a.score - b.score ||
        AVAILABILITY_ORDER[availability(a.entry.name)] - AVAILABILITY_ORDER[availability(b.entry.name)] ||
        (q === '' ? 0 : a.entry.name.length - b.entry.name.length) ||
        a.entry.name.localeCompare(b.entry.name),
    );
    return ranked.slice(0, limit).map(({ entry }) => this.candidate(entry, support));
  }

  /** Commands whose name or summary holds every word of `text`, names holding more first. */
  searchWords(text: string, support: AgentSupport = UNKNOWN_SUPPORT, limit = 50): Candidate[] {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.search('', support, limit);
    const ranked: { entry: Entry; inName: number }[] = [];
    for (const entry of this.entries) {
      if (!words.every((w) => entry.short.includes(w) || entry.summaryWords.includes(w))) continue;
      ranked.push({ entry, inName: words.filter((w) => entry.short.includes(w)).length });
    }
    ranked.sort((a, b) => b.inName - a.inName || AVAILABILITY_ORDER[support.availability(a.entry.name)] - AVAILABILITY_ORDER[support.availability(b.entry.name)] || a.entry.name.length - b.entry.name.length);
    return ranked.slice(0, limit).map(({ entry }) => this.candidate(entry, support));
  }

  private candidate(entry: Entry, support: AgentSupport): Candidate {
    return {
      kind: 'command',
      label: entry.name,
      insert: `${entry.name} `,
      help: entry.summary,
      availability: support.availability(entry.name),
      continues: entry.hasArgs,
    };
  }
}

function literalTier(entry: Entry, q: string): number | undefined {
  if (q === '') return 4;
  if (entry.name === q || entry.short === q) return 1;
  if (entry.name.startsWith(q) || entry.short.startsWith(q)) return 2;
  if (entry.short.split('-').some((word) => word.startsWith(q))) return 3;
  if (entry.name.includes(q)) return 4;
  return undefined;
}
