/** The cluster options of `kvstorage doctor` and `kvstorage lint`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDoctorArgs } from '../../cli/doctor.js';
import { parseLintArgs } from '../../cli/lint.js';

describe('doctor arguments', () => {
  it('defaults: text, the context namespace, 30 s, the default strict list', () => {
    assert.deepEqual(parseDoctorArgs([]), { kind: 'options', options: { format: 'text', allNamespaces: false, timeoutMs: 30_000, probe: false } });
  });

  it('reads every option, in both --x v and --x=v forms, and the short -n and -A', () => {
    const parsed = parseDoctorArgs(['--kubeconfig', 'kc.yaml', '--context=prod', '-n', 'vms', '--format=sarif', '--cdi-version', 'v1.63.1',
      '--strict-provisioner', 'a.csi', '--strict-provisioner=b.csi', '--timeout', '2.5', '--probe']);
    assert.deepEqual(parsed, {
      kind: 'options',
      options: {
        format: 'sarif', kubeconfig: 'kc.yaml', context: 'prod', namespace: 'vms', allNamespaces: false,
        cdiVersion: 'v1.63.1', strictProvisioners: ['a.csi', 'b.csi'], timeoutMs: 2500, probe: true,
      },
    });
    const all = parseDoctorArgs(['--all-namespaces', '--strict-provisioner=']);
    assert.ok(all.kind === 'options' && all.options.allNamespaces && all.options.strictProvisioners?.length === 0);
    assert.equal(parseDoctorArgs(['-h']).kind, 'help');
  });

  it('refuses what it cannot use', () => {
    const message = (argv: string[]): string => {
      const p = parseDoctorArgs(argv);
      assert.equal(p.kind, 'error', JSON.stringify(p));
      return p.kind === 'error' ? p.message : '';
    };
    assert.match(message(['-A', '-n', 'vms']), /exclude each other/);
    assert.match(message(['-n', 'Not_A_Label']), /invalid namespace/);
    assert.match(message(['--timeout', '-1']), /invalid --timeout '-1'/);
    assert.match(message(['--timeout', '--context']), /needs a value/);
    assert.match(message(['--timeout=abc']), /invalid --timeout/);
    assert.match(message(['--timeout=0']), /invalid --timeout/);
    assert.match(message(['--kubeconfig']), /needs a value/);
    assert.match(message(['--kubeconfig=']), /needs a file/);
    assert.match(message(['--bogus']), /unknown option '--bogus'/);
    assert.match(message(['file.yaml']), /unexpected argument/);
  });
});

describe('doctor arguments shared with lint', () => {
  it('-f, --fail-on, --enable/--disable and X.Y versions, as lint has them', () => {
    const parsed = parseDoctorArgs(['-f', 'junit', '--fail-on', 'warning', '--disable', 'snapshot-not-ready', '--cdi-version', '1.64']);
    assert.deepEqual(parsed, {
      kind: 'options',
      options: { format: 'junit', allNamespaces: false, timeoutMs: 30_000, probe: false, failOn: 'warning', rules: { enable: [], disable: ['snapshot-not-ready'] }, cdiVersion: '1.64' },
    });
    const p = parseDoctorArgs(['--enable', 'nope']);
    assert.ok(p.kind === 'error' && /^unknown rule 'nope' in --enable \(rules: .*vm-restore-inflation/.test(p.message), JSON.stringify(p));
  });

  it('help names the checks --enable/--disable take and the -A hint', () => {
    const p = parseDoctorArgs(['--help']);
    assert.ok(p.kind === 'help');
    assert.match(p.text, /^Usage: kvstorage doctor \[options\]\n/);
    assert.match(p.text, /Rules \(for --enable and --disable\):\n {2}vm-restore-inflation, storageprofile-incomplete, /);
    assert.match(p.text, /run with -A/);
    assert.match(p.text, /\n {2}-f, --format <format> +output format: text, json, sarif, junit \(default: text\)\n/);
  });
});

describe('lint cluster arguments', () => {
  it('--kubeconfig or --context turn the cluster on; --timeout needs one of them', () => {
    const withCluster = parseLintArgs(['--kubeconfig', 'kc.yaml', '--context=lab', '--timeout', '5', 'a.yaml']);
    assert.ok(withCluster.kind === 'options');
    assert.deepEqual(withCluster.options.cluster, { kubeconfig: 'kc.yaml', context: 'lab', timeoutMs: 5000 });
    assert.deepEqual(withCluster.options.paths, ['a.yaml']);
    const contextOnly = parseLintArgs(['--context', 'lab']);
    assert.ok(contextOnly.kind === 'options');
    assert.deepEqual(contextOnly.options.cluster, { kubeconfig: undefined, context: 'lab', timeoutMs: 30_000 });
    const offline = parseLintArgs(['a.yaml']);
    assert.ok(offline.kind === 'options' && offline.options.cluster === undefined);
    const orphan = parseLintArgs(['--timeout', '5']);
    assert.ok(orphan.kind === 'error' && /--timeout applies to a cluster/.test(orphan.message));
  });
});
