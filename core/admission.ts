/**
 * The restore-size admission decision: an AdmissionReview v1 request in, the response out.
 *
 * Mirrors `handleMutate` + `reviewPVC` of grandeit/pvc-shrink-ray main.go at 13b399d: PVCs labelled
 * `cdi.kubevirt.io/applyStorageProfile: "true"` that restore a VolumeSnapshot (dataSource first, then
 * dataSourceRef) in their own namespace and ask for strictly more than the snapshot's
 * `status.restoreSize` get a JSON patch replacing the request with the canonical restoreSize. Every other
 * path allows the PVC unchanged (fail open), the reason in `response.status.message`.
 *
 * Deliberate differences from upstream, each one towards "leave the PVC alone":
 * - A zero (or negative) restoreSize allows unchanged. Upstream would patch the request to "0", which the
 *   API server's PVC validation then refuses ("must be greater than zero"): the restore would fail outright.
 * - An UPDATE, DELETE or CONNECT is allowed unchanged. Upstream does not look at the operation (its
 *   MutatingWebhookConfiguration only sends CREATE); patching an UPDATE would ask the API server to shrink
 *   a bound claim, which it refuses. A review without an operation is treated as a CREATE, as upstream.
 * - The PVC's namespace falls back to `request.namespace` when the object does not carry one.
 * - The response echoes only apiVersion, kind and response, not the request (the API server ignores it).
 * - A `dataSourceRef` naming another namespace is allowed unchanged, without reading that snapshot. Upstream
 *   reads it (and so tells anyone who may create a PVC the restoreSize of snapshots in namespaces they cannot
 *   read). Kubernetes itself drops `dataSourceRef.namespace` unless the alpha CrossNamespaceVolumeDataSource gate
 *   is on (after mutating admission: the stored PVC then restores a same-named snapshot of its own namespace, so
 *   patching from the other one would be wrong too); with the gate on, the provisioner requires a ReferenceGrant,
 *   which a webhook would have to read cluster-wide to honour. Refusing is the answer that is right in both cases.
 *
 * Pure: the snapshot lookup is the caller's. `extractRequest` says what to look up (or answers at once),
 * `decideWith` turns the lookup into the response; `decide` chains them for a synchronous lookup.
 */
import type { PvcSpecInput } from './cdi/render.js';
import type { SnapshotFact } from './facts.js';
import { kinds, LABEL } from './kinds/index.js';
import type { Quantity } from './quantity.js';
import { canonicalQuantity, formatBytes, parseQuantity } from './quantity.js';

export const STORAGE_REQUEST_PATH = '/spec/resources/requests/storage';

/** What a VolumeSnapshot lookup found: the object (undefined when it does not exist) or why it failed. */
export type SnapshotLookupResult = { ok: true; snapshot?: unknown } | { ok: false; error: string };

/** For metrics: what happened to the PVC. */
export type AdmissionResult = 'patched' | 'unchanged' | 'skipped' | 'failed-open';

/** Why, one code per path through the decision. */
export type AdmissionReason =
  | 'shrunk' // patched
  | 'not-larger' // unchanged: request <= restoreSize
  | 'not-a-pvc' // skipped: the GVK guard
  | 'not-create'
  | 'no-label'
  | 'no-snapshot-source'
  | 'cross-namespace-source' // skipped: dataSourceRef names another namespace's snapshot
  | 'undecodable-object' // failed-open: the PVC does not decode (upstream: "Could not unmarshal PVC")
  | 'snapshot-missing'
  | 'lookup-failed'
  | 'no-restore-size'
  | 'invalid-restore-size'
  | 'restore-size-not-positive'
  | 'no-storage-request';

