/**
 * Runs the TextMate grammar tests (test/grammar/*.test.yaml, vscode-tmgrammar-test's format) as part of
 * `npm test`. The grammars come from package.json's `contributes.grammars` (so the injection is loaded the way
 * VS Code loads it, through `injectTo`), plus yaml.base.tmLanguage.json: a test-only stand-in for VS Code's
 * YAML grammar, which is not on npm and is not shipped. When code-server is installed for the real-editor tests,
 * the same cases also run against the YAML grammar VS Code itself ships.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '..', '..');
const cli = require.resolve('vscode-tmgrammar-test/dist/unit.js', { paths: [repoRoot] });
const baseGrammar = path.join('test', 'grammar', 'yaml.base.tmLanguage.json');

/** VS Code's own YAML grammars, from the code-server that test/e2e/setup.sh installs (or KVS_YAML_SYNTAXES). */
const vscodeYamlSyntaxes =
  process.env.KVS_YAML_SYNTAXES ??
  path.join(process.env.KVS_E2E_CACHE ?? path.join(homedir(), '.cache', 'kvstorage-e2e'), 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml', 'syntaxes');

function runGrammarTests(testCases: string, yamlGrammars: string[] = [baseGrammar]): { status: number | null; output: string } {
  const grammarArgs = yamlGrammars.flatMap((g) => ['-g', g]);
  const r = spawnSync(process.execPath, [cli, '--compact', '--config', 'package.json', ...grammarArgs, testCases], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('every grammar test case passes', () => {
  const { status, output } = runGrammarTests('test/grammar/*.test.yaml');
  assert.equal(status, 0, output);
  // A glob that silently matched fewer files would also exit 0: each case must be reported as run.
  const cases = readdirSync(__dirname).filter((n) => n.endsWith('.test.yaml'));
  assert.ok(cases.length >= 4, `expected the grammar test cases, found ${cases.join(', ')}`);
  for (const name of cases) assert.match(output, new RegExp(`✓ test/grammar/${name.replaceAll('.', '\\.')} `), output);
});

test(
  "the cases also pass over VS Code's own YAML grammar",
  { skip: existsSync(vscodeYamlSyntaxes) ? false : `no VS Code YAML grammar at ${vscodeYamlSyntaxes} (test/e2e/setup.sh installs it)` },
  () => {
    const grammars = readdirSync(vscodeYamlSyntaxes).filter((n) => n.endsWith('.tmLanguage.json')).map((n) => path.join(vscodeYamlSyntaxes, n));
    const { status, output } = runGrammarTests('test/grammar/*.test.yaml', grammars);
    assert.equal(status, 0, output);
  },
);

test('a wrong scope assertion fails the run (the harness can fail)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kvs-grammar-'));
  try {
    const file = path.join(dir, 'wrong.test.yaml');
    writeFileSync(
      file,
      [
        '# SYNTAX TEST "source.yaml" "deliberately wrong"',
        'status:',
        '  restoreSize: 20Mi',
        '#              ^^^^ - constant.numeric.quantity.kubevirt-storage',
        '',
      ].join('\n'),
    );
    const { status, output } = runGrammarTests(file);
    assert.notEqual(status, 0, output);
    assert.match(output, /ERROR .*wrong\.test\.yaml:3:/, output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
