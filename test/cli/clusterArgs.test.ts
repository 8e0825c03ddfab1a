/** The cluster options of `kvstorage doctor` and `kvstorage lint`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDoctorArgs } from '../../cli/doctor.js';
import { parseLintArgs } from '../../cli/lint.js';

describe('doctor arguments', () => {
  it('defaults: text, the context namespace, 30 s, the default strict list', () => {
    assert.deepEqual(parseDoctorArgs([]), { kind: 'options', options: { format: 'text', allNamespaces: false, timeoutMs: 30_000 } });
  });

  it('reads every option, in both --x v and --x=v forms, and the short -n and -A', () => {
    const parsed = parseDoctorArgs(['--kubeconfig', 'kc.yaml', '--context=prod', '-n', 'vms', '--format=sarif', '--cdi-version', 'v1.63.1',
      '--strict-provisioner', 'a.csi', '--strict-provisioner=b.csi', '--timeout', '2.5']);
    assert.deepEqual(parsed, {
      kind: 'options',
      options: {
        format: 'sarif', kubeconfig: 'kc.yaml', context: 'prod', namespace: 'vms', allNamespaces: false,
        cdiVersion: 'v1.63.1', strictProvisioners: ['a.csi', 'b.csi'], timeoutMs: 2500,
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
    assert.match(message(['--timeout', '-1']), /needs a value/);
    assert.match(message(['--timeout=abc']), /invalid --timeout/);
    assert.match(message(['--timeout=0']), /invalid --timeout/);
    assert.match(message(['--kubeconfig']), /needs a value/);
    assert.match(message(['--kubeconfig=']), /needs a file/);
    assert.match(message(['--bogus']), /unknown option '--bogus'/);
    assert.match(message(['file.yaml']), /unexpected argument/);
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
