#!/usr/bin/env bash
# Installs what the real-editor tests need, idempotently (each step is skipped when already done):
#   - Debian packages: chromium (the browser Playwright drives), ripgrep (seeds @vscode/ripgrep), and the
#     toolchain + krb5 headers code-server's native modules compile with;
#   - code-server 4.100.3 (VS Code 1.100.3, the last code-server on npm that runs on Node 20) from npm, into a
#     cache outside the repo: ${KVS_E2E_CACHE:-$HOME/.cache/kvstorage-e2e}/code-server.
# playwright-core and @vscode/vsce are the project's devDependencies; nothing else is fetched, and nothing but
# the npm registry and Debian's archive is reached. Recipe: ../shared/e2e/README.md.
# Env: KVS_E2E_CACHE (cache folder), KVS_E2E_SKIP_APT=1 (never call apt-get; fail if a package is missing),
# KVS_E2E_APT_UPDATED=1 (the package lists are fresh: skip apt-get update).
set -euo pipefail

CACHE=${KVS_E2E_CACHE:-$HOME/.cache/kvstorage-e2e}
CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11 # @vscode/ripgrep pinned by code-server 4.100.3's lib/vscode
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES=(chromium ripgrep libkrb5-dev build-essential python3)

t0=$(date +%s)
mkdir -p "$CACHE"

# 1) Debian packages, only those not installed yet.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${KVS_E2E_SKIP_APT:-0}" = 1 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (KVS_E2E_SKIP_APT=1)" >&2
    exit 1
  fi
  sudo=''
  [ "$(id -u)" = 0 ] || sudo='sudo'
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  [ "${KVS_E2E_APT_UPDATED:-0}" = 1 ] || $sudo apt-get update -qq # .ci/run has just updated
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

# 2) code-server, unless this version is already in the cache.
CS_DIR="$CACHE/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
if [ -x "$CS_BIN" ] && [ -f "$CS_DIR/.installed-$CS_VERSION" ]; then
  echo "setup: code-server $CS_VERSION present in $CS_DIR"
else
  rm -rf "$CS_DIR"
  # @vscode/ripgrep's postinstall downloads rg from GitHub, which is not reachable. It looks in
  # $TMPDIR/vscode-ripgrep-cache-<version>/ first: seed that with Debian's rg (the same 13.0.0).
  install_tmp="$CS_DIR/tmp"
  rg_cache="$install_tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
  mkdir -p "$rg_cache"
  d=$(mktemp -d)
  cp "$(command -v rg)" "$d/rg"
  tar czf "$rg_cache/$RG_ASSET" -C "$d" rg
  rm -rf "$d"
  echo '{ "name": "kvstorage-e2e-code-server", "version": "1.0.0", "private": true }' >"$CS_DIR/package.json"
  echo "setup: installing code-server $CS_VERSION into $CS_DIR (log: $CS_DIR/install.log)"
  # unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall runs
  # `npx node-gyp`; nodedir=/usr: node-gyp uses the local headers instead of downloading them.
  # argon2 and kerberos find no prebuilt binary offline and compile (hence build-essential, libkrb5-dev).
  if ! (cd "$CS_DIR" && TMPDIR="$install_tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
      npm install --no-audit --no-fund --no-package-lock --foreground-scripts "code-server@$CS_VERSION" \
      >install.log 2>&1); then
    tail -40 "$CS_DIR/install.log"
    echo "setup: code-server install failed (log: $CS_DIR/install.log)" >&2
    exit 1
  fi
  rm -rf "$install_tmp"
  touch "$CS_DIR/.installed-$CS_VERSION"
fi
xdg=$(mktemp -d) # --version still creates a data folder: keep it out of $HOME
version=$(XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" "$CS_BIN" --config /dev/null --version | head -1)
rm -rf "$xdg"
echo "setup: code-server $version; chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
echo "setup: done in $(($(date +%s) - t0))s"
