/**
 * The server-side dry run of a whole plan: every step through the API server with `dryRun=All`, each judged
 * against the live object (create / update / unchanged / delete / already absent). A namespaced step whose
 * namespace does not exist yet but is created by an earlier step cannot be dry-run now (the API server
 * answers 404 for the namespace): it is `deferred`, and the report says exactly which steps were dry-run and
 * which will be right after their namespace is created, before anything else is written.
 */
import { refLabel } from '../../core/ops/journal.js';
import { countActions, namespacesCreated, planSteps, type Step, type StepAction } from '../../core/ops/steps.js';
import type { ObjectRef, Plan } from '../../core/ops/types.js';
import type { ClusterConnection } from '../connection.js';
import type { ClusterError } from '../errors.js';
import type { KubeObject } from '../paths.js';
import { readable, sameContent } from './compare.js';
import { describeFailure } from './messages.js';
import { applyObject, createObject, deleteObject, patchObject, readObject, selectObjects } from './writes.js';

export interface StepOutcome {
  ref: ObjectRef;
  phase: string;
  action: StepAction;
  /** `deferred`: its namespace is created by an earlier step; dry-run once it exists. */
  dryRun: 'passed' | 'deferred';
  /** For updates: the live object and what the API server would store, for a diff. */
  live?: KubeObject;
  next?: KubeObject;
}

export interface DryRunReport {
  steps: Step[];
  outcomes: StepOutcome[];
  /** The live objects read (raw), by step index: the journal records prior values from them. */
  live: (KubeObject | undefined)[];
  /** A sentence: what was dry-run and what could not be yet. */
  summary: string;
}

export type DryRunResult = { ok: true; report: DryRunReport } | { ok: false; message: string; error: ClusterError; failedAt?: ObjectRef };

type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace' | 'list' | 'get'>;

export interface DryRunHooks {
  progress?: (message: string) => void;
  signal?: AbortSignal;
}

/** Resolves every `deleteSelected`, then dry-runs each step in order; the first refusal stops. */
export async function dryRunPlan(conn: Conn, plan: Plan, hooks: DryRunHooks = {}): Promise<DryRunResult> {
  const selected: ObjectRef[][] = [];
  for (const phase of plan.phases) {
    for (const w of phase.writes) {
      if (w.action !== 'deleteSelected') continue;
      const r = await selectObjects(conn, w.apiVersion, w.kind, w.namespace, w.labelSelector);
      if (!r.ok) return { ok: false, error: r.error, message: `Listing ${w.kind}s selected by ${w.labelSelector}${w.namespace ? ` in namespace ${w.namespace}` : ''} failed: ${r.error.message}.` };
      selected.push(r.value);
    }
  }
  let n = 0;
  const steps = planSteps(plan, () => selected[n++] ?? []);
  const created = namespacesCreated(steps);
  const missing = await missingNamespaces(conn, steps);
  if (!missing.ok) return missing;

  const outcomes: StepOutcome[] = [];
  const live: (KubeObject | undefined)[] = [];
  for (const [i, s] of steps.entries()) {
    if (hooks.signal?.aborted) return { ok: false, error: { kind: 'timeout', message: 'cancelled' }, message: 'Cancelled during the dry run; nothing was applied.' };
    const ns = s.ref.namespace;
    const phase = plan.phases[s.phase]!.id;
    if (ns && missing.value.has(ns)) {
      const creator = created.get(ns);
      if (creator === undefined || creator >= i) {
        const error: ClusterError = { kind: 'not-found', message: `namespace "${ns}" does not exist` };
        return { ok: false, error, failedAt: s.ref, message: `The dry run failed at ${refLabel(s.ref)} (step ${i + 1} of ${steps.length}): namespace ${ns} does not exist and the plan does not create it.` };
      }
      outcomes.push({ ref: s.ref, phase, action: s.write.action === 'delete' ? 'absent' : 'create', dryRun: 'deferred' });
      live.push(undefined);
      continue;
    }
    hooks.progress?.(`Dry run ${i + 1}/${steps.length}: ${refLabel(s.ref)}`);
    const r = await dryRunStep(conn, s);
    if (!r.ok) return { ok: false, error: r.error, failedAt: s.ref, message: await describeFailure(conn, s, r.error, 'dry run', i, steps.length) };
    outcomes.push({ ref: s.ref, phase, ...r.value.outcome });
    live.push(r.value.live);
  }
  return { ok: true, report: { steps, outcomes, live, summary: summarize(outcomes, missing.value) } };
}

