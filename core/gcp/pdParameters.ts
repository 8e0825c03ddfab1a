/**
 * The GCP PD CSI driver's StorageClass and VolumeSnapshotClass parameters, as the driver reads them:
 * mirrors `ExtractAndDefaultParameters` and `ExtractAndDefaultSnapshotParameters` (pkg/parameters/parameters.go),
 * `ValidateSnapshotType`, `ProcessStorageLocations` (utils.go), `DiskParameters.IsRegional` (types.go), the
 * controller's replication-type and hyperdisk access-mode checks (pkg/gce-pd-csi-driver/controller.go) and the
 * converters in pkg/convert, at kubernetes-sigs/gcp-compute-persistent-disk-csi-driver b560165c (2026-08-18).
 * Keys are matched case-insensitively, as the driver lowercases them; any key it does not know is a hard error
 * (`parameters contains invalid option "<key>"`). Pure: the rules, the golden-image planner and completion share it.
 */
import { putOwn } from '../own.js';
import { parseQuantity } from '../quantity.js';

export const PD_DRIVER = 'pd.csi.storage.gke.io';

export const SNAPSHOT_TYPES = ['snapshots', 'images'] as const;

/** Disk types the driver and GCE know (`type`); `dynamic` needs the dynamic-volumes feature. */
export const DISK_TYPES = [
  'pd-standard',
  'pd-balanced',
  'pd-ssd',
  'pd-extreme',
  'hyperdisk-balanced',
  'hyperdisk-balanced-high-availability',
  'hyperdisk-throughput',
  'hyperdisk-extreme',
  'hyperdisk-ml',
  'dynamic',
] as const;

/** `disksWithUnsettableAccessMode`: these attach to one node only. */
export const READ_WRITE_ONCE_ONLY_TYPES: readonly string[] = ['hyperdisk-throughput', 'hyperdisk-extreme'];

export type ParameterRule = 'gcp-pd-unknown-parameter' | 'gcp-pd-invalid-value';

export interface ParameterProblem {
  rule: ParameterRule;
  /** The key as written. */
  key: string;
  severity: 'error' | 'warning';
  message: string;
  /** A replacement value or key that fixes it, when there is one obvious fix. */
  replacement?: { what: 'key' | 'value'; text: string };
}

export interface ParameterSpec {
  key: string;
  description: string;
  /** The values the driver accepts, when it is a closed list (completion offers them). */
  values?: readonly string[];
  /** An example value for completion when the values are open. */
  example?: string;
  /** A problem with the value, or undefined. `all` holds every parameter, keys lowercased. */
  check?: (value: string, all: Readonly<Record<string, string>>) => Omit<ParameterProblem, 'rule' | 'key'> | undefined;
}

const invalid = (message: string, replacement?: string): Omit<ParameterProblem, 'rule' | 'key'> => ({ severity: 'error', message, ...(replacement !== undefined ? { replacement: { what: 'value', text: replacement } } : {}) });

function boolean(key: string) {
  return (v: string) => (['true', 'false'].includes(v.toLowerCase()) ? undefined : invalid(`${key} takes true or false, not "${v}" (the driver: Unexpected boolean string ${v})`));
}

function quantity(key: string) {
  return (v: string) => (parseQuantity(v).ok ? undefined : invalid(`${key} must be a number or a Kubernetes quantity, not "${v}"`));
}

const MI = 1n << 20n;

/** `ConvertMiStringToInt64`: a quantity rounded up to whole MiB, so "150" means 1 MiB/s, not 150. */
function throughput(v: string): Omit<ParameterProblem, 'rule' | 'key'> | undefined {
  const q = parseQuantity(v);
  if (!q.ok) return invalid(`provisioned-throughput-on-create must be a quantity of MiB/s such as "150Mi", not "${v}"`);
  if (q.quantity.bytes < 0n) return invalid('provisioned-throughput-on-create cannot be negative');
  if (/^\d+Mi$/.test(v.trim())) return undefined;
  const mib = (q.quantity.bytes + MI - 1n) / MI;
  const plain = /^\d+$/.test(v.trim());
  return {
    severity: 'warning',
    message: `provisioned-throughput-on-create is read as a quantity rounded up to MiB: "${v}" is ${mib} MiB/s${plain ? `, not ${v} MiB/s` : ''}. Write "<n>Mi" (e.g. "${plain ? v.trim() : String(mib)}Mi")`,
    replacement: { what: 'value', text: `${plain ? v.trim() : String(mib)}Mi` },
  };
}

