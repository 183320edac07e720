#!/usr/bin/env bash
# Installs the Debian packages the integration tests call (SIPp, speech and audio tools, Chromium) when missing.
# Idempotent: does nothing (and no network access) when everything is already installed.
set -euo pipefail

# sip-tester is SIPp 3.6.1; espeak-ng and sox regenerate the speech fixtures; libsox-fmt-all adds sox's μ-law/A-law/WAV handlers;
# chromium is the headless browser the QA page's tests drive over the DevTools protocol.
# baresip-core is the softphone of the TLS + SRTP call (SipTlsSrtpIT); linphone-cli the second softphone (LinphoneCallIT);
# kamailio the SIP proxy in front of two gateways (GatewaysBehindKamailioIT; installing it starts no service).
# ffmpeg is the independent G.722 encoder and decoder the codec and the wideband call are checked against.
readonly PACKAGES=(sip-tester espeak-ng sox libsox-fmt-all chromium baresip-core linphone-cli kamailio ffmpeg)

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
  echo "install-test-deps: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo -n)
  else
    echo "install-test-deps: not root and no password-less sudo; install these packages by hand: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-test-deps: installing ${missing[*]}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get update -qq >"$log" 2>&1 \
  || ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  cat "$log" >&2
  echo "install-test-deps: failed to install ${missing[*]}" >&2
  exit 1
fi

for pkg in "${missing[@]}"; do
  if ! is_installed "$pkg"; then
    echo "install-test-deps: $pkg is still not installed after apt-get" >&2
    exit 1
  fi
done
echo "install-test-deps: installed ${missing[*]}"
