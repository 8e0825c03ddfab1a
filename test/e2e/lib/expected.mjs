// What the editor should show: the CLI's findings on the same workspace (the CLI and the language server share
// core/, so the extension must report exactly these, with the same rule ids, severities, ranges and messages).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer.mjs';

/** Runs dist/cli.js over `workspace` and writes `[{file, rule, severity, message, range}]` to `outFile`. */
export function writeExpectedFindings(workspace, outFile) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'lint', '--format', 'json', '.'], { cwd: workspace, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`kvstorage lint failed (${r.status}): ${r.stderr}`);
  const findings = JSON.parse(r.stdout).findings.map((f) => ({
    file: f.file.replace(/^\.\//, ''),
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: f.range,
  }));
  writeFileSync(outFile, JSON.stringify(findings, null, 2));
  return findings;
}
