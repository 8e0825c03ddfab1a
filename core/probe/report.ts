/**
 * The API server's answer next to the prediction, as the editor shows it: one section per PVC sent, a table of
 * storage class, volume mode, access modes and request, and what differs.
 */
import { rejection } from '../cdi/render.js';
import type { Facts, LiveRenderFact } from '../facts.js';
import { groupDigits } from '../quantity.js';
import type { Settings } from '../types.js';
import type { StoreDifference } from './probe.js';
import { compareWithCluster, describeProbeKey, predictStore } from './probe.js';
import type { ProbeSubject } from './subjects.js';

export interface ClusterCheck {
  subject: string;
  agrees: boolean;
  differences: StoreDifference[];
  /** The section in markdown. */
  markdown: string;
}

const bytes = (b: bigint | undefined) => (b === undefined ? '—' : `${groupDigits(b)} bytes`);
const cell = (s: string | undefined) => (s === undefined || s === '' ? '—' : s.replace(/\|/g, '\\|'));

/** One PVC's answer compared with the model's prediction (the model as it stood before the answer). */
export function clusterCheck(subject: ProbeSubject, answer: LiveRenderFact, facts: Facts, settings: Settings): ClusterCheck {
  const predicted = predictStore(subject.input, facts, settings);
  const differences = compareWithCluster(predicted, answer);
  const lines = [`### ${subject.describe}`, '', `Sent as a dry run (${describeProbeKey(subject.input)}) at ${answer.at}; nothing was created.`, ''];
  if (answer.refused !== undefined) {
    lines.push(`**The API server refused it:** ${answer.refused}`, '');
    const expected = rejection(predicted.render);
    lines.push(expected !== undefined ? `The prediction agrees: ${expected}.` : 'The prediction expected it to be admitted.');
  } else {
    const s = answer.stored!;
    lines.push('| | prediction | the cluster\'s answer |', '|---|---|---|');
    lines.push(`| storageClassName | ${cell(predicted.storageClassName)} | ${cell(s.storageClassName)} |`);
    lines.push(`| volumeMode | ${cell(predicted.volumeMode)} | ${cell(s.volumeMode)} |`);
    lines.push(`| accessModes | ${cell(predicted.accessModes.join(', '))} | ${cell(s.accessModes.join(', '))} |`);
    lines.push(`| request | ${bytes(predicted.requestBytes)} | ${bytes(s.requestBytes)}${s.requestText && s.requestText !== String(s.requestBytes) ? ` (${cell(s.requestText)})` : ''} |`);
    lines.push('');
    lines.push(differences.length === 0 ? '**The cluster agrees with the prediction.**' : `**Differs:** ${differences.map((d) => d.field).join(', ')}. The cluster's answer is what counts; diagnostics for PVCs like this one now use it.`);
  }
  lines.push('', `The prediction used: ${predicted.render.factsUsed.join('; ')}.`, '');
  return { subject: subject.describe, agrees: differences.length === 0, differences, markdown: lines.join('\n') };
}
