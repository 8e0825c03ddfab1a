/**
 * Completion in a VolumeResize: StatefulSet names for `spec.statefulSetName`, that StatefulSet's claim templates
 * for `spec.volumes[].name`, storage classes for `storageClass`, and a size with room above the data in use for
 * `newSize`. The key at the cursor is read from the lines (block style), because a value still empty has no node
 * to find it by; flow style (`{name: data}`) is not completed.
 */
import type { Facts } from '../facts.js';
import { formatBytes } from '../quantity.js';
import { at, type Resource } from '../resources.js';
import type { Position, Range } from '../types.js';
import type { ParsedFile } from '../yaml/documents.js';
import { docAtPosition, scalarString, sequence } from '../yaml/documents.js';
import { suggestedSize } from './checks.js';
import { originalPvcName, replicaPodName } from './model.js';

export interface CompletionChoice {
  label: string;
  detail?: string;
  /** The value typed so far, which the choice replaces. */
  range: Range;
}

/** `  - name: da` → indent 4 (where the key starts), key name, value typed so far and where it starts. */
const KEY_LINE = /^(\s*(?:-\s+)?)([A-Za-z][\w.-]*):(?:[ \t]+(["']?)([^"'#\s]*))?$/;
const ANY_KEY = /^(\s*(?:-\s+)?)([A-Za-z][\w.-]*):/;

interface KeyAt {
  /** The keys from the document's root to the one at the cursor; sequence items are not in it. */
  keys: string[];
  valueStart: number;
}

function keyAt(text: string, line: number, character: number): KeyAt | undefined {
  const lines = text.split('\n');
  const here = lines[line]?.slice(0, character);
  const m = here === undefined ? null : KEY_LINE.exec(here);
  if (!m || m[4] === undefined) return undefined;
  const keys = [m[2]!];
  let indent = m[1]!.length;
  for (let l = line - 1; l >= 0 && indent > 0; l--) {
    const a = ANY_KEY.exec(lines[l]!);
    if (!a || a[1]!.length >= indent) continue;
    keys.unshift(a[2]!);
    indent = a[1]!.length;
  }
  return { keys, valueStart: character - m[4].length };
}

const endsWith = (keys: readonly string[], tail: readonly string[]): boolean =>
  keys.length >= tail.length && tail.every((k, i) => keys[keys.length - tail.length + i] === k);

/** The choices at `pos` in a VolumeResize, or [] anywhere else. */
export function volumeResizeCompletions(parsed: ParsedFile, resources: readonly Resource[], pos: Position, facts: Facts, defaultNamespace: string): CompletionChoice[] {
  const d = docAtPosition(parsed, pos);
  const r = d && resources.find((x) => x.doc === d && x.kind === 'VolumeResize');
  if (!d || !r) return [];
  const k = keyAt(d.text, pos.line - d.startLine, pos.character);
  if (!k) return [];
  const range: Range = { start: { line: pos.line, character: k.valueStart }, end: pos };
  const ns = r.namespace ?? defaultNamespace;
  const stsName = scalarString(d, at(r, 'spec', 'statefulSetName'));
  const sts = stsName ? facts.statefulSet?.(ns, stsName) : undefined;

  if (endsWith(k.keys, ['spec', 'statefulSetName'])) {
    return (facts.statefulSets?.(ns) ?? []).map((s) => ({
      label: s.name,
      detail: `${s.replicas} replica${s.replicas === 1 ? '' : 's'}; volumes ${s.volumeClaimTemplates.map((t) => t.name).join(', ') || 'none'}`,
      range,
    }));
  }
  if (endsWith(k.keys, ['spec', 'volumes', 'name'])) {
    return (sts?.volumeClaimTemplates ?? []).map((t) => ({
      label: t.name,
      detail: [t.requestText, t.storageClassName && `class ${t.storageClassName}`].filter(Boolean).join(', ') || undefined,
      range,
    })).map(({ detail, ...c }) => (detail ? { ...c, detail } : c));
  }
  if (endsWith(k.keys, ['spec', 'volumes', 'storageClass'])) {
    return facts.storageClasses().map((sc) => ({
      label: sc.name,
      detail: `${sc.provisioner ?? 'no provisioner'}${sc.volumeBindingMode ? `, ${sc.volumeBindingMode}` : ''}${sc.isDefault ? ', default' : ''}`,
      range,
    }));
  }
  if (endsWith(k.keys, ['spec', 'volumes', 'newSize']) && sts) {
    // The volume of the item the cursor is in: the last one starting at or above the cursor.
    const item = sequence(d, at(r, 'spec', 'volumes')).filter((i) => i.range.start.line <= pos.line).pop();
    const volume = item && scalarString(d, ['name'], item.node);
    if (!volume) return [];
    let most = -1n;
    for (let i = 0; i < sts.replicas; i++) {
      const u = facts.volumeUsage?.(ns, originalPvcName(volume, sts.name, i), replicaPodName(sts.name, i));
      if (u?.state === 'known' && u.usedBytes > most) most = u.usedBytes;
    }
    if (most < 0n) return [];
    return [{ label: suggestedSize(most), detail: `the most data in use on ${volume} (${formatBytes(most)}) plus 25 %`, range }];
  }
  return [];
}
