/**
 * The VolumeResize commands: start a migration (from the VolumeResize at the cursor, or chosen step by step from
 * the cluster's StatefulSets), show its progress page, roll a failed one back (all at once, or one step at a time,
 * each through the one conversation: preview, dry run, confirmation, progress, verification), delete one. Every
 * change goes through the operations (`volumeresize-start|rollback|delete`); nothing here reads the cluster.
 */
import { commands, Disposable, ProgressLocation, window, type ExtensionContext, type QuickPickItem } from 'vscode';
import type { ExplorerNode } from '../protocol/explorer.js';
import {
  volumeResizeChoicesRequest,
  volumeResizeInDocumentRequest,
  volumeResizeListRequest,
  type ResizeChoiceStatefulSet,
  type VolumeResizeRef,
  type VolumeTarget,
} from '../protocol/volumeResize.js';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { describeError, logError, showFailure } from './failures.js';
import { runOperation, type ConversationEnd } from './operations/conversation.js';
import { ask, connectedContext, type OperationDeps } from './operations/deps.js';
import { ResizeProgressPanels } from './volumeResizeProgress.js';

/** The conversation applied its plan, and nothing failed (the one-step rollback goes on; a start is remembered). */
const applied = (end: ConversationEnd): boolean =>
  end.stage === 'applied' && (end.run.outcome === 'applied' || end.run.outcome === 'unchanged') && end.run.verification?.state !== 'failed';

interface Pick<T> extends QuickPickItem {
  value: T;
}

/** The migration a command is about: the explorer node clicked, a reference, or one the user picks. */
async function target(deps: OperationDeps, arg: unknown, only?: (phase: string) => boolean, prompt = 'Which VolumeResize?'): Promise<VolumeResizeRef | undefined> {
  const node = arg as Partial<ExplorerNode> & Partial<VolumeResizeRef> | undefined;
  if (node?.object?.kind === 'VolumeResize' && node.object.namespace) return { namespace: node.object.namespace, name: node.object.name };
  if (typeof node?.namespace === 'string' && typeof node.name === 'string') return { namespace: node.namespace, name: node.name };
  if (!connectedContext(deps)) return undefined;
  const r = await ask(deps, 'list the VolumeResizes', () => deps.server.request(volumeResizeListRequest));
  if (!r.ok) return undefined;
  if (!r.value.ok) {
    void window.showWarningMessage(`KubeVirt Storage: ${r.value.message}`);
    return undefined;
  }
  const items = r.value.items.filter((i) => !only || only(i.phase)).map((i): Pick<VolumeResizeRef> => ({ label: i.name, description: `${i.namespace} · ${i.phase}`, ...(i.message ? { detail: i.message } : {}), value: i }));
  if (items.length === 0) {
    void window.showInformationMessage(`KubeVirt Storage: no ${only ? 'such ' : ''}VolumeResize in the cluster.`);
    return undefined;
  }
  return (await window.showQuickPick(items, { title: prompt, ignoreFocusOut: true }))?.value;
}

/** Options of a start from the VolumeResize written at the cursor. */
async function fromEditor(deps: OperationDeps): Promise<Record<string, string> | undefined> {
  const editor = window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml' || !/\bkind:\s*["']?VolumeResize\b/.test(editor.document.getText())) return undefined;
  const r = await ask(deps, 'read the VolumeResize at the cursor', () => deps.server.request(volumeResizeInDocumentRequest, { uri: editor.document.uri.toString(), line: editor.selection.active.line }));
  if (!r.ok) return undefined;
  if (!r.value.ok) {
    void window.showWarningMessage(`KubeVirt Storage: ${r.value.message}`);
    return {};
  }
  return startOptions(r.value.name, r.value.namespace, r.value.statefulSet, r.value.volumes);
}

