import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSarif } from '../../cli/format/sarif.js';
import { sampleFiles, sampleFindings } from './sampleFindings.js';
import { sarifErrors } from './sarifSchema.js';

const options = { files: sampleFiles, cwd: '/home/user/project', version: '0.1.0', informationUri: 'https://example.invalid/x' };

describe('SARIF output against the SARIF 2.1.0 JSON schema', () => {
  it('validates with findings', () => {
    assert.deepEqual(sarifErrors(JSON.parse(formatSarif(sampleFindings, options))), []);
  });

  it('validates with no findings and no files', () => {
    assert.deepEqual(sarifErrors(JSON.parse(formatSarif([], { ...options, files: [] }))), []);
  });

  // Proves the validator can fail: otherwise the two tests above would pass on anything.
  it('rejects logs that break the schema', () => {
    const log = JSON.parse(formatSarif(sampleFindings, options));
    log.runs[0].results[0].level = 'fatal';
    assert.ok(sarifErrors(log).some((e) => e.includes('/runs/0/results/0/level')), 'a bad level is caught');

    const noRegionStart = JSON.parse(formatSarif(sampleFindings, options));
    noRegionStart.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.notDeepEqual(sarifErrors(noRegionStart), [], 'a 0 line (0-based leak) is caught');

    const badUri = JSON.parse(formatSarif(sampleFindings, options));
    badUri.runs[0].tool.driver.informationUri = 'not a uri';
    assert.notDeepEqual(sarifErrors(badUri), [], 'formats are checked');

    assert.notDeepEqual(sarifErrors({ version: '2.1.0' }), [], 'runs is required');
  });
});
