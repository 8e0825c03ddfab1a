/**
 * The CDI render page: for every claim of a file, each field as written and as CDI will render it side by side,
 * the differences marked (in colour from the theme and in words, for screen readers), and why CDI will reject a
 * claim. Every control is a focusable vscode-elements component; "Go to" moves the editor to the claim.
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
import type { FromCdiRender, RenderClaim, RenderField, ToCdiRender } from '../messages/cdiRender.js';
import { connect, el } from '../shared/host.js';

const root = document.getElementById('root')!;

const channel = connect<FromCdiRender, ToCdiRender>((m) => {
  switch (m.type) {
    case 'show':
      return render(m);
    case 'unavailable':
      return root.replaceChildren(el('p', { role: 'status' }, m.message));
    default: {
      const never: never = m;
      return never;
    }
  }
});

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLElement {
  const b = el('vscode-button', attrs, label);
  b.addEventListener('click', onClick);
  return b;
}

const empty = '—';

function fieldRow(f: RenderField): HTMLElement {
  const mark: Record<string, string> = f.changed ? { class: 'changed', 'data-changed': 'true' } : {};
  const rendered = el('vscode-table-cell', mark, f.rendered ?? empty);
  if (f.changed) rendered.setAttribute('aria-label', `${f.rendered ?? 'empty'} (differs from what is written)`);
  return el(
    'vscode-table-row',
    { 'data-field': f.field },
    el('vscode-table-cell', {}, f.field),
    el('vscode-table-cell', {}, f.written ?? empty),
    rendered,
    el('vscode-table-cell', { class: 'why' }, f.why),
  );
}

function claimSection(c: RenderClaim, index: number): HTMLElement {
  const section = el('section', { 'data-claim': String(index), 'aria-label': c.describe });
  const changes = c.fields.filter((f) => f.changed).length;
  section.append(
    el(
      'h2',
      {},
      c.describe,
      ' ',
      c.denials.length > 0
        ? el('vscode-badge', { variant: 'counter', 'data-state': 'rejected' }, 'rejected')
        : el('vscode-badge', { variant: 'default', 'data-state': c.rendered ? 'rendered' : 'as-written' }, c.rendered ? `${changes} ${changes === 1 ? 'change' : 'changes'}` : 'as written'),
    ),
    el('p', { class: 'status' }, `Rendered by ${c.renderer}. ${c.cdi}.`),
  );
  for (const d of c.denials) section.append(el('p', { class: 'error', role: 'alert' }, `CDI will reject it: ${d}`));
  const header = el('vscode-table-header', { slot: 'header' }, ...['Field', 'Written', 'Rendered', 'Why'].map((h) => el('vscode-table-header-cell', {}, h)));
  const body = el('vscode-table-body', { slot: 'body' }, ...c.fields.map(fieldRow));
  section.append(el('vscode-table', { zebra: '', 'bordered-rows': '', columns: JSON.stringify(['16%', '20%', '20%', '44%']) }, header, body));
  if (c.unknowns.length > 0) section.append(el('ul', { class: 'status' }, ...c.unknowns.map((u) => el('li', {}, `Not known: ${u}`))));
  section.append(button('Go to claim', () => channel.post({ type: 'reveal', index }), { secondary: '', 'aria-label': `Go to ${c.describe}` }));
  return section;
}

function render(m: Extract<ToCdiRender, { type: 'show' }>): void {
  const head = el('header', {}, el('p', {}, `${m.file} · ${m.claims.length} ${m.claims.length === 1 ? 'claim' : 'claims'} · read ${m.readAt}`), button('Refresh', () => channel.post({ type: 'refresh' })));
  const body = m.claims.length === 0 ? [el('p', { class: 'empty' }, 'No PVC specs in this file (PVCs, VolumeClaimTemplates, dataVolumeTemplates, DataVolumes, StatefulSet templates).')] : m.claims.map(claimSection);
  root.replaceChildren(head, el('vscode-divider'), ...body);
}

channel.post({ type: 'ready' });
