#!/usr/bin/env bash
# Load harness: starts a fresh gateway (demo agent), ramps SIPp callers streaming speech to N concurrent
# calls, measures a steady hold window, hangs up, verifies the recordings and prints a report (also WORK/report.json).
#
#   bench/load/run.sh [--calls=N] [--rate=R] [--hold=S] [--sipp-max=M] [--java-home=DIR] [--java-opts="..."]
#                     [--gateway-args="..."] [--work=DIR] [--build=auto|always|never] [--once] [--warmup-calls=N]
#                     [--warmup-s=S] [--codec=pcmu|g722] [--jfr] [--heap-dump] [--keep-recordings]
#
# Every flag also reads an environment variable: CALLS (100), RATE (20 calls/s), HOLD_S (60), SIPP_MAX (250),
# JAVA_HOME (a JDK 21+ found by scripts/jdk.sh), GATEWAY_JAVA_OPTS (none), GATEWAY_ARGS (none), WORK (/tmp/gw-load-<timestamp>),
# BUILD (auto), ONCE (0), WARMUP_CALLS (0), WARMUP_S (20), CODEC (pcmu; g722 needs ffmpeg to encode the speech),
# JFR (0; 1 = a JFR recording of the settle and hold window in WORK/hold.jfr, see bench/load/flame.py),
# HEAP_DUMP (0; 1 = heap dumps at idle and at steady state and WORK/heap_owners.txt, see bench/load/heapowners.py),
# KEEP_RECORDINGS (0: once the report has checked them, WORK/recordings and the jar's copy are deleted, about 2 GB a
# 300-call run; 1 keeps them).
# See bench/load/README.md for what each figure means.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# Flags, peers, ports, the caller ramp: shared with the rtpengine reference (bench/reference/rtpengine.sh).
source "$here/common.sh"
source "$here/gateway.sh"

load_common_defaults
JAVA_HOME="${JAVA_HOME:-}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"
GATEWAY_ARGS="${GATEWAY_ARGS:-}"            # extra gateway flags, e.g. --recordings.buffer-seconds=2
WORK="${WORK:-/tmp/gw-load-$(date +%Y%m%dT%H%M%S)}"
BUILD="${BUILD:-auto}"
ONCE="${ONCE:-0}"
WARMUP_CALLS="${WARMUP_CALLS:-0}"            # optional warm-up calls before the idle baseline (JIT, class loading)
WARMUP_S="${WARMUP_S:-20}"
CODEC="${CODEC:-pcmu}"                      # what the callers offer and send: pcmu (PT 0) or g722 (PT 9, 16 kHz)
JFR="${JFR:-0}"                             # 1: record the settle and hold window with JFR ("profile" settings)
HEAP_DUMP="${HEAP_DUMP:-0}"                 # 1: heap dumps beside the idle and steady heap figures
KEEP_RECORDINGS="${KEEP_RECORDINGS:-0}"     # 1: keep WORK/recordings after the report (a series of runs fills a disk)
# The callers and the demo agent run under PEER_SCHED (idle) or PEER_NICE: see common.sh.
RTP_PORT_MIN="${RTP_PORT_MIN:-22000}"      # gateway RTP range starts here (outside the tests' default 10000-20000)
SIPP_MEDIA_BASE="${SIPP_MEDIA_BASE:-27000}" # SIPp process i sends media from SIPP_MEDIA_BASE + 10*i

for arg in "$@"; do
  common_flag "$arg" && continue
  case "$arg" in
    --java-home=*) JAVA_HOME="${arg#*=}" ;;
    --java-opts=*) GATEWAY_JAVA_OPTS="${arg#*=}" ;;
    --gateway-args=*) GATEWAY_ARGS="${arg#*=}" ;;
    --build=*) BUILD="${arg#*=}" ;;
    --warmup-calls=*) WARMUP_CALLS="${arg#*=}" ;;
    --warmup-s=*) WARMUP_S="${arg#*=}" ;;
    --codec=*) CODEC="${arg#*=}" ;;
    --jfr) JFR=1 ;;
    --heap-dump) HEAP_DUMP=1 ;;
    --keep-recordings) KEEP_RECORDINGS=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

