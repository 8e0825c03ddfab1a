/**
 * The operations panel: for each operation, what is deployed now and the runs in the undo journal, newest first,
 * each with its state and log and an Undo button while it has changes standing. It renders what the extension
 * sends and asks it to refresh or undo; every control is a focusable vscode-elements component.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { FromRunsPanel, OperationRow, RunRow, ToRunsPanel } from '../messages/runs.js';
import { busyButtons, connect, el } from '../shared/host.js';

const root = document.getElementById('root')!;
const { button, setBusy } = busyButtons();

const channel = connect<FromRunsPanel, ToRunsPanel>((m) => {
  switch (m.type) {
    case 'show':
      return render(m);
    case 'notConnected':
      return root.replaceChildren(el('p', { role: 'status' }, m.message));
    case 'busy':
      return setBusy(m.busy);
    default: {
      const never: never = m;
      return never;
    }
  }
});

function stateBadge(run: RunRow): HTMLElement {
  return el('vscode-badge', { variant: run.state === 'applied' ? 'default' : 'counter', 'data-state': run.state }, run.state);
}

function runRow(op: OperationRow, run: RunRow): HTMLElement {
  const actions = run.undoable ? button('Undo', () => channel.post({ type: 'undo', operation: op.id, runId: run.runId }), { secondary: '', 'aria-label': `Undo run ${run.runId}` }) : el('span', {}, '');
  return el(
    'vscode-table-row',
    { 'data-run': run.runId },
    el('vscode-table-cell', {}, run.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')),
    el('vscode-table-cell', {}, run.title),
    el('vscode-table-cell', {}, stateBadge(run)),
    el('vscode-table-cell', { title: run.log.join('\n') }, run.log.at(-1) ?? ''),
    el('vscode-table-cell', {}, actions),
  );
}

function operationSection(op: OperationRow): HTMLElement {
  const section = el('section', { 'data-operation': op.id, 'aria-label': op.title });
  section.append(el('h2', {}, op.title));
  if (op.status) section.append(el('p', { class: 'status' }, op.status));
  if (op.details.length > 0) section.append(el('ul', {}, ...op.details.map((d) => el('li', {}, d))));
  if (op.error) section.append(el('p', { class: 'error', role: 'alert' }, op.error));
  if (op.runs.length === 0) {
    section.append(el('p', { class: 'empty' }, 'No runs in the undo journal.'));
    return section;
  }
  const header = el(
    'vscode-table-header',
    { slot: 'header' },
    ...['Started', 'Run', 'State', 'Last event', ''].map((h) => el('vscode-table-header-cell', {}, h)),
  );
  const body = el('vscode-table-body', { slot: 'body' }, ...[...op.runs].reverse().map((r) => runRow(op, r)));
  section.append(el('vscode-table', { 'zebra': '', 'bordered-rows': '', columns: JSON.stringify(['20%', '35%', '10%', '27%', '8%']) }, header, body));
  return section;
}

function render(m: Extract<ToRunsPanel, { type: 'show' }>): void {
  const head = el(
    'header',
    {},
    el('p', {}, `Context ${m.context} · undo journal in namespace ${m.journalNamespace} · read ${m.readAt}`),
    button('Refresh', () => channel.post({ type: 'refresh' })),
    button('Show Log', () => channel.post({ type: 'showLog' }), { secondary: '' }),
  );
  root.replaceChildren(head, el('vscode-divider'), ...m.operations.map(operationSection));
}

channel.post({ type: 'ready' });
