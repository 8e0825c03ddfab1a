/**
 * Reading the datamover's JSON files into typed values, as the controller's Go types would (encoding/json into
 * pkg/uploader/types.go at 122a06b): a value of the wrong type is an error that makes the whole file unreadable
 * for the controller, `null` leaves a field empty, unknown fields are ignored, keys match ignoring case.
 * Every problem is a finding at the value; what could be read is still returned, for the plan and the checks.
 */
import { parseQuantity } from '../quantity.js';
import type { Finding, Range } from '../types.js';
import { describeKind, member, parseJson, type JValue } from './json.js';
import { datamoverFinding } from './rules.js';
import type { At, BackupIndex, BackupVmRef, Checkpoint, CheckpointFile, DatamoverRole, Decoded, SizeEntry, VmIndex, VmManifest } from './types.js';

const MAX_INT64 = 2n ** 63n - 1n;
/** time.Time's UnmarshalJSON: RFC 3339, fractional seconds optional. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

class Reader {
  readonly findings: Finding[] = [];
  constructor(readonly file: string) {}

  invalid(range: Range, message: string): void {
    this.findings.push(datamoverFinding('datamover-index-invalid', this.file, range, message));
  }

  /** A string field; a wrong type is reported and skipped. */
  string(obj: JValue, name: string, path: string): At<string> | undefined {
    const e = member(obj, name);
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'string') {
      this.invalid(e.value.range, `${path}${name} is ${describeKind(e.value)}; the controller (Go's encoding/json) wants a string and cannot read this file`);
      return undefined;
    }
    return { value: e.value.value, range: e.value.range };
  }

  /** An array field; undefined when absent or null. */
  array(obj: JValue, name: string, path: string): { items: JValue[]; range: Range } | undefined {
    const e = member(obj, name);
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'array') {
      this.invalid(e.value.range, `${path}${name} is ${describeKind(e.value)}; the controller wants an array and cannot read this file`);
      return undefined;
    }
    return { items: e.value.items, range: e.value.range };
  }

  strings(obj: JValue, name: string, path: string): { list: At<string>[]; range?: Range } {
    const a = this.array(obj, name, path);
    if (!a) return { list: [] };
    const list: At<string>[] = [];
    a.items.forEach((v, i) => {
      if (v.kind === 'string') list.push({ value: v.value, range: v.range });
      else if (v.kind !== 'null') this.invalid(v.range, `${path}${name}[${i}] is ${describeKind(v)}; the controller wants a string and cannot read this file`);
    });
    return { list, range: a.range };
  }

  timestamp(obj: JValue, name: string, path: string): At<string> | undefined {
    const t = this.string(obj, name, path);
    if (t && !RFC3339.test(t.value)) {
      this.invalid(t.range, `${path}${name} ${JSON.stringify(t.value)} is not an RFC 3339 time (e.g. "2026-04-02T10:00:00Z"); the controller cannot read this file`);
    }
    return t;
  }

  /** The root object, or a finding saying why there is none. */
  root(value: JValue, what: string): JValue | undefined {
    if (value.kind === 'object') return value;
    this.invalid(value.range, `${what} must be a JSON object, not ${describeKind(value)}`);
    return undefined;
  }
}

/** Decodes a datamover file of the given role. Never throws. */
export function decodeDatamover(file: string, text: string, role: DatamoverRole): Decoded {
  const r = new Reader(file);
  const parsed = parseJson(file, text);
  if (!parsed.ok) {
    r.invalid(parsed.range, `${file.split('/').pop()} is ${parsed.message}; the controller cannot read it`);
    return { findings: r.findings };
  }
  const doc = role === 'vm-index' ? vmIndex(r, parsed.value) : role === 'vm-manifest' ? vmManifest(r, parsed.value) : backupIndex(r, parsed.value);
  return doc ? { doc, findings: r.findings } : { findings: r.findings };
}

function vmIndex(r: Reader, value: JValue): VmIndex | undefined {
  const obj = r.root(value, 'A per-VM index');
  if (!obj) return undefined;
  const index: VmIndex = { role: 'vm-index', file: r.file, range: obj.range, checkpoints: [] };
  const vmName = r.string(obj, 'vmName', '');
  const namespace = r.string(obj, 'namespace', '');
  if (vmName) index.vmName = vmName;
  if (namespace) index.namespace = namespace;
  r.timestamp(obj, 'lastUpdated', '');
  const list = r.array(obj, 'checkpoints', '');
  if (list) {
    index.checkpointsRange = list.range;
    list.items.forEach((item, i) => {
      const path = `checkpoints[${i}].`;
      if (item.kind === 'null') return;
      if (item.kind !== 'object') {
        r.invalid(item.range, `checkpoints[${i}] is ${describeKind(item)}; the controller wants an object and cannot read this file`);
        return;
      }
      index.checkpoints.push(checkpoint(r, item, path));
    });
  }
  return index;
}

