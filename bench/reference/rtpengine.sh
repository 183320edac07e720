#!/usr/bin/env bash
# The load harness's C reference: the same SIPp callers as bench/load/run.sh (scenario, speech, CALLS/RATE/HOLD,
# PEER_SCHED) call through Kamailio, which anchors their media in rtpengine (userspace only, recording both legs to
# pcap) and relays them to a SIPp UAS that answers and streams the same speech back. Measures rtpengine's and
# Kamailio's CPU per concurrent call over the hold window exactly as run.sh measures the gateway's (loadtool.py), their
# RSS, UDP drops and the pcaps, and prints a report (also WORK/report.json).
#
#   bench/reference/rtpengine.sh [--calls=N] [--rate=R] [--hold=S] [--sipp-max=M] [--work=DIR] [--once]
#
# Every flag also reads an environment variable: CALLS (100), RATE (20 calls/s), HOLD_S (60), SIPP_MAX (250),
# WORK (/tmp/rtpengine-ref-<timestamp>), ONCE (0); PEER_SCHED/PEER_NICE as in run.sh. Runs scripts/install-bench-deps.sh
# first (apt-get, only when a package is missing). See bench/load/README.md, "Reference: rtpengine".
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
load="$repo/bench/load"
source "$load/common.sh"

load_common_defaults
WORK="${WORK:-/tmp/rtpengine-ref-$(date +%Y%m%dT%H%M%S)}"
ONCE="${ONCE:-0}"
RTPENGINE_PORT_MIN="${RTPENGINE_PORT_MIN:-45000}"   # rtpengine's media ports
RTPENGINE_PORT_MAX="${RTPENGINE_PORT_MAX:-49999}"
SIPP_MEDIA_BASE="${SIPP_MEDIA_BASE:-44000}"         # caller i sends media from here + 10*i; the UAS after them

for arg in "$@"; do
  common_flag "$arg" && continue
  case "$arg" in
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
load_params
# rtpengine takes 2 ports (RTP and RTCP) per leg, 2 legs per call.
(( CALLS * 4 <= RTPENGINE_PORT_MAX - RTPENGINE_PORT_MIN + 1 )) \
  || die "CALLS=$CALLS needs $((CALLS * 4)) rtpengine ports; $RTPENGINE_PORT_MIN-$RTPENGINE_PORT_MAX has fewer"

"$repo/scripts/install-bench-deps.sh" >&2 || die "scripts/install-bench-deps.sh failed"
for tool in rtpengine kamailio; do command -v "$tool" >/dev/null || die "$tool not found"; done
rtpengine_version="$(rtpengine --version 2>&1 | sed -n 's/^Version: //p' | head -1)"
kamailio_version="$(kamailio -v 2>/dev/null | sed -n 's/^version: \([^ ]* [^ ]*\).*/\1/p' | head -1)"

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
[ -z "$(ls -A "$WORK" 2>/dev/null)" ] || die "WORK dir $WORK is not empty"
mkdir -p "$WORK/sipp" "$WORK/recordings" "$WORK/kamailio"
log "work dir: $WORK"

