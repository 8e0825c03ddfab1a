/**
 * Reading values out of a parsed document by path, with file ranges, without `toJS()`: converting a whole
 * document is slow and expands alias bombs. Aliases are resolved only when a path walks through one, a
 * bounded number of hops; YAML 1.1 merge keys (`<<: *base`, which Kubernetes' YAML decoder honours) are
 * followed within a fixed budget of maps.
 */
import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ALIAS_TYPE, MAP_TYPE, SCALAR_TYPE, SEQ_TYPE, isMergePair, keyEndOf, keyString, nodeType } from './nodes.js';
import { putOwn } from '../own.js';
import type { Position, Range } from '../types.js';
import type { YamlDoc } from './documents.js';
import { trimEnd } from './lines.js';

/** Map keys (strings, matched against the key as written) and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** A located value inside a document. */
export interface Located {
  node: Node;
  /** Range of the value node (after any anchor or tag; the anchored node's own text when reached through an alias). */
  range: Range;
  /** Range of the key (when reached through a map key). */
  keyRange?: Range;
}

const MAX_ALIAS_HOPS = 8;
/** Maps visited through merge keys in one lookup: merges can chain and fan out. */
const MERGE_BUDGET = 64;
/** Bound on descending a block collection's last items; documents nest at most MAX_NESTING anyway. */
const MAX_DESCENT = 1024;

const anchorIndexes = new WeakMap<Document, Map<string, Node[]>>();

/** Anchored nodes by anchor name, built on first use per (cached, shared) document. */
function anchorsOf(doc: Document): Map<string, Node[]> {
  let index = anchorIndexes.get(doc);
  if (index) return index;
  index = new Map();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!isNode(n) || isAlias(n)) continue;
    if (n.anchor) {
      const list = index.get(n.anchor);
      if (list) list.push(n);
      else index.set(n.anchor, [n]);
    }
    if (isMap(n)) for (const p of n.items) stack.push(p.key, p.value);
    else if (isSeq(n)) for (const item of n.items) stack.push(item);
  }
  // In source order, for the binary search below (an anchor may be redefined any number of times).
  for (const list of index.values()) list.sort((a, b) => startOf(a) - startOf(b));
  anchorIndexes.set(doc, index);
  return index;
}

function startOf(n: Node): number {
  return n.range?.[0] ?? Infinity;
}

