// Turns a terminal capture with SGR colour codes (tmux capture-pane -e -p) into an SVG
// that looks like the terminal: one <text> per run of same-styled cells on a dark theme.
const PALETTE = [
  '#1e1e1e', '#f14c4c', '#23d18b', '#e5e510', '#3b8eea', '#d670d6', '#29b8db', '#cccccc',
  '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#e5e5e5',
];
const FG = '#d4d4d4';
const BG = '#1e1e1e';

function color256(n) {
  if (n < 16) return PALETTE[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const c = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}

function applySgr(style, params) {
  const p = params.length ? params : [0];
  for (let i = 0; i < p.length; i++) {
    const n = p[i];
    if (n === 0) Object.assign(style, { fg: undefined, bg: undefined, bold: false, dim: false, italic: false, underline: false, inverse: false });
    else if (n === 1) style.bold = true;
    else if (n === 2) style.dim = true;
    else if (n === 3) style.italic = true;
    else if (n === 4) style.underline = true;
    else if (n === 7) style.inverse = true;
    else if (n === 22) style.bold = style.dim = false;
    else if (n === 23) style.italic = false;
    else if (n === 24) style.underline = false;
    else if (n === 27) style.inverse = false;
    else if (n >= 30 && n <= 37) style.fg = PALETTE[n - 30];
    else if (n === 39) style.fg = undefined;
    else if (n >= 40 && n <= 47) style.bg = PALETTE[n - 40];
    else if (n === 49) style.bg = undefined;
    else if (n >= 90 && n <= 97) style.fg = PALETTE[n - 90 + 8];
    else if (n >= 100 && n <= 107) style.bg = PALETTE[n - 100 + 8];
    else if ((n === 38 || n === 48) && p[i + 1] === 5) {
      style[n === 38 ? 'fg' : 'bg'] = color256(p[i + 2]);
      i += 2;
    } else if ((n === 38 || n === 48) && p[i + 1] === 2) {
      style[n === 38 ? 'fg' : 'bg'] = `rgb(${p[i + 2]},${p[i + 3]},${p[i + 4]})`;
      i += 4;
    }
  }
}

/** Parses lines of text with SGR codes into rows of cells {ch, style}. */
export function parseAnsi(text) {
  const rows = [];
  const style = {};
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const cells = [];
    for (let i = 0; i < line.length; ) {
      if (line[i] === '\u001b' && line[i + 1] === '[') {
        const end = line.slice(i + 2).search(/[A-Za-z]/);
        const body = line.slice(i + 2, i + 2 + end);
        if (line[i + 2 + end] === 'm') applySgr(style, body === '' ? [] : body.split(';').map(Number));
        i += 3 + end;
        continue;
      }
      const cp = line.codePointAt(i);
      const ch = String.fromCodePoint(cp);
      cells.push({ ch, style: { ...style } });
      i += ch.length;
    }
    rows.push(cells);
  }
  return rows;
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function toSvg(rows, { columns, title }) {
  const cw = 8.4;
  const lh = 18;
  const pad = 16;
  const top = 34;
  const width = Math.ceil(columns * cw + pad * 2);
  const height = Math.ceil(rows.length * lh + top + pad);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" rx="8" fill="${BG}"/>`,
    `<circle cx="20" cy="17" r="6" fill="#ff5f57"/><circle cx="40" cy="17" r="6" fill="#febc2e"/><circle cx="60" cy="17" r="6" fill="#28c840"/>`,
    `<text x="${width / 2}" y="21" fill="#8a8a8a" font-family="DejaVu Sans Mono, monospace" font-size="12" text-anchor="middle">${esc(title)}</text>`,
    `<g font-family="DejaVu Sans Mono, monospace" font-size="14">`,
  ];
  rows.forEach((cells, r) => {
    const y = top + r * lh;
    let c = 0;
    while (c < cells.length) {
      const s = cells[c].style;
      let text = '';
      const start = c;
      while (c < cells.length && JSON.stringify(cells[c].style) === JSON.stringify(s)) text += cells[c++].ch;
      let fg = s.fg ?? FG;
      let bg = s.bg;
      if (s.inverse) [fg, bg] = [bg ?? BG, fg];
      if (bg) parts.push(`<rect x="${(pad + start * cw).toFixed(1)}" y="${y}" width="${(text.length * cw).toFixed(1)}" height="${lh}" fill="${bg}"/>`);
      if (text.trim() === '') continue;
      const attrs = [`x="${(pad + start * cw).toFixed(1)}"`, `y="${y + 13}"`, `fill="${fg}"`, `textLength="${(text.length * cw).toFixed(1)}"`, 'lengthAdjust="spacingAndGlyphs"'];
      if (s.bold) attrs.push('font-weight="bold"');
      if (s.dim) attrs.push('opacity="0.6"');
      if (s.underline) attrs.push('text-decoration="underline"');
      parts.push(`<text xml:space="preserve" ${attrs.join(' ')}>${esc(text)}</text>`);
    }
  });
  parts.push('</g></svg>');
  return parts.join('\n');
}
