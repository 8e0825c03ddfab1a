/**
 * Hostile names for the analysis (issue 16): every Object.prototype property name, put in each place a manifest
 * names something (kind, apiVersion group and version, metadata.name, namespace, storage class, label and
 * annotation keys, CDIConfig's per-class overhead, VM snapshot names), and the regression corpus in
 * test/fixtures/hostile/. A hostile name must be analysed exactly as a harmless one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `constructor`, `__proto__`, `toString`, `hasOwnProperty`, `valueOf`, ... */
export const prototypeNames: readonly string[] = Object.getOwnPropertyNames(Object.prototype).sort();

/** A name no table holds, to compare with. */
export const benign = 'benign';

/** The reproducers of issue 16, kept as fixtures. */
export const hostileCorpusDir = join(__dirname, 'fixtures', 'hostile');

export function hostileCorpus(): { file: string; text: string }[] {
  return readdirSync(hostileCorpusDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => ({ file: join(hostileCorpusDir, n), text: readFileSync(join(hostileCorpusDir, n), 'utf8') }));
}

/**
 * Manifests naming everything `name`. With a harmless name they give real findings: a 21Mi restore of a 20Mi
 * snapshot on a strict provisioner (restore-size-exceeded, cdi-restore-inflation at the global overhead,
 * the class having no entry of its own),
 * a VM restore that inflates (vm-restore-inflation), an invalid quantity, a snapshot that is not ready.
 */
export function manifestsNaming(name: string): string {
  return `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: ${name}
  namespace: ${name}
  labels: {${name}: "true"}
  annotations: {${name}: x}
spec:
  volumeSnapshotClassName: ${name}
  source: {persistentVolumeClaimName: ${name}}
status: {restoreSize: 20Mi, readyToUse: true}
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata: {name: ${name}-pending, namespace: ${name}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
  annotations: {${name}: "true"}
provisioner: csi.trident.netapp.io
parameters: {${name}: x}
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: ${name}
  annotations: {${name}: x}
status:
  claimPropertySets: [{accessModes: [ReadWriteOnce], volumeMode: Filesystem}]
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata: {name: cdi}
status: {observedVersion: v1.63.1}
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata: {name: config}
status:
  filesystemOverhead:
    global: "0.06"
    # No entry for class ${name}: its overhead is the global one (names.yaml in the corpus has one).
    storageClass: {${name}-other: "0.08", other: "0.07"}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: ${name}
  labels: {cdi.kubevirt.io/applyStorageProfile: "true", ${name}: x}
  annotations: {${name}: x, cdi.kubevirt.io/storage.contentType: ${name}}
spec:
  storageClassName: ${name}
  accessModes: [ReadWriteOnce]
  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: ${name}}
  resources: {requests: {storage: 21Mi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}-ref, namespace: other}
spec:
  dataSourceRef: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: ${name}-pending, namespace: ${name}}
  resources: {requests: {storage: 1Gi}}
---
apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshot
metadata: {name: ${name}, namespace: ${name}}
spec: {source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: ${name}}}
status: {readyToUse: true, virtualMachineSnapshotContentName: ${name}}
---
apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshotContent
metadata: {name: ${name}, namespace: ${name}}
spec:
  virtualMachineSnapshotName: ${name}
  volumeBackups:
    - volumeName: ${name}
      volumeSnapshotName: ${name}
      persistentVolumeClaim:
        metadata:
          name: ${name}
          labels: {cdi.kubevirt.io/applyStorageProfile: "true", ${name}: x}
          annotations: {${name}: x}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: ${name}
          resources: {requests: {storage: 20Mi}}
---
apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineRestore
metadata: {name: ${name}, namespace: ${name}}
spec:
  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: ${name}}
  virtualMachineSnapshotName: ${name}
---
apiVersion: v1
kind: ${name}
metadata: {name: ${name}}
---
apiVersion: ${name}/v1
kind: ${name}
---
apiVersion: ${name}/v1
kind: VolumeSnapshot
metadata: {name: ${name}-other-group}
status: {restoreSize: 1 Gi}
---
apiVersion: snapshot.storage.k8s.io/${name}
kind: VolumeSnapshot
metadata: {name: ${name}-other-version}
---
apiVersion: ${name}/x
kind: name
---
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ${name}}
  - {apiVersion: ${name}/v1, kind: PersistentVolumeClaim}
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: ${name}-listed, namespace: ${name}}
    spec: {resources: {requests: {storage: 1 Gi}}}
`;
}

/** `text` with every `name` replaced by `benign`: how a finding or hover about `name` reads for the harmless name. */
export function asBenign(text: string, name: string): string {
  return text.split(name).join(benign);
}
