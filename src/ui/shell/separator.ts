// The line between the history and the prompt: which view is shown and where the window is.
import type { Window } from '../history/viewport.js';
import { seg, type Line } from '../text/styled-line.js';
import { textWidth } from '../text/width.js';

export function separatorLine(view: 'history' | 'wire', window: Window, count: number, width: number, raw: boolean): Line {
  const title = view === 'wire' ? ' wire view · Ctrl+T back ' : ` history${raw ? ' · base64 raw' : ''} `;
  let where = '';
  if (count > 0) {
    const first = (window.slices[0]?.index ?? 0) + 1;
    const last = (window.slices[window.slices.length - 1]?.index ?? 0) + 1;
    where = ` ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}${window.atEnd ? '' : ' · PgDn/End for newer'} `;
  }
  const fill = Math.max(0, width - textWidth(title) - textWidth(where) - 2);
  return [seg('──', 'border'), seg(title, view === 'wire' ? 'accent' : 'muted'), seg('─'.repeat(fill), 'border'), seg(where, window.atEnd ? 'muted' : 'warn')];
}
