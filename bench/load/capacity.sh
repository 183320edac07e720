#!/usr/bin/env bash
# Capacity: the largest call count at which every quality target holds at once (bench/load/loadtool.py TARGETS: no
# failed or refused call, no recorder loss, no late tick, playout lateness p99 <= 2 ms, inbound added p99 <= 1 ms),
# found by stepping the call count up in each peer mode until a step fails. Each step is a full run.sh run (fresh
# gateway, warm-up, hold window) in OUT/<mode>-<calls>; the headline and a table of every step go to OUT/capacity.txt.
#
#   bench/load/capacity.sh [--steps="50 100 150 200 250 300"] [--modes="idle nice0"] [--out=DIR] [run.sh flags...]
#
# Modes: idle = peers under SCHED_IDLE (run.sh's default), nice0 = PEER_SCHED=nice PEER_NICE=0. A mode stops at its
# first failing step (a larger count on the same box does not pass where a smaller one failed). Flags it does not
# know go to run.sh as they are (e.g. --hold=40 --warmup-calls=20 --build=never --codec=g722).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
STEPS="${STEPS:-50 100 150 200 250 300}"
MODES="${MODES:-idle nice0}"
OUT="${OUT:-/tmp/gw-capacity-$(date +%Y%m%dT%H%M%S)}"
pass_on=()
for arg in "$@"; do
  case "$arg" in
    --steps=*) STEPS="${arg#*=}" ;;
    --modes=*) MODES="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    --work=*) echo "--work is per step here (OUT/<mode>-<calls>); give --out=DIR" >&2; exit 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) pass_on+=("$arg") ;;
  esac
done
mkdir -p "$OUT"
summary="$OUT/capacity.txt"
: >"$summary"
say() { printf '%s\n' "$*" | tee -a "$summary"; }
headline=()
for mode in $MODES; do
  case "$mode" in
    idle) env_mode=(env -u PEER_NICE PEER_SCHED=idle) ;;
    nice0) env_mode=(env PEER_SCHED=nice PEER_NICE=0) ;;
    *) echo "unknown mode: $mode (idle or nice0)" >&2; exit 2 ;;
  esac
  best=0
  for calls in $STEPS; do
    work="$OUT/$mode-$calls"
    rm -rf "$work"
    if ! "${env_mode[@]}" "$here/run.sh" --calls="$calls" --work="$work" "${pass_on[@]}" >"$work.out" 2>&1; then
      say "$mode $calls: run.sh failed (see $work.out)"
      break
    fi
    if python3 "$here/loadtool.py" verdict "$work/report.json" >"$work.verdict"; then
      best=$calls
      say "$mode $calls: PASS $(tail -1 "$work.verdict" | sed 's/.*calls, //')"
    else
      say "$mode $calls: FAIL $(grep FAIL "$work.verdict" | head -n -1 | sed 's/^ *FAIL *//' | tr -s ' ' | paste -sd ';' -)"
      break
    fi
  done
  headline+=("$mode: $best calls")
done
say "capacity (every target held): ${headline[*]}"