const storagePool = /^projects\/([^/]+)\/zones\/([^/]+)\/storagePools\/([^/]+)$/;
const multiRegion = /^[a-z]+$/;
const region = /^[a-z]+-[a-z]+[0-9]{1,2}$/;
const labelKey = /^\p{Ll}[\p{Ll}0-9_-]{0,62}$/u;
const labelValue = /^[\p{Ll}0-9_-]{0,63}$/u;

/** `ConvertLabelsStringToMap`: `k1=v1,k2=v2` with GCE label syntax. */
function labels(v: string): Omit<ParameterProblem, 'rule' | 'key'> | undefined {
  if (v === '') return undefined;
  for (const pair of v.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2) return invalid(`labels "${v}" are invalid, correct format: 'key1=value1,key2=value2'`);
    const [k, val] = [kv[0]!.trim(), kv[1]!.trim()];
    if (!labelKey.test(k)) return invalid(`label key "${k}" is invalid: a lowercase letter first, then lowercase letters, digits, _ and -, 1-63 characters`);
    if (!labelValue.test(val)) return invalid(`label value "${val}" is invalid: lowercase letters, digits, _ and -, 0-63 characters`);
  }
  return undefined;
}

function resourceTags(v: string): Omit<ParameterProblem, 'rule' | 'key'> | undefined {
  return v === '' || v.split(',').every((t) => t.split('/').length === 3) ? undefined : invalid(`resource-tags "${v}" must be "<parent>/<key>/<value>" entries, comma-separated`);
}

const dynamicOnly = (key: string) => (_v: string, all: Readonly<Record<string, string>>) =>
  (all['type'] ?? '').toLowerCase() === 'dynamic' ? undefined : invalid(`${key} is only read with type: dynamic (the driver: must specify "type" parameter as "dynamic" when "${key}" is specified)`);

