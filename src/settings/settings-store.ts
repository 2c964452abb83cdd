// User settings and named connection profiles, kept with conf in <config dir>/settings.json
// (mode 0600). Nothing secret is ever stored here: profiles hold where an agent is and how
// to talk to it, never passwords.
import Conf from 'conf';
import path from 'node:path';
import { ensurePrivateDir, ensurePrivateFile, FILE_MODE } from './config-dir.js';

export type ThemeName = 'dark' | 'light' | 'mono';
export const THEME_NAMES: readonly ThemeName[] = ['dark', 'light', 'mono'];

export interface Settings {
  /** Socket used when neither -s, --tcp nor $QEMU_HOST_SOCKET is given. */
  defaultSocket?: string;
  /** Default per-command timeout in milliseconds. */
  timeoutMs?: number;
  theme: ThemeName;
  /** How many recalled lines to keep across runs. */
  historySize: number;
}

export interface Profile {
  socket?: string;
  tcp?: string;
  /** A libvirt domain (--domain), with its URI (--connect) when one was given. */
  domain?: string;
  connect?: string;
  timeoutMs?: number;
  readOnly?: boolean;
  description?: string;
}

export const DEFAULT_SETTINGS: Settings = { theme: 'dark', historySize: 1000 };
const MAX_HISTORY_SIZE = 100_000;

interface Stored {
  settings: Partial<Settings>;
  profiles: Record<string, Profile>;
}

export class SettingsStore {
  readonly file: string;
  private readonly conf: Conf<Stored>;

  constructor(dir: string) {
    ensurePrivateDir(dir);
    this.conf = new Conf<Stored>({
      cwd: dir,
      configName: 'settings',
      configFileMode: FILE_MODE,
      defaults: { settings: {}, profiles: {} },
      // The file is meant to be readable and hand-editable: keep it, report bad values.
      clearInvalidConfig: false,
    });
    this.file = path.join(dir, 'settings.json');
    ensurePrivateFile(this.file);
  }

  /** The settings, with anything missing or malformed replaced by its default. */
  get settings(): Settings {
    return sanitizeSettings(this.conf.get('settings'));
  }

  update(change: Partial<Settings>): Settings {
    const next = sanitizeSettings({ ...this.conf.get('settings'), ...change });
    this.conf.set('settings', next);
    ensurePrivateFile(this.file);
    return next;
  }

  profiles(): Record<string, Profile> {
    const raw = this.conf.get('profiles');
    const out: Record<string, Profile> = {};
    if (typeof raw === 'object' && raw !== null) {
      for (const [name, profile] of Object.entries(raw)) out[name] = sanitizeProfile(profile);
    }
    return out;
  }

  profile(name: string): Profile | undefined {
    return this.profiles()[name];
  }

  saveProfile(name: string, profile: Profile): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`profile names are letters, digits, _ . -, not "${name}"`);
    if ([profile.socket, profile.tcp, profile.domain].filter(Boolean).length > 1) {
      throw new Error('a profile has one of a socket, a TCP address or a libvirt domain');
    }
    this.conf.set('profiles', { ...this.profiles(), [name]: sanitizeProfile(profile) });
    ensurePrivateFile(this.file);
  }

  removeProfile(name: string): boolean {
    const all = this.profiles();
    if (!(name in all)) return false;
    delete all[name];
    this.conf.set('profiles', all);
    return true;
  }
}

function sanitizeSettings(raw: unknown): Settings {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const out: Settings = { ...DEFAULT_SETTINGS };
  if (typeof s.defaultSocket === 'string' && s.defaultSocket !== '') out.defaultSocket = s.defaultSocket;
  if (isPositiveInt(s.timeoutMs)) out.timeoutMs = s.timeoutMs;
  if (typeof s.theme === 'string' && (THEME_NAMES as readonly string[]).includes(s.theme)) out.theme = s.theme as ThemeName;
  if (isPositiveInt(s.historySize)) out.historySize = Math.min(s.historySize, MAX_HISTORY_SIZE);
  return out;
}

/** Keeps only the known, well-typed fields: a profile never carries anything else. */
function sanitizeProfile(raw: unknown): Profile {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const out: Profile = {};
  if (typeof p.socket === 'string') out.socket = p.socket;
  if (typeof p.tcp === 'string') out.tcp = p.tcp;
  if (typeof p.domain === 'string') out.domain = p.domain;
  if (typeof p.connect === 'string') out.connect = p.connect;
  if (isPositiveInt(p.timeoutMs)) out.timeoutMs = p.timeoutMs;
  if (typeof p.readOnly === 'boolean') out.readOnly = p.readOnly;
  if (typeof p.description === 'string') out.description = p.description;
  return out;
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
