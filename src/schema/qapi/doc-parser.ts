// Reads a `##` doc block into the model's Doc. One reader serves both generations of the
// format: QEMU 9.1+ (continuations indented exactly 4 spaces, rST `.. note::`) and older
// files (continuations at any depth or none, `Note:`/`Example:` sections).
//
// The block is cut into items, each opened by a line at column 0:
//   `@name:`                 a member (or, after `Features:`, a feature) description
//   `Returns:` `Since:` ...  a tagged section
//   `.. note::` and friends  an rST directive whose body is the indented lines below it
//   anything else            a plain paragraph
// A member or tagged section runs on through indented lines (blank lines allowed in
// between) and through unindented lines that follow with no blank line; a blank line then
// an unindented line ends it. Legacy `Note:`/`Example:` sections run to the next opener.
import { emptyDoc, type Doc } from '../model.js';
import type { DocBlock } from './ast.js';
import { errorAt, type SourcePos } from './errors.js';

export interface ParsedDefinitionDoc {
  kind: 'definition';
  /** The name after `@` on the first line. */
  symbol: string;
  pos: SourcePos;
  doc: Doc;
  /** Where each `@member:` description starts, to point at undeclared members. */
  memberPos: Map<string, SourcePos>;
  featurePos: Map<string, SourcePos>;
}

export interface ParsedFreeDoc {
  kind: 'free';
  text: string;
  pos: SourcePos;
}

export type ParsedDoc = ParsedDefinitionDoc | ParsedFreeDoc;

type ItemKind = 'paragraph' | 'member' | 'feature' | 'section' | 'legacy' | 'directive';

interface DocItem {
  kind: ItemKind;
  /** Member, feature, tag or directive name. */
  name: string;
  /** Text on the opening line after the `@name:`, tag or directive marker. */
  first: string;
  /** Following lines as written (indentation kept); blank lines are ''. */
  rest: string[];
  line: number;
}

const SYMBOL_LINE = /^@([^\s:]+):\s*(.*)$/;
const MEMBER_LINE = /^@([^\s:]+):(?:\s+(.*))?$/;
const SECTION_LINE = /^(Returns|Errors|Since|TODO|Notes?|Examples?):(?!:)(?:\s+(.*))?$/;
const DIRECTIVE_LINE = /^\.\. ([A-Za-z][A-Za-z0-9-]*)::(?:\s+(.*))?$/;
const LEGACY_TAGS = new Set(['Note', 'Notes', 'Example', 'Examples']);
const ADMONITIONS = new Set(['attention', 'caution', 'danger', 'error', 'hint', 'important', 'tip', 'warning']);

/** Text column of doc lines: after `# `. */
const TEXT_COL = 3;

export function parseDocBlock(block: DocBlock): ParsedDoc {
  const [head, ...body] = block.lines;
  const symbol = head ? SYMBOL_LINE.exec(head.text) : null;
  if (!head || !symbol) {
    return { kind: 'free', text: trimBlankEdges(block.lines.map((l) => l.text)).join('\n'), pos: posOf(block) };
  }
  const items = splitItems(body);
  const sameLineText = symbol[2] ?? '';
  if (sameLineText) items.unshift({ kind: 'paragraph', name: '', first: sameLineText, rest: [], line: head.line });
  const parsed: ParsedDefinitionDoc = {
    kind: 'definition',
    symbol: symbol[1] ?? '',
    pos: { file: block.file, line: head.line, col: TEXT_COL },
    doc: emptyDoc(),
    memberPos: new Map(),
    featurePos: new Map(),
  };
  assemble(items, parsed, block.file);
  return parsed;
}