# ---- ports (loopback only)
read -r KAM_PORT UAS_PORT NG_PORT < <(free_ports 3 udp+tcp)
NG="127.0.0.1:$NG_PORT"
uas_media=$(( SIPP_MEDIA_BASE + 10 * procs ))

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- cleanup: everything started here is stopped on exit
rtpengine_pid=""; kamailio_pid=""; uas_pid=""
stop() {  # stop PID NAME: SIGTERM, up to 10 s, then SIGKILL
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  log "WARNING: $2 did not stop on SIGTERM in 10 s; killing"; kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  local p
  for p in "${sipp_pids[@]}" "$uas_pid"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true; done
  [ -n "$nap_pid" ] && kill -TERM "$nap_pid" 2>/dev/null || true
  stop "$kamailio_pid" kamailio
  stop "$rtpengine_pid" rtpengine
  for p in "${sipp_pids[@]}" "$uas_pid"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- rtpengine: userspace only (table = -1: no kernel forwarding), recording every call flagged by the offer
cat >"$WORK/rtpengine.conf" <<CONF
[rtpengine]
table = -1
interface = 127.0.0.1
listen-ng = $NG
port-min = $RTPENGINE_PORT_MIN
port-max = $RTPENGINE_PORT_MAX
recording-dir = $WORK/recordings
recording-method = pcap
log-level = 4
delete-delay = 0
CONF
log "starting rtpengine $rtpengine_version: ng $NG, media $RTPENGINE_PORT_MIN-$RTPENGINE_PORT_MAX, pcaps in recordings/"
rtpengine --config-file="$WORK/rtpengine.conf" --foreground --log-stderr >"$WORK/rtpengine.log" 2>&1 &
rtpengine_pid=$!
python3 "$load/loadtool.py" wait-ng --ng "$NG" --at-most 0 --timeout 30 >&2 \
  || die "rtpengine does not answer on $NG; see $WORK/rtpengine.log"

# ---- Kamailio: relays every INVITE to the UAS, media through rtpengine (bench/reference/kamailio.cfg)
log "starting $kamailio_version: SIP 127.0.0.1:$KAM_PORT -> UAS 127.0.0.1:$UAS_PORT"
kamailio -f "$here/kamailio.cfg" -DD -E -m 256 -Y "$WORK/kamailio" -P "$WORK/kamailio/kamailio.pid" \
  -w "$WORK/kamailio" -A "LISTEN=udp:127.0.0.1:$KAM_PORT" -A "UAS=\"sip:127.0.0.1:$UAS_PORT\"" \
  -A "RTPENGINE_SOCK=\"udp:$NG\"" >"$WORK/kamailio.log" 2>&1 &
kamailio_pid=$!
for _ in $(seq 1 60); do
  kill -0 "$kamailio_pid" 2>/dev/null || die "kamailio exited at start-up; see $WORK/kamailio.log"
  # Ready once it answers an OPTIONS probe (the config answers OPTIONS to itself with 200).
  python3 - "$KAM_PORT" 2>/dev/null <<'PY' && break
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(0.5)
me = s.getsockname()[1]
s.sendto((f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK-ready\r\n"
          f"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1:{port}>\r\n"
          f"Call-ID: ready-{me}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").encode(),
         ("127.0.0.1", port))
sys.exit(0 if s.recv(4096).startswith(b"SIP/2.0 200") else 1)
PY
  sleep 0.5
  [ "$_" -lt 60 ] || die "kamailio does not answer OPTIONS on 127.0.0.1:$KAM_PORT; see $WORK/kamailio.log"
done

# ---- the callers' scenario and speech (as run.sh) and the answering UAS
if [ "$ONCE" = 1 ]; then
  scenario="$repo/bridge/src/test/resources/sipp/uac_speech.xml"
else
  scenario="$repo/bridge/src/test/resources/sipp/uac_speech_loop.xml"
fi
cp "$repo/bridge/src/test/resources/audio/speech.ulaw" "$WORK/sipp/"
log "answering SIPp: 127.0.0.1:$UAS_PORT, media from $uas_media"
(cd "$WORK/sipp" && exec "${PEER_RUN[@]}" sipp -sf "$here/uas_speech_loop.xml" -i 127.0.0.1 -p "$UAS_PORT" \
    -mi 127.0.0.1 -mp "$uas_media" -m "$CALLS" -l "$((CALLS + 10))" -nostdin \
    -trace_stat -stf "$WORK/uas_stat.csv" -fd 5 -trace_err -error_file "$WORK/uas_errors.log" \
    -trace_screen -screen_file "$WORK/uas_screen.log" -timeout "$((sipp_timeout_s + 30))s" -timeout_error) \
    >"$WORK/uas.out" 2>&1 &
uas_pid=$!

nap 2
snap() {  # snap NAME [SIPP_PIDS]
  python3 "$load/loadtool.py" ref-snapshot "$WORK/snap_$1.json" --pid "rtpengine=$rtpengine_pid" \
    --pid "kamailio=$kamailio_pid" --sipp-pids "${2:-}" --ng "$NG"
}
snap idle

# ---- callers
log "ramping $CALLS calls at $RATE/s over $procs SIPp process(es); each call lasts $((hold_ms / 1000)) s"
t_start=$(date +%s)
start_callers "127.0.0.1:$KAM_PORT" "$scenario" "$SIPP_MEDIA_BASE"
caller_pids=("${sipp_pids[@]}")   # their Call-IDs carry these pids: each call's pcap is found by it
pids_csv=$(IFS=,; echo "${sipp_pids[*]},$uas_pid")
log "waiting until rtpengine holds all $CALLS calls (at most $((ramp_s + 30)) s)"
python3 "$load/loadtool.py" wait-ng --ng "$NG" --at-least "$CALLS" --timeout $((ramp_s + 30)) >&2 \
  || log "WARNING: rtpengine does not hold every call; measuring anyway"
nap "$SETTLE_S"
log "hold window: ${HOLD_S} s"
snap hold_start "$pids_csv"
nap "$HOLD_S"
snap hold_end "$pids_csv"
(( $(date +%s) - t_start < hold_ms / 1000 )) || log "WARNING: calls may have started hanging up inside the window"

log "waiting for the callers to hang up"
wait_callers "$t_start"
while kill -0 "$uas_pid" 2>/dev/null && (( $(date +%s) < t_start + sipp_timeout_s + 60 )); do nap 1; done
kill -0 "$uas_pid" 2>/dev/null && { log "WARNING: the answering SIPp overran; killing it"; kill -KILL "$uas_pid"; }
set +e; wait "$uas_pid"; uas_exit=$?; set -e
uas_pid=""
python3 "$load/loadtool.py" wait-ng --ng "$NG" --at-most 0 --timeout 30 >&2 \
  || log "WARNING: rtpengine still holds calls"
snap final

log "stopping Kamailio and rtpengine (rtpengine closes its pcaps)"
stop "$kamailio_pid" kamailio; kamailio_pid=""
stop "$rtpengine_pid" rtpengine; rtpengine_pid=""

codes_csv=$(IFS=,; echo "${sipp_codes[*]}")
callers_csv=$(IFS=,; echo "${caller_pids[*]}")
python3 - "$WORK/params.json" <<PY
import json, sys
json.dump({"calls": $CALLS, "rate": $RATE, "hold_s": $HOLD_S, "sipp_max": $SIPP_MAX, "sipp_procs": $procs,
           "call_duration_ms": $hold_ms, "ramp_s": $ramp_s, "settle_s": $SETTLE_S, "scenario": "$scenario",
           "uas_scenario": "$here/uas_speech_loop.xml", "codec": "pcmu",
           "rtpengine_version": "$rtpengine_version", "kamailio_version": "$kamailio_version",
           "sip_port": $KAM_PORT, "uas_port": $UAS_PORT, "ng": "$NG",
           "rtp_ports": [$RTPENGINE_PORT_MIN, $RTPENGINE_PORT_MAX], "sipp_exit_codes": [$codes_csv],
           "sipp_pids": [$callers_csv],
           "uas_exit_code": $uas_exit, "peers": "${PEER_RUN[*]}", "work": "$WORK"}, open(sys.argv[1], "w"), indent=2)
PY
python3 "$load/loadtool.py" ref-report "$WORK" | tee "$WORK/report.txt"
log "report: $WORK/report.txt and $WORK/report.json; logs: $WORK/rtpengine.log, $WORK/kamailio.log"
