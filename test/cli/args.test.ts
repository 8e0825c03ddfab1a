import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLintArgs } from '../../cli/lint.js';
import { ruleEnabled } from '../../cli/options.js';
import { failsAt } from '../../cli/failOn.js';
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
    assert.deepEqual(options([]), { format: 'text', settings: { ...defaultSettings }, paths: [], given: { strictProvisioners: false, cdiVersion: false } });
  });

  it('--config and --kustomize (repeatable); the flags given are recorded, so that they beat .kvstorage.yaml', () => {
    const o = options(['--config', 'ci/kvstorage.yaml', '--kustomize', 'overlays/prod', '--kustomize=overlays/dev', '--cdi-version', '1.64']);
    assert.equal(o.config, 'ci/kvstorage.yaml');
    assert.deepEqual(o.kustomize, ['overlays/prod', 'overlays/dev']);
    assert.deepEqual(o.given, { strictProvisioners: false, cdiVersion: true });
    assert.match(error(['--config']), /option '--config' needs a value/);
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

  it('accepts X.Y, X.Y.Z and vX.Y.Z CDI versions only', () => {
    assert.equal(options(['--cdi-version', '1.64.0']).settings.cdiVersion, '1.64.0');
    assert.equal(options(['--cdi-version', '1.64']).settings.cdiVersion, '1.64');
    assert.equal(options(['--cdi-version=v1.63']).settings.cdiVersion, 'v1.63');
    for (const bad of ['v1', '1.64.0-rc1', '1.64.', 'latest', '']) assert.match(error([`--cdi-version=${bad}`]), /invalid --cdi-version/);
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

  it('-f is --format, and junit is a format', () => {
    assert.equal(options(['-f', 'json']).format, 'json');
    assert.equal(options(['-fsarif']).format, 'sarif');
    assert.equal(options(['--format=junit']).format, 'junit');
    assert.equal(error(['-f']), "option '--format' needs a value");
    assert.equal(error(['-f', 'xml']), "unknown format 'xml' (expected text, json, sarif, junit)");
  });

  it('--fail-on takes error, warning or info; absent means error', () => {
    assert.equal(options([]).failOn, undefined);
    assert.equal(options(['--fail-on', 'warning']).failOn, 'warning');
    assert.equal(options(['--fail-on=info']).failOn, 'info');
    assert.equal(error(['--fail-on', 'hint']), "invalid --fail-on 'hint' (expected error, warning, info)");
    assert.equal(error(['--fail-on']), "option '--fail-on' needs a value");
  });

  it('--enable/--disable: repeatable, comma-separated, all; unknown ids name the known ones', () => {
    assert.equal(options([]).rules, undefined);
    assert.deepEqual(options(['--disable', 'snapshot-not-found,snapshot-not-ready', '--disable=yaml-syntax']).rules, {
      enable: [],
      disable: ['snapshot-not-found', 'snapshot-not-ready', 'yaml-syntax'],
    });
    assert.deepEqual(options(['--disable', 'all', '--enable', 'restore-size-too-small']).rules, { enable: ['restore-size-too-small'], disable: ['all'] });
    const unknown = error(['--enable', 'restore-size-to-small']);
    assert.match(unknown, /^unknown rule 'restore-size-to-small' in --enable \(rules: yaml-syntax, invalid-quantity, .*restore-size-too-small.*\)$/);
    assert.equal(error(['--enable', 'yaml-syntax', '--disable', 'yaml-syntax']), "--enable and --disable both name 'yaml-syntax'");
    assert.equal(error(['--disable', '--format', 'json']), "option '--disable' needs a value");
  });

  it('a rule reports unless disabled; one named on its own beats all', () => {
    const on = (argv: string[], id: string): boolean => ruleEnabled(options(argv).rules, id);
    assert.ok(on([], 'yaml-syntax'));
    assert.ok(!on(['--disable', 'yaml-syntax'], 'yaml-syntax'));
    assert.ok(on(['--disable', 'yaml-syntax'], 'invalid-quantity'));
    assert.ok(!on(['--disable', 'all'], 'invalid-quantity'));
    assert.ok(on(['--disable', 'all', '--enable', 'invalid-quantity'], 'invalid-quantity'));
    assert.ok(!on(['--disable', 'all', '--enable', 'invalid-quantity'], 'yaml-syntax'));
    assert.ok(!on(['--enable', 'all', '--disable', 'yaml-syntax'], 'yaml-syntax'));
    assert.ok(on(['--enable', 'yaml-syntax'], 'invalid-quantity'), '--enable alone narrows nothing');
  });

  it('--fail-on: the lowest severity that fails', () => {
    const of = (...severities: ('error' | 'warning' | 'info' | 'hint')[]) => severities.map((severity) => ({ severity }));
    assert.ok(failsAt(of('error')));
    assert.ok(!failsAt(of('warning', 'info', 'hint')));
    assert.ok(failsAt(of('warning'), 'warning'));
    assert.ok(!failsAt(of('info'), 'warning'));
    assert.ok(failsAt(of('info'), 'info'));
    assert.ok(!failsAt(of('hint'), 'info'), 'hints never fail');
    assert.ok(!failsAt([], 'info'));
  });
});
