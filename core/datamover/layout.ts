/**
 * Where the datamover's files live under a BSL prefix, and how to tell its JSON files from other JSON. Layout
 * (design document, and pkg/uploader/objectstore.go GetQCOWPath / GetVMBackupManifestPath at 122a06b):
 *
 *   <prefix>-kubevirt-datamover/checkpoints/<ns>/<vm>/index.json                  per-VM index
 *   <prefix>-kubevirt-datamover/checkpoints/<ns>/<vm>/<checkpoint>/<file>.qcow2   checkpoint data
 *   <prefix>-kubevirt-datamover/manifests/<backup>/index.json                     per-backup index
 *   <prefix>-kubevirt-datamover/manifests/<backup>/<ns>-<vm>.json                 per-VM chain (design: <vm>.json)
 *
 * Paths are '/'-separated strings (CLI paths or file URIs alike); nothing here touches a file system.
 */
import type { DatamoverRole } from './types.js';

export const prefixSuffix = '-kubevirt-datamover';

export interface DatamoverLocation {
  role: DatamoverRole;
  /** Everything before `checkpoints/` or `manifests/`, with its trailing '/' ('' for a relative path that starts there). */
  root: string;
  /** Whether the root is a `…-kubevirt-datamover/` folder, which makes the path alone enough to recognise the file. */
  suffixed: boolean;
  namespace?: string;
  vm?: string;
  backup?: string;
}

const LAYOUT = /^(.*\/)?(?:checkpoints\/([^/]+)\/([^/]+)\/index\.json|manifests\/([^/]+)\/([^/]+)\.json)$/;

/** The file's place in the layout, if its path has that shape. */
export function locateDatamoverPath(path: string): DatamoverLocation | undefined {
  const m = LAYOUT.exec(path.replace(/[?#].*$/, ''));
  if (!m) return undefined;
  const root = m[1] ?? '';
  const suffixed = root.replace(/\/$/, '').endsWith(prefixSuffix);
  if (m[2] !== undefined) return { role: 'vm-index', root, suffixed, namespace: decode(m[2]), vm: decode(m[3]!) };
  const backup = decode(m[4]!);
  return m[5] === 'index' ? { role: 'backup-index', root, suffixed, backup } : { role: 'vm-manifest', root, suffixed, backup };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const VM_INDEX = /"checkpoints"\s*:\s*\[/;
const VM_MANIFEST = /"checkpointChain"\s*:/;
const BACKUP_INDEX = /"backupName"\s*:/;
const MANIFEST_PATH = /"manifestPath"\s*:/;

/**
 * The role of a `.json` file: from its path when it sits in a `…-kubevirt-datamover/` prefix, else from its
 * content (a JSON object with the index's keys). Undefined for any other file.
 */
export function datamoverRole(path: string, text: string): DatamoverRole | undefined {
  if (!/\.json$/i.test(path.replace(/[?#].*$/, ''))) return undefined;
  const loc = locateDatamoverPath(path);
  if (loc?.suffixed) return loc.role;
  if (!/^\s*\{/.test(text)) return undefined;
  if (VM_MANIFEST.test(text)) return 'vm-manifest';
  if (VM_INDEX.test(text)) return 'vm-index';
  if (BACKUP_INDEX.test(text) && (MANIFEST_PATH.test(text) || loc?.role === 'backup-index')) return 'backup-index';
  return undefined;
}

/** Whether a path names a datamover file by its place alone (what an editor's file selector can match). */
export function isDatamoverPath(path: string): boolean {
  return locateDatamoverPath(path)?.suffixed === true;
}

/** `checkpoints/<ns>/<vm>/<checkpoint>/<file>` (GetQCOWPath): a file's objectPath relative to the prefix. */
export function qcowObjectPath(namespace: string, vm: string, checkpoint: string, filename: string): string {
  return `checkpoints/${namespace}/${vm}/${checkpoint}/${filename}`;
}

/** `checkpoints/<ns>/<vm>/index.json`, relative to the prefix. */
export function vmIndexPath(namespace: string, vm: string): string {
  return `checkpoints/${namespace}/${vm}/index.json`;
}

/** The per-VM chain's path as the controller writes it (GetVMBackupManifestPath) and as the design names it. */
export function vmManifestPaths(backup: string, namespace: string, vm: string): string[] {
  return [`manifests/${backup}/${namespace}-${vm}.json`, `manifests/${backup}/${vm}.json`];
}
