/**
 * package.json's `contributes` against the files and code it names, without an editor: the grammar
 * injection, the commands the client registers, the walkthrough's media, and the example the walkthrough
 * explains (its diagnostic, through the CLI, must be the one media/walkthrough/firstDiagnostic.md describes).
 * The real-editor tests (test/e2e) check the same contributions inside VS Code.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ensureBuilt, runCli } from '../cli/runCli.js';

const repoRoot = path.resolve(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');

interface Contributes {
  commands: { command: string; title: string; category?: string }[];
  grammars: { scopeName: string; path: string; injectTo?: string[]; language?: string }[];
  walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string } }[] }[];
}
const contributes = (JSON.parse(read('package.json')) as { contributes: Contributes }).contributes;

test('the YAML injection grammar is contributed with injectTo and ships', () => {
  const injections = contributes.grammars.filter((g) => g.injectTo?.includes('source.yaml'));
  assert.equal(injections.length, 1, JSON.stringify(contributes.grammars));
  const entry = injections[0]!;
  assert.match(entry.path, /^\.\/syntaxes\//);
  const grammar = JSON.parse(read(entry.path)) as { scopeName: string; injectionSelector: string };
  assert.equal(grammar.scopeName, entry.scopeName);
  assert.equal(grammar.injectionSelector, 'L:source.yaml -comment');
  assert.equal(entry.language, undefined, 'an injection grammar must not claim a language');
  // The stand-in YAML grammar is for tests only.
  assert.ok(!contributes.grammars.some((g) => g.scopeName === 'source.yaml' || g.path.includes('test/')));
  assert.deepEqual(readdirSync(path.join(repoRoot, 'syntaxes')).filter((n) => !n.endsWith('.tmLanguage.json')), []);
});

test('contributed commands and the client registrations are the same set', () => {
  const contributed = contributes.commands.map((c) => c.command).sort();
  const client = (readdirSync(path.join(repoRoot, 'client'), { recursive: true }) as string[])
    .filter((n) => n.endsWith('.ts'))
    .map((n) => read(path.join('client', n)))
    .join('\n');
  const ids = new Map([...client.matchAll(/^\s+(\w+): '(kubevirtStorage\.\w+)',$/gm)].map((m) => [m[1]!, m[2]!]));
  const registered = [...client.matchAll(/registerCommand\(commandIds\.(\w+)/g)].map((m) => ids.get(m[1]!) ?? `unknown commandIds.${m[1]}`);
  assert.deepEqual(registered.sort(), contributed);
  for (const c of contributes.commands) {
    assert.match(c.command, /^kubevirtStorage\.[a-z]+[A-Z]\w*$/, `${c.command}: kubevirtStorage.<verbNoun>`);
    assert.equal(c.category, 'KubeVirt Storage', c.command);
  }
});

test('the walkthrough has 3-4 steps whose media ship and whose buttons exist', () => {
  const walkthrough = contributes.walkthroughs.find((w) => w.id === 'kubevirtStorage.gettingStarted');
  assert.ok(walkthrough, 'kubevirtStorage.gettingStarted');
  assert.ok(walkthrough.steps.length >= 3 && walkthrough.steps.length <= 4, `${walkthrough.steps.length} steps`);
  const ours = new Set(contributes.commands.map((c) => c.command));
  const builtIn = new Set(['workbench.actions.view.problems', 'workbench.action.openSettings', 'workbench.action.terminal.new']);
  for (const step of walkthrough.steps) {
    const media = step.media.markdown;
    assert.ok(media?.startsWith('media/') && existsSync(path.join(repoRoot, media)), `${step.id}: ${media}`);
    for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) {
      assert.ok(ours.has(command!) || builtIn.has(command!), `${step.id}: unknown command ${command}`);
    }
  }
  assert.ok(walkthrough.steps.some((s) => s.description.includes('command:kubevirtStorage.openExamples')));
  const shipped = read('.vscodeignore').split('\n').map((l) => l.trim());
  assert.ok(shipped.includes('!media/**') && shipped.includes('!syntaxes/**'), 'media/ and syntaxes/ ship in the .vsix');
});

test('the bundled example shows the diagnostic the walkthrough explains', () => {
  ensureBuilt();
  const r = runCli(['lint', '--format', 'json', 'media/examples/vm-restore-tpm.yaml']);
  assert.equal(r.status, 1, r.stderr);
  const { findings } = JSON.parse(r.stdout) as { findings: { rule: string; range: { start: { line: number } }; data?: Record<string, string> }[] };
  assert.deepEqual(findings.map((f) => f.rule), ['cdi-restore-inflation']);
  const finding = findings[0]!;
  assert.equal(finding.data?.predictedBytes, '22229812');
  assert.equal(finding.data?.provisioner, 'csi.trident.netapp.io');
  const line = read('media/examples/vm-restore-tpm.yaml').split('\n')[finding.range.start.line];
  assert.match(line ?? '', /cdi\.kubevirt\.io\/applyStorageProfile: "true"/);
  const explained = read('media/walkthrough/firstDiagnostic.md');
  for (const phrase of ['cdi-restore-inflation', '22,229,812', '20,971,520', 'csi.trident.netapp.io']) assert.ok(explained.includes(phrase), phrase);
});
