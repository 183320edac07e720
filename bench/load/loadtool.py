#!/usr/bin/env python3
"""Measurement helpers for bench/load/run.sh (Python 3.11 standard library only).

Subcommands:
  snapshot OUT --gw-pid P [--sipp-pids a,b] --http-port H   /proc + /metrics snapshot as JSON
  heap OUT --gw-pid P --jcmd PATH                            forced GC, then heap used (jcmd) and RSS, as JSON
  wait-metric --http-port H --name N [--name M ...] [--at-least V] [--at-most V] --timeout S
                                                             poll /metrics until N (+ M ...) is in range (exit 1 on timeout)
  timeline OUT --gw-pid P --http-port H [--interval S]       one CSV row per interval until the gateway exits
  report WORK                                                reads WORK/*, prints the table, writes WORK/report.json
"""
import argparse
import array
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.request
import wave

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# A recording's WAV length may differ from call.json duration_ms by at most this much (brief: 50 ms).
DURATION_TOLERANCE_MS = 50
# Left-channel peak above which a recording counts as carrying caller audio (16-bit full scale is 32767;
# the speech fixture peaks far higher, digital silence is 0).
NON_SILENT_PEAK = 500


# ---------------------------------------------------------------- /proc and /metrics

def proc_ticks(path):
    """utime+stime in clock ticks from a /proc/.../stat file, or None if the process is gone."""
    try:
        with open(path) as f:
            s = f.read()
    except OSError:
        return None, None
    comm = s[s.index("(") + 1:s.rindex(")")]
    fields = s[s.rindex(")") + 2:].split()
    # fields[0] is state (field 3); utime is field 14, stime field 15 -> indices 11, 12.
    return comm, int(fields[11]) + int(fields[12])


def proc_status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def machine_cpu():
    """Aggregate jiffies from /proc/stat: (total, idle incl. iowait)."""
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    vals = [int(x) for x in parts[:8]]  # user nice system idle iowait irq softirq steal
    return sum(vals), vals[3] + vals[4]


def threads(pid):
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        comm, ticks = proc_ticks(f"/proc/{pid}/task/{tid}/stat")
        if ticks is not None:
            out[tid] = [comm, ticks]
    return out


def fetch_metrics(port, timeout=5):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=timeout) as r:
            return r.read().decode("utf-8", "replace")
    except Exception as e:  # noqa: BLE001 - a missing endpoint is reported as n/a
        return f"# fetch failed: {e}\n"


_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        try:
            v = float(m.group(4))
        except ValueError:
            continue
        labels = dict(_LABEL.findall(m.group(3) or ""))
        out.append((m.group(1), labels, v))
    return out


def metric(samples, name, **labels):
    """Sum of the samples named `name` whose labels include `labels`; None when there is none."""
    vals = [v for n, l, v in samples if n == name and all(l.get(k) == x for k, x in labels.items())]
    return sum(vals) if vals else None


def metric_labels(samples, name, label):
    """{label value: sample value} for one metric (e.g. reasons of a counter)."""
    return {l.get(label, ""): v for n, l, v in samples if n == name}


# ---------------------------------------------------------------- subcommands

def cmd_snapshot(a):
    t_wall = time.time()
    text = fetch_metrics(a.http_port)
    gw_comm, gw_ticks = proc_ticks(f"/proc/{a.gw_pid}/stat")
    sipp = {}
    for pid in filter(None, (a.sipp_pids or "").split(",")):
        sipp[pid] = proc_ticks(f"/proc/{pid}/stat")[1]
    total, idle = machine_cpu()
    snap = {
        "t": time.monotonic(), "wall": t_wall,
        "gw_ticks": gw_ticks, "gw_threads": threads(a.gw_pid),
        "rss_kb": proc_status_kb(a.gw_pid, "VmRSS"), "thread_count": proc_status_kb(a.gw_pid, "Threads"),
        "sipp_ticks": sipp, "machine_total": total, "machine_idle": idle,
        "metrics": text,
    }
    with open(a.out, "w") as f:
        json.dump(snap, f)


def parse_heap_info(text):
    """Heap used in bytes from `jcmd GC.heap_info` (G1, ZGC, Shenandoah, Parallel, Serial)."""
    unit = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "B": 1}
    for line in text.splitlines():
        m = re.search(r"(garbage-first heap|ZHeap|Shenandoah Heap).*?used\s+(\d+)([KMGB])", line, re.I)
        if m:
            return int(m.group(2)) * unit[m.group(3)]
        m = re.search(r"(\d+)([KMGB]) used", line)  # Shenandoah: "... total, 12K committed, 34K used"
        if m and "Shenandoah" in text:
            return int(m.group(1)) * unit[m.group(2)]
    total = 0
    found = False
    for line in text.splitlines():  # Parallel / Serial: one line per generation
        m = re.match(r"^\s?(\w*Gen|def new generation|tenured generation)\s+total\s+\d+[KMG],\s+used\s+(\d+)([KMG])",
                     line)
        if m:
            total += int(m.group(2)) * unit[m.group(3)]
            found = True
    return total if found else None