const RESULT_OF: Record<AdmissionReason, AdmissionResult> = {
  shrunk: 'patched',
  'not-larger': 'unchanged',
  'not-a-pvc': 'skipped',
  'not-create': 'skipped',
  'no-label': 'skipped',
  'no-snapshot-source': 'skipped',
  'cross-namespace-source': 'skipped',
  'undecodable-object': 'failed-open',
  'snapshot-missing': 'failed-open',
  'lookup-failed': 'failed-open',
  'no-restore-size': 'failed-open',
  'invalid-restore-size': 'failed-open',
  'restore-size-not-positive': 'failed-open',
  'no-storage-request': 'failed-open',
};

export interface JsonPatchOperation {
  op: 'replace';
  path: string;
  value: string;
}

/** `response` of an AdmissionReview v1 as the webhook sends it. */
export interface AdmissionResponseJson {
  uid: string;
  allowed: true;
  /** admission/v1 AdmissionResponse.Result is serialised as `status`. */
  status?: { message: string };
  patchType?: 'JSONPatch';
  /** Base64 of the JSON patch. */
  patch?: string;
}

export interface AdmissionReviewResponseJson {
  apiVersion: string;
  kind: string;
  response: AdmissionResponseJson;
}

export interface ObjectRef {
  namespace: string;
  name: string;
}

/** The answer to one review, plus what adapters log and count. */
export interface Decision {
  kind: 'decided';
  review: AdmissionReviewResponseJson;
  result: AdmissionResult;
  reason: AdmissionReason;
  message: string;
  pvc?: ObjectRef;
  snapshot?: ObjectRef;
  /** Present when patched: the request before and after, as text and bytes. */
  patch?: { from: string; fromBytes: bigint; to: string; toBytes: bigint; operations: JsonPatchOperation[] };
}

/** The review is unusable: the HTTP layer answers 400 with `error`. */
export interface InvalidReview {
  kind: 'invalid';
  error: string;
}

/** A review that needs its VolumeSnapshot looked up before `decideWith`. Opaque to callers. */
export interface PendingReview {
  kind: 'lookup';
  snapshot: ObjectRef;
  /** @internal */
  readonly context: PendingContext;
}

interface PendingContext {
  head: Head;
  pvc: ObjectRef;
  request?: Quantity;
}

interface Head {
  apiVersion: string;
  kind: string;
  uid: string;
}

export type Extracted = InvalidReview | Decision | PendingReview;

/**
 * Reads a review. Answers at once (`Decision`) when no lookup is needed, rejects it (`InvalidReview`) when
 * upstream would answer 400, else names the snapshot to look up. Never throws.
 */
export function extractRequest(review: unknown): Extracted {
  if (!isObject(review)) return invalid('the body is not a JSON object');
  const request = review.request;
  if (request === undefined || request === null) return invalid('admission review request is missing');
  if (!isObject(request)) return invalid('admission review request is not an object');
  for (const field of ['apiVersion', 'kind'] as const) {
    if (review[field] !== undefined && typeof review[field] !== 'string') return invalid(`${field} is not a string`);
  }
  for (const field of ['uid', 'operation', 'namespace', 'name'] as const) {
    if (request[field] !== undefined && typeof request[field] !== 'string') return invalid(`request.${field} is not a string`);
  }
  const gvk = request.kind;
  if (gvk !== undefined && !isObject(gvk)) return invalid('request.kind is not an object');
  const head: Head = {
    apiVersion: str(review.apiVersion) || 'admission.k8s.io/v1',
    kind: str(review.kind) || 'AdmissionReview',
    uid: str(request.uid),
  };

  const group = str(gvk?.group);
  const kind = str(gvk?.kind);
  if (group !== '' || kind !== 'PersistentVolumeClaim') {
    return answer(head, 'not-a-pvc', `not a PersistentVolumeClaim (${group || 'core'}/${kind || '?'}): allowed unchanged`);
  }

  const object = request.object;
  const metadata = isObject(object) ? object.metadata : undefined;
  const pvc: ObjectRef = {
    namespace: str(isObject(metadata) ? metadata.namespace : undefined) || str(request.namespace),
    name: objectName(metadata, request),
  };
  // The API server always sends one; upstream's own tests do not, and upstream never reads it.
  const operation = str(request.operation);
  if (operation !== '' && operation !== 'CREATE') return answer(head, 'not-create', `operation ${operation} is not CREATE: allowed unchanged`, { pvc });

  const shape = pvcShape(object);
  if (!shape.ok) return answer(head, 'undecodable-object', `could not decode PVC ${ref(pvc)}: ${shape.error}`, { pvc });
  if (shape.labels[LABEL.applyStorageProfile] !== 'true') {
    return answer(head, 'no-label', `PVC ${ref(pvc)} lacks the label ${LABEL.applyStorageProfile}="true": allowed unchanged`, { pvc });
  }
  const name = shape.source?.name;
  if (!shape.source || !name) {
    return answer(head, 'no-snapshot-source', `PVC ${ref(pvc)} does not restore a VolumeSnapshot: allowed unchanged`, { pvc });
  }
  const snapshot: ObjectRef = { namespace: shape.source.namespace || pvc.namespace, name };
  if (snapshot.namespace !== pvc.namespace) return answer(head, 'cross-namespace-source', crossNamespaceMessage(`PVC ${ref(pvc)}`, snapshot), { pvc, snapshot });
  return { kind: 'lookup', snapshot, context: { head, pvc, request: shape.request } };
}

