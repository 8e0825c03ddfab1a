/**
 * Text edits for quick fixes that keep the file valid YAML. They change what is written at the path, so
 * they refuse (return undefined) when the path runs through an alias or merge key: editing the anchored
 * node would change every other place that refers to it.
 */
import { isMap, isNode, isScalar, isSeq, stringify } from 'yaml';
import type { Pair, YAMLMap } from 'yaml';
import type { TextEdit } from '../types.js';
import type { YamlDoc } from './documents.js';
import { keyString } from './nodes.js';
import { contentEnd, keyText, walk } from './navigate.js';
import type { YamlPath } from './navigate.js';

function lineStartOf(d: YamlDoc, offset: number): number {
  return d.toOffset({ line: d.toPosition(offset).line, character: 0 }) ?? 0;
}

/** Offset of the line after the one holding `offset` (after its line break), or the end of the segment. */
function nextLineStart(d: YamlDoc, offset: number): number {
  return d.toOffset({ line: d.toPosition(offset).line + 1, character: 0 }) ?? d.text.length;
}

/** The container at `path` minus its last step, when written in place (not reached through an alias). */
function ownParent(d: YamlDoc, path: YamlPath) {
  const parent = path.length > 0 ? walk(d, path.slice(0, -1)) : undefined;
  return parent && !parent.shared ? parent.node : undefined;
}

function ownEntry(map: YAMLMap, d: YamlDoc, key: string): { pair: Pair; index: number } | undefined {
  const index = map.items.findIndex((p) => (keyString(p) ?? keyText(d, p.key)) === key);
  return index < 0 ? undefined : { pair: map.items[index]!, index };
}

/**
 * Deletes the `key: value` entry at `path` (its last step a key) in a block map: the whole entry, its
 * value's lines and its line break. The first entry of a map that opens a sequence item (`- key: v`)
 * gives way to the next entry (`- next: w`), or becomes `{}` when it is the only one. Undefined when the
 * entry is absent, in a flow map (`{a: 1}`: commas make a plain cut unsafe), reached through an alias or
 * merge key, or preceded on its line by anything else (`? key`, `&anchor key`, `--- key`).
 */
export function removeMapEntryEdit(d: YamlDoc, path: YamlPath): TextEdit | undefined {
  const key = path[path.length - 1];
  const map = ownParent(d, path);
  if (typeof key !== 'string' || !isMap(map) || map.flow) return undefined;
  const entry = ownEntry(map, d, key);
  const keyNode = entry?.pair.key;
  if (!entry || !isNode(keyNode) || !keyNode.range) return undefined;
  const text = d.text;
  const keyStart = keyNode.range[0];
  const value = entry.pair.value;
  const entryEnd = Math.max(keyNode.range[1], isNode(value) ? contentEnd(d, value) : 0);
  const lineStart = lineStartOf(d, keyStart);
  const prefix = text.slice(lineStart, keyStart);
  if (/^[ \t]*$/.test(prefix)) {
    return { range: d.toRange(lineStart, nextLineStart(d, Math.max(keyStart, entryEnd - 1))), newText: '' };
  }
  if (!/^[ \t]*(?:-[ \t]+)+$/.test(prefix) || entry.index !== 0) return undefined;
  const next = map.items[1];
  if (!next) return { range: d.toRange(keyStart, entryEnd), newText: '{}' };
  if (!isNode(next.key) || !next.key.range) return undefined;
  // Pull the next entry (with any anchor or tag before its key) up behind the `- `: same column as before.
  let nextStart = lineStartOf(d, next.key.range[0]);
  while (text.charCodeAt(nextStart) === 32 || text.charCodeAt(nextStart) === 9) nextStart++;
  return { range: d.toRange(keyStart, nextStart), newText: '' };
}

/**
 * Replaces the value at `path` (a map key or a sequence index) with `newText`, which must be a YAML
 * value valid in that place (see `yamlScalar`); anchors and tags before the value are kept. An empty
 * value (`key:`) gets the text inserted with the spacing YAML needs. Undefined when absent or when the
 * path runs through an alias or merge key.
 */