load_params
[[ "$CODEC" = pcmu || "$CODEC" = g722 ]] || die "CODEC must be pcmu or g722, not: $CODEC"
[[ "$WARMUP_CALLS" =~ ^[0-9]+$ ]] && (( WARMUP_CALLS <= 250 )) || die "WARMUP_CALLS must be 0..250"
[[ "$WARMUP_S" =~ ^[1-9][0-9]*$ ]] || die "WARMUP_S must be a positive integer"

# ---- the gateway (bench/load/gateway.sh): the JDK and WORK, the jar, the demo agent, the process, the exit trap
prepare_work
prepare_jar
rtp_max=$(( RTP_PORT_MIN + (CALLS * 4 > 1000 ? CALLS * 4 : 1000) ))
install_cleanup
start_gateway "$RTP_PORT_MIN" "$rtp_max"
python3 "$here/loadtool.py" timeline "$WORK/timeline.csv" --gw-pid "$gw_pid" --http-port "$HTTP_PORT" --interval 2 &
timeline_pid=$!

if [ "$ONCE" = 1 ]; then
  scenario="$repo/bridge/src/test/resources/sipp/uac_speech.xml"
else
  scenario="$repo/bridge/src/test/resources/sipp/uac_speech_loop.xml"
fi
cp "$repo/bridge/src/test/resources/audio/speech.ulaw" "$WORK/sipp/"
if [ "$CODEC" = g722 ]; then
  # The same call offering G.722 first (RFC 3551: PT 9, RTP clock 8000, 160 bytes per 20 ms) and streaming the same
  # speech encoded by ffmpeg; each rewrite is checked, so a changed scenario fails here rather than measuring PCMU.
  command -v ffmpeg >/dev/null || die "--codec=g722 needs ffmpeg (scripts/install-test-deps.sh installs it)"
  ffmpeg -v error -f mulaw -ar 8000 -ac 1 -i "$WORK/sipp/speech.ulaw" -ar 16000 -c:a g722 -f g722 "$WORK/sipp/speech.g722"
  g722="$WORK/sipp/$(basename "$scenario" .xml)_g722.xml"
  sed -e 's#RTP/AVP 0 8 101#RTP/AVP 9 0 8 101#' -e 's#a=rtpmap:0 PCMU/8000#a=rtpmap:9 G722/8000\n      a=rtpmap:0 PCMU/8000#' \
      -e 's#RTP/AVP 0(\[^0-9\]|\$)#RTP/AVP 9([^0-9]|$)#' -e 's#speech.ulaw,\(-\{0,1\}[0-9]*\),0#speech.g722,\1,9#' \
      "$scenario" >"$g722"
  for want in 'RTP/AVP 9 0 8 101' 'rtpmap:9 G722/8000' 'RTP/AVP 9(' 'speech.g722,'; do
    grep -qF "$want" "$g722" || die "could not rewrite $scenario for G.722 (missing: $want)"
  done
  scenario="$g722"
fi

