#!/usr/bin/env python3
"""Where the gateway's CPU goes, from a JFR recording of a load run (Python 3.11 standard library only).

    bench/load/flame.py WORK/hold.jfr OUT_PREFIX [--report WORK/report.json] [--jfr PATH] [--title TEXT]

Reads the recording's CPU samples (jdk.ExecutionSample: Java threads running Java code, about every 10-20 ms each
with the "profile" settings) and writes:
  OUT_PREFIX.svg        a flame graph (root at the bottom, one box per frame, width = share of the samples; hover a
                        box for its name, samples and share), one tower per thread group
  OUT_PREFIX.collapsed  the same stacks as "group;frame;frame... count" lines (the usual input of flame graph tools)
  OUT_PREFIX.txt        the table by owner: each sample goes to the owner of its innermost gateway frame (or to
                        Netty I/O, the JDK, ... when it has none), plus the top self frames
With --report (the run's report.json), the table also has the gateway's CPU by thread group from /proc over the
same window, which is where GC and JIT show: their threads are not Java code, so JFR never samples them, and the
time spent inside system calls is not in JFR's samples either. The samples give proportions within the Java code.
"""
import argparse
import collections
import html
import json
import os
import subprocess
import sys

# The innermost frame that matches decides; checked in this order for each frame from the leaf up.
OWNERS = (
    ("gateway.recorder.", "recorder (tap on the loop, writer)"),
    ("gateway.realtime.", "Realtime client (WebSocket, JSON, base64)"),
    ("gateway.rtp.", "RTP media (in: decode, jitter, resample; out: pacer, encode, send)"),
    ("gateway.bridge.call.", "call core (bridge.call)"),
    ("gateway.bridge.metrics.", "metrics"),
    ("gateway.sip.", "SIP"),
    ("gateway.qa.", "HTTP / QA API"),
    ("gateway.library.", "call library"),
    ("gateway.", "other gateway code"),
)
# For samples with no gateway frame: the innermost library frame that says what it was doing.
LIBRARIES = (
    ("io.netty.channel.epoll.EpollDatagramChannel", "Netty datagram I/O (RTP sockets)"),
    ("io.netty.channel.epoll.AbstractEpollStreamChannel", "Netty stream I/O (WebSocket, SIP TCP)"),
    ("io.netty.handler.codec.http.websocketx.", "Netty WebSocket codec"),
    ("io.netty.handler.codec.http.", "Netty HTTP codec"),
    ("io.netty.handler.ssl.", "Netty TLS"),
    ("io.netty.buffer.", "Netty buffers"),
    ("io.netty.", "Netty event loop"),
    ("tools.jackson.", "Jackson"),
    ("com.fasterxml.jackson.", "Jackson"),
    ("io.micrometer.", "metrics"),
    ("jdk.jfr.", "JFR itself"),
    ("java.", "JDK"),
    ("jdk.", "JDK"),
    ("sun.", "JDK"),
)


def thread_group(name):
    """The same groups as loadtool.py's thread_group, by the thread's Java name."""
    for prefix, group in (("demo-agent", "demo-agent"), ("embedded-agent", "demo-agent"), ("media", "media loops"),
                          ("sip", "sip loop"), ("recorder-writer", "recorder-writer"), ("http", "http"),
                          ("realtime", "realtime-dns")):
        if name.startswith(prefix):
            return group
    return "other"


def owner(frames):
    """frames: leaf first."""
    for frame in frames:
        for prefix, name in OWNERS:
            if frame.startswith(prefix):
                return name
    for frame in frames:
        for prefix, name in LIBRARIES:
            if frame.startswith(prefix):
                return name
    return "other"


def read_samples(jfr_tool, path):
    out = subprocess.run([jfr_tool, "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample",
                          path], capture_output=True, text=True, check=True).stdout
    samples = []
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = values.get("sampledThread") or {}
        name = thread.get("javaName") or thread.get("osName") or "?"
        trace = values.get("stackTrace") or {}
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                  for f in trace.get("frames") or []]
        samples.append((thread_group(name), frames))
    return samples


