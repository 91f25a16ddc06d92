#!/usr/bin/env bash
# `paydoctor scan` against ripgrep on three log mixes (issue 15 item 1), page cache warm.
#
# For each size in SIZES (MiB) and each mix in MIXES, bench/gen_log.py writes a deterministic
# log (same bytes every run for a size and SEED) into bench/data (git-ignored):
#   success  success-dense shop log: one line in four a successful provider call, ~1 % errors
#   json     JSON-lines service log: mostly successful provider calls and requests, ~1 % errors
#   errors   incident log: every line a provider error of 12 kinds, ids on every line
# and hyperfine times (median of RUNS runs, user+sys CPU beside the wall time):
#   paydoctor scan --json FILE          paydoctor scan -j1 --json FILE
#   cat FILE | paydoctor scan --json
#   rg -c -F -f CODES FILE              cat FILE | rg -c -F -f CODES
# for two CODES lists: `paydoctor kb codes` (kb) and every catalog code of 4+ characters in
# knowledge/ (catalog, from bench/catalog_codes.py). Then peak RSS (GNU time) of scan, file and
# pipe, and linearity: the time of scan on SIZE against SIZE/4 (the first quarter of the same log).
# Last, what scan found on each log (its first 64 MiB), checked against what the generator wrote (bench/check_scan.py:
# findings on success or ordinary lines are false positives; the errors mix should give 12 groups).
# One table at the end, with the targets of issue 15 marked PASS/FAIL:
#   scan / rg <= 1.0x on success and json (both lists, file and pipe), <= 2.0x on errors;
#   scan -j1 / rg <= 2.0x on success and json; peak RSS <= 32 MiB;
#   time(SIZE) / time(SIZE/4) within 10 % of 4x.
# Figures hold for the core count printed in the header (nproc); take them on an idle machine
# (the load average is printed before and after the run).
#
# Environment:
#   SIZES="1024"               sizes in MiB (each also generates SIZE/4 for linearity)
#   MIXES="success json errors"
#   RUNS=5                     hyperfine runs per command (one warm-up run beside)
#   SEED=1                     generator seed: another seed gives a different log of the same mix
#   PAYDOCTOR_BIN=path         the binary to time (default: cargo build --release --locked, then
#                              target/release/paydoctor)
#   BASELINE_BIN=path          optional: a second binary (e.g. main's) timed in the same run; its
#                              ratio to ripgrep is printed beside
# Needs python3 (3.11+), hyperfine, ripgrep and GNU time:
#   apt-get install -y hyperfine ripgrep time
# Time: each paydoctor command runs RUNS+1 times per size and mix, on the file, -j1 and the pipe,
# plus SIZE/4, RSS and the check: about 25 scans of SIZE per mix. At ripgrep speed the default
# run takes minutes; a scanner at 4 MB/s on the errors mix needs about 2 hours for that mix alone
# (MIXES=..., RUNS=2 or a smaller SIZES for a first look).
# Disk: about 1.25x SIZE per mix in bench/data (3.75 GiB for the defaults). Logs are kept and
# reused; their name carries a hash of gen_log.py, so a changed generator writes new ones (and
# removes the old). Each run's results go to bench/data/run-<UTC time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in hyperfine rg python3; do
  command -v "$tool" >/dev/null || { echo "scan.sh: $tool is missing (apt-get install -y hyperfine ripgrep time python3)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "scan.sh: GNU time is missing (apt-get install -y time)" >&2; exit 2; }

if [ -z "${PAYDOCTOR_BIN:-}" ]; then cargo build --release --locked -q; fi
bin=$(realpath "${PAYDOCTOR_BIN:-target/release/paydoctor}")
base=${BASELINE_BIN:+$(realpath "$BASELINE_BIN")}
sizes=${SIZES:-1024}
mixes=${MIXES:-success json errors}
runs=${RUNS:-5}
seed=${SEED:-1}
data=bench/data
mkdir -p "$data"
gen_id=$(cat bench/gen_log.py | sha1sum | cut -c1-8)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$data/run-$stamp
mkdir -p "$out"

"$bin" kb codes >"$out/codes-kb.txt"
python3 bench/catalog_codes.py >"$out/codes-catalog.txt"
kb_codes=$out/codes-kb.txt
cat_codes=$out/codes-catalog.txt

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "paydoctor scan against ripgrep  ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  echo "machine: $(nproc) cores (nproc), ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  awk -v n="$(nproc)" '$1 > n / 4 {print "WARNING: the machine is busy (1-minute load " $1 " on " n " cores): these figures are polluted"}' /proc/loadavg
  echo "paydoctor: $bin ($("$bin" --version))"
  [ -n "$base" ] && echo "baseline:  $base ($("$base" --version))"
  echo "$(rg --version | head -1), $(hyperfine --version), GNU time; runs=$runs seed=$seed sizes=$sizes MiB"
  echo "code lists: kb = paydoctor kb codes ($(wc -l <"$kb_codes") codes), catalog = every catalog code of 4+ characters ($(wc -l <"$cat_codes") codes)"
} >"$out/header.txt"
cat "$out/header.txt" >&2

