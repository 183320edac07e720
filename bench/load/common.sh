# Shared parts of the load harness (bench/load/run.sh) and its C reference (bench/reference/rtpengine.sh), sourced by
# both so the two runs place the same calls the same way: flags and their checks, how the peers yield the cores,
# free loopback ports, the SIPp caller ramp and the wait for the callers to hang up. Not a script of its own.
#
# Before sourcing: set -euo pipefail. Reads (env, with these defaults) CALLS RATE HOLD_S SIPP_MAX PEER_SCHED PEER_NICE
# and sets PEER_RUN, procs, ramp_s, hold_ms, sipp_timeout_s after load_params; start_callers fills sipp_pids.

load_common_defaults() {
  CALLS="${CALLS:-100}"
  RATE="${RATE:-20}"
  HOLD_S="${HOLD_S:-60}"
  SIPP_MAX="${SIPP_MAX:-250}"
  # The callers (and other peers) share the cores with what is measured; they run at a lower priority so the
  # figures approach those of a process on its own machine. PEER_SCHED=idle (default) runs them under SCHED_IDLE, so
  # a waking measured thread always preempts them at once, the nearest to separate machines that one box offers;
  # PEER_SCHED=nice runs them at nice PEER_NICE (10; 0 treats them as equals).
  PEER_NICE="${PEER_NICE:-10}"
  PEER_SCHED="${PEER_SCHED:-idle}"
}

# Seconds to wait after the last call is answered before the hold window opens (first turns settle).
SETTLE_S=2
# Extra seconds each call stays up beyond ramp + settle + hold, so nobody hangs up inside the window or during the
# steady heap figures after it (a loaded box takes a while over the forced GCs and histograms: raise it there).
TAIL_S="${TAIL_S:-10}"

# Sleeps in the background so a signal runs the cleanup trap at once (bash defers traps during a foreground child).
nap_pid=""
nap() { sleep "$1" & nap_pid=$!; wait "$nap_pid" || true; nap_pid=""; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# common_flag ARG: takes one of the shared flags (--calls= --rate= --hold= --sipp-max= --work= --once) into CALLS,
# RATE, HOLD_S, SIPP_MAX, WORK or ONCE; false for any other argument, which the script then reads itself.
common_flag() {
  case "$1" in
    --calls=*) CALLS="${1#*=}" ;;
    --rate=*) RATE="${1#*=}" ;;
    --hold=*) HOLD_S="${1#*=}" ;;
    --sipp-max=*) SIPP_MAX="${1#*=}" ;;
    --work=*) WORK="${1#*=}" ;;
    --once) ONCE=1 ;;
    *) return 1 ;;
  esac
}

# Checks the shared flags and derives PEER_RUN, procs, ramp_s, hold_ms and sipp_timeout_s from them.
load_params() {
  case "$PEER_SCHED" in
    nice) PEER_RUN=(nice -n "$PEER_NICE") ;;
    idle) PEER_RUN=(chrt --idle 0) ;;
    *) echo "PEER_SCHED must be nice or idle, not: $PEER_SCHED" >&2; exit 2 ;;
  esac
  [[ "$CALLS" =~ ^[1-9][0-9]*$ ]] || die "CALLS must be a positive integer"
  [[ "$HOLD_S" =~ ^[1-9][0-9]*$ ]] || die "HOLD_S must be a positive integer"
  [[ "$SIPP_MAX" =~ ^[1-9][0-9]*$ ]] || die "SIPP_MAX must be a positive integer"
  (( SIPP_MAX <= 250 )) || die "SIPP_MAX must be <= 250"
  python3 -c "import sys; sys.exit(0 if float('$RATE') > 0 else 1)" 2>/dev/null || die "RATE must be a positive number"
  command -v sipp >/dev/null || die "sipp not found (apt-get install sip-tester)"
  procs=$(( (CALLS + SIPP_MAX - 1) / SIPP_MAX ))
  ramp_s=$(python3 -c "import math; print(math.ceil($CALLS / $RATE))")
  hold_ms=$(( (ramp_s + SETTLE_S + HOLD_S + TAIL_S) * 1000 ))
  sipp_timeout_s=$(( hold_ms / 1000 + ramp_s + 60 ))
}

# free_ports N [udp|udp+tcp]: N distinct loopback ports free right now (for SIP: free for UDP and TCP alike).
free_ports() {
  python3 - "$1" "${2:-udp}" <<'PY'
import socket, sys
n, tcp = int(sys.argv[1]), sys.argv[2] == "udp+tcp"
out, held = [], []
while len(out) < n:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); p = u.getsockname()[1]
    if tcp:
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", p))
        except OSError:
            t.close(); u.close(); continue
        t.close()
    held.append(u); out.append(p)
print(*out)
PY
}

# start_callers TARGET SCENARIO MEDIA_BASE: ramps CALLS calls at RATE/s from `procs` SIPp processes (run from
# WORK/sipp, which holds the scenario's audio), process i sending media from MEDIA_BASE + 10*i; each call holds
# hold_ms then hangs up. Fills sipp_pids; per-process files WORK/sipp_<i>_{stat.csv,errors.log,screen.log}, .out.
sipp_pids=()
start_callers() {
  local target="$1" scenario="$2" media_base="$3" i n r mp
  local ports
  read -r -a ports < <(free_ports "$procs")
  for ((i = 0; i < procs; i++)); do
    n=$(( CALLS / procs + (i < CALLS % procs ? 1 : 0) ))
    r=$(python3 -c "print(round($RATE / $procs, 3))")
    mp=$(( media_base + 10 * i ))
    (cd "$WORK/sipp" && exec "${PEER_RUN[@]}" sipp "$target" -sf "$scenario" -s agent \
        -i 127.0.0.1 -p "${ports[$i]}" -mi 127.0.0.1 -mp "$mp" \
        -r "$r" -rp 1000 -l "$n" -m "$n" -d "$hold_ms" -nostdin \
        -trace_stat -stf "$WORK/sipp_${i}_stat.csv" -fd 5 -trace_err -error_file "$WORK/sipp_${i}_errors.log" \
        -trace_screen -screen_file "$WORK/sipp_${i}_screen.log" \
        -timeout "${sipp_timeout_s}s" -timeout_error) >"$WORK/sipp_${i}.out" 2>&1 &
    sipp_pids+=($!)
  done
}

# wait_callers T_START: waits for every caller to exit (deadline: T_START + sipp_timeout_s + 30 s, then SIGKILL);
# their exit codes land in sipp_codes, sipp_pids is emptied.
wait_callers() {
  local deadline=$(( $1 + sipp_timeout_s + 30 )) p code
  sipp_codes=()
  for p in "${sipp_pids[@]}"; do
    while kill -0 "$p" 2>/dev/null && (( $(date +%s) < deadline )); do nap 1; done
    kill -0 "$p" 2>/dev/null && { log "WARNING: SIPp $p overran; killing it"; kill -KILL "$p" 2>/dev/null || true; }
    set +e; wait "$p"; code=$?; set -e
    sipp_codes+=("$code")
  done
  sipp_pids=()
}
