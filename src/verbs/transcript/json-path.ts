// Paths into a reply, as replay shows them and --ignore takes them: `return.pid`,
// `return[0].name`, `error.desc`. A key with characters other than letters, digits, `-`
// and `_` is written `["like.this"]`. Patterns add `*` (any key) and `[*]` (any index), and
// match a path and everything under it: `return[*].statistics` covers every counter of
// every interface.
import { UsageError } from '../../protocol/errors.js';

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(the whole reply)' : out;
}

/** One pattern segment: a key, an index, or a wildcard of either kind. */
type PatternSegment = { key: string } | { index: number } | { anyKey: true } | { anyIndex: true };

export interface PathPattern {
  /** The command it applies to; undefined for all. */
  command: string | undefined;
  segments: PatternSegment[];
  /** As the user wrote it, for the report. */
  text: string;
}

/** Parses `[COMMAND:]PATH`. Throws UsageError. */
export function parsePattern(text: string): PathPattern {
  const colon = text.indexOf(':');
  const command = colon > 0 && !text.slice(0, colon).includes('[') ? text.slice(0, colon) : undefined;
  const path = command === undefined ? text : text.slice(colon + 1);
  const segments: PatternSegment[] = [];
  const bad = (why: string): UsageError =>
    new UsageError(`--ignore ${text}: ${why}`, { hint: 'Write [COMMAND:]PATH, e.g. guest-get-time:return, return.pid or return[*].statistics.' });
  let rest = path;
  while (rest !== '') {
    let match: RegExpExecArray | null;
    if ((match = /^\[\*\]/.exec(rest))) segments.push({ anyIndex: true });
    else if ((match = /^\[(\d+)\]/.exec(rest))) segments.push({ index: Number(match[1]) });
    else if ((match = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest))) segments.push({ key: JSON.parse(match[1]!) as string });
    else if ((match = /^\.?\*(?=[.[]|$)/.exec(rest))) segments.push({ anyKey: true });
    else if ((match = /^\.?([A-Za-z0-9_-]+)/.exec(rest))) segments.push({ key: match[1]! });
    else throw bad(`cannot read the path at "${rest}"`);
    if (segments.length === 1 && match[0].startsWith('.')) throw bad('a path does not start with a dot');
    rest = rest.slice(match[0].length);
  }
  if (segments.length === 0) throw bad('the path is empty');
  return { command, segments, text };
}

/** Whether `pattern` covers `path` (the path itself or one of its ancestors matches). */
export function patternCovers(pattern: PathPattern, command: string, path: readonly PathSegment[]): boolean {
  if (pattern.command !== undefined && pattern.command !== command) return false;
  if (path.length < pattern.segments.length) return false;
  return pattern.segments.every((seg, i) => {
    const actual = path[i]!;
    if ('anyKey' in seg) return typeof actual === 'string';
    if ('anyIndex' in seg) return typeof actual === 'number';
    if ('index' in seg) return actual === seg.index;
    return actual === seg.key;
  });
}
