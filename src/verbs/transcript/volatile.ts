// Reply members that differ on every run by their nature: clocks, counters, load. Replay
// ignores differences there unless --strict, and always says which it ignored, so nothing
// is hidden silently. Handles and pids are not here: replay maps them (value-map.ts).
import { parsePattern, type PathPattern } from './json-path.js';

export const VOLATILE_PATHS: readonly string[] = [
  // The guest clock, in nanoseconds.
  'guest-get-time:return',
  // When each user logged in (seconds, fractional).
  'guest-get-users:return[*].login-time',
  // Load averages, CPU and disk counters.
  'guest-get-load:return',
  'guest-get-cpustats:return',
  'guest-get-diskstats:return',
  // Packet and byte counters of every interface.
  'guest-network-get-interfaces:return[*].statistics',
  // Space used on each filesystem moves with every write in the guest.
  'guest-get-fsinfo:return[*].used-bytes',
];

export function volatilePatterns(): PathPattern[] {
  return VOLATILE_PATHS.map(parsePattern);
}
