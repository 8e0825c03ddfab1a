/**
 * `kvstorage create-pvc`: the VolumeClaimTemplates design's `virtctl create-pvc` (never shipped), as a command
 * that fronts the `create-pvc` operation (cluster/ops/createPvc/operation.ts): the design's flags, the PVC
 * rendered as CDI's RenderPvc would, created through the operations engine (dry run, confirm or --yes, create,
 * wait for Bound or say why it stays Pending, undo journal). `-o yaml` prints the rendered PVC and writes nothing:
 * with manifest paths it renders from their StorageClasses, StorageProfiles, CDI config and sources, offline
 * unless --kubeconfig/--context add the cluster's (read only).
 */
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { layerFacts, noCluster, type Facts } from '../core/facts.js';
import { renderCreatePvc, sourceKinds, type CreatePvcOptions } from '../core/ops/createPvc/plan.js';
import { defaultSettings } from '../core/types.js';
import { Workspace } from '../core/workspace.js';
import { readCreatePvcFacts, createPvcOperation } from '../cluster/ops/createPvc/operation.js';
import { respond, UsageError, type CommandEnv, type CommandResult } from './command.js';
import { readInputs } from './files.js';
import { applyOperation, clusterOptions, exitHelp, formatOption, open, type ApplyFlags } from './operations.js';
import { namespaceOption, nonEmptyOption, valueOf } from './options.js';

interface Raw extends ApplyFlags {
  name?: string;
  generateName?: string;
  namespace?: string;
  size?: string;
  storageClass?: string;
  dataSourceRefKind?: string;
  dataSourceRefName?: string;
  output?: 'yaml';
}

const description = `Creates a PVC from minimal flags, the way the VolumeClaimTemplates design's virtctl create-pvc would: the class (--storage-class, else the virt default class, else the Kubernetes default), access and volume modes from its StorageProfile, the size (a clone or restore may leave it out: the source's) with CDI's filesystem overhead, and a populator source as dataSourceRef. The PVC is created through the operations engine: server-side dry run, confirmation (or --yes), create, wait for Bound (or why a WaitForFirstConsumer class keeps it Pending), undo journal (kvstorage undo create-pvc). -o yaml prints the rendered PVC and changes nothing.`;