/** Namespaces the steps write into that do not exist now. */
async function missingNamespaces(conn: Conn, steps: readonly Step[]): Promise<{ ok: true; value: Set<string> } | { ok: false; message: string; error: ClusterError }> {
  const out = new Set<string>();
  for (const ns of new Set(steps.map((s) => s.ref.namespace).filter((x): x is string => !!x))) {
    const r = await readObject(conn, { apiVersion: 'v1', kind: 'Namespace', name: ns });
    if (!r.ok) return { ok: false, error: r.error, message: `Cannot tell whether namespace ${ns} exists: ${r.error.message}.` };
    if (r.value === undefined) out.add(ns);
  }
  return { ok: true, value: out };
}

type StepDryRun = { ok: true; value: { outcome: Omit<StepOutcome, 'ref' | 'phase'>; live: KubeObject | undefined } } | { ok: false; error: ClusterError };

/** One step's dry run, judged against the live object read just before. */
export async function dryRunStep(conn: Conn, s: Step): Promise<StepDryRun> {
  const w = s.write;
  const current = w.action === 'create' && !w.object.metadata.name ? { ok: true as const, value: undefined } : await readObject(conn, s.ref);
  if (!current.ok) return current;
  const liveObj = current.value;
  if (w.action === 'delete') {
    if (!liveObj) return { ok: true, value: { outcome: { action: 'absent', dryRun: 'passed' }, live: undefined } };
    const r = await deleteObject(conn, s.ref, { dryRun: true, propagationPolicy: w.propagationPolicy });
    if (!r.ok) return r;
    return { ok: true, value: { outcome: { action: r.value === 'absent' ? 'absent' : 'delete', dryRun: 'passed', live: readable(liveObj) }, live: liveObj } };
  }
  const answer =
    w.action === 'apply' ? await applyObject(conn, w.object, true)
    : w.action === 'create' ? await createObject(conn, w.object, true)
    : await patchObject(conn, w.target, w.patchType, w.patch, true);
  if (!answer.ok) return answer;
  if (!liveObj) return { ok: true, value: { outcome: { action: 'create', dryRun: 'passed', next: readable(answer.value) }, live: undefined } };
  const action: StepAction = sameContent(liveObj, answer.value) ? 'unchanged' : 'update';
  return { ok: true, value: { outcome: { action, dryRun: 'passed', ...(action === 'update' ? { live: readable(liveObj), next: readable(answer.value) } : {}) }, live: liveObj } };
}

function summarize(outcomes: readonly StepOutcome[], missing: ReadonlySet<string>): string {
  const passed = outcomes.filter((o) => o.dryRun === 'passed');
  const deferred = outcomes.filter((o) => o.dryRun === 'deferred');
  const head = `The server-side dry run passed for ${passed.length} of ${outcomes.length} write${outcomes.length === 1 ? '' : 's'} (${countActions(passed.map((o) => o.action))}).`;
  if (deferred.length === 0) return head;
  const namespaces = [...missing].filter((ns) => deferred.some((o) => o.ref.namespace === ns));
  return `${head} ${deferred.length} write${deferred.length === 1 ? '' : 's'} in namespace${namespaces.length === 1 ? '' : 's'} ${namespaces.join(', ')}, which this plan creates, cannot be dry-run until ${namespaces.length === 1 ? 'it exists' : 'they exist'}: apply dry-runs ${deferred.length === 1 ? 'it' : 'them'} right after creating ${namespaces.length === 1 ? 'it' : 'them'}, before anything else is written, and deletes ${namespaces.length === 1 ? 'it' : 'them'} again if that dry run fails.`;
}