/** The decision once the snapshot named by `pending.snapshot` has been looked up. Pure. */
export function decideWith(pending: PendingReview, lookup: SnapshotLookupResult): Decision {
  const { head, pvc, request } = pending.context;
  const snapshot = pending.snapshot;
  const extra = { pvc, snapshot };
  const snap = `VolumeSnapshot ${ref(snapshot)}`;
  if (!lookup.ok) return answer(head, 'lookup-failed', `could not get ${snap}: ${lookup.error}; allowed unchanged`, extra);
  if (lookup.snapshot === undefined || lookup.snapshot === null) {
    return answer(head, 'snapshot-missing', `${snap} not found; allowed unchanged`, extra);
  }
  const size = restoreSizeOf(lookup.snapshot);
  if (size.kind === 'absent') return answer(head, 'no-restore-size', `${snap} has no restoreSize yet; allowed unchanged`, extra);
  if (size.kind === 'invalid') return answer(head, 'invalid-restore-size', `${snap} has an invalid restoreSize: ${size.error}; allowed unchanged`, extra);
  const restore = size.quantity;
  const restoreText = canonicalQuantity(restore);
  if (restore.mantissa <= 0n) {
    return answer(head, 'restore-size-not-positive', `${snap} reports restoreSize ${restoreText}; allowed unchanged`, extra);
  }
  if (!request) return answer(head, 'no-storage-request', `PVC ${ref(pvc)} has no storage request; allowed unchanged`, extra);
  const requestText = canonicalQuantity(request);
  if (compareQuantities(request, restore) <= 0) {
    return answer(head, 'not-larger', `PVC ${ref(pvc)} asks for ${requestText}, not more than restoreSize ${restoreText} of ${snap}: allowed unchanged`, extra);
  }
  const operations: JsonPatchOperation[] = [{ op: 'replace', path: STORAGE_REQUEST_PATH, value: restoreText }];
  const message = `PVC ${ref(pvc)} asks for ${requestText}, more than restoreSize ${restoreText} of ${snap}: request set to ${restoreText}`;
  return {
    ...answer(head, 'shrunk', message, extra),
    review: {
      apiVersion: head.apiVersion,
      kind: head.kind,
      response: { uid: head.uid, allowed: true, status: { message }, patchType: 'JSONPatch', patch: btoa(JSON.stringify(operations)) },
    },
    patch: { from: requestText, fromBytes: request.bytes, to: restoreText, toBytes: restore.bytes, operations },
  };
}

