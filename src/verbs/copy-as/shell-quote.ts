// POSIX shell quoting for lines people paste into sh, bash, zsh or dash.

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word the shell reads back as exactly `text`: bare when safe, else in single quotes. */
export function shellQuote(text: string): string {
  if (SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * One shell word made of literal text and variable expansions, e.g. the JSON of a request
 * with `"$QGA_PASSWORD"` where the password goes. Literal parts are single-quoted and the
 * variables double-quoted, side by side, so the shell joins them into one word.
 */
export function shellWord(parts: ReadonlyArray<{ text: string } | { variable: string }>): string {
  return parts
    .map((part) => ('variable' in part ? `"$${part.variable}"` : part.text === '' ? '' : `'${part.text.replace(/'/g, `'\\''`)}'`))
    .join('') || "''";
}
