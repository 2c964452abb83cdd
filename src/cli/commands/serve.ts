// `qemu-host serve -s AGENT_SOCKET --listen BROKER_SOCKET`: share one agent among many
// clients. Clients speak the plain guest-agent protocol to BROKER_SOCKET (socat,
// qemu-ga-client, qmp-shell -N, qemu-host -s BROKER_SOCKET); see src/broker/README.md.
// This declares the command; serve-run.ts, loaded when it runs, does it.
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';

export interface ServeOptions extends GlobalOptions {
  listen?: string;
  http?: string;
  token?: string;
  socketMode?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('share one agent among many clients: a broker socket that speaks the agent protocol')
    .option('-s, --socket <path>', 'the agent chardev socket (default: $QEMU_HOST_SOCKET)')
    .option('--tcp <host:port>', 'reach the agent over TCP instead')
    .option('--domain <name>', 'a libvirt guest, reached through virsh qemu-agent-command')
    .option('--connect <uri>', 'the libvirt URI for --domain')
    .requiredOption('--listen <path>', 'the unix socket clients connect to')
    .option('--socket-mode <octal>', 'mode of the --listen socket', '600')
    .option('--http <host:port>', 'also serve a JSON API over HTTP (loopback unless a token is set)')
    .option('--token <token>', 'bearer token for the HTTP API; prefer $QEMU_HOST_TOKEN, which ps does not show')
    .option('--read-only', 'refuse commands that change the guest, for every client')
    .action(async (_opts: unknown, cmd: Command) => {
      const { runServe } = await import('./serve-run.js');
      process.exitCode = await runServe(cmd.optsWithGlobals<ServeOptions>());
    });
}
