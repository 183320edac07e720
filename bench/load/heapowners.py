#!/usr/bin/env python3
"""Who holds the heap: live bytes of a heap dump by owner (Python 3.11 standard library only).

    jcmd <pid> GC.heap_dump FILE.hprof                 # live objects only (a full GC first)
    bench/load/heapowners.py FILE.hprof [--base IDLE.hprof] [--calls N] [--top 60] [--arrays 40]

A class histogram says "[S 4 MB" but not whose arrays those are. This reads the dump's objects and references and
charges each object's shallow size to its owner: the nearest object up the reference chain (first referrer found,
up to --depth steps) whose class is not a JDK class, e.g. a short[] inside an ArrayDeque inside a PlayoutBuffer
goes to gateway.bridge.call.PlayoutBuffer; what a class's static field holds goes to "static <class>", and what a
thread-local holds to "thread-local <the value's class>". Objects reachable only through JDK classes stay with their
own class.
It prints the owners by bytes (per call with --calls), then the primitive arrays by (type, length, owner), which is
where fixed-size per-call buffers show. With --base (a dump of the same process before the calls) every figure is
the growth from it, so what a process holds anyway drops out. Sizes are the usual 64-bit layout with compressed pointers (12-byte object
header, 16-byte array header, 4-byte references, 8-byte alignment): close to, not exactly, what the JVM uses.
"""
import argparse
import collections
import struct
import sys

