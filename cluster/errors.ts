/**
 * Expected cluster failures as values. Every HTTP status, network error and timeout is mapped here, once,
 * to a kind the callers switch on and a message that names the resource and the server.
 */

export type ClusterErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'not-found' | 'timeout' | 'invalid' | 'conflict';

export interface ClusterError {
  kind: ClusterErrorKind;
  /** One sentence for a status line: what was attempted, on which resource, and why it failed. */
  message: string;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The `reason` of the server's Status body (e.g. `NotFound`, `Expired`), when it sent one. */
  reason?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ClusterError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: ClusterErrorKind, message: string, extra?: { status?: number; reason?: string }): Result<T> {
  return { ok: false, error: { kind, message, ...extra } };
}

/** A 2xx body that should be JSON; a server that answers otherwise is not a Kubernetes API server. */
export function parseJson<T>(text: string, what: string): Result<T> {
  try {
    return ok(JSON.parse(text) as T);
  } catch {
    return fail('invalid', `${what}: the server's answer is not JSON (is this a Kubernetes API server?)`);
  }
}

/** What a Kubernetes `Status` body says, when the body is one. */
export function statusBody(text: string): { message?: string; reason?: string; code?: number } {
  try {
    const s = JSON.parse(text) as { kind?: unknown; message?: unknown; reason?: unknown; code?: unknown };
    if (s && typeof s === 'object' && s.kind === 'Status') {
      return {
        message: typeof s.message === 'string' ? s.message : undefined,
        reason: typeof s.reason === 'string' ? s.reason : undefined,
        code: typeof s.code === 'number' ? s.code : undefined,
      };
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status line says enough.
  }
  return {};
}

function kindOfStatus(status: number): ClusterErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  // 410: a resourceVersion or continue token too old; the caller re-lists.
  if (status === 409 || status === 410) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 400 || status === 415 || status === 422) return 'invalid';
  return 'unreachable';
}

const statusWords: Record<string, string> = {
  unauthorized: 'the server rejected the credentials (401)',
  forbidden: 'forbidden (403)',
  'not-found': 'not found',
  conflict: 'conflict',
  timeout: 'the server timed out',
  invalid: 'rejected as invalid',
  unreachable: 'the server failed',
};

/**
 * An HTTP error answer. `what` names the action and resource, e.g.
 * `get volumesnapshots.snapshot.storage.k8s.io "snap-1" in namespace "vms"`.
 */
export function errorFromStatus(status: number, body: string, what: string): ClusterError {
  const kind = kindOfStatus(status);
  const s = statusBody(body);
  const detail = s.message ?? (body && body.length < 200 && !body.includes('<') ? body.trim() : '');
  const head = kind === 'unreachable' ? `${statusWords[kind]} (HTTP ${status})` : statusWords[kind];
  return { kind, status, reason: s.reason, message: `${what}: ${head}${detail ? `: ${detail}` : ''}` };
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: the server certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: a self-signed certificate in the chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the server certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS: the server certificate does not match the server's name",
  CERT_HAS_EXPIRED: 'TLS: the server certificate has expired',
};

/** A failure below HTTP: refused, reset, DNS, TLS. */
export function errorFromNetwork(err: unknown, what: string, server: string): ClusterError {
  const code = (err as { code?: unknown })?.code;
  const known = typeof code === 'string' && Object.hasOwn(networkCodes, code) ? networkCodes[code] : undefined;
  const raw = err instanceof Error ? err.message : String(err);
  return { kind: 'unreachable', message: `${what}: cannot reach ${server} (${known ?? raw})` };
}

export function timeoutError(what: string, ms: number): ClusterError {
  return { kind: 'timeout', message: `${what}: no answer within ${formatMs(ms)}` };
}

/** Credentials could not be produced (an exec plugin failed, an OIDC refresh failed, a key file is missing). */
export function credentialsError(err: unknown, user: string | undefined): ClusterError {
  const raw = err instanceof Error ? err.message : String(err);
  return { kind: 'unauthorized', message: `cannot get credentials for user ${JSON.stringify(user ?? '')}: ${raw}` };
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
