/** Storage a completion test sees: classes, profiles, CDI, a clone source, PVCs and snapshots. */
import { Workspace } from '../../../core/workspace.js';
import { defaultSettings, type Position } from '../../../core/types.js';
import type { CompletionResult } from '../../../core/completion/index.js';

export const storage = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: trident-nas
  annotations:
    storageclass.kubevirt.io/is-default-virt-class: "true"
provisioner: csi.trident.netapp.io
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ocs-rbd
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: openshift-storage.rbd.csi.ceph.com
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: hostpath
provisioner: kubevirt.io.hostpath-provisioner
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: trident-nas
status:
  claimPropertySets:
  - accessModes: [ReadWriteMany]
    volumeMode: Filesystem
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: ocs-rbd
  annotations:
    cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi
status:
  claimPropertySets:
  - accessModes: [ReadWriteMany]
    volumeMode: Block
  - accessModes: [ReadWriteOnce]
    volumeMode: Filesystem
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata:
  name: config
status:
  filesystemOverhead:
    global: "0.06"
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata:
  name: cdi
status:
  observedVersion: v1.64.0
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: VolumeCloneSource
metadata:
  name: golden-fedora
  namespace: vms
spec:
  source:
    kind: PersistentVolumeClaim
    name: fedora-42
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: VolumeImportSource
metadata:
  name: cirros-import
  namespace: vms
spec:
  source:
    http:
      url: https://download.cirros-cloud.net/0.6.2/cirros-0.6.2-x86_64-disk.img
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: fedora-42
  namespace: vms
spec:
  storageClassName: ocs-rbd
  accessModes: [ReadWriteMany]
  volumeMode: Block
  resources:
    requests:
      storage: 30Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: scratch
  namespace: vms
spec:
  resources:
    requests:
      storage: 1Gi
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: db-snap
  namespace: vms
spec:
  source:
    persistentVolumeClaimName: db
status:
  readyToUse: true
  restoreSize: 20Mi
`;

/**
 * Clone sources where CDI's webhook model (cloneSizeFromSource) and a looser one disagree: a VolumeCloneSource of
 * the same name in another namespace (CDI ignores `dataSourceRef.namespace`), and a bound source PVC on ocs-rbd
 * (Block) whose capacity (32Gi) is more than its request (30Gi): a clone to another class or mode takes the capacity.
 */
export const clones = `apiVersion: cdi.kubevirt.io/v1beta1
kind: VolumeCloneSource
metadata: { name: golden-fedora, namespace: golden-images }
spec: { source: { kind: PersistentVolumeClaim, name: big } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: big, namespace: golden-images }
spec: { storageClassName: ocs-rbd, volumeMode: Block, resources: { requests: { storage: 50Gi } } }
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: VolumeCloneSource
metadata: { name: golden-rhel, namespace: vms }
spec: { source: { kind: PersistentVolumeClaim, name: rhel-9 } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: rhel-9, namespace: vms }
spec: { storageClassName: ocs-rbd, volumeMode: Block, accessModes: [ReadWriteMany], resources: { requests: { storage: 30Gi } } }
status: { phase: Bound, capacity: { storage: 32Gi } }
`;

/** The text with `§` marking the cursor, and where it is. */
export function marked(text: string): { text: string; pos: Position } {
  const i = text.indexOf('§');
  if (i < 0) throw new Error('mark the cursor with §');
  const before = text.slice(0, i).split('\n');
  return { text: text.slice(0, i) + text.slice(i + 1), pos: { line: before.length - 1, character: before[before.length - 1]!.length } };
}

/** Completion in `text` (cursor marked with `§`), with the storage above in another file. */
export function completeIn(text: string, extra: Record<string, string> = {}): CompletionResult {
  const ws = new Workspace();
  ws.setFile('storage.yaml', storage);
  for (const [f, t] of Object.entries(extra)) ws.setFile(f, t);
  const { text: t, pos } = marked(text);
  ws.setFile('edit.yaml', t);
  return ws.complete('edit.yaml', pos, { settings: defaultSettings });
}

export const labels = (r: CompletionResult): string[] => r.items.map((i) => i.label);

export const vm = (spec: string) => `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: cirros
  namespace: vms
spec:
${spec}`;
