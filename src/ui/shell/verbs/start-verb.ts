// Which run function and first body each verb request starts with.
import { execRun } from './run-exec.js';
import { freezeRun, thawRun } from './run-freeze.js';
import { infoRun } from './run-info.js';
import { getRun, putRun } from './run-transfer.js';
import { watchRun } from './run-watch.js';
import type { FreezeState } from './freeze-state.js';
import type { VerbBody } from './verb-item.js';
import { execCommandText, type VerbRequest } from './verb-plan.js';
import type { VerbRunner } from './verb-runner.js';
import type { VerbRun } from './verb-context.js';

export function startVerb(runner: VerbRunner, request: VerbRequest, line: string, freeze: () => FreezeState): void {
  const [body, run] = planned(request, line, freeze);
  runner.start(request.verb, line, body, run);
}

function planned(request: VerbRequest, line: string, freeze: () => FreezeState): [VerbBody, VerbRun] {
  switch (request.verb) {
    case 'exec':
      return [{ verb: 'exec', command: execCommandText(request.spec) }, execRun(request)];
    case 'get':
      return [{ verb: 'get', from: `guest:${request.guestPath}`, to: request.local, verifying: false }, getRun(request)];
    case 'put':
      return [{ verb: 'put', from: request.local, to: `guest:${request.guestPath}`, verifying: false }, putRun(request)];
    case 'info':
      return [{ verb: 'info' }, infoRun()];
    case 'watch': {
      const typed = line.replace(/^\s*:watch\s+/, '');
      return [{ verb: 'watch', command: typed, everyMs: request.everyMs }, watchRun(request, typed)];
    }
    case 'freeze':
      return [{ verb: 'freeze', what: request.mountpoints.join(', ') || 'every guest filesystem' }, freezeRun(request)];
    case 'thaw':
      return [{ verb: 'thaw', what: 'every frozen filesystem' }, thawRun(() => {
        const f = freeze();
        return f.status === 'frozen' && f.how === 'froze' ? f.since : undefined;
      })];
  }
}