def cmd_heap(a):
    out = {"ok": False}
    try:
        gc = subprocess.run([a.jcmd, str(a.gw_pid), "GC.run"], capture_output=True, text=True, timeout=60)
        time.sleep(0.5)
        info = subprocess.run([a.jcmd, str(a.gw_pid), "GC.heap_info"], capture_output=True, text=True, timeout=60)
        out["heap_info"] = info.stdout
        out["heap_used_bytes"] = parse_heap_info(info.stdout)
        out["ok"] = gc.returncode == 0 and out["heap_used_bytes"] is not None
        if gc.returncode != 0:
            out["error"] = gc.stderr + gc.stdout
        if a.histogram:  # live objects by class (this forces another full GC)
            hist = subprocess.run([a.jcmd, str(a.gw_pid), "GC.class_histogram"], capture_output=True, text=True,
                                  timeout=120)
            with open(a.histogram, "w") as f:
                f.write(hist.stdout)
    except Exception as e:  # noqa: BLE001
        out["error"] = str(e)
    out["rss_kb"] = proc_status_kb(a.gw_pid, "VmRSS")
    text = fetch_metrics(a.http_port) if a.http_port else ""
    out["metrics_heap_bytes"] = metric(parse_metrics(text), "jvm_memory_used_bytes", area="heap")
    with open(a.out, "w") as f:
        json.dump(out, f)


def cmd_wait_metric(a):
    deadline = time.monotonic() + a.timeout
    last = None
    label = " + ".join(a.name)
    while time.monotonic() < deadline:
        samples = parse_metrics(fetch_metrics(a.http_port, timeout=2))
        values = [metric(samples, n) for n in a.name]
        last = None if all(v is None for v in values) else sum(v or 0 for v in values)
        if last is not None and (a.at_least is None or last >= a.at_least) and (a.at_most is None or last <= a.at_most):
            print(f"{label}={last:g}")
            return 0
        time.sleep(0.5)
    print(f"timeout after {a.timeout:g} s: {label}={last} (wanted >= {a.at_least} and <= {a.at_most})")
    return 1


def cmd_timeline(a):
    with open(a.out, "w") as f:
        f.write("wall,gw_cpu_s,rss_kb,threads,machine_idle_pct,calls_active,calls_answered,"
                "inbound_latency_count,recorder_backlog_s,recorder_buffer_mb,calls_refused_503\n")
        prev = machine_cpu()
        while os.path.exists(f"/proc/{a.gw_pid}"):
            time.sleep(a.interval)
            _, ticks = proc_ticks(f"/proc/{a.gw_pid}/stat")
            if ticks is None:
                break
            cur = machine_cpu()
            idle_pct = 100.0 * (cur[1] - prev[1]) / max(1, cur[0] - prev[0])
            prev = cur
            s = parse_metrics(fetch_metrics(a.http_port, timeout=2))
            row = [f"{time.time():.1f}", f"{ticks / CLK_TCK:.2f}", proc_status_kb(a.gw_pid, "VmRSS"),
                   proc_status_kb(a.gw_pid, "Threads"), f"{idle_pct:.1f}",
                   metric(s, "gateway_calls_active"), metric(s, "gateway_calls_answered_total"),
                   metric(s, "gateway_inbound_latency_us_count"), metric(s, "gateway_recorder_backlog_seconds"),
                   None if metric(s, "gateway_recorder_buffer_bytes") is None
                   else metric(s, "gateway_recorder_buffer_bytes") / 1048576.0,
                   (metric(s, "gateway_calls_refused_total", reason="capacity") or 0)
                   + (metric(s, "gateway_calls_refused_total", reason="recorder_backlog") or 0)
                   + (metric(s, "gateway_calls_refused_total", reason="media_lag") or 0)]
            f.write(",".join("" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row) + "\n")
            f.flush()
    return 0


# ---------------------------------------------------------------- report

def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def weighted(pairs):
    pairs = [(v, w) for v, w in pairs if v is not None and w]
    return sum(v * w for v, w in pairs) / sum(w for _, w in pairs) if pairs else None


def duration_ms(text):
    """SIPp's HH:MM:SS:microseconds as milliseconds."""
    m = re.match(r"(\d+):(\d+):(\d+):(\d+)$", (text or "").strip())
    if not m:
        return None
    h, mi, sec, us = (int(x) for x in m.groups())
    return (h * 3600 + mi * 60 + sec) * 1000.0 + us / 1000.0


