/** core/findingObjects: which object each finding is on (the CLI's JUnit test cases). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsByObject } from '../../core/findingObjects.js';
import { analyze } from '../../core/workspace.js';
import type { SourceFile } from '../../core/types.js';

const pvc = (name: string, size: string, ns?: string): string => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: ${size}}}
`;

const text = [
  pvc('a', '20MB', 'vms'),
  `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: b}
    spec: {resources: {requests: {storage: 1 Gi}}}
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: c}
    spec: {resources: {requests: {storage: 5XB}}}
`,
  'kind: [unclosed\n',
  pvc('a', '3QQ', 'vms'),
  pvc('ok', '1Gi'),
].join('---\n');

const file: SourceFile = { file: 'm.yaml', text };

test('findings grouped by resource (List items apart), else by document; equal names told apart', () => {
  const findings = analyze([file]);
  const groups = findingsByObject(file, findings);
  assert.deepEqual(
    groups.map((g) => `${g.label}: ${g.findings.map((f) => f.rule).join(',')}`),
    [
      'PersistentVolumeClaim vms/a (document 1): invalid-quantity',
      'PersistentVolumeClaim b: invalid-quantity',
      'PersistentVolumeClaim c: invalid-quantity',
      'document 3: yaml-syntax',
      'PersistentVolumeClaim vms/a (document 4): invalid-quantity',
    ],
  );
  assert.equal(groups.flatMap((g) => g.findings).length, findings.length, 'every finding in one group');
});

test('no findings: no objects', () => {
  assert.deepEqual(findingsByObject(file, []), []);
});
