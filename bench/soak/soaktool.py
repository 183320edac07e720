#!/usr/bin/env python3
"""The soak's measurements (bench/soak/run.sh): samples of the gateway process, the reaper that verifies finished
recordings and deletes them through the QA API, and the report with its verdict. Standard library only; the
shared parts (metrics, /proc, heap after GC, recording checks) come from bench/load/loadtool.py."""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "load"))
import loadtool as lt  # noqa: E402

# Heap after a full GC may move by this much between samples taken under the same load (the target).
HEAP_FLAT = 0.05
# Threads a JVM may start or end on its own between two idle samples (compiler and GC workers come and go), and
# descriptors that may be open for a moment (a probe's HTTP connection); a leak of one per call shows as thousands.
THREAD_SLACK = 4
FD_SLACK = 4


def open_fds(pid):
    """(all open file descriptors, sockets among them) of the process."""
    fds, sockets = 0, 0
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            fds += 1
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                    sockets += 1
            except OSError:
                pass
    except OSError:
        return None, None
    return fds, sockets


def quality(m):
    """The counters that fail a run: recorder chunks dropped, playout ticks skipped as late, calls refused."""
    return {"recorder_dropped": lt.metric(m, "gateway_recorder_dropped_chunks") or 0,
            "late_ticks": lt.metric(m, "gateway_rtp_outbound_skipped_total", reason="late_tick") or 0,
            "refused": sum(lt.metric_labels(m, "gateway_calls_refused_total", "reason").values())}