def sipp_stats(work):
    """Final SuccessfulCall(C)/FailedCall(C)/OutgoingCall(C) of every SIPp process's -trace_stat CSV."""
    procs = []
    for name in sorted(os.listdir(work)):
        m = re.match(r"sipp_(\d+)_.*\.csv$", name)
        if not m:
            continue
        with open(os.path.join(work, name), errors="replace") as f:
            lines = [l.rstrip("\n") for l in f if l.strip()]
        if len(lines) < 2:
            procs.append({"file": name, "error": "no data"})
            continue
        head = lines[0].split(";")
        last = lines[-1].split(";")
        row = dict(zip(head, last))

        def num(k):
            try:
                return int(row.get(k, ""))
            except ValueError:
                return None
        procs.append({"file": name, "created": num("OutgoingCall(C)"), "succeeded": num("SuccessfulCall(C)"),
                      "failed": num("FailedCall(C)"), "retransmissions": num("Retransmissions(C)"),
                      "setup_ms_mean": duration_ms(row.get("ResponseTime1(C)")),
                      "setup_ms_stdev": duration_ms(row.get("ResponseTime1StDev(C)"))})
    return procs


def verify_recordings(rec_dir, skip=frozenset()):
    res = {"dirs": 0, "wav_ok": 0, "format_ok": 0, "duration_ok": 0, "call_json": 0, "caller_bye": 0,
           "complete": 0, "incomplete": 0, "missing_ms": 0, "left_non_silent": 0, "right_non_silent": 0,
           "problems": [], "end_reasons": {}, "duration_diff_ms_max": None, "bytes": 0}
    if not os.path.isdir(rec_dir):
        res["problems"].append(f"no recordings dir {rec_dir}")
        return res
    diffs = []
    for cid in sorted(os.listdir(rec_dir)):
        d = os.path.join(rec_dir, cid)
        if not os.path.isdir(d) or cid in skip:
            continue
        res["dirs"] += 1
        cj = load_json(os.path.join(d, "call.json"))
        if cj is None:
            res["problems"].append(f"{cid}: call.json missing or unreadable")
        else:
            res["call_json"] += 1
            reason = cj.get("end_reason")
            res["end_reasons"][reason] = res["end_reasons"].get(reason, 0) + 1
            if reason == "caller_bye":
                res["caller_bye"] += 1
            recording = cj.get("recording") or {}
            if recording.get("complete") is True:
                res["complete"] += 1
            else:
                res["incomplete"] += 1
                res["problems"].append(f"{cid}: recording incomplete: {json.dumps(recording)[:200]}")
                for m in recording.get("missing") or []:
                    if isinstance(m.get("end_ms"), (int, float)):
                        res["missing_ms"] += m["end_ms"] - m["start_ms"]
        wav_path = os.path.join(d, "audio.wav")
        try:
            res["bytes"] += os.path.getsize(wav_path)
            with wave.open(wav_path, "rb") as w:
                rate, ch, width, n = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
                frames = w.readframes(n)
            res["wav_ok"] += 1
        except Exception as e:  # noqa: BLE001
            res["problems"].append(f"{cid}: audio.wav does not open: {e}")
            continue
        if rate == 24000 and ch == 2 and width == 2:
            res["format_ok"] += 1
        else:
            res["problems"].append(f"{cid}: audio.wav is {rate} Hz {ch} ch {8 * width} bit")
            continue
        wav_ms = 1000.0 * n / rate
        if cj is not None and isinstance(cj.get("duration_ms"), (int, float)):
            diff = wav_ms - cj["duration_ms"]
            diffs.append(diff)
            if abs(diff) <= DURATION_TOLERANCE_MS:
                res["duration_ok"] += 1
            else:
                res["problems"].append(f"{cid}: wav {wav_ms:.0f} ms vs call.json {cj['duration_ms']} ms")
        samples = array.array("h")
        samples.frombytes(frames[: len(frames) - len(frames) % 4])
        if sys.byteorder == "big":
            samples.byteswap()
        left, right = samples[0::2], samples[1::2]
        if left and max(max(left), -min(left)) > NON_SILENT_PEAK:
            res["left_non_silent"] += 1
        if right and max(max(right), -min(right)) > NON_SILENT_PEAK:
            res["right_non_silent"] += 1
    if diffs:
        res["duration_diff_ms_max"] = max(diffs, key=abs)
    return res


def read_histogram(path):
    """{class name: bytes} from `jcmd GC.class_histogram` output."""
    out = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = re.match(r"\s*\d+:\s+\d+\s+(\d+)\s+(\S+)", line)
                if m:
                    out[m.group(2)] = out.get(m.group(2), 0) + int(m.group(1))
    except OSError:
        pass
    return out


def quantiles(samples, name, qs):
    return {q: metric(samples, name, quantile=q) for q in qs}


