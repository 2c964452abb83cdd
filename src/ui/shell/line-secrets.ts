// Keeps secrets out of everything the shell records: the line shown in the history pane
// and the line kept for recall. A secret value is replaced on display and dropped from
// recall, so recalling the line asks for it again instead of resending it.
import { isJsonObject, parseJson, stringifyJson } from '../../protocol/json.js';
import { isSecretMember, REDACTED, redactRequestText } from '../../schema/annotations.js';
import { tokenize } from '../../schema/tokenize.js';

type Mode = 'display' | 'recall';

function secretsIn(line: string, mode: Mode): string | undefined {
  const trimmed = line.trim();
  // A shell command that takes a command line (`:copy guest-set-user-password ...`): the
  // rest is treated as the line it is.
  const meta = /^(:\S+)\s+(\S[\s\S]*)$/.exec(trimmed);
  if (meta) {
    const rest = secretsIn(meta[2]!, mode);
    return rest === undefined ? undefined : `${meta[1]} ${rest}`;
  }
  if (trimmed.startsWith('{')) {
    let value;
    try {
      value = parseJson(trimmed);
    } catch {
      const redacted = redactRequestText(trimmed);
      // Unparsable and it carried a secret: never keep it for recall.
      return redacted === trimmed ? trimmed : mode === 'display' ? redacted : undefined;
    }
    if (mode === 'display') return redactRequestText(trimmed);
    if (!isJsonObject(value) || typeof value.execute !== 'string' || !isJsonObject(value.arguments)) return trimmed;
    const args = { ...value.arguments };
    let dropped = false;
    for (const key of Object.keys(args)) {
      if (isSecretMember(value.execute, key)) {
        delete args[key];
        dropped = true;
      }
    }
    return dropped ? stringifyJson({ ...value, arguments: args }) : trimmed;
  }
  let words: string[];
  try {
    words = tokenize(trimmed);
  } catch {
    // An unbalanced quote: keep it only if no secret member name appears in it.
    return /password/i.test(trimmed) ? (mode === 'display' ? `${trimmed.split(/\s/)[0]} ${REDACTED}` : undefined) : trimmed;
  }
  const command = words[0];
  if (!command) return trimmed;
  let changed = false;
  const kept: string[] = [];
  const raw = splitRaw(trimmed);
  words.forEach((word, i) => {
    const eq = word.indexOf('=');
    if (i > 0 && eq > 0 && isSecretMember(command, word.slice(0, eq))) {
      changed = true;
      if (mode === 'display') kept.push(`${word.slice(0, eq)}=${REDACTED}`);
      return;
    }
    kept.push(raw[i] ?? word);
  });
  return changed ? kept.join(' ') : trimmed;
}

/** Splits on unquoted whitespace keeping each word's original spelling (quotes included). */
function splitRaw(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      word += ch;
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === '\\' && i + 1 < line.length) word += line[++i];
    } else if (ch === ' ' || ch === '\t') {
      if (word) out.push(word);
      word = '';
    } else {
      word += ch;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '\\' && i + 1 < line.length) word += line[++i];
    }
  }
  if (word) out.push(word);
  return out;
}

/** The line as the history pane may show it: secret values replaced. */
export function displayLine(line: string): string {
  return secretsIn(line, 'display') ?? REDACTED;
}

/** The line as recall history may keep it: secret members dropped; undefined to keep nothing. */
export function recallLine(line: string): string | undefined {
  return secretsIn(line, 'recall');
}
