/**
 * A VolumeResize migration as it goes: its phase, the grid of replicas × volumes (each cell's phase and message,
 * the old and new PVC and PV), the timeline of what the watch saw with the time each step took (the running
 * step's time counts up here), and the StatefulSet's backup ConfigMap. It renders what the extension sends and
 * asks it to refresh, open the YAML, roll back (when Failed) or delete; every control is a vscode-elements component.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { FromResizeProgress, PageCell, PageProgress, PageTimelineEntry, ToResizeProgress } from '../messages/resizeProgress.js';
import { busyButtons, connect, el } from '../shared/host.js';

const root = document.getElementById('root')!;
const { button, setBusy } = busyButtons();
let ticker: number | undefined;

const channel = connect<FromResizeProgress, ToResizeProgress>((m) => {
  switch (m.type) {
    case 'show':
      return render(m.progress, m.readAt);
    case 'gone':
      window.clearInterval(ticker);
      return root.replaceChildren(el('p', { role: 'status', class: 'gone' }, m.message));
    case 'busy':
      return setBusy(m.busy);
    default: {
      const never: never = m;
      return never;
    }
  }
});

/** `850 ms`, `12 s`, `3 min 4 s`, `2 h 5 min`. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

const time = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

function badge(phase: string): HTMLElement {
  return el('vscode-badge', { variant: phase === 'Failed' ? 'counter' : 'default', 'data-phase': phase }, phase);
}

function cellView(c: PageCell | undefined): HTMLElement {
  if (!c) return el('vscode-table-cell', {}, '—');
  const names = [`old PVC ${c.oldPvc}${c.oldPv ? ` on ${c.oldPv}` : ''}`, `new PVC ${c.newPvc}${c.newPv ? ` on ${c.newPv}` : ''}`];
  return el(
    'vscode-table-cell',
    { 'data-cell': `${c.replica}/${c.volume}`, 'data-phase': c.phase, ...(c.current ? { 'data-current': 'true', 'aria-current': 'step' } : {}), title: names.join('\n') },
    badge(c.phase),
    ...(c.current ? [el('span', { class: 'now' }, ' now')] : []),
    ...(c.message ? [el('div', { class: 'message' }, c.message)] : []),
    el('div', { class: 'names' }, names[0]!),
    el('div', { class: 'names' }, names[1]!),
  );
}

function grid(p: PageProgress): HTMLElement {
  if (p.grid.length === 0) return el('p', { class: 'empty' }, 'No replica × volume yet: the operator lists them once it has validated the VolumeResize.');
  const header = el('vscode-table-header', { slot: 'header' }, el('vscode-table-header-cell', {}, 'Replica'), ...p.volumes.map((v) => el('vscode-table-header-cell', {}, `${v.name} → ${v.newSize}${v.storageClass ? ` (${v.storageClass})` : ''}`)));
  const rows = p.replicas.map((r) =>
    el('vscode-table-row', { 'data-replica': String(r) }, el('vscode-table-cell', {}, `replica ${r}`), ...p.volumes.map((v) => cellView(p.grid.find((c) => c.replica === r && c.volume === v.name)))),
  );
  return el('vscode-table', { id: 'grid', zebra: '', 'bordered-rows': '', 'aria-label': 'Replicas × volumes' }, header, el('vscode-table-body', { slot: 'body' }, ...rows));
}

function timelineView(entries: readonly PageTimelineEntry[], watchedSince: string): HTMLElement {
  const rows = entries.map((e, i) =>
    el(
      'vscode-table-row',
      { 'data-step': String(i), ...(e.open ? { 'data-open': 'true' } : {}) },
      el('vscode-table-cell', {}, time(e.at)),
      el('vscode-table-cell', {}, e.what),
      el('vscode-table-cell', { class: 'elapsed', 'data-at': e.at, 'data-elapsed': String(e.elapsedMs) }, `${duration(e.elapsedMs)}${e.open ? ' so far' : ''}`),
    ),
  );
  const header = el('vscode-table-header', { slot: 'header' }, ...['When', 'Step', 'Took'].map((h) => el('vscode-table-header-cell', {}, h)));
  const section = el('section', { 'aria-label': 'Timeline' }, el('h2', {}, 'Timeline'), el('p', { class: 'note' }, `From the watch since ${time(watchedSince)}; the operator reports steps, not bytes.`));
  section.append(entries.length ? el('vscode-table', { id: 'timeline', 'bordered-rows': '', columns: JSON.stringify(['22%', '63%', '15%']) }, header, el('vscode-table-body', { slot: 'body' }, ...rows)) : el('p', {}, 'Nothing seen yet.'));
  return section;
}

/** The running step's time counts up without asking the extension. */
function tick(): void {
  for (const c of document.querySelectorAll<HTMLElement>('vscode-table-row[data-open] .elapsed')) {
    const at = Date.parse(c.dataset['at'] ?? '');
    if (!Number.isNaN(at)) c.textContent = `${duration(Math.max(Number(c.dataset['elapsed'] ?? 0), Date.now() - at))} so far`;
  }
}

function render(p: PageProgress, readAt: string): void {
  const head = el(
    'header',
    {},
    el('h1', {}, `VolumeResize ${p.namespace}/${p.name}`),
    el('p', { id: 'phase' }, badge(p.phase), ` StatefulSet ${p.statefulSet}${p.currentReplica !== undefined ? ` · replica ${p.currentReplica}${p.currentVolume ? ` × ${p.currentVolume}` : ''}` : ''}${p.message ? ` · ${p.message}` : ''}`),
    el('p', { class: 'note' }, `Context ${p.context} · read ${readAt}${p.startTime ? ` · started ${time(p.startTime)}` : ''}${p.completionTime ? ` · completed ${time(p.completionTime)}` : ''}`),
    button('Refresh', () => channel.post({ type: 'refresh' }), { secondary: '' }),
    button('Open YAML', () => channel.post({ type: 'openYaml' }), { secondary: '' }),
    ...(p.failed ? [button('Roll Back…', () => channel.post({ type: 'rollback' }), { id: 'rollback' })] : []),
    button('Delete…', () => channel.post({ type: 'delete' }), { secondary: '' }),
    button('Show Log', () => channel.post({ type: 'showLog' }), { secondary: '' }),
  );
  const backup = el(
    'section',
    { 'aria-label': 'Backup', id: 'backup' },
    el('h2', {}, 'StatefulSet backup'),
    el('p', {}, `ConfigMap ${p.backup.name}: ${p.backup.state === 'present' ? 'present' : p.backup.state === 'absent' ? 'absent' : 'unknown'}${p.backup.detail ? ` — ${p.backup.detail}` : ''}`),
  );
  root.replaceChildren(head, el('vscode-divider'), el('h2', {}, 'Replicas × volumes'), grid(p), timelineView(p.timeline, p.watchedSince), backup);
  window.clearInterval(ticker);
  if (p.timeline.some((e) => e.open)) ticker = window.setInterval(tick, 1000);
}

channel.post({ type: 'ready' });
