/**
 * Every datamover check over a set of files: what reading each file found, each VM index on its own and against
 * the backups using it, and each backup chain resolved against its index. Findings name the file they are in.
 */
import type { Finding } from '../types.js';
import { resolveChain } from './chain.js';
import { checkVmIndex } from './indexChecks.js';
import { vmIndexPath } from './layout.js';
import { datamoverFinding } from './rules.js';
import type { DatamoverSet, VmBackup } from './set.js';
import { noLocalFiles, type LocalFiles } from './types.js';

/** All findings of the set, or of one file (`only`), in no particular order. */
export function checkDatamover(set: DatamoverSet, local: LocalFiles = noLocalFiles, only?: string): Finding[] {
  const out: Finding[] = [];
  const backups = set.vmBackups();
  const wanted = (file: string) => only === undefined || file === only;
  for (const entry of set.all()) if (wanted(entry.file)) out.push(...entry.decoded.findings);
  for (const { entry, doc } of set.docs('vm-index')) {
    if (!wanted(doc.file)) continue;
    const users = backups.filter((b) => b.index === doc);
    out.push(...checkVmIndex(entry, doc, { local, backups: users }));
  }
  for (const vb of backups) {
    if (!wanted(vb.manifest.file)) continue;
    if (!vb.index) {
      out.push(indexNotFound(vb));
      continue;
    }
    out.push(...resolveChain(vb).findings);
  }
  for (const { entry, doc } of set.backupIndexes()) {
    if (!wanted(doc.file)) continue;
    for (const vm of doc.vms) {
      const path = vm.manifestPath;
      if (path && local.size(entry.scope + path.value) === 'absent' && !set.has(entry.scope + path.value)) {
        out.push(datamoverFinding('datamover-file-missing', doc.file, path.range, `${path.value} is not in the local copy: the restore of ${vm.namespace?.value ?? '?'}/${vm.name?.value ?? '?'} from this backup has no chain`));
      }
    }
  }
  return out;
}

function indexNotFound(vb: VmBackup): Finding {
  const m = vb.manifest;
  return datamoverFinding(
    'datamover-index-not-found',
    m.file,
    m.name?.range ?? m.chainRange ?? m.range,
    `${vmIndexPath(vb.namespace, vb.vm)} is not among the analysed files, so the chain of ${vb.namespace}/${vb.vm} cannot be checked`,
  );
}
