// Secrets on the command line (guest-set-user-password's password). A value in argv can be
// read by every user of the machine (ps, /proc/PID/cmdline) and stays in the shell's
// history, so `call` warns when one is given there, and takes `password=-` to read it
// instead: typed on the terminal without echo, or the first line of piped stdin.
import { UsageError } from '../protocol/errors.js';
import { replaceTypedValue, type ParsedCall } from '../schema/call-syntax.js';
import { isSecretMember } from '../schema/annotations.js';

export interface SecretIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
}

/** Fills each secret given as `-` from the terminal or stdin; warns for a secret given as text. */
export async function fillSecretArgs(parsed: ParsedCall, io: SecretIo = { input: process.stdin, output: process.stderr }): Promise<void> {
  if (parsed.raw || !parsed.args) return;
  for (const [key, text] of parsed.typed) {
    if (!isSecretMember(parsed.command, key)) continue;
    if (text !== '-') {
      io.output.write(`qemu-host: warning: ${key} on the command line can be read by every user of this machine (ps) and stays in your shell history; give ${key}=- to type it or pipe it in\n`);
      continue;
    }
    const value = io.input.isTTY && io.input.setRawMode ? await readHidden(io, key, parsed.command) : await firstLine(io.input);
    if (value === '') throw new UsageError(`no ${key} given on stdin; nothing was sent`, { hint: `Pipe it in (printf '%s\\n' "$SECRET" | qemu-host call ... ${key}=-) or type it on a terminal.` });
    replaceTypedValue(parsed, key, value);
  }
}

/** The first line of a piped stream, without its newline. */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const nl = text.indexOf('\n');
    if (nl !== -1) return text.slice(0, nl).replace(/\r$/, '');
  }
  return text;
}

/** Reads a line from the terminal with echo off; Ctrl+C or Ctrl+D gives up. */
function readHidden(io: SecretIo, key: string, command: string): Promise<string> {
  const { input, output } = io;
  output.write(`${key} for ${command} (not shown): `);
  input.setRawMode!(true);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError(`${key} not given; nothing was sent`));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
