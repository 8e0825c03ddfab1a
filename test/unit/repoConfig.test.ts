/** .kvstorage.yaml: parsing (problems name the field, the rest applies), settings, and the rule post-filter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRuleConfig, parseRepoConfig, withRepoConfig } from '../../core/repoConfig.js';
import { defaultSettings, type Finding } from '../../core/types.js';

const finding = (rule: string, severity: Finding['severity'] = 'warning'): Finding => ({
  rule, severity, message: rule, file: 'f.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
});

test('rules on and off, severities, strict provisioners and the CDI version', () => {
  const { config, problems } = parseRepoConfig(`rules:
  snapshot-not-found: off
  restore-size-exceeded: error
  cdi-restore-inflation: on
  snapshot-not-ready: false
strictProvisioners: [csi.trident.netapp.io, " csi.example.com "]
cdiVersion: "1.64"
`);
  assert.deepEqual(problems, []);
  assert.deepEqual([...config.rules], [['snapshot-not-found', 'off'], ['restore-size-exceeded', 'error'], ['cdi-restore-inflation', 'on'], ['snapshot-not-ready', 'off']]);
  const settings = withRepoConfig(defaultSettings, config);
  assert.deepEqual(settings.strictProvisioners, ['csi.trident.netapp.io', 'csi.example.com']);
  assert.equal(settings.cdiVersion, '1.64');
  const out = applyRuleConfig([finding('snapshot-not-found', 'info'), finding('restore-size-exceeded'), finding('cdi-restore-inflation'), finding('invalid-quantity', 'error')], config);
  assert.deepEqual(out.map((f) => [f.rule, f.severity]), [['restore-size-exceeded', 'error'], ['cdi-restore-inflation', 'warning'], ['invalid-quantity', 'error']]);
});

test('mistakes are problems naming the field; what is right still applies; nothing throws', () => {
  const { config, problems } = parseRepoConfig(`rules:
  no-such-rule: off
  restore-size-exceeded: loud
  invalid-quantity: warning
strictProvisioners: csi.trident.netapp.io
cdiVersion: 1.60
colour: blue
`, 'repo/.kvstorage.yaml');
  assert.deepEqual(problems, [
    'repo/.kvstorage.yaml: rules.no-such-rule: unknown rule (`kvstorage rules` lists them)',
    'repo/.kvstorage.yaml: rules.restore-size-exceeded: expected one of off, on, error, warning, info, hint',
    'repo/.kvstorage.yaml: strictProvisioners: expected a list of CSI provisioner names',
    'repo/.kvstorage.yaml: cdiVersion: expected a quoted CDI version such as "1.64" or "v1.63.1" (unquoted, YAML reads 1.6 as a number)',
    'repo/.kvstorage.yaml: colour: unknown field (fields: rules, strictProvisioners, cdiVersion)',
  ]);
  assert.deepEqual([...config.rules], [['invalid-quantity', 'warning']]);
  for (const text of ['', '# nothing\n', '[1, 2]', 'rules: [a]', 'a: [', 'rules:\n  constructor: off\n  __proto__: off\n', '*x']) {
    const r = parseRepoConfig(text);
    assert.equal(r.config.rules.size, 0, JSON.stringify(text));
  }
  assert.match(parseRepoConfig('a: [').problems[0]!, /not valid YAML/);
});