/** StorageClass parameters (`ExtractAndDefaultParameters`). */
export const STORAGE_CLASS_PARAMETERS: readonly ParameterSpec[] = [
  {
    key: 'type',
    description: 'The GCE disk type (default pd-standard).',
    values: DISK_TYPES,
    // An empty type is the default, pd-standard.
    check: (v) => (v === '' || (DISK_TYPES as readonly string[]).includes(v.toLowerCase()) ? undefined : { severity: 'error', message: `"${v}" is not a disk type GCE knows (${DISK_TYPES.join(', ')})` }),
  },
  {
    key: 'replication-type',
    description: 'none (zonal, the default) or regional-pd (replicated across two zones).',
    values: ['none', 'regional-pd'],
    check: (v) => (['none', 'regional-pd'].includes(v.toLowerCase()) || v === '' ? undefined : invalid(`replication-type "${v}" is not supported (none or regional-pd)`)),
  },
  { key: 'disk-encryption-kms-key', description: 'A Cloud KMS key (projects/P/locations/L/keyRings/R/cryptoKeys/K) that encrypts the disks.', example: 'projects/my-project/locations/us-central1/keyRings/ring/cryptoKeys/key' },
  { key: 'labels', description: 'GCE labels on each disk: key1=value1,key2=value2.', example: 'key1=value1', check: labels },
  { key: 'provisioned-iops-on-create', description: 'IOPS provisioned for hyperdisk and pd-extreme disks (an integer).', example: '3000', check: quantity('provisioned-iops-on-create') },
  { key: 'provisioned-throughput-on-create', description: 'Throughput provisioned for hyperdisk disks, in MiB/s written "<n>Mi" (e.g. "150Mi").', example: '150Mi', check: throughput },
  {
    key: 'availability-class',
    description: 'none, or regional-hard-failover (force-attach on failover, regional disks only).',
    values: ['none', 'regional-hard-failover'],
    check: (v) => (['none', 'regional-hard-failover'].includes(v.toLowerCase()) ? undefined : invalid(`availability-class "${v}" is not none or regional-hard-failover`)),
  },
  {
    key: 'enable-confidential-storage',
    description: 'true to use confidential (encrypted-in-use) hyperdisk; needs a valid disk-encryption-kms-key.',
    values: ['true', 'false'],
    check: (v, all) => boolean('enable-confidential-storage')(v) ?? (v.toLowerCase() === 'true' && !all['disk-encryption-kms-key'] ? invalid('enable-confidential-storage: true needs disk-encryption-kms-key (the driver: valid disk-encryption-kms-key is required to enable ConfidentialStorage)') : undefined),
  },
  {
    key: 'storage-pools',
    description: 'Hyperdisk storage pools, projects/P/zones/Z/storagePools/N, comma-separated (one per zone).',
    example: 'projects/my-project/zones/us-central1-a/storagePools/pool',
    check: (v) => (v.split(',').every((p) => storagePool.test(p)) ? undefined : invalid(`storage-pools "${v}" must be projects/<project>/zones/<zone>/storagePools/<name>, comma-separated`)),
  },
  {
    key: 'use-allowed-disk-topology',
    description: 'true to provision only in the zones the disk type allows (needs the disk-topology feature).',
    values: ['true', 'false'],
    // The driver only logs a warning and ignores a value that is not a boolean.
    check: (v) => {
      const p = boolean('use-allowed-disk-topology')(v);
      return p ? { ...p, severity: 'warning', message: `${p.message}; the driver ignores it` } : undefined;
    },
  },
  { key: 'data-cache-size', description: 'Local SSD data cache per disk, in Gi (needs the data-cache feature).', example: '10Gi', check: quantity('data-cache-size') },
  {
    key: 'data-cache-mode',
    description: 'writethrough (the default) or writeback.',
    values: ['writethrough', 'writeback'],
    check: (v) => (['writethrough', 'writeback'].includes(v) ? undefined : invalid(`data-cache-mode "${v}" is not writethrough or writeback`)),
  },
  { key: 'resource-tags', description: 'Resource Manager tags: <parent>/<key>/<value>, comma-separated.', example: 'my-project/env/prod', check: resourceTags },
  { key: 'enable-multi-zone-provisioning', description: 'true to provision ReadOnlyMany disks in several zones (needs the multi-zone feature).', values: ['true', 'false'], check: boolean('enable-multi-zone-provisioning') },
  { key: 'access-mode', description: 'The GCE access mode (READ_WRITE_SINGLE, READ_ONLY_MANY, READ_WRITE_MANY); hyperdisk derives it from the PVC.', values: ['READ_WRITE_SINGLE', 'READ_ONLY_MANY', 'READ_WRITE_MANY'] },
  { key: 'hyperdisk-type', description: 'With type: dynamic, the hyperdisk type to use.', values: DISK_TYPES.filter((t) => t.startsWith('hyperdisk-')), check: dynamicOnly('hyperdisk-type') },
  { key: 'pd-type', description: 'With type: dynamic, the PD type to use.', values: DISK_TYPES.filter((t) => t.startsWith('pd-')), check: dynamicOnly('pd-type') },
  {
    key: 'disk-type-preference',
    description: 'With type: dynamic, hyperdisk-type or pd-type.',
    values: ['hyperdisk-type', 'pd-type'],
    check: (v, all) => dynamicOnly('disk-type-preference')(v, all) ?? (['hyperdisk-type', 'pd-type'].includes(v.toLowerCase()) || v === '' ? undefined : invalid(`disk-type-preference must be hyperdisk-type or pd-type, not "${v}"`)),
  },
];

/** VolumeSnapshotClass parameters (`ExtractAndDefaultSnapshotParameters`). */
export const SNAPSHOT_CLASS_PARAMETERS: readonly ParameterSpec[] = [
  {
    key: 'snapshot-type',
    description: 'snapshots (a disk snapshot, the default) or images (a disk image: restorable to ReadWriteMany hyperdisk without the restore rate limit; not for regional disks).',
    values: SNAPSHOT_TYPES,
    // ValidateSnapshotType compares exactly: "Images" is invalid.
    check: (v) => ((SNAPSHOT_TYPES as readonly string[]).includes(v) ? undefined : invalid(`invalid snapshot type ${v}: snapshot-type is "snapshots" or "images"`, (SNAPSHOT_TYPES as readonly string[]).find((t) => t === v.toLowerCase().trim()))),
  },
  { key: 'image-family', description: 'The image family of images made with snapshot-type: images.', example: 'golden-images' },
  {
    key: 'storage-locations',
    description: 'Where snapshots are stored: one region (us-central1) or multi-region (us).',
    example: 'us',
    check: (v) => {
      const n = v.trim().toLowerCase();
      return multiRegion.test(n) || region.test(n) ? undefined : invalid(`invalid location for snapshot: "${v}" (one region such as us-central1, or a multi-region such as us)`);
    },
  },
  { key: 'labels', description: 'GCE labels on each snapshot: key1=value1,key2=value2.', example: 'key1=value1', check: labels },
  { key: 'resource-tags', description: 'Resource Manager tags: <parent>/<key>/<value>, comma-separated.', example: 'my-project/env/prod', check: resourceTags },
];

