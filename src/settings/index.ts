// Settings, connection profiles and recall history: the only code that imports conf.
export { defaultConfigDir, ensurePrivateDir, DIR_MODE, FILE_MODE } from './config-dir.js';
export { RecallHistory, type LineSanitizer } from './recall-history.js';
export { SettingsStore, DEFAULT_SETTINGS, THEME_NAMES, type Profile, type Settings, type ThemeName } from './settings-store.js';