/** The node an alias refers to: the last node with that anchor that starts before the alias. */
function aliasTarget(d: YamlDoc, alias: Alias): Node | undefined {
  const list = d.doc && alias.range ? anchorsOf(d.doc).get(alias.source) : undefined;
  if (!list || !alias.range) return undefined;
  const at = alias.range[0];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startOf(list[mid]!) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

/** `value` with aliases followed (bounded); undefined for a missing value or a dangling alias. */
function deref(d: YamlDoc, value: unknown): Node | undefined {
  // Nearly always a map, sequence or scalar: one read of its type instead of three tests.
  const t = nodeType(value);
  if (t === MAP_TYPE || t === SEQ_TYPE || t === SCALAR_TYPE) return value as Node;
  let n = value;
  for (let hops = 0; hops < MAX_ALIAS_HOPS && isAlias(n); hops++) n = aliasTarget(d, n);
  return isNode(n) && !isAlias(n) ? n : undefined;
}

/** The text of a scalar as Kubernetes reads it: strings as parsed, numbers and booleans as written. */
export function scalarText(d: YamlDoc, s: Scalar): string | undefined {
  const v = s.value;
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return undefined;
  if (s.type === 'PLAIN' && s.range) return d.text.slice(s.range[0], s.range[1]);
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
}

/** A map key as path elements name it: the string, or the key's source text for other keys. */
export function keyText(d: YamlDoc, key: unknown): string {
  if (isScalar(key)) {
    const t = scalarText(d, key);
    if (t !== undefined) return t;
  }
  if (isNode(key) && key.range) return d.text.slice(key.range[0], key.range[1]);
  return '';
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && key.type === 'PLAIN';
}

/** The maps a `<<` value merges in, in precedence order (at most MERGE_BUDGET of them). */
function mergeSources(d: YamlDoc, value: unknown): YAMLMap[] {
  const src = deref(d, value);
  const items = isSeq(src) ? src.items.slice(0, MERGE_BUDGET) : [src];
  const maps: YAMLMap[] = [];
  for (const item of items) {
    const m = deref(d, item);
    if (isMap(m)) maps.push(m);
  }
  return maps;
}

const HAS_MERGES = Symbol('has merges');

/** The pair for `key` among `map`'s own keys; HAS_MERGES when there is none and the map merges others in. */
function ownPair(d: YamlDoc, map: YAMLMap, key: string): Pair | typeof HAS_MERGES | undefined {
  let merges = false;
  for (const pair of map.items) {
    // A string scalar's key text is its value (`keyText`): compared without the calls (and without making a lazy
    // key's node, nodes.ts), the usual case.
    const v = keyString(pair);
    if (v !== undefined) {
      if (v === key) return pair;
      if (!merges && v === '<<' && isMergePair(pair)) merges = true;
      continue;
    }
    const k = pair.key;
    if (keyText(d, k) === key) return pair;
    if (!merges && isMergeKey(k)) merges = true;
  }
  return merges ? HAS_MERGES : undefined;
}

/** The pair for `key` in `map`: its own keys first, then the maps merged in, earlier merges first. */
function findPair(d: YamlDoc, map: YAMLMap, key: string, budget: { left: number }): { pair: Pair; merged: boolean } | undefined {
  let merges: unknown[] | undefined;
  for (const pair of map.items) {
    if ((keyString(pair) ?? keyText(d, pair.key)) === key) return { pair, merged: false };
    if (isMergePair(pair)) (merges ??= []).push(pair.value);
  }
  for (const value of merges ?? []) {
    for (const m of mergeSources(d, value)) {
      if (--budget.left < 0) return undefined;
      const hit = findPair(d, m, key, budget);
      if (hit) return { pair: hit.pair, merged: true };
    }
  }
  return undefined;
}

/** Result of walking a path; `shared` is true when an alias or merge key was passed through. */
export interface Walked {
  node: Node;
  pair?: Pair;
  shared: boolean;
}

/** Walks `path` from `from` (default: the document's root), following aliases and merge keys. */
export function walk(d: YamlDoc, path: YamlPath, from?: Node): Walked | undefined {
  const node = walkNode(d, path, from);
  if (!node) return undefined;
  const pair = walkedPair;
  walkedPair = undefined;
  return pair ? { node, pair, shared: walkedShared } : { node, shared: walkedShared };
}

/** The pair and the sharedness of the last `walkNode` (read by `walk` at once, so that `walkNode` makes no object). */
let walkedPair: Pair | undefined;
let walkedShared = false;

/**
 * The node `walk` finds, without a result object: the readers that want only the node (a field's text, a list, a
 * sequence's items) walk 200,000 paths in a cold analysis of the bench bundle.
 */
export function walkNode(d: YamlDoc, path: YamlPath, from?: Node): Node | undefined {
  const start = from ?? d.doc?.contents;
  let node = deref(d, start);
  walkedPair = undefined;
  if (!node) return undefined;
  let shared = isAlias(start);
  let pair: Pair | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    let next: unknown;
    const t = nodeType(node);
    if (typeof step === 'number') {
      if (t !== SEQ_TYPE) return undefined;
      next = (node as YAMLSeq).items[step];
      pair = undefined;
    } else {
      if (t !== MAP_TYPE) return undefined;
      // The map's own keys first, without allocating; the merged maps only when it has a merge key.
      const own = ownPair(d, node as YAMLMap, step);
      if (own === undefined) return undefined;
      if (own === HAS_MERGES) {
        const hit = findPair(d, node as YAMLMap, step, { left: MERGE_BUDGET });
        if (!hit) return undefined;
        pair = hit.pair;
        shared ||= hit.merged;
      } else pair = own;
      next = pair.value;
    }
    if (!shared && nodeType(next) === ALIAS_TYPE) shared = true;
    node = deref(d, next);
    if (!node) return undefined;
  }
  walkedPair = pair;
  walkedShared = shared;
  return node;
}

/** Where a node's content ends: a block collection's range runs on over blank lines and comments. */
export function contentEnd(d: YamlDoc, node: Node): number {
  const start = node.range?.[0] ?? 0;
  let end = node.range?.[1] ?? start;
  let n: unknown = node;
  for (let i = 0; i < MAX_DESCENT && isCollection(n) && !n.flow; i++) {
    const last: unknown = n.items[n.items.length - 1];
    const next = isPair(last) ? (last.value ?? last.key) : last;
    if (!isNode(next) || !next.range) break;
    n = next;
    end = Math.max(next.range[1], isPair(last) ? keyEndOf(last) : 0);
  }
  return trimEnd(d.text, start, end);
}

/** Range of a node in file coordinates, ending at its last non-blank character. */
export function rangeOf(d: YamlDoc, node: Node): Range {
  const start = node.range?.[0] ?? 0;
  return d.toRange(start, contentEnd(d, node));
}

