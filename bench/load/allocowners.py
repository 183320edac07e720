#!/usr/bin/env python3
"""Who allocates on the media loops: JFR's allocation samples of a load run by owner (Python 3 standard library only).

    bench/load/run.sh ... --jfr                       # WORK/hold.jfr: the settle and hold window
    jfr print --json --events jdk.ObjectAllocationSample WORK/hold.jfr > alloc.json
    bench/load/allocowners.py alloc.json [--thread media] [--top 8]

Each sample's weight (the bytes JFR charges to it) is summed for the threads whose name holds --thread, and put to
the first owner its stack names: Netty's datagram receive (its recvmsg path, the sender's address, a connected
socket's read), Netty's datagram send (the destination's address bytes), the reading of Realtime events, the
recorder's blocks; everything else is "other", whose commonest stacks are printed. Figures are MB/s over the span
of the samples. JFR samples by weight, so a small owner moves from run to run; compare runs, not single figures.
"""
import argparse
import collections
import datetime
import json

OWNERS = [
    ("netty datagram receive", ("NativeDatagramPacketArray", "InetAddress.getByAddress",
                                "EpollDatagramChannel.recvmsg", "EpollDatagramChannel.connectedRead",
                                "EpollDatagramChannelUnsafe.epollInReady")),
    ("netty datagram send", ("Socket.sendToAddress", "EpollDatagramChannel.doWrite")),
    ("realtime event reading", ("ServerEventParser", "AudioDeltaReader")),
    ("recorder blocks", ("SampleBlock", "BlockPool")),
]


def seconds(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("json")
    parser.add_argument("--thread", default="media")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    events = json.load(open(args.json))["recording"]["events"]
    times = [seconds(e["values"]["startTime"]) for e in events]
    span = max(times) - min(times)
    owners = collections.Counter()
    others = collections.Counter()
    for e in events:
        values = e["values"]
        if args.thread not in (values["eventThread"]["javaName"] or ""):
            continue
        frames = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]
                  for f in values["stackTrace"]["frames"]]
        stack = " ".join(frames)
        owner = next((name for name, marks in OWNERS if any(m in stack for m in marks)), "other")
        owners[owner] += values["weight"]
        if owner == "other":
            others[" < ".join(frames[:4])] += values["weight"]
    total = sum(owners.values())
    print(f"{args.json}: {span:.1f} s of samples, threads '{args.thread}': {total / span / 1e6:.2f} MB/s")
    for owner, weight in owners.most_common():
        print(f"  {owner:26s} {weight / span / 1e6:6.2f} MB/s")
    for stack, weight in others.most_common(args.top):
        print(f"    {weight / span / 1e6:5.2f}  {stack[:140]}")


if __name__ == "__main__":
    main()
