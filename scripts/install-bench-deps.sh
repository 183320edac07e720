#!/usr/bin/env bash
# Installs the Debian packages the load harness's C reference calls (bench/reference/rtpengine.sh) when missing.
# Idempotent: does nothing (and no network access) when everything is already installed. Not part of the test deps:
# CI never runs the reference.
set -euo pipefail

# sip-tester is SIPp (callers and the answering side); kamailio is the SIP proxy (its base package carries the
# rtpengine control module, rtpengine.so); rtpengine-daemon is the media relay, run userspace only (no kernel module,
# so rtpengine-kernel-dkms, a Recommends of nothing we install, stays out). Installing them starts no service here:
# the harness runs each daemon in the foreground with its own config.
readonly PACKAGES=(sip-tester kamailio rtpengine-daemon)

APT_INSTALL_WHO=install-bench-deps exec "$(cd "$(dirname "$0")" && pwd)/apt-install.sh" "${PACKAGES[@]}"
