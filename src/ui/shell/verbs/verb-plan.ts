// What a verb line means (`:exec uname -a`, `:get /etc/hostname`, ...), decided before
// anything runs: the request, the sentence a confirmation names when it changes the guest,
// or a problem to show. Pure apart from reading the host's file system for paths (a stat).
import { statSync } from 'node:fs';
import path from 'node:path';
import { localPathFor } from '../../../cli/commands/get.js';
import { guestPathFor } from '../../../cli/commands/put.js';
import { parseDuration, parseSize } from '../../../cli/commands/verb-cli.js';
import { QemuHostError, UsageError } from '../../../protocol/errors.js';
import type { JsonObject } from '../../../protocol/json.js';
import { changeOf } from '../../../schema/annotations.js';
import { parseCallWords } from '../../../schema/call-syntax.js';
import type { SchemaLookup } from '../../../schema/lookup.js';
import { tokenize } from '../../../schema/tokenize.js';
import { validateCall } from '../../../schema/validate.js';
import { checkEnv, describeSpec, execArguments, shellSpec, type ExecSpec } from '../../../verbs/exec/exec-request.js';
import { DEFAULT_CHUNK, checkChunk } from '../../../verbs/transfer/chunk-size.js';
import { formatBytes } from '../../../verbs/transfer/progress-text.js';
import { checkWatchable } from '../../../verbs/watch/read-only.js';
import type { ChunkRule, ChunkRules } from './transfer-chunks.js';
import type { VerbName } from './verb-item.js';

export type VerbRequest =
  | { verb: 'exec'; spec: ExecSpec; timeoutMs?: number; inputFile?: string }
  | { verb: 'get'; guestPath: string; local: string; chunk: number; verify: boolean }
  | { verb: 'put'; local: string; guestPath: string; size: number; chunk: number; verify: boolean }
  | { verb: 'info' }
  | { verb: 'watch'; command: string; args: JsonObject | undefined; everyMs: number; count?: number }
  | { verb: 'freeze'; mountpoints: string[] }
  | { verb: 'thaw' };

export type VerbPlan =
  /** `change`: what it does to the guest, when it does something (it is confirmed first). */
  | { kind: 'run'; request: VerbRequest; change: string | undefined }
  /** `:watch` alone: stop the watch that runs. */
  | { kind: 'stop-watch' }
  | { kind: 'problem'; message: string; hint?: string };

export interface PlanContext {
  lookup: SchemaLookup;
  /** Relative host paths are taken from here. */
  cwd: string;
  /** Chunk sizes through the shell's transport (the socket default when absent). */
  chunks?: ChunkRules;
}

export function planVerb(verb: VerbName, argText: string | undefined, ctx: PlanContext): VerbPlan {
  try {
    const words = tokenize(argText ?? '');
    switch (verb) {
      case 'exec':
        return planExec(words);
      case 'get':
        return planGet(words, ctx.cwd, ctx.chunks?.read);
      case 'put':
        return planPut(words, ctx.cwd, ctx.chunks?.write);
      case 'info':
        if (words.length > 0) throw new UsageError(':info takes no arguments', { hint: 'For one command, type it: guest-get-fsinfo' });
        return { kind: 'run', request: { verb: 'info' }, change: undefined };
      case 'watch':
        return planWatch(words, ctx.lookup);
      case 'freeze': {
        const mountpoints = words;
        const change = mountpoints.length > 0 ? changeOf('guest-fsfreeze-freeze-list', { mountpoints }) : changeOf('guest-fsfreeze-freeze', {});
        return { kind: 'run', request: { verb: 'freeze', mountpoints }, change };
      }
      case 'thaw':
        if (words.length > 0) throw new UsageError(':thaw takes no arguments: it thaws every frozen filesystem');
        return { kind: 'run', request: { verb: 'thaw' }, change: changeOf('guest-fsfreeze-thaw', {}) };
    }
  } catch (err) {
    if (err instanceof QemuHostError) return err.hint ? { kind: 'problem', message: err.message, hint: err.hint } : { kind: 'problem', message: err.message };
    throw err;
  }
}

/** Takes `--name VALUE` options off the front (and anywhere, for options-anywhere verbs). */
class Words {
  private readonly words: string[];
  constructor(words: string[]) {
    this.words = [...words];
  }
  get rest(): string[] {
    return this.words;
  }
  shift(): string | undefined {
    return this.words.shift();
  }
  value(option: string): string {
    const v = this.words.shift();
    if (v === undefined) throw new UsageError(`${option} needs a value`);
    return v;
  }
}

const EXEC_USAGE = "Usage: :exec CMD [ARGS...], or :exec --shell 'LINE'. Options before the command: --stdin TEXT, --input FILE, --env NAME=VALUE, --timeout 30s";

