/**
 * Issue 16 item 2: one bad file never aborts `kvstorage lint`. Each reproducer (a binary `.yaml`, a Latin-1 one, one
 * over the size limit, a file symbolic-link loop, a dangling link, one the user may not read) is a `file-unreadable`
 * error finding with its reason, in every format; the other files' findings are all printed; the exit status is 1.
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeSourceText, firstInvalidUtf8 } from '../../core/sourceText.js';
import { ensureBuilt, repoRoot, runCli } from './runCli.js';
import { junitErrors } from './junitSchema.js';
import { sarifErrors } from './sarifSchema.js';

let dir = '';
const asRoot = process.getuid?.() === 0;

interface JsonOut {
  findings: Array<{ file: string; rule: string; severity: string; message: string; data?: Record<string, string> }>;
}

before(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'kvstorage-unreadable-'));
  copyFileSync(path.join(repoRoot, 'test/cli/fixtures/exceeded.yaml'), path.join(dir, 'a-exceeded.yaml'));
  copyFileSync(path.join(repoRoot, 'test/cli/fixtures/too-small.yaml'), path.join(dir, 'z-too-small.yaml'));
  writeFileSync(path.join(dir, 'binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
  writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('kind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1'));
  writeFileSync(path.join(dir, 'huge.yaml'), '');
  truncateSync(path.join(dir, 'huge.yaml'), 50 * 1024 * 1024 + 1); // sparse: costs no disk
  symlinkSync(path.join(dir, 'loop-b.yaml'), path.join(dir, 'loop-a.yaml'));
  symlinkSync(path.join(dir, 'loop-a.yaml'), path.join(dir, 'loop-b.yaml'));
  symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'dangling.yaml'));
  writeFileSync(path.join(dir, 'locked.yaml'), 'kind: ConfigMap\n');
  chmodSync(path.join(dir, 'locked.yaml'), 0o000);
});
after(() => {
  if (dir) {
    chmodSync(path.join(dir, 'locked.yaml'), 0o600);
    rmSync(dir, { recursive: true, force: true });
  }
});

const expected: Record<string, RegExp> = {
  'binary.yaml': /^a binary file \(it holds NUL bytes\)/,
  'dangling.yaml': /^no such file or directory$/,
  'huge.yaml': /^larger than 50 MiB/,
  'latin1.yaml': /^not valid UTF-8 text \(the first bad byte is at offset 36\)$/,
  'loop-a.yaml': /link loop/,
  'loop-b.yaml': /link loop/,
  ...(asRoot ? {} : { 'locked.yaml': /^permission denied$/ }),
};

describe('kvstorage lint: a file that cannot be read is a finding, the rest is linted', () => {
  it('JSON: one file-unreadable error per bad file with its reason, every other finding, exit 1', () => {
    const r = runCli(['lint', '--format', 'json', dir]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as JsonOut;
    const unreadable = out.findings.filter((f) => f.rule === 'file-unreadable');
    const shown = (f: { file: string }) => path.basename(f.file);
    assert.deepEqual(unreadable.map(shown).sort(), Object.keys(expected).sort());
    for (const f of unreadable) {
      assert.equal(f.severity, 'error');
      assert.match(f.data?.reason ?? '', expected[shown(f)]!, shown(f));
      assert.equal(f.message, `cannot read ${f.file}: ${f.data?.reason}`);
    }
    const others = out.findings.filter((f) => f.rule !== 'file-unreadable').map((f) => `${shown(f)} ${f.rule}`);
    assert.deepEqual(others, ['a-exceeded.yaml restore-size-exceeded', 'z-too-small.yaml restore-size-too-small']);
    // Listed in file order: the unreadable files where they lie between the others.
    const order = out.findings.map(shown);
    assert.deepEqual(order, [...order].sort());
  });

  it('text, SARIF and JUnit carry the finding too, and the reports stay valid', () => {
    const text = runCli(['lint', dir]);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /binary\.yaml:1:1: error file-unreadable: cannot read .*binary\.yaml: a binary file/);
    assert.match(text.stdout, /a-exceeded\.yaml:\d+:\d+: warning restore-size-exceeded/);
    const sarif = runCli(['lint', '--format', 'sarif', dir]);
    assert.equal(sarif.status, 1);
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string }>; artifacts: Array<{ location: { uri: string } }> }> };
    assert.deepEqual(sarifErrors(log), []);
    assert.ok(log.runs[0]!.results.some((x) => x.ruleId === 'file-unreadable'));
    assert.ok(log.runs[0]!.artifacts.some((a) => a.location.uri.endsWith('binary.yaml')));
    const junit = runCli(['lint', '--format', 'junit', dir]);
    assert.equal(junit.status, 1);
    assert.deepEqual(junitErrors(junit.stdout), []);
    assert.match(junit.stdout, /<testsuite name="[^"]*binary\.yaml"[^>]*failures="1"/);
  });

  it('standard input that is binary is a finding of <stdin>', () => {
    const r = runCli(['lint', '--format', 'json', '-', path.join(dir, 'a-exceeded.yaml')], { input: '\u0000\u0001\u0002' });
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.deepEqual(out.findings.map((f) => `${path.basename(f.file)} ${f.rule}`), ['<stdin> file-unreadable', 'a-exceeded.yaml restore-size-exceeded']);
  });

  it('--disable file-unreadable drops the findings, not the others', () => {
    const r = runCli(['lint', '--format', 'json', '--disable', 'file-unreadable', dir]);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.ok(!out.findings.some((f) => f.rule === 'file-unreadable'));
    assert.equal(out.findings.length, 2);
  });

  it('a folder with only a bad file is not "without YAML"', () => {
    const only = path.join(dir, 'only');
    mkdirSync(only);
    writeFileSync(path.join(only, 'x.yaml'), Buffer.from([0, 0, 0]));
    const r = runCli(['lint', only]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /x\.yaml:1:1: error file-unreadable/);
  });
});

describe('decodeSourceText', () => {
  it('drops a BOM, refuses NUL bytes and bad UTF-8, naming the offset', () => {
    assert.deepEqual(decodeSourceText(Buffer.from('\uFEFFkind: x\n')), { ok: true, text: 'kind: x\n' });
    assert.deepEqual(decodeSourceText(Buffer.from('kind: \u00e9\n')), { ok: true, text: 'kind: \u00e9\n' });
    assert.equal(decodeSourceText(Buffer.from([0x61, 0x00])).ok, false);
    assert.deepEqual(decodeSourceText(Buffer.from([0x61, 0x62, 0xff])), { ok: false, reason: 'not valid UTF-8 text (the first bad byte is at offset 2)' });
  });

  it('finds the first bad byte as a strict UTF-8 decoder does: overlongs, surrogates, truncated sequences', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x62], 2],
      [[0xc0, 0x80], 0], // overlong NUL
      [[0xe0, 0x80, 0x80], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x61, 0xe2, 0x82], 1], // truncated
      [[0xe2, 0x82, 0xac, 0xff], 3],
      [[0xf0, 0x9f, 0x98, 0x80], 4],
    ];
    for (const [bytes, at] of cases) {
      assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), at, bytes.map((b) => b.toString(16)).join(' '));
      let strict = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      } catch {
        strict = false;
      }
      assert.equal(strict, at === bytes.length, 'agrees with TextDecoder on validity');
    }
  });
});
