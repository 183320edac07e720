#!/usr/bin/env bash
# Soak: a fresh gateway (demo agent) carries CALLS concurrent SIPp calls with churn (each call lasts CALL_S, a new
# one starts as one ends) for MINUTES, then checks that nothing grew: the live heap (class histogram) under load
# within 5 % from the second sample on, threads, file descriptors and sockets back where they were once idle, every
# call successful, every recording complete, no recorder loss, no late ticks outside the samples' own forced GCs.
# Finished calls are verified and deleted through the QA API as the run goes (30 minutes of 100 calls is about
# 17 GB of WAV).
#
#   bench/soak/run.sh [--calls=N] [--minutes=M] [--call-seconds=S] [--sample-minutes=K] [--work=DIR]
#                     [--java-home=DIR] [--java-opts="..."] [--gateway-args="..."] [--build=auto|always|never]
#
# Env: CALLS (100), MINUTES (30), CALL_S (60), SAMPLE_MIN (5), RATE (2 calls/s at most: 100 calls of 60 s turn over
# 1.67 a second), WORK (/tmp/gw-soak-<ts>),
# PEER_SCHED / PEER_NICE as in bench/load. Prints the report (also WORK/report.txt, report.json); exit 0 = PASS.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
load="$repo/bench/load"
source "$load/common.sh"
source "$load/gateway.sh"

RATE="${RATE:-2}"   # before the load harness's defaults, whose RATE (20) would bunch arrivals and hang-ups
load_common_defaults
CALLS="${CALLS:-100}"
MINUTES="${MINUTES:-30}"
CALL_S="${CALL_S:-60}"
SAMPLE_MIN="${SAMPLE_MIN:-5}"
JAVA_HOME="${JAVA_HOME:-}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"
GATEWAY_ARGS="${GATEWAY_ARGS:-}"
WORK="${WORK:-/tmp/gw-soak-$(date +%Y%m%dT%H%M%S)}"
BUILD="${BUILD:-auto}"
RTP_PORT_MIN="${RTP_PORT_MIN:-22000}"
SIPP_MEDIA_BASE="${SIPP_MEDIA_BASE:-27000}"
for arg in "$@"; do
  case "$arg" in
    --calls=*) CALLS="${arg#*=}" ;;
    --minutes=*) MINUTES="${arg#*=}" ;;
    --call-seconds=*) CALL_S="${arg#*=}" ;;
    --sample-minutes=*) SAMPLE_MIN="${arg#*=}" ;;
    --work=*) WORK="${arg#*=}" ;;
    --java-home=*) JAVA_HOME="${arg#*=}" ;;
    --java-opts=*) GATEWAY_JAVA_OPTS="${arg#*=}" ;;
    --gateway-args=*) GATEWAY_ARGS="${arg#*=}" ;;
    --build=*) BUILD="${arg#*=}" ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
