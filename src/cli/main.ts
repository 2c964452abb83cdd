// The qemu-host command line. Subcommands register themselves from src/cli/commands/.
// With no subcommand: batch mode when stdin is not a terminal, the shell when it is.
//
// Start-up time is part of every `call` and every batch run, so this file and what it
// imports statically stay small: a subcommand's module (commands/NAME.ts) only declares it
// (options, help), and its action loads the implementation (commands/NAME-run.ts) with
// `await import()` when it runs; only the subcommand the command line names is declared
// (subcommands.ts). The build (scripts/build.mjs) puts what loads at start into one file
// and each `await import()` target into chunks, and fails if the start-up graph pulls in
// the lab, the broker, the settings, the UI or heavy node: modules.
import { Command, CommanderError } from 'commander';
import { asQemuHostError } from '../protocol/errors.js';
import { runBatch } from './batch.js';
import { registerCall } from './commands/call.js';
import { registerExec } from './commands/exec.js';
import { registerGet } from './commands/get.js';
import { registerPut } from './commands/put.js';
import { registerInfo } from './commands/info.js';
import { registerWatch } from './commands/watch.js';
import { registerFreeze } from './commands/freeze.js';
import { registerThaw } from './commands/thaw.js';
import { registerCommands } from './commands/commands.js';
import { registerDescribe } from './commands/describe.js';
import { registerLab } from './commands/lab.js';
import { registerServe } from './commands/serve.js';
import { contextFrom, endpointFrom, withProfile, openSession, requireEndpoint, setConnectPerCommand, setWireLog, type GlobalOptions } from './context.js';
import { printError } from './output.js';
import { declareSubcommands, explainUnknownWord } from './subcommands.js';
import { plannerFor } from './prepare.js';
import { defaultMode, startRecording } from './record.js';
import { registerReplay } from './commands/replay.js';

const VERSION = '0.1.0';

export function buildProgram(argv: string[] = process.argv): Command {
  const program = new Command();
  program
    .name('qemu-host')
    .description('Talk to the QEMU Guest Agent: an interactive shell, and a command line for scripts.')
    .version(VERSION)
    .option('-s, --socket <path>', 'the agent chardev socket (default: $QEMU_HOST_SOCKET)')
    .option('--tcp <host:port>', 'reach the agent over TCP instead')
    .option('--domain <name>', 'a libvirt guest: go through libvirt (virsh qemu-agent-command), which holds its agent socket')
    .option('--connect <uri>', 'the libvirt URI for --domain, e.g. qemu:///system or qemu+ssh://root@host/system (default: virsh\'s)')
    .option('--timeout <ms>', 'per-command timeout in milliseconds (default: 10000; longer for fsfreeze/fstrim)')
    .option('--json', 'compact JSON output for machines')
    .option('--plain', 'line-mode prompt instead of the full-screen shell')
    .option('--read-only', 'refuse commands that change the guest (shutdown, suspend, freeze, writes, passwords, ...)')
    .option('--profile <name>', 'connect as a saved profile (socket, TCP or libvirt domain, timeout, read-only; save one in the shell with :profile save NAME)')
    .option('-y, --yes', 'send commands that change the guest without asking (needed for them in batch mode)')
    .option('--schema <file>', "check commands against this guest-agent QAPI schema (plain or .gz), or 'debian' for the installed package's (default: the shipped QEMU 10.2 schema)")
    .option('--wire', 'log every line in and out, and what the sync discarded, on stderr')
    .option('--share', 'connect for each command and disconnect after it, leaving the agent free in between (costs a connect + sync each time)')
    .option('--record <file>', 'write every request and reply of this run to FILE (JSON Lines, appended, mode 0600; secrets are never written)')
    .showHelpAfterError('(run qemu-host --help for usage)')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(explainUnknownWord(text, program, argv, Object.keys(subcommands))),
    });

  // Every subcommand by name; further ones are added here. Only the one the command line
  // names is declared (all of them for --help, `help` or an unknown word): declaring all of
  // them costs every run, batch mode and each `call` included, about 3 ms.
  const subcommands: Record<string, () => void> = {
    call: () => registerCall(program),
    exec: () => registerExec(program),
    get: () => registerGet(program),
    put: () => registerPut(program),
    info: () => registerInfo(program),
    watch: () => registerWatch(program),
    freeze: () => registerFreeze(program),
    thaw: () => registerThaw(program),
    commands: () => registerCommands(program),
    describe: () => registerDescribe(program),
    lab: () => registerLab(program, runDefault),
    serve: () => registerServe(program),
    replay: () => registerReplay(program),
  };
  declareSubcommands(program, argv, subcommands);
  program.hook('preAction', (command) => {
    setConnectPerCommand(command.opts<GlobalOptions>().share === true);
    setWireLog(command.opts<GlobalOptions>().wire === true ? process.stderr : undefined);
  });
  // --profile fills in the connection options the command line left out, for every subcommand.
  program.hook('preAction', async (command) => {
    const options = command.opts<GlobalOptions>();
    if (!options.profile) return;
    for (const [key, value] of Object.entries(await withProfile(options))) command.setOptionValue(key, value);
  });

  // --record opens its file before anything connects: a bad path sends nothing.
  program.hook('preAction', (command, action) => {
    const file = command.opts<GlobalOptions>().record;
    if (file === undefined) return;
    const mode = action === command ? defaultMode(command.opts<GlobalOptions>().plain, process.stdin.isTTY === true) : action.name();
    startRecording({ file, tool: `qemu-host ${VERSION}`, mode, stderr: process.stderr });
  });

  program.action(async (_opts: unknown, cmd: Command) => {
    process.exitCode = await runDefault(cmd.opts<GlobalOptions>());
  });
  return program;
}

async function runDefault(options: GlobalOptions): Promise<number> {
  const ctx = contextFrom(options);
  // A bad --schema is reported before anything connects or reads stdin.
  const schemaOptions = (await plannerFor(ctx)).sessionOptions();
  // No socket given: the settings' default, else (in a terminal only) the offer of a lab.
  if (!endpointFrom(options)) {
    const { runWithoutSocket } = await import('./commands/lab-offer.js');
    return await runWithoutSocket(options, runDefault);
  }
  if (!process.stdin.isTTY) {
    const session = openSession(requireEndpoint(options), schemaOptions);
    try {
      return await runBatch(ctx, session, process.stdin);
    } finally {
      session.close();
    }
  }
  const session = openSession(requireEndpoint(options), { ...schemaOptions, reconnect: true });
  try {
    if (options.plain) {
      const { runPlainShell } = await import('./plain-shell.js');
      return await runPlainShell(ctx, session);
    }
    // Loaded only here, so that `call` and batch mode never load React (its own chunk).
    const { runShell } = await import('../ui/run-shell.js');
    return await runShell(ctx, session, { readOnly: options.readOnly === true, lookup: (await plannerFor(ctx)).lookup });
  } finally {
    session.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not failures; anything else commander rejects is usage.
      return err.exitCode === 0 ? 0 : 2;
    }
    return printError(contextFrom({}), asQemuHostError(err));
  }
}
