/**
 * The YAML path at a cursor, for completion on the incomplete YAML people are typing (block style).
 *
 * The line under the cursor is read as text: an entry (`key: val|`, `ke|`, `- ite|`, `- key: val|`) at some column.
 * Where that entry sits in the document comes from the parsed tree when the document parses without errors, and
 * otherwise (mid-typing, `  stor|` is a syntax error) from the indentation of the lines above, the way a reader
 * sees it. Both answer the same for a document that parses (the tests hold one table against both). Flow
 * collections, block scalars and multi-line keys are not completion places: they give no cursor.
 */
import { isCollection, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { Position, Range } from '../types.js';
import type { YamlDoc, YamlPath } from './documents.js';
import { keyText, scalarText } from './navigate.js';

/**
 * What is being typed: a map key (`ke|`), a key's value (`key: va|`), or a sequence item (`- it|`, which may
 * also be the first key of a map item: providers of keys accept it at the item's path).
 */
export type CursorRole = 'key' | 'value' | 'item';

export interface YamlCursor {
  /**
   * For `key`: the path of the map the key goes into; for `value`: the map's path plus the key; for `item`: the
   * sequence's path plus the item's index.
   */
  path: (string | number)[];
  role: CursorRole;
  /** The key whose value is typed (role `value`). */
  key?: string;
  /** What is typed so far of the word at the cursor (without an opening quote). */
  prefix: string;
  /** The prefix's range: what a completion replaces. */
  range: Range;
  /** The opening quote of a quoted value being typed. */
  quote?: '"' | "'";
  /** Column of the entry (its key, or the item after `- `). */
  column: number;
  /** Column of the line's `- ` when the entry starts a sequence item. */
  dash?: number;
  /**
   * The other entries of the map the entry belongs to (for `item`: of the item's map), key → scalar value as
   * written ('' when empty or not a scalar). The entry being typed is not among them.
   */
  siblings: Map<string, string>;
  via: 'parsed' | 'indentation';
}

/** The entry on the cursor's line, read as text. */
interface Entry {
  indent: number;
  dash?: number;
  column: number;
  role: CursorRole;
  key?: string;
  prefix: string;
  prefixStart: number;
  quote?: '"' | "'";
}

const word = /^[\w./-]*$/;

/** Reads the text before the cursor on its line; undefined where there is nothing to complete. */
export function entryAt(before: string): Entry | undefined {
  const m = /^( *)(- +)?(.*)$/.exec(before);
  if (!m || before.includes('\t')) return undefined;
  const indent = m[1]!.length;
  const dash = m[2] === undefined ? undefined : indent;
  const column = indent + (m[2]?.length ?? 0);
  const rest = m[3]!;
  if (rest.startsWith('#') || rest.startsWith('- ') || rest === '-') return undefined;
  const pair = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"[\]{}][^:#]*?) *:(?: +(.*))?$/.exec(rest);
  if (pair) {
    if (pair[2] === undefined) return undefined; // `key:|`: nothing typed after the colon yet
    const value = pair[2];
    const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : undefined;
    const prefix = quote ? value.slice(1) : value;
    if (!word.test(prefix)) return undefined;
    const key = unquote(pair[1]!.trimEnd());
    return { indent, column, role: 'value', key, prefix, prefixStart: before.length - prefix.length, ...(dash === undefined ? {} : { dash }), ...(quote ? { quote } : {}) };
  }
  const quote = rest.startsWith('"') ? '"' : rest.startsWith("'") ? "'" : undefined;
  const prefix = quote ? rest.slice(1) : rest;
  if (!word.test(prefix)) return undefined;
  const role: CursorRole = dash === undefined ? 'key' : 'item';
  return { indent, column, role, prefix, prefixStart: before.length - prefix.length, ...(dash === undefined ? {} : { dash }), ...(quote ? { quote } : {}) };
}

function unquote(key: string): string {
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.length >= 2 && key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** Lines of a segment, as the editor counts them. */
function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The cursor at `pos` in document `d`: from the parsed tree when `d` parsed without errors, else from the
 * indentation (always with `via: 'indentation'`, which the tests use to hold both readings to one table).
 * Undefined where nothing can be completed (a comment, a block scalar, flow style, junk).
 */
export function cursorAt(d: YamlDoc, pos: Position, options: { via?: 'indentation' } = {}): YamlCursor | undefined {
  const lines = linesOf(d.text);
  const lineNo = pos.line - d.startLine;
  const line = lines[lineNo];
  if (line === undefined) return undefined;
  const entry = entryAt(line.slice(0, Math.min(pos.character, line.length)));
  if (!entry) return undefined;
  const parsed = options.via === undefined && d.doc !== undefined && d.problems.length === 0;
  const container = parsed ? parsedContainer(d, lineNo, entry) : indentedContainer(lines, lineNo, entry);
  if (!container) return undefined;
  const range: Range = { start: { line: pos.line, character: entry.prefixStart }, end: { line: pos.line, character: entry.prefixStart + entry.prefix.length } };
  const path = entry.role === 'value' ? [...container.path, entry.key!] : container.path;
  const siblings = new Map(container.siblings);
  if (entry.key !== undefined) siblings.delete(entry.key);
  return {
    path,
    role: entry.role,
    prefix: entry.prefix,
    range,
    column: entry.column,
    siblings,
    via: parsed ? 'parsed' : 'indentation',
    ...(entry.key === undefined ? {} : { key: entry.key }),
    ...(entry.quote ? { quote: entry.quote } : {}),
    ...(entry.dash === undefined ? {} : { dash: entry.dash }),
  };
}

/** Where the entry goes: the map's path (or, for a `- ` entry, the item's), and the map's other entries. */
interface Container {
  path: (string | number)[];
  siblings: Map<string, string>;
}

const MAX_DEPTH = 64;

/** The container from the parsed tree: descend by line and column, as the indentation says. */
function parsedContainer(d: YamlDoc, lineNo: number, entry: Entry): Container | undefined {
  const lineOf = (offset: number) => d.toPosition(offset).line - d.startLine;
  const colOf = (offset: number) => d.toPosition(offset).character;
  const path: (string | number)[] = [];
  let node: unknown = d.doc?.contents;
  const at = entry.dash ?? entry.column;
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) {
    return at === 0 && entry.dash === undefined ? { path, siblings: new Map() } : undefined;
  }
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isMap(node) && !node.flow) {
      const first = node.items[0]?.key;
      if (!isCollectionItem(first)) return undefined;
      const col = colOf(first.range![0]);
      if (entry.dash === undefined && col === at) return { path, siblings: siblingsOf(d, node, lineNo) };
      if (col > at) return undefined;
      const pair = lastBefore(node.items, (p) => (isCollectionItem(p.key) ? lineOf(p.key.range![0]) : Infinity), lineNo);
      if (!pair) return undefined;
      path.push(keyText(d, pair.key));
      const v = pair.value;
      // `key:` with no value yet, or with a plain scalar that the cursor's line starts (`spec:\n  acc|` parses as
      // `spec: acc`): the cursor's line starts the key's value.
      const startsHere = isScalar(v) && v.type === 'PLAIN' && !!v.range && lineOf(v.range[0]) === lineNo && entry.role === 'key';
      if (isEmpty(v) || startsHere) {
        if (entry.dash !== undefined) return col <= at ? { path: [...path, 0], siblings: new Map() } : undefined;
        return col < at ? { path, siblings: new Map() } : undefined;
      }
      if (!isCollection(v) || v.flow) return undefined;
      node = v;
    } else if (isSeq(node) && !node.flow) {
      const dashCol = colOf(node.range![0]);
      const before = node.items.filter((it) => isCollectionItem(it) && lineOf(it.range![0]) < lineNo).length;
      if (entry.dash === dashCol) {
        path.push(before);
        const item = node.items[before];
        const own = isCollectionItem(item) && lineOf(item.range![0]) === lineNo ? item : undefined;
        return { path, siblings: isMap(own) ? siblingsOf(d, own, lineNo) : new Map() };
      }
      if (at <= dashCol || before === 0) return undefined;
      const item = node.items[before - 1];
      path.push(before - 1);
      if (isEmpty(item)) return entry.dash === undefined ? { path, siblings: new Map() } : undefined;
      if (!isCollection(item) || item.flow) return undefined;
      node = item;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function isCollectionItem(n: unknown): n is Node {
  return (isScalar(n) || isCollection(n)) && n.range !== undefined && n.range !== null;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && v.value === null && !!v.range && v.range[0] === v.range[1]);
}

function lastBefore<T>(items: readonly T[], lineOf: (item: T) => number, lineNo: number): T | undefined {
  let found: T | undefined;
  for (const item of items) {
    if (lineOf(item) < lineNo) found = item;
    else break;
  }
  return found;
}

function siblingsOf(d: YamlDoc, map: YAMLMap, lineNo: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of map.items as Pair[]) {
    if (!isPair(p) || !isCollectionItem(p.key)) continue;
    if (d.toPosition(p.key.range![0]).line - d.startLine === lineNo) continue;
    out.set(keyText(d, p.key), isScalar(p.value) ? (scalarText(d, p.value) ?? '') : '');
  }
  return out;
}

