#!/usr/bin/env bash
# Checks the e2e SIPp caller scenarios against SIPp stand-ins for the gateway (test_uas_*.xml), so a failing
# e2e test points at the gateway rather than at a scenario. Loopback only; takes ~15 s. Not run by ./test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SIPP_DIR="$PWD/bridge/src/test/resources/sipp"
readonly AUDIO_DIR="$PWD/bridge/src/test/resources/audio"
# The UAC's Call-ID (-cid_str) and where its answers to cues go (-key cue_port): nothing listens there.
readonly UAS_PORT=25070 UAC_PORT=25071 MEDIA_PORT=26000 CUE_PORT=25072 CALL_ID=check-1
work="$(mktemp -d)"
trap '[[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"' EXIT
cp "$AUDIO_DIR"/speech.ulaw "$AUDIO_DIR"/speech.alaw "$work"/
# The tests make <fixture>_then_silence.<codec> for each run (Sipp.java); a few seconds of silence do here.
for f in speech.ulaw speech.alaw; do
  silence='\377'; [[ "$f" == *.alaw ]] && silence='\325'
  { cat "$AUDIO_DIR/$f"; head -c 40000 /dev/zero | tr '\0' "$silence"; } >"$work/${f/./_then_silence.}"
done
failures=0

# cue N: the tests' cue (Sipp.Running#cue) number N, an INFO with the UAC's Call-ID, sent from bash.
cue() {
  local crlf=$'\r\n'
  printf '%s' "INFO sip:sipp@127.0.0.1:$UAC_PORT SIP/2.0${crlf}Via: SIP/2.0/UDP 127.0.0.1:$CUE_PORT;branch=z9hG4bK-cue-$1${crlf}Max-Forwards: 70${crlf}From: <sip:check@127.0.0.1:$CUE_PORT>;tag=cue${crlf}To: <sip:sipp@127.0.0.1:$UAC_PORT>${crlf}Call-ID: $CALL_ID${crlf}CSeq: $1 INFO${crlf}Content-Length: 0${crlf}${crlf}" \
    >/dev/udp/127.0.0.1/"$UAC_PORT"
}

# run_pair NAME EXPECTED_UAC_RC "UAS ARGS" "UAC ARGS" [CUES]: one call from a UAC scenario to a UAS scenario; a UAC
# that waits for the tests' cues gets CUES of them, a second apart once its call is up.
run_pair() {
  local name=$1 expected=$2 uas_args=$3 uac_args=$4 cues=${5:-0} uas_rc=0 uac_rc=0
  local dir="$work/$name"
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  (cd "$work" && timeout 30 sipp -i 127.0.0.1 -p "$UAS_PORT" -m 1 -nostdin -timeout 20 \
    -trace_msg -message_file "$dir/uas_messages.log" -trace_err -error_file "$dir/uas_errors.log" \
    $uas_args >"$dir/uas.out" 2>&1) &
  local uas_pid=$!
  sleep 0.3
  # shellcheck disable=SC2086
  (cd "$work" && timeout 30 sipp "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -p "$UAC_PORT" -mi 127.0.0.1 -mp "$MEDIA_PORT" \
    -m 1 -nostdin -timeout 20 -cid_str "${CALL_ID%1}%u" -key cue_port "$CUE_PORT" \
    -trace_msg -message_file "$dir/uac_messages.log" -trace_err -error_file "$dir/uac_errors.log" \
    $uac_args >"$dir/uac.out" 2>&1) &
  local uac_pid=$!
  for ((n = 1; n <= cues; n++)); do
    sleep 1
    cue "$n"
  done
  wait "$uac_pid" || uac_rc=$?
  wait "$uas_pid" || uas_rc=$?
  if [[ "$uac_rc" -eq "$expected" && ( "$expected" -ne 0 || "$uas_rc" -eq 0 ) ]]; then
    echo "ok   $name (uac exit $uac_rc, uas exit $uas_rc)"
  else
    echo "FAIL $name (uac exit $uac_rc, expected $expected; uas exit $uas_rc)"
    cat "$dir"/*errors.log 2>/dev/null || true
    failures=$((failures + 1))
  fi
}

run_pair speech_pcmu 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_speech.xml -d 1000"
run_pair speech_cue 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_speech_cue.xml" 1
run_pair speech_pcma 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 8" "-sf $SIPP_DIR/uac_speech_pcma.xml" 1
run_pair speech_pcmu_rejects_pcma_answer 1 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 8" "-sf $SIPP_DIR/uac_speech.xml -d 500"
run_pair speech_pcma_rejects_pcmu_answer 1 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_speech_pcma.xml" 1
run_pair speech_rejects_200_without_sdp 1 "-sf $SIPP_DIR/test_uas_no_sdp.xml" "-sf $SIPP_DIR/uac_speech.xml -d 500"
run_pair bye_mid_reply 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_bye_mid_reply.xml" 1
run_pair barge_in 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_barge_in.xml" 2
run_pair cancel_after_100 0 "-sf $SIPP_DIR/test_uas_ring.xml" "-sf $SIPP_DIR/uac_cancel.xml"
run_pair cancel_after_180 0 "-sf $SIPP_DIR/test_uas_ring_no_trying.xml" "-sf $SIPP_DIR/uac_cancel.xml"

if ((failures > 0)); then
  echo "$failures scenario check(s) failed" >&2
  exit 1
fi
echo "all SIPp scenario checks passed"
