// The shell's link to src/settings: loads the settings and the saved recall history (after
// the first frame, from their own chunk), and implements SettingsPort over them.
import { endpointFrom, type CliContext } from '../cli/context.js';
import type { RecallHistory } from '../settings/recall-history.js';
import type { Profile, SettingsStore, ThemeName } from '../settings/settings-store.js';
import { recallLine } from './shell/line-secrets.js';
import type { SettingsPort } from './shell/settings-port.js';

export interface LoadedSettings {
  store: SettingsStore;
  recall: RecallHistory;
  themes: readonly ThemeName[];
}

/** Settings and the saved recall history from the config dir ($QEMU_HOST_CONFIG_DIR or the platform's). */
export async function loadSettings(dir?: string): Promise<LoadedSettings> {
  const { SettingsStore, RecallHistory, defaultConfigDir, THEME_NAMES } = await import('../settings/index.js');
  const where = dir ?? defaultConfigDir();
  const store = new SettingsStore(where);
  const recall = new RecallHistory(where, { limit: store.settings.historySize, sanitize: recallLine });
  return { store, recall, themes: THEME_NAMES };
}

function positive(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} takes a whole number above 0, not "${value}"`);
  return n;
}

/** The shell's view of the settings: show, change one, keep this connection as a profile. */
export function settingsPort(loaded: LoadedSettings, ctx: CliContext, readOnly: boolean, onTheme: (name: ThemeName) => void): SettingsPort {
  const { store, recall } = loaded;
  return {
    describe() {
      const s = store.settings;
      const profiles = Object.entries(store.profiles());
      return [
        `Settings (${store.file}):`,
        `  theme ${s.theme} · history-size ${s.historySize} · timeout ${s.timeoutMs === undefined ? 'default' : `${s.timeoutMs} ms`} · default-socket ${s.defaultSocket ?? 'none'}`,
        profiles.length === 0 ? 'Profiles: none yet (:profile save NAME keeps this connection)' : 'Profiles (qemu-host --profile NAME):',
        ...profiles.map(([name, p]) => `  ${name}: ${p.socket ?? p.tcp ?? (p.domain ? `libvirt ${p.connect ? `${p.connect} ` : ''}${p.domain}` : '?')}${p.timeoutMs ? ` · timeout ${p.timeoutMs} ms` : ''}${p.readOnly ? ' · read-only' : ''}`),
      ];
    },
    set(key, value) {
      switch (key) {
        case 'theme': {
          const theme = loaded.themes.find((t) => t === value);
          if (!theme) throw new Error(`theme is one of ${loaded.themes.join(', ')}, not "${value}"`);
          store.update({ theme });
          onTheme(theme);
          return `theme set to ${theme}`;
        }
        case 'history-size': {
          const historySize = positive(value, 'history-size');
          store.update({ historySize });
          recall.setLimit(historySize);
          return `history-size set to ${historySize} lines`;
        }
        case 'timeout':
          if (value === 'none' || value === 'default') {
            store.update({ timeoutMs: undefined });
            return 'timeout back to the default per command';
          }
          store.update({ timeoutMs: positive(value, 'timeout') });
          return `timeout set to ${value} ms${ctx.timeoutMs !== undefined ? ' (this run keeps --timeout)' : ''}`;
        case 'default-socket':
          store.update({ defaultSocket: value === 'none' ? undefined : value });
          return value === 'none' ? 'no default socket' : `default socket set to ${value}: plain \`qemu-host\` now opens it`;
        default:
          throw new Error(`no setting "${key}": theme, history-size, timeout or default-socket`);
      }
    },
    saveProfile(name) {
      const endpoint = endpointFrom(ctx.options);
      if (!endpoint) throw new Error('this connection has no socket to keep');
      const profile: Profile = endpoint.kind === 'unix'
        ? { socket: endpoint.path }
        : endpoint.kind === 'tcp'
          ? { tcp: `${endpoint.host}:${endpoint.port}` }
          : { domain: endpoint.domain, ...(endpoint.uri ? { connect: endpoint.uri } : {}) };
      if (ctx.timeoutMs !== undefined) profile.timeoutMs = ctx.timeoutMs;
      if (readOnly) profile.readOnly = true;
      store.saveProfile(name, profile);
      return `profile ${name} saved: qemu-host --profile ${name} connects the same way`;
    },
    removeProfile(name) {
      if (!store.removeProfile(name)) throw new Error(`no profile named ${name}`);
      return `profile ${name} removed`;
    },
  };
}
