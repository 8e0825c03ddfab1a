/**
 * The SARIF 2.1.0 schema (shipped by @microsoft/jest-sarif) compiled with ajv 8.
 * The file is a draft-04 schema: ajv 8 has no draft-04 meta-schema, so `$schema` and draft-04's `id` are
 * dropped before compiling (the keywords it uses otherwise mean the same in draft-07), `strict: false`
 * tolerates its loose spots, `unicodeRegExp: false` accepts its one pattern with a stray `]` (on
 * `language`), and the three formats it names are checked here (ajv-formats is not installed).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

const require = createRequire(__filename);
export const sarifSchemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
  delete schema['$schema'];
  delete schema['id'];
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  const isUri = (s: string): boolean => URL.canParse(s);
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', (s) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
  ajv.addFormat('date-time', (s) => !Number.isNaN(Date.parse(s)));
  compiled = ajv.compile(schema);
  return compiled;
}

/** Validation errors as readable lines; empty when the log is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): string[] {
  const validate = validator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