def write_svg(path, stacks, title):
    """A flame graph of {tuple(root..leaf): count}; boxes narrower than a pixel are left out."""
    root = {"name": "all", "count": 0, "children": {}}
    for stack, count in stacks.items():
        node = root
        node["count"] += count
        for frame in stack:
            node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
            node["count"] += count
    total = root["count"] or 1
    width, row, top = 1200, 16, 40

    def depth(node):
        return 1 + max((depth(c) for c in node["children"].values()), default=0)

    levels = depth(root)
    height = top + levels * row + 10
    boxes = []

    def color(name):
        h = sum(ord(c) for c in name.split(".")[0]) * 7 % 60
        if name.startswith("gateway."):
            return f"rgb(230,{120 + h},60)"
        if name.startswith("io.netty."):
            return f"rgb(90,{140 + h},210)"
        if name.startswith(("java.", "jdk.", "sun.")):
            return f"rgb(200,{170 + h // 2},{170 + h // 2})"
        return f"rgb(240,{180 + h // 2},90)"

    def place(node, x, level):
        w = node["count"] * width / total
        if w < 1:
            return
        y = height - 10 - (level + 1) * row
        label = html.escape(node["name"])
        share = node["count"] * 100 / total
        text = ""
        chars = int((w - 6) / 7)
        if chars >= 3:
            shown = node["name"] if len(node["name"]) <= chars else node["name"][:chars - 2] + ".."
            text = f'<text x="{x + 3:.1f}" y="{y + 12}">{html.escape(shown)}</text>'
        boxes.append(f'<g><title>{label} ({node["count"]} samples, {share:.2f} %)</title>'
                     f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" fill="{color(node["name"])}"'
                     f' rx="2"/>{text}</g>')
        cx = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            place(child, cx, level + 1)
            cx += child["count"] * width / total

    place(root, 0, 0)
    with open(path, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'font-family="monospace" font-size="11">\n'
                f'<rect width="100%" height="100%" fill="#fdfdf6"/>\n'
                f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">{html.escape(title)}</text>\n'
                f'<text x="{width / 2}" y="34" text-anchor="middle">{total} CPU samples (jdk.ExecutionSample); '
                f'width = share; hover for names</text>\n')
        f.write("\n".join(boxes))
        f.write("\n</svg>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jfr_file")
    parser.add_argument("out_prefix")
    parser.add_argument("--report", help="the run's report.json, for CPU by thread group from /proc")
    parser.add_argument("--jfr", default=os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr"),
                        help="the JDK's jfr tool (default: $JAVA_HOME/bin/jfr)")
    parser.add_argument("--title", default="gateway CPU samples")
    args = parser.parse_args()

    samples = read_samples(args.jfr, args.jfr_file)
    if not samples:
        sys.exit("no jdk.ExecutionSample events in " + args.jfr_file)
    stacks = collections.Counter()
    owners = collections.Counter()
    owners_by_group = collections.defaultdict(collections.Counter)
    groups = collections.Counter()
    self_frames = collections.Counter()
    for group, frames in samples:
        stacks[(group,) + tuple(reversed(frames))] += 1
        who = owner(frames)
        owners[who] += 1
        owners_by_group[group][who] += 1
        groups[group] += 1
        if frames:
            self_frames[frames[0]] += 1
    total = len(samples)

    write_svg(args.out_prefix + ".svg", stacks, args.title)
    with open(args.out_prefix + ".collapsed", "w") as f:
        for stack, count in sorted(stacks.items()):
            f.write(";".join(stack) + f" {count}\n")

    lines = [f"CPU samples: {total} (jdk.ExecutionSample; Java code only: no GC or JIT threads, no time inside "
             "system calls)", ""]
    if args.report:
        with open(args.report) as f:
            report = json.load(f)
        by_group = (report.get("cpu") or {}).get("gateway_cpu_s_by_thread_group") or {}
        cpu = sum(by_group.values())
        if cpu:
            lines.append("gateway CPU by thread group over the hold window (/proc; the whole process):")
            lines.append(f"  {'thread group':<40} {'CPU s':>8} {'share':>7}")
            for group, seconds in sorted(by_group.items(), key=lambda kv: -kv[1]):
                lines.append(f"  {group:<40} {seconds:>8.2f} {seconds * 100 / cpu:>6.1f}%")
            lines.append("")
    lines.append("samples by thread group:")
    for group, count in groups.most_common():
        lines.append(f"  {group:<40} {count:>8} {count * 100 / total:>6.1f}%")
    lines.append("")
    lines.append("samples by owner (the innermost gateway frame's module, else the library):")
    for who, count in owners.most_common():
        lines.append(f"  {who:<70} {count:>7} {count * 100 / total:>6.1f}%")
    for group in sorted(owners_by_group, key=lambda g: -groups[g]):
        lines.append("")
        lines.append(f"  within {group} ({groups[group]} samples):")
        for who, count in owners_by_group[group].most_common(12):
            lines.append(f"    {who:<68} {count:>7} {count * 100 / groups[group]:>6.1f}%")
    lines.append("")
    lines.append("top self frames:")
    for frame, count in self_frames.most_common(25):
        lines.append(f"  {count * 100 / total:>6.2f}%  {frame}")
    text = "\n".join(lines) + "\n"
    with open(args.out_prefix + ".txt", "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
