import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDatamover } from '../../../core/datamover/decode.js';
import type { VmIndex } from '../../../core/datamover/types.js';
import { Workspace, analyze } from '../../../core/workspace.js';
import { defaultSettings } from '../../../core/types.js';

const file = 'p-kubevirt-datamover/checkpoints/vms/vm1/index.json';

function index(text: string): { doc: VmIndex | undefined; rules: string[]; messages: string[] } {
  const d = decodeDatamover(file, text, 'vm-index');
  return { doc: d.doc as VmIndex | undefined, rules: d.findings.map((f) => f.rule), messages: d.findings.map((f) => f.message) };
}

test("Go's encoding/json: null leaves a field empty, keys match ignoring case, unknown fields are ignored", () => {
  const r = index('{"VMName": "vm1", "namespace": null, "extra": [1], "checkpoints": [{"ID": "cp-1", "type": "full", "parent": null, "pvcs": ["a"], "pvcSizes": [10737418240], "files": [{"filename": "f", "diskName": "d", "size": 5}], "referencedBy": null}]}');
  assert.deepEqual(r.rules, []);
  assert.equal(r.doc?.vmName?.value, 'vm1');
  assert.equal(r.doc?.namespace, undefined);
  const c = r.doc!.checkpoints[0]!;
  assert.equal(c.id?.value, 'cp-1');
  assert.equal(c.parent, undefined);
  assert.deepEqual(c.pvcSizes?.map((s) => s.bytes), [10737418240n], 'a bare number is a quantity too');
  assert.equal(c.files[0]!.size?.value, 5n);
  assert.deepEqual(c.referencedBy, []);
});

test('what makes the file unreadable for the controller', () => {
  const cases: [string, string, RegExp][] = [
    ['[]', 'datamover-index-invalid', /must be a JSON object, not an array/],
    ['{"checkpoints": {}}', 'datamover-index-invalid', /checkpoints is an object; the controller wants an array/],
    ['{"checkpoints": [{"timestamp": "yesterday"}]}', 'datamover-index-invalid', /not an RFC 3339 time/],
    ['{"checkpoints": [{"pvcs": [1]}]}', 'datamover-index-invalid', /pvcs\[0\] is a number/],
    ['{"checkpoints": [{"files": [{"size": 1.5}]}]}', 'datamover-size-invalid', /must be a whole number of bytes \(int64\), not 1.5/],
    ['{"checkpoints": [{"files": [{"size": 9223372036854775808}]}]}', 'datamover-size-invalid', /int64/],
    ['{"checkpoints": [{"pvcSizes": ["10 Gi"]}]}', 'datamover-size-invalid', /contains whitespace/],
    ['{"checkpoints": [{"pvcSizes": [true]}]}', 'datamover-size-invalid', /is a boolean, not a quantity/],
    ['{"checkpoints": [], }', 'datamover-index-invalid', /not valid JSON/],
  ];
  for (const [text, rule, message] of cases) {
    const r = index(text);
    assert.deepEqual(r.rules, [rule], text);
    assert.match(r.messages[0]!, message, text);
  }
});

test('int64 sizes stay exact; a negative one is read and warned about', () => {
  const r = index('{"checkpoints": [{"files": [{"size": 9223372036854775807}, {"size": -1}]}]}');
  assert.deepEqual(r.doc!.checkpoints[0]!.files.map((f) => f.size?.value), [9223372036854775807n, -1n]);
  const d = decodeDatamover(file, '{"checkpoints": [{"files": [{"size": -1}]}]}', 'vm-index');
  assert.deepEqual(d.findings.map((f) => [f.rule, f.severity]), [['datamover-size-invalid', 'warning']]);
});

test('the Workspace routes datamover JSON to the datamover checks, and back when it stops being one', () => {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  ws.setFile(file, '{"checkpoints": [{"id": "cp-2", "type": "incremental", "parent": "cp-1"}]}');
  assert.deepEqual(ws.analyzeFile(file, options).map((f) => f.rule), ['datamover-chain-missing-checkpoint']);
  assert.ok(ws.has(file));
  // At its place in the layout, anything is an index: YAML there is an index the controller cannot read.
  ws.setFile(file, 'kind: ConfigMap\n');
  assert.deepEqual(ws.analyzeFile(file, options).map((f) => f.rule), ['datamover-index-invalid']);
  // Elsewhere, only the content decides: without the index's keys it is analysed as YAML (and finds nothing).
  const copy = 'copy/index.json';
  ws.setFile(copy, '{"checkpoints": [{"id": "cp-2", "type": "incremental", "parent": "cp-1"}]}');
  assert.deepEqual(ws.analyzeFile(copy, options).map((f) => f.rule), ['datamover-chain-missing-checkpoint']);
  ws.setFile(copy, '{"name": "something else"}');
  assert.deepEqual(ws.analyzeFile(copy, options), []);
  ws.removeFile(file);
  assert.equal(ws.has(file), false);
  // analyze() takes the local copy's sizes.
  const out = analyze([{ file, text: '{"vmName": "vm1", "namespace": "vms", "checkpoints": [{"id": "cp-1", "type": "full", "files": [{"filename": "f.qcow2", "diskName": "d", "size": 3}], "pvcs": ["p"], "pvcSizes": ["1Gi"], "referencedBy": ["b"]}]}' }], defaultSettings, undefined, undefined, undefined, { size: () => 'absent' });
  assert.deepEqual(out.map((f) => [f.rule, f.severity]), [['datamover-file-missing', 'error']]);
});
