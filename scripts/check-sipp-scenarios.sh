#!/usr/bin/env bash
# Checks the e2e SIPp caller scenarios against SIPp stand-ins for the gateway (test_uas_*.xml), so a failing
# e2e test points at the gateway rather than at a scenario. Loopback only; takes ~10 s. Not run by ./test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SIPP_DIR="$PWD/bridge/src/test/resources/sipp"
readonly AUDIO_DIR="$PWD/bridge/src/test/resources/audio"
readonly UAS_PORT=25070 UAC_PORT=25071 MEDIA_PORT=26000
work="$(mktemp -d)"
trap '[[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"' EXIT
cp "$AUDIO_DIR"/speech.ulaw "$AUDIO_DIR"/speech.alaw "$work"/
failures=0

# run_pair NAME EXPECTED_UAC_RC "UAS ARGS" "UAC ARGS": one call from a UAC scenario to a UAS scenario.
run_pair() {
  local name=$1 expected=$2 uas_args=$3 uac_args=$4 uas_rc=0 uac_rc=0
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
    -m 1 -nostdin -timeout 20 -trace_msg -message_file "$dir/uac_messages.log" -trace_err -error_file "$dir/uac_errors.log" \
    $uac_args >"$dir/uac.out" 2>&1) || uac_rc=$?
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
run_pair speech_pcma 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 8" "-sf $SIPP_DIR/uac_speech_pcma.xml -d 1000"
run_pair speech_pcmu_rejects_pcma_answer 1 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 8" "-sf $SIPP_DIR/uac_speech.xml -d 500"
run_pair speech_pcma_rejects_pcmu_answer 1 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_speech_pcma.xml -d 500"
run_pair speech_rejects_200_without_sdp 1 "-sf $SIPP_DIR/test_uas_no_sdp.xml" "-sf $SIPP_DIR/uac_speech.xml -d 500"
run_pair bye_mid_reply 0 "-sf $SIPP_DIR/test_uas_answer.xml -key codec 0" "-sf $SIPP_DIR/uac_bye_mid_reply.xml"
run_pair cancel_after_100 0 "-sf $SIPP_DIR/test_uas_ring.xml" "-sf $SIPP_DIR/uac_cancel.xml"
run_pair cancel_after_180 0 "-sf $SIPP_DIR/test_uas_ring_no_trying.xml" "-sf $SIPP_DIR/uac_cancel.xml"

if ((failures > 0)); then
  echo "$failures scenario check(s) failed" >&2
  exit 1
fi
echo "all SIPp scenario checks passed"
