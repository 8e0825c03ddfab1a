/**
 * Completion of the PD CSI driver's parameters in a StorageClass (`provisioner: pd.csi.storage.gke.io`) or a
 * VolumeSnapshotClass (`driver: pd.csi.storage.gke.io`): the keys the driver knows under `parameters:` (less
 * those already written) and, after a key with a closed list, its values. Works on the text, line by line,
 * because the document is usually not valid YAML while a key is half typed; the parameter table is the one the
 * rules check against (pdParameters.ts), so completion never offers what the rules would flag.
 */
import type { Position, Range } from '../types.js';
import { PD_DRIVER, SNAPSHOT_CLASS_PARAMETERS, STORAGE_CLASS_PARAMETERS, type ParameterSpec } from './pdParameters.js';

export interface ParameterCompletion {
  label: string;
  what: 'key' | 'value';
  /** One line: what the key is for, or which key the value is for. */
  detail: string;
  insertText: string;
  /** The text the completion replaces (the word being typed). */
  range: Range;
}

const KEY_CHARS = /^[A-Za-z0-9._-]*/;

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlankOrComment = (line: string) => /^\s*(#.*)?$/.test(line);
const isDocumentMarker = (line: string) => /^(---|\.\.\.)(\s|$)/.test(line);

/** A top-level scalar of the document (`kind: StorageClass`), quotes and comments dropped. */
function topLevel(lines: readonly string[], key: string): string | undefined {
  const re = new RegExp(`^${key}:\\s*(?:"([^"]*)"|'([^']*)'|([^\\s#]+))`);
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

/** The PD parameter table that applies to the document around `line`, or undefined when it is not a PD class. */
function specsFor(lines: readonly string[], line: number): readonly ParameterSpec[] | undefined {
  let start = line;
  while (start > 0 && !isDocumentMarker(lines[start]!)) start--;
  let end = line + 1;
  while (end < lines.length && !isDocumentMarker(lines[end]!)) end++;
  const doc = lines.slice(start, end);
  const kind = topLevel(doc, 'kind');
  if (kind === 'StorageClass' && topLevel(doc, 'provisioner') === PD_DRIVER) return STORAGE_CLASS_PARAMETERS;
  if (kind === 'VolumeSnapshotClass' && topLevel(doc, 'driver') === PD_DRIVER) return SNAPSHOT_CLASS_PARAMETERS;
  return undefined;
}

/**
 * The keys already written in the `parameters:` block around `line` (indented by `indent`), lowercased, when the
 * nearest less-indented line above is the top-level `parameters:`; undefined otherwise.
 */
function parameterBlock(lines: readonly string[], line: number, indent: number): Set<string> | undefined {
  let parent = line - 1;
  while (parent >= 0 && (isBlankOrComment(lines[parent]!) || indentOf(lines[parent]!) >= indent)) parent--;
  if (parent < 0 || !/^parameters:\s*(#.*)?$/.test(lines[parent]!)) return undefined;
  const present = new Set<string>();
  for (let i = parent + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (isBlankOrComment(l)) continue;
    if (indentOf(l) < indent || isDocumentMarker(l)) break;
    const m = /^\s*([A-Za-z0-9._-]+)\s*:/.exec(l);
    if (i !== line && m && indentOf(l) === indent) present.add(m[1]!.toLowerCase());
  }
  return present;
}

/** A parameter value is a string: a value YAML would read as a boolean, number or null is quoted. */
function scalarText(value: string): string {
  return /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)$/i.test(value) ? `"${value}"` : value;
}

/** The completions at `pos` in a YAML file's text; empty outside a PD class's `parameters:`. */
export function pdParameterCompletions(text: string, pos: Position): ParameterCompletion[] {
  const lines = text.split(/\r?\n/);
  const line = lines[pos.line];
  if (line === undefined || pos.character > line.length) return [];
  const specs = specsFor(lines, pos.line);
  if (!specs) return [];
  const before = line.slice(0, pos.character);
  const after = line.slice(pos.character);

  const keyTyped = /^(\s+)([A-Za-z0-9._-]*)$/.exec(before);
  if (keyTyped) {
    const indent = keyTyped[1]!.length;
    const present = parameterBlock(lines, pos.line, indent);
    if (!present) return [];
    const rest = KEY_CHARS.exec(after)![0];
    const hasColon = /^\s*:/.test(after.slice(rest.length));
    const range = { start: { line: pos.line, character: indent }, end: { line: pos.line, character: pos.character + rest.length } };
    return specs
      .filter((s) => !present.has(s.key))
      .map((s) => ({ label: s.key, what: 'key', detail: s.description, insertText: hasColon ? s.key : `${s.key}: `, range }));
  }

  const valueTyped = /^(\s+)([A-Za-z0-9._-]+)(\s*):(\s*)(["']?)([^"'#\s]*)$/.exec(before);
  if (!valueTyped) return [];
  const [, ws, key, , space, quote, typed] = valueTyped;
  if (!parameterBlock(lines, pos.line, ws!.length)) return [];
  const spec = specs.find((s) => s.key === key!.toLowerCase());
  const values = spec?.values ?? (spec?.example !== undefined ? [spec.example] : []);
  const rest = /^[^"'#\s]*/.exec(after)![0];
  const range = { start: { line: pos.line, character: pos.character - typed!.length }, end: { line: pos.line, character: pos.character + rest.length } };
  const lead = space === '' && quote === '' ? ' ' : '';
  return values.map((v) => ({
    label: v,
    what: 'value',
    detail: spec!.values ? `${spec!.key}: one of ${spec!.values.join(', ')}` : `${spec!.key}: an example value`,
    insertText: lead + (quote ? v : scalarText(v)),
    range,
  }));
}
