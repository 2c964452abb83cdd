// Colour roles, not colours: components name what a piece of text is (an error, a JSON
// key, the selected row) and the theme decides how it looks. `mono` uses no colour at all,
// only bold, dim and inverse, for terminals and people that need it.
import type { ThemeName } from '../../settings/settings-store.js';

export type Role =
  | 'text' | 'muted' | 'accent' | 'prompt' | 'selected' | 'border'
  | 'ok' | 'error' | 'warn' | 'info' | 'busy'
  | 'json-key' | 'json-string' | 'json-number' | 'json-literal' | 'json-punct'
  | 'decoded' | 'secret' | 'disabled'
  | 'wire-out' | 'wire-in' | 'wire-discard' | 'cursor';

export interface RoleStyle {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

export type Theme = Record<Role, RoleStyle>;

const dark: Theme = {
  text: {},
  muted: { color: 'gray' },
  accent: { color: 'cyan', bold: true },
  prompt: { color: 'cyan', bold: true },
  selected: { inverse: true },
  border: { color: 'gray' },
  ok: { color: 'green' },
  error: { color: 'red', bold: true },
  warn: { color: 'yellow' },
  info: { color: 'blue' },
  busy: { color: 'magenta' },
  'json-key': { color: 'blue' },
  'json-string': { color: 'green' },
  'json-number': { color: 'yellow' },
  'json-literal': { color: 'magenta' },
  'json-punct': { color: 'gray' },
  decoded: { color: 'cyan' },
  secret: { color: 'red', dimColor: true },
  disabled: { color: 'gray', dimColor: true },
  'wire-out': { color: 'cyan' },
  'wire-in': { color: 'green' },
  'wire-discard': { color: 'yellow' },
  cursor: { inverse: true },
};

const light: Theme = {
  ...dark,
  muted: { color: 'blackBright' },
  'json-key': { color: 'blue' },
  'json-string': { color: 'greenBright' },
  'json-number': { color: 'magenta' },
  'json-literal': { color: 'red' },
  'json-punct': { color: 'blackBright' },
  warn: { color: 'yellowBright' },
  border: { color: 'blackBright' },
};

const mono: Theme = {
  text: {},
  muted: { dimColor: true },
  accent: { bold: true },
  prompt: { bold: true },
  selected: { inverse: true },
  border: { dimColor: true },
  ok: {},
  error: { bold: true },
  warn: { bold: true },
  info: {},
  busy: { bold: true },
  'json-key': { bold: true },
  'json-string': {},
  'json-number': {},
  'json-literal': {},
  'json-punct': { dimColor: true },
  decoded: { underline: true },
  secret: { dimColor: true },
  disabled: { dimColor: true },
  'wire-out': {},
  'wire-in': {},
  'wire-discard': { dimColor: true },
  cursor: { inverse: true },
};

export const THEMES: Record<ThemeName, Theme> = { dark, light, mono };
