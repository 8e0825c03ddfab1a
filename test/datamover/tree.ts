/**
 * Generated datamover backup trees (the layout of a `<prefix>-kubevirt-datamover/` folder), as the controller's
 * uploader writes them: per-VM index, per-backup index, per-backup-per-VM chain. Scenarios are built from a whole
 * chain by small edits, so each test names exactly one defect.
 */

export interface TreeDisk {
  pvc: string;
  disk: string;
  /** pvcSizes entry, e.g. "10Gi". */
  pvcSize: string;
  /** Bytes of the checkpoint's qcow2 file for this disk (the index's `size`). */
  fileBytes: number;
}

export interface TreeCheckpoint {
  id: string;
  type: 'full' | 'incremental';
  parent?: string;
  vmBackup: string;
  timestamp: string;
  disks: TreeDisk[];
  referencedBy: string[];
}

export interface TreeVm {
  namespace: string;
  name: string;
  checkpoints: TreeCheckpoint[];
}

export interface TreeBackup {
  name: string;
  timestamp: string;
  vms: { namespace: string; name: string; chain: string[] }[];
}

export interface Tree {
  vms: TreeVm[];
  backups: TreeBackup[];
}

/** A file of the tree: JSON text, or a qcow2 file of `bytes` bytes (written by the caller however it likes). */
export type TreeFile = { kind: 'json'; text: string } | { kind: 'qcow2'; bytes: number; checkpoint: string; disk: string; namespace: string; vm: string };

export function qcow2Name(c: TreeCheckpoint, d: TreeDisk): string {
  return `${c.vmBackup}-${d.disk}.qcow2`;
}

/** Relative path → file. Paths are relative to the `…-kubevirt-datamover/` folder. */
export function treeFiles(tree: Tree): Map<string, TreeFile> {
  const files = new Map<string, TreeFile>();
  const json = (v: unknown): TreeFile => ({ kind: 'json', text: `${JSON.stringify(v, null, 2)}\n` });
  for (const vm of tree.vms) {
    const base = `checkpoints/${vm.namespace}/${vm.name}`;
    files.set(
      `${base}/index.json`,
      json({
        vmName: vm.name,
        namespace: vm.namespace,
        checkpoints: vm.checkpoints.map((c) => ({
          id: c.id,
          type: c.type,
          ...(c.parent ? { parent: c.parent } : {}),
          timestamp: c.timestamp,
          vmBackup: c.vmBackup,
          files: c.disks.map((d) => ({ filename: qcow2Name(c, d), diskName: d.disk, size: d.fileBytes, objectPath: `${base}/${c.id}/${qcow2Name(c, d)}` })),
          pvcs: c.disks.map((d) => d.pvc),
          pvcSizes: c.disks.map((d) => d.pvcSize),
          referencedBy: c.referencedBy,
        })),
      }),
    );
    for (const c of vm.checkpoints) {
      for (const d of c.disks) {
        files.set(`${base}/${c.id}/${qcow2Name(c, d)}`, { kind: 'qcow2', bytes: d.fileBytes, checkpoint: c.id, disk: d.disk, namespace: vm.namespace, vm: vm.name });
      }
    }
  }
  for (const b of tree.backups) {
    files.set(
      `manifests/${b.name}/index.json`,
      json({
        backupName: b.name,
        timestamp: b.timestamp,
        vms: b.vms.map((v) => ({ name: v.name, namespace: v.namespace, checkpointId: v.chain[v.chain.length - 1], manifestPath: `manifests/${b.name}/${v.namespace}-${v.name}.json` })),
      }),
    );
    for (const v of b.vms) {
      files.set(`manifests/${b.name}/${v.namespace}-${v.name}.json`, json({ namespace: v.namespace, name: v.name, checkpointChain: v.chain, backupName: b.name, timestamp: b.timestamp }));
    }
  }
  return files;
}

const MiB = 1024 * 1024;

/**
 * One VM with a root disk (10Gi) and a data disk (4Gi), backed up three times: day1 full, day2 and day3
 * incrementals. cp-001 and cp-002 are referenced by several backups.
 */
export function wholeChain(): Tree {
  const disks = (root: number, data: number): TreeDisk[] => [
    { pvc: 'vm1-rootdisk', disk: 'rootdisk', pvcSize: '10Gi', fileBytes: root },
    { pvc: 'vm1-data', disk: 'datadisk', pvcSize: '4Gi', fileBytes: data },
  ];
  return {
    vms: [
      {
        namespace: 'vms',
        name: 'vm1',
        checkpoints: [
          { id: 'cp-001', type: 'full', vmBackup: 'vmb-day1', timestamp: '2026-04-01T02:00:00Z', disks: disks(2048 * MiB, 512 * MiB), referencedBy: ['day1', 'day2', 'day3'] },
          { id: 'cp-002', type: 'incremental', parent: 'cp-001', vmBackup: 'vmb-day2', timestamp: '2026-04-02T02:00:00Z', disks: disks(300 * MiB, 100 * MiB), referencedBy: ['day2', 'day3'] },
          { id: 'cp-003', type: 'incremental', parent: 'cp-002', vmBackup: 'vmb-day3', timestamp: '2026-04-03T02:00:00Z', disks: disks(200 * MiB, 50 * MiB), referencedBy: ['day3'] },
        ],
      },
    ],
    backups: [
      { name: 'day1', timestamp: '2026-04-01T02:00:00Z', vms: [{ namespace: 'vms', name: 'vm1', chain: ['cp-001'] }] },
      { name: 'day2', timestamp: '2026-04-02T02:00:00Z', vms: [{ namespace: 'vms', name: 'vm1', chain: ['cp-001', 'cp-002'] }] },
      { name: 'day3', timestamp: '2026-04-03T02:00:00Z', vms: [{ namespace: 'vms', name: 'vm1', chain: ['cp-001', 'cp-002', 'cp-003'] }] },
    ],
  };
}

/** The whole chain with cp-002 gone from the index (and its files): day2 and day3 cannot be restored. */
export function missingIncremental(): Tree {
  const t = wholeChain();
  t.vms[0]!.checkpoints.splice(1, 1);
  return t;
}

/** The whole chain, but cp-003 names cp-001 as its parent while day3's chain puts it after cp-002. */
export function wrongParent(): Tree {
  const t = wholeChain();
  t.vms[0]!.checkpoints[2]!.parent = 'cp-001';
  return t;
}
