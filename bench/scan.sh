#!/usr/bin/env bash
# Throughput of `paydoctor scan` on a generated log (deterministic: same bytes every run),
# against ripgrep counting the knowledge base's distinctive codes as fixed strings and
# `wc -l`; on the file and from a pipe; peak RSS; 256 MiB against 1 GiB for linearity.
# Targets: scan <= 1.2x ripgrep's time; peak RSS <= 32 MiB whatever the size. Both the default
# (one thread per core) and -j1 are timed; hyperfine's CPU time is shown beside each median.
# Needs python3, ripgrep, hyperfine and GNU time (apt-get install ripgrep hyperfine time).
# The logs go to bench/data (git-ignored, about 1.3 GB). SIZES="256 1024" (MiB) by default.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bin=$PWD/target/release/paydoctor
data=bench/data
mkdir -p "$data"
"$bin" kb codes >"$data/codes.txt"
runs=${RUNS:-5}

for mib in ${SIZES:-256 1024}; do
  log=$data/app-${mib}m.log
  if [ ! -s "$log" ]; then
    echo "generating $log ..." >&2
    python3 bench/gen_log.py $((mib << 20)) >"$log"
  fi
  cat "$log" >/dev/null # warm the page cache
  echo "== $mib MiB: $(wc -l <"$log") lines"
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$data/scan-${mib}m.json" \
    -n "paydoctor scan FILE" "$bin scan --json $log" \
    -n "paydoctor scan -j1 FILE" "$bin scan -j1 --json $log" \
    -n "rg -c -F -f codes.txt FILE" "rg -c -F -f $data/codes.txt $log" \
    -n "wc -l FILE" "wc -l $log" >/dev/null
  hyperfine --warmup 1 --runs "$runs" --export-json "$data/pipe-${mib}m.json" \
    -n "cat FILE | paydoctor scan" "cat $log | $bin scan --json" \
    -n "cat FILE | rg -c -F -f codes.txt" "cat $log | rg -c -F -f $data/codes.txt" >/dev/null
  python3 - "$data/scan-${mib}m.json" "$data/pipe-${mib}m.json" <<'PY'
import json, sys
rows = []
for path in sys.argv[1:]:
    rows += json.load(open(path))["results"]
med = {r["command"]: r["median"] for r in rows}
for r in rows:
    print(f"  {r['command']:<36} median {r['median']:8.3f} s  (cpu {r['user'] + r['system']:.3f} s)")
print(f"  scan -j1 / rg (file): {med['paydoctor scan -j1 FILE'] / med['rg -c -F -f codes.txt FILE']:.2f}x")
print(f"  scan / rg (file): {med['paydoctor scan FILE'] / med['rg -c -F -f codes.txt FILE']:.2f}x"
      f"   scan / rg (pipe): {med['cat FILE | paydoctor scan'] / med['cat FILE | rg -c -F -f codes.txt']:.2f}x")
PY
  rss=$(/usr/bin/time -v "$bin" scan --json "$log" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
  echo "  paydoctor peak RSS: $((rss / 1024)) MiB"
  "$bin" scan --json "$log" | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print("  summary:", s)'
done
