// The syntax tree the parser hands to the checker: QAPI's JSON-like values, each carrying
// the position where it starts so later stages can point at the exact spot.
import type { SourcePos } from './errors.js';

export interface QString extends SourcePos {
  type: 'string';
  value: string;
}

export interface QBool extends SourcePos {
  type: 'bool';
  value: boolean;
}

export interface QList extends SourcePos {
  type: 'list';
  items: QNode[];
}

export interface QEntry {
  key: string;
  /** Position of the key's opening quote. */
  keyPos: SourcePos;
  value: QNode;
}

export interface QObject extends SourcePos {
  type: 'object';
  /** Entries in source order; keys are unique (the parser rejects duplicates). */
  entries: QEntry[];
}

export type QNode = QString | QBool | QList | QObject;

/** One line of a doc block: the text after `# ` (trailing spaces removed), and its line. */
export interface DocLine {
  text: string;
  line: number;
}

/** A `##` ... `##` block as the lexer found it. */
export interface DocBlock extends SourcePos {
  lines: DocLine[];
}

/** What a schema file contains, in order. Includes are markers once expanded. */
export type SourceItem =
  | { kind: 'expr'; expr: QObject }
  | { kind: 'doc'; block: DocBlock }
  | { kind: 'include'; target: string; pos: SourcePos };

export function findEntry(obj: QObject, key: string): QEntry | undefined {
  return obj.entries.find((e) => e.key === key);
}

/** A short description of a node's type for messages: "a string", "an object", ... */
export function describeNode(node: QNode): string {
  switch (node.type) {
    case 'string': return 'a string';
    case 'bool': return 'a boolean';
    case 'list': return 'a list';
    case 'object': return 'an object';
  }
}

export function posOf(node: SourcePos): SourcePos {
  return { file: node.file, line: node.line, col: node.col };
}
