/**
 * Deterministic generator of the benchmark bundle: one multi-document YAML file of 5,000 storage manifests
 * (PVCs restoring VolumeSnapshots, snapshots, classes, profiles, CDIConfig, CDI, DataVolumes, VMs,
 * StatefulSets, a few ConfigMaps), with labels, annotations and comments, 2–4 MB in all.
 * Run directly to write bench/out/bundle.yaml and print its size: `node --import tsx bench/generate.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClassSpec } from './clusterManifests.js';
import { cdi, cdiConfig, classes, quote, storageClass, storageProfile } from './clusterManifests.js';
import { Prng } from './prng.js';

export interface Bundle {
  text: string;
  documents: number;
  bytes: number;
  /** Documents per kind, for the report. */
  kinds: Record<string, number>;
}

const namespaces = ['vms-prod', 'vms-staging', 'databases', 'tenant-alpha', 'tenant-bravo', 'tenant-charlie', 'ci-runners', 'analytics', 'payments', 'edge-sites', 'monitoring', 'default'];
const teams = ['platform', 'dba', 'payments', 'data', 'sre', 'edge', 'ml'];
const apps = ['postgres', 'mysql', 'redis', 'kafka', 'win11', 'rhel9', 'fedora', 'minio', 'elastic', 'gitlab', 'tpm-state', 'efi-vars'];
/** Sizes as written, with the next larger and smaller ones (to make wrongly sized restores). */
const sizes = ['20Mi', '512Mi', '1Gi', '1536Mi', '2Gi', '5Gi', '10Gi', '20Gi', '30G', '50Gi', '64Gi', '100Gi'];
const images = ['quay.io/containerdisks/fedora:40', 'quay.io/containerdisks/centos-stream:9', 'registry.redhat.io/rhel9/rhel-guest-image:latest', 'quay.io/kubevirt/cirros-container-disk-demo:v1.3'];

interface Snap {
  name: string;
  namespace: string;
  size: number; // index into sizes
  cls: ClassSpec;
}

function labels(r: Prng, app: string, pad: string, extra: Record<string, string> = {}): string {
  const l: Record<string, string> = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': r.pick(teams), ...extra };
  if (r.chance(0.5)) l['backup.velero.io/schedule'] = r.pick(['hourly', 'nightly', 'weekly']);
  return `${pad}labels:\n${Object.entries(l).map(([k, v]) => `${pad}  ${k}: ${/^[a-z][a-z0-9-]*$/.test(v) && v !== 'true' && v !== 'false' ? v : quote(v)}\n`).join('')}`;
}

