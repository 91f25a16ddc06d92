#!/usr/bin/env bash
# The cost of company knowledge: `scan` of a LINES-line log (bench/gen_log.py, with one error
# of the company's own every 100 lines) and `explain` of a few inputs, without `--kb` and with
# generated company folders of each size in ENTRIES (bench/gen_company_kb.py). Each figure is
# the median of RUNS runs (wall and CPU seconds, peak RSS from GNU time), printed beside the
# no-`--kb` baseline of the same run. Targets: per-line cost within 2x of the baseline, peak
# RSS <= 64 MiB with 30,000 entries. `load` is `kb stats`: reading and merging the folder,
# paid once per process. Needs python3 and GNU time. Data in bench/data (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
# BIN=path: time that binary instead of building this tree's
if [ -z "${BIN:-}" ]; then cargo build --release --locked -q; fi
bin=${BIN:-$PWD/target/release/paydoctor}
data=bench/data
mkdir -p "$data"
lines=${LINES:-100000}
runs=${RUNS:-3}
sizes=${ENTRIES:-30000 100000}

for n in $sizes; do
  [ -d "$data/kb-$n" ] || python3 bench/gen_company_kb.py "$n" "$data/kb-$n"
done
log=$data/company-$lines.log
if [ ! -s "$log" ]; then
  echo "generating $log ..." >&2
  first=${sizes%% *}
  python3 bench/gen_log.py $((lines * 160)) >"$log.tmp"
  awk -v samples="$data/kb-$first.samples" -v lines="$lines" '
    BEGIN { while ((getline s < samples) > 0) company[n++] = s }
    { print; if (++out == lines) exit }
    NR % 100 == 0 { printf "2024-05-01T10:%02d:%02d.000Z ERROR [worker-%d] payment failed: %s\n",
                    (NR / 6000) % 60, (NR / 100) % 60, NR % 8, company[(NR / 100) % n]
                    if (++out == lines) exit }' "$log.tmp" >"$log"
  rm "$log.tmp"
fi
cat "$log" >/dev/null

# median of RUNS runs of a command: "wall cpu rss_mib"
measure() {
  for _ in $(seq "$runs"); do
    { /usr/bin/time -f '%e %U %S %M' "$@" 2>&1 >/dev/null || true; } | tail -n 1
  done | awk '{ print $1, $2 + $3, $4 / 1024 }' | sort -n | awk '{ r[NR] = $0 } END { print r[int((NR + 1) / 2)] }'
}

explains=(
  "412 invalid_token"
  '{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}'
  "$(sed -n 7p "$data/kb-${sizes%% *}.samples")"
  "Settlement batch was rejected by the upstream processor during nightly settlement"
)

row() { # label base figures
  python3 - "$@" <<'PY'
import sys
label, base, got = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
b, g = [float(x) for x in base], [float(x) for x in got]
print(f"  {label:<28} wall {g[0]:7.2f} s ({g[0] / max(b[0], 0.005):5.2f}x)  cpu {g[1]:7.2f} s"
      f" ({g[1] / max(b[1], 0.005):5.2f}x)  rss {g[2]:6.1f} MiB (baseline {b[2]:.1f})")
PY
}

echo "== scan of $(wc -l <"$log") lines, explain of ${#explains[@]} inputs, median of $runs runs"
base_scan=$(measure "$bin" scan --json "$log")
base_j1=$(measure "$bin" scan -j1 --json "$log")
base_load=$(measure "$bin" kb stats)
base_explain=()
for e in "${explains[@]}"; do base_explain+=("$(measure "$bin" explain --json "$e")"); done
echo "  baseline (no --kb): scan $base_scan | scan -j1 $base_j1 | kb stats $base_load   (wall s, cpu s, MiB)"
for n in $sizes; do
  kb=(--kb "$data/kb-$n")
  echo "-- --kb with $n entries ($(du -sh "$data/kb-$n" | cut -f1))"
  row "load (kb stats)" "$base_load" "$(measure "$bin" "${kb[@]}" kb stats)"
  row "scan" "$base_scan" "$(measure "$bin" "${kb[@]}" scan --json "$log")"
  row "scan -j1" "$base_j1" "$(measure "$bin" "${kb[@]}" scan -j1 --json "$log")"
  for i in "${!explains[@]}"; do
    row "explain #$((i + 1))" "${base_explain[$i]}" "$(measure "$bin" "${kb[@]}" explain --json "${explains[$i]}")"
  done
  "$bin" "${kb[@]}" scan --json "$log" |
    python3 -c 'import json,sys; s=json.load(sys.stdin); print("  findings:", s["summary"])'
done
