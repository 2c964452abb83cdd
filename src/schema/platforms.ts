// Which guest platforms have a definition, worked out from its QAPI `if` condition.
//
// QEMU builds the guest agent for Linux, FreeBSD, NetBSD, OpenBSD, Solaris/illumos and
// Windows (meson.build: `have_ga` requires host_os in sunos, linux, windows, freebsd,
// netbsd, openbsd). We name four platforms: linux, freebsd, windows, and "other posix"
// for the remaining BSDs and Solaris, which the schema never singles out.
//
// How QEMU's meson.build sets the symbols the guest-agent schema uses (checked against
// qemu/qemu meson.build of the 9.x/10.x era, and the qemu-devel patches that introduced
// the qga_fsfreeze/qga_fstrim block and the CONFIG_GETLOADAVG check):
//   CONFIG_WIN32, CONFIG_LINUX, CONFIG_FREEBSD  host_os is windows / linux / freebsd
//   CONFIG_POSIX       every host that is not Windows
//   CONFIG_FSFREEZE    linux: <linux/fs.h> defines FIFREEZE; freebsd: <ufs/ffs/fs.h>
//                      defines UFSSUSPEND; nowhere else (Windows freezes through VSS and
//                      is named separately in the schema as CONFIG_WIN32)
//   CONFIG_FSTRIM      linux only: <linux/fs.h> defines FITRIM
//   CONFIG_LIBUDEV     libudev is only looked for when host_os == 'linux', and it is an
//                      optional (auto) dependency, so a Linux build may lack it
//   CONFIG_GETLOADAVG  cc.has_function('getloadavg'): glibc, musl, the BSDs and Solaris
//   HAVE_GETIFADDRS    cc.has_function('getifaddrs'): glibc, musl, the BSDs, illumos
//   HAVE_UTMPX         <utmpx.h> declares struct utmpx: glibc, musl, FreeBSD, NetBSD and
//                      Solaris do; OpenBSD does not, hence "maybe" for other posix
// Symbols we do not know are treated as "maybe" everywhere, so nothing is hidden wrongly.
import type { Condition } from './model.js';

export const PLATFORMS = ['linux', 'freebsd', 'windows', 'other posix'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** yes: a normal build for that platform has it; no: never; maybe: depends on the build. */
export type Support = 'yes' | 'no' | 'maybe';
export type PlatformSupport = Record<Platform, Support>;

function table(linux: Support, freebsd: Support, windows: Support, otherPosix: Support): PlatformSupport {
  return { linux, freebsd, windows, 'other posix': otherPosix };
}

const SYMBOLS: ReadonlyMap<string, PlatformSupport> = new Map([
  ['CONFIG_WIN32', table('no', 'no', 'yes', 'no')],
  ['CONFIG_LINUX', table('yes', 'no', 'no', 'no')],
  ['CONFIG_FREEBSD', table('no', 'yes', 'no', 'no')],
  ['CONFIG_POSIX', table('yes', 'yes', 'no', 'yes')],
  ['CONFIG_FSFREEZE', table('yes', 'yes', 'no', 'no')],
  ['CONFIG_FSTRIM', table('yes', 'no', 'no', 'no')],
  ['CONFIG_LIBUDEV', table('maybe', 'no', 'no', 'no')],
  ['CONFIG_GETLOADAVG', table('yes', 'yes', 'no', 'yes')],
  ['HAVE_GETIFADDRS', table('yes', 'yes', 'no', 'yes')],
  ['HAVE_UTMPX', table('yes', 'yes', 'no', 'maybe')],
]);

const UNKNOWN = table('maybe', 'maybe', 'maybe', 'maybe');
const EVERYWHERE = table('yes', 'yes', 'yes', 'yes');

/** The config symbols this module knows how to map. */
export function knownSymbols(): string[] {
  return [...SYMBOLS.keys()];
}

function not(s: Support): Support {
  return s === 'yes' ? 'no' : s === 'no' ? 'yes' : 'maybe';
}

function and(a: Support, b: Support): Support {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'maybe';
}

function or(a: Support, b: Support): Support {
  if (a === 'yes' || b === 'yes') return 'yes';
  return a === 'no' && b === 'no' ? 'no' : 'maybe';
}

function combine(parts: Condition[], op: (a: Support, b: Support) => Support, start: Support): PlatformSupport {
  const tables = parts.map((p) => supportOf(p));
  const result = { ...table(start, start, start, start) };
  for (const platform of PLATFORMS) {
    for (const t of tables) result[platform] = op(result[platform], t[platform]);
  }
  return result;
}

/**
 * Per-platform support for a condition. No condition means every platform; `not`, `any`
 * and `all` combine with three-valued logic (a "maybe" stays a "maybe" unless the other
 * side settles it).
 */
export function supportOf(cond: Condition | undefined): PlatformSupport {
  if (cond === undefined) return { ...EVERYWHERE };
  if (typeof cond === 'string') return { ...(SYMBOLS.get(cond) ?? UNKNOWN) };
  if ('not' in cond) {
    const inner = supportOf(cond.not);
    const result = { ...inner };
    for (const platform of PLATFORMS) result[platform] = not(inner[platform]);
    return result;
  }
  if ('all' in cond) return combine(cond.all, and, 'yes');
  return combine(cond.any, or, 'no');
}

/**
 * Platforms that can have a definition with this condition (support "yes" or "maybe"),
 * in the order of PLATFORMS. An absent condition gives all four.
 */
export function platformsOf(cond: Condition | undefined): Platform[] {
  const support = supportOf(cond);
  return PLATFORMS.filter((p) => support[p] !== 'no');
}
