#!/usr/bin/env bash
# INVITE flood measurement: a fresh gateway (embedded demo agent) that takes calls from 127.0.0.1 only, an INVITE
# flood from the refused source 127.0.0.2 (gateway.bench.flood.FloodMain), and meanwhile legitimate SIPp calls from
# 127.0.0.1, one a second. Reports each call's INVITE-to-200 time, whether every call ended by its own BYE, the
# flood's achieved rate, the gateway's CPU and log growth during the flood, and its refusal counters.
#
#   bench/flood/run.sh [--rate=20000] [--seconds=20] [--user-agent=flood/1.0] [--work=DIR] [--build=auto|always|never]
#
# Every flag also reads an environment variable: RATE, SECONDS_, USER_AGENT, WORK (/tmp/gw-flood-<timestamp>), BUILD.
# The target (issue 14): at 20,000 INVITEs a second for 20 s every legitimate call connects within 1.5 s and the log
# grows by at most a few lines a second. A User-Agent from sip.scanner-user-agents (friendly-scanner) measures the
# scanner path instead of the rate limit.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

RATE="${RATE:-20000}"
SECONDS_="${SECONDS_:-20}"
USER_AGENT="${USER_AGENT:-flood/1.0}"
WORK="${WORK:-/tmp/gw-flood-$(date +%Y%m%dT%H%M%S)}"
BUILD="${BUILD:-auto}"
LIMIT_MS=1500

for arg in "$@"; do
  case "$arg" in
    --rate=*) RATE="${arg#*=}" ;;
    --seconds=*) SECONDS_="${arg#*=}" ;;
    --user-agent=*) USER_AGENT="${arg#*=}" ;;
    --work=*) WORK="${arg#*=}" ;;
    --build=*) BUILD="${arg#*=}" ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[[ "$RATE" =~ ^[1-9][0-9]*$ ]] || die "RATE must be a positive integer"
[[ "$SECONDS_" =~ ^[1-9][0-9]*$ ]] && (( SECONDS_ >= 5 )) || die "SECONDS_ must be an integer of 5 or more"
command -v sipp >/dev/null || die "sipp not found (apt-get install sip-tester)"

source "$repo/scripts/jdk.sh"
find_jdk || die "no JDK 21 or newer"
maven_quiet_on_new_jdks
java_bin="$JAVA_HOME/bin/java"

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
[ -z "$(ls -A "$WORK" 2>/dev/null)" ] || die "WORK dir $WORK is not empty"
mkdir -p "$WORK/sipp" "$WORK/recordings"
log "work dir: $WORK"

# ---- build: the gateway jar and the benchmark jar (which holds the flood sender), when missing or stale
gateway_jar="$repo/bridge/target/gateway.jar"
bench_jar="$repo/bench/target/benchmarks.jar"
stale() { [ ! -f "$1" ] || [ -n "$(cd "$repo" && find pom.xml */pom.xml */src/main -newer "$1" -print -quit)" ]; }
if [ "$BUILD" = always ] || { [ "$BUILD" = auto ] && { stale "$gateway_jar" || stale "$bench_jar"; }; }; then
  log "building (mvn -q -B -ntp -Pbench -DskipTests -Djacoco.skip package) ..."
  (cd "$repo" && mvn -q -B -ntp -Pbench -DskipTests -Djacoco.skip -Dcheckstyle.skip package) >"$WORK/build.log" 2>&1 \
    || die "build failed, see $WORK/build.log"
fi
cp "$gateway_jar" "$WORK/gateway.jar"
cp "$bench_jar" "$WORK/benchmarks.jar"


