#!/usr/bin/env bash
# Load harness: starts a fresh gateway (demo agent), ramps SIPp callers streaming speech to N concurrent
# calls, measures a steady hold window, hangs up, verifies the recordings and prints a report (also WORK/report.json).
#
#   bench/load/run.sh [--calls=N] [--rate=R] [--hold=S] [--sipp-max=M] [--java-home=DIR] [--java-opts="..."]
#                     [--gateway-args="..."] [--work=DIR] [--build=auto|always|never] [--once] [--warmup-calls=N]
#                     [--warmup-s=S] [--codec=pcmu|g722]
#
# Every flag also reads an environment variable: CALLS (100), RATE (20 calls/s), HOLD_S (60), SIPP_MAX (250),
# JAVA_HOME (a JDK 21+ found by scripts/jdk.sh), GATEWAY_JAVA_OPTS (none), GATEWAY_ARGS (none), WORK (/tmp/gw-load-<timestamp>),
# BUILD (auto), ONCE (0), WARMUP_CALLS (0), WARMUP_S (20), CODEC (pcmu; g722 needs ffmpeg to encode the speech).
# See bench/load/README.md for what each figure means.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# Flags, peers, ports, the caller ramp: shared with the rtpengine reference (bench/reference/rtpengine.sh).
source "$here/common.sh"

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
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

load_params
[[ "$CODEC" = pcmu || "$CODEC" = g722 ]] || die "CODEC must be pcmu or g722, not: $CODEC"
[[ "$WARMUP_CALLS" =~ ^[0-9]+$ ]] && (( WARMUP_CALLS <= 250 )) || die "WARMUP_CALLS must be 0..250"
[[ "$WARMUP_S" =~ ^[1-9][0-9]*$ ]] || die "WARMUP_S must be a positive integer"

# A JDK 21+ (Temurin 25 where installed) unless --java-home/JAVA_HOME names one: scripts/jdk.sh.
source "$repo/scripts/jdk.sh"
find_jdk || die "no JDK 21 or newer"
maven_quiet_on_new_jdks
java_bin="$JAVA_HOME/bin/java"; jcmd_bin="$JAVA_HOME/bin/jcmd"
"$java_bin" -version >/dev/null 2>&1 || die "no java at $java_bin"
java_version="$("$java_bin" -version 2>&1 | head -1)"

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
[ -z "$(ls -A "$WORK" 2>/dev/null)" ] || die "WORK dir $WORK is not empty"
mkdir -p "$WORK/sipp" "$WORK/recordings"
log "work dir: $WORK"

# ---- build (like ./gateway: when the jar is missing or older than the sources)
jar="$repo/bridge/target/gateway.jar"
jar_note="up to date"
# A jar is complete when it holds the main class (a concurrent `mvn` in the tree can leave a jar without it).
complete() { python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).getinfo('gateway/bridge/Main.class')" "$1" 2>/dev/null; }
stale() { [ ! -f "$jar" ] || ! complete "$jar" \
  || [ -n "$(cd "$repo" && find pom.xml */pom.xml */src/main -newer "$jar" -print -quit 2>/dev/null)" ]; }
build() { (cd "$repo" && mvn -q -B -ntp -DskipTests -Djacoco.skip package) >>"$WORK/build.log" 2>&1 && complete "$jar"; }
if [ "$BUILD" = always ] || { [ "$BUILD" = auto ] && stale; }; then
  log "building $jar (mvn -q -B -ntp -DskipTests -Djacoco.skip package) ..."
  if build || { log "build failed or jar incomplete; retrying once in 10 s"; sleep 10; build; }; then
    jar_note="built"
  elif [ -f "$jar" ] && complete "$jar"; then
    jar_note="BUILD FAILED, used the existing (stale) jar; see build.log"
    log "WARNING: build failed (see $WORK/build.log); using the existing jar"
  else
    die "build failed, see $WORK/build.log"
  fi
fi
[ -f "$jar" ] && complete "$jar" || die "no complete $jar (no gateway/bridge/Main.class); see $WORK/build.log"
cp "$jar" "$WORK/gateway.jar"   # a private copy: a rebuild during the run cannot change what runs