/** Walks a path of map keys (string) and sequence indexes (number); resolves aliases (bounded); undefined if absent. */
export function locate(d: YamlDoc, path: YamlPath, from?: Node): Located | undefined {
  const hit = walk(d, path, from);
  if (!hit) return undefined;
  const located: Located = { node: hit.node, range: rangeOf(d, hit.node) };
  if (hit.pair && isNode(hit.pair.key)) located.keyRange = rangeOf(d, hit.pair.key);
  return located;
}

/**
 * Scalar value at path as a string (numbers and booleans as written: `storage: 1073741824` gives
 * "1073741824", `"true"` gives "true"); undefined if absent, null or not a scalar.
 */
export function scalarString(d: YamlDoc, path: YamlPath, from?: Node): string | undefined {
  const node = walkNode(d, path, from);
  return node && isScalar(node) ? scalarText(d, node) : undefined;
}

/** Map at path as its scalar entries (labels, annotations); a null value reads as "", as in Kubernetes. */
export function stringMap(d: YamlDoc, path: YamlPath, from?: Node): Record<string, string> {
  const out: Record<string, string> = {};
  const node = walkNode(d, path, from);
  if (node && isMap(node)) collectEntries(d, node, out, { left: MERGE_BUDGET });
  return out;
}

function collectEntries(d: YamlDoc, map: YAMLMap, out: Record<string, string>, budget: { left: number }): void {
  // Merged maps first, the earliest last, so that earlier merges and then the map's own keys win.
  for (const pair of map.items) {
    if (!isMergePair(pair)) continue;
    const sources = mergeSources(d, pair.value);
    for (let i = sources.length - 1; i >= 0 && --budget.left >= 0; i--) collectEntries(d, sources[i]!, out, budget);
  }
  for (const pair of map.items) {
    if (isMergePair(pair)) continue;
    const value = deref(d, pair.value);
    if (!isScalar(value)) continue;
    const key = keyString(pair) ?? keyText(d, pair.key);
    const text = scalarText(d, value) ?? '';
    // A `__proto__` label must stay an ordinary property, not replace the object's prototype.
    putOwn(out, key, text);
  }
}

/** Items of the sequence at path, aliases resolved (volumes, claimPropertySets, ...); [] if absent. */
export function sequence(d: YamlDoc, path: YamlPath, from?: Node): Located[] {
  return sequenceNodes(d, path, from).map((node) => ({ node, range: rangeOf(d, node) }));
}

/** The nodes `sequence` locates, without their ranges (counting or walking items needs no positions). */
export function sequenceNodes(d: YamlDoc, path: YamlPath, from?: Node): Node[] {
  const node = walkNode(d, path, from);
  if (!node || !isSeq(node)) return [];
  const out: Node[] = [];
  for (const item of node.items) {
    const node = deref(d, item) ?? (isNode(item) ? item : undefined);
    if (node) out.push(node);
  }
  return out;
}

/** Scalar strings of the sequence at path (accessModes); non-scalar items are skipped; undefined if absent. */
export function stringList(d: YamlDoc, path: YamlPath, from?: Node): string[] | undefined {
  const node = walkNode(d, path, from);
  if (!node || !isSeq(node)) return undefined;
  // Made at its length, not grown by push (17 slots for the one or two access modes a claim lists): facts keep it.
  const items = node.items;
  const out = new Array<string>(items.length);
  let n = 0;
  for (const item of items) {
    const node = deref(d, item);
    const text = isScalar(node) ? scalarText(d, node) : undefined;
    if (text !== undefined) out[n++] = text;
  }
  if (n < out.length) out.length = n;
  return out;
}

function holds(d: YamlDoc, node: unknown, offset: number): node is Node {
  return isNode(node) && !!node.range && node.range[0] <= offset && offset <= contentEnd(d, node);
}

/**
 * The innermost node at a file position, for hovers: a key (its path ends with that key) or a value.
 * Aliases are not followed: the node is what is written there. Undefined outside the document's content.
 */
export function nodeAtPosition(d: YamlDoc, pos: Position): { path: (string | number)[]; node: Node; range: Range } | undefined {
  const offset = d.toOffset(pos);
  const root = d.doc?.contents;
  if (offset === undefined || !holds(d, root, offset)) return undefined;
  let node: Node = root;
  const path: (string | number)[] = [];
  for (;;) {
    let next: Node | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (holds(d, pair.key, offset)) return { path: [...path, keyText(d, pair.key)], node: pair.key, range: rangeOf(d, pair.key) };
        if (holds(d, pair.value, offset)) {
          path.push(keyText(d, pair.key));
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => holds(d, item, offset));
      if (i >= 0) {
        path.push(i);
        next = node.items[i] as Node;
      }
    }
    if (!next) return { path, node, range: rangeOf(d, node) };
    node = next;
  }
}
