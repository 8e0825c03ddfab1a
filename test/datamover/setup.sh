#!/usr/bin/env bash
# Installs qemu-img (Debian's qemu-utils) for the datamover tests that make real qcow2 chains, idempotently: nothing
# is done when qemu-img is already there. Without it those tests are skipped and say why. .ci/run calls this.
# Env: KVS_E2E_APT_UPDATED=1 (the package lists are fresh: skip apt-get update), KVS_SKIP_APT=1 (never call apt-get).
set -euo pipefail

if command -v qemu-img >/dev/null; then
  echo "datamover setup: $(qemu-img --version | head -1)"
  exit 0
fi
if [ "${KVS_SKIP_APT:-0}" = 1 ] || ! command -v apt-get >/dev/null; then
  echo "datamover setup: qemu-img is missing and apt-get is not used here; the qcow2 tests will be skipped" >&2
  exit 0
fi
sudo=''
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "datamover setup: qemu-img is missing and neither root nor sudo can install it; the qcow2 tests will be skipped" >&2
    exit 0
  fi
  sudo='sudo'
fi
export DEBIAN_FRONTEND=noninteractive
[ "${KVS_E2E_APT_UPDATED:-0}" = 1 ] || $sudo apt-get update -qq
echo "datamover setup: installing qemu-utils"
$sudo apt-get install -y -qq --no-install-recommends qemu-utils >/dev/null
echo "datamover setup: $(qemu-img --version | head -1)"
