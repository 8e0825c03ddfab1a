/** Findings on kubectl kustomize's output mapped back to the kustomization's files: same kind and name (prefixes too), same field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapRenderedFindings } from '../../core/kustomizeMap.js';
import { analyze } from '../../core/workspace.js';

const base = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  resources:
    requests:
      storage: 20MB
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: logs
spec:
  resources:
    requests:
      storage: 1Gi
`;
const rendered = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: prod-data
  namespace: prod
spec:
  resources:
    requests:
      storage: 20MB
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: prod-logs
  namespace: prod
spec:
  resources:
    requests:
      storage: 1Gi
    limits:
      storage: 1MB
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: generated
spec:
  resources:
    requests:
      storage: 3MB
`;

test('a finding on a field the source has maps to that field; one a patch added maps to the object; an unknown object stays', () => {
  const out = { file: 'overlay (kubectl kustomize)', text: rendered };
  const findings = analyze([out]);
  assert.equal(findings.length, 3);
  assert.ok(findings.every((f) => f.fixes && f.fixes.length > 0), 'the rendered findings have fixes');
  const mapped = mapRenderedFindings(findings, out, [{ file: 'base/pvc.yaml', text: base }, { file: 'base/kustomization.yaml', text: 'resources: [pvc.yaml]\n' }], 'kubectl kustomize overlay');
  assert.deepEqual(mapped.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.character}`), ['base/pvc.yaml:7:15', 'base/pvc.yaml:12:8', 'overlay (kubectl kustomize):29:15']);
  assert.match(mapped[0]!.message, /\(as rendered by kubectl kustomize overlay\)$/);
  assert.equal(mapped[0]!.fixes, undefined, 'fixes edit the rendered text: dropped');
  assert.ok(mapped[2]!.fixes, 'an unmapped finding keeps its fixes');
});
