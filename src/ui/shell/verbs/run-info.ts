// :info: the guest overview from the info verb, as the same text tables `qemu-host info`
// prints; the entry names each command while it is being asked.
import { throwIfAborted } from '../../../verbs/verb-session.js';
import { gatherInfo } from '../../../verbs/info/gather.js';
import { overviewText } from '../../../verbs/info/info-text.js';
import { overviewOf } from '../../../verbs/info/overview.js';
import type { VerbRun } from './verb-context.js';
import type { InfoBody } from './verb-item.js';

export function infoRun(): VerbRun {
  return async (ctx) => {
    ctx.show({ verb: 'info' });
    const info = await gatherInfo(ctx.session, {
      ...(ctx.callTimeoutMs === undefined ? {} : { callTimeoutMs: ctx.callTimeoutMs }),
      onStep: (command, index, count) => {
        // The verb has no signal: stopping between two commands is as soon as it can be.
        throwIfAborted(ctx.signal, 'stopped; the overview was not finished');
        ctx.show({ verb: 'info', step: { command, index, count } });
      },
    });
    const body: InfoBody = { verb: 'info', text: overviewText(overviewOf(info)).replaceAll('qemu-host thaw', ':thaw') };
    return { body };
  };
}