def fmt(v, spec="{:.1f}", unit=""):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return spec.format(v) + unit


def grep_log(path):
    counts = {"WARNING": 0, "SEVERE": 0, "ERROR": 0, "Exception": 0}
    examples = []
    try:
        with open(path, errors="replace") as f:
            for line in f:
                hit = False
                for k in counts:
                    if k in line:
                        counts[k] += 1
                        hit = True
                if hit and len(examples) < 10:
                    examples.append(line.rstrip()[:300])
    except OSError:
        pass
    return counts, examples


def thread_group(comm):
    # "embedded-agent" is the demo agent's thread name in builds before 2026-12-01
    for prefix, group in (("demo-agent", "demo-agent"), ("embedded-agent", "demo-agent"), ("media", "media loops"),
                          ("sip", "sip loop"), ("recorder", "recorder-writer"), ("G1 ", "gc"), ("GC ", "gc"),
                          ("ZW", "gc"), ("Z", "gc"), ("C1 ", "jit"), ("C2 ", "jit"), ("realtime", "realtime-dns")):
        if comm.startswith(prefix):
            return group
    return "other"


def cmd_report(a):
    work = a.work
    params = load_json(os.path.join(work, "params.json")) or {}
    s0 = load_json(os.path.join(work, "snap_hold_start.json"))
    s1 = load_json(os.path.join(work, "snap_hold_end.json"))
    sf = load_json(os.path.join(work, "snap_final.json"))
    si = load_json(os.path.join(work, "snap_idle.json"))
    heap_idle = load_json(os.path.join(work, "heap_idle.json")) or {}
    heap_steady = load_json(os.path.join(work, "heap_steady.json")) or {}
    calls = int(params.get("calls", 0))
    R = {"params": params}

    # -- calls
    sp = sipp_stats(work)
    exit_codes = params.get("sipp_exit_codes", [])
    final = parse_metrics(sf["metrics"]) if sf else []
    idle = parse_metrics(si["metrics"]) if si else []

    def since_idle(name, **labels):
        """A counter's growth since the idle snapshot (so optional warm-up calls are not counted)."""
        v = metric(final, name, **labels)
        return None if v is None else v - (metric(idle, name, **labels) or 0)

    def reasons_since_idle(name):
        return {k: v - (metric(idle, name, reason=k) or 0) for k, v in metric_labels(final, name, "reason").items()}
    R["calls"] = {
        "attempted": calls,
        "sipp_created": sum(p.get("created") or 0 for p in sp),
        "sipp_succeeded": sum(p.get("succeeded") or 0 for p in sp),
        "sipp_failed": sum(p.get("failed") or 0 for p in sp),
        "sipp_exit_codes": exit_codes,
        "sipp_retransmissions": sum(p.get("retransmissions") or 0 for p in sp),
        "setup_ms_mean": weighted([(p.get("setup_ms_mean"), p.get("succeeded")) for p in sp]),
        "setup_ms_stdev_max": max((p["setup_ms_stdev"] for p in sp if p.get("setup_ms_stdev") is not None),
                                  default=None),
        "gateway_offered": since_idle("gateway_calls_offered_total"),
        "gateway_answered": since_idle("gateway_calls_answered_total"),
        "gateway_ended_by_reason": {k: v for k, v in reasons_since_idle("gateway_calls_ended_total").items() if v},
        "gateway_active_after": metric(final, "gateway_calls_active"),
        "sipp_processes": sp,
    }

    # -- CPU over the steady hold window
    if s0 and s1:
        win = s1["t"] - s0["t"]
        m0, m1 = parse_metrics(s0["metrics"]), parse_metrics(s1["metrics"])
        act0, act1 = metric(m0, "gateway_calls_active"), metric(m1, "gateway_calls_active")
        conc = min(x for x in (act0, act1) if x is not None) if (act0 is not None or act1 is not None) else calls
        gw_cpu = (s1["gw_ticks"] - s0["gw_ticks"]) / CLK_TCK
        groups = {}
        for tid, (comm, ticks) in s1["gw_threads"].items():
            before = s0["gw_threads"].get(tid, [comm, 0])[1]
            g = thread_group(comm)
            groups[g] = groups.get(g, 0.0) + (ticks - before) / CLK_TCK
        agent_cpu = groups.get("demo-agent", 0.0)
        sipp_cpu = sum((s1["sipp_ticks"].get(p) or 0) - (s0["sipp_ticks"].get(p) or 0) for p in s0["sipp_ticks"]) / CLK_TCK
        idle_pct = 100.0 * (s1["machine_idle"] - s0["machine_idle"]) / max(1, s1["machine_total"] - s0["machine_total"])
        call_min = conc * win / 60.0 if conc else None
        R["cpu"] = {
            "window_s": win, "concurrent_calls_start": act0, "concurrent_calls_end": act1, "concurrent_calls": conc,
            "gateway_cpu_s": gw_cpu,
            "gateway_cpu_s_per_call_minute": gw_cpu / call_min if call_min else None,
            "gateway_pct_one_core_per_call": 100.0 * gw_cpu / win / conc if conc else None,
            "gateway_pct_one_core_total": 100.0 * gw_cpu / win,
            "demo_agent_cpu_s": agent_cpu,
            "gateway_excl_agent_cpu_s_per_call_minute": (gw_cpu - agent_cpu) / call_min if call_min else None,
            "gateway_excl_agent_pct_one_core_per_call": 100.0 * (gw_cpu - agent_cpu) / win / conc if conc else None,
            "gateway_excl_agent_jit_pct_one_core_per_call":
                100.0 * (gw_cpu - agent_cpu - groups.get("jit", 0.0)) / win / conc if conc else None,
            "gateway_cpu_s_by_thread_group": {k: round(v, 2) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])},
            "sipp_pct_one_core_total": 100.0 * sipp_cpu / win,
            "others_pct_one_core_total":
                (os.cpu_count() or 1) * (100.0 - idle_pct) - 100.0 * (gw_cpu + sipp_cpu) / win,
            "machine_idle_pct": idle_pct, "cores": os.cpu_count(),
        }
        # packets in the window
        R["window_counts"] = {k: (lambda a, b: None if a is None or b is None else b - a)(metric(m0, k), metric(m1, k))
                              for k in ("gateway_rtp_packets_received_total", "gateway_rtp_packets_sent_total",
                                        "gateway_inbound_latency_us_count")}
    else:
        R["cpu"] = None

    # -- memory
    def mb(x):
        return None if x is None else x / 1048576.0
    hi, hs = heap_idle.get("heap_used_bytes"), heap_steady.get("heap_used_bytes")
    ri, rs = heap_idle.get("rss_kb"), heap_steady.get("rss_kb")
    n = (R["cpu"] or {}).get("concurrent_calls") or calls
    R["memory"] = {
        "heap_idle_mb": mb(hi), "heap_steady_mb": mb(hs),
        "heap_per_call_kb": (hs - hi) / n / 1024 if hi is not None and hs is not None and n else None,
        "rss_idle_mb": None if ri is None else ri / 1024, "rss_steady_mb": None if rs is None else rs / 1024,
        "rss_per_call_kb": (rs - ri) / n if ri is not None and rs is not None and n else None,
        "threads_steady": s1.get("thread_count") if s1 else None,
        "calls_divisor": n,
    }

    # -- which classes grew (live bytes after GC, steady minus idle, per call)
    h0 = read_histogram(os.path.join(work, "heap_idle_histogram.txt"))
    h1 = read_histogram(os.path.join(work, "heap_steady_histogram.txt"))
    growth = sorted(((cls, (b - h0.get(cls, 0)) / n / 1024) for cls, b in h1.items()), key=lambda kv: -kv[1])
    R["memory"]["heap_growth_per_call_kb_by_class"] = [[c, round(kb, 1)] for c, kb in growth[:8] if kb > 0]

    # -- latency (from the hold-end snapshot: taken before the forced GC, so its pause is not in them)
    m_end = parse_metrics(s1["metrics"]) if s1 else final
    R["latency_us"] = {
        "inbound_added": quantiles(m_end, "gateway_inbound_latency_us", ("0.5", "0.99", "0.999")),
        "inbound_count": metric(m_end, "gateway_inbound_latency_us_count"),
        "playout_lateness": quantiles(m_end, "gateway_playout_lateness_us", ("0.5", "0.99", "0.999")),
        "playout_count": metric(m_end, "gateway_playout_lateness_us_count"),
        "first_audio_delay": quantiles(m_end, "gateway_first_audio_delay_us", ("0.5", "0.99", "0.999")),
        "first_audio_count": metric(m_end, "gateway_first_audio_delay_us_count"),
    }

    # -- packets (final, whole run)
    R["rtp"] = {
        "received": since_idle("gateway_rtp_packets_received_total"),
        "sent": since_idle("gateway_rtp_packets_sent_total"),
        "inbound_discarded": reasons_since_idle("gateway_rtp_inbound_discarded_total"),
        "outbound_skipped": reasons_since_idle("gateway_rtp_outbound_skipped_total"),
        "lost": since_idle("gateway_rtp_packets_lost_total"),
        "playout_overflow_samples": since_idle("gateway_playout_overflow_samples_total"),
        "recordings_written": since_idle("gateway_recordings_written_total"),
        "recordings_failed": since_idle("gateway_recordings_failed_total"),
    }

    # -- recorder: losses, backlog, buffers, refusals (whole run after the idle baseline; peaks since gateway start)
    def gauge_mb(samples, name):
        v = metric(samples, name)
        return None if v is None else v / 1048576.0
    lost = since_idle("gateway_recorder_lost_samples_total")
    R["recorder"] = {
        "dropped_chunks": since_idle("gateway_recorder_dropped_chunks"),
        "lost_samples": lost,
        "lost_ms_both_channels": None if lost is None else lost / 24.0,
        "backlog_peak_s": metric(final, "gateway_recorder_backlog_peak_seconds"),
        "backlog_at_hold_end_s": metric(m_end, "gateway_recorder_backlog_seconds"),
        "buffer_peak_mb": gauge_mb(final, "gateway_recorder_buffer_peak_bytes"),
        "buffer_at_hold_end_mb": gauge_mb(m_end, "gateway_recorder_buffer_bytes"),
        "buffer_limit_mb": gauge_mb(final, "gateway_recorder_buffer_limit_bytes"),
        "write_failures": since_idle("gateway_recorder_write_failures_total"),
        "incomplete_recordings": since_idle("gateway_recordings_incomplete_total"),
        "recovered_at_start": metric(final, "gateway_recordings_recovered_total"),
        "calls_refused": {k: v for k, v in reasons_since_idle("gateway_calls_refused_total").items()},
        "writer_cpu_s_in_window": (R["cpu"] or {}).get("gateway_cpu_s_by_thread_group", {}).get("recorder-writer"),
    }

    # -- recordings
    skip = set()
    try:
        with open(os.path.join(work, "warmup_recordings.txt")) as f:
            skip = {l.strip() for l in f if l.strip()}
    except OSError:
        pass
    R["recordings"] = verify_recordings(os.path.join(work, "recordings"), skip)

    # -- gateway log
    counts, examples = grep_log(os.path.join(work, "gateway.log"))
    R["gateway_log"] = {"counts": counts, "examples": examples}

    with open(os.path.join(work, "report.json"), "w") as f:
        json.dump(R, f, indent=2, default=str)
    print_table(R)
    return 0