/** Keys the CSI sidecars handle (stripped before, or added for, the driver). */
function sidecarKey(key: string): boolean {
  return key.toLowerCase().startsWith('csi.storage.k8s.io/') || key === 'csiProvisionerSecretName' || key === 'csiProvisionerSecretNamespace';
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

/** The known key closest to `key`, when it is close enough to be a typo. */
export function closestKey(key: string, specs: readonly ParameterSpec[]): string | undefined {
  const k = key.toLowerCase().replace(/_/g, '-');
  let best: { key: string; d: number } | undefined;
  for (const s of specs) {
    const d = distance(k, s.key);
    if (!best || d < best.d) best = { key: s.key, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.key.length / 4)) ? best.key : undefined;
}

function check(params: Readonly<Record<string, string>>, specs: readonly ParameterSpec[], kind: string): ParameterProblem[] {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) putOwn(lower, k.toLowerCase(), v);
  const out: ParameterProblem[] = [];
  const known = specs.map((s) => s.key).join(', ');
  for (const [key, value] of Object.entries(params)) {
    if (sidecarKey(key)) continue;
    const spec = specs.find((s) => s.key === key.toLowerCase());
    if (!spec) {
      const near = closestKey(key, specs);
      out.push({
        rule: 'gcp-pd-unknown-parameter',
        key,
        severity: 'error',
        message: `${PD_DRIVER} rejects every ${kind} with this key (parameters contains invalid option "${key}")${near ? `: did you mean "${near}"?` : `; it knows ${known}`}`,
        ...(near ? { replacement: { what: 'key' as const, text: near } } : {}),
      });
      continue;
    }
    const problem = spec.check?.(value, lower);
    if (problem) out.push({ rule: 'gcp-pd-invalid-value', key, ...problem });
  }
  return out;
}

/** What the driver refuses (or misreads) in a StorageClass's parameters. */
export function checkStorageClassParameters(params: Readonly<Record<string, string>>): ParameterProblem[] {
  return check(params, STORAGE_CLASS_PARAMETERS, 'StorageClass');
}

/** What the driver refuses in a VolumeSnapshotClass's parameters. */
export function checkSnapshotClassParameters(params: Readonly<Record<string, string>>): ParameterProblem[] {
  return check(params, SNAPSHOT_CLASS_PARAMETERS, 'VolumeSnapshotClass');
}

/** A parameter's value by its key, whatever its case (the driver lowercases keys). */
export function parameter(params: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (!params) return undefined;
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === key) return v;
  return undefined;
}

/** The disk type, lowercased as the driver does; pd-standard when unset. */
export function diskType(params: Readonly<Record<string, string>> | undefined): string {
  const t = parameter(params, 'type');
  return t ? t.toLowerCase() : 'pd-standard';
}

/** `DiskParameters.IsRegional`: replication-type regional-pd, or a hyperdisk-balanced-high-availability disk. */
export function isRegional(params: Readonly<Record<string, string>> | undefined): boolean {
  return (parameter(params, 'replication-type') ?? '').toLowerCase() === 'regional-pd' || diskType(params) === 'hyperdisk-balanced-high-availability';
}

/** `common.IsHyperdisk`. */
export function isHyperdisk(type: string): boolean {
  return type.startsWith('hyperdisk-');
}

/** A VolumeSnapshotClass parameter set that makes images (`snapshot-type: images`, compared as CDI and the driver do). */
export function makesImages(params: Readonly<Record<string, string>> | undefined): boolean {
  return params?.['snapshot-type'] === 'images';
}
