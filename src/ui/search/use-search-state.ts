// Ctrl+R history search as a pure reducer: the query and how many matches back the user
// has stepped. Matches are recall lines containing the query, newest first.
export interface SearchState {
  query: string;
  /** 0 = newest match. */
  skip: number;
}

export const INITIAL_SEARCH: SearchState = { query: '', skip: 0 };

export type SearchAction = { type: 'type'; text: string } | { type: 'erase' } | { type: 'older'; lines: readonly string[] };

export function searchReducer(state: SearchState, action: SearchAction): SearchState {
  switch (action.type) {
    case 'type':
      return { query: state.query + action.text, skip: 0 };
    case 'erase':
      return { query: [...state.query].slice(0, -1).join(''), skip: 0 };
    case 'older':
      return matches(action.lines, state.query).length > state.skip + 1 ? { ...state, skip: state.skip + 1 } : state;
  }
}

/** Recall lines containing the query (case-insensitive), newest first, without repeats. */
export function matches(lines: readonly string[], query: string): string[] {
  const q = query.toLowerCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (seen.has(line) || !line.toLowerCase().includes(q)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}

export function currentMatch(state: SearchState, lines: readonly string[]): string | undefined {
  return matches(lines, state.query)[state.skip];
}
