#!/usr/bin/env bash
# Runs the C reference (bench/reference/rtpengine.sh: rtpengine behind Kamailio) and the gateway (bench/load/run.sh)
# back to back with the same calls, ramp, hold, SIPp split, scenario and peer scheduling, and prints the ratio of
# their CPU per concurrent call (gateway / rtpengine), also into WORK/compare.{txt,json}.
#
#   bench/load/compare.sh [--calls=N] [--rate=R] [--hold=S] [--sipp-max=M] [--once] [--work=DIR] [--bracket]
#                         [any other run.sh flag, e.g. --warmup-calls=N --java-opts="..." --build=never]
#
# --bracket (BRACKET=1) runs the reference before and after the gateway and compares against their mean, so a
# change in the box's load between the runs shows as a spread. CALLS, RATE, HOLD_S, SIPP_MAX, ONCE, PEER_SCHED and
# PEER_NICE are read from the environment as by both runs. WORK defaults to /tmp/gw-compare-<timestamp>; the runs
# land in WORK/reference (WORK/reference-after) and WORK/gateway.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$here/common.sh"

load_common_defaults
WORK="${WORK:-/tmp/gw-compare-$(date +%Y%m%dT%H%M%S)}"
ONCE="${ONCE:-0}"
BRACKET="${BRACKET:-0}"
gateway_flags=()
for arg in "$@"; do
  common_flag "$arg" && continue
  case "$arg" in
    --bracket) BRACKET=1 ;;
    --codec=*) [ "${arg#*=}" = pcmu ] || die "the reference places PCMU calls only; compare with --codec=pcmu" ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) gateway_flags+=("$arg") ;;
  esac
done
load_params
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
[ -z "$(ls -A "$WORK" 2>/dev/null)" ] || die "WORK dir $WORK is not empty"
export CALLS RATE HOLD_S SIPP_MAX ONCE PEER_SCHED PEER_NICE

log "reference: rtpengine behind Kamailio, $CALLS calls, hold $HOLD_S s"
WORK="$WORK/reference" "$repo/bench/reference/rtpengine.sh" >/dev/null
refs=("$WORK/reference")
log "gateway: $CALLS calls, hold $HOLD_S s ${gateway_flags[*]:-}"
WORK="$WORK/gateway" "$here/run.sh" "${gateway_flags[@]}" >/dev/null
if [ "$BRACKET" = 1 ]; then
  log "reference again, after the gateway"
  WORK="$WORK/reference-after" "$repo/bench/reference/rtpengine.sh" >/dev/null
  refs+=("$WORK/reference-after")
fi
python3 "$here/loadtool.py" compare "$WORK" "$WORK/gateway" "${refs[@]}" | tee "$WORK/compare.txt"
log "reports: $WORK/gateway/report.txt, ${refs[*]/%//report.txt}; comparison: $WORK/compare.{txt,json}"
