/**
 * Issue 16 item 1 as a user hits it: `kvstorage lint` over manifests naming things after Object.prototype
 * properties exits normally with the findings a harmless name gets (it used to exit 2 with an internal error
 * and no output, losing every other file's findings).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { asBenign, benign, hostileCorpusDir, manifestsNaming, prototypeNames } from '../hostile.js';
import { ensureBuilt, repoRoot, runCli } from './runCli.js';

interface JsonOut {
  findings: Array<{ file: string; rule: string; severity: string; message: string; range: { start: { line: number } }; data?: Record<string, string> }>;
}

let tmp = '';
before(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-hostile-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('kvstorage lint: Object.prototype names in manifests', () => {
  it("the issue's reproducer from stdin: no findings, exit 0", () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const r = runCli(['lint', '--format', 'json', '-'], { input: `apiVersion: v1\nkind: ${kind}\n` });
      assert.deepEqual([r.status, r.stderr, JSON.parse(r.stdout)], [0, '', { findings: [] }], kind);
    }
  });

  it('the regression corpus: the findings of what it holds, exit 1', () => {
    const r = runCli(['lint', '--format', 'json', '--strict-provisioner', 'csi.trident.netapp.io', path.relative(repoRoot, hostileCorpusDir)]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const found = (JSON.parse(r.stdout) as JsonOut).findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.rule} ${f.severity}`);
    assert.deepEqual(found.sort(), ['list-items.yaml:17 invalid-quantity error', 'names.yaml:39 cdi-restore-inflation error', 'names.yaml:45 restore-size-exceeded error']);
  });

  it('every Object.prototype name in every place: each file gets the findings of a harmless name', () => {
    writeFileSync(path.join(tmp, `${benign}.yaml`), manifestsNaming(benign));
    prototypeNames.forEach((name, i) => writeFileSync(path.join(tmp, `name-${i}.yaml`), manifestsNaming(name)));
    const r = runCli(['lint', '--format', 'json', '--strict-provisioner', 'csi.trident.netapp.io', tmp]);
    assert.equal(r.status, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as JsonOut).findings;
    // One CDIConfig, StorageClass, ... per file: the files' facts differ only by name, so each file reads the same.
    const of = (file: string, name: string) =>
      findings.filter((f) => path.basename(f.file) === file).map((f) => asBenign(`${f.range.start.line} ${f.rule} ${f.severity} ${f.message}`, name));
    const expected = of(`${benign}.yaml`, benign);
    assert.ok(expected.some((f) => f.includes('restore-size-exceeded')), expected.join('\n'));
    prototypeNames.forEach((name, i) => assert.deepEqual(of(`name-${i}.yaml`, name), expected, name));
  });

  it('`kvstorage help constructor` is an unknown command (it crashed)', () => {
    const r = runCli(['help', 'constructor']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'constructor'/);
  });
});
