/**
 * `kvstorage lint` in worker threads prints exactly what one thread prints: findings in file order, the first
 * definition of an object in file order winning across the workers' shares, a large file cut into pieces with
 * its line and document numbers intact, datamover files checked beside them, files that cannot be read listed where
 * they lie, every output format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateBundle } from '../../bench/generate.js';
import { docs, pvc, snapshot, storageClass } from '../unit/rules/helpers.js';
import { parallelBytes, parallelFiles, threadsFor } from '../../cli/lintParallel.js';
import { ensureBuilt, runCli } from './runCli.js';

test('lint --jobs 3 gives the output of --jobs 1, byte for byte, in every format', { timeout: 120_000 }, () => {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'kvstorage-jobs-'));
  try {
    // A large file (cut into pieces), with a broken document late in it and a snapshot defined twice.
    const big = generateBundle(7, 2200).text;
    const cut = big.indexOf('\n---\n', Math.floor(big.length * 0.8)) + 1;
    writeFileSync(path.join(dir, 'a-big.yaml'), `${big.slice(0, cut)}---\nbroken: [\n${big.slice(cut)}---\n${snapshot('dup', '1Gi')}`);
    // Many small files: restores whose snapshots are in other files (some in the large one), a duplicate.
    for (let i = 0; i < 700; i++) {
      const text = i % 3 === 0 ? snapshot(`s${i}`, '20Mi') : pvc({ name: `p${i}`, snap: i % 5 === 0 ? 'dup' : `s${i - (i % 3)}`, size: i % 7 === 0 ? '21Mi' : '20Mi', storageClass: 'nas' });
      writeFileSync(path.join(dir, `m${String(i).padStart(4, '0')}.yaml`), text);
    }
    writeFileSync(path.join(dir, 'm0001-classes.yaml'), docs(storageClass('nas', 'csi.trident.netapp.io'), snapshot('dup', '20Mi')));
    // Files that cannot be read, among the others and last: listed where they lie whichever thread read their neighbours.
    writeFileSync(path.join(dir, 'm0350-binary.yaml'), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(dir, 'zz-latin1.yml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    mkdirSync(path.join(dir, 'cluster1-kubevirt-datamover', 'manifests', 'vms', 'vm1'), { recursive: true });
    writeFileSync(path.join(dir, 'cluster1-kubevirt-datamover', 'manifests', 'vms', 'vm1', 'index.json'), '{"notAnIndex": true}\n');
    for (const format of ['json', 'text', 'sarif', 'junit']) {
      const one = runCli(['lint', '--jobs', '1', '--format', format, dir]);
      const three = runCli(['lint', '--jobs', '3', '--format', format, dir]);
      assert.equal(three.status, one.status, `${format}: exit status`);
      assert.equal(three.stderr, one.stderr, `${format}: stderr`);
      assert.equal(three.stdout, one.stdout, `${format}: stdout`);
    }
    // Two threads: this one and one worker (the default on four CPUs); written as it comes, still one JSON value.
    const one = runCli(['lint', '--jobs', '1', '--format', 'json', dir]);
    const two = runCli(['lint', '--jobs', '2', '--format', 'json', dir]);
    assert.equal(two.stdout, one.stdout, 'json: --jobs 2');
    assert.equal(two.stderr, one.stderr);
    const json = JSON.parse(two.stdout) as { findings: { file: string; rule: string; message: string }[] };
    assert.ok(json.findings.some((f) => f.rule === 'yaml-syntax' && f.file.endsWith('a-big.yaml')), 'the broken document is reported');
    assert.ok(json.findings.length > 300);
    const unreadable = json.findings.flatMap((f, i) => (f.rule === 'file-unreadable' ? [[path.basename(f.file), i]] : []));
    assert.deepEqual(unreadable.map(([file]) => file), ['m0350-binary.yaml', 'zz-latin1.yml']);
    assert.equal(unreadable[1]![1], json.findings.length - 1, 'the last file met is listed last');
    const at = Number(unreadable[0]![1]);
    const binary = json.findings[at]!.file;
    assert.ok(json.findings.slice(0, at).every((f) => f.file < binary) && json.findings.slice(at + 1).every((f) => f.file > binary), 'the binary file is listed between its neighbours');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lint threads by default: one per two CPUs, up to 8, for 500 files or 2 MB; --jobs as given', () => {
  assert.deepEqual([1, 2, 3, 4, 8, 16, 64].map((cpus) => threadsFor(10_000, 0, undefined, cpus)), [1, 1, 1, 2, 4, 8, 8]);
  assert.equal(threadsFor(parallelFiles - 1, parallelBytes - 1, undefined, 8), 1, 'small input: this thread alone');
  assert.equal(threadsFor(1, parallelBytes, undefined, 8), 4, 'one large file');
  assert.equal(threadsFor(3, 10, 3, 2), 3, '--jobs wins');
});

test('lint --jobs refuses what is not a thread count', () => {
  ensureBuilt();
  const r = runCli(['lint', '--jobs', '0', 'examples']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /invalid --jobs '0'/);
});
