/** Every catalogued rule has its page (media/rules/<id>.md, shipped in the package) with every section; no page without a rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ruleCatalog } from '../../core/rules/catalog.js';
import { ruleDocPath, ruleDocSections, ruleDocsFolder } from '../../core/rules/docs.js';

test('every rule has a page with What, Why, Upstream, Fix and Example, titled with its id', () => {
  for (const r of ruleCatalog) {
    const path = ruleDocPath(r.id);
    assert.ok(existsSync(path), `${path} exists`);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.startsWith(`# \`${r.id}\`: `), `${path} starts with its id`);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, [...ruleDocSections], `${path}'s sections`);
    for (const section of ruleDocSections) {
      const body = text.split(`## ${section}\n`)[1]?.split('\n## ')[0]?.trim() ?? '';
      assert.ok(body.length > 20, `${path}: ${section} says something`);
    }
    assert.match(text, /## Example\n```\w+\n[^`]+\n```\n$/, `${path}: the example is one fenced block`);
  }
});

test('no page without a rule, and the package ships the pages', () => {
  const ids = new Set(ruleCatalog.map((r) => r.id));
  for (const name of readdirSync(ruleDocsFolder)) assert.ok(ids.has(name.replace(/\.md$/, '')), `${name} documents a catalogued rule`);
  const ignore = readFileSync('.vscodeignore', 'utf8').split('\n');
  assert.ok(ignore.includes('!media/**'), '.vscodeignore lets media/ (and so media/rules) into the .vsix');
});
