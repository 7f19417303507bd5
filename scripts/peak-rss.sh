#!/usr/bin/env bash
# Peak memory of the `bench` process over one `bench run`, and the size of the event
# logs the run wrote. Usage (alone on the machine):
#   scripts/peak-rss.sh order-happy-path --transport rabbitmq --rate 200 --duration 30s
# Prints the bench process's peak RSS (VmHWM, sampled every 200 ms from /proc), its RSS
# at each quarter of the run, the orders accepted, the events/ directory's size and the
# bytes it took per order.
#
# Measured on this 2-core machine, RabbitMQ, 200 orders/s, every order accepted:
#   before the streaming check and the compact log: 30 s 208.3 MB, 180 s 549.5 MB (2.64x), 5.2 KB per order
#   after: 30 s 162.8 MB, 180 s 164.8 MB (1.01x; both peaks during the load), 0.61-0.63 KB per order
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/bench-peak-rss.XXXXXX)
node bin/bench.js run "$@" --out "$out" --no-report >"$out/stdout.txt" 2>"$out/stderr.txt" &
pid=$!
started=$(date +%s.%N)
: >"$out/rss.tsv"
servicePeakKb=0
while kill -0 "$pid" 2>/dev/null; do
  if status=$(cat "/proc/$pid/status" 2>/dev/null); then
    rss=$(awk '/^VmRSS/ {print $2}' <<<"$status")
    hwm=$(awk '/^VmHWM/ {print $2}' <<<"$status")
    [ -n "$rss" ] && printf '%s\t%s\t%s\n' "$(echo "$(date +%s.%N) - $started" | bc)" "$rss" "$hwm" >>"$out/rss.tsv"
  fi
  # the service processes' peaks too (their de-duplication memory grows with the run)
  for child in $(pgrep -P "$pid" || true); do
    chwm=$(awk '/^VmHWM/ {print $2}' "/proc/$child/status" 2>/dev/null || true)
    [ -n "$chwm" ] && [ "$chwm" -gt "$servicePeakKb" ] && servicePeakKb=$chwm
  done
  sleep 0.2
done
wait "$pid" || echo "bench run exited $?" >&2
accepted=$(node -e 'const r=require(process.argv[1]);console.log(r.transports.reduce((n,t)=>n+t.counts.accepted,0))' "$out/result.json")
peakKb=$(tail -1 "$out/rss.tsv" | cut -f3)
awk -v peak="$peakKb" -v acc="$accepted" -v out="$out" '
  { t[NR]=$1; r[NR]=$2 } END {
    # RSS at each quarter of the run, to show where it grew
    printf "peak RSS (VmHWM): %.1f MB\n", peak/1024;
    printf "RSS over the run (MB, at 25/50/75/100%% of samples): %.1f %.1f %.1f %.1f\n", r[int(NR*0.25)]/1024, r[int(NR*0.5)]/1024, r[int(NR*0.75)]/1024, r[NR]/1024;
    printf "run wall time: %.1f s\n", t[NR];
    printf "accepted orders: %d (measured window)\n", acc;
    printf "output: %s\n", out;
  }' "$out/rss.tsv"
printf 'largest service process peak RSS (VmHWM): %.1f MB\n' "$(echo "$servicePeakKb / 1024" | bc -l)"
node --import tsx scripts/logged-orders.ts "$out"
