#!/usr/bin/env python3
"""Check `paydoctor scan --ndjson` on a log of bench/gen_log.py against what the generator wrote.

The generator marks every error it writes: a line with ` ERROR ` (plain mixes) or
`"level":"error"` (json mix), and the continuation lines of a multi-line error (pretty-printed
JSON, a stack trace), which begin with white space, `{`, `}` or `#`. A finding none of whose
lines is such a line was reported on a success or an ordinary line: a false positive; an error
(its first line and its continuation lines) that no finding covers was missed. Prints the
counts, the entries of the false positives with a sample line, a few missed errors, and, when
there are few, every finding group with its count.

usage: check_scan.py LOG SCAN.ndjson
"""
import collections
import json
import sys

log, ndjson = sys.argv[1], sys.argv[2]


def is_error(line):
    if " ERROR " in line or '"level":"error"' in line:
        return True
    return line[:1] in (" ", "\t", "}", "#") or (line[:1] == "{" and not line.startswith('{"ts"'))


findings, patterns, summary = [], [], {}
with open(ndjson) as f:
    for raw in f:
        o = json.loads(raw)
        kind = o.get("type")
        if kind == "finding":
            findings.append(o)
        elif kind == "pattern":
            patterns.append(o)
        elif kind == "summary":
            summary = o

want = set()
for o in findings:
    want.update(range(o["line"], o.get("end_line", o["line"]) + 1))
error_lines = 0
marks = {}
records = []  # [first line, last line, text of the first line] of every error the generator wrote
with open(log, errors="replace") as f:
    for n, line in enumerate(f, 1):
        e = is_error(line)
        error_lines += e
        if e:
            if records and records[-1][1] == n - 1 and " ERROR " not in line and '"level":"error"' not in line:
                records[-1][1] = n  # a continuation line
            else:
                records.append([n, n, line.rstrip("\n")])
        if n in want:
            marks[n] = (e, line.rstrip("\n"))

false = collections.Counter()
false_sample = {}
groups = collections.Counter()
for o in findings:
    key = "%s:%s" % (o.get("provider"), o.get("entry"))
    groups[key] += 1
    lines = range(o["line"], o.get("end_line", o["line"]) + 1)
    if not any(marks.get(n, (False, ""))[0] for n in lines):
        false[key] += 1
        false_sample.setdefault(key, marks.get(o["line"], (False, "?"))[1])

missed = [r for r in records if not any(n in want for n in range(r[0], r[1] + 1))]
print("errors written %d (%d lines); findings %d, groups %d, patterns %d; findings on non-error lines: %d; "
      "errors with no finding: %d" % (len(records), error_lines, len(findings), len(groups), len(patterns),
                                     sum(false.values()), len(missed)))
for key, n in false.most_common(12):
    sample = false_sample[key]
    print("    false %6d  %-40s %s" % (n, key, sample[:150] + ("..." if len(sample) > 150 else "")))
if len(false) > 12:
    print("    ... and %d more entries" % (len(false) - 12))
for r in missed[:5]:
    print("    missed line %d: %s" % (r[0], r[2][:170] + ("..." if len(r[2]) > 170 else "")))
if len(groups) <= 20:
    for key, n in groups.most_common():
        print("    group %6d  %s" % (n, key))
kinds = collections.Counter(p.get("kind") for p in patterns)
if kinds:
    print("    patterns: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
