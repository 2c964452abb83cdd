// What `qemu-host serve` does (declared in serve.ts, loaded when it runs): start the broker
// and serve until SIGINT or SIGTERM.
import { UsageError } from '../../protocol/errors.js';
import { parseHttpBind } from '../../broker/http-api.js';
import { streamLog } from '../../broker/log.js';
import { startService } from '../../broker/service.js';
import { parseSocketMode } from '../../broker/socket-server.js';
import { transportFor } from '../../transport/transport-for.js';
import { contextFrom, requireEndpoint, runSessionHooks } from '../context.js';
import { printError } from '../output.js';
import type { ServeOptions } from './serve.js';

export async function runServe(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = contextFrom(options);
  try {
    const endpoint = requireEndpoint(options);
    if (!options.listen) throw new UsageError('serve needs --listen PATH for its socket');
    const token = options.token ?? (env.QEMU_HOST_TOKEN || undefined);
    const log = streamLog(ctx.stderr);
    if (options.token !== undefined) {
      // Never the token itself: only that it is exposed.
      log('warning: --token on the command line can be read by every user of this machine (ps, /proc); set QEMU_HOST_TOKEN instead');
    }
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
