// How often to ask guest-exec-status. Most commands finish in a few milliseconds, so the
// first poll comes after 1 ms and the gap doubles from there (1, 2, 4, ... ms) up to a
// cap: a quick command is seen at once, a long one costs at most ten polls a second.
export const FIRST_POLL_MS = 1;
export const MAX_POLL_MS = 100;

export function* pollDelays(firstMs = FIRST_POLL_MS, maxMs = MAX_POLL_MS): Generator<number, never> {
  let delay = firstMs;
  for (;;) {
    yield delay;
    delay = Math.min(delay * 2, maxMs);
  }
}
