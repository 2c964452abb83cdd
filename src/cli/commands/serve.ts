// `qemu-host serve -s AGENT_SOCKET --listen BROKER_SOCKET`: share one agent among many
// clients. Clients speak the plain guest-agent protocol to BROKER_SOCKET (socat,
// qemu-ga-client, qmp-shell -N, qemu-host -s BROKER_SOCKET); see src/broker/README.md.
import type { Command } from 'commander';
import { UsageError } from '../../protocol/errors.js';
import { parseHttpBind } from '../../broker/http-api.js';
import { streamLog } from '../../broker/log.js';
import { startService } from '../../broker/service.js';
import { parseSocketMode } from '../../broker/socket-server.js';
import { transportFor } from '../../transport/transport-for.js';
import { contextFrom, requireEndpoint, runSessionHooks, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';

interface ServeOptions extends GlobalOptions {
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
    .option('--token <token>', 'bearer token for the HTTP API (default: $QEMU_HOST_TOKEN)')
    .option('--read-only', 'refuse commands that change the guest, for every client')
    .action(async (_opts: unknown, cmd: Command) => {
      process.exitCode = await runServe(cmd.optsWithGlobals<ServeOptions>());
    });
}

export async function runServe(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = contextFrom(options);
  try {
    const endpoint = requireEndpoint(options);
    if (!options.listen) throw new UsageError('serve needs --listen PATH for its socket');
    const token = options.token ?? (env.QEMU_HOST_TOKEN || undefined);
    const log = streamLog(ctx.stderr);
    const service = await startService(transportFor(endpoint), {
      listen: options.listen,
      socketMode: parseSocketMode(options.socketMode),
      http: options.http === undefined ? undefined : parseHttpBind(options.http),
      token,
      readOnly: options.readOnly === true,
      timeoutFor: ctx.timeoutMs === undefined ? undefined : () => ctx.timeoutMs!,
      log,
    });
    // --record: the broker's one session carries every client's requests.
    runSessionHooks(service.broker.session);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        service.broker.log?.(`${signal}: closing ${options.listen}`);
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        void service.close().then(() => {
          log.flush();
          resolve();
        });
      };
      const onInt = (): void => stop('SIGINT');
      const onTerm = (): void => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    return 0;
  } catch (err) {
    return printError(ctx, err);
  }
}
