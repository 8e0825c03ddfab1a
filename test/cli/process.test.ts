/**
 * `kvstorage` as a process: exit codes, streams, paths. The last suite needs the real analysis
 * (core/workspace.ts `analyze`); it fails while that is a stub returning no findings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { version } from '../../package.json';
import { assertGolden } from './golden.js';
import { cliPath, ensureBuilt, repoRoot, runCli } from './runCli.js';
import { junitErrors } from './junitSchema.js';
import { sarifErrors } from './sarifSchema.js';

const fixtures = 'test/cli/fixtures';
const clean = `${fixtures}/clean.yaml`;
const cleanText = readFileSync(path.join(repoRoot, clean), 'utf8');
let tmp = '';

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-cli-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonOut {
  findings: Array<{ file: string; rule: string; severity: string; range: { start: { line: number } } }>;
}
interface SarifOut {
  runs: Array<{
    artifacts: Array<{ location: { uri: string } }>;
    results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
  }>;
}

function usageFailure(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, pattern);
}

describe('kvstorage: commands and usage errors', () => {
  it('--help prints the command list and exits 0', () => {
    const r = runCli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: kvstorage <command>/);
    assert.match(r.stdout, /\n {2}lint {2}/);
    const lint = runCli(['lint', '-h']);
    assert.equal(lint.status, 0);
    assert.match(lint.stdout, /^Usage: kvstorage lint \[options\] \[paths\.\.\.\]/);
  });

  it('--version prints the package version', () => {
    assert.deepEqual(runCli(['--version']), { status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('no command prints help on stderr and exits 2', () => {
    const r = runCli([]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: kvstorage <command>/);
  });

  it('an unknown command exits 2', () => usageFailure(['lnt'], /unknown command 'lnt'/));

  it('an unknown flag exits 2 and points at the help', () => {
    usageFailure(['lint', '--bogus', clean], /^kvstorage lint: unknown option '--bogus'\nRun 'kvstorage lint --help' for usage\.\n$/);
    usageFailure(['--bogus'], /unknown option '--bogus'/);
  });

  it('a malformed --cdi-version exits 2', () => usageFailure(['lint', '--cdi-version', '1.63.x', clean], /invalid --cdi-version '1\.63\.x'/));

  it('an unknown rule exits 2 naming the known ones', () =>
    usageFailure(['lint', '--disable', 'restore-size', clean], /^kvstorage lint: unknown rule 'restore-size' in --disable \(rules: yaml-syntax, .*\)\nRun 'kvstorage lint --help' for usage\.\n$/));

  it('a bad --format exits 2', () => usageFailure(['lint', '--format', 'xml', clean], /unknown format 'xml'/));
});

describe('kvstorage: the lint bundle (dist/cli.js starts dist/cliLint.js for `lint …`)', () => {
  // What a user sees of `lint` must not depend on which bundle ran it: the same command lines through the whole
  // table (dist/cliFull.js, which every other command line gets) print the same, byte for byte.
  const lines: string[][] = [
    ['lint', '--help'],
    ['lint', '-h'],
    ['lint', '--bogus', clean],
    ['lint', '--version'],
    ['lint', '--jobs', '0', clean],
    ['lint', '--format', 'xml', clean],
    ['lint', '--timeout', '5', clean],
    ['lint', '--disable', 'restore-size', clean],
    ['lint', '--no-such-file.yaml'],
    ['lint', 'no-such-file.yaml'],
    ['lint', fixtures],
    ['lint', '--format', 'json', fixtures],
    ['lint', '--format', 'sarif', '--jobs', '2', fixtures],
    ['lint', '--format', 'junit', '--fail-on', 'warning', fixtures],
    ['lint', '-', '--format', 'json'],
  ];
  for (const args of lines) {
    it(`kvstorage ${args.join(' ')}`, () => {
      const viaLauncher = runCli(args, { input: cleanText });
      const viaFull = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cliFull.js'), ...args], { cwd: repoRoot, input: cleanText, encoding: 'utf8' });
      assert.deepEqual(viaLauncher, { status: viaFull.status, stdout: viaFull.stdout, stderr: viaFull.stderr });
    });
  }

  it('loads only what lint needs: no webhook certificates, cluster operations or datamover planner', () => {
    const bundle = readFileSync(path.join(repoRoot, 'dist', 'cliLint.js'), 'utf8');
    for (const module of ['@peculiar/x509', '// cluster/ops/registry.ts', '// core/datamover/plan.ts']) assert.ok(!bundle.includes(module), `dist/cliLint.js holds ${module}`);
    assert.ok(bundle.includes('// cli/lint.ts'));
  });
});

describe('kvstorage lint: inputs and outputs', () => {
  it('exits 0 on a clean file', () => {
    const r = runCli(['lint', clean]);
    assert.deepEqual(r, { status: 0, stdout: 'no problems found in 1 file\n', stderr: '' });
    assert.deepEqual(JSON.parse(runCli(['lint', '--format', 'json', clean]).stdout), { findings: [] });
  });

  it('accepts a well-formed --cdi-version and the other settings', () => {
    const r = runCli(['lint', '--cdi-version', 'v1.63.1', '--strict-provisioner', 'a.csi', '--namespace', 'vms', clean]);
    assert.equal(r.status, 0, r.stderr);
  });

  it('a missing path exits 2 naming it, and the other files are still linted and printed', () => {
    const r = runCli(['lint', clean, 'no/such.yaml']);
    assert.deepEqual(r, { status: 2, stdout: 'no problems found in 1 file\n', stderr: "kvstorage lint: cannot read 'no/such.yaml': no such file or directory\n" });
  });

  it('reads - from stdin as <stdin>', () => {
    const text = runCli(['lint', '-'], { input: cleanText });
    assert.deepEqual(text, { status: 0, stdout: 'no problems found in 1 file\n', stderr: '' });
    const sarif = JSON.parse(runCli(['lint', '--format', 'sarif', '-'], { input: cleanText }).stdout) as SarifOut;
    assert.deepEqual(sarif.runs[0]?.artifacts.map((a) => a.location.uri), ['%3Cstdin%3E']);
  });

  it('recurses into folders in sorted order, skipping node_modules and .git, surviving symlink loops', () => {
    const dir = path.join(tmp, 'tree');
    for (const rel of ['b.yaml', 'a/z.yml', 'a/y.yaml', 'node_modules/m/x.yaml', '.git/x.yaml', 'c/notes.txt']) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      copyFileSync(path.join(repoRoot, clean), path.join(dir, rel));
    }
    symlinkSync(dir, path.join(dir, 'a', 'up'));
    const r = runCli(['lint', '--format', 'sarif', 'tree'], { cwd: tmp });
    assert.equal(r.status, 0, r.stderr);
    const log = JSON.parse(r.stdout) as SarifOut;
    assert.deepEqual(sarifErrors(log), []);
    assert.deepEqual(log.runs[0]?.artifacts.map((a) => a.location.uri), ['tree/a/y.yaml', 'tree/a/z.yml', 'tree/b.yaml']);
    // No paths: the current directory.
    assert.equal(runCli(['lint'], { cwd: dir }).stdout, 'no problems found in 3 files\n');
  });

  it('survives a reader that stops early (EPIPE)', () => {
    const dir = path.join(tmp, 'many');
    mkdirSync(dir);
    // Enough artifacts that the SARIF log overflows the pipe buffer after `head` has gone.
    for (let i = 0; i < 1500; i++) writeFileSync(path.join(dir, `pvc-${String(i).padStart(4, '0')}.yaml`), 'kind: ConfigMap\n');
    const script = `"${process.execPath}" "${cliPath}" lint --format sarif many | head -c 10 >/dev/null; ` + 'echo "${PIPESTATUS[0]}"';
    const r = spawnSync('bash', ['-c', script], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stderr, '', 'no EPIPE stack trace');
    assert.equal(r.stdout.trim(), '0');
  });
});

/** The 0-based line where the document containing `marker` starts. */
function documentStart(file: string, marker: string): number {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes(marker));
  const separator = lines.slice(0, at).lastIndexOf('---');
  return separator + 1;
}

