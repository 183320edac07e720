"""Summarises one run of bench/flood/run.sh from its work directory (arguments as run.sh passes them)."""
import glob, os, re, sys
work, t0, t1, k0, k1, l0, l1, calls, sipp_ok, limit, rate, secs, drops = sys.argv[1:]
t0, t1 = float(t0), float(t1); window = t1 - t0
hz = os.sysconf("SC_CLK_TCK")
flood = open(f"{work}/flood.log").read().strip()
times = []
for f in glob.glob(f"{work}/sipp/*_rtt.csv"):
    for line in open(f).read().splitlines()[1:]:
        parts = line.split(";")
        if len(parts) >= 2 and parts[1].strip():
            times.append(float(parts[1]))
times.sort()
metrics = open(f"{work}/metrics.txt").read()
def metric(name):
    m = re.search(r"^" + re.escape(name) + r" ([0-9.eE+-]+)$", metrics, re.M)
    return float(m.group(1)) if m else 0.0
ended_bye = metric('gateway_calls_ended_total{reason="caller_bye"}')
new_lines = open(f"{work}/gateway.log").read().splitlines()[int(l0):int(l1)]
sip_lines = [l for l in new_lines if "refused" in l]
print(f"flood           : {flood} (asked {rate}/s for {secs} s)")
print(f"window          : {window:.1f} s")
print(f"gateway CPU     : {100.0 * (int(k1) - int(k0)) / hz / window:.0f} % of one core during the flood")
print(f"calls           : {len(times)} answered of {calls} placed; SIPp {'ok' if sipp_ok == '1' else 'reported failures'};"
      f" ended by their BYE: {int(ended_bye) - 1} (+1 warm-up)")
if times:
    p50 = times[len(times) // 2]
    print(f"INVITE to 200   : max {times[-1]:.0f} ms, median {p50:.0f} ms, all: {' '.join(f'{t:.0f}' for t in times)}")
print(f"log growth      : {len(new_lines)} lines in {window:.1f} s ({len(new_lines) / window:.2f} a second),"
      f" of which refusal lines {len(sip_lines)}")
for l in sip_lines:
    print(f"                  {l}")
print(f"kernel UDP drops: {int(drops):,} (full receive queues on the whole machine; SIPp never reads its RTP socket)")
for reason in ("source", "rate_limited", "scanner"):
    sample = 'gateway_sip_refused_total{reason="%s"}' % reason
    print(f"refused {reason:<13}: {metric(sample):,.0f}")
ok = (sipp_ok == "1" and len(times) == int(calls) and times and times[-1] <= float(limit)
      and int(ended_bye) - 1 == int(calls))
print("RESULT          : " + ("PASS" if ok else "FAIL") + f" (every call within {limit} ms and ended by its BYE)")
sys.exit(0 if ok else 1)
