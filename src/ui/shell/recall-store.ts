// Where the prompt's recall lines live: the settings' RecallHistory across runs, or
// memory only (tests, or when the config directory cannot be written).
export interface RecallStore {
  lines(): readonly string[];
  add(line: string): void;
}

export function memoryRecall(initial: readonly string[] = [], sanitize: (line: string) => string | undefined = (l) => l): RecallStore {
  let lines = [...initial];
  return {
    lines: () => lines,
    add(line) {
      const safe = sanitize(line.trim());
      if (safe && lines[lines.length - 1] !== safe) lines = [...lines, safe];
    },
  };
}
