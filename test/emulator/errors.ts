// metav1.Status bodies and the error that carries one through the emulator's handlers.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The reason kube-apiserver pairs with an HTTP code (or '' for codes it has none for). */
export function reasonFor(code: number): string {
  return reasonByCode[code] ?? '';
}

/** An API error: thrown by handlers, turned into a Status body by the server. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    // Field order as kube-apiserver writes it.
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** Group + resource, as kube names them in messages (`persistentvolumeclaims`, `volumesnapshots.snapshot.storage.k8s.io`). */
export function qualified(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const notFound = (group: string, plural: string, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualified(group, plural)} "${name}" not found`, { name, group, kind: plural });

export const alreadyExists = (group: string, plural: string, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualified(group, plural)} "${name}" already exists`, { name, group, kind: plural });

export const conflict = (group: string, plural: string, name: string): ApiError =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(group, plural)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group, kind: plural });

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export function invalid(kind: string, group: string, name: string, causes: { field: string; type: string; message: string; value?: string }[]): ApiError {
  // field.Error: "<field>: <type>[: <value>][: <detail>]" (a Required value with no detail ends at its type).
  const body = (c: (typeof causes)[number]) => `${c.type}${c.value !== undefined ? `: ${c.value}` : ''}${c.message === '' ? '' : `: ${c.message}`}`;
  const text = causes.map((c) => `${c.field}: ${body(c)}`);
  const message = `${kind} "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`;
  const typeToReason: Record<string, string> = { 'Required value': 'FieldValueRequired', 'Invalid value': 'FieldValueInvalid', Forbidden: 'FieldValueForbidden' };
  return new ApiError(422, 'Invalid', message, {
    name,
    group,
    kind,
    causes: causes.map((c) => ({ reason: typeToReason[c.type] ?? 'FieldValueInvalid', message: body(c), field: c.field })),
  });
}

export const resourceNotFound = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export const methodNotAllowed = (method: string): ApiError =>
  new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, { causes: [{ message: `method ${method}` }] });

export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);