gw_pid=""; flood_pid=""; sipp_pid=""
cleanup() {
  for p in "$sipp_pid" "$flood_pid"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true; done
  if [ -n "$gw_pid" ] && kill -0 "$gw_pid" 2>/dev/null; then
    kill -TERM "$gw_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$gw_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

log "starting gateway (calls from 127.0.0.1 only; it picks its SIP and HTTP ports)"
env -u OPENAI_API_KEY -u GATEWAY_REALTIME_API_KEY -u GATEWAY_REALTIME_URL \
  "$java_bin" $(gateway_jvm_opts) ${GATEWAY_JAVA_OPTS:-} -jar "$WORK/gateway.jar" \
  --sip.listen=127.0.0.1 --sip.public-host=127.0.0.1 --sip.port=0 --sip.allowed-sources=127.0.0.1/32 \
  --http.listen=127.0.0.1 --http.port=0 --recordings.dir="$WORK/recordings" \
  --rtp.port-min=24000 --rtp.port-max=24999 --shutdown.drain-seconds=0 >"$WORK/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 1 240); do
  kill -0 "$gw_pid" 2>/dev/null || die "gateway exited at start-up; see $WORK/gateway.log"
  grep -q "Ready in" "$WORK/gateway.log" && break
  sleep 0.25
done
ready="$(grep -m1 "Ready in" "$WORK/gateway.log")" || die "gateway not ready after 60 s; see $WORK/gateway.log"
SIP_PORT="$(sed -E 's/.*SIP 127\.0\.0\.1:([0-9]+).*/\1/' <<<"$ready")"
HTTP_PORT="$(sed -E 's/.*http:\/\/127\.0\.0\.1:([0-9]+).*/\1/' <<<"$ready")"
log "gateway ready: SIP 127.0.0.1:$SIP_PORT, HTTP $HTTP_PORT"
metrics() { python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/metrics', timeout=5).read().decode())"; }

cp "$repo/bridge/src/test/resources/sipp/uac_speech.xml" "$repo/bridge/src/test/resources/audio/speech.ulaw" \
  "$WORK/sipp/"
call() {  # call N LOGNAME: N calls, one a second, each 1 s long; per-call INVITE-to-200 times in the rtt file
  (cd "$WORK/sipp" && sipp 127.0.0.1:"$SIP_PORT" -sf uac_speech.xml -i 127.0.0.1 \
    -mi 127.0.0.1 -mp 26000 -r 1 -m "$1" -d 1000 -nostdin -timeout $(( $1 + 60 )) \
    -trace_rtt -rtt_freq 1 -trace_stat -stf "$2_stat.csv" -trace_err -error_file "$2_errors.log" \
    >"$2_screen.log" 2>&1)
}
log "warm-up call"
call 1 warmup || die "the warm-up call failed; see $WORK/sipp"
rm -f "$WORK"/sipp/*_rtt.csv

ticks() { awk '{print $14 + $15}' "/proc/$gw_pid/stat"; }
# Datagrams the kernel dropped because a UDP socket's receive queue was full (the whole machine's count).
rcvbuf_errors() { awk '/^Udp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; n = 1 }
  else print $c }' /proc/net/snmp; }
lines_before=$(wc -l <"$WORK/gateway.log")
ticks_before=$(ticks)
drops_before=$(rcvbuf_errors)
t0=$(date +%s.%N)
log "flood: $RATE INVITEs a second for $SECONDS_ s from 127.0.0.2 (User-Agent $USER_AGENT)"
"$java_bin" -cp "$WORK/benchmarks.jar" gateway.bench.flood.FloodMain --from=127.0.0.2 --to=127.0.0.1:"$SIP_PORT" \
  --rate="$RATE" --seconds="$SECONDS_" --user-agent="$USER_AGENT" >"$WORK/flood.log" 2>&1 &
flood_pid=$!
sleep 1
calls=$(( SECONDS_ - 3 ))
log "placing $calls calls from 127.0.0.1, one a second, during the flood"
call "$calls" flood && sipp_ok=1 || sipp_ok=0
wait "$flood_pid" || die "the flood sender failed; see $WORK/flood.log"
flood_pid=""
t1=$(date +%s.%N)
ticks_after=$(ticks)
drops_after=$(rcvbuf_errors)
lines_after=$(wc -l <"$WORK/gateway.log")
sleep 1
metrics >"$WORK/metrics.txt"

python3 "$here/report.py" "$WORK" "$t0" "$t1" "$ticks_before" "$ticks_after" "$lines_before" "$lines_after" "$calls" \
  "$sipp_ok" "$LIMIT_MS" "$RATE" "$SECONDS_" "$(( drops_after - drops_before ))" | tee "$WORK/report.txt"