export function startOptions(name: string, namespace: string, statefulSet: string, volumes: readonly VolumeTarget[]): Record<string, string> {
  const classes = volumes.map((v) => v.storageClass ?? '');
  return {
    name,
    namespace,
    statefulset: statefulSet,
    volume: volumes.map((v) => v.name).join(','),
    size: volumes.map((v) => v.newSize).join(','),
    ...(classes.some((c) => c !== '') ? { storageClass: classes.join(',') } : {}),
  };
}

/** Options of a start chosen step by step: StatefulSet, volume, size (suggested from the data in use), class, name. */
async function chosen(deps: OperationDeps): Promise<Record<string, string> | undefined> {
  const r = await window.withProgress({ location: ProgressLocation.Notification, title: 'KubeVirt Storage: reading the StatefulSets and the data in use' }, () =>
    ask(deps, 'list the StatefulSets', () => deps.server.request(volumeResizeChoicesRequest, {})),
  );
  if (!r.ok) return undefined;
  if (!r.value.ok) {
    void window.showWarningMessage(`KubeVirt Storage: ${r.value.message}`);
    return undefined;
  }
  const { namespace, statefulSets, storageClasses } = r.value;
  if (statefulSets.length === 0) {
    void window.showInformationMessage(`KubeVirt Storage: no StatefulSet in namespace ${namespace} to shrink.`);
    return undefined;
  }
  const sts = (await window.showQuickPick(
    statefulSets.map((s): Pick<ResizeChoiceStatefulSet> => ({ label: s.name, description: `${s.replicas} replica${s.replicas === 1 ? '' : 's'} · ${s.volumes.map((v) => `${v.name} ${v.size ?? ''}`.trim()).join(', ')}`, value: s })),
    { title: 'Start VolumeResize Migration: the StatefulSet', placeHolder: `Namespace ${namespace}`, ignoreFocusOut: true },
  ))?.value;
  if (!sts) return undefined;
  const vol = (await window.showQuickPick(
    sts.volumes.map((v) => ({ label: v.name, description: [v.size, v.storageClass].filter((x) => x).join(' · '), ...(v.suggested ? { detail: `data in use fits in ${v.suggested}` } : v.usage ? { detail: `data in use unknown: ${v.usage}` } : {}), value: v })),
    { title: `Start VolumeResize Migration: the volume of ${sts.name}`, ignoreFocusOut: true },
  ))?.value;
  if (!vol) return undefined;
  const size = await window.showInputBox({
    title: `Start VolumeResize Migration: the new size of ${vol.name} (now ${vol.size ?? 'unknown'})`,
    value: vol.suggested ?? '',
    prompt: vol.suggested ? `Suggested from the data in use (25 % room): ${vol.suggested}` : `The data in use is not known${vol.usage ? ` (${vol.usage})` : ''}: check it before you shrink.`,
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(v.trim()) ? undefined : 'A Kubernetes quantity, e.g. 4Gi'),
  });
  if (!size) return undefined;
  const keep = { label: `Keep ${vol.storageClass ?? "the PVC's class"}`, value: '' };
  const cls = await window.showQuickPick([keep, ...storageClasses.filter((c) => c.name !== vol.storageClass).map((c) => ({ label: c.name, description: [c.isDefault ? 'default' : '', c.bindingMode ?? ''].filter((x) => x).join(' · '), value: c.name }))], {
    title: 'Start VolumeResize Migration: the class of the new PVCs',
    ignoreFocusOut: true,
  });
  if (!cls) return undefined;
  const name = await window.showInputBox({ title: 'Start VolumeResize Migration: its name', value: `shrink-${sts.name}-${vol.name}`.slice(0, 63), ignoreFocusOut: true });
  if (!name) return undefined;
  return startOptions(name.trim(), namespace, sts.name, [{ name: vol.name, newSize: size.trim(), ...(cls.value ? { storageClass: cls.value } : {}) }]);
}