function volumeSnapshot(s: Snap, r: Prng): string {
  const status = r.chance(0.04)
    ? '' // not reported yet
    : `status:
  boundVolumeSnapshotContentName: snapcontent-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}
  creationTime: "2025-10-${r.int(10, 28)}T0${r.int(0, 9)}:${r.int(10, 59)}:00Z"
  readyToUse: ${r.chance(0.95) ? 'true' : 'false'}
  restoreSize: ${sizes[s.size]}
`;
  return `${r.chance(0.3) ? `# Nightly snapshot of ${s.name.split('-snap-')[0]}\n` : ''}apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: ${s.name}
  namespace: ${s.namespace}
${labels(r, r.pick(apps), '  ')}  annotations:
    snapshot.storage.kubernetes.io/created-by: scheduler-${r.hex(5)}
spec:
  volumeSnapshotClassName: ${s.cls.name}-snapclass
  source:
    persistentVolumeClaimName: ${s.name.split('-snap-')[0]}
${status}`;
}

/** The request a restore of `s` asks for: mostly right, sometimes larger or smaller, rarely invalid. */
function restoreRequest(s: Snap, r: Prng): string {
  const x = r.next();
  if (x < 0.1) return sizes[Math.min(s.size + 1, sizes.length - 1)]!;
  if (x < 0.15) return sizes[Math.max(s.size - 1, 0)]!;
  if (x < 0.16) return `${sizes[s.size]!.replace(/[A-Za-z]+$/, '')} Gi`; // invalid quantity
  return sizes[s.size]!;
}

function ref(key: 'dataSource' | 'dataSourceRef', snap: string, pad: string): string {
  return `${pad}${key}:\n${pad}  apiGroup: snapshot.storage.k8s.io\n${pad}  kind: VolumeSnapshot\n${pad}  name: ${snap}\n`;
}

function pvcSpec(r: Prng, snap: Snap | undefined, pad: string): string {
  const cls = snap?.cls ?? r.pick(classes);
  const size = snap ? restoreRequest(snap, r) : r.pick(sizes);
  const access = r.chance(0.5) ? ` [${cls.access}]` : `\n${pad}  - ${cls.access}`;
  let refs = '';
  if (snap) {
    const name = r.chance(0.03) ? `${snap.name}-gone` : snap.name;
    const x = r.next();
    refs = x < 0.5 ? ref('dataSource', name, `${pad}  `) : x < 0.75 ? ref('dataSourceRef', name, `${pad}  `) : ref('dataSource', name, `${pad}  `) + ref('dataSourceRef', name, `${pad}  `);
  }
  return `${pad}spec:
${pad}  accessModes:${access}
${r.chance(0.7) ? `${pad}  volumeMode: ${cls.mode}\n` : ''}${r.chance(0.9) ? `${pad}  storageClassName: ${cls.name}\n` : ''}${pad}  resources:
${pad}    requests:
${pad}      storage: ${size}${r.chance(0.2) ? '  # sized from the snapshot' : ''}
${refs}`;
}

function pvc(r: Prng, i: number, snaps: Snap[]): string {
  const snap = r.chance(0.6) ? r.pick(snaps) : undefined;
  const app = r.pick(apps);
  const extra: Record<string, string> = snap && r.chance(0.3) ? { 'cdi.kubevirt.io/applyStorageProfile': 'true' } : {};
  return `${r.chance(0.35) ? `# ${snap ? `Restore of ${snap.name}` : `Data volume for ${app}`} (ticket OPS-${r.int(1000, 9999)})\n` : ''}apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${snap ? 'restore' : app}-${i}-${r.hex(5)}
  namespace: ${snap?.namespace ?? r.pick(namespaces)}
${labels(r, app, '  ', extra)}  annotations:
    volume.kubernetes.io/storage-provisioner: ${(snap?.cls ?? r.pick(classes)).provisioner}
${pvcSpec(r, snap, '')}`;
}

function dataVolume(r: Prng, i: number, snaps: Snap[]): string {
  const snap = r.chance(0.25) ? r.pick(snaps) : undefined;
  const cls = snap?.cls ?? r.pick(classes);
  const source = snap
    ? `    snapshot:\n      namespace: ${snap.namespace}\n      name: ${snap.name}\n`
    : r.chance(0.5)
      ? `    registry:\n      url: "docker://${r.pick(images)}"\n      pullMethod: node\n`
      : `    http:\n      url: https://images.example.com/${r.pick(apps)}/${r.hex(8)}.qcow2\n`;
  return `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata:
  name: dv-${r.pick(apps)}-${i}
  namespace: ${snap?.namespace ?? r.pick(namespaces)}
${labels(r, 'golden-image', '  ')}  annotations:
    cdi.kubevirt.io/storage.bind.immediate.requested: "true"
spec:
  source:
${source}  storage:
    accessModes: [${cls.access}]
    ${r.chance(0.5) ? `storageClassName: ${cls.name}` : `volumeMode: ${cls.mode}`}
    resources:
      requests:
        storage: ${snap ? sizes[snap.size] : r.pick(sizes)}
`;
}

