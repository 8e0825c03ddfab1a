/** Test helpers: analyse YAML text, apply a fix's edits, and re-analyse. */
import assert from 'node:assert/strict';
import { analyze } from '../../../core/workspace.js';
import type { Finding, Fix, Position, Settings } from '../../../core/types.js';
import { defaultSettings } from '../../../core/types.js';

export const file = 'test.yaml';

export function lint(text: string, settings: Partial<Settings> = {}, extra: Record<string, string> = {}): Finding[] {
  const files = [{ file, text }, ...Object.entries(extra).map(([f, t]) => ({ file: f, text: t }))];
  return analyze(files, { ...defaultSettings, ...settings }).filter((f) => f.file === file);
}

export function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

export function one(findings: Finding[], rule: string): Finding {
  const found = only(findings, rule);
  assert.equal(found.length, 1, `expected one ${rule}, got ${found.length}: ${JSON.stringify(findings.map((f) => f.rule))}`);
  return found[0]!;
}

function offsetOf(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const nl = text.indexOf('\n', offset);
    assert.ok(nl >= 0, `line ${p.line} beyond the text`);
    offset = nl + 1;
  }
  return offset + p.character;
}

export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offsetOf(out, e.range.start)) + e.newText + out.slice(offsetOf(out, e.range.end));
  return out;
}

/** The text a finding's range covers. */
export function textAt(text: string, f: Finding): string {
  return text.slice(offsetOf(text, f.range.start), offsetOf(text, f.range.end));
}

export const snapshot = (name: string, restoreSize: string | undefined, ns = 'default', ready = true) => `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  source:
    persistentVolumeClaimName: src
${restoreSize === undefined ? '' : `status:\n  readyToUse: ${ready}\n  restoreSize: ${restoreSize}\n`}`;

export interface PvcOptions {
  name?: string;
  ns?: string;
  size?: string;
  snap?: string;
  via?: 'dataSource' | 'dataSourceRef' | 'both';
  refNamespace?: string;
  labelled?: boolean;
  storageClass?: string;
  volumeMode?: string;
  accessModes?: string;
}

export const pvc = (o: PvcOptions = {}) => {
  const ref = (key: string) =>
    `  ${key}:\n    apiGroup: snapshot.storage.k8s.io\n    kind: VolumeSnapshot\n    name: ${o.snap ?? 'snap'}\n` +
    (key === 'dataSourceRef' && o.refNamespace ? `    namespace: ${o.refNamespace}\n` : '');
  const via = o.via ?? 'dataSource';
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${o.name ?? 'restore'}
  namespace: ${o.ns ?? 'default'}
${o.labelled ? '  labels:\n    app: vm\n    cdi.kubevirt.io/applyStorageProfile: "true"\n' : ''}spec:
${o.accessModes ? `  accessModes: ${o.accessModes}\n` : ''}${o.volumeMode ? `  volumeMode: ${o.volumeMode}\n` : ''}${o.storageClass !== undefined ? `  storageClassName: ${o.storageClass}\n` : ''}  resources:
    requests:
      storage: ${o.size ?? '20Mi'}
${via === 'both' ? ref('dataSource') + ref('dataSourceRef') : ref(via)}`;
};

export const storageClass = (name: string, provisioner: string, annotations = '') => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}` : ''}provisioner: ${provisioner}
`;

export const docs = (...parts: string[]) => parts.join('---\n');

/** A PVC named `name` asking for `size` (no data source); `extra` goes under metadata (labels, annotations). */
export const namedPvc = (name: string, size: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
${extra}spec:
  resources:
    requests:
      storage: ${size}
`;
