/** A VM snapshot and its content with one backup (the TPM's backend PVC), for the VM restore rules' tests. */
export const vmSnapshot = (content = 'content-1') => `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshot
metadata:
  name: snap
  namespace: default
spec:
  source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: vm}
status:
  readyToUse: true
  virtualMachineSnapshotContentName: ${content}
`;
export const content = (labelled: boolean, size = '10Mi', mode = 'Filesystem') => `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshotContent
metadata:
  name: content-1
  namespace: default
spec:
  virtualMachineSnapshotName: snap
  volumeBackups:
    - volumeName: tpm
      volumeSnapshotName: vs-tpm
      persistentVolumeClaim:
        metadata:
          name: persistent-state-for-vm-abcde
          labels:
            persistent-state-for: vm
${labelled ? '            cdi.kubevirt.io/applyStorageProfile: "true"\n' : ''}        spec:
          accessModes: [ReadWriteOnce]
          volumeMode: ${mode}
          storageClassName: nas
          resources:
            requests:
              storage: ${size}
`;
/** A VirtualMachineRestore `rollback` of `snap` onto `vm`, with `extra` spec lines (two-space indented). */
export const vmRestore = (extra = '') => `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineRestore
metadata:
  name: rollback
  namespace: default
spec:
  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: vm}
  virtualMachineSnapshotName: snap
${extra}`;
