#!/usr/bin/env python3
"""Print the table of bench/scan.sh from the files of one run.

usage: scan_report.py RUN_DIR "SIZES" "MIXES"
"""
import json
import os
import sys

out, sizes, mixes = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
# issue 15: scan / rg on default threads, file and pipe, either code list; -j1 on file
TARGET = {"success": 1.0, "json": 1.0, "errors": 2.0}
TARGET_J1 = {"success": 2.0, "json": 2.0}
RSS_MIB = 32
fails = []


def results(path):
    with open(path) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def t(r):
    return "%7.3f s (cpu %6.3f)" % (r["median"], r["user"] + r["system"])


def verdict(ok, what):
    if not ok:
        fails.append(what)
    return "PASS" if ok else "FAIL"


print(open(os.path.join(out, "header.txt")).read().rstrip())
for mib in sizes:
    print()
    print("== %s MiB, medians, wall (cpu = user+sys)" % mib)
    have_base = False
    rows = []
    for mix in mixes:
        tag = "%s-%sm" % (mix, mib)
        f, p = results(os.path.join(out, tag + "-file.json")), results(os.path.join(out, tag + "-pipe.json"))
        have_base = have_base or "baseline scan" in f
        for lst in ("kb", "catalog"):
            for mode, res in (("file", f), ("pipe", p)):
                rg = res["rg " + lst]
                sc = res["scan"]
                ratio = sc["median"] / rg["median"]
                row = [mix, lst, mode, t(sc), t(rg), "%5.2fx" % ratio, "<= %.1fx" % TARGET[mix],
                       verdict(ratio <= TARGET[mix], "%s %s %s scan/rg %.2fx" % (mix, lst, mode, ratio))]
                if mode == "file":
                    j1 = res["scan -j1"]
                    r1 = j1["median"] / rg["median"]
                    if mix in TARGET_J1:
                        v1 = ["<= %.1fx" % TARGET_J1[mix],
                              verdict(r1 <= TARGET_J1[mix], "%s %s file scan -j1/rg %.2fx" % (mix, lst, r1))]
                    else:
                        v1 = ["-", "-"]
                    row += [t(j1), "%5.2fx" % r1] + v1
                else:
                    row += ["", "", "", ""]
                if "baseline scan" in res:
                    row.append("%5.2fx" % (res["baseline scan"]["median"] / rg["median"]))
                    row.append("%5.2fx" % (res["baseline scan -j1"]["median"] / rg["median"]) if mode == "file" else "")
                rows.append(row)
    head = ["mix", "codes", "mode", "paydoctor scan", "rg -c -F -f CODES", "ratio", "target", "",
            "paydoctor scan -j1", "ratio", "target", ""]
    if have_base:
        head += ["baseline", "base -j1"]
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())

    print()
    print("peak RSS (target <= %d MiB) and linearity (time(%s MiB) / time(%d MiB), target 3.6x..4.4x)" % (
        RSS_MIB, mib, int(mib) // 4))
    for mix in mixes:
        tag = "%s-%sm" % (mix, mib)
        rss = {}
        for line in open(os.path.join(out, tag + "-rss.txt")):
            who, mode, kib = line.split()
            rss[(who, mode)] = int(kib) / 1024
        f, q = results(os.path.join(out, tag + "-file.json")), results(os.path.join(out, tag + "-quarter.json"))
        lin = f["scan"]["median"] / q["scan"]["median"]
        peak = max(rss[("scan", "file")], rss[("scan", "pipe")])
        line = "  %-8s RSS file %5.1f MiB, pipe %5.1f MiB  %s    linearity %5.2fx (%.3f s / %.3f s)  %s" % (
            mix, rss[("scan", "file")], rss[("scan", "pipe")],
            verdict(peak <= RSS_MIB, "%s peak RSS %.1f MiB" % (mix, peak)), lin, f["scan"]["median"],
            q["scan"]["median"], verdict(3.6 <= lin <= 4.4, "%s linearity %.2fx" % (mix, lin)))
        if ("baseline", "file") in rss:
            line += "    baseline: RSS %.1f / %.1f MiB, linearity %.2fx" % (
                rss[("baseline", "file")], rss[("baseline", "pipe")],
                f["baseline scan"]["median"] / q["baseline scan"]["median"])
        print(line)

    print()
    print("what scan reported (bench/check_scan.py: scan --ndjson against the error lines the generator wrote)")
    for mix in mixes:
        try:
            with open(os.path.join(out, "%s-%sm-check.txt" % (mix, mib))) as fh:
                text = fh.read().rstrip()
        except OSError as e:
            text = "no check (%s)" % e
        print("  %-8s %s" % (mix, text.replace("\n", "\n  " + " " * 9)))

print()
if fails:
    print("%d target(s) FAIL: %s" % (len(fails), "; ".join(fails)))
else:
    print("all targets PASS")
