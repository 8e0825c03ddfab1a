/**
 * "Create PVC…" (`kubevirtStorage.createPvc`): the design's `virtctl create-pvc` as quick picks — a name or a
 * name prefix, a populator source that exists, a class (CDI's default marked), a size — then the one operations
 * conversation (`runOperation`: the rendered PVC in a preview editor, the server-side dry run, the confirmation
 * naming the context, create, wait for Bound or the WaitForFirstConsumer explanation, Undo).
 */
import { window, type QuickPickItem } from 'vscode';
import { createPvcChoicesRequest, type CreatePvcChoices } from '../../protocol/claims.js';
import type { ClientDeps } from '../deps.js';
import { runOperation } from '../operations/conversation.js';
import { ask, connectedContext, type OperationDeps } from '../operations/deps.js';

interface Pick<T> extends QuickPickItem {
  value: T;
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const quantity = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
const title = 'KubeVirt Storage: Create PVC';

async function pick<T>(items: Pick<T>[], placeHolder: string, step: number): Promise<T | undefined> {
  const r = await window.showQuickPick(items, { title: `${title} (${step}/5)`, placeHolder, ignoreFocusOut: true, matchOnDetail: true });
  return r?.value;
}

/** The choices asked in order; undefined when the user cancels one. */
async function choose(c: CreatePvcChoices): Promise<Record<string, string> | undefined> {
  const mode = await pick<'name' | 'generateName'>(
    [
      { label: 'Name', description: 'metadata.name', value: 'name' },
      { label: 'Generated name', description: 'metadata.generateName: the API server adds a suffix', value: 'generateName' },
    ],
    `A PVC in namespace ${c.namespace}: how is it named?`,
    1,
  );
  if (!mode) return undefined;
  const name = await window.showInputBox({
    title: `${title} (2/5)`,
    prompt: mode === 'name' ? 'The PVC name' : 'The name prefix (e.g. my-pvc-)',
    ignoreFocusOut: true,
    validateInput: (v) => (mode === 'name' ? (dns1123.test(v) ? undefined : 'lowercase letters, digits, - and .') : /^[a-z0-9][-a-z0-9.]*$/.test(v) ? undefined : 'lowercase letters, digits, - and .'),
  });
  if (!name) return undefined;
  const sourceItems: Pick<{ kind: string; name: string } | null>[] = [{ label: 'No source', description: 'an empty disk', value: null }];
  for (const s of c.sources) for (const n of s.names) sourceItems.push({ label: n.name, description: s.kind, detail: n.detail, value: { kind: s.kind, name: n.name } });
  const source = await pick(sourceItems, 'Populate it from (the sources that exist in the namespace)', 3);
  if (source === undefined) return undefined;
  const classItems: Pick<string | null>[] = [
    { label: 'Default', description: c.defaultClass ? `CDI picks ${c.defaultClass}` : 'no default class is known', value: null },
    ...c.classes.map((k) => ({ label: k.name, detail: k.detail, value: k.name })),
  ];
  const storageClass = await pick(classItems, 'StorageClass (CDI takes access and volume modes from its StorageProfile)', 4);
  if (storageClass === undefined) return undefined;
  const clone = source?.kind === 'VolumeCloneSource' || source?.kind === 'VolumeSnapshot' || source?.kind === 'PersistentVolumeClaim';
  const size = await window.showInputBox({
    title: `${title} (5/5)`,
    prompt: clone ? "The size (leave empty: the source's size)" : 'The size, e.g. 10Gi (CDI adds its filesystem overhead for Filesystem volumes)',
    ignoreFocusOut: true,
    validateInput: (v) => (v === '' ? (clone ? undefined : 'a size is needed without a clone source') : quantity.test(v) ? undefined : 'a quantity such as 10Gi or 512Mi'),
  });
  if (size === undefined) return undefined;
  return {
    [mode]: name,
    namespace: c.namespace,
    ...(size ? { size } : {}),
    ...(storageClass ? { storageClass } : {}),
    ...(source ? { dataSourceRefKind: source.kind, dataSourceRefName: source.name } : {}),
  };
}

export async function createPvc(deps: ClientDeps, ops: OperationDeps): Promise<void> {
  if (!connectedContext(ops)) return;
  const namespace = ops.cluster()?.namespace;
  const choices = await ask(ops, 'read the storage classes and sources', () => deps.server.request(createPvcChoicesRequest, namespace ? { namespace } : {}));
  if (!choices.ok) return;
  const options = await choose(choices.value);
  if (!options) return deps.output.info('Create PVC: cancelled at a choice; nothing was created');
  const name = options['name'] ?? `${options['generateName']}…`;
  await runOperation(ops, { operation: 'create-pvc', doing: `Creating PVC ${options['namespace']}/${name}`, verb: 'Create', options });
}
