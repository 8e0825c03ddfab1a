// Admission webhooks as kube-apiserver dispatches them: MutatingWebhookConfigurations sorted by name
// (webhooks in order within), rules/selectors matching, JSONPatch responses, failurePolicy, dry-run
// sideEffects checks and one reinvocation round for `reinvocationPolicy: IfNeeded`; then validating
// webhooks (sequentially here, in name order; kube calls them in parallel).
import { randomUUID } from 'node:crypto';
import { ApiError, badRequest } from './errors.js';
import { clone, isPlainObject, jsonEqual } from './objectMeta.js';
import { applyJsonPatch, decodeJsonPatch } from './patch.js';
import { apiVersionOf, tableKey, type ResourceRegistry } from './resources.js';
import { matchesRequirements, selectorObjectToRequirements, type LabelSelectorObject } from './selectors.js';
import type { ObjectStore } from './store.js';
import type { UserInfo } from './auth.js';
import type { ApiResourceSpec, KObject, WebhookCall } from './types.js';
import { CallError, postJson, type ClientConfig, type Services } from './webhookClient.js';

export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  spec: ApiResourceSpec;
  subresource?: string;
  namespace?: string;
  name: string;
  object?: KObject;
  oldObject?: KObject;
  user: UserInfo;
  dryRun: boolean;
  options: Record<string, unknown>;
}

interface Rule {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
}

interface Webhook {
  name: string;
  clientConfig: ClientConfig;
  rules?: Rule[];
  failurePolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: LabelSelectorObject;
  objectSelector?: LabelSelectorObject;
  sideEffects?: string;
  timeoutSeconds?: number;
  reinvocationPolicy?: string;
}