def cmd_sample(a):
    """One sample: the live heap (the class histogram's own full GC; "used" read after it also holds what 100 calls
    allocated meanwhile, megabytes a second), threads, descriptors, sockets, calls and the quality counters. The
    forced full GC stops the gateway for a moment, so late ticks during it (read before and 1 s after) are kept
    apart."""
    before = lt.parse_metrics(lt.fetch_metrics(a.http_port))
    # One full GC per sample: the class histogram's own (two back to back stalled the media loops for two windows
    # and made admission refuse callers at every sample). "Used" is read at once after it.
    live, used = None, None
    try:
        hist = subprocess.run([a.jcmd, str(a.gw_pid), "GC.class_histogram"], capture_output=True, text=True,
                              timeout=120)
        info = subprocess.run([a.jcmd, str(a.gw_pid), "GC.heap_info"], capture_output=True, text=True, timeout=60)
        hist_file = a.out + ".hist.tmp"
        with open(hist_file, "w") as f:
            f.write(hist.stdout)
        live = sum(lt.read_histogram(hist_file).values()) or None
        os.remove(hist_file)
        used = lt.parse_heap_info(info.stdout)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"heap sample failed: {e}", file=sys.stderr)
    time.sleep(1)
    fds, sockets = open_fds(a.gw_pid)
    after = lt.parse_metrics(lt.fetch_metrics(a.http_port))
    q0, q1 = quality(before), quality(after)
    row = {
        "wall": time.time(), "label": a.label, "heap_bytes": used, "heap_live_bytes": live,
        "rss_kb": lt.proc_status_kb(a.gw_pid, "VmRSS"), "threads": lt.proc_status_kb(a.gw_pid, "Threads"),
        "fds": fds, "sockets": sockets, "calls_active": lt.metric(after, "gateway_calls_active"),
        "calls_answered": lt.metric(after, "gateway_calls_answered_total"),
        **q1, "late_ticks_in_forced_gc": q1["late_ticks"] - q0["late_ticks"],
    }
    with open(a.out, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(json.dumps(row))
    return 0


def finished_calls(rec_dir):
    """Calls whose call.json says how they ended: their files are final."""
    for cid in sorted(os.listdir(rec_dir)):
        if cid.startswith("."):
            continue
        cj = lt.load_json(os.path.join(rec_dir, cid, "call.json"))
        if cj is not None and cj.get("end_reason"):
            yield cid


def delete_call(port, cid):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/calls/{cid}", method="DELETE")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def cmd_reap(a):
    """Verifies every finished call's recording, adds the result to the running totals, then deletes the call
    through the QA API (the disk would not hold 30 minutes of 100 calls' audio)."""
    totals = lt.load_json(a.totals) or lt.new_verification()
    totals.setdefault("deleted", 0)
    totals.setdefault("delete_failed", 0)
    for cid in finished_calls(a.recordings):
        lt.verify_call(totals, os.path.join(a.recordings, cid), cid)
        status = delete_call(a.http_port, cid)
        if status in (200, 204):
            totals["deleted"] += 1
        else:
            totals["delete_failed"] += 1
            totals["problems"].append(f"{cid}: DELETE answered {status}")
    totals["problems"] = totals["problems"][:200]
    with open(a.totals, "w") as f:
        json.dump(totals, f)
    return 0


def cmd_refused(a):
    """Prints how many calls the gateway has refused so far (every reason)."""
    print(int(quality(lt.parse_metrics(lt.fetch_metrics(a.http_port)))["refused"]))
    return 0


def growth(first, last):
    return None if not first or last is None else (last - first) / first


def cmd_report(a):
    samples = [json.loads(line) for line in open(os.path.join(a.work, "samples.jsonl"))]
    params = lt.load_json(os.path.join(a.work, "params.json")) or {}
    rec = lt.load_json(os.path.join(a.work, "recordings.json")) or lt.new_verification()
    procs = lt.sipp_stats(a.work)
    sipp = {k: sum(p.get(k) or 0 for p in procs) for k in ("created", "succeeded", "failed")}
    idle = [s for s in samples if s["label"] in ("idle-before", "idle-after")]
    # Heap is compared between samples taken at full load: a sample that fell in the callers' tail is shown, not used.
    full = 0.9 * (params.get("calls") or 0)
    load = [s for s in samples if s["label"] == "load" and (s["calls_active"] or 0) >= full]
    failures = []
    if len(idle) != 2:
        failures.append("the idle samples before and after are missing")
    if len(load) < 3:
        failures.append(f"only {len(load)} samples under load")
    reference = load[1] if len(load) > 1 else None   # the first one includes the JIT's and the ramp's leftovers
    # The live heap when every sample has it (older runs: heap used after GC, which counts fresh allocation too).
    heap = "heap_live_bytes" if all(s.get("heap_live_bytes") for s in samples) else "heap_bytes"
    heap_moves = [growth(reference[heap], s[heap]) for s in load[2:]] if reference else []
    worst_heap = max(heap_moves, key=abs) if heap_moves else None
    if worst_heap is None or abs(worst_heap) > HEAP_FLAT:
        failures.append(f"{heap} under load moved {worst_heap} (more than {HEAP_FLAT:.0%}) or was not measured")
    if len(idle) == 2:
        before, after = idle
        if after["threads"] > before["threads"] + THREAD_SLACK:
            failures.append(f"threads grew from {before['threads']} to {after['threads']}")
        if after["fds"] > before["fds"] + FD_SLACK:
            failures.append(f"file descriptors grew from {before['fds']} to {after['fds']}")
        if after["sockets"] > before["sockets"] + FD_SLACK:
            failures.append(f"sockets grew from {before['sockets']} to {after['sockets']}")
        idle_heap = growth(before[heap], after[heap])
    else:
        idle_heap = None
    placed = params.get("total_calls", 0)
    if not procs or sipp["failed"] or sipp["succeeded"] != placed:
        failures.append(f"SIPp: {sipp['succeeded']} of {placed} calls succeeded, {sipp['failed']} failed")
    if rec["dirs"] != placed or rec["complete"] != placed:
        failures.append(f"recordings: {rec['dirs']} verified, {rec['complete']} complete, of {placed} calls")
    if rec["problems"]:
        failures.append(f"{len(rec['problems'])} recording problems, first: {rec['problems'][0]}")
    # The counters' growth from the idle sample before (the warm-up's calls are not the soak's).
    first = idle[0] if idle else {}
    last = idle[-1] if len(idle) == 2 else (load[-1] if load else {})

    def grown(key):
        return (last.get(key) or 0) - (first.get(key) or 0)
    in_gc = sum(s["late_ticks_in_forced_gc"] for s in samples if s is not first)
    late_outside = grown("late_ticks") - in_gc
    for key, value in (("recorder chunks dropped", grown("recorder_dropped")), ("calls refused", grown("refused")),
                       ("late ticks outside the forced GCs", late_outside)):
        if (value or 0) > 0:
            failures.append(f"{key}: {value}")
    report = {"params": params, "samples": samples, "recordings": rec, "sipp": sipp,
              "heap_measure": heap, "heap_growth_under_load_max": worst_heap, "heap_growth_idle": idle_heap,
              "late_ticks_in_forced_gc": in_gc, "late_ticks_outside": late_outside, "failures": failures}
    with open(os.path.join(a.work, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"soak: {params.get('calls')} concurrent calls of {params.get('call_s')} s for {params.get('minutes')} min,"
          f" {placed} calls placed; {params.get('java_version')}")
    print(f"{'label':<12}{'min':>6}{'calls':>7}{'heap MB':>9}{'live MB':>9}{'RSS MB':>8}{'threads':>8}{'fds':>6}"
          f"{'sockets':>8}{'late':>6}{'dropped':>8}")
    t0 = samples[0]["wall"] if samples else 0
    for s in samples:
        print(f"{s['label']:<12}{(s['wall'] - t0) / 60:>6.1f}{lt.fmt(s['calls_active'], '{:.0f}'):>7}"
              f"{lt.fmt((s['heap_bytes'] or 0) / 1048576, '{:.1f}'):>9}"
              f"{lt.fmt(s.get('heap_live_bytes') and s['heap_live_bytes'] / 1048576, '{:.1f}'):>9}"
              f"{lt.fmt((s['rss_kb'] or 0) / 1024, '{:.0f}'):>8}"
              f"{s['threads']:>8}{s['fds']:>6}{s['sockets']:>8}{lt.fmt(s['late_ticks'], '{:.0f}'):>6}"
              f"{lt.fmt(s['recorder_dropped'], '{:.0f}'):>8}")
    print(f"{'live heap' if heap == 'heap_live_bytes' else 'heap after GC'} under load, largest move from the second"
          f" sample: "
          f"{'n/a' if worst_heap is None else f'{worst_heap:+.1%}'}; idle before → after: "
          f"{'n/a' if idle_heap is None else f'{idle_heap:+.1%}'}")
    print(f"late ticks: {late_outside} outside the forced GCs, {in_gc} during them (the samples' own pauses)")
    print(f"recordings verified and deleted: {rec['dirs']} ({rec['complete']} complete, {rec.get('deleted', 0)} "
          f"deleted); SIPp: {sipp['succeeded']} ok, {sipp['failed']} failed")
    print("PASS" if not failures else "FAIL:\n  " + "\n  ".join(failures))
    return 0 if not failures else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample"); s.add_argument("out"); s.add_argument("--label", required=True)
    s.add_argument("--gw-pid", required=True); s.add_argument("--jcmd", required=True)
    s.add_argument("--http-port", required=True)
    r = sub.add_parser("reap"); r.add_argument("recordings"); r.add_argument("--totals", required=True)
    r.add_argument("--http-port", required=True)
    p = sub.add_parser("report"); p.add_argument("work")
    f = sub.add_parser("refused"); f.add_argument("--http-port", required=True)
    a = ap.parse_args()
    return {"sample": cmd_sample, "reap": cmd_reap, "report": cmd_report, "refused": cmd_refused}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