function planExec(words: string[]): VerbPlan {
  const w = new Words(words);
  let shell: string | undefined;
  let stdin: Buffer | undefined;
  let inputFile: string | undefined;
  let timeoutMs: number | undefined;
  const env: string[] = [];
  for (;;) {
    const word = w.rest[0];
    if (word === undefined || !word.startsWith('--')) break;
    w.shift();
    if (word === '--') break;
    if (word === '--shell') shell = w.value(word);
    else if (word === '--stdin') stdin = Buffer.from(`${w.value(word)}\n`);
    else if (word === '--input') inputFile = w.value(word);
    else if (word === '--env') env.push(w.value(word));
    else if (word === '--timeout') timeoutMs = parseDuration(w.value(word), word);
    else throw new UsageError(`:exec has no option ${word}`, { hint: EXEC_USAGE });
  }
  if (stdin && inputFile) throw new UsageError('give --stdin TEXT or --input FILE, not both');
  let spec: ExecSpec;
  if (shell !== undefined) {
    if (w.rest.length > 0) throw new UsageError("give either --shell 'LINE' or a command, not both", { hint: EXEC_USAGE });
    spec = shellSpec(shell);
  } else {
    const [program, ...args] = w.rest;
    if (program === undefined) throw new UsageError(':exec needs a command to run', { hint: EXEC_USAGE });
    spec = { path: program, args };
  }
  if (env.length > 0) {
    checkEnv(env);
    spec.env = env;
  }
  if (stdin) spec.input = stdin;
  execArguments(spec); // the same checks the verb makes (stdin size), before asking anything
  const request: VerbRequest = { verb: 'exec', spec };
  if (timeoutMs !== undefined) request.timeoutMs = timeoutMs;
  if (inputFile !== undefined) request.inputFile = inputFile;
  const extra = inputFile ? ` (stdin from ${inputFile})` : stdin ? ' (with the --stdin text as input)' : '';
  return { kind: 'run', request, change: `${changeOf('guest-exec', { path: spec.path, arg: [...(spec.args ?? [])] })}${extra}` };
}

/** `--chunk SIZE` and `--no-verify`, anywhere among the words. */
function transferOptions(words: string[], rule: ChunkRule = { default: DEFAULT_CHUNK }): { paths: string[]; chunk: number; verify: boolean } {
  const w = new Words(words);
  const paths: string[] = [];
  let chunk = rule.default;
  let verify = true;
  for (let word = w.shift(); word !== undefined; word = w.shift()) {
    if (word === '--chunk') chunk = checkChunk(parseSize(w.value(word), word), rule.limit);
    else if (word === '--no-verify') verify = false;
    else if (word.startsWith('--') && word.length > 2) throw new UsageError(`no option ${word}`, { hint: 'Options: --chunk SIZE (default 1M), --no-verify' });
    else paths.push(word);
  }
  return { paths, chunk, verify };
}

function planGet(words: string[], cwd: string, rule: ChunkRule | undefined): VerbPlan {
  const { paths, chunk, verify } = transferOptions(words, rule);
  const [guestPath, local, extra] = paths;
  if (!guestPath || extra !== undefined) throw new UsageError('usage: :get GUEST_PATH [LOCAL] [--chunk SIZE] [--no-verify]');
  if (local === '-') throw new UsageError('the shell cannot write a file to its own screen: give LOCAL as a file or directory', { hint: 'qemu-host get GUEST_PATH - (outside the shell) writes it to stdout.' });
  const target = path.resolve(cwd, localPathFor(guestPath, local === undefined ? cwd : path.resolve(cwd, local)));
  return { kind: 'run', request: { verb: 'get', guestPath, local: target, chunk, verify }, change: undefined };
}

function planPut(words: string[], cwd: string, rule: ChunkRule | undefined): VerbPlan {
  const { paths, chunk, verify } = transferOptions(words, rule);
  const [local, guestArg, extra] = paths;
  if (!local || !guestArg || extra !== undefined) throw new UsageError('usage: :put LOCAL GUEST_PATH [--chunk SIZE] [--no-verify]');
  if (local === '-') throw new UsageError('the shell has no stdin to send: give LOCAL as a host file');
  const file = path.resolve(cwd, local);
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const guestPath = guestPathFor(file, guestArg);
  const change = `writes guest:${guestPath} (${formatBytes(size)} from ${path.basename(file)}; replaces any file there)`;
  return { kind: 'run', request: { verb: 'put', local: file, guestPath, size, chunk, verify }, change };
}

function planWatch(words: string[], lookup: SchemaLookup): VerbPlan {
  if (words.length === 0 || (words.length === 1 && words[0] === 'stop')) return { kind: 'stop-watch' };
  const w = new Words(words);
  const rest: string[] = [];
  let everyMs = 2000;
  let count: number | undefined;
  for (let word = w.shift(); word !== undefined; word = w.shift()) {
    if (word === '--every') everyMs = parseDuration(w.value(word), word);
    else if (word === '--count') {
      const text = w.value(word);
      count = Number(text);
      if (!(Number.isInteger(count) && count > 0)) throw new UsageError(`--count takes a whole number above 0, not "${text}"`);
    } else rest.push(word);
  }
  const [command, ...argWords] = rest;
  if (!command) throw new UsageError('usage: :watch COMMAND [ARGS...] [--every S] [--count N]');
  checkWatchable(command);
  const parsed = parseCallWords(command, argWords);
  const args = lookup.command(command) ? validateCall(lookup, parsed) : parsed.args;
  const request: VerbRequest = { verb: 'watch', command, args, everyMs };
  if (count !== undefined) request.count = count;
  return { kind: 'run', request, change: undefined };
}

/** The command an exec request runs, for the entry's title. */
export function execCommandText(spec: ExecSpec): string {
  return spec.path === 'sh' && spec.args?.[0] === '-c' && spec.args.length === 2 ? `sh -c ${describeSpec({ path: spec.args[1]! })}` : describeSpec(spec);
}
