// The body of an :info entry: which command is being asked, then the overview's text
// tables (the same as `qemu-host info` prints) with headings and labels coloured.
import { seg, textLines, wrapLine, wrapWords, type Line } from '../../text/styled-line.js';
import type { InfoBody, VerbItem } from './verb-item.js';

const SECTIONS = new Set(['Filesystems', 'Disks', 'Network', 'Not shown']);
const LABEL_WIDTH = 12;

export function infoLines(item: VerbItem, body: InfoBody, width: number): Line[] {
  if (body.text === undefined) {
    if (item.phase !== 'running' && item.phase !== 'stopping') return [];
    const step = body.step ? `asking ${body.step.command} (${body.step.index + 1}/${body.step.count})…` : 'asking the agent…';
    return textLines(step, width, 'busy', '  ');
  }
  const out: Line[] = [];
  let section: string | undefined;
  let header = false;
  for (const row of body.text.replace(/\n$/, '').split('\n')) {
    if (row === '') {
      out.push([]);
      continue;
    }
    let line: Line;
    if (section === undefined && !SECTIONS.has(row)) {
      // A field: its label, and the value wrapped at spaces under itself.
      const role = /FROZEN/.test(row) ? 'error' : 'text';
      wrapWords(row.slice(LABEL_WIDTH).trimStart(), Math.max(8, width - LABEL_WIDTH - 3)).forEach((piece, i) => {
        out.push([seg(i === 0 ? `  ${row.slice(0, LABEL_WIDTH)} ` : ' '.repeat(LABEL_WIDTH + 3), 'json-key'), seg(piece, role)]);
      });
      continue;
    }
    if (SECTIONS.has(row)) {
      section = row;
      header = row !== 'Not shown';
      line = [seg(`  ${row}`, 'accent')];
    } else if (header) {
      header = false;
      line = [seg(`  ${row}`, 'muted')];
    } else {
      line = [seg(`  ${row}`, section === 'Not shown' ? 'muted' : 'text')];
    }
    out.push(...wrapLine(line, width, 4));
  }
  return out;
}