async function renderYaml(paths: string[], raw: Raw, options: CreatePvcOptions, env: CommandEnv): Promise<CommandResult> {
  const inputs = await readInputs(paths, { cwd: env.cwd, stdin: env.stdin });
  // A file that cannot be read, or a folder without manifests, would render from less than the user named.
  const errors = [...inputs.errors, ...inputs.unreadable.map((u) => `cannot read '${u.file}': ${u.reason}`), ...inputs.warnings];
  if (errors.length > 0) return { exitCode: 2, stdout: '', stderr: errors.map((e) => `kvstorage create-pvc: ${e}\n`).join('') };
  const ws = new Workspace();
  for (const f of inputs.files) ws.setFile(f.file, f.text);
  const settings = { ...defaultSettings, defaultNamespace: options.namespace };
  let cluster: Facts = noCluster;
  let close = () => undefined as void;
  // Read-only: with paths and no cluster flags nothing is asked of a cluster at all.
  if (raw.kubeconfig !== undefined || raw.context !== undefined || paths.length === 0) {
    const c = await open(raw, env, 'kvstorage create-pvc');
    if (!c.ok) return c.result;
    if (raw.namespace === undefined) options = { ...options, namespace: c.conn.namespace };
    cluster = await readCreatePvcFacts(c.conn, options);
    close = () => c.conn.dispose();
  }
  try {
    const r = renderCreatePvc(options, layerFacts(ws.facts({ settings }), cluster), { ...settings, defaultNamespace: options.namespace });
    if (!r.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage create-pvc: ${r.message}\n` };
    const header = r.value.notes.map((n) => `# ${n}`).join('\n');
    return { exitCode: 0, stdout: `# Rendered as CDI's RenderPvc would:\n${header}\n${stringify(r.value.pvc, { lineWidth: 0 })}`, stderr: '' };
  } finally {
    close();
  }
}

export function register(program: Command, env: CommandEnv): void {
  const cmd = program
    .command('create-pvc')
    .summary("create a PVC rendered as CDI would (the design's virtctl create-pvc)")
    .description(description)
    .argument('[paths...]', 'with -o yaml: manifests whose storage classes, StorageProfiles, CDI config and sources render the PVC');
  cmd.optionsGroup('PVC:');
  cmd.addOption(nonEmptyOption('--name <name>', 'the PVC name', '--name', 'option --name needs a name'));
  cmd.addOption(nonEmptyOption('--generate-name <prefix>', 'a name prefix the API server completes (instead of --name)', '--generate-name', 'option --generate-name needs a prefix'));
  cmd.addOption(namespaceOption('-n, --namespace <ns>', "the PVC's namespace (default: the context's, or default with -o yaml and paths)", (v) => `invalid namespace '${v}'`));
  cmd.addOption(nonEmptyOption('--size <quantity>', 'the size, e.g. 10Gi (a clone or restore may leave it out)', '--size', 'option --size needs a quantity'));
  cmd.addOption(new Option('--storage-class <name>', 'the StorageClass (default: the virt default class, else the Kubernetes default)').argParser(valueOf('--storage-class', (v) => v)));
  cmd.addOption(
    new Option('--data-source-ref-kind <kind>', `the populator source's kind: ${sourceKinds.map((k) => k.kind).join(', ')}`).argParser(
      valueOf('--data-source-ref-kind', (v) => {
        if (!sourceKinds.some((k) => k.kind === v)) throw new UsageError(`invalid --data-source-ref-kind '${v}' (expected ${sourceKinds.map((k) => k.kind).join(', ')})`);
        return v;
      }),
    ),
  );
  cmd.addOption(nonEmptyOption('--data-source-ref-name <name>', "the populator source's name", '--data-source-ref-name', 'option --data-source-ref-name needs a name'));
  cmd.optionsGroup('Create:');
  cmd.addOption(new Option('-o, --output <format>', 'print the rendered PVC in this format and change nothing: yaml').argParser(valueOf('--output', (v) => {
    if (v !== 'yaml') throw new UsageError(`unknown output format '${v}' (expected yaml)`);
    return v as 'yaml';
  })));
  cmd.option('--dry-run', 'plan and server-side dry-run only: print what would be created, change nothing');
  cmd.option('-y, --yes', 'create without asking (needed where there is no terminal)');
  clusterOptions(cmd).addOption(formatOption()).addHelpText('after', exitHelp);
  cmd.action(
    respond(async (paths: string[], raw: Raw) => {
      if ((raw.name === undefined) === (raw.generateName === undefined)) throw new UsageError('give exactly one of --name and --generate-name');
      if ((raw.dataSourceRefKind === undefined) !== (raw.dataSourceRefName === undefined)) throw new UsageError('--data-source-ref-kind and --data-source-ref-name go together');
      if (paths.length > 0 && raw.output !== 'yaml') throw new UsageError('manifest paths are read with -o yaml only (creating reads the cluster)');
      const values = {
        ...(raw.name === undefined ? {} : { name: raw.name }),
        ...(raw.generateName === undefined ? {} : { generateName: raw.generateName }),
        ...(raw.namespace === undefined ? {} : { namespace: raw.namespace }),
        ...(raw.size === undefined ? {} : { size: raw.size }),
        ...(raw.storageClass === undefined ? {} : { storageClass: raw.storageClass }),
        ...(raw.dataSourceRefKind === undefined ? {} : { dataSourceRefKind: raw.dataSourceRefKind }),
        ...(raw.dataSourceRefName === undefined ? {} : { dataSourceRefName: raw.dataSourceRefName }),
      };
      if (raw.output === 'yaml') return renderYaml(paths, raw, { ...values, namespace: raw.namespace ?? 'default' }, env);
      return applyOperation(createPvcOperation, values, raw, env, 'kvstorage create-pvc');
    }),
  );
}
