// The random parts of what the session sends: the prefix of its request ids and the id
// of every guest-sync-delimited. They only have to be fresh, so that a reply meant for an
// earlier client or an earlier sync is never taken for ours; nobody gains by guessing
// them (whoever can write to the socket can send anything anyway). Math.random, seeded
// afresh in every process, is enough for that, and it spares every run of the command
// line the load of node:crypto.

/** Sync ids stay below 2^47: exact in JSON, and within the agent's int64. */
const SYNC_ID_LIMIT = 2 ** 47;

/** A fresh guest-sync-delimited id, 1 <= id < 2^47. */
export function freshSyncId(): number {
  return 1 + Math.floor(Math.random() * (SYNC_ID_LIMIT - 1));
}

/** Six hex digits that tell this session's request ids from everyone else's. */
export function freshIdTag(): string {
  return Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');
}
