import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleCatalog } from '../../core/rules/catalog.js';
import { formatJson } from '../../cli/format/json.js';
import { formatSarif } from '../../cli/format/sarif.js';
import { formatText } from '../../cli/format/text.js';
import { assertGolden } from './golden.js';
import { sampleFiles, sampleFindings } from './sampleFindings.js';
import { sarifErrors } from './sarifSchema.js';

const sarifOptions = {
  files: sampleFiles,
  cwd: '/home/user/project',
  version: '9.8.7',
  informationUri: 'https://example.invalid/kubevirt-storage-tools',
};

describe('text format', () => {
  it('prints one 1-based line per finding and a summary (golden)', () => {
    assertGolden('findings.txt', formatText(sampleFindings, { fileCount: 4, color: false }));
  });

  it('says how many files were clean', () => {
    assert.equal(formatText([], { fileCount: 3, color: false }), 'no problems found in 3 files\n');
    assert.equal(formatText([], { fileCount: 1, color: false }), 'no problems found in 1 file\n');
  });

  it('uses ANSI colour only when asked', () => {
    const plain = formatText(sampleFindings, { fileCount: 4, color: false });
    const coloured = formatText(sampleFindings, { fileCount: 4, color: true });
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.match(coloured, /\u001b\[31merror\u001b\[0m/);
    assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain);
  });
});

describe('json format', () => {
  it('prints exactly file, rule, severity, message, range, data with 0-based positions (golden)', () => {
    assertGolden('findings.json', formatJson(sampleFindings));
  });

  it('gives every finding the same keys and never prints fixes', () => {
    const parsed = JSON.parse(formatJson(sampleFindings)) as { findings: Array<Record<string, unknown>> };
    for (const f of parsed.findings) assert.deepEqual(Object.keys(f), ['file', 'rule', 'severity', 'message', 'range', 'data']);
    assert.deepEqual(parsed.findings[1]?.['data'], {});
  });

  it('prints an empty list when clean', () => {
    assert.deepEqual(JSON.parse(formatJson([])), { findings: [] });
  });
});

describe('sarif format', () => {
  it('prints SARIF 2.1.0 with the catalogue as rules (golden)', () => {
    assertGolden('findings.sarif.json', formatSarif(sampleFindings, sarifOptions));
  });

  it('maps severities to levels, ranges to 1-based regions, files to artifacts', () => {
    const log = JSON.parse(formatSarif(sampleFindings, sarifOptions));
    const run = log.runs[0];
    assert.deepEqual(
      run.results.map((r: { level: string }) => r.level),
      ['error', 'warning', 'note', 'note'],
    );
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 12, startColumn: 7, endLine: 12, endColumn: 25 });
    assert.equal(run.results[0].ruleIndex, ruleCatalog.findIndex((r) => r.id === 'restore-size-too-small'));
    assert.equal(run.results[3].ruleIndex, undefined, 'a rule outside the catalogue has no index');
    assert.deepEqual(run.results[2].locations[0].physicalLocation.artifactLocation, {
      uri: 'examples/vm%20disk.yaml',
      uriBaseId: '%SRCROOT%',
      index: 1,
    });
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///home/user/project/' } });
    assert.equal(run.tool.driver.rules.length, ruleCatalog.length);
  });

  it('names files outside the working directory by absolute file URI', () => {
    const f = { ...sampleFindings[0]!, file: '../elsewhere/a.yaml' };
    const g = { ...sampleFindings[0]!, file: '/abs/b.yaml' };
    const log = JSON.parse(formatSarif([f, g], { ...sarifOptions, files: [f.file, g.file] }));
    const locations = log.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: unknown } }> }) => r.locations[0]?.physicalLocation.artifactLocation);
    assert.deepEqual(locations, [
      { uri: 'file:///home/user/elsewhere/a.yaml', index: 0 },
      { uri: 'file:///abs/b.yaml', index: 1 },
    ]);
    assert.deepEqual(sarifErrors(log), []);
  });
});