function checkpoint(r: Reader, obj: JValue, path: string): Checkpoint {
  const c: Checkpoint = { range: obj.range, files: [], pvcs: [], referencedBy: [] };
  for (const name of ['id', 'type', 'parent', 'vmBackup'] as const) {
    const v = r.string(obj, name, path);
    if (v) c[name] = v;
  }
  const ts = r.timestamp(obj, 'timestamp', path);
  if (ts) c.timestamp = ts;
  r.string(obj, 'vmbObjectPath', path);
  r.string(obj, 'vmbtObjectPath', path);
  const files = r.array(obj, 'files', path);
  if (files) {
    c.filesRange = files.range;
    files.items.forEach((f, i) => {
      const file = checkpointFile(r, f, `${path}files[${i}]`);
      if (file) c.files.push(file);
    });
  }
  const pvcs = r.strings(obj, 'pvcs', path);
  c.pvcs = pvcs.list;
  if (pvcs.range) c.pvcsRange = pvcs.range;
  const sizes = r.array(obj, 'pvcSizes', path);
  if (sizes) {
    c.pvcSizesRange = sizes.range;
    c.pvcSizes = [];
    sizes.items.forEach((s, i) => {
      const entry = sizeEntry(r, s, `${path}pvcSizes[${i}]`);
      if (entry) c.pvcSizes!.push(entry);
    });
  }
  const refs = r.strings(obj, 'referencedBy', path);
  c.referencedBy = refs.list;
  if (refs.range) c.referencedByRange = refs.range;
  return c;
}

function checkpointFile(r: Reader, v: JValue, path: string): CheckpointFile | undefined {
  if (v.kind === 'null') return undefined;
  if (v.kind === 'string') {
    // The design document lists plain names; pkg/uploader writes objects, and reading a string into
    // CheckpointFile fails, so the controller cannot restore from this index. Planning still uses the name.
    r.invalid(
      v.range,
      `${path} is a plain file name (the design document's shape); the controller's index has objects {filename, diskName, size, objectPath} and cannot read this file`,
    );
    return { range: v.range, filename: { value: v.value, range: v.range }, plain: true };
  }
  if (v.kind !== 'object') {
    r.invalid(v.range, `${path} is ${describeKind(v)}; the controller wants an object {filename, diskName, size, objectPath}`);
    return undefined;
  }
  const f: CheckpointFile = { range: v.range, plain: false };
  for (const name of ['filename', 'diskName', 'objectPath'] as const) {
    const s = r.string(v, name, `${path}.`);
    if (s) f[name] = s;
  }
  const size = member(v, 'size');
  if (size && size.value.kind !== 'null') {
    const bytes = size.value.kind === 'number' && /^-?\d+$/.test(size.value.text) ? BigInt(size.value.text) : undefined;
    if (bytes === undefined || bytes > MAX_INT64 || bytes < -MAX_INT64 - 1n) {
      r.findings.push(
        datamoverFinding(
          'datamover-size-invalid',
          r.file,
          size.value.range,
          `${path}.size must be a whole number of bytes (int64), not ${size.value.kind === 'number' ? size.value.text : describeKind(size.value)}; the controller cannot read this file`,
        ),
      );
    } else {
      f.size = { value: bytes, range: size.value.range };
      if (bytes < 0n) {
        r.findings.push(
          datamoverFinding('datamover-size-invalid', r.file, size.value.range, `${path}.size is negative; the controller ignores it when sizing the scratch PVC (as if unknown)`, {
            severity: 'warning',
          }),
        );
      }
    }
  }
  return f;
}

/** A resource.Quantity in JSON: a string, or a bare number (UnmarshalJSON parses either). */
function sizeEntry(r: Reader, v: JValue, path: string): SizeEntry | undefined {
  if (v.kind === 'null') return undefined;
  const text = v.kind === 'string' ? v.value : v.kind === 'number' ? v.text : undefined;
  if (text === undefined) {
    r.findings.push(datamoverFinding('datamover-size-invalid', r.file, v.range, `${path} is ${describeKind(v)}, not a quantity such as "10Gi"; the controller cannot read this file`));
    return { text: '', range: v.range };
  }
  const q = parseQuantity(text);
  if (!q.ok) {
    r.findings.push(datamoverFinding('datamover-size-invalid', r.file, v.range, `${path}: ${q.error}; the controller cannot read this file`));
    return { text, range: v.range };
  }
  return { text, range: v.range, bytes: q.quantity.bytes };
}

function vmManifest(r: Reader, value: JValue): VmManifest | undefined {
  const obj = r.root(value, 'A backup manifest');
  if (!obj) return undefined;
  const m: VmManifest = { role: 'vm-manifest', file: r.file, range: obj.range, chain: [] };
  for (const name of ['namespace', 'name', 'backupName'] as const) {
    const s = r.string(obj, name, '');
    if (s) m[name] = s;
  }
  r.timestamp(obj, 'timestamp', '');
  const chain = r.strings(obj, 'checkpointChain', '');
  m.chain = chain.list;
  if (chain.range) m.chainRange = chain.range;
  return m;
}

function backupIndex(r: Reader, value: JValue): BackupIndex | undefined {
  const obj = r.root(value, 'A per-backup index');
  if (!obj) return undefined;
  const b: BackupIndex = { role: 'backup-index', file: r.file, range: obj.range, vms: [] };
  const name = r.string(obj, 'backupName', '');
  if (name) b.backupName = name;
  const ts = r.timestamp(obj, 'timestamp', '');
  if (ts) b.timestamp = ts;
  const vms = r.array(obj, 'vms', '');
  vms?.items.forEach((v, i) => {
    if (v.kind === 'null') return;
    if (v.kind !== 'object') {
      r.invalid(v.range, `vms[${i}] is ${describeKind(v)}; the controller wants an object`);
      return;
    }
    const ref: BackupVmRef = { range: v.range };
    for (const n of ['name', 'namespace', 'checkpointId', 'manifestPath'] as const) {
      const s = r.string(v, n, `vms[${i}].`);
      if (s) ref[n] = s;
    }
    b.vms.push(ref);
  });
  return b;
}
