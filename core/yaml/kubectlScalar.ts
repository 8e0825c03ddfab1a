/**
 * How kubectl (and kube-apiserver, for a YAML body) reads a plain scalar: sigs.k8s.io/yaml converts YAML to JSON
 * through its fork of go-yaml v2, which resolves plain scalars by YAML 1.1 (goyaml.v2/resolve.go): `y`, `yes`,
 * `on`, `n`, `no`, `off` (in three spellings each) are booleans, `0b101` and `1_000` are integers. The analysis
 * parses YAML 1.2 (the `yaml` package's core schema), where all of these are strings; a string field written so
 * reaches the API server as a boolean or a number, and a schema of `type: string` refuses it. Seen on kube-apiserver
 * v1.34.4 with kubectl v1.32: `namespace: n` in a VolumeSnapshotContent's `volumeSnapshotRef` is refused with
 * "must be of type string: \"boolean\"".
 */

export type Yaml11Type = 'boolean' | 'null' | 'integer' | 'number';

const BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/;
/** Go's strconv.ParseInt/ParseUint with base 0 (after go-yaml drops underscores): decimal, 0x, 0o, 0b, leading-0 octal. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
/** go-yaml's yamlStyleFloat. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml's resolve-table hints, by character code. */
const HINTED = new Uint8Array(128);
for (const c of '0123456789+-.~yYnNtTfFoO') HINTED[c.charCodeAt(0)] = 1;

/**
 * Whether a plain scalar starting with this character code can be anything but a string to go-yaml (its resolve
 * table's hints: `yYnNtTfFoO~`, a digit, a sign, a dot): most are not, and need not be read further.
 */
export function yaml11MayBeTyped(first: number): boolean {
  return first < 128 && HINTED[first] === 1;
}


/** What kubectl makes of the plain (unquoted, untagged) scalar `text`: a type other than string, or undefined for a string. */
export function yaml11PlainType(text: string): Yaml11Type | undefined {
  if (BOOLEANS.has(text)) return 'boolean';
  if (NULLS.has(text)) return 'null';
  const first = text.charCodeAt(0);
  if (first === 46 /* . */) return SPECIAL_FLOATS.test(text) || YAML_FLOAT.test(text) ? 'number' : undefined;
  const digitOrSign = (first >= 48 && first <= 57) || first === 43 || first === 45;
  if (!digitOrSign) return undefined;
  if (SPECIAL_FLOATS.test(text)) return 'number';
  // A date (`2024-01-02`) is a timestamp to go-yaml, and JSON gets it back as a string: not a type problem.
  const plain = text.replace(/_/g, '');
  if (GO_INT.test(plain)) return 'integer';
  if (YAML_FLOAT.test(plain)) return 'number';
  return undefined;
}