/** One line as the indentation reading sees it. */
interface LineInfo {
  blank: boolean;
  indent: number;
  dash?: number;
  keyCol: number;
  key?: string;
  /** The value after `key:`, comment stripped ('' when none). */
  value: string;
}

function lineInfo(line: string): LineInfo {
  if (/^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)(\s|$)/.test(line)) return { blank: true, indent: 0, keyCol: 0, value: '' };
  const m = /^( *)(- +)?(.*)$/.exec(line)!;
  const indent = m[1]!.length;
  const keyCol = indent + (m[2]?.length ?? 0);
  const rest = m[3]!;
  const info: LineInfo = { blank: false, indent, keyCol, value: '', ...(m[2] === undefined ? {} : { dash: indent }) };
  const pair = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"[\]{}][^:#]*?) *:(?:\s+(.*))?$/.exec(rest);
  if (pair) {
    info.key = unquote(pair[1]!.trimEnd());
    info.value = (pair[2] ?? '').replace(/(^|\s)#.*$/, '').trim();
  }
  return info;
}

/** An empty value, or only an anchor or tag before the value's lines. */
function opensBlock(value: string): boolean {
  return value === '' || /^(&\S+|!\S*)(\s+(&\S+|!\S*))?$/.test(value);
}

function scalarValue(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) return unquote(value);
  return /^[[{|>&*!]/.test(value) ? '' : value;
}

/** Line infos up to and past the cursor, with block scalar content marked blank. */
function infos(lines: string[]): LineInfo[] {
  const out: LineInfo[] = [];
  let scalarCol: number | undefined;
  for (const line of lines) {
    const info = lineInfo(line);
    if (scalarCol !== undefined) {
      if (info.blank || info.indent > scalarCol) {
        out.push({ ...info, blank: true });
        continue;
      }
      scalarCol = undefined;
    }
    if (info.key !== undefined && /^[|>][-+0-9]*$/.test(info.value)) scalarCol = info.keyCol;
    out.push(info);
  }
  return out;
}

/** The container from the indentation of the lines above (and the siblings below). */
function indentedContainer(lines: string[], lineNo: number, entry: Entry): Container | undefined {
  const all = infos(lines);
  if (all[lineNo]?.blank && lines[lineNo]!.trim() !== '') return undefined; // inside a block scalar
  const path: (string | number)[] = [];
  const siblings = new Map<string, string>();
  let col = entry.column;
  let dash = entry.dash;
  let index = 0;
  let level = 0;
  const sibling = (l: LineInfo) => {
    if (level === 0 && l.key !== undefined && !siblings.has(l.key)) siblings.set(l.key, scalarValue(l.value));
  };
  for (let i = lineNo - 1; i >= 0; i--) {
    const l = all[i]!;
    if (l.blank) continue;
    if (dash === undefined) {
      if (l.keyCol === col) {
        sibling(l);
        if (l.dash !== undefined) {
          // The first line of the item map the entry is in.
          dash = l.dash;
          index = 0;
        }
        continue;
      }
      if (l.indent >= col || l.keyCol > col) continue;
      if (l.key === undefined || !opensBlock(l.value)) return undefined;
      path.unshift(l.key);
      level++;
      col = l.keyCol;
      if (l.dash !== undefined) {
        dash = l.dash;
        index = 0;
      }
      continue;
    }
    if (l.dash === dash && l.indent === dash) {
      index++;
      continue;
    }
    if (l.indent > dash) continue;
    if (l.key === undefined || !opensBlock(l.value) || l.keyCol > dash) return undefined;
    path.unshift(l.key, index);
    level++;
    col = l.keyCol;
    dash = l.dash;
    index = 0;
  }
  if (dash !== undefined) return undefined; // a sequence at the root: not a manifest
  if (col !== 0) return undefined;
  // Siblings below the cursor, in the same map (for a `- ` entry: the item's map).
  for (let i = lineNo + 1; i < all.length; i++) {
    const l = all[i]!;
    if (l.blank) continue;
    if (l.keyCol === entry.column && l.dash === undefined) {
      if (l.key !== undefined && !siblings.has(l.key)) siblings.set(l.key, scalarValue(l.value));
      continue;
    }
    if (l.indent < entry.column) break;
  }
  return { path, siblings };
}