const has = (list: string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

function ruleMatches(rule: Rule, op: string, spec: ApiResourceSpec, version: string, sub: string | undefined): boolean {
  if (!has(rule.operations, op) || !has(rule.apiGroups, spec.group) || !has(rule.apiVersions, version)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && spec.namespaced) return false;
  if (scope === 'Namespaced' && !spec.namespaced) return false;
  return (rule.resources ?? []).some((r) => {
    const [res, rsub] = r.split('/');
    if (res !== '*' && res !== spec.plural) return false;
    return rsub === undefined ? !sub : rsub === '*' || rsub === sub;
  });
}

export class Admission {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly services: Services,
    private readonly calls: WebhookCall[],
  ) {}

  /** Runs the mutating webhooks; returns the object to store (unchanged for DELETE). */
  async mutate(a: AdmissionAttributes): Promise<KObject | undefined> {
    const hooks = this.hooks('mutatingwebhookconfigurations');
    if (hooks.length === 0) return a.object;
    let obj = a.object ? clone(a.object) : undefined;
    const previouslyInvoked = new Set<string>();
    const reinvoke = new Set<string>();
    let anyChange = false;
    for (const round of [1, 2]) {
      if (round === 2 && !anyChange) break;
      for (const { config, hook, uid } of hooks) {
        const version = this.matchVersion(hook, a, obj);
        if (!version) continue;
        if (round === 2 && !reinvoke.has(uid)) continue;
        this.checkDryRun(hook, a);
        let changed = false;
        let error: CallError | undefined;
        try {
          const out = await this.call('mutating', config, hook, a, obj, version, round);
          if (out !== undefined && a.operation !== 'DELETE') {
            changed = !jsonEqual(out, obj);
            obj = out;
          }
        } catch (e) {
          if (!(e instanceof CallError)) throw e;
          error = e;
        }
        if (changed) {
          anyChange = true;
          for (const u of previouslyInvoked) reinvoke.add(u);
          previouslyInvoked.clear();
        }
        if (hook.reinvocationPolicy === 'IfNeeded') previouslyInvoked.add(uid);
        if (error && hook.failurePolicy !== 'Ignore') throw callFailed(hook.name, error);
      }
    }
    return obj;
  }

  /** Runs the validating webhooks on the final object. */
  async validate(a: AdmissionAttributes): Promise<void> {
    for (const { config, hook } of this.hooks('validatingwebhookconfigurations')) {
      const version = this.matchVersion(hook, a, a.object);
      if (!version) continue;
      this.checkDryRun(hook, a);
      try {
        await this.call('validating', config, hook, a, a.object, version, 1);
      } catch (e) {
        if (!(e instanceof CallError)) throw e;
        if (hook.failurePolicy !== 'Ignore') throw callFailed(hook.name, e);
      }
    }
  }

  private hooks(plural: string): { config: string; hook: Webhook; uid: string }[] {
    const configs = this.store.list(tableKey({ group: 'admissionregistration.k8s.io', plural }));
    const sorted = [...configs].sort((x, y) => (x.metadata!.name! < y.metadata!.name! ? -1 : x.metadata!.name! > y.metadata!.name! ? 1 : 0));
    return sorted.flatMap((c) =>
      ((c['webhooks'] as Webhook[] | undefined) ?? []).map((hook, i) => ({ config: c.metadata!.name!, hook, uid: `${c.metadata!.name}/${hook.name}/${i}` })),
    );
  }

  /** The version the webhook sees the request in (matchPolicy Equivalent may pick another served version), or undefined. */
  private matchVersion(hook: Webhook, a: AdmissionAttributes, obj: KObject | undefined): string | undefined {
    const rules = hook.rules ?? [];
    let version: string | undefined;
    if (rules.some((r) => ruleMatches(r, a.operation, a.spec, a.spec.version, a.subresource))) version = a.spec.version;
    else if (hook.matchPolicy !== 'Exact') {
      for (const alt of this.registry.versionsOf(a.spec.group, a.spec.plural)) {
        if (rules.some((r) => ruleMatches(r, a.operation, alt, alt.version, a.subresource))) {
          version = alt.version;
          break;
        }
      }
    }
    if (!version) return undefined;
    const objReqs = selectorObjectToRequirements(hook.objectSelector);
    const labelsMatch = (o: KObject | undefined): boolean => o !== undefined && matchesRequirements(objReqs, o.metadata?.labels);
    if (objReqs.length > 0 && !labelsMatch(obj) && !labelsMatch(a.oldObject)) return undefined;
    const nsReqs = selectorObjectToRequirements(hook.namespaceSelector);
    if (nsReqs.length > 0) {
      let labels: Record<string, string> | undefined;
      if (a.spec.group === '' && a.spec.plural === 'namespaces') labels = (obj ?? a.oldObject)?.metadata?.labels;
      else if (a.spec.namespaced) labels = this.store.get('/namespaces', undefined, a.namespace ?? '')?.metadata?.labels;
      else return version;
      if (!matchesRequirements(nsReqs, labels)) return undefined;
    }
    return version;
  }

  private checkDryRun(hook: Webhook, a: AdmissionAttributes): void {
    if (a.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
      throw badRequest(`admission webhook "${hook.name}" does not support dry run`);
    }
  }

  /** Calls one webhook; returns the patched object (mutating) or undefined. Throws CallError or ApiError. */
  private async call(kind: 'mutating' | 'validating', config: string, hook: Webhook, a: AdmissionAttributes, obj: KObject | undefined, version: string, round: number): Promise<KObject | undefined> {
    const timeout = hook.timeoutSeconds ?? 10;
    const record: WebhookCall = { configuration: config, webhook: hook.name, kind, operation: a.operation, round, url: '', dryRun: a.dryRun, outcome: '' };
    this.calls.push(record);
    try {
      const ep = this.services.resolve(hook.clientConfig, timeout);
      record.url = ep.url.toString();
      const av = apiVersionOf(a.spec.group, version);
      const as = (o: KObject | undefined): KObject | undefined => (o ? { ...o, apiVersion: av } : undefined);
      const uid = randomUUID();
      const gvk = { group: a.spec.group, version, kind: a.spec.kind };
      const gvr = { group: a.spec.group, version, resource: a.spec.plural };
      const request: Record<string, unknown> = {
        uid,
        kind: gvk,
        resource: gvr,
        requestKind: { ...gvk, version: a.spec.version },
        requestResource: { ...gvr, version: a.spec.version },
        name: a.name,
        operation: a.operation,
        userInfo: a.user,
        object: as(obj) ?? null,
        oldObject: as(a.oldObject) ?? null,
        dryRun: a.dryRun,
        options: a.options,
      };
      if (a.namespace) request['namespace'] = a.namespace;
      if (a.subresource) {
        request['subResource'] = a.subresource;
        request['requestSubResource'] = a.subresource;
      }
      const answer = await postJson(ep, hook.clientConfig.caBundle, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request }, timeout * 1000);
      const response = isPlainObject(answer) && isPlainObject(answer['response']) ? answer['response'] : undefined;
      if (!isPlainObject(answer) || answer['apiVersion'] !== 'admission.k8s.io/v1' || answer['kind'] !== 'AdmissionReview' || !response) {
        throw new CallError(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${JSON.stringify(answer).slice(0, 120)}`);
      }
      if (response['uid'] !== uid) throw new CallError(`expected response.uid="${uid}", got "${String(response['uid'])}"`);
      if (response['allowed'] !== true) {
        record.outcome = 'denied';
        throw denied(hook.name, isPlainObject(response['status']) ? response['status'] : undefined);
      }
      if (kind === 'validating' || response['patch'] === undefined || response['patch'] === null) {
        record.outcome = 'allowed';
        return obj;
      }
      if (response['patchType'] !== 'JSONPatch') throw new CallError(`unsupported patch type "${String(response['patchType'])}"`);
      let patched: KObject;
      try {
        const ops = decodeJsonPatch(JSON.parse(Buffer.from(String(response['patch']), 'base64').toString('utf8')));
        patched = applyJsonPatch(as(obj), ops) as KObject;
      } catch (e) {
        throw new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
      }
      record.outcome = 'patched';
      return { ...patched, apiVersion: apiVersionOf(a.spec.group, a.spec.version) };
    } catch (e) {
      if (!record.outcome) record.outcome = `error: ${(e as Error).message}`;
      throw e;
    }
  }
}

/** kube's ToStatusErr: the webhook's status, code at least 400, message prefixed with who denied. */
function denied(webhook: string, status: Record<string, unknown> | undefined): ApiError {
  const code = typeof status?.['code'] === 'number' && status['code'] >= 400 ? status['code'] : 400;
  const by = `admission webhook "${webhook}" denied the request`;
  const msg = typeof status?.['message'] === 'string' && status['message'] ? `${by}: ${status['message']}` : typeof status?.['reason'] === 'string' && status['reason'] ? `${by}: ${status['reason']}` : `${by} without explanation`;
  const reason = typeof status?.['reason'] === 'string' ? status['reason'] : '';
  return new ApiError(code, reason, msg, isPlainObject(status?.['details']) ? (status['details'] as object) : undefined);
}

function callFailed(webhook: string, e: CallError): ApiError {
  const message = `failed calling webhook "${webhook}": ${e.message}`;
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
