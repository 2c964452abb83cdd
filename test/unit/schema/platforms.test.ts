import { describe, expect, it } from 'vitest';
import { knownSymbols, PLATFORMS, platformsOf, supportOf } from '../../../src/schema/platforms.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import type { Condition } from '../../../src/schema/model.js';

describe('platformsOf', () => {
  it('gives every platform when there is no condition', () => {
    expect(platformsOf(undefined)).toEqual(['linux', 'freebsd', 'windows', 'other posix']);
    expect(platformsOf(undefined)).toEqual([...PLATFORMS]);
  });

  it('maps the OS symbols', () => {
    expect(platformsOf('CONFIG_WIN32')).toEqual(['windows']);
    expect(platformsOf('CONFIG_LINUX')).toEqual(['linux']);
    expect(platformsOf('CONFIG_FREEBSD')).toEqual(['freebsd']);
    expect(platformsOf('CONFIG_POSIX')).toEqual(['linux', 'freebsd', 'other posix']);
  });

  it('maps the feature symbols to the platforms where QEMU can enable them', () => {
    expect(platformsOf('CONFIG_FSFREEZE')).toEqual(['linux', 'freebsd']);
    expect(platformsOf('CONFIG_FSTRIM')).toEqual(['linux']);
    expect(platformsOf('CONFIG_LIBUDEV')).toEqual(['linux']);
    expect(platformsOf('CONFIG_GETLOADAVG')).toEqual(['linux', 'freebsd', 'other posix']);
    expect(platformsOf('HAVE_GETIFADDRS')).toEqual(['linux', 'freebsd', 'other posix']);
    expect(platformsOf('HAVE_UTMPX')).toEqual(['linux', 'freebsd', 'other posix']);
  });

  it('combines with any, all and not', () => {
    expect(platformsOf({ any: ['CONFIG_WIN32', 'CONFIG_FSFREEZE'] })).toEqual(['linux', 'freebsd', 'windows']);
    expect(platformsOf({ any: ['CONFIG_WIN32', 'CONFIG_FSTRIM'] })).toEqual(['linux', 'windows']);
    expect(platformsOf({ any: ['CONFIG_WIN32', 'CONFIG_LINUX', 'CONFIG_FREEBSD'] })).toEqual([
      'linux', 'freebsd', 'windows',
    ]);
    expect(platformsOf({ not: 'CONFIG_WIN32' })).toEqual(['linux', 'freebsd', 'other posix']);
    expect(platformsOf({ all: ['CONFIG_POSIX', 'CONFIG_FSTRIM'] })).toEqual(['linux']);
    expect(platformsOf({ all: ['CONFIG_LINUX', 'CONFIG_WIN32'] })).toEqual([]);
    expect(platformsOf({ not: { any: ['CONFIG_LINUX', 'CONFIG_WIN32'] } })).toEqual(['freebsd', 'other posix']);
  });

  it('keeps build-dependent support as "maybe" through the combinators', () => {
    expect(supportOf('CONFIG_LIBUDEV').linux).toBe('maybe');
    expect(supportOf({ any: ['CONFIG_WIN32', 'CONFIG_LIBUDEV'] })).toEqual({
      linux: 'maybe', freebsd: 'no', windows: 'yes', 'other posix': 'no',
    });
    // not(maybe) is still maybe, so a negated build-dependent symbol hides nothing.
    expect(supportOf({ not: 'HAVE_UTMPX' })['other posix']).toBe('maybe');
    expect(supportOf({ all: ['CONFIG_LINUX', 'CONFIG_LIBUDEV'] }).linux).toBe('maybe');
    expect(supportOf({ any: ['CONFIG_LINUX', 'CONFIG_LIBUDEV'] }).linux).toBe('yes');
  });

  it('treats unknown symbols as possible everywhere, even when negated', () => {
    expect(platformsOf('CONFIG_SOMETHING_NEW')).toEqual([...PLATFORMS]);
    expect(platformsOf({ not: 'CONFIG_SOMETHING_NEW' })).toEqual([...PLATFORMS]);
    expect(platformsOf({ all: ['CONFIG_SOMETHING_NEW', 'CONFIG_WIN32'] })).toEqual(['windows']);
  });

  it('knows every symbol the shipped schema uses', () => {
    const seen = new Set<string>();
    const walk = (c: Condition | undefined): void => {
      if (c === undefined) return;
      if (typeof c === 'string') seen.add(c);
      else if ('not' in c) walk(c.not);
      else for (const part of 'all' in c ? c.all : c.any) walk(part);
    };
    for (const def of loadShippedSchema().definitions) {
      walk(def.if);
      if (def.kind === 'enum') for (const v of def.values) walk(v.if);
    }
    const known = new Set(knownSymbols());
    expect([...seen].filter((s) => !known.has(s))).toEqual([]);
  });

  it('puts the shipped commands on the expected platforms', () => {
    const cmd = (name: string) => loadShippedSchema().definitions.find((d) => d.name === name);
    expect(platformsOf(cmd('guest-exec')?.if)).toEqual([...PLATFORMS]);
    expect(platformsOf(cmd('guest-get-devices')?.if)).toEqual(['windows']);
    expect(platformsOf(cmd('guest-fsfreeze-freeze')?.if)).toEqual(['linux', 'freebsd', 'windows']);
    expect(platformsOf(cmd('guest-get-disks')?.if)).toEqual(['linux', 'windows']);
    expect(platformsOf(cmd('guest-suspend-hybrid')?.if)).toEqual(['linux']);
  });
});