if (( WARMUP_CALLS > 0 )); then
  log "warm-up: $WARMUP_CALLS calls for $WARMUP_S s (not measured; their recordings are not verified)"
  warm_port=$(python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
  (cd "$WORK/sipp" && exec "${PEER_RUN[@]}" sipp "127.0.0.1:$SIP_PORT" -sf "$scenario" -s agent \
      -i 127.0.0.1 -p "$warm_port" -mi 127.0.0.1 -mp "$((SIPP_MEDIA_BASE - 10))" \
      -r "$RATE" -rp 1000 -l "$WARMUP_CALLS" -m "$WARMUP_CALLS" -d "$((WARMUP_S * 1000))" -nostdin \
      -trace_stat -stf "$WORK/warmup_sipp_stat.csv" -fd 5 -timeout "$((WARMUP_S + 60))s" -timeout_error) \
      >"$WORK/warmup_sipp.out" 2>&1 &
  sipp_pids=($!)
  set +e; wait "${sipp_pids[0]}"; log "warm-up SIPp exit code $?"; set -e
  sipp_pids=()
  python3 "$here/loadtool.py" wait-metric --http-port "$HTTP_PORT" --name gateway_calls_active --at-most 0 --timeout 30 >&2 \
    || log "WARNING: warm-up calls still active"
  ls "$WORK/recordings" >"$WORK/warmup_recordings.txt"
fi

nap 3
log "idle baseline (forced GC)"
python3 "$here/loadtool.py" heap "$WORK/heap_idle.json" --gw-pid "$gw_pid" --jcmd "$jcmd_bin" --http-port "$HTTP_PORT" \
  --histogram "$WORK/heap_idle_histogram.txt"
if [ "$HEAP_DUMP" = 1 ]; then  # live objects (another full GC), for bench/load/heapowners.py
  "$jcmd_bin" "$gw_pid" GC.heap_dump "$WORK/heap_idle.hprof" >"$WORK/heap_dump.out" 2>&1 || log "WARNING: heap dump failed"
fi
python3 "$here/loadtool.py" snapshot "$WORK/snap_idle.json" --gw-pid "$gw_pid" --http-port "$HTTP_PORT"

# ---- callers
log "ramping $CALLS calls at $RATE/s over $procs SIPp process(es); each call lasts $((hold_ms / 1000)) s"
t_start=$(date +%s)
start_callers "127.0.0.1:$SIP_PORT" "$scenario" "$SIPP_MEDIA_BASE"
pids_csv=$(IFS=,; echo "${sipp_pids[*]}")

# Every call is either answered or refused (503 at the call limit or while the recorder is behind).
settled_before=$(python3 -B -c "
import json, sys; sys.path.insert(0, '$here'); import loadtool as t
m = t.parse_metrics(json.load(open('$WORK/snap_idle.json'))['metrics'])
print(int((t.metric(m, 'gateway_calls_answered_total') or 0) + (t.metric(m, 'gateway_calls_refused_total') or 0)))")
log "waiting until all $CALLS calls are answered or refused (at most $((ramp_s + 30)) s)"
if ! python3 "$here/loadtool.py" wait-metric --http-port "$HTTP_PORT" --name gateway_calls_answered_total \
     --name gateway_calls_refused_total --at-least "$((settled_before + CALLS))" --timeout $((ramp_s + 30)) >&2; then
  log "WARNING: not every call was answered or refused; measuring anyway"
fi
if [ "$JFR" = 1 ]; then
  # Started before the settle, so JFR's own start-up is outside the window; its sampling stays in the figures.
  log "JFR recording of the settle and hold window: $WORK/hold.jfr"
  "$jcmd_bin" "$gw_pid" JFR.start name=hold settings=profile filename="$WORK/hold.jfr" >"$WORK/jfr.out" 2>&1 \
    || log "WARNING: JFR.start failed (see $WORK/jfr.out)"
fi
nap "$SETTLE_S"
log "hold window: ${HOLD_S} s"
python3 "$here/loadtool.py" snapshot "$WORK/snap_hold_start.json" --gw-pid "$gw_pid" --sipp-pids "$pids_csv" --http-port "$HTTP_PORT"
nap "$HOLD_S"
python3 "$here/loadtool.py" snapshot "$WORK/snap_hold_end.json" --gw-pid "$gw_pid" --sipp-pids "$pids_csv" --http-port "$HTTP_PORT"
if [ "$JFR" = 1 ]; then
  "$jcmd_bin" "$gw_pid" JFR.stop name=hold >>"$WORK/jfr.out" 2>&1 || log "WARNING: JFR.stop failed (see $WORK/jfr.out)"
fi
log "steady heap (forced GC, after the window so its pause is not in the figures)"
python3 "$here/loadtool.py" heap "$WORK/heap_steady.json" --gw-pid "$gw_pid" --jcmd "$jcmd_bin" --http-port "$HTTP_PORT" \
  --histogram "$WORK/heap_steady_histogram.txt"
if [ "$HEAP_DUMP" = 1 ]; then  # live objects (another full GC), for bench/load/heapowners.py
  "$jcmd_bin" "$gw_pid" GC.heap_dump "$WORK/heap_steady.hprof" >>"$WORK/heap_dump.out" 2>&1 || log "WARNING: heap dump failed"
fi
t_window_end=$(date +%s)
(( t_window_end - t_start < hold_ms / 1000 )) || log "WARNING: calls may have started hanging up inside the window"

log "waiting for the callers to hang up"
wait_callers "$t_start"
python3 "$here/loadtool.py" wait-metric --http-port "$HTTP_PORT" --name gateway_calls_active --at-most 0 --timeout 30 >&2 \
  || log "WARNING: calls still active on the gateway"
sleep 1
python3 "$here/loadtool.py" snapshot "$WORK/snap_final.json" --gw-pid "$gw_pid" --http-port "$HTTP_PORT"

stop_gateway
kill -TERM "$timeline_pid" 2>/dev/null || true; timeline_pid=""

codes_csv=$(IFS=,; echo "${sipp_codes[*]}")
python3 - "$WORK/params.json" <<EOF
import json, sys
json.dump({"calls": $CALLS, "rate": $RATE, "hold_s": $HOLD_S, "sipp_max": $SIPP_MAX, "sipp_procs": $procs,
           "call_duration_ms": $hold_ms, "ramp_s": $ramp_s, "settle_s": $SETTLE_S,
           "scenario": "$scenario", "codec": "$CODEC", "java": "$java_bin", "java_version": """$java_version""",
           "java_opts": """$(gateway_jvm_opts | tr '\n' ' ')$GATEWAY_JAVA_OPTS""", "gateway_args": """$GATEWAY_ARGS""", "jar": "$jar_note", "sip_port": $SIP_PORT, "http_port": $HTTP_PORT,
           "rtp_ports": [$RTP_PORT_MIN, $rtp_max], "sipp_exit_codes": [$codes_csv], "warmup_calls": $WARMUP_CALLS, "warmup_s": $WARMUP_S,
           "peers": "${PEER_RUN[*]}", "gateway_exit_code": $gw_exit, "work": "$WORK"}, open(sys.argv[1], "w"), indent=2)
EOF
python3 "$here/loadtool.py" report "$WORK" | tee "$WORK/report.txt"
if [ "$HEAP_DUMP" = 1 ] && [ -s "$WORK/heap_steady.hprof" ]; then
  calls_up=$(python3 -c "import json; print(int(json.load(open('$WORK/report.json'))['memory'].get('calls_divisor') or 0))")
  python3 "$here/heapowners.py" "$WORK/heap_steady.hprof" --base "$WORK/heap_idle.hprof" --calls "$calls_up" \
    >"$WORK/heap_owners.txt" && log "heap by owner: $WORK/heap_owners.txt"
fi
if [ "$JFR" = 1 ] && [ -s "$WORK/hold.jfr" ]; then
  JAVA_HOME="$JAVA_HOME" python3 "$here/flame.py" "$WORK/hold.jfr" "$WORK/flame" --report "$WORK/report.json" \
    --title "gateway, $CALLS calls, settle + hold window" >/dev/null && log "flame graph: $WORK/flame.svg, table: $WORK/flame.txt"
fi
if [ "$KEEP_RECORDINGS" != 1 ]; then
  log "recordings checked (report above); deleting WORK/recordings ($(du -sh "$WORK/recordings" | cut -f1))" \
    "and the jar's copy; --keep-recordings keeps them"
  rm -rf "$WORK/recordings" "$WORK/gateway.jar"
fi
log "report: $WORK/report.txt and $WORK/report.json; gateway log: $WORK/gateway.log"
