/** How kubectl's YAML 1.1 decoder (sigs.k8s.io/yaml's go-yaml v2) types plain scalars that YAML 1.2 reads as strings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml11MayBeTyped, yaml11PlainType } from '../../core/yaml/kubectlScalar.js';

test('YAML 1.1 booleans and nulls: the three spellings of y/yes/on/n/no/off, true/false; ~ and null', () => {
  for (const b of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'true', 'FALSE']) assert.equal(yaml11PlainType(b), 'boolean', b);
  for (const s of ['yEs', 'nO', 'oN', 'Offline', 'yes-please', 'ns', 'none']) assert.equal(yaml11PlainType(s), undefined, s);
  for (const z of ['~', 'null', 'Null', 'NULL', '']) assert.equal(yaml11PlainType(z), 'null', z);
});

test('YAML 1.1 numbers: Go base-0 integers (0x, 0o, 0b, leading-0 octal), underscores, go-yaml floats; dates and names stay strings', () => {
  for (const i of ['0', '12', '-7', '+3', '0x1F', '0o17', '017', '0b101', '1_000', '-0x10']) assert.equal(yaml11PlainType(i), 'integer', i);
  for (const f of ['1.5', '.5', '1e3', '08', '1_000.5', '.inf', '-.Inf', '+.INF', '.nan']) assert.equal(yaml11PlainType(f), 'number', f);
  for (const s of ['2024-01-02', '1.2.3', '0x', '10Gi', 'v1', '1-a', '.hidden', '-', '+']) assert.equal(yaml11PlainType(s), undefined, s);
});

test('the first-character hint never skips a typed scalar, and skips names that start otherwise', () => {
  for (const t of ['y', 'No', 'on', 'OFF', 'true', 'False', '~', 'null', '0x1F', '-7', '+3', '.5', '.inf', '1_000']) assert.equal(yaml11MayBeTyped(t.charCodeAt(0)), true, t);
  for (const t of ['disk', 'rootdisk', 'Zebra', '_x', 'é']) assert.equal(yaml11MayBeTyped(t.charCodeAt(0)), false, t);
});
