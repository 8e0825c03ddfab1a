/**
 * The datamover files known at once (a folder for the CLI, the workspace for the editor), paired as the
 * controller pairs them: a backup's per-VM chain with the VM's index under the same prefix. Files outside the
 * layout (recognised by content) pair with those in the same folder.
 */
import { decodeDatamover } from './decode.js';
import { locateDatamoverPath, type DatamoverLocation } from './layout.js';
import type { BackupIndex, DatamoverDoc, DatamoverRole, Decoded, VmIndex, VmManifest } from './types.js';

export interface DatamoverEntry {
  file: string;
  text: string;
  role: DatamoverRole;
  /** The prefix root the file's paths are relative to: the layout's root, else the file's folder. */
  scope: string;
  location?: DatamoverLocation;
  decoded: Decoded;
}

/** A backup's chain for one VM, with the VM's index when it is known. */
export interface VmBackup {
  backup: string;
  scope: string;
  namespace: string;
  vm: string;
  manifest: VmManifest;
  index?: VmIndex;
}

export class DatamoverSet {
  private readonly entries = new Map<string, DatamoverEntry>();

  /** Adds or replaces a file of a known role (see `datamoverRole`). */
  set(file: string, text: string, role: DatamoverRole): void {
    const old = this.entries.get(file);
    if (old?.text === text && old.role === role) return;
    const location = locateDatamoverPath(file);
    const scope = location ? location.root : file.slice(0, file.lastIndexOf('/') + 1);
    const entry: DatamoverEntry = { file, text, role, scope, decoded: decodeDatamover(file, text, role) };
    if (location) entry.location = location;
    this.entries.set(file, entry);
  }

  remove(file: string): boolean {
    return this.entries.delete(file);
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  get(file: string): DatamoverEntry | undefined {
    return this.entries.get(file);
  }

  all(): DatamoverEntry[] {
    return [...this.entries.values()];
  }

  docs<R extends DatamoverRole>(role: R): { entry: DatamoverEntry; doc: Extract<DatamoverDoc, { role: R }> }[] {
    const out: { entry: DatamoverEntry; doc: Extract<DatamoverDoc, { role: R }> }[] = [];
    for (const entry of this.entries.values()) {
      const doc = entry.decoded.doc;
      if (doc?.role === role) out.push({ entry, doc: doc as Extract<DatamoverDoc, { role: R }> });
    }
    return out;
  }

  /** The VM index for (namespace, vm) under `scope`: by content, else by its place in the layout. */
  vmIndex(scope: string, namespace: string, vm: string): VmIndex | undefined {
    let byPath: VmIndex | undefined;
    for (const { entry, doc } of this.docs('vm-index')) {
      if (entry.scope !== scope) continue;
      if (doc.namespace?.value === namespace && doc.vmName?.value === vm) return doc;
      if (entry.location?.namespace === namespace && entry.location.vm === vm) byPath = doc;
    }
    return byPath;
  }

  /** Every (backup, VM) chain among the files, sorted by backup, then namespace and VM. */
  vmBackups(): VmBackup[] {
    const out: VmBackup[] = [];
    for (const { entry, doc } of this.docs('vm-manifest')) {
      const backup = entry.location?.backup ?? doc.backupName?.value;
      const id = this.manifestVm(entry, doc);
      if (backup === undefined || !id) continue;
      const vb: VmBackup = { backup, scope: entry.scope, namespace: id.namespace, vm: id.vm, manifest: doc };
      const index = this.vmIndex(entry.scope, id.namespace, id.vm);
      if (index) vb.index = index;
      out.push(vb);
    }
    return out.sort((a, b) => cmp(a.backup, b.backup) || cmp(a.namespace, b.namespace) || cmp(a.vm, b.vm) || cmp(a.manifest.file, b.manifest.file));
  }

  /** The manifests of one backup's per-backup index. */
  backupIndexes(): { entry: DatamoverEntry; doc: BackupIndex }[] {
    return this.docs('backup-index');
  }

  /**
   * The VM a manifest is for: its `namespace`/`name`, else its file name matched against the VM indexes under the
   * same prefix (`<ns>-<vm>.json` as the controller names it, `<vm>.json` as the design does).
   */
  private manifestVm(entry: DatamoverEntry, doc: VmManifest): { namespace: string; vm: string } | undefined {
    if (doc.namespace && doc.name) return { namespace: doc.namespace.value, vm: doc.name.value };
    const base = entry.file.slice(entry.file.lastIndexOf('/') + 1).replace(/\.json$/i, '');
    for (const { entry: e, doc: index } of this.docs('vm-index')) {
      if (e.scope !== entry.scope) continue;
      const ns = index.namespace?.value ?? e.location?.namespace;
      const vm = index.vmName?.value ?? e.location?.vm;
      if (ns !== undefined && vm !== undefined && (base === `${ns}-${vm}` || base === vm)) return { namespace: ns, vm };
    }
    return undefined;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
