// Declares only the subcommand a command line names. commander needs a subcommand declared
// (its options, arguments, help) before it can parse it, and declaring all of them is ~3 ms
// of every run. The name is the first word after the global options, found the way
// commander finds it: with positional options, global options come first, and one that
// takes a value (`-s PATH`, `--timeout MS`) takes the next word unless written `--x=v` or
// joined to it (`-sPATH`, `-ysPATH`).
// Whenever that is not clear-cut (help, `--`, a word that names no subcommand), all are
// declared and commander decides, so the outcome is always the one it would give.
import type { Command } from 'commander';
import { didYouMean } from '../schema/did-you-mean.js';

export function declareSubcommands(program: Command, argv: string[], declare: Record<string, () => void>): void {
  const named = namedSubcommand(program, argv.slice(2));
  if (named === undefined) return;
  const only = Object.hasOwn(declare, named) ? declare[named] : undefined;
  if (only) {
    only();
    return;
  }
  for (const each of Object.values(declare)) each();
}

/** The subcommand word, '' when all must be declared, undefined when there is none. */
export function namedSubcommand(program: Command, args: string[]): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || arg === '-h' || arg === '--help') return '';
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && takesValue.has(arg)) i++;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Short flags, maybe joined (-ys PATH): the first that takes a value takes the rest
      // of the word, or the next word when it comes last.
      for (let c = 1; c < arg.length; c++) {
        if (!takesValue.has(`-${arg[c]}`)) continue;
        if (c === arg.length - 1) i++;
        break;
      }
      continue;
    }
    return arg;
  }
  return undefined;
}

/**
 * commander's complaint about words after the global options that name no subcommand
 * ("too many arguments"), said as what it is: an unknown command, with the nearest name,
 * or, for an agent command, the `call` that sends it. Other messages pass unchanged.
 */
export function explainUnknownWord(message: string, program: Command, argv: string[], names: readonly string[]): string {
  if (!message.startsWith('error: too many arguments. Expected 0 arguments')) return message;
  const word = namedSubcommand(program, argv.slice(2));
  if (!word) return message;
  if (/^guest-/.test(word)) return `error: ${word} is an agent command: send it with qemu-host [options] call ${word} [ARGS...]\n`;
  return `error: unknown command '${word}'${didYouMean(word, names)}\n`;
}
