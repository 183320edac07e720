#!/usr/bin/env bash
# Installs the Debian packages named as arguments when missing (apt-get, --no-install-recommends; as root or through
# password-less sudo). Idempotent: does nothing (and no network access) when every one is already installed.
# The one home of this logic: scripts/install-test-deps.sh and scripts/install-bench-deps.sh call it with their lists.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail

(($# > 0)) || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
readonly PACKAGES=("$@")
readonly who="${APT_INSTALL_WHO:-apt-install}"

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == "installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$who: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo -n)
  else
    echo "$who: not root and no password-less sudo; install these packages by hand: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "$who: installing ${missing[*]}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get update -qq >"$log" 2>&1 \
  || ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  cat "$log" >&2
  echo "$who: failed to install ${missing[*]}" >&2
  exit 1
fi

for pkg in "${missing[@]}"; do
  if ! is_installed "$pkg"; then
    echo "$who: $pkg is still not installed after apt-get" >&2
    exit 1
  fi
done
echo "$who: installed ${missing[*]}"