function virtualMachine(r: Prng, i: number): string {
  const name = `${r.pick(apps)}-vm-${i}`;
  const disks = r.int(1, 2);
  const templates = Array.from({ length: disks }, (_, d) => {
    const cls = r.pick(classes);
    return `  - metadata:
      name: ${name}-disk${d}
    spec:
      sourceRef:
        kind: DataSource
        name: ${r.pick(['fedora', 'rhel9', 'centos-stream9', 'win2k22'])}
        namespace: openshift-virtualization-os-images
      storage:
        storageClassName: ${cls.name}
        resources:
          requests:
            storage: ${r.pick(sizes)}
`;
  }).join('');
  const ds = Array.from({ length: disks }, (_, d) => `          - name: disk${d}\n            disk:\n              bus: virtio\n`).join('');
  const vols = Array.from({ length: disks }, (_, d) => `        - name: disk${d}\n          dataVolume:\n            name: ${name}-disk${d}\n`).join('');
  return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${r.pick(namespaces)}
${labels(r, name, '  ')}spec:
  runStrategy: ${r.pick(['Always', 'Halted', 'RerunOnFailure'])}
  dataVolumeTemplates:
${templates}  template:
    spec:
      domain:
        cpu: {cores: ${r.int(1, 8)}}
        memory: {guest: ${r.pick(['2Gi', '4Gi', '8Gi', '16Gi'])}}
        devices:
          disks:
${ds}      volumes:
${vols}`;
}

function statefulSet(r: Prng, i: number, snaps: Snap[]): string {
  const app = r.pick(apps);
  const namespace = r.pick(namespaces);
  const local = snaps.filter((s) => s.namespace === namespace);
  const claims = Array.from({ length: r.int(1, 2) }, (_, c) => {
    const snap = local.length > 0 && r.chance(0.3) ? r.pick(local) : undefined;
    return `    - metadata:\n        name: data${c}\n${pvcSpec(r, snap, '      ')}`;
  }).join('');
  return `${r.chance(0.3) ? `# ${app} cluster, ${r.int(1, 5)} replicas\n` : ''}apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${app}-${i}
  namespace: ${namespace}
spec:
  serviceName: ${app}-${i}
  replicas: ${r.int(1, 5)}
  selector:
    matchLabels: {app: ${app}-${i}}
  template:
    metadata:
      labels: {app: ${app}-${i}}
    spec:
      containers:
        - name: ${app}
          image: docker.io/library/${app}:latest
          volumeMounts:
            - {name: data0, mountPath: /var/lib/${app}}
  volumeClaimTemplates:
${claims}`;
}

function configMap(r: Prng, i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: backup-policy-${i}
  namespace: ${r.pick(namespaces)}
data:
  schedule: "${r.int(0, 59)} ${r.int(0, 23)} * * *"
  retention: "${r.int(3, 30)}d"
  target: s3://backups-${r.hex(6)}/${r.pick(apps)}
`;
}

const weights: [string, number][] = [
  ['PersistentVolumeClaim', 33],
  ['VolumeSnapshot', 24],
  ['DataVolume', 14],
  ['VirtualMachine', 10],
  ['StatefulSet', 10],
  ['ConfigMap', 9],
];

function pickKind(r: Prng): string {
  let x = r.next() * weights.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of weights) if ((x -= w) < 0) return k;
  return weights[0]![0];
}

/** Generates `count` documents (default 5,000) from `seed`; the same seed always gives the same text. */
export function generateBundle(seed = 20251121, count = 5000): Bundle {
  const r = new Prng(seed);
  const fixed = [...classes.map((c) => storageClass(c, r)), ...classes.map(storageProfile), cdiConfig(), cdi];
  const kinds: Record<string, number> = { StorageClass: classes.length, StorageProfile: classes.length, CDIConfig: 1, CDI: 1 };
  const plan = Array.from({ length: Math.max(0, count - fixed.length) }, () => pickKind(r));
  const snaps: Snap[] = plan
    .filter((k) => k === 'VolumeSnapshot')
    .map((_, i) => {
      const namespace = r.pick(namespaces);
      return { name: `${r.pick(apps)}-${i}-snap-${r.hex(6)}`, namespace, size: r.int(0, sizes.length - 1), cls: r.pick(classes) };
    });
  let s = 0;
  const docs = plan.map((kind, i) => {
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    switch (kind) {
      case 'VolumeSnapshot':
        return volumeSnapshot(snaps[s++]!, r);
      case 'PersistentVolumeClaim':
        return pvc(r, i, snaps);
      case 'DataVolume':
        return dataVolume(r, i, snaps);
      case 'VirtualMachine':
        return virtualMachine(r, i);
      case 'StatefulSet':
        return statefulSet(r, i, snaps);
      default:
        return configMap(r, i);
    }
  });
  const all = [...fixed, ...docs];
  const text = `# Benchmark bundle: ${all.length} documents, seed ${seed}. Generated by bench/generate.ts.\n${all.join('---\n')}`;
  return { text, documents: all.length, bytes: Buffer.byteLength(text), kinds };
}

/** Where `generate.ts` writes the bundle when run directly (git-ignored). */
export const bundlePath = join(__dirname, 'out', 'bundle.yaml');

if (require.main === module) {
  const b = generateBundle();
  mkdirSync(dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, b.text);
  console.log(`${bundlePath}: ${b.documents} documents, ${(b.bytes / 1e6).toFixed(2)} MB (${b.bytes} bytes), ${Math.round(b.bytes / b.documents)} bytes/document`);
  console.log(Object.entries(b.kinds).map(([k, n]) => `  ${k}: ${n}`).join('\n'));
}