/** The whole decision with a synchronous lookup (tests, the language server). */
export function decide(review: unknown, lookup: (namespace: string, name: string) => SnapshotLookupResult): Decision | InvalidReview {
  const extracted = extractRequest(review);
  if (extracted.kind !== 'lookup') return extracted;
  return decideWith(extracted, lookup(extracted.snapshot.namespace, extracted.snapshot.name));
}

/** What the webhook would do to a PVC as the editor sees it. */
export type PatchPrediction =
  | { patch: true; fromBytes: bigint; toBytes: bigint; to: string; snapshot: ObjectRef; message: string }
  | { patch: false; reason: AdmissionReason; message: string; snapshot?: ObjectRef };

/**
 * The VolumeSnapshot the webhook would read for this PVC spec (dataSource first, then dataSourceRef with
 * its namespace), or undefined. `pvc.namespace` must be filled in.
 */
export function webhookSnapshotRef(pvc: PvcSpecInput): ObjectRef | undefined {
  const source = snapshotSource(pvc.dataSource, false) ?? snapshotSource(pvc.dataSourceRef, true);
  return source?.name ? { namespace: source.namespace || pvc.namespace, name: source.name } : undefined;
}

/**
 * "The webhook would patch this to X": the same rules as `decideWith`, on the language server's PVC model.
 * Pass the request as it reaches the webhook (after CDI's rendering, e.g. `requestBytes` of
 * `renderPvc`) and the snapshot `webhookSnapshotRef` names. Compares bytes (Quantity.Value()), which is
 * exact for whole-byte sizes.
 */
export function predictPatch(pvc: PvcSpecInput, snapshot: SnapshotFact | undefined): PatchPrediction {
  const no = (reason: AdmissionReason, message: string, at?: ObjectRef): PatchPrediction => ({ patch: false, reason, message, ...(at ? { snapshot: at } : {}) });
  if (pvc.labels[LABEL.applyStorageProfile] !== 'true') return no('no-label', `the webhook only handles PVCs labelled ${LABEL.applyStorageProfile}="true"`);
  const at = webhookSnapshotRef(pvc);
  if (!at) return no('no-snapshot-source', 'the PVC does not restore a VolumeSnapshot');
  const snap = `VolumeSnapshot ${ref(at)}`;
  if (at.namespace !== pvc.namespace) return no('cross-namespace-source', crossNamespaceMessage('the PVC', at), at);
  if (!snapshot) return no('snapshot-missing', `${snap} not found: the webhook would allow the PVC unchanged`, at);
  const restore = snapshot.restoreSizeBytes;
  if (restore === undefined) return no('no-restore-size', `${snap} has no restoreSize yet: the webhook would allow the PVC unchanged`, at);
  if (restore <= 0n) return no('restore-size-not-positive', `${snap} reports restoreSize 0: the webhook would allow the PVC unchanged`, at);
  const request = pvc.requestBytes;
  if (request === undefined) return no('no-storage-request', 'the PVC has no storage request', at);
  const parsed = snapshot.restoreSizeText === undefined ? undefined : parseQuantity(snapshot.restoreSizeText);
  const to = parsed?.ok ? canonicalQuantity(parsed.quantity) : formatBytes(restore);
  if (request <= restore) return no('not-larger', `the request is not larger than restoreSize ${to} of ${snap}: the webhook leaves it alone`, at);
  return { patch: true, fromBytes: request, toBytes: restore, to, snapshot: at, message: `the restore-size webhook would set the request to ${to} (restoreSize of ${snap})` };
}