# gen MIX MIB: the path of that log, written if missing (through a temporary file)
gen() {
  local f=$data/$1-${2}m-s$seed-$gen_id.log
  if [ ! -s "$f" ]; then
    rm -f "$data/$1-${2}m-s$seed"-*.log # those of an older generator
    echo "generating $f ..." >&2
    python3 bench/gen_log.py --mix "$1" $(($2 << 20)) "$seed" >"$f.tmp"
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# peak RSS in KiB of a command line run by bash
rss() { /usr/bin/time -f %M -o "$out/rss.tmp" bash -c "$1" >/dev/null; tail -1 "$out/rss.tmp"; }

hf() { hyperfine -i --warmup 1 --runs "$runs" --style basic "$@" >>"$out/hyperfine.log" 2>&1; }

for mib in $sizes; do
  quarter=$((mib / 4))
  [ "$quarter" -ge 1 ] || { echo "scan.sh: SIZES must be 4 MiB or more" >&2; exit 2; }
  for mix in $mixes; do
    log=$(gen "$mix" "$mib")
    qlog=$(gen "$mix" "$quarter")
    tag=$mix-${mib}m
    cat "$log" "$qlog" >/dev/null # warm the page cache
    echo "timing $tag: file ..." >&2
    set -- -n "scan" "$bin scan --json $log" -n "scan -j1" "$bin scan -j1 --json $log" \
      -n "rg kb" "rg -c -F -f $kb_codes $log" -n "rg catalog" "rg -c -F -f $cat_codes $log"
    [ -n "$base" ] && set -- "$@" -n "baseline scan" "$base scan --json $log" -n "baseline scan -j1" "$base scan -j1 --json $log"
    hf -N --export-json "$out/$tag-file.json" "$@"
    echo "timing $tag: pipe ..." >&2
    set -- -n "scan" "cat $log | $bin scan --json" \
      -n "rg kb" "cat $log | rg -c -F -f $kb_codes" -n "rg catalog" "cat $log | rg -c -F -f $cat_codes"
    [ -n "$base" ] && set -- "$@" -n "baseline scan" "cat $log | $base scan --json"
    hf --export-json "$out/$tag-pipe.json" "$@"
    echo "timing $tag: linearity ($quarter MiB) ..." >&2
    set -- -n "scan" "$bin scan --json $qlog"
    [ -n "$base" ] && set -- "$@" -n "baseline scan" "$base scan --json $qlog"
    hf -N --export-json "$out/$tag-quarter.json" "$@"
    echo "peak RSS $tag ..." >&2
    {
      echo "scan file $(rss "$bin scan --json $log")"
      echo "scan pipe $(rss "cat $log | $bin scan --json")"
      if [ -n "$base" ]; then
        echo "baseline file $(rss "$base scan --json $log")"
        echo "baseline pipe $(rss "cat $log | $base scan --json")"
      fi
    } >"$out/$tag-rss.txt"
    rm -f "$out/rss.tmp"
    # the check reads one finding a line: on the errors mix that is ~2 GB for 1 GiB, so it runs on
    # the first 64 MiB at most (a prefix of the same log)
    cmib=$((mib < 64 ? mib : 64))
    clog=$(gen "$mix" "$cmib")
    echo "checking what scan reported on the first $cmib MiB of $tag ..." >&2
    "$bin" scan --ndjson "$clog" >"$out/scan.ndjson" || true
    { echo "(first $cmib MiB)"; python3 bench/check_scan.py "$clog" "$out/scan.ndjson" 2>&1; } >"$out/$tag-check.txt" || true
    rm -f "$out/scan.ndjson"
  done
done

{
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  awk -v n="$(nproc)" '$1 > n {print "WARNING: the machine was busy at the end (1-minute load " $1 " on " n " cores, its own scans included): figures polluted"}' /proc/loadavg
} >>"$out/header.txt"
python3 bench/scan_report.py "$out" "$sizes" "$mixes" | tee "$out/report.txt"
echo "(raw hyperfine JSON, scan output and this report: $out)"