# ---- ports (loopback only)
read -r SIP_PORT HTTP_PORT < <(free_ports 2 udp+tcp)
rtp_max=$(( RTP_PORT_MIN + (CALLS * 4 > 1000 ? CALLS * 4 : 1000) ))

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- cleanup: everything started here is stopped on exit
gw_pid=""; agent_pid=""; timeline_pid=""
cleanup() {
  local p
  [ -n "${agent_pid:-}" ] && kill -TERM "$agent_pid" 2>/dev/null || true
  for p in "${sipp_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  [ -n "$timeline_pid" ] && kill -TERM "$timeline_pid" 2>/dev/null || true
  [ -n "$nap_pid" ] && kill -TERM "$nap_pid" 2>/dev/null || true
  if [ -n "$gw_pid" ] && kill -0 "$gw_pid" 2>/dev/null; then
    kill -TERM "$gw_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$gw_pid" 2>/dev/null || true
  fi
  for p in "${sipp_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- gateway
log "starting gateway: $java_version, SIP 127.0.0.1:$SIP_PORT, HTTP $HTTP_PORT, RTP $RTP_PORT_MIN-$rtp_max"
# The demo agent runs as its own process by default (AGENT=process), so the gateway's CPU and heap figures hold the
# gateway alone; AGENT=inproc uses the gateway's in-process demo agent (no API key, no realtime.url) as ./gateway does.
agent_args=()
if [ "${AGENT:-process}" = process ]; then
  AGENT_PORT=$((HTTP_PORT + 1))
  "${PEER_RUN[@]}" "$java_bin" -cp "$WORK/gateway.jar" gateway.demoagent.DemoAgentMain --port="$AGENT_PORT" >"$WORK/agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 60); do grep -q "^ws://" "$WORK/agent.log" 2>/dev/null && break; sleep 0.25; done
  grep -q "^ws://" "$WORK/agent.log" || die "demo agent did not start; see $WORK/agent.log"
  agent_args=(--realtime.url="ws://127.0.0.1:$AGENT_PORT/v1/realtime?model=gpt-realtime")
  log "demo agent: separate process $agent_pid on port $AGENT_PORT"
fi
env -u OPENAI_API_KEY -u GATEWAY_REALTIME_API_KEY -u GATEWAY_REALTIME_URL \
  "$java_bin" $GATEWAY_JAVA_OPTS -jar "$WORK/gateway.jar" "${agent_args[@]}" \
  --sip.listen=127.0.0.1 --sip.public-host=127.0.0.1 --sip.port="$SIP_PORT" \
  --http.listen=127.0.0.1 --http.port="$HTTP_PORT" --recordings.dir="$WORK/recordings" \
  --rtp.port-min="$RTP_PORT_MIN" --rtp.port-max="$rtp_max" --shutdown.drain-seconds=0 $GATEWAY_ARGS \
  >"$WORK/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 1 120); do
  kill -0 "$gw_pid" 2>/dev/null || die "gateway exited at start-up; see $WORK/gateway.log"
  python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/health', timeout=1)" \
    2>/dev/null && break
  sleep 0.5
done
python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/health', timeout=2)" 2>/dev/null \
  || die "gateway not healthy after 60 s; see $WORK/gateway.log"
if [ "${AGENT:-process}" != process ]; then
  grep -qi "demo agent\|embedded" "$WORK/gateway.log" || log "WARNING: the gateway log does not mention the demo agent"
fi
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
nap "$SETTLE_S"
log "hold window: ${HOLD_S} s"
python3 "$here/loadtool.py" snapshot "$WORK/snap_hold_start.json" --gw-pid "$gw_pid" --sipp-pids "$pids_csv" --http-port "$HTTP_PORT"
nap "$HOLD_S"
python3 "$here/loadtool.py" snapshot "$WORK/snap_hold_end.json" --gw-pid "$gw_pid" --sipp-pids "$pids_csv" --http-port "$HTTP_PORT"
log "steady heap (forced GC, after the window so its pause is not in the figures)"
python3 "$here/loadtool.py" heap "$WORK/heap_steady.json" --gw-pid "$gw_pid" --jcmd "$jcmd_bin" --http-port "$HTTP_PORT" \
  --histogram "$WORK/heap_steady_histogram.txt"
t_window_end=$(date +%s)
(( t_window_end - t_start < hold_ms / 1000 )) || log "WARNING: calls may have started hanging up inside the window"

log "waiting for the callers to hang up"
wait_callers "$t_start"
python3 "$here/loadtool.py" wait-metric --http-port "$HTTP_PORT" --name gateway_calls_active --at-most 0 --timeout 30 >&2 \
  || log "WARNING: calls still active on the gateway"
sleep 1
python3 "$here/loadtool.py" snapshot "$WORK/snap_final.json" --gw-pid "$gw_pid" --http-port "$HTTP_PORT"

log "stopping the gateway"
kill -TERM "$gw_pid" 2>/dev/null || true
for _ in $(seq 1 40); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$gw_pid" 2>/dev/null; then log "WARNING: gateway did not stop on SIGTERM in 20 s; killing"; kill -KILL "$gw_pid"; fi
set +e; wait "$gw_pid"; gw_exit=$?; set -e
gw_pid=""
kill -TERM "$timeline_pid" 2>/dev/null || true; timeline_pid=""

codes_csv=$(IFS=,; echo "${sipp_codes[*]}")
python3 - "$WORK/params.json" <<EOF
import json, sys
json.dump({"calls": $CALLS, "rate": $RATE, "hold_s": $HOLD_S, "sipp_max": $SIPP_MAX, "sipp_procs": $procs,
           "call_duration_ms": $hold_ms, "ramp_s": $ramp_s, "settle_s": $SETTLE_S,
           "scenario": "$scenario", "codec": "$CODEC", "java": "$java_bin", "java_version": """$java_version""",
           "java_opts": """$GATEWAY_JAVA_OPTS""", "gateway_args": """$GATEWAY_ARGS""", "jar": "$jar_note", "sip_port": $SIP_PORT, "http_port": $HTTP_PORT,
           "rtp_ports": [$RTP_PORT_MIN, $rtp_max], "sipp_exit_codes": [$codes_csv], "warmup_calls": $WARMUP_CALLS, "warmup_s": $WARMUP_S,
           "peers": "${PEER_RUN[*]}", "gateway_exit_code": $gw_exit, "work": "$WORK"}, open(sys.argv[1], "w"), indent=2)
EOF
python3 "$here/loadtool.py" report "$WORK" | tee "$WORK/report.txt"
log "report: $WORK/report.txt and $WORK/report.json; gateway log: $WORK/gateway.log"
