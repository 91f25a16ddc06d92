#!/usr/bin/env bash
# What redaction costs `scan`: the share of all instructions (callgrind, one thread, so
# the count is repeatable on a busy machine) spent masking records and the report on its
# way out, on the benchmark log (about 1 % errors among ordinary traffic) and on a log made
# only of the knowledge base's error samples, in every output format. Goal: <= 5 %.
# Needs python3 and valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bin=$PWD/target/release/paydoctor
data=bench/data
mkdir -p "$data"
mixed=$data/app-16m.log
[ -s "$mixed" ] || python3 bench/gen_log.py $((16 << 20)) >"$mixed"
errors=$data/errors-4m.log
if [ ! -s "$errors" ]; then
  grep -E 'error|declin|invalid|fail|Exception|denied|refused' "$mixed" | head -c $((4 << 20)) >"$errors"
fi
echo "machine: $(nproc) cores, $(uname -m); $(valgrind --version)"
for log in "$mixed" "$errors"; do
  echo "== $log: $(wc -l <"$log") lines"
  for fmt in "" --json --ndjson; do
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" scan -j1 $fmt "$log" >/dev/null 2>&1 || true
    callgrind_annotate --inclusive=yes "$out" 2>/dev/null | python3 -c '
import re, sys
total = None
redaction = 0
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(\S.*)", line)
    if not m:
        t = re.match(r"\s*([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", line)
        if t:
            total = int(t.group(1).replace(",", ""))
        continue
    n, fn = int(m.group(1).replace(",", "")), m.group(2)
    if "PROGRAM TOTALS" in fn:
        total = n
    # the two entry points: records masked as they are sampled, lines masked on the way out
    elif re.search(r"paydoctor::redact::Redactor::line\b|paydoctor::output::Redacted<.*> as std::io::Write>::write\b", fn):
        redaction += n
fmt = sys.argv[1] or "(human)"
print(f"  scan {fmt:<9} total {total:>15,} instr   redaction {redaction:>13,}  {100 * redaction / total:5.2f} %")
' "$fmt"
    rm -f "$out"
  done
done
