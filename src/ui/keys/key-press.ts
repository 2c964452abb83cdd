// Turns Ink's (input, key) pair into one name the binding table can match:
// 'ctrl+r', 'shift+tab', 'pageup', 'return', or 'text' with the typed characters.
import type { Key } from 'ink';

export interface KeyPress {
  /** 'text' for printable input; otherwise the key's name with modifiers. */
  name: string;
  /** The characters typed (for 'text'), with control characters removed. */
  text: string;
}

export function toKeyPress(input: string, key: Key): KeyPress {
  const mod = (name: string): string => `${key.ctrl ? 'ctrl+' : ''}${key.meta && !key.escape ? 'meta+' : ''}${key.shift ? 'shift+' : ''}${name}`;
  if (key.upArrow) return { name: mod('up'), text: '' };
  if (key.downArrow) return { name: mod('down'), text: '' };
  if (key.leftArrow) return { name: mod('left'), text: '' };
  if (key.rightArrow) return { name: mod('right'), text: '' };
  if (key.pageUp) return { name: 'pageup', text: '' };
  if (key.pageDown) return { name: 'pagedown', text: '' };
  if (key.home) return { name: 'home', text: '' };
  if (key.end) return { name: 'end', text: '' };
  if (key.return) return { name: 'return', text: '' };
  if (key.escape) return { name: 'escape', text: '' };
  if (key.tab) return { name: key.shift ? 'shift+tab' : 'tab', text: '' };
  // Ink reports the Backspace key (DEL, 0x7f) as `delete`; both erase backwards.
  if (key.backspace || key.delete) return { name: key.meta ? 'meta+backspace' : 'backspace', text: '' };
  if (key.ctrl && input) return { name: `ctrl+${input.toLowerCase()}`, text: '' };
  if (key.meta && input) return { name: `meta+${input}`, text: '' };
  const text = input.replace(CONTROL_CHARS, '');
  return { name: text ? 'text' : 'none', text };
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Ink hands over a chunk of typed or pasted characters as one input, control characters
 * included: `guest-ping\r` arrives at once when keys come fast (or from tmux send-keys).
 * This splits such a chunk into the key presses it holds, in order.
 */
export function toKeyPresses(input: string, key: Key): KeyPress[] {
  const single = toKeyPress(input, key);
  if (single.name !== 'text' && single.name !== 'none') return [single];
  if (!/[\u0000-\u001f\u007f]/.test(input)) return single.name === 'text' ? [single] : [];
  const out: KeyPress[] = [];
  let run = '';
  const flush = (): void => {
    if (run) out.push({ name: 'text', text: run.replace(CONTROL_CHARS, '') });
    run = '';
  };
  for (const ch of input) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) {
      run += ch;
      continue;
    }
    flush();
    if (ch === '\r' || ch === '\n') out.push({ name: 'return', text: '' });
    else if (ch === '\t') out.push({ name: 'tab', text: '' });
    else if (ch === '\u007f' || ch === '\b') out.push({ name: 'backspace', text: '' });
    else if (code >= 1 && code <= 26) out.push({ name: `ctrl+${String.fromCharCode(code + 96)}`, text: '' });
  }
  flush();
  return out;
}
