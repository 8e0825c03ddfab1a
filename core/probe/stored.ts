/**
 * The request the API server will store for a PVC: CDI's render when its webhook renders the PVC, the request as
 * written otherwise, and, when the cluster has answered a dry run for PVCs of the same key (probe.ts), the
 * cluster's answer instead of the model's.
 */
import type { PvcSpecInput, RenderResult } from '../cdi/render.js';
import { renderPvc } from '../cdi/render.js';
import { describeFactSource } from '../cdi/version.js';
import type { Facts, LiveRenderFact } from '../facts.js';
import { groupDigits } from '../quantity.js';
import type { Settings } from '../types.js';
import { probeKey } from './probe.js';

export interface StoredRequest {
  /** The request the provisioner will be asked for; undefined when none is known. */
  bytes?: bigint;
  /**
   * 'written': nothing renders the size; 'model': CDI's render as modelled; 'live': the cluster's answer for
   * this very request; 'live-untouched': the cluster left the size of such PVCs alone; 'model-confirmed': the
   * model reproduces the cluster's answer for another request of the same key; 'model-disputed': it does not.
   */
  basis: 'written' | 'model' | 'live' | 'live-untouched' | 'model-confirmed' | 'model-disputed';
  /** The answer used, when one was. */
  live?: LiveRenderFact;
  /** A sentence on where the figure comes from when the cluster answered; undefined for the model alone. */
  describe?: string;
}

/** "the API server's dry run on the cluster prod of restore PVC vms/x" (when: `live.at`). */
export function describeLive(live: LiveRenderFact): string {
  return `the API server's dry run on the ${describeFactSource(live.source)} of ${live.sentDescribe}`;
}

function modelBytes(input: PvcSpecInput, render: RenderResult): bigint | undefined {
  return render.webhookApplies && render.renderedBytes !== undefined ? render.renderedBytes : input.requestBytes;
}

/** What the API server will store for `input`, whose model render is `render`. */
export function storedRequest(input: PvcSpecInput, render: RenderResult, facts: Facts, settings: Settings): StoredRequest {
  const model = modelBytes(input, render);
  const modelBasis = render.webhookApplies && render.renderedBytes !== undefined ? 'model' : 'written';
  const live = facts.liveRender?.(probeKey(input));
  const withModel = (basis: StoredRequest['basis'], describe?: string): StoredRequest => ({ ...(model === undefined ? {} : { bytes: model }), basis, ...(live ? { live } : {}), ...(describe ? { describe } : {}) });
  if (!live?.stored) return live ? withModel(modelBasis, `${describeLive(live)} was refused (${live.refused}); the figure is the model's`) : withModel(modelBasis);
  const sent = live.sent.requestBytes;
  const got = live.stored.requestBytes;
  if (sent !== undefined && sent === input.requestBytes) {
    return { ...(got === undefined ? {} : { bytes: got }), basis: 'live', live, describe: `${describeLive(live)} stored ${got === undefined ? 'no request' : `${groupDigits(got)} bytes`} for this request` };
  }
  if (sent === got) {
    const bytes = input.requestBytes;
    return { ...(bytes === undefined ? {} : { bytes }), basis: 'live-untouched', live, describe: `${describeLive(live)} kept its request of ${groupDigits(sent ?? 0n)} bytes: the cluster does not resize such PVCs` };
  }
  // Inflated, at another size: does the model reproduce the cluster's figure for the probe's request?
  const probe = renderPvc({ ...input, ...(sent === undefined ? {} : { requestBytes: sent }) }, facts, settings);
  const predicted = modelBytes({ ...input, requestBytes: sent }, probe);
  const pair = `${groupDigits(sent ?? 0n)} → ${groupDigits(got ?? 0n)} bytes`;
  if (predicted === got) return withModel('model-confirmed', `the model reproduces ${describeLive(live)} (${pair})`);
  return withModel('model-disputed', `${describeLive(live)} gave ${pair} where the model predicts ${predicted === undefined ? 'nothing' : groupDigits(predicted)}: this figure is the model's and may be off`);
}
