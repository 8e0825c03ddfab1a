/**
 * Every operation over the typed protocol (protocol/operations.ts): list, plan, dry-run, apply, undo preview,
 * undo, status. Thin: each finds the connected cluster, calls cluster/ops, converts; LSP cancellation becomes
 * an AbortSignal and the engine's progress `operations/progress` notifications. Plans are kept by id, so
 * dry-run and apply use exactly what the user previewed.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import type { ClusterConnection } from '../cluster/connection.js';
import { applyPlan, dryRun, type Progress } from '../cluster/ops/engine.js';
import { DEFAULT_JOURNAL_NAMESPACE, listJournals } from '../cluster/ops/journalStore.js';
import { checkOptions, operation, operations, type OperationContext } from '../cluster/ops/registry.js';
import { previewUndo, undoRuns } from '../cluster/ops/undo.js';
import type { Plan } from '../core/ops/types.js';
import {
  operationApplyRequest,
  operationDryRunRequest,
  operationPlanRequest,
  operationProgressNotification,
  operationsListRequest,
  operationStatusRequest,
  operationUndoPreviewRequest,
  operationUndoRequest,
  type UndoParams,
} from '../protocol/operations.js';
import type { ServerContext } from './context.js';
import { dryRunView, operationInfo, plannedView, runView, undoPreviewView } from './operationViews.js';

const notConnected = { ok: false as const, message: 'No cluster is connected: select a context (kubevirtStorage.cluster.*) and try again.' };

/** A request handler's work: a bug is logged once and answered as a failure rather than left unanswered. */
export async function guardedRequest<T>(context: Pick<ServerContext, 'health'>, what: string, run: () => Promise<T>, failed: (message: string) => T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    context.health.logOnce(what, error);
    return failed(`${what} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The last `capacity` plans by id. */
export class PlanStore {
  private readonly plans = new Map<string, Plan>();
  private counter = 0;

  constructor(private readonly capacity = 5) {}

  put(plan: Plan): string {
    const id = `plan-${++this.counter}-${Math.random().toString(36).slice(2, 8)}`;
    this.plans.set(id, plan);
    while (this.plans.size > this.capacity) this.plans.delete(this.plans.keys().next().value as string);
    return id;
  }

  get(id: string): Plan | undefined {
    return this.plans.get(id);
  }
}

export interface OperationsHooks {
  /** After an apply or undo of an operation (e.g. to refresh what depends on the webhook being deployed). */
  changed: (operation: string) => void;
}

/** What an operation knows besides the cluster: the time, and the CDI version (the live facts', else the setting). */
export function operationContextOf(context: ServerContext, c: ClusterConnection): OperationContext {
  const fact = context.cluster()?.facts.cdiVersion();
  const configured = context.options().settings.cdiVersion;
  const cdiVersion = fact?.version ? { version: fact.version, source: `CDI CR status.observedVersion on context ${c.context}` } : configured ? { version: configured, source: 'setting kubevirtStorage.cdi.version' } : undefined;
  return { now: new Date(), ...(cdiVersion ? { cdiVersion } : {}) };
}

export function registerOperations(context: ServerContext, hooks: OperationsHooks): void {
  const { connection } = context;
  const plans = new PlanStore(10);
  const conn = (): ClusterConnection | undefined => context.cluster()?.connection;
  const operationContext = (c: ClusterConnection): OperationContext => operationContextOf(context, c);
  const journalNamespace = (given?: string): string => given?.trim() || DEFAULT_JOURNAL_NAMESPACE;
  /** A signal and a progress sink for one request. */
  const hooksFor = (planId: string, token: CancellationToken | undefined) => {
    const abort = new AbortController();
    if (token?.isCancellationRequested) abort.abort();
    const subscription = token?.onCancellationRequested(() => abort.abort());
    return {
      signal: abort.signal,
      progress: (p: Progress) => void connection.sendNotification(operationProgressNotification, { planId, stage: p.stage, message: p.message }),
      dispose: () => subscription?.dispose(),
    };
  };
  const guarded = <T>(what: string, run: () => Promise<T>, failed: (message: string) => T): Promise<T> => guardedRequest(context, what, run, failed);
  const failure = (message: string) => ({ ok: false as const, message });
  const unknownPlan = (id: string | undefined) => failure(`Unknown or expired plan "${id ?? ''}": plan again.`);

  connection.onRequest(operationsListRequest, () => operations.map(operationInfo));

  connection.onRequest(operationPlanRequest, (params) =>
    guarded('Planning the operation', async () => {
      const def = operation(params?.operation ?? '');
      if (!def) return failure(`Unknown operation "${params?.operation ?? ''}" (known: ${operations.map((o) => o.id).join(', ')}).`);
      const c = conn();
      if (!c) return notConnected;
      const checked = checkOptions(def, params.options ?? {});
      if (!checked.ok) return failure(checked.message);
      const r = await def.plan(c, checked.values, operationContext(c));
      if (!r.ok) return r;
      return { ok: true as const, plan: plannedView(plans.put(r.plan), r.plan, r.questions ?? []) };
    }, failure),
  );

  /** Runs `work` on a kept plan with the connection and the request's hooks; every answer says why it could not. */
  const withPlan = <T>(what: string, ref: { planId?: string } | undefined, token: CancellationToken | undefined, work: (plan: Plan, c: ClusterConnection, h: ReturnType<typeof hooksFor>) => Promise<T>) =>
    guarded<T | { ok: false; message: string }>(what, async () => {
      const plan = plans.get(ref?.planId ?? '');
      if (!plan) return unknownPlan(ref?.planId);
      const c = conn();
      if (!c) return notConnected;
      const h = hooksFor(ref!.planId!, token);
      try {
        return await work(plan, c, h);
      } finally {
        h.dispose();
      }
    }, failure);

  connection.onRequest(operationDryRunRequest, (params, token) =>
    withPlan('The dry run', params, token, async (plan, c, h) => {
      const r = await dryRun(c, plan, h);
      return r.ok ? { ok: true as const, dryRun: dryRunView(plan, r.report) } : r;
    }),
  );

  connection.onRequest(operationApplyRequest, (params, token) =>
    withPlan('Applying the operation', params, token, async (plan, c, h) => {
      try {
        const r = await applyPlan(c, plan, { ...h, journalNamespace: journalNamespace(params.journalNamespace) });
        return { ok: true as const, run: runView(r) };
      } finally {
        hooks.changed(plan.operation);
      }
    }),
  );

  const selection = (p: UndoParams) => {
    const def = p.operation ? operation(p.operation) : undefined;
    return p.runId ? { runId: p.runId } : { operations: def ? [def.id, ...(def.undoAlso ?? [])] : p.operation ? [p.operation] : undefined };
  };

  connection.onRequest(operationUndoPreviewRequest, (params) =>
    guarded('Reading the undo journal', async () => {
      const c = conn();
      if (!c) return notConnected;
      const r = await previewUndo(c, journalNamespace(params?.journalNamespace), { ...selection(params ?? {}), force: params?.force === true });
      return r.ok ? { ok: true as const, preview: undoPreviewView(r.preview) } : r;
    }, failure),
  );

  connection.onRequest(operationUndoRequest, (params, token) =>
    guarded('Undoing the operation', async () => {
      const c = conn();
      if (!c) return { ...notConnected, conflicts: [] };
      const h = hooksFor(`undo:${params?.runId ?? params?.operation ?? ''}`, token);
      try {
        const r = await undoRuns(c, journalNamespace(params?.journalNamespace), selection(params ?? {}), { force: params?.force === true, ...h });
        return { ok: r.ok, message: r.message, conflicts: r.conflicts.map((x) => x.message) };
      } finally {
        h.dispose();
        if (params?.operation) hooks.changed(params.operation);
      }
    }, (message) => ({ ok: false, message, conflicts: [] })),
  );

  connection.onRequest(operationStatusRequest, (params) =>
    guarded('Reading the status', async () => {
      const def = operation(params?.operation ?? '');
      if (!def) return failure(`Unknown operation "${params?.operation ?? ''}".`);
      const c = conn();
      if (!c) return notConnected;
      const ns = journalNamespace(params.journalNamespace);
      const s = def.status ? await def.status(c, operationContext(c)) : { ok: true as const, summary: def.title, details: [], data: undefined };
      if (!s.ok) return s;
      const runs = await listJournals(c, ns);
      const mine = new Set([def.id, ...(def.undoAlso ?? [])]);
      return {
        ok: true as const,
        summary: s.summary,
        details: [...s.details, ...(runs.ok ? [] : [`The undo journals in namespace ${ns} cannot be read: ${runs.error.message}`])],
        journalNamespace: ns,
        runs: (runs.ok ? runs.value : [])
          .filter((r) => mine.has(r.journal.operation))
          .map(({ journal: j }) => ({ runId: j.runId, operation: j.operation, title: j.title, startedAt: j.startedAt, ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}), state: j.state, log: j.log })),
      };
    }, failure),
  );
}
