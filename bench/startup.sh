#!/usr/bin/env bash
# Start-up cost of `explain` against `--version` (the floor: process start and exit).
# Goal: explain 412 invalid_token <= 1.3x paydoctor --version. Needs hyperfine
# (apt-get install hyperfine); falls back to a plain loop otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bin=target/release/paydoctor
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 20 --runs 300 --export-json /tmp/paydoctor-startup.json \
    "$bin --version" "$bin explain 412 invalid_token" "$bin explain --json 401"
  python3 - <<'PY'
import json
r = json.load(open('/tmp/paydoctor-startup.json'))['results']
base = r[0]['median']
for x in r:
    print(f"{x['command']:<55} median {x['median']*1e3:7.3f} ms  {x['median']/base:5.2f}x --version")
PY
else
  for cmd in "--version" "explain 412 invalid_token"; do
    start=$(date +%s%N)
    for _ in $(seq 300); do $bin $cmd >/dev/null; done
    end=$(date +%s%N)
    echo "$cmd: $(( (end - start) / 300000 )) us per run"
  done
fi

# Instruction counts are repeatable even on a busy machine (valgrind is on every machine here).
if command -v valgrind >/dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
  base=$(count $bin --version)
  for args in "--version" "explain 412 invalid_token" "explain --json 401"; do
    n=$(count $bin $args)
    echo "instructions: $bin $args: $n ($(python3 -c "print(f'{$n/$base:.2f}')")x --version)"
  done
fi