describe('kvstorage lint: findings (awaiting the real analysis in core/workspace.ts)', () => {
  it('awaiting analysis: restore-size-too-small is an error, exit 1, located in the PVC', () => {
    const file = `${fixtures}/too-small.yaml`;
    const r = runCli(['lint', '--format', 'json', file]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const findings = (JSON.parse(r.stdout) as JsonOut).findings.filter((f) => f.rule === 'restore-size-too-small');
    assert.equal(findings.length, 1, r.stdout);
    assert.equal(findings[0]?.severity, 'error');
    assert.equal(findings[0]?.file, file);
    assert.ok((findings[0]?.range.start.line ?? -1) >= documentStart(file, 'kind: PersistentVolumeClaim'), r.stdout);
    const text = runCli(['lint', file]);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^test\/cli\/fixtures\/too-small\.yaml:\d+:\d+: error restore-size-too-small: .+$/m);
    assert.match(text.stdout, /^1 error, \d+ warnings?, \d+ infos?$/m);
  });

  it('awaiting analysis: restore-size-exceeded is a warning by default (exit 0), an error on a strict provisioner (exit 1)', () => {
    const file = `${fixtures}/exceeded.yaml`;
    const byDefault = runCli(['lint', '--format', 'json', file]);
    assert.equal(byDefault.status, 0, byDefault.stdout + byDefault.stderr);
    const warnings = (JSON.parse(byDefault.stdout) as JsonOut).findings.filter((f) => f.rule === 'restore-size-exceeded');
    assert.deepEqual(warnings.map((f) => f.severity), ['warning'], byDefault.stdout);

    const strict = runCli(['lint', '--format', 'json', '--strict-provisioner', 'hostpath.csi.k8s.io', file]);
    assert.equal(strict.status, 1, strict.stdout + strict.stderr);
    const errors = (JSON.parse(strict.stdout) as JsonOut).findings.filter((f) => f.rule === 'restore-size-exceeded');
    assert.deepEqual(errors.map((f) => f.severity), ['error'], strict.stdout);
  });

  it('awaiting analysis: findings from stdin name <stdin>', () => {
    const input = readFileSync(path.join(repoRoot, fixtures, 'too-small.yaml'), 'utf8');
    const r = runCli(['lint', '--format', 'json', '-'], { input });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.ok((JSON.parse(r.stdout) as JsonOut).findings.some((f) => f.file === '<stdin>' && f.rule === 'restore-size-too-small'), r.stdout);
  });

  it('awaiting analysis: a snapshot in one file resolves a PVC in another (files analysed together)', () => {
    const r = runCli(['lint', '--format', 'json', `${fixtures}/split`]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const f = (JSON.parse(r.stdout) as JsonOut).findings.find((x) => x.rule === 'restore-size-too-small');
    assert.equal(f?.file, `${fixtures}/split/restore.yaml`, r.stdout);
  });

  it('awaiting analysis: SARIF over the fixtures validates and reports the error with a 1-based region', () => {
    const r = runCli(['lint', '--format', 'sarif', fixtures]);
    assert.equal(r.status, 1, r.stderr);
    const log = JSON.parse(r.stdout) as SarifOut;
    assert.deepEqual(sarifErrors(log), []);
    const result = log.runs[0]?.results.find((x) => x.ruleId === 'restore-size-too-small');
    assert.equal(result?.level, 'error', r.stdout);
    assert.ok((result?.locations[0]?.physicalLocation.region.startLine ?? 0) >= 1);
  });
});

describe('kvstorage lint: CI conventions (--fail-on, --enable/--disable, -f, X.Y versions)', () => {
  const exceeded = `${fixtures}/exceeded.yaml`;

  it('--fail-on warning turns a warning into exit 1; --fail-on info an info', () => {
    assert.equal(runCli(['lint', exceeded]).status, 0, 'a warning alone passes by default');
    const r = runCli(['lint', '--fail-on', 'warning', exceeded]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^0 errors, 1 warning, \d+ infos?$/m);
    assert.equal(runCli(['lint', '--fail-on', 'info', clean]).status, 0, 'nothing to fail on');
  });

  it('--disable drops a rule (and its exit 1); --disable all --enable keeps one', () => {
    const file = `${fixtures}/too-small.yaml`;
    const rules = (args: string[]) => (JSON.parse(runCli(['lint', '-f', 'json', ...args, file]).stdout) as JsonOut).findings.map((f) => f.rule);
    assert.ok(rules([]).includes('restore-size-too-small'));
    const r = runCli(['lint', '--disable', 'restore-size-too-small', file]);
    assert.equal(r.status, 0, r.stdout);
    assert.doesNotMatch(r.stdout, /restore-size-too-small/);
    assert.deepEqual([...new Set(rules(['--disable', 'all', '--enable', 'restore-size-too-small']))], ['restore-size-too-small']);
    assert.deepEqual(rules(['--disable', 'all']), []);
  });

  it('--cdi-version 1.64 is v1.64: CDI leaves snapshot restores alone', () => {
    const tpm = 'examples/vm-restore-tpm.yaml';
    const inflation = (version: string) =>
      (JSON.parse(runCli(['lint', '-f', 'json', '--cdi-version', version, tpm, 'examples/cluster-storage.yaml']).stdout) as JsonOut).findings.filter((f) => f.rule === 'cdi-restore-inflation');
    assert.equal(inflation('1.63').length, 2, 'the restore PVC as written, and the one that takes the default class');
    assert.equal(inflation('1.64').length, 0);
    assert.equal(inflation('v1.64.2').length, 0);
  });

  it('--format junit validates; its failures follow --fail-on', () => {
    const r = runCli(['lint', '--format', 'junit', exceeded]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(junitErrors(r.stdout), []);
    assert.match(r.stdout, /<testsuites name="kvstorage lint" tests="1" failures="0"/);
    const strict = runCli(['lint', '-f', 'junit', '--fail-on', 'warning', exceeded]);
    assert.equal(strict.status, 1);
    assert.match(strict.stdout, /<testsuites name="kvstorage lint" tests="1" failures="1"/);
    assert.match(strict.stdout, /<failure message="warning restore-size-exceeded: /);
  });
});

describe('kvstorage lint examples/ (goldens; UPDATE_GOLDEN=1 rewrites them)', () => {
  for (const format of ['text', 'json', 'sarif', 'junit'] as const) {
    it(`${format} output and exit 1`, () => {
      const r = runCli(['lint', '--format', format, 'examples']);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
      // The checkout's location and the release number are not part of the output's shape.
      const stable = r.stdout
        .replaceAll(JSON.stringify(`${pathToFileURL(repoRoot).href}/`), '"file:///<repo>/"')
        .replaceAll(`"version": ${JSON.stringify(version)},`, '"version": "<version>",')
        .replaceAll(`"semanticVersion": ${JSON.stringify(version)},`, '"semanticVersion": "<version>",');
      if (format === 'sarif') assert.deepEqual(sarifErrors(JSON.parse(r.stdout)), []);
      if (format === 'junit') assert.deepEqual(junitErrors(r.stdout), []);
      assertGolden(`examples.${format === 'text' ? 'txt' : format === 'json' ? 'json' : format === 'sarif' ? 'sarif.json' : 'junit.xml'}`, stable);
    });
  }
});
