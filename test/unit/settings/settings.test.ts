import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigDir, RecallHistory, SettingsStore } from '../../../src/settings/index.js';

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'qh-settings-'));
  dir = path.join(root, 'qemu-host');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('SettingsStore', () => {
  it('creates the directory 0700 and the file 0600, and keeps settings across instances', () => {
    const store = new SettingsStore(dir);
    expect(store.settings).toEqual({ theme: 'dark', historySize: 1000 });
    store.update({ defaultSocket: '/run/qga.sock', theme: 'light', timeoutMs: 5000 });
    expect(mode(dir)).toBe(0o700);
    expect(mode(store.file)).toBe(0o600);
    expect(new SettingsStore(dir).settings).toEqual({ defaultSocket: '/run/qga.sock', theme: 'light', timeoutMs: 5000, historySize: 1000 });
  });

  it('tightens a directory and a file that were created too open', () => {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'settings.json'), '{"settings":{"theme":"mono"},"profiles":{}}', { mode: 0o644 });
    chmodSync(path.join(dir, 'settings.json'), 0o644);
    const store = new SettingsStore(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(store.file)).toBe(0o600);
    expect(store.settings.theme).toBe('mono');
  });

  it('replaces malformed values by defaults instead of failing', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ settings: { theme: 'pink', historySize: -3, timeoutMs: 'soon' }, profiles: {} }));
    expect(new SettingsStore(dir).settings).toEqual({ theme: 'dark', historySize: 1000 });
  });

  it('keeps named profiles with only their known fields', () => {
    const store = new SettingsStore(dir);
    store.saveProfile('vm1', { socket: '/tmp/vm1.sock', readOnly: true, password: 'hunter2' } as never);
    store.saveProfile('lab', { tcp: '127.0.0.1:4444', timeoutMs: 2000 });
    const again = new SettingsStore(dir);
    expect(again.profiles()).toEqual({ vm1: { socket: '/tmp/vm1.sock', readOnly: true }, lab: { tcp: '127.0.0.1:4444', timeoutMs: 2000 } });
    expect(readFileSync(store.file, 'utf8')).not.toContain('hunter2');
    expect(again.removeProfile('vm1')).toBe(true);
    expect(again.profile('vm1')).toBeUndefined();
    expect(() => store.saveProfile('bad name', {})).toThrow(/profile names/);
    expect(() => store.saveProfile('both', { socket: '/a', tcp: 'h:1' })).toThrow(/one of a socket, a TCP address or a libvirt domain/);
  });

  it('finds its directory from QEMU_HOST_CONFIG_DIR, then XDG_CONFIG_HOME', () => {
    expect(defaultConfigDir({ QEMU_HOST_CONFIG_DIR: '/x' })).toBe('/x');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/cfg' })).toBe(path.join('/cfg', 'qemu-host'));
  });
});

describe('RecallHistory', () => {
  const dropSecrets = (line: string): string | undefined => (line.includes('password=') ? undefined : line);

  it('keeps lines across runs, newest last, capped, without immediate repeats', () => {
    const history = new RecallHistory(dir, { limit: 3, sanitize: (l) => l });
    for (const line of ['guest-ping', 'guest-info', 'guest-info', 'guest-get-time', 'guest-get-osinfo']) history.add(line);
    expect(history.lines()).toEqual(['guest-info', 'guest-get-time', 'guest-get-osinfo']);
    expect(new RecallHistory(dir, { limit: 3, sanitize: (l) => l }).lines()).toEqual(['guest-info', 'guest-get-time', 'guest-get-osinfo']);
    expect(new RecallHistory(dir, { limit: 2, sanitize: (l) => l }).lines()).toEqual(['guest-get-time', 'guest-get-osinfo']);
    expect(mode(history.file)).toBe(0o600);
  });

  it('never writes what the sanitizer refuses, and re-checks lines from older runs', () => {
    const history = new RecallHistory(dir, { limit: 10, sanitize: dropSecrets });
    expect(history.add('guest-set-user-password username=root password=hunter2 crypted=false')).toBeUndefined();
    history.add('guest-ping');
    expect(readFileSync(history.file, 'utf8')).not.toContain('hunter2');
    // A file written by something careless is cleaned on load.
    writeFileSync(history.file, JSON.stringify({ lines: ['guest-ping', 'x password=hunter2'] }));
    expect(new RecallHistory(dir, { limit: 10, sanitize: dropSecrets }).lines()).toEqual(['guest-ping']);
  });

  it('clears', () => {
    const history = new RecallHistory(dir, { limit: 10, sanitize: (l) => l });
    history.add('guest-ping');
    history.clear();
    expect(new RecallHistory(dir, { limit: 10, sanitize: (l) => l }).lines()).toEqual([]);
  });
});