BASIC = {2: 0, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # 2 = object: the id size, set at read
ARRAY_NAMES = {4: "boolean[]", 5: "char[]", 6: "float[]", 7: "double[]", 8: "byte[]", 9: "short[]", 10: "int[]",
               11: "long[]"}
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.", "[")


def align(n):
    return (n + 7) & ~7


def read(path):
    with open(path, "rb") as f:
        data = memoryview(f.read())
    end = bytes(data[:32]).index(b"\0")
    idsize = struct.unpack_from(">I", data, end + 1)[0]
    idfmt = ">Q" if idsize == 8 else ">I"
    sizes = dict(BASIC)
    sizes[2] = idsize
    pos = end + 1 + 4 + 8
    strings, class_name_id = {}, {}
    classes = {}  # class id -> (super id, [(field type)] of its own instance fields)
    objects = {}  # object id -> (class key, shallow bytes)
    refs = []     # (parent id, child id)
    total = len(data)

    def rid(p):
        return struct.unpack_from(idfmt, data, p)[0]

    while pos < total:
        tag = data[pos]
        length = struct.unpack_from(">I", data, pos + 5)[0]
        body = pos + 9
        pos = body + length
        if tag == 0x01:
            strings[rid(body)] = bytes(data[body + idsize:pos]).decode("utf-8", "replace")
        elif tag == 0x02:
            class_name_id[rid(body + 4)] = rid(body + 4 + idsize + 4)
        elif tag in (0x0C, 0x1C):
            p = body
            while p < pos:
                sub = data[p]
                p += 1
                if sub == 0xFF or sub == 0x05 or sub == 0x07:
                    p += idsize
                elif sub == 0x01:
                    p += 2 * idsize
                elif sub in (0x02, 0x03, 0x08):
                    p += idsize + 8
                elif sub in (0x04, 0x06):
                    p += idsize + 4
                elif sub == 0x20:
                    cid = rid(p)
                    sup = rid(p + idsize + 4)
                    p += idsize + 4 + 6 * idsize + 4
                    (cp,) = struct.unpack_from(">H", data, p)
                    p += 2
                    for _ in range(cp):
                        t = data[p + 2]
                        p += 3 + sizes[t]
                    (statics,) = struct.unpack_from(">H", data, p)
                    p += 2
                    for _ in range(statics):
                        t = data[p + idsize]
                        if t == 2:
                            child = rid(p + idsize + 1)
                            if child:
                                refs.append((cid, child))
                        p += idsize + 1 + sizes[t]
                    (fields,) = struct.unpack_from(">H", data, p)
                    p += 2
                    types = []
                    for _ in range(fields):
                        types.append(data[p + idsize])
                        p += idsize + 1
                    classes[cid] = (sup, types)
                elif sub == 0x21:
                    oid = rid(p)
                    cid = rid(p + idsize + 4)
                    (n,) = struct.unpack_from(">I", data, p + 2 * idsize + 4)
                    start = p + 2 * idsize + 8
                    objects[oid] = (cid, start, n)
                    p = start + n
                elif sub == 0x22:
                    oid = rid(p)
                    (count,) = struct.unpack_from(">I", data, p + idsize + 4)
                    cid = rid(p + idsize + 8)
                    start = p + 2 * idsize + 8
                    for i in range(count):
                        child = rid(start + i * idsize)
                        if child:
                            refs.append((oid, child))
                    objects[oid] = (("objarray", cid), None, align(16 + 4 * count))
                    p = start + count * idsize
                elif sub == 0x23:
                    oid = rid(p)
                    (count,) = struct.unpack_from(">I", data, p + idsize + 4)
                    t = data[p + idsize + 8]
                    objects[oid] = (("prim", t, count), None, align(16 + sizes[t] * count))
                    p += idsize + 9 + sizes[t] * count
                else:
                    sys.exit(f"unknown heap dump sub-record 0x{sub:02x} at {p - 1}")

    def name_of(cid):
        return strings.get(class_name_id.get(cid), f"class@{cid:x}").replace("/", ".")

    layouts = {}

    def layout(cid):
        if cid not in layouts:
            chain = []
            c = cid
            while c in classes:
                chain.append(classes[c][1])
                c = classes[c][0]
            layouts[cid] = [t for types in chain for t in types]
        return layouts[cid]

    keys, size = {}, {}
    for cid in classes:
        keys[cid] = "static " + name_of(cid)
        size[cid] = 0
    for oid, (cls, start, n) in objects.items():
        if start is None:
            if cls[0] == "prim":
                keys[oid] = ARRAY_NAMES.get(cls[1], "?[]") + f" {cls[2]}"
            else:
                keys[oid] = name_of(cls[1])
            size[oid] = n
            continue
        keys[oid] = name_of(cls)
        p = start
        refs_here = 0
        for t in layout(cls):
            if t == 2:
                child = rid(p)
                if child:
                    refs.append((oid, child))
                refs_here += 1
            p += sizes[t]
        size[oid] = align(12 + n - refs_here * (idsize - 4))
    parent = {}
    for a, b in refs:
        if b not in parent and a != b:
            parent[b] = a
    return keys, size, parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("hprof")
    ap.add_argument("--base", help="a dump before the calls: print the growth from it")
    ap.add_argument("--calls", type=int, default=0, help="concurrent calls in the dump, for a per-call column")
    ap.add_argument("--top", type=int, default=60)
    ap.add_argument("--arrays", type=int, default=40)
    ap.add_argument("--depth", type=int, default=12)
    a = ap.parse_args()
    steady = tally(read(a.hprof), a.depth)
    base = tally(read(a.base), a.depth) if a.base else (collections.Counter(), collections.Counter(),
                                                          collections.Counter())
    by_owner, arrays, array_counts = (subtract(x, y) for x, y in zip(steady, base))
    total = sum(by_owner.values())
    per = a.calls or 0
    what = "growth from the base dump" if a.base else "live objects"
    print(f"{what}: {total / 1024:.0f} KB (shallow sizes, estimated)")
    print(f"\n{'owner':<80} {'KB':>9}" + (f" {'KB/call':>8}" if per else ""))
    for o, b in sorted(by_owner.items(), key=lambda kv: -kv[1])[:a.top]:
        print(f"{o[:80]:<80} {b / 1024:>9.1f}" + (f" {b / 1024 / per:>8.2f}" if per else ""))
    print(f"\n{'primitive array (type length)':<22} {'owner':<60} {'count':>7} {'KB':>9}"
          + (f" {'KB/call':>8}" if per else ""))
    for (k, o), b in sorted(arrays.items(), key=lambda kv: -kv[1])[:a.arrays]:
        print(f"{k:<22} {o[:60]:<60} {array_counts[(k, o)]:>7} {b / 1024:>9.1f}"
              + (f" {b / 1024 / per:>8.2f}" if per else ""))


def subtract(x, y):
    """x - y for every key of either (negative growth kept, unlike Counter's minus)."""
    return {k: x.get(k, 0) - y.get(k, 0) for k in set(x) | set(y)}


def tally(dump, depth):
    """(bytes by owner, bytes by (array, owner), count by (array, owner)) of one dump."""
    keys, size, parent = dump

    def owner(oid):
        k = keys[oid]
        p = oid
        below = None
        for _ in range(depth):
            if k == "java.lang.ThreadLocal$ThreadLocalMap$Entry":
                return f"thread-local {below}"
            if not k.startswith(JDK) and not k.split(" ")[0].endswith("[]"):
                return k
            below = k.split(" ")[0]
            p = parent.get(p)
            if p is None or p not in keys:
                break
            k = keys[p]
        return keys[oid].split(" ")[0] + " (JDK only)"

    by_owner = collections.Counter()
    arrays = collections.Counter()
    array_counts = collections.Counter()
    for oid, k in keys.items():
        o = owner(oid)
        by_owner[o] += size[oid]
        if k.split(" ")[0] in ARRAY_NAMES.values():
            arrays[(k, o)] += size[oid]
            array_counts[(k, o)] += 1
    return by_owner, arrays, array_counts


if __name__ == "__main__":
    main()
