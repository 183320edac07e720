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

APT_INSTALL_WHO=install-test-deps exec "$(cd "$(dirname "$0")" && pwd)/apt-install.sh" "${PACKAGES[@]}"
