/**
 * The built CLI: `kvstorage rules`, `.kvstorage.yaml` (found upward, `--config`, flags beat it, mistakes exit 2),
 * suppressions in the manifests, Helm templates skipped with one finding, and `--kustomize` (a stand-in kubectl
 * on the PATH prints a fixed render; the real kubectl too when installed).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ruleCatalog } from '../../core/rules/catalog.js';
import { namedPvc } from '../unit/rules/helpers.js';
import { ensureBuilt, runCli } from './runCli.js';

const pvc = namedPvc;

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

const json = (stdout: string): Array<{ file: string; rule: string; severity: string; message: string; range: { start: { line: number } } }> => JSON.parse(stdout).findings;

describe('kvstorage rules, .kvstorage.yaml, suppressions, Helm and Kustomize', () => {
  let root: string;
  before(() => {
    ensureBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'kvs-cli-ux-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const dir = (name: string, files: Record<string, string>): string => {
    const d = path.join(root, name);
    write(d, files);
    return d;
  };

  test('rules: one line per catalogued rule; a page per id; JSON with the page path; an unknown id exits 2', () => {
    const list = runCli(['rules']);
    assert.equal(list.status, 0);
    const lines = list.stdout.trim().split('\n');
    for (const r of ruleCatalog) assert.ok(lines.some((l) => l.startsWith(`${r.id} `) && l.includes(r.defaultSeverity) && l.endsWith(r.title)), r.id);
    assert.match(list.stdout, new RegExp(`${ruleCatalog.length} rules\\. 'kvstorage rules <id>' prints a rule's page`));
    const page = runCli(['rules', 'cdi-restore-inflation']);
    assert.equal(page.status, 0);
    assert.match(page.stdout, /^# `cdi-restore-inflation`: .*\n\n## What\n[\s\S]*## Fix\n[\s\S]*webhook/);
    const out = JSON.parse(runCli(['rules', '-f', 'json']).stdout) as { rules: Array<{ id: string; page: string; defaultSeverity: string }> };
    assert.deepEqual(out.rules.map((r) => r.id), ruleCatalog.map((r) => r.id));
    assert.ok(out.rules.every((r) => r.page.endsWith(path.join('media', 'rules', `${r.id}.md`))));
    const bad = runCli(['rules', 'no-such-rule']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /kvstorage rules: unknown rule 'no-such-rule' \(rules: yaml-syntax, /);
  });

  test('.kvstorage.yaml: found from a subfolder; rules off and severities; flags beat it; --config names another', () => {
    const repo = dir('repo', {
      '.kvstorage.yaml': 'rules:\n  invalid-quantity: warning\nstrictProvisioners: []\n',
      'apps/pvc.yaml': pvc('a', '1MB'),
      'other.yaml': 'rules:\n  invalid-quantity: off\n',
    });
    const nested = runCli(['lint', '-f', 'json', '.'], { cwd: path.join(repo, 'apps') });
    assert.equal(nested.status, 0, 'a warning does not fail the run');
    assert.deepEqual(json(nested.stdout).map((f) => [f.rule, f.severity]), [['invalid-quantity', 'warning']]);
    const enabled = runCli(['lint', '-f', 'json', '--fail-on', 'warning', '.'], { cwd: path.join(repo, 'apps') });
    assert.equal(enabled.status, 1);
    const off = runCli(['lint', '-f', 'json', '--config', 'other.yaml', 'apps'], { cwd: repo });
    assert.deepEqual(json(off.stdout), []);
    const flagged = runCli(['lint', '-f', 'json', '--config', 'other.yaml', '--enable', 'invalid-quantity', 'apps'], { cwd: repo });
    assert.deepEqual(json(flagged.stdout).map((f) => f.rule), ['invalid-quantity'], '--enable beats the file');
  });

  test('.kvstorage.yaml: a mistake names the file and field and exits 2; a missing --config too', () => {
    const repo = dir('broken', { '.kvstorage.yaml': 'rules:\n  restore-size-exceded: off\n', 'pvc.yaml': pvc('a', '1Gi') });
    const r = runCli(['lint', '.'], { cwd: repo });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'kvstorage lint: .kvstorage.yaml: rules.restore-size-exceded: unknown rule (`kvstorage rules` lists them)\n');
    const missing = runCli(['lint', '--config', 'nope.yaml', '.'], { cwd: repo });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read --config 'nope.yaml': no such file/);
  });

  test('suppressions: the annotation and a trailing comment hide findings; the others still report', () => {
    const d = dir('suppressed', {
      'pvcs.yaml': [
        pvc('quiet', '1MB', '  annotations:\n    kubevirt-storage.io/ignore: invalid-quantity\n'),
        pvc('commented', '1MB  # kvstorage-ignore invalid-quantity'),
        pvc('loud', '1MB'),
      ].join('---\n'),
    });
    const r = runCli(['lint', '-f', 'json', '.'], { cwd: d });
    assert.equal(r.status, 1);
    assert.deepEqual(json(r.stdout).map((f) => [f.rule, f.message.split(' ')[1]]), [['invalid-quantity', 'loud']]);
  });

  test('Helm: a template is one info finding, not YAML errors; the rule can be turned off', () => {
    const d = dir('chart', {
      'templates/pvc.yaml': pvc('{{ .Release.Name }}', '{{ .Values.size }}').replace('metadata:\n  name: {{ .Release.Name }}', 'metadata:\n  name: {{ .Release.Name }}\n{{- if .Values.labels }}\n  labels: {{ toYaml .Values.labels | nindent 4 }}\n{{- end }}'),
      'values.yaml': 'size: 1Gi\n',
    });
    const r = runCli(['lint', '-f', 'json', '.'], { cwd: d });
    assert.equal(r.status, 0);
    assert.deepEqual(json(r.stdout).map((f) => [f.file, f.rule, f.severity, f.range.start.line]), [['templates/pvc.yaml', 'helm-template', 'info', 3]]);
    const off = runCli(['lint', '-f', 'json', '--disable', 'helm-template', '.'], { cwd: d });
    assert.deepEqual(json(off.stdout), []);
  });

  test('--kustomize: the render is linted and findings map back to the base; without kubectl it says so (exit 2)', () => {
    const d = dir('kustomize', {
      'base/kustomization.yaml': 'resources:\n  - pvc.yaml\n',
      'base/pvc.yaml': pvc('data', '20MB'),
      'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nnamespace: prod\nresources:\n  - ../../base\n',
    });
    // A stand-in kubectl that renders as kustomize would (the prefix and namespace applied).
    const bin = path.join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    const rendered = pvc('prod-data', '20MB').replace('  name: prod-data\n', '  name: prod-data\n  namespace: prod\n');
    writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\n[ "$1" = kustomize ] || exit 3\ncat <<'EOF'\n${rendered}EOF\n`);
    chmodSync(path.join(bin, 'kubectl'), 0o755);
    const r = runCli(['lint', '-f', 'json', '--kustomize', 'overlays/prod'], { cwd: d, env: { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` } });
    assert.equal(r.status, 1, r.stderr);
    const [f, ...rest] = json(r.stdout);
    assert.deepEqual(rest, []);
    assert.equal(f?.file, 'base/pvc.yaml');
    assert.equal(f?.range.start.line, 7);
    assert.match(f!.message, /prod-data .* \(as rendered by kubectl kustomize overlays\/prod\)$/);
    const none = runCli(['lint', '--kustomize', 'overlays/prod'], { cwd: d, env: { PATH: path.join(root, 'empty') } });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--kustomize needs kubectl on the PATH, and it is not there: install kubectl, or render yourself \(kustomize build overlays\/prod \| kvstorage lint -\)/);
  });

  test('--kustomize with the real kubectl, when it is installed', (t) => {
    if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) {
      t.skip('kubectl is not on the PATH (the stand-in test above covers the plumbing)');
      return;
    }
    const d = path.join(root, 'kustomize');
    const r = runCli(['lint', '-f', 'json', '--kustomize', 'overlays/prod'], { cwd: d });
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(json(r.stdout).map((f) => `${f.file}:${f.range.start.line} ${f.rule}`), ['base/pvc.yaml:7 invalid-quantity']);
  });
});
