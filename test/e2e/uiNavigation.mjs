// UI tests of navigation in the editor: the Outline view lists the objects, F12 on a storage class opens the file
// that defines it, and the code lens above the TPM restore shows the bytes CDI renders.
import { runCommand } from './lib/palette.mjs';
import { settled, workbench } from './lib/workbench.mjs';

const file = 'vm-restore-tpm.yaml';

export const navigationUiTests = [
  {
    name: 'the Outline view lists the objects of vm-restore-tpm.yaml by kind, namespace and name',
    async run({ page, shot }) {
      const wb = workbench(page);
      await wb.focusEditorArea();
      await wb.openFile(file);
      await runCommand(page, 'Focus on Outline View', 'Explorer');
      for (const name of ['VolumeSnapshot vms/vmsnapshot-5d1f3a2c-volume-persistent-state-for-win11', 'PersistentVolumeClaim vms/restore-8e2c7d4a-persistent-state-for-win11']) {
        await page.locator('.part.sidebar .monaco-list-row', { hasText: name }).first().waitFor();
      }
      await shot('outline');
    },
  },
  {
    name: 'F12 on storageClassName opens cluster-storage.yaml at the StorageClass',
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      await wb.openFile(file);
      await wb.goTo(`${workspace}/${file}`, 'storageClassName: trident-nas');
      // The end of the line is inside the class's name.
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('F12');
      await page.locator('.tabs-container .tab.active[aria-label*="cluster-storage.yaml"]').waitFor();
      await shot('go-to-definition');
      await wb.openFile(file);
    },
  },
  {
    // The runner's emulator has no cdi-api-pvc-mutate: the live configuration decides (facts §0), so CDI renders nothing.
    name: "the code lens above the TPM restore PVC says what CDI does on the emulator: no PVC webhook, the size left alone",
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      await wb.openFile(file);
      // Lenses render only in view: bring each object's first line into it.
      await wb.goTo(`${workspace}/${file}`, 'kind: VolumeSnapshot');
      await page.locator('.monaco-editor .codelens-decoration', { hasText: 'restoreSize 20Mi · restored by 2 PVCs' }).first().waitFor();
      await wb.goTo(`${workspace}/${file}`, 'kind: PersistentVolumeClaim');
      const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'CDI leaves the size alone' });
      await lens.first().waitFor();
      const text = await lens.first().innerText();
      if (!text.includes('no cdi-api-pvc-mutate')) throw new Error(`the lens says why CDI renders nothing: ${text}`);
      if (!text.includes('CDI v1.63.1 from cluster-storage.yaml')) throw new Error(`the lens names the file relatively: ${text}`);
      await settled(lens.first());
      await shot('code-lens');
    },
  },
];
