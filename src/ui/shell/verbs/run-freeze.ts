// :freeze and :thaw through the freeze verb. The FROZEN banner itself is not theirs: the
// shell learns the freeze state from the session's call-end events (freeze-state.ts), so
// it shows the same whether the guest was frozen by :freeze, by guest-fsfreeze-freeze
// typed at the prompt, or found frozen by guest-fsfreeze-status.
import { freezeFilesystems, thawFilesystems } from '../../../verbs/freeze/freeze.js';
import type { VerbRun } from './verb-context.js';
import type { FreezeBody } from './verb-item.js';
import type { VerbRequest } from './verb-plan.js';

const callOptions = (timeoutMs: number | undefined) => (timeoutMs === undefined ? {} : { callTimeoutMs: timeoutMs });

export function freezeRun(request: Extract<VerbRequest, { verb: 'freeze' }>): VerbRun {
  return async (ctx) => {
    const body: FreezeBody = { verb: 'freeze', what: request.mountpoints.length ? request.mountpoints.join(', ') : 'every guest filesystem' };
    ctx.show(body);
    const count = await freezeFilesystems(ctx.session, request.mountpoints, callOptions(ctx.callTimeoutMs));
    return { body: { ...body, count } };
  };
}

/** `frozenSince`: when this shell saw the guest frozen (Date.now()), if it did. */
export function thawRun(frozenSince: () => number | undefined): VerbRun {
  return async (ctx) => {
    const since = frozenSince();
    const body: FreezeBody = { verb: 'thaw', what: 'every frozen filesystem' };
    ctx.show(body);
    const count = await thawFilesystems(ctx.session, callOptions(ctx.callTimeoutMs));
    return { body: { ...body, count, ...(since === undefined || count === 0 ? {} : { frozenForMs: Date.now() - since }) } };
  };
}
