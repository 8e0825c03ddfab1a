// Bearer-token authentication and the emulator's fixed authorization: admin may do anything, readonly
// only get/list/watch, forbidden nothing but discovery; 'bad' holds a token the server does not know.
import { randomBytes } from 'node:crypto';
import { ApiError, qualified } from './errors.js';
import type { EmulatorUser } from './types.js';

export interface UserInfo {
  username: string;
  groups: string[];
}

export function makeTokens(): Record<EmulatorUser, string> {
  const t = (u: string): string => `${u}-${randomBytes(12).toString('hex')}`;
  return { admin: t('admin'), readonly: t('readonly'), forbidden: t('forbidden'), bad: t('bad') };
}

export function authenticate(header: string | undefined, tokens: Record<EmulatorUser, string>): UserInfo {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const user = m ? (['admin', 'readonly', 'forbidden'] as const).find((u) => tokens[u] === m[1]) : undefined;
  if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
  const groups = user === 'admin' ? ['system:masters', 'system:authenticated'] : ['system:authenticated'];
  return { username: user, groups };
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const readVerbs = new Set(['get', 'list', 'watch']);

/** 403 with kube's message when `user` may not perform the request. */
export function authorize(user: UserInfo, a: Attributes): void {
  if (user.username === 'admin') return;
  if (user.username === 'readonly' && readVerbs.has(a.verb)) return;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const subject = a.name ? `${qualified(a.group, a.resource)} "${a.name}"` : qualified(a.group, a.resource);
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  throw new ApiError(403, 'Forbidden', `${subject} is forbidden: User "${user.username}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`, {
    ...(a.name ? { name: a.name } : {}),
    group: a.group,
    kind: a.resource,
  });
}
