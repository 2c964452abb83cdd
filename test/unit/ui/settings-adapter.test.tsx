import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextFrom } from '../../../src/cli/context.js';
import { Session } from '../../../src/session/session.js';
import { SocketTransport } from '../../../src/transport/socket-transport.js';
import { App } from '../../../src/ui/app.js';
import { loadSettings, settingsPort } from '../../../src/ui/settings-adapter.js';
import { memoryRecall } from '../../../src/ui/shell/recall-store.js';
import { ShellStore } from '../../../src/ui/shell/shell-store.js';
import { THEMES } from '../../../src/ui/theme/theme.js';
import { mini } from './mini-schema.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qh-ui-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settingsPort', () => {
  it('changes settings, checks values, and keeps the current connection as a profile', async () => {
    const loaded = await loadSettings(dir);
    const themes: string[] = [];
    const ctx = contextFrom({ socket: '/run/vm1/qga.sock', timeout: '3000' });
    const port = settingsPort(loaded, ctx, true, (t) => themes.push(t));
    expect(port.set('theme', 'light')).toBe('theme set to light');
    expect(themes).toEqual(['light']);
    expect(() => port.set('theme', 'pink')).toThrow('theme is one of dark, light, mono, not "pink"');
    expect(port.set('history-size', '50')).toBe('history-size set to 50 lines');
    expect(() => port.set('history-size', '-1')).toThrow('history-size takes a whole number above 0');
    expect(port.set('timeout', '5000')).toBe('timeout set to 5000 ms (this run keeps --timeout)');
    expect(port.set('default-socket', '/run/vm1/qga.sock')).toMatch(/^default socket set to \/run\/vm1\/qga.sock/);
    expect(() => port.set('colour', 'x')).toThrow('no setting "colour"');
    expect(port.saveProfile('vm1')).toBe('profile vm1 saved: qemu-host --profile vm1 connects the same way');
    expect(loaded.store.profile('vm1')).toEqual({ socket: '/run/vm1/qga.sock', timeoutMs: 3000, readOnly: true });
    expect(port.describe()).toEqual([
      `Settings (${path.join(dir, 'settings.json')}):`,
      '  theme light · history-size 50 · timeout 5000 ms · default-socket /run/vm1/qga.sock',
      'Profiles (qemu-host --profile NAME):',
      '  vm1: /run/vm1/qga.sock · timeout 3000 ms · read-only',
    ]);
    expect(port.removeProfile('vm1')).toBe('profile vm1 removed');
    expect(() => port.removeProfile('vm1')).toThrow('no profile named vm1');
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8')).settings).toEqual({ theme: 'light', historySize: 50, timeoutMs: 5000, defaultSocket: '/run/vm1/qga.sock' });
  });

  it('is reached from the shell with :settings, :set and :profile', async () => {
    const loaded = await loadSettings(dir);
    const session = new Session(new SocketTransport({ kind: 'unix', path: '/nonexistent/qga.sock' }));
    const store = new ShellStore({ session, lookup: mini, readOnly: false, timeoutMs: undefined, recall: memoryRecall(), size: { columns: 100, rows: 14 } });
    store.start({ connect: false });
    store.useSettings(settingsPort(loaded, contextFrom({ socket: '/tmp/a.sock' }), false, () => undefined), undefined);
    const ink = render(<App store={store} theme={THEMES.mono} trackSize={false} />);
    const type = async (text: string) => {
      ink.stdin.write(text);
      await new Promise((r) => setTimeout(r, 5));
    };
    await type(':set history-size 7\r');
    expect(ink.lastFrame()).toContain('✓ history-size set to 7 lines');
    await type(':profile save lab\r');
    expect(ink.lastFrame()).toContain('✓ profile lab saved: qemu-host --profile lab connects the same way');
    await type(':settings\r');
    expect(ink.lastFrame()).toContain('  lab: /tmp/a.sock');
    await type(':set nothing\r');
    expect(ink.lastFrame()).toContain('✗ usage: :set KEY VALUE');
    store.stop();
  });
});
