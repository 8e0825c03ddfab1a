/**
 * The webhook's metrics in the Prometheus text exposition format (version 0.0.4). Label values come from
 * fixed sets, so the series count is bounded whatever the requests say.
 */
import type { AdmissionResult } from '../core/admission.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const PREFIX = 'kubevirt_storage_restore_size_webhook';

/** Requests that got no admission answer, and failures behind an answer. */
export type ErrorKind =
  | 'bad-request' // 400
  | 'payload-too-large' // 413
  | 'unsupported-media-type' // 415
  | 'method-not-allowed' // 405
  | 'overloaded' // 429/503: beyond the cap on reviews in flight or on body bytes held
  | 'snapshot-lookup' // the lookup failed; the PVC was allowed unchanged
  | 'internal'; // a bug: answered 500

const RESULTS: readonly AdmissionResult[] = ['patched', 'unchanged', 'skipped', 'failed-open'];
const ERRORS: readonly ErrorKind[] = ['bad-request', 'payload-too-large', 'unsupported-media-type', 'method-not-allowed', 'overloaded', 'snapshot-lookup', 'internal'];
/** Seconds. Most answers come from the cache in well under a millisecond; a direct GET takes milliseconds; the API server gives up at 10 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class Metrics {
  private readonly admissions = new Map<AdmissionResult, number>(RESULTS.map((r) => [r, 0]));
  private readonly errors = new Map<ErrorKind, number>(ERRORS.map((e) => [e, 0]));
  private patches = 0;
  private readonly buckets: number[] = LATENCY_BUCKETS.map(() => 0);
  private latencyCount = 0;
  private latencySum = 0;
  private readonly reloads = new Map<'success' | 'failure', number>([['success', 0], ['failure', 0]]);
  private certificateNotAfter: number | undefined;
  inFlight = 0;

  constructor(private readonly gauges: { ready: () => boolean } = { ready: () => false }) {}

  admission(result: AdmissionResult): void {
    this.admissions.set(result, (this.admissions.get(result) ?? 0) + 1);
    if (result === 'patched') this.patches++;
  }

  error(kind: ErrorKind): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** One request to /mutate, whatever its answer. */
  latency(seconds: number): void {
    this.latencyCount++;
    this.latencySum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= (LATENCY_BUCKETS[i] ?? Infinity)) {
        this.buckets[i] = (this.buckets[i] ?? 0) + 1;
        break;
      }
    }
  }

  certificateReload(ok: boolean, notAfter?: Date): void {
    const key = ok ? 'success' : 'failure';
    this.reloads.set(key, (this.reloads.get(key) ?? 0) + 1);
    if (ok && notAfter) this.certificateNotAfter = notAfter.getTime() / 1000;
  }

  certificateLoaded(notAfter: Date): void {
    this.certificateNotAfter = notAfter.getTime() / 1000;
  }

  render(): string {
    const out: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => {
      out.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} ${type}`);
    };
    family('admissions_total', 'counter', 'Admission reviews answered, by result (patched, unchanged, skipped, failed-open).');
    for (const [result, n] of this.admissions) out.push(`${PREFIX}_admissions_total{result="${result}"} ${n}`);
    family('patches_total', 'counter', 'PVC requests patched down to the VolumeSnapshot restoreSize.');
    out.push(`${PREFIX}_patches_total ${this.patches}`);
    family('errors_total', 'counter', 'Requests refused (bad-request, payload-too-large, unsupported-media-type, method-not-allowed, overloaded), failed snapshot lookups, and internal errors.');
    for (const [kind, n] of this.errors) out.push(`${PREFIX}_errors_total{kind="${kind}"} ${n}`);
    family('admission_duration_seconds', 'histogram', 'Time to answer a request to /mutate (any method or outcome), from its arrival to the end of the response.');
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((le, i) => {
      cumulative += this.buckets[i] ?? 0;
      out.push(`${PREFIX}_admission_duration_seconds_bucket{le="${le}"} ${cumulative}`);
    });
    out.push(`${PREFIX}_admission_duration_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    out.push(`${PREFIX}_admission_duration_seconds_sum ${this.latencySum}`);
    out.push(`${PREFIX}_admission_duration_seconds_count ${this.latencyCount}`);
    family('in_flight_requests', 'gauge', 'Requests being answered.');
    out.push(`${PREFIX}_in_flight_requests ${this.inFlight}`);
    family('snapshot_cache_synced', 'gauge', '1 once the VolumeSnapshot cache has synced (what /readyz reports).');
    out.push(`${PREFIX}_snapshot_cache_synced ${this.gauges.ready() ? 1 : 0}`);
    family('certificate_reloads_total', 'counter', 'Serving certificate reloads after the files changed, by result.');
    for (const [result, n] of this.reloads) out.push(`${PREFIX}_certificate_reloads_total{result="${result}"} ${n}`);
    if (this.certificateNotAfter !== undefined) {
      family('certificate_expiry_timestamp_seconds', 'gauge', 'notAfter of the serving certificate in use, as a Unix time.');
      out.push(`${PREFIX}_certificate_expiry_timestamp_seconds ${this.certificateNotAfter}`);
    }
    return `${out.join('\n')}\n`;
  }
}