def print_table(R):
    p, c, cpu, mem, lat, rtp, rec = R["params"], R["calls"], R["cpu"] or {}, R["memory"], R["latency_us"], R["rtp"], \
        R["recordings"]
    rows = []

    def row(k, v):
        rows.append((k, v))

    def sec(t):
        rows.append((None, t))
    sec(f"Load run: {p.get('calls')} calls, ramp {p.get('rate')}/s, hold {p.get('hold_s')} s, "
        f"{p.get('sipp_procs')} SIPp process(es), warm-up {p.get('warmup_calls', 0)} calls, "
        f"peers under '{p.get('peers', 'nice -n 10')}'; "
        f"{p.get('java_version', '?')} {p.get('java_opts') or ''}".rstrip())
    sec("calls")
    row("attempted (CALLS)", c["attempted"])
    row("SIPp created / succeeded / failed", f"{c['sipp_created']} / {c['sipp_succeeded']} / {c['sipp_failed']}")
    row("SIPp exit codes", " ".join(str(x) for x in c["sipp_exit_codes"]) or "n/a")
    row("SIPp call setup INVITE -> 200, mean (stdev)", fmt(c["setup_ms_mean"], "{:.0f}", " ms")
        + f" ({fmt(c['setup_ms_stdev_max'], '{:.0f}', ' ms')}); SIP retransmissions {c['sipp_retransmissions']}")
    row("gateway offered / answered", f"{fmt(c['gateway_offered'], '{:.0f}')} / {fmt(c['gateway_answered'], '{:.0f}')}")
    row("gateway ended by reason", ", ".join(f"{k}={v:.0f}" for k, v in c["gateway_ended_by_reason"].items()) or "n/a")
    row("gateway calls active after run", fmt(c["gateway_active_after"], "{:.0f}"))
    sec(f"CPU over the steady hold ({fmt(cpu.get('window_s'), '{:.1f}', ' s')}, "
        f"{fmt(cpu.get('concurrent_calls'), '{:.0f}')} concurrent calls)")
    row("gateway CPU s per call-minute", fmt(cpu.get("gateway_cpu_s_per_call_minute"), "{:.3f}"))
    row("gateway % of one core per call", fmt(cpu.get("gateway_pct_one_core_per_call"), "{:.3f}", " %"))
    row("  same, excl. in-process demo agent thread", fmt(cpu.get("gateway_excl_agent_pct_one_core_per_call"), "{:.3f}", " %")
        + f"  ({fmt(cpu.get('gateway_excl_agent_cpu_s_per_call_minute'), '{:.3f}')} s/call-min)")
    row("  same, excl. agent and JIT compiler threads",
        fmt(cpu.get("gateway_excl_agent_jit_pct_one_core_per_call"), "{:.3f}", " %"))
    row("gateway total, % of one core", fmt(cpu.get("gateway_pct_one_core_total"), "{:.1f}", " %"))
    row("gateway CPU s by thread group", ", ".join(f"{k} {v}" for k, v in (cpu.get("gateway_cpu_s_by_thread_group") or {}).items())
        or "n/a")
    row("SIPp processes, % of one core", fmt(cpu.get("sipp_pct_one_core_total"), "{:.1f}", " %"))
    row("everything else on the machine, % of one core", fmt(cpu.get("others_pct_one_core_total"), "{:.1f}", " %"))
    row(f"machine idle ({cpu.get('cores', '?')} cores)", fmt(cpu.get("machine_idle_pct"), "{:.1f}", " %"))
    sec("memory (heap after forced GC; per call = (steady - idle) / concurrent calls)")
    row("heap idle / steady", f"{fmt(mem['heap_idle_mb'], '{:.1f}', ' MB')} / {fmt(mem['heap_steady_mb'], '{:.1f}', ' MB')}")
    row("heap per call", fmt(mem["heap_per_call_kb"], "{:.1f}", " KB"))
    row("RSS idle / steady", f"{fmt(mem['rss_idle_mb'], '{:.1f}', ' MB')} / {fmt(mem['rss_steady_mb'], '{:.1f}', ' MB')}")
    row("RSS per call", fmt(mem["rss_per_call_kb"], "{:.1f}", " KB"))
    row("JVM threads at steady state", fmt(mem["threads_steady"], "{}"))
    row("heap growth per call by class (KB)",
        ", ".join(f"{c} {kb}" for c, kb in mem.get("heap_growth_per_call_kb_by_class", [])[:5]) or "n/a")

    def q3(d):
        return " / ".join(fmt(d.get(q), "{:.0f}") for q in ("0.5", "0.99", "0.999"))
    sec("latency (gateway /metrics, cumulative since gateway start; µs)")
    row("inbound added p50 / p99 / p99.9", q3(lat["inbound_added"]) + f"   (n={fmt(lat['inbound_count'], '{:.0f}')})")
    row("playout lateness p50 / p99 / p99.9", q3(lat["playout_lateness"])
        + f"   (n={fmt(lat['playout_count'], '{:.0f}')})")
    row("first agent audio delay p50 / p99 / p99.9", q3(lat["first_audio_delay"])
        + f"   (n={fmt(lat['first_audio_count'], '{:.0f}')})")
    sec("RTP (whole run after the idle baseline)")
    row("packets received / sent / lost (sequence gaps)",
        f"{fmt(rtp['received'], '{:.0f}')} / {fmt(rtp['sent'], '{:.0f}')} / {fmt(rtp['lost'], '{:.0f}')}")
    row("inbound discarded", ", ".join(f"{k}={v:.0f}" for k, v in rtp["inbound_discarded"].items()) or "n/a")
    row("outbound skipped", ", ".join(f"{k}={v:.0f}" for k, v in rtp["outbound_skipped"].items()) or "n/a")
    row("agent audio dropped, playout queue full (samples)", fmt(rtp.get("playout_overflow_samples"), "{:.0f}"))
    row("recordings written / failed (gateway)",
        f"{fmt(rtp['recordings_written'], '{:.0f}')} / {fmt(rtp['recordings_failed'], '{:.0f}')}")
    rc = R["recorder"]
    sec("recorder (whole run after the idle baseline; peaks since gateway start)")
    row("recorder dropped chunks", fmt(rc["dropped_chunks"], "{:.0f}")
        + f"   (audio lost: {fmt(rc['lost_ms_both_channels'], '{:.0f}', ' ms')}, both channels summed)")
    row("writer backlog peak / at hold end", f"{fmt(rc['backlog_peak_s'], '{:.3f}', ' s')} / "
        f"{fmt(rc['backlog_at_hold_end_s'], '{:.3f}', ' s')}")
    row("buffers peak / at hold end / limit", f"{fmt(rc['buffer_peak_mb'], '{:.1f}', ' MB')} / "
        f"{fmt(rc['buffer_at_hold_end_mb'], '{:.1f}', ' MB')} / {fmt(rc['buffer_limit_mb'], '{:.0f}', ' MB')}")
    row("writer CPU in the window", fmt(rc["writer_cpu_s_in_window"], "{:.2f}", " s"))
    refused = rc["calls_refused"]
    row("INVITEs refused: 503 capacity / recorder_backlog / media_lag / 403 source",
        " / ".join(fmt(refused.get(k), "{:.0f}") for k in ("capacity", "recorder_backlog", "media_lag", "source")))
    row("write failures / incomplete recordings (gateway)", f"{fmt(rc['write_failures'], '{:.0f}')} / "
        f"{fmt(rc['incomplete_recordings'], '{:.0f}')}")
    sec("recordings")
    row("call dirs / call.json / end_reason caller_bye", f"{rec['dirs']} / {rec['call_json']} / {rec['caller_bye']}")
    row("call.json recording complete / incomplete (missing ms)",
        f"{rec['complete']} / {rec['incomplete']} ({rec['missing_ms']:.0f} ms)")
    row("audio.wav opens / 24 kHz 2 ch 16 bit / duration within 50 ms",
        f"{rec['wav_ok']} / {rec['format_ok']} / {rec['duration_ok']}")
    row("largest wav - call.json duration", fmt(rec["duration_diff_ms_max"], "{:+.1f}", " ms"))
    row("left (caller) non-silent / right (agent) non-silent", f"{rec['left_non_silent']} / {rec['right_non_silent']}")
    if rec["problems"]:
        row("problems (first 5)", "; ".join(rec["problems"][:5]))
    gl = R["gateway_log"]["counts"]
    sec("gateway log")
    row("lines with WARNING / SEVERE / ERROR / Exception",
        f"{gl['WARNING']} / {gl['SEVERE']} / {gl['ERROR']} / {gl['Exception']}")
    width = max(len(k) for k, _ in rows if k)
    for k, v in rows:
        if k is None:
            print(f"\n== {v}")
        else:
            print(f"  {k:<{width}}  {v}")