export function register(context: ExtensionContext, deps: ClientDeps, ops: OperationDeps): { disposable: Disposable; panels: ResizeProgressPanels } {
  let lastStarted: VolumeResizeRef | undefined;
  const openYaml = async (ref: VolumeResizeRef): Promise<void> => {
    const node: ExplorerNode = { id: `volumeResizes/${ref.namespace}/${ref.name}`, kind: 'volumeResize', label: ref.name, collapsible: 'none', object: { apiVersion: 'storage.maurice.fr/v1alpha1', kind: 'VolumeResize', namespace: ref.namespace, name: ref.name } };
    await commands.executeCommand(commandIds.openObjectYaml, node);
  };
  const rollback = async (ref: VolumeResizeRef): Promise<void> => {
    const all = { label: 'All steps', detail: 'One preview and one confirmation for every step', value: false };
    const stepwise = { label: 'One step at a time', detail: 'A preview, a dry run and a confirmation for each step, checked before the next', value: true };
    const mode = await window.showQuickPick([stepwise, all], { title: `Roll back VolumeResize ${ref.namespace}/${ref.name}`, ignoreFocusOut: true });
    if (!mode) return;
    const words = { operation: 'volumeresize-rollback', doing: `Rolling back VolumeResize ${ref.namespace}/${ref.name}`, verb: 'Roll Back', options: { name: ref.name, namespace: ref.namespace, ...(mode.value ? { oneStep: true } : {}) } };
    if (!mode.value) return void (await runOperation(ops, words));
    // Each plan holds the next step only: stop when nothing is left, or the user stops.
    for (let step = 0; step < 8; step++) if (!applied(await runOperation(ops, words))) return;
  };
  const remove = async (ref: VolumeResizeRef): Promise<void> => {
    await runOperation(ops, { operation: 'volumeresize-delete', doing: `Deleting VolumeResize ${ref.namespace}/${ref.name}`, verb: 'Delete', options: { name: ref.name, namespace: ref.namespace } });
  };
  const panels = new ResizeProgressPanels(context, ops, deps.server, { rollback, remove, openYaml });
  const guarded = (id: string, run: (arg?: unknown) => Promise<void>) => async (arg?: unknown): Promise<void> => {
    try {
      await run(arg);
    } catch (error) {
      logError(deps.output, id, error);
      await showFailure(deps.output, `${id}: ${describeError(error)}`);
    }
  };
  const disposable = Disposable.from(
    panels,
    commands.registerCommand(commandIds.startVolumeResize, guarded(commandIds.startVolumeResize, async () => {
      if (!connectedContext(ops)) return;
      const options = (await fromEditor(ops)) ?? (await chosen(ops));
      if (!options || !options['name']) return;
      const ref = { namespace: options['namespace']!, name: options['name'] };
      const end = await runOperation(ops, {
        operation: 'volumeresize-start',
        doing: `Starting VolumeResize ${ref.namespace}/${ref.name}`,
        verb: 'Start',
        options,
        followUps: [{ label: 'Show Progress', command: commandIds.showResizeProgress }],
      });
      if (applied(end)) lastStarted = ref;
    })),
    commands.registerCommand(commandIds.showResizeProgress, guarded(commandIds.showResizeProgress, async (arg) => {
      const ref = arg === undefined && lastStarted ? lastStarted : await target(ops, arg);
      if (ref) panels.show(ref);
    })),
    commands.registerCommand(commandIds.rollbackVolumeResize, guarded(commandIds.rollbackVolumeResize, async (arg) => {
      const ref = await target(ops, arg, (phase) => phase === 'Failed', 'Roll back which failed VolumeResize?');
      if (ref) await rollback(ref);
    })),
    commands.registerCommand(commandIds.deleteVolumeResize, guarded(commandIds.deleteVolumeResize, async (arg) => {
      const ref = await target(ops, arg);
      if (ref) await remove(ref);
    })),
  );
  return { disposable, panels };
}