export function replaceValueEdit(d: YamlDoc, path: YamlPath, newText: string): TextEdit | undefined {
  const last = path[path.length - 1];
  const parent = ownParent(d, path);
  let value: unknown;
  if (typeof last === 'number' && isSeq(parent)) value = parent.items[last];
  else if (typeof last === 'string' && isMap(parent)) value = ownEntry(parent, d, last)?.pair.value;
  if (!isNode(value) || !value.range) return undefined;
  const start = value.range[0];
  const end = contentEnd(d, value);
  if (start < end) return { range: d.toRange(start, end), newText };
  const before = d.text.charCodeAt(start - 1);
  const lead = before === 32 || before === 9 ? '' : ' ';
  // A `#` straight after the text would be read as part of a plain scalar, not as a comment.
  const trail = d.text.charCodeAt(start) === 35 ? ' ' : '';
  return { range: d.toRange(start, start), newText: lead + newText + trail };
}

/** `value` as YAML text that reads back as exactly that string: plain when yaml allows it, else quoted. */
export function yamlScalar(value: string): string {
  const text = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return text.includes('\n') ? JSON.stringify(value) : text;
}

/**
 * Adds entries to the block map at `path`: `lines` are YAML lines relative to the map's keys (`key: v`, `list:`,
 * `- item`), written after the map's last entry at its keys' column. An empty map written `{}`, or a key with no
 * value yet, becomes a block map under its key. Undefined for a non-empty flow map, a path that is absent or runs
 * through an alias or merge key, or anything but a map.
 */
export function insertEntriesEdit(d: YamlDoc, path: YamlPath, lines: readonly string[]): TextEdit | undefined {
  const hit = walk(d, path);
  if (!hit || hit.shared || lines.length === 0) return undefined;
  const node = hit.node;
  const block = (col: number) => lines.map((l) => `${' '.repeat(col)}${l}\n`).join('');
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const first = node.items[0]!.key;
    if (!isNode(first) || !first.range) return undefined;
    const col = d.toPosition(first.range[0]).character;
    const end = contentEnd(d, node);
    const at = nextLineStart(d, Math.max(first.range[0], end - 1));
    const lead = at === d.text.length && !/\n$/.test(d.text) ? '\n' : '';
    return { range: d.toRange(at, at), newText: lead + block(col) };
  }
  // `key: {}` or `key:` (nothing yet): a block map under the key.
  const key = hit.pair?.key;
  if (!isNode(key) || !key.range) return undefined;
  const col = d.toPosition(key.range[0]).character + 2;
  const empty = (isMap(node) && node.flow && node.items.length === 0) || (isScalar(node) && node.value === null);
  const colon = d.text.indexOf(':', key.range[1]);
  if (!empty || colon < 0) return undefined;
  const end = isMap(node) ? contentEnd(d, node) : colon + 1;
  return { range: d.toRange(colon + 1, end), newText: `\n${block(col).replace(/\n$/, '')}` };
}

/** Deletes item `path` (its last step an index) of a block sequence: the lines from its `- ` to its end. */
export function removeSeqItemEdit(d: YamlDoc, path: YamlPath): TextEdit | undefined {
  const index = path[path.length - 1];
  const seq = ownParent(d, path);
  if (typeof index !== 'number' || !isSeq(seq) || seq.flow) return undefined;
  const item = seq.items[index];
  if (!isNode(item) || !item.range) return undefined;
  const start = lineStartOf(d, item.range[0]);
  if (!/^[ \t]*-[ \t]+$/.test(d.text.slice(start, item.range[0]))) return undefined;
  return { range: d.toRange(start, nextLineStart(d, Math.max(item.range[0], contentEnd(d, item) - 1))), newText: '' };
}

/** Adds an item after the last one of the block sequence at `path`; `lines` start with `- `, relative to the dashes. */
export function appendSeqItemEdit(d: YamlDoc, path: YamlPath, lines: readonly string[]): TextEdit | undefined {
  const hit = walk(d, path);
  if (!hit || hit.shared || !isSeq(hit.node) || hit.node.flow || !hit.node.range || hit.node.items.length === 0) return undefined;
  const seq = hit.node;
  const col = d.toPosition(seq.range![0]).character;
  const at = nextLineStart(d, Math.max(seq.range![0], contentEnd(d, seq) - 1));
  const lead = at === d.text.length && !/\n$/.test(d.text) ? '\n' : '';
  return { range: d.toRange(at, at), newText: lead + lines.map((l) => `${' '.repeat(col)}${l}\n`).join('') };
}
