// What the shell can do with the user's settings once they have loaded: show them, change
// one, and keep the current connection as a named profile. run-shell implements it over
// src/settings; the store only sees this interface.
export interface SettingsPort {
  /** Lines describing the settings, the profiles and where they are kept. */
  describe(): string[];
  /** Changes one setting; returns what changed. Throws Error with a message for bad input. */
  set(key: string, value: string): string;
  saveProfile(name: string): string;
  removeProfile(name: string): string;
}

export const SETTING_KEYS = ['theme', 'history-size', 'timeout', 'default-socket'] as const;
