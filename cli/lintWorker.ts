/**
 * A worker thread of `kvstorage lint` (lintParallel.ts drives it): it holds one share (lintShare.ts), indexes
 * it, reports the facts it contributes, then analyses it against the facts of every share. Each message is
 * answered in turn.
 */
import { parentPort } from 'node:worker_threads';
import type { Settings } from '../core/types.js';
import type { SharedFact } from '../core/workspaceIndex.js';
import { factsOfWinners, Share, type Before, type FindingsBatch, type Indexed, type SharedFile } from './lintShare.js';

export type { SharedFile } from './lintShare.js';

export type ToWorker =
  | { type: 'index'; files: SharedFile[]; settings: Settings; rules: string[] }
  | { type: 'analyse'; winners: SharedFact[]; before: (Before | undefined)[] };

export type FromWorker = ({ type: 'facts' } & Indexed) | ({ type: 'findings' } & FindingsBatch);

function serve(port: NonNullable<typeof parentPort>): void {
  let share: Share | undefined;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'index') {
      share = new Share(m.files, m.settings, m.rules);
      port.postMessage({ type: 'facts', ...share.index() } satisfies FromWorker);
      return;
    }
    for (const b of share!.analyse(factsOfWinners(m.winners), m.before)) port.postMessage({ type: 'findings', ...b } satisfies FromWorker);
  });
}

if (parentPort) serve(parentPort);
