/**
 * Whether CDI's PVC webhook (`cdi-api-pvc-mutate`) exists and sees a PVC. The operator creates the
 * MutatingWebhookConfiguration only while PVC rendering is enabled and deletes it otherwise
 * (reconcilePvcMutatingWebhook, pkg/operator/controller/callbacks.go, v1.59–v1.66). Enabled means: the
 * `WebhookPvcRendering` feature gate in CDIConfig `spec.featureGates` before v1.66 (IsWebhookPvcRenderingEnabled,
 * pkg/feature-gates/feature-gates.go, v1.63.1; the CDI CR's `spec.config.featureGates` is copied there), and
 * CDIConfig `spec.webhookPvcRendering` other than `Disabled` from v1.66 (IsWebhookPvcRenderingEnabled,
 * pkg/controller/common/util.go, v1.66.0). On a live cluster the configuration itself is the ground truth: its
 * presence, and whether its object and namespace selectors select the PVC.
 */
import type { Facts, LabelSelectorFact, PvcWebhookFact } from '../facts.js';
import { LABEL } from '../kinds/index.js';
import { ownValue } from '../own.js';
import { describeFactSource } from './version.js';
import type { ResolvedCdiVersion } from './version.js';

/** The MutatingWebhookConfiguration CDI's operator manages (initPvcMutatingWebhook). */
export const cdiPvcWebhookName = 'cdi-api-pvc-mutate';
/** The feature gate that turns PVC rendering on before CDI v1.66. */
export const webhookPvcRenderingGate = 'WebhookPvcRendering';

export interface WebhookPresence {
  /** Whether CDI's PVC webhook renders this PVC. */
  applies: boolean;
  /** What decided: the PVC's label, the live configuration, CDI's configuration, the release's default, or nothing (assumed on). */
  basis: 'label' | 'live' | 'config' | 'version' | 'assumed';
  /** A phrase naming the facts used and where they came from. */
  describe: string;
}

/** Mirrors labels.Selector matching of a metav1.LabelSelector: true, false, or undefined when `labels` may be incomplete and the answer depends on them. */
export function selects(selector: LabelSelectorFact | undefined, labels: Record<string, string>, complete = true): boolean | undefined {
  if (!selector) return true;
  let unknown = false;
  const has = (k: string) => Object.hasOwn(labels, k);
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (has(k)) {
      if (ownValue(labels, k) !== v) return false;
    } else if (complete) return false;
    else unknown = true;
  }
  for (const e of selector.matchExpressions) {
    const present = has(e.key);
    if (!present && !complete) {
      unknown = true;
      continue;
    }
    const value = ownValue(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (value === undefined || !e.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && e.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        // The API server refuses other operators when the configuration is written.
        return false;
    }
  }
  return unknown ? undefined : true;
}

/** What the live configuration says of a PVC with these labels in `namespace`. */
function liveAnswer(live: PvcWebhookFact, labels: Record<string, string>, namespace: string): WebhookPresence {
  const where = `on the ${describeFactSource(live.source)}`;
  if (!live.present) {
    return { applies: false, basis: 'live', describe: `no ${cdiPvcWebhookName} MutatingWebhookConfiguration ${where} (CDI's PVC rendering is off)` };
  }
  // Every namespace carries its name as a label; other namespace labels are not known here.
  const nsLabels = { [LABEL.namespaceName]: namespace };
  let unsure = false;
  for (const w of live.webhooks) {
    if (!w.matchesPvcCreate || selects(w.objectSelector, labels) !== true) continue;
    const ns = selects(w.namespaceSelector, nsLabels, false);
    if (ns === true) return { applies: true, basis: 'live', describe: `${cdiPvcWebhookName} (${w.name}) ${where} selects it` };
    if (ns === undefined) unsure = true;
  }
  if (unsure) {
    return { applies: true, basis: 'live', describe: `${cdiPvcWebhookName} ${where} selects its labels; its namespaceSelector needs namespace ${namespace}'s labels, taken to match` };
  }
  return { applies: false, basis: 'live', describe: `${cdiPvcWebhookName} ${where} does not select it (object or namespace selector)` };
}

/**
 * Whether CDI's PVC rendering is enabled by its configuration (what the operator and the DataVolume controller
 * read), with the facts that say so; `enabled` undefined when nothing says (before v1.66 the gate's state is
 * then unknown).
 */
export function pvcRenderingEnabled(facts: Facts, cdi: ResolvedCdiVersion): { enabled: boolean | undefined; basis: 'config' | 'version' | 'assumed'; describe: string } {
  const b = cdi.behaviour;
  if (b.webhookSwitch === 'none') return { enabled: false, basis: 'version', describe: `CDI ${b.version} has no PVC webhook (it arrived in v1.59)` };
  const config = facts.cdiConfig();
  const cr = facts.cdiVersion();
  // What CDI reads is CDIConfig spec; the operator copies the CDI CR's spec.config there, so the CR stands in for it.
  const fromConfig = config?.spec ? { sw: config.spec, where: `CDIConfig spec (${describeFactSource(config.spec.source ?? config.source)})` } : undefined;
  const fromCr = cr?.config ? { sw: cr.config, where: `the CDI CR's spec.config (${describeFactSource(cr.config.source ?? cr.source)})` } : undefined;
  if (b.webhookSwitch === 'policy') {
    const said = [fromConfig, fromCr].find((x) => x?.sw.webhookPvcRendering !== undefined);
    if (said?.sw.webhookPvcRendering === 'Disabled') return { enabled: false, basis: 'config', describe: `webhookPvcRendering: Disabled in ${said.where}` };
    if (said) return { enabled: true, basis: 'config', describe: `webhookPvcRendering: ${said.sw.webhookPvcRendering} in ${said.where}` };
    return { enabled: true, basis: 'version', describe: `CDI ${b.version} renders PVCs unless webhookPvcRendering is Disabled (not set in what is known)` };
  }
  const gate = `feature gate ${webhookPvcRenderingGate}`;
  const said = [fromConfig, fromCr].find((x) => x?.sw.featureGates !== undefined) ?? fromCr ?? fromConfig;
  if (said) {
    const on = (said.sw.featureGates ?? []).includes(webhookPvcRenderingGate);
    return { enabled: on, basis: 'config', describe: `${gate} ${on ? 'on' : 'off'} in ${said.where}${said.sw.featureGates === undefined ? ', which lists no featureGates' : ''}` };
  }
  return {
    enabled: undefined,
    basis: 'assumed',
    describe: `${gate} assumed on (CDI ${b.version} renders PVCs only with it; no CDIConfig spec or CDI CR spec.config says; HCO >= 1.16 turns it on)`,
  };
}

/** Whether CDI's PVC webhook renders a PVC with these labels in `namespace`, and why. */
export function pvcWebhookPresence(labels: Record<string, string>, namespace: string, facts: Facts, cdi: ResolvedCdiVersion): WebhookPresence {
  if (labels[LABEL.applyStorageProfile] !== 'true') {
    return { applies: false, basis: 'label', describe: `no ${LABEL.applyStorageProfile}: "true" label (the webhook selects only that)` };
  }
  const live = facts.pvcWebhook?.();
  if (live) return liveAnswer(live, labels, namespace);
  const r = pvcRenderingEnabled(facts, cdi);
  return { applies: r.enabled !== false, basis: r.basis, describe: r.describe };
}
