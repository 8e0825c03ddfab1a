/**
 * A JSON file as a tree of values with file ranges. The text is parsed by core/yaml (JSON is YAML 1.2, so the
 * ranges come for free) and checked with JSON.parse, because the controller reads these files with Go's
 * encoding/json, which is strict: a trailing comma or a comment that YAML accepts makes the whole file unreadable.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { Range } from '../types.js';
import type { YamlDoc } from '../yaml/documents.js';
import { keyText, parseYamlFile, rangeOf } from '../yaml/documents.js';
import { lineStartsOf } from '../yaml/lines.js';

export type JValue =
  | { kind: 'object'; range: Range; entries: JEntry[] }
  | { kind: 'array'; range: Range; items: JValue[] }
  | { kind: 'string'; range: Range; value: string }
  /** `text` is the number as written: int64 sizes must not pass through a float. */
  | { kind: 'number'; range: Range; text: string }
  | { kind: 'bool'; range: Range; value: boolean }
  | { kind: 'null'; range: Range };

export interface JEntry {
  key: string;
  keyRange: Range;
  value: JValue;
}

export type JsonParse = { ok: true; value: JValue; docRange: Range } | { ok: false; message: string; range: Range };

const MAX_DEPTH = 64;

/** Parses JSON text; `ok: false` (with where) when it is not strict JSON or nests deeper than these files do. */
export function parseJson(file: string, text: string): JsonParse {
  try {
    JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not valid JSON (${jsonMessage(e)})`, range: jsonErrorRange(text, e) };
  }
  const d = parseYamlFile(file, text).docs.find((x) => x.doc?.contents);
  const root = d?.doc?.contents;
  if (!d || !root || d.problems.length > 0) {
    const p = d?.problems[0];
    return { ok: false, message: `cannot read it: ${p?.message.split('\n')[0] ?? 'no content'}`, range: p?.range ?? zeroRange() };
  }
  const value = convert(d, root as Node, 0);
  return value ? { ok: true, value, docRange: d.range } : { ok: false, message: `nested deeper than ${MAX_DEPTH} levels`, range: d.range };
}

function convert(d: YamlDoc, node: Node, depth: number): JValue | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const range = rangeOf(d, node);
  if (isMap(node)) {
    const entries: JEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key as Node;
      const keyRange = rangeOf(d, key);
      const value: JValue | undefined = pair.value ? convert(d, pair.value as Node, depth + 1) : { kind: 'null', range: keyRange };
      if (!value) return undefined;
      entries.push({ key: keyText(d, key), keyRange, value });
    }
    return { kind: 'object', range, entries };
  }
  if (isSeq(node)) {
    const items: JValue[] = [];
    for (const item of node.items) {
      const v = convert(d, item as Node, depth + 1);
      if (!v) return undefined;
      items.push(v);
    }
    return { kind: 'array', range, items };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return { kind: 'string', range, value: v };
    if (typeof v === 'boolean') return { kind: 'bool', range, value: v };
    if (v === null) return { kind: 'null', range };
    if ((typeof v === 'number' || typeof v === 'bigint') && node.range) {
      return { kind: 'number', range, text: d.text.slice(node.range[0], node.range[1]) };
    }
  }
  return undefined;
}

/**
 * The member `name` of an object, matched as Go's encoding/json matches struct fields: the exact key, else the
 * last key equal to it ignoring case ("VMName" fills `vmName`).
 */
export function member(obj: JValue | undefined, name: string): JEntry | undefined {
  if (obj?.kind !== 'object') return undefined;
  let folded: JEntry | undefined;
  let exact: JEntry | undefined;
  const lower = name.toLowerCase();
  for (const e of obj.entries) {
    if (e.key === name) exact = e;
    else if (e.key.toLowerCase() === lower) folded = e;
  }
  return exact ?? folded;
}

/** What a JSON value is, for messages: "a number", "an array". */
export function describeKind(v: JValue): string {
  switch (v.kind) {
    case 'object': return 'an object';
    case 'array': return 'an array';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'bool': return 'a boolean';
    case 'null': return 'null';
  }
}

/** Where JSON.parse stopped: V8 names the position for some errors only, so scan for the first bad character. */
function jsonErrorRange(text: string, e: unknown): Range {
  const message = e instanceof Error ? e.message : '';
  const at = /at position (\d+)/.exec(message);
  const offset = Math.min(at ? Number(at[1]) : firstJsonError(text), text.length);
  const starts = lineStartsOf(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  const character = offset - starts[line]!;
  return { start: { line, character }, end: { line, character: Math.min(character + 1, lineLength(text, starts, line)) } };
}

/** V8's message without the copy of the input it quotes. */
function jsonMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/, "[\s\S]*" is not valid JSON$/, '');
}

/** Offset of the first character a strict JSON reader rejects (text.length when the text ends too early). */
export function firstJsonError(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) (i--, fail());
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
  return text.length;
}

function lineLength(text: string, starts: number[], line: number): number {
  const end = line + 1 < starts.length ? starts[line + 1]! : text.length;
  return text.slice(starts[line]!, end).replace(/\r?\n$|\r$/, '').length;
}

function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