# Issue 19's quality targets: a run passes only if every one holds at once. Latency quantiles are the gateway's
# histogram buckets (about 6 % wide, upper edges): 2047 µs is the edge of the bucket that holds 2 ms, 1023 of 1 ms.
TARGETS = (
    ("failed calls", lambda R: (R["calls"]["sipp_failed"] or 0) + sum((R["recorder"]["calls_refused"] or {}).values()),
     0),
    ("recorder dropped chunks", lambda R: R["recorder"]["dropped_chunks"], 0),
    ("recorder lost samples", lambda R: R["recorder"]["lost_samples"], 0),
    ("incomplete recordings", lambda R: R["recorder"]["incomplete_recordings"], 0),
    ("late ticks", lambda R: R["rtp"]["outbound_skipped"]["late_tick"], 0),
    ("playout lateness p99 (us)", lambda R: R["latency_us"]["playout_lateness"]["0.99"], 2047),
    ("inbound added p99 (us)", lambda R: R["latency_us"]["inbound_added"]["0.99"], 1023),
)


def verdict(R):
    """(passed, [(target, value, limit, ok)]) for one run's report.json."""
    rows = []
    for name, get, limit in TARGETS:
        try:
            value = get(R)
        except (KeyError, TypeError):
            value = None
        rows.append((name, value, limit, value is not None and value <= limit))
    return all(ok for *_, ok in rows), rows


