/**
 * Where undo journals live: one ConfigMap per run in the journal namespace (`kubevirt-storage-tools` unless
 * the user picks another), labelled with the operation and run id, so that undo works from any machine and
 * after a restart. What a journal records of Secrets (the values a run set, their prior values, a deleted
 * Secret) goes into a companion Secret of the same name instead, so no key material lands in a ConfigMap.
 */
import { LABEL } from '../../core/kinds/index.js';
import { JOURNAL_FORMAT, type Journal, type JournalEntry } from '../../core/ops/journal.js';
import type { ClusterConnection } from '../connection.js';
import { fail, ok, type Result } from '../errors.js';
import type { KubeObject } from '../paths.js';
import { applyObject, createObject, readObject } from './writes.js';

export const DEFAULT_JOURNAL_NAMESPACE = 'kubevirt-storage-tools';
export const OPERATION_LABEL = 'kubevirt-storage-tools.io/operation';
export const RUN_LABEL = 'kubevirt-storage-tools.io/run';
const MANAGED_BY = { [LABEL.appManagedBy]: 'kubevirt-storage-tools', [LABEL.appComponent]: 'undo-journal' };
const KEY = 'journal.json';
const SEALED_KEY = 'sealed.json';
/** A ConfigMap holds at most 1 MiB; leave room for metadata. */
const MAX_BYTES = 900 * 1024;

type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace' | 'list' | 'get'>;

export interface StoredJournal {
  journal: Journal;
  /** Server time of the journal's creation: objects created after it by the tools' manager are the run's. */
  createdAt?: string;
}

export function journalObjectName(runId: string): string {
  return `kvstorage-${runId}`;
}

/** `webhook-20261201t091500z-k3x9`: sortable by start time, unique enough across machines. */
export function newRunId(operation: string, now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  const suffix = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `${operation.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-${stamp}-${suffix}`;
}

/** The namespace exists afterwards (created, labelled, if it did not). */
export async function ensureJournalNamespace(conn: Conn, namespace: string): Promise<Result<'existed' | 'created'>> {
  const r = await readObject(conn, { apiVersion: 'v1', kind: 'Namespace', name: namespace });
  if (!r.ok) return r;
  if (r.value) return ok('existed');
  const c = await createObject(conn, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...MANAGED_BY } } }, false);
  if (!c.ok && c.error.status !== 409) return c;
  return ok('created');
}

const sealedEntry = (e: JournalEntry): boolean => e.ref.kind === 'Secret' && e.ref.apiVersion === 'v1';

function split(j: Journal): { open: Journal; sealed: Record<number, Pick<JournalEntry, 'set' | 'prior' | 'priorObject'>> } {
  const sealed: Record<number, Pick<JournalEntry, 'set' | 'prior' | 'priorObject'>> = {};
  const entries = j.entries.map((e, i) => {
    if (!sealedEntry(e)) return e;
    sealed[i] = { set: e.set, ...(e.prior ? { prior: e.prior } : {}), ...(e.priorObject ? { priorObject: e.priorObject } : {}) };
    const { prior: _p, priorObject: _o, ...rest } = e;
    return { ...rest, set: [] };
  });
  return { open: { ...j, entries }, sealed };
}

function objects(namespace: string, j: Journal): Result<{ configMap: KubeObject & { apiVersion: string; kind: string; metadata: { name: string } }; secret?: KubeObject & { apiVersion: string; kind: string; metadata: { name: string } } }> {
  const { open, sealed } = split(j);
  const text = JSON.stringify(open);
  const sealedText = JSON.stringify(sealed);
  if (text.length > MAX_BYTES || sealedText.length > MAX_BYTES) return fail('invalid', `the undo journal of run ${j.runId} would exceed ${MAX_BYTES / 1024} KiB (a ConfigMap holds at most 1 MiB)`);
  const metadata = {
    name: journalObjectName(j.runId),
    namespace,
    labels: { ...MANAGED_BY, [OPERATION_LABEL]: j.operation.slice(0, 63), [RUN_LABEL]: j.runId.slice(0, 63) },
    annotations: { 'kubevirt-storage-tools.io/state': j.state, 'kubevirt-storage-tools.io/title': j.title.slice(0, 500) },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [KEY]: text } };
  const hasSealed = Object.keys(sealed).length > 0;
  const secret = hasSealed ? { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: { [SEALED_KEY]: Buffer.from(sealedText).toString('base64') } } : undefined;
  return ok({ configMap, ...(secret ? { secret } : {}) });
}

/** Stores the journal (create or update, server-side apply under the tools' manager). */
export async function saveJournal(conn: Conn, namespace: string, j: Journal): Promise<Result<StoredJournal>> {
  const o = objects(namespace, j);
  if (!o.ok) return o;
  // The Secret first: a ConfigMap that names sealed entries is never stored without them.
  if (o.value.secret) {
    const s = await applyObject(conn, o.value.secret as never, false, true);
    if (!s.ok) return s;
  }
  const c = await applyObject(conn, o.value.configMap as never, false, true);
  if (!c.ok) return c;
  return ok({ journal: j, ...(c.value.metadata?.creationTimestamp ? { createdAt: c.value.metadata.creationTimestamp } : {}) });
}

function parse(cm: KubeObject, secret: KubeObject | undefined): Journal | undefined {
  const text = (cm['data'] as Record<string, string> | undefined)?.[KEY];
  if (typeof text !== 'string') return undefined;
  let j: Journal;
  try {
    j = JSON.parse(text) as Journal;
  } catch {
    return undefined;
  }
  if (j.format !== JOURNAL_FORMAT || !Array.isArray(j.entries)) return undefined;
  const sealedText = (secret?.['data'] as Record<string, string> | undefined)?.[SEALED_KEY];
  if (sealedText) {
    try {
      const sealed = JSON.parse(Buffer.from(sealedText, 'base64').toString('utf8')) as Record<string, Partial<JournalEntry>>;
      j.entries = j.entries.map((e, i) => (Object.hasOwn(sealed, String(i)) ? { ...e, ...sealed[String(i)] } : e));
    } catch {
      // A damaged companion Secret: its entries keep no values, so undo reports them as changed since.
    }
  }
  return j;
}

/** Every journal in the namespace (of one operation, or all), oldest first. Absent namespace: none. */
export async function listJournals(conn: Conn, namespace: string, operation?: string): Promise<Result<StoredJournal[]>> {
  const selector = operation ? `${OPERATION_LABEL}=${operation.slice(0, 63)}` : OPERATION_LABEL;
  const cms = await conn.list('v1', 'ConfigMap', namespace, { labelSelector: selector });
  if (!cms.ok) return cms.error.kind === 'not-found' ? ok([]) : cms;
  const out: StoredJournal[] = [];
  for (const cm of cms.value.items) {
    const name = cm.metadata?.name;
    if (!name) continue;
    const sealed = cm.metadata?.labels?.[RUN_LABEL] ? await readObject(conn, { apiVersion: 'v1', kind: 'Secret', namespace, name }) : ok(undefined);
    const j = parse(cm, sealed.ok ? sealed.value : undefined);
    if (j) out.push({ journal: j, ...(cm.metadata?.creationTimestamp ? { createdAt: cm.metadata.creationTimestamp } : {}) });
  }
  return ok(out.sort((a, b) => (a.journal.startedAt < b.journal.startedAt ? -1 : a.journal.startedAt > b.journal.startedAt ? 1 : a.journal.runId.localeCompare(b.journal.runId))));
}
