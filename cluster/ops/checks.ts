/**
 * Verification after a plan is applied: a server-side dry-run create whose admitted answer must hold the
 * expected values (it proves admission webhooks work end to end and stores nothing), or fields of a live
 * object. Retried within the check's window; a skipped check is reported as skipped, never as passed.
 */
import { canonical } from './compare.js';
import { getAt } from '../../core/ops/fields.js';
import type { Check, Expectation } from '../../core/ops/types.js';
import { parseQuantity } from '../../core/quantity.js';
import type { ClusterConnection } from '../connection.js';
import { pause } from '../watchObject.js';
import { createObject, readObject } from './writes.js';
import { refLabel } from '../../core/ops/journal.js';

export interface CheckResult {
  state: 'passed' | 'failed' | 'skipped' | 'cancelled';
  message: string;
}

export interface Verification {
  /** `verified` only when every check passed and none was skipped. */
  state: 'verified' | 'failed' | 'partial' | 'skipped' | 'none' | 'cancelled';
  message: string;
  checks: CheckResult[];
}

type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace' | 'get'>;

function holds(answer: unknown, e: Expectation): { ok: boolean; got: string } {
  const got = getAt(answer, e.path);
  const text = got === undefined ? '(none)' : typeof got === 'string' ? got : JSON.stringify(got);
  if (e.quantity) {
    const a = typeof got === 'string' || typeof got === 'number' ? parseQuantity(String(got)) : undefined;
    const b = parseQuantity(String(e.equals));
    return { ok: !!a?.ok && b.ok && a.quantity.bytes === b.quantity.bytes, got: text };
  }
  return { ok: canonical(got) === canonical(e.equals), got: text };
}

/** Which of the objects still exist (terminating Namespaces excepted). */
async function remaining(conn: Conn, c: Extract<Check, { kind: 'absent' }>): Promise<{ ok: true; left: string[] } | { ok: false; message: string }> {
  const left: string[] = [];
  for (const t of c.targets) {
    const r = await readObject(conn, t);
    if (!r.ok) return { ok: false, message: r.error.message };
    if (r.value && !(t.kind === 'Namespace' && r.value.metadata?.deletionTimestamp)) left.push(refLabel(t));
  }
  return { ok: true, left };
}

async function runCheck(conn: Conn, c: Exclude<Check, { kind: 'skipped' }>, signal: AbortSignal | undefined, progress: (m: string) => void): Promise<CheckResult> {
  const deadline = Date.now() + (c.retrySeconds ?? 0) * 1000;
  if (c.kind === 'absent') {
    for (;;) {
      const r = await remaining(conn, c);
      if (!r.ok) return { state: 'failed', message: `${c.describe}: ${r.message}` };
      if (r.left.length === 0) return { state: 'passed', message: `${c.describe}: none is left.` };
      if (Date.now() + 1000 > deadline) return { state: 'failed', message: `${c.describe}: still present: ${r.left.join(', ')}.` };
      await pause(1000, signal);
    }
  }
  let last = '';
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return { state: 'cancelled', message: `Not verified: cancelled before "${c.describe}" finished.` };
    const r = c.kind === 'dryRunCreate' ? await createObject(conn, c.object, true) : await readObject(conn, c.target);
    if (!r.ok && r.error.kind !== 'unreachable' && r.error.kind !== 'timeout') return { state: 'failed', message: `${c.describe}: ${r.error.message}` };
    if (r.ok) {
      const answer = r.value;
      if (answer === undefined) last = 'the object does not exist';
      else {
        const results = c.expect.map((e) => ({ e, ...holds(answer, e) }));
        const bad = results.filter((x) => !x.ok);
        if (bad.length === 0) return { state: 'passed', message: `${c.describe}: ${results.map((x) => `${x.e.says} (${x.got})`).join('; ')}.` };
        last = bad.map((x) => `${x.e.path.join('.')} is ${x.got}, expected ${x.e.says}`).join('; ');
      }
    } else last = r.error.message;
    if (Date.now() + 1000 > deadline) break;
    progress(`${c.describe}: ${last}; retrying (attempt ${attempt + 1})`);
    await pause(1000, signal);
  }
  return { state: 'failed', message: `${c.describe}: ${last}${c.retrySeconds ? ` (within ${c.retrySeconds} s)` : ''}.` };
}

export async function runChecks(conn: Conn, checks: readonly Check[], signal: AbortSignal | undefined, progress: (m: string) => void): Promise<Verification> {
  if (checks.length === 0) return { state: 'none', message: 'This operation has no verification.', checks: [] };
  const results: CheckResult[] = [];
  for (const c of checks) {
    if (c.kind === 'skipped') {
      progress(`Verification skipped: ${c.reason}`);
      results.push({ state: 'skipped', message: c.reason });
      continue;
    }
    progress(`Verifying: ${c.describe}`);
    const r = await runCheck(conn, c, signal, progress);
    results.push(r);
    if (r.state === 'cancelled') break;
  }
  const count = (s: CheckResult['state']): number => results.filter((r) => r.state === s).length;
  const state: Verification['state'] =
    count('cancelled') > 0 ? 'cancelled'
    : count('failed') > 0 ? 'failed'
    : count('skipped') === results.length ? 'skipped'
    : count('skipped') > 0 ? 'partial'
    : 'verified';
  const words = { verified: 'Verified', failed: 'Not verified', partial: 'Partly verified', skipped: 'Verification skipped', cancelled: 'Not verified', none: '' };
  return { state, message: `${words[state]}: ${results.map((r) => r.message).join(' ')}`, checks: results };
}
