/**
 * Bad input on the commands a user types: kubeconfigs that are folders, empty, binary, broken or point at a server
 * that is not a URL; --config files of the same kinds; manifests create-pvc cannot render from; flags that exclude
 * each other. Each is one clear line naming the file or flag, exit 2, nothing on stdout and no stack trace.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, runCli } from './runCli.js';

let tmp = '';
const file = (name: string) => path.join(tmp, name);

/** A kubeconfig whose only cluster's server is `server` (nothing listens: none of these gets that far). */
const kubeconfigWith = (server: string) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: ${JSON.stringify(server)}}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
users:
- name: u
  user: {token: abc}
`;

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-bad-'));
  mkdirSync(file('folder'));
  mkdirSync(file('no-yaml'));
  writeFileSync(file('no-yaml/readme.txt'), 'no manifests here\n');
  writeFileSync(file('empty'), '');
  writeFileSync(file('comments'), '# only\n# comments\n');
  // NUL bytes and bytes YAML cannot show: a parser's excerpt of them is noise on a terminal.
  writeFileSync(file('binary'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x3a, 0x7b, 0x0a, 0x00, 0x9c]));
  writeFileSync(file('broken'), 'apiVersion: v1\nkind: Config\nclusters: [\n  broken\n');
  writeFileSync(file('list'), '- a\n- b\n');
  writeFileSync(file('not-a-url'), kubeconfigWith('not a url'));
  writeFileSync(file('ftp'), kubeconfigWith('ftp://cluster.example'));
  writeFileSync(file('refused'), kubeconfigWith('https://127.0.0.1:1'));
  writeFileSync(file('config-broken.yaml'), 'rules: {');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `args`; expects exit 2, `stderr` one line (or `lines`) matching `pattern`, no stack trace, empty stdout. */
function refused(args: string[], pattern: RegExp, lines = 1): string {
  const r = runCli(args, { cwd: tmp });
  assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stdout, '', args.join(' '));
  assert.doesNotMatch(r.stderr, /^\s+at /m, `a stack trace: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trimEnd().split('\n').length, lines, `${lines} line(s):\n${r.stderr}`);
  return r.stderr;
}

describe('kvstorage: a kubeconfig that cannot be one', () => {
  it('a folder, an empty file and one of only comments say so, naming the file', () => {
    refused(['doctor', '--kubeconfig', 'folder'], /^kvstorage doctor: kubeconfig folder cannot be read: it is a directory, not a file$/m);
    refused(['doctor', '--kubeconfig', 'empty'], /^kvstorage doctor: kubeconfig empty cannot be read: it is empty \(no clusters, contexts or users\)$/m);
    refused(['lint', '--kubeconfig', 'comments', 'empty'], /^kvstorage lint: kubeconfig comments cannot be read: it is empty/m);
  });

  it('a binary file is one line, not its bytes; broken YAML is the parser\'s first line, not its excerpt', () => {
    refused(['doctor', '--kubeconfig', 'binary'], /^kvstorage doctor: kubeconfig binary cannot be read: a binary file \(it holds NUL bytes\)$/m);
    refused(['status', 'webhook', '--kubeconfig', 'broken'], /^kvstorage status webhook: kubeconfig broken cannot be read: unexpected end of the stream within a flow collection \(5:1\)$/m);
    refused(['doctor', '--kubeconfig', 'list'], /kubeconfig list cannot be read: it is not a kubeconfig/);
  });

  it('a server that is not an http(s) URL is named, before any request (it was a TypeError and its stack)', () => {
    refused(['plan', 'webhook', '--kubeconfig', 'not-a-url'], /^kvstorage plan webhook: cluster "c" of context "ctx" in kubeconfig \(not-a-url\) has server "not a url", not an https:\/\/ or http:\/\/ URL$/m);
    refused(['apply', 'webhook', '--yes', '--kubeconfig', 'ftp'], /^kvstorage apply webhook: .* has server "ftp:\/\/cluster\.example", not an https/m);
    refused(['doctor', '--kubeconfig', 'not-a-url'], /^kvstorage doctor: .*not a url/m);
  });

  it('the cluster\'s failures are said under the command that met them', () => {
    refused(['resize', 'status', 'x', '--kubeconfig', 'refused'], /^kvstorage resize status: get the server version of context "ctx": cannot reach https:\/\/127\.0\.0\.1:1/m);
    refused(['create-pvc', '--name', 'a', '--size', '1Gi', '--yes', '--kubeconfig', 'empty'], /^kvstorage create-pvc: kubeconfig empty cannot be read/m);
    refused(['gcp-images', 'detect', '--kubeconfig', 'folder'], /^kvstorage gcp-images: kubeconfig folder cannot be read/m);
  });
});

describe('kvstorage: --config files, create-pvc inputs and flags', () => {
  it('--config: a folder is not "no such file"; a binary or broken file stops the run without "ignoring the file"', () => {
    refused(['lint', '--config', 'folder', 'empty'], /^kvstorage lint: cannot read --config 'folder': it is a directory/m);
    refused(['lint', '--config', 'binary', 'empty'], /^kvstorage lint: cannot read 'binary': a binary file/m);
    const broken = refused(['doctor', '--config', 'config-broken.yaml', '--kubeconfig', 'refused'], /^kvstorage doctor: config-broken\.yaml: not valid YAML/m);
    assert.doesNotMatch(broken, /ignoring the file/);
  });

  it('create-pvc -o yaml: a file it cannot read or a folder without manifests is refused, not rendered without', () => {
    refused(['create-pvc', '--name', 'a', '--size', '1Gi', '-o', 'yaml', 'binary', 'comments'], /^kvstorage create-pvc: cannot read 'binary': a binary file/m);
    refused(['create-pvc', '--name', 'a', '--size', '1Gi', '-o', 'yaml', 'no-yaml'], /^kvstorage create-pvc: no \.yaml or \.yml files in 'no-yaml'$/m);
  });

  it('resize list: -n with -A is refused before connecting; a negative --timeout is a bad value, not a missing one', () => {
    refused(['resize', 'list', '-A', '-n', 'vms', '--kubeconfig', 'refused'], /^kvstorage resize list: -n\/--namespace and -A\/--all-namespaces exclude each other$/m, 2);
    refused(['lint', '--timeout', '-1', '--kubeconfig', 'refused', 'empty'], /^kvstorage lint: invalid --timeout '-1' \(expected seconds/m, 2);
  });
});