function posOf(block: DocBlock): SourcePos {
  return { file: block.file, line: block.line, col: block.col };
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function splitItems(lines: DocBlock['lines']): DocItem[] {
  const items: DocItem[] = [];
  let current: DocItem | undefined;
  let afterBlank = false;
  let inFeatures = false;
  const open = (item: DocItem | undefined): void => {
    if (current) items.push(current);
    current = item;
  };
  for (const { text, line } of lines) {
    if (text === '') {
      if (current?.kind === 'paragraph') open(undefined);
      else current?.rest.push('');
      afterBlank = true;
      continue;
    }
    const indent = indentOf(text);
    const member = indent === 0 ? MEMBER_LINE.exec(text) : null;
    const section = indent === 0 && !member ? SECTION_LINE.exec(text) : null;
    const directive = indent === 0 && !member && !section ? DIRECTIVE_LINE.exec(text) : null;
    if (member) {
      open({ kind: inFeatures ? 'feature' : 'member', name: member[1] ?? '', first: member[2] ?? '', rest: [], line });
    } else if (indent === 0 && text === 'Features:') {
      open(undefined);
      inFeatures = true;
    } else if (section) {
      const tag = section[1] ?? '';
      inFeatures = false;
      open({ kind: LEGACY_TAGS.has(tag) ? 'legacy' : 'section', name: tag, first: section[2] ?? '', rest: [], line });
    } else if (directive) {
      inFeatures = false;
      open({ kind: 'directive', name: directive[1] ?? '', first: directive[2] ?? '', rest: [], line });
    } else if (current && continues(current, indent, afterBlank)) {
      current.rest.push(text);
    } else {
      inFeatures = false;
      open({ kind: 'paragraph', name: '', first: text, rest: [], line });
    }
    afterBlank = false;
  }
  open(undefined);
  return items;
}

/** Whether a non-opener line belongs to the item before it. */
function continues(item: DocItem, indent: number, afterBlank: boolean): boolean {
  switch (item.kind) {
    case 'paragraph': return true; // a blank line has already closed it
    case 'legacy': return true;
    case 'directive': return indent > 0;
    default: return indent > 0 || !afterBlank;
  }
}

function trimBlankEdges(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end);
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l !== '').map(indentOf);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common));
}

function trimTrailingBlanks(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(0, end);
}

/**
 * The item's text. A paragraph keeps its lines as written (indentation matters to rST);
 * any other item keeps the text after its marker as the first line and dedents the lines
 * below it among themselves.
 */
function itemText(item: DocItem): string {
  if (item.kind === 'paragraph') return trimBlankEdges([item.first, ...item.rest]).join('\n');
  const lines = [item.first.trim(), ...dedent(trimTrailingBlanks(item.rest))];
  return trimBlankEdges(lines).join('\n');
}

function oneLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function assemble(items: DocItem[], parsed: ParsedDefinitionDoc, file: string): void {
  const doc = parsed.doc;
  const paragraphs: string[] = [];
  const at = (item: DocItem): SourcePos => ({ file, line: item.line, col: TEXT_COL });
  for (const item of items) {
    const text = itemText(item);
    switch (item.kind) {
      case 'paragraph':
        paragraphs.push(text);
        break;
      case 'member':
      case 'feature': {
        const target = item.kind === 'member' ? doc.members : doc.features;
        const positions = item.kind === 'member' ? parsed.memberPos : parsed.featurePos;
        if (Object.hasOwn(target, item.name)) throw errorAt(at(item), `'@${item.name}' is described twice`);
        target[item.name] = text;
        positions.set(item.name, at(item));
        break;
      }
      case 'section':
        addSection(doc, item.name, text, at(item));
        break;
      case 'legacy':
        (item.name.startsWith('Note') ? doc.notes : doc.examples).push(text);
        break;
      case 'directive':
        addDirective(doc, paragraphs, item, text);
        break;
    }
  }
  const [summary, ...rest] = paragraphs;
  doc.summary = summary === undefined ? '' : oneLine(summary);
  doc.body = rest.join('\n\n');
}

function addSection(doc: Doc, tag: string, text: string, pos: SourcePos): void {
  if (tag === 'TODO') {
    doc.notes.push(`TODO: ${text}`);
    return;
  }
  const key = tag === 'Returns' ? 'returns' : tag === 'Errors' ? 'errors' : 'since';
  if (doc[key] !== undefined) throw errorAt(pos, `duplicate '${tag}:' section`);
  doc[key] = key === 'since' ? oneLine(text) : text;
}

function addDirective(doc: Doc, paragraphs: string[], item: DocItem, text: string): void {
  if (item.name === 'note') doc.notes.push(text);
  else if (item.name === 'qmp-example') doc.examples.push(text);
  else if (ADMONITIONS.has(item.name)) doc.notes.push(`${capitalize(item.name)}: ${text}`);
  else paragraphs.push([`.. ${item.name}::${item.first ? ` ${item.first}` : ''}`, ...trimTrailingBlanks(item.rest)].join('\n'));
}