/** Exact comparison of two quantities, as Quantity.Cmp. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const e = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * 10n ** BigInt(a.exponent - e);
  const y = b.mantissa * 10n ** BigInt(b.exponent - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

type Shape =
  | { ok: true; labels: Record<string, unknown>; source?: { name: string; namespace: string }; request?: Quantity }
  | { ok: false; error: string };

/** The parts of the PVC the decision reads, with the type checks Go's decoding into corev1 would make. */
function pvcShape(object: unknown): Shape {
  if (!isObject(object)) return { ok: false, error: object === undefined ? 'request.object is missing' : 'request.object is not an object' };
  const metadata = object.metadata ?? {};
  const spec = object.spec ?? {};
  if (!isObject(metadata)) return { ok: false, error: 'metadata is not an object' };
  if (!isObject(spec)) return { ok: false, error: 'spec is not an object' };
  const labels = metadata.labels ?? {};
  if (!isObject(labels)) return { ok: false, error: 'metadata.labels is not an object' };
  const label = labels[LABEL.applyStorageProfile];
  if (label !== undefined && label !== null && typeof label !== 'string') return { ok: false, error: `label ${LABEL.applyStorageProfile} is not a string` };
  const requests = isObject(spec.resources) ? spec.resources.requests : undefined;
  const raw = isObject(requests) ? requests.storage : undefined;
  let request: Quantity | undefined;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, error: 'spec.resources.requests.storage is not a quantity' };
    const q = parseQuantity(String(raw));
    if (!q.ok) return { ok: false, error: `spec.resources.requests.storage: ${q.error}` };
    request = q.quantity;
  }
  const source = snapshotSource(asRef(spec.dataSource), false) ?? snapshotSource(asRef(spec.dataSourceRef), true);
  return { ok: true, labels, source, request };
}

interface RefLike {
  apiGroup?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

function asRef(value: unknown): RefLike | undefined {
  if (!isObject(value)) return undefined;
  return { apiGroup: strOrUndefined(value.apiGroup), kind: strOrUndefined(value.kind), name: str(value.name), namespace: str(value.namespace) };
}

/** A VolumeSnapshot source: kind VolumeSnapshot and apiGroup exactly snapshot.storage.k8s.io. */
function snapshotSource(r: RefLike | undefined, namespaced: boolean): { name: string; namespace: string } | undefined {
  if (r?.kind !== 'VolumeSnapshot' || r.apiGroup !== kinds.VolumeSnapshot.group) return undefined;
  // Upstream takes the name even when empty only to then treat "" as "no snapshot": same outcome.
  if (!r.name) return undefined;
  return { name: r.name, namespace: namespaced ? (r.namespace ?? '') : '' };
}

type RestoreSize = { kind: 'absent' } | { kind: 'invalid'; error: string } | { kind: 'ok'; quantity: Quantity };

function restoreSizeOf(snapshot: unknown): RestoreSize {
  const status = isObject(snapshot) ? snapshot.status : undefined;
  const raw = isObject(status) ? status.restoreSize : undefined;
  if (raw === undefined || raw === null) return { kind: 'absent' };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { kind: 'invalid', error: 'not a quantity' };
  const q = parseQuantity(String(raw));
  return q.ok ? { kind: 'ok', quantity: q.quantity } : { kind: 'invalid', error: q.error };
}

function crossNamespaceMessage(who: string, snapshot: ObjectRef): string {
  return `${who} restores VolumeSnapshot ${ref(snapshot)} from another namespace: allowed unchanged (the webhook reads no other namespace's snapshots; the API server drops dataSourceRef.namespace unless the CrossNamespaceVolumeDataSource feature gate is on)`;
}

function answer(head: Head, reason: AdmissionReason, message: string, extra: { pvc?: ObjectRef; snapshot?: ObjectRef } = {}): Decision {
  return {
    kind: 'decided',
    review: { apiVersion: head.apiVersion, kind: head.kind, response: { uid: head.uid, allowed: true, status: { message } } },
    result: RESULT_OF[reason],
    reason,
    message,
    ...extra,
  };
}

function invalid(error: string): InvalidReview {
  return { kind: 'invalid', error };
}

function objectName(metadata: unknown, request: Record<string, unknown>): string {
  const m = isObject(metadata) ? metadata : {};
  const generated = str(m.generateName);
  return str(m.name) || str(request.name) || (generated ? `${generated}*` : '(unnamed)');
}

function ref(r: ObjectRef): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function strOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
