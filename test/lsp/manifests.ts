/**
 * Manifests and text helpers for the LSP protocol tests. Every test uses its own object names: all tests share
 * one server, whose index spans every open document.
 */
import type { Range } from 'vscode-languageserver-protocol';

/** A ready VolumeSnapshot in the default namespace. */
export function volumeSnapshot(name: string, restoreSize: string): string {
  return `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: ${name}
spec:
  source:
    persistentVolumeClaimName: ${name}-source
status:
  readyToUse: true
  restoreSize: ${restoreSize}
`;
}

/** A PVC restoring the VolumeSnapshot `snapshot`. */
export function restorePvc(name: string, snapshot: string, storage: string, storageClassName?: string): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
${storageClassName ? `  storageClassName: ${storageClassName}\n` : ''}  accessModes: [ReadWriteOnce]
  dataSource:
    apiGroup: snapshot.storage.k8s.io
    kind: VolumeSnapshot
    name: ${snapshot}
  resources:
    requests:
      storage: ${storage}
`;
}

export function storageClass(name: string, provisioner: string): string {
  return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
provisioner: ${provisioner}
`;
}

/** Joins manifests into one multi-document YAML file. */
export function yamlFile(...documents: string[]): string {
  return documents.join('---\n');
}

/** The range of the first occurrence of `needle` at or after offset `from`; throws when there is none. */
export function rangeOf(text: string, needle: string, from = 0): Range {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`${JSON.stringify(needle)} not found in the test text`);
  const before = text.slice(0, offset).split('\n');
  const line = before.length - 1;
  const character = before[line]!.length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/** The number of times `needle` occurs in `text`. */
export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
