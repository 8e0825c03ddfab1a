/**
 * The GCP golden-image checklist: the seven steps of the workaround with their state on the connected cluster
 * (needed, done, not needed on this platform) and why, what each will apply (and, after a dry run, the diff
 * against the live objects), buttons for dry run, apply, verify and undo, and the verification (step 7). It
 * renders what the extension sends; the extension runs everything through the one operation conversation.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import type { ChecklistView, FromGcpImagesPage, OutcomeRow, StepRow, ToGcpImagesPage } from '../messages/gcpImages.js';
import { connect, el } from '../shared/host.js';

const root = document.getElementById('root')!;
let busy = false;
let view: ChecklistView | undefined;
let readAt = '';
/** The dry run's outcomes by step, until the next read of the cluster. */
let outcomes: OutcomeRow[] = [];
let result: { action: string; message: string } | undefined;
/** Why there is no view (no cluster, or it could not be read). */
let notice = '';

const channel = connect<FromGcpImagesPage, ToGcpImagesPage>((m) => {
  switch (m.type) {
    case 'show':
      view = m.view;
      readAt = m.readAt;
      return render();
    case 'result':
      result = { action: m.action, message: m.message };
      if (m.outcomes) outcomes = m.outcomes;
      else if (m.action !== 'verify') outcomes = [];
      return render();
    case 'notConnected':
      view = undefined;
      notice = m.message;
      return render();
    case 'busy':
      busy = m.busy;
      for (const b of document.querySelectorAll<HTMLElement>('vscode-button')) b.toggleAttribute('disabled', busy);
      document.body.toggleAttribute('data-busy', busy);
      return;
    default: {
      const never: never = m;
      return never;
    }
  }
});

function button(label: string, message: FromGcpImagesPage, attrs: Record<string, string> = {}): HTMLElement {
  const b = el('vscode-button', { ...attrs, ...(busy ? { disabled: '' } : {}) }, label);
  b.addEventListener('click', () => {
    if (!busy) channel.post(message);
  });
  return b;
}

const stateText = { needed: 'needed', done: 'done', 'not-needed': 'not needed' } as const;

function stepItem(s: StepRow): HTMLElement {
  const item = el('vscode-collapsible', { title: `${s.step}. ${s.title}`, 'data-step': String(s.step), 'data-state': s.state, ...(s.state === 'needed' ? { open: '' } : {}) });
  item.append(el('vscode-badge', { slot: 'decorations', variant: s.state === 'needed' ? 'counter' : 'default', 'data-state': s.state }, stateText[s.state]));
  const body = el('div', { class: 'step' }, el('p', { class: 'reason' }, s.reason));
  const mine = outcomes.filter((o) => o.phase === s.id);
  for (const w of s.writes) {
    const o = mine.filter((x) => x.label === w.label || w.action === 'deleteSelected');
    body.append(el('h3', {}, `${w.action === 'deleteSelected' ? 'deletes' : w.action}: ${w.label}`), el('pre', { class: 'write' }, w.text));
    for (const x of o) {
      body.append(el('p', { class: 'outcome', 'data-action': x.action }, `dry run: ${x.action} ${x.label}`));
      if (x.diff) body.append(el('pre', { class: 'diff' }, x.diff));
    }
  }
  if (s.writes.length === 0 && s.state === 'needed' && s.id !== 'verify') body.append(el('p', { class: 'empty' }, 'Nothing to write for this step.'));
  item.append(body);
  return item;
}

function verification(v: ChecklistView['verification']): HTMLElement {
  const section = el('section', { 'aria-label': 'Verification', 'data-verification': v.state });
  section.append(el('h2', {}, `Verification: ${v.state}`));
  section.append(el('ul', {}, ...v.checks.map((c) => el('li', { 'data-check': c.id, 'data-state': c.state }, `${c.state === 'passed' ? '✓' : c.state === 'pending' ? '…' : '✗'} ${c.title}: ${c.message}`))));
  return section;
}

function resultLine(r: { action: string; message: string }): HTMLElement {
  return el('p', { class: 'result', role: 'status', 'data-action': r.action }, r.message);
}

function render(): void {
  if (!view) {
    // An action's outcome stays on the page when the read after it fails (it changed the cluster either way).
    if (notice) root.replaceChildren(el('p', { role: 'status' }, notice), ...(result ? [resultLine(result)] : []));
    return;
  }
  const v = view;
  const head = el(
    'header',
    {},
    el('p', {}, `Context ${v.context} · read ${readAt}`),
    button('Dry Run', { type: 'dryRun' }, { 'aria-label': 'Dry run the needed steps' }),
    button('Apply', { type: 'apply' }),
    button('Verify', { type: 'verify' }, { secondary: '' }),
    button('Undo', { type: 'undo' }, { secondary: '' }),
    button('Refresh', { type: 'refresh' }, { secondary: '' }),
    button('Show Log', { type: 'showLog' }, { secondary: '' }),
  );
  const parts: HTMLElement[] = [head];
  if (result) parts.push(resultLine(result));
  parts.push(el('p', { class: 'plan' }, v.plan.ok ? v.plan.title : `No plan: ${v.plan.message}`));
  if (v.plan.ok && v.plan.advice) parts.push(el('p', { class: 'error' }, `Advice: ${v.plan.advice}`));
  if (v.blocked) parts.push(el('p', { class: 'error', role: 'alert' }, v.blocked));
  for (const p of v.problems) parts.push(el('p', { class: 'error' }, p));
  parts.push(el('vscode-divider'), el('div', { class: 'steps' }, ...v.steps.map(stepItem)), verification(v.verification));
  if (v.notes.length > 0) parts.push(el('h2', {}, 'Notes'), el('ul', { class: 'notes' }, ...v.notes.map((n) => el('li', {}, n))));
  root.replaceChildren(...parts);
}

channel.post({ type: 'ready' });