HOLD_S=1 load_params   # PEER_RUN and the checks of CALLS and RATE; the ramp figures are not used here
for v in MINUTES CALL_S SAMPLE_MIN; do [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"; done
(( CALLS <= 250 )) || die "CALLS must be <= 250 (one SIPp process)"
(( MINUTES * 60 >= 3 * SAMPLE_MIN * 60 )) || die "MINUTES must hold at least three samples of SAMPLE_MIN"
total=$(( CALLS * MINUTES * 60 / CALL_S ))

prepare_work
prepare_jar
install_cleanup
start_gateway "$RTP_PORT_MIN" "$(( RTP_PORT_MIN + (CALLS * 4 > 1000 ? CALLS * 4 : 1000) ))"
python3 "$load/loadtool.py" timeline "$WORK/timeline.csv" --gw-pid "$gw_pid" --http-port "$HTTP_PORT" --interval 10 &
timeline_pid=$!
scenario="$repo/bridge/src/test/resources/sipp/uac_speech_loop.xml"
cp "$repo/bridge/src/test/resources/audio/speech.ulaw" "$WORK/sipp/"

sample() { python3 "$here/soaktool.py" sample "$WORK/samples.jsonl" --label "$1" --gw-pid "$gw_pid" \
  --jcmd "$jcmd_bin" --http-port "$HTTP_PORT" >/dev/null; }
# The reaper is bookkeeping, not a peer: it only ever takes time nothing else wants, in either peer mode.
reap() { chrt --idle 0 python3 "$here/soaktool.py" reap "$WORK/recordings" --totals "$WORK/recordings.json" \
  --http-port "$HTTP_PORT"; }
# callers NAME CONCURRENT TOTAL SECONDS: one SIPp process in the background (pid in sipp_pids).
callers() {
  local port
  port=$(free_ports 1)
  (cd "$WORK/sipp" && exec "${PEER_RUN[@]}" sipp "127.0.0.1:$SIP_PORT" -sf "$scenario" -s agent \
      -i 127.0.0.1 -p "$port" -mi 127.0.0.1 -mp "$SIPP_MEDIA_BASE" -r "$RATE" -rp 1000 -l "$2" -m "$3" \
      -d "$(( $4 * 1000 ))" -nostdin -trace_stat -stf "$WORK/$1_stat.csv" -fd 10 \
      -trace_err -error_file "$WORK/$1_errors.log" -timeout "$(( MINUTES * 60 + CALL_S + 300 ))s" -timeout_error) \
      >"$WORK/$1.out" 2>&1 &
  sipp_pids=($!)
}
quiet() {
  python3 "$load/loadtool.py" wait-metric --http-port "$HTTP_PORT" --name gateway_calls_active --at-most 0 \
    --timeout 60 >&2 || log "WARNING: calls still active"
}

# Warm-up: every thread pool and code path the calls use exists before the idle sample the end is compared with.
log "warm-up: 20 calls of 10 s"
callers warmup 20 20 10
wait "${sipp_pids[0]}" || log "WARNING: warm-up SIPp exit code $?"
sipp_pids=()
quiet
reap
rm -f "$WORK/recordings.json"
sample idle-before

log "soak: $CALLS concurrent calls of $CALL_S s for $MINUTES min ($total calls), a sample every $SAMPLE_MIN min"
callers sipp_0 "$CALLS" "$total" "$CALL_S"
t0=$(date +%s); next_sample=$(( t0 + SAMPLE_MIN * 60 ))
refused_before=$(python3 "$here/soaktool.py" refused --http-port "$HTTP_PORT")
while kill -0 "${sipp_pids[0]}" 2>/dev/null; do
  nap 60
  reap
  # A refused call fails the run (the report says so), but the soak goes on: what it is for is whether anything
  # grows over the half hour. A refused caller is replaced at RATE at most, so few calls are lost to it.
  refused_now=$(python3 "$here/soaktool.py" refused --http-port "$HTTP_PORT")
  if (( refused_now > refused_before )); then
    log "WARNING: the gateway has refused $(( refused_now - refused_before )) call(s) so far; this run fails"
  fi
  if (( $(date +%s) >= next_sample )) && kill -0 "${sipp_pids[0]}" 2>/dev/null; then
    sample load
    log "sample: $(tail -1 "$WORK/samples.jsonl")"
    next_sample=$(( next_sample + SAMPLE_MIN * 60 ))
  fi
done
set +e; wait "${sipp_pids[0]}"; sipp_code=$?; set -e
sipp_pids=()
log "callers done (SIPp exit code $sipp_code)"
quiet
reap
nap 3
sample idle-after
stop_gateway
kill -TERM "$timeline_pid" 2>/dev/null || true; timeline_pid=""

python3 - "$WORK/params.json" <<PY
import json, sys
json.dump({"calls": $CALLS, "minutes": $MINUTES, "call_s": $CALL_S, "sample_min": $SAMPLE_MIN, "rate": $RATE,
           "total_calls": $total, "java_version": """$java_version""", "java_opts": """$GATEWAY_JAVA_OPTS""",
           "gateway_args": """$GATEWAY_ARGS""", "jar": "$jar_note", "peers": "${PEER_RUN[*]}",
           "sipp_exit_code": $sipp_code, "gateway_exit_code": $gw_exit}, open(sys.argv[1], "w"), indent=2)
PY
set +e
python3 "$here/soaktool.py" report "$WORK" | tee "$WORK/report.txt"
verdict=${PIPESTATUS[0]}
set -e
log "report: $WORK/report.txt and $WORK/report.json; gateway log: $WORK/gateway.log"
exit "$verdict"