def cmd_verdict(a):
    R = json.load(open(a.report))
    passed, rows = verdict(R)
    for name, value, limit, ok in rows:
        print(f"  {'ok  ' if ok else 'FAIL'} {name:<28} {value!s:>10}  (at most {limit})")
    cpu = R["cpu"].get("gateway_pct_one_core_per_call")
    print(f"{'PASS' if passed else 'FAIL'} {a.report}: {R['params']['calls']} calls, "
          f"{'n/a' if cpu is None else f'{cpu:.3f}'} % of a core per call")
    return 0 if passed else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot"); s.add_argument("out"); s.add_argument("--gw-pid", required=True)
    s.add_argument("--sipp-pids", default=""); s.add_argument("--http-port", required=True)
    h = sub.add_parser("heap"); h.add_argument("out"); h.add_argument("--gw-pid", required=True)
    h.add_argument("--jcmd", required=True); h.add_argument("--http-port", default="")
    h.add_argument("--histogram", help="also write jcmd GC.class_histogram here")
    w = sub.add_parser("wait-metric"); w.add_argument("--http-port", required=True)
    w.add_argument("--name", required=True, action="append", help="repeat to wait on the sum")
    w.add_argument("--at-least", type=float); w.add_argument("--at-most", type=float)
    w.add_argument("--timeout", type=float, required=True)
    t = sub.add_parser("timeline"); t.add_argument("out"); t.add_argument("--gw-pid", required=True)
    t.add_argument("--http-port", required=True); t.add_argument("--interval", type=float, default=2.0)
    r = sub.add_parser("report"); r.add_argument("work")
    v = sub.add_parser("verdict", help="exit 0 if a run's report.json holds every quality target")
    v.add_argument("report")
    a = ap.parse_args()
    fn = {"snapshot": cmd_snapshot, "heap": cmd_heap, "wait-metric": cmd_wait_metric, "timeline": cmd_timeline,
          "report": cmd_report, "verdict": cmd_verdict}[a.cmd]
    sys.exit(fn(a) or 0)


if __name__ == "__main__":
    main()
