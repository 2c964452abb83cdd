import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../../src/schema/did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('path', 'path')).toBe(0);
    expect(editDistance('pth', 'path')).toBe(1);
    expect(editDistance('paths', 'path')).toBe(1);
    expect(editDistance('pash', 'path')).toBe(1);
    expect(editDistance('guset', 'guest')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('load', 'time')).toBe(4);
  });
});

describe('suggest', () => {
  const commands = ['guest-ping', 'guest-file-open', 'guest-file-close', 'guest-get-time', 'guest-exec', 'guest-exec-status'];

  it('finds close command names, with or without the guest- prefix', () => {
    expect(suggest('guest-fle-open', commands)).toEqual(['guest-file-open']);
    expect(suggest('file-open', commands)).toEqual(['guest-file-open']);
    expect(suggest('guest_file_open', commands)).toEqual(['guest-file-open']);
    expect(suggest('GUEST-PING', commands)).toEqual(['guest-ping']);
    expect(suggest('guest-exec-stats', commands)).toEqual(['guest-exec-status']);
  });

  it('judges closeness on the part after guest-, so a shared prefix does not count', () => {
    expect(suggest('guest-get-load', commands)).toEqual([]);
    expect(suggest('nothing-like-it', commands)).toEqual([]);
  });

  it('ranks by distance, then by name, up to the limit', () => {
    expect(suggest('guest-exec-stat', commands, 3)).toEqual(['guest-exec-status']);
    expect(suggest('cat', ['cut', 'bat', 'cat', 'dog', 'car'], 3)).toEqual(['cat', 'bat', 'car']);
  });

  it('is strict for short names', () => {
    expect(suggest('pth', ['path', 'mode'])).toEqual(['path']);
    expect(suggest('px', ['path', 'mode'])).toEqual([]);
  });
});

describe('didYouMean', () => {
  it('words the suggestion, or says nothing', () => {
    expect(didYouMean('pth', ['path', 'mode'])).toBe(' (did you mean path?)');
    expect(didYouMean('zzz', ['path', 'mode'])).toBe('');
  });
});
