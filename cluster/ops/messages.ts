/** How the engine names a failed write: which object, which step, why, and what permission is missing. */
import { refLabel } from '../../core/ops/journal.js';
import type { Step } from '../../core/ops/steps.js';
import type { ClusterConnection } from '../connection.js';
import type { ClusterError } from '../errors.js';

const verbs: Record<Step['write']['action'], string> = { apply: 'patch', create: 'create', patch: 'patch', delete: 'delete' };

export async function describeFailure(conn: Pick<ClusterConnection, 'resource'>, s: Step, error: ClusterError, phase: string, index: number, total: number): Promise<string> {
  let hint = '';
  if (error.kind === 'forbidden') {
    const r = await conn.resource(s.ref.apiVersion, s.ref.kind);
    const resource = r.ok ? (r.value.group ? `${r.value.plural}.${r.value.group}` : r.value.plural) : s.ref.kind;
    const where = s.ref.namespace ? `in namespace ${s.ref.namespace}` : 'at the cluster scope';
    const verb = s.write.action === 'apply' ? 'patch (and create)' : verbs[s.write.action];
    hint = ` Missing permission: ${verb} ${resource} ${where}.`;
  } else if (error.kind === 'conflict' && error.status === 409 && s.write.action === 'apply') {
    hint = ' Another field manager owns fields this plan sets; change them back or remove that manager\'s ownership, then apply again.';
  }
  return `The ${phase} failed at ${refLabel(s.ref)} (step ${index + 1} of ${total}): ${error.message}.${hint}`;
}
