import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLintArgs } from '../../cli/lint.js';
import { defaultSettings } from '../../core/types.js';

function options(argv: string[]) {
  const parsed = parseLintArgs(argv);
  assert.equal(parsed.kind, 'options', JSON.stringify(parsed));
  return (parsed as Extract<typeof parsed, { kind: 'options' }>).options;
}

function error(argv: string[]): string {
  const parsed = parseLintArgs(argv);
  assert.equal(parsed.kind, 'error', JSON.stringify(parsed));
  return (parsed as Extract<typeof parsed, { kind: 'error' }>).message;
}

describe('lint arguments', () => {
  it('defaults to text, the default settings and no paths', () => {
    assert.deepEqual(options([]), { format: 'text', settings: { ...defaultSettings }, paths: [] });
  });

  it('reads every option, in both --x v and --x=v forms', () => {
    const o = options(['a.yaml', '--format', 'sarif', '--cdi-version=v1.63.1', '--namespace', 'vms', '-', 'dir/']);
    assert.equal(o.format, 'sarif');
    assert.equal(o.settings.cdiVersion, 'v1.63.1');
    assert.equal(o.settings.defaultNamespace, 'vms');
    assert.deepEqual(o.paths, ['a.yaml', '-', 'dir/']);
  });

  it('collects --strict-provisioner into a list that replaces the default; an empty value clears it', () => {
    assert.deepEqual(options(['--strict-provisioner', 'a.csi', '--strict-provisioner=b.csi']).settings.strictProvisioners, ['a.csi', 'b.csi']);
    assert.deepEqual(options(['--strict-provisioner=']).settings.strictProvisioners, []);
    assert.deepEqual(options([]).settings.strictProvisioners, defaultSettings.strictProvisioners);
  });

  it('accepts X.Y.Z and vX.Y.Z CDI versions only', () => {
    assert.equal(options(['--cdi-version', '1.64.0']).settings.cdiVersion, '1.64.0');
    for (const bad of ['1.64', 'v1', '1.64.0-rc1', 'latest', '']) assert.match(error([`--cdi-version=${bad}`]), /invalid --cdi-version/);
  });

  it('rejects unknown options, formats and missing values', () => {
    assert.equal(error(['--frmat', 'json']), "unknown option '--frmat'");
    assert.equal(error(['-x']), "unknown option '-x'");
    assert.match(error(['--format', 'xml']), /unknown format 'xml'/);
    assert.equal(error(['--format']), "option '--format' needs a value");
    assert.equal(error(['--namespace', '--format', 'json']), "option '--namespace' needs a value");
    assert.match(error(['--namespace', 'Not_A_Label']), /invalid --namespace/);
  });

  it('treats everything after -- as a path', () => {
    assert.deepEqual(options(['--', '--format', '-h']).paths, ['--format', '-h']);
  });

  it('recognises -h and --help', () => {
    assert.deepEqual(parseLintArgs(['x.yaml', '-h']), { kind: 'help' });
    assert.deepEqual(parseLintArgs(['--help']), { kind: 'help' });
  });
});
