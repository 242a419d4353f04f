#!/usr/bin/env bash
# bench/run.sh — performance benchmarks of the DichVuCong portal (see bench/README.md, docs/performance.md).
#
# Usage:  bash bench/run.sh            (from anywhere; takes about 12 minutes)
#
# What it does, in order:
#   1. Publishes src/DichVuCong.Web in Release to bench/out/app (build files go to bench/out/artifacts,
#      nothing is written under src/).
#   2. Builds and runs bench/SearchBench (assembly DichVuCong.Bench): SearchProceduresHandler.Rank over
#      5,000 procedures, ~12 queries, median and p99 in ms.
#   3. For each provider (SQLite, then PostgreSQL on a throwaway cluster started here and deleted at the
#      end, also on failure): starts the published portal with a fresh data dir bench/out/data-<provider>,
#      pinned to core 0 (`taskset -c 0`), waits for /health, warms up, saves /thu-tuc to
#      bench/out/thu-tuc.html, then measures with `taskset -c 1 wrk -t1 -c32 -d15s --latency`:
#        nginx (1 worker on core 0) serving that saved HTML as a static file — the reference;
#        /thu-tuc; /thu-tuc?q=khai+sinh; /api/v1/procedures?q=dang+ky; /thu-tuc/1.001193;
#        /api/v1/procedures/1.001193.
#      Records requests/s, p50, p99, the server's CPU time per request (portal or nginx, plus PostgreSQL),
#      the CPU used meanwhile by other processes (to flag skewed runs), the portal's peak RSS (VmHWM) and
#      the sizes of /, /thu-tuc, /thu-tuc/1.001193 (and /css/site.css) uncompressed, with
#      Accept-Encoding: br and gzip.
#      Also the size of the wizard's e-form step (tờ khai) of a fresh draft of 1.001193, signed in as the demo
#      citizen with a cookie, as a browser is.
#      Then (unless BENCH_LOOKUP=0) the lookup by code: a few dossiers are submitted (SubmitBench `codes`), and
#      GET /api/v1/lookup/{code} on the portal is measured with the same wrk settings, then bench/LookupBench,
#      a bare minimal API running the same SQL through Npgsql (SQLite pass: Microsoft.Data.Sqlite), on core 0
#      against the same database with the portal left idle (bench/out/lookup.tsv; ratio portal ÷ bare).
#      Then (unless BENCH_SUBMIT=0) bench/SubmitBench: 8 workers loop WHOLE submissions through the API as
#      the demo citizen (draft, applicant, uploads of a 100 KB PDF, delivery, submit) against a bare
#      ASP.NET Core app that only writes the same upload to disk; ratio of operations/s (bench/out/submit.md).
#   4. Start-up time: 5 starts of the published portal on the already migrated+seeded SQLite database,
#      launch until /health answers 200, median; same for a `dotnet new webapp` template published in
#      Release (bench/out/template, created once from bench/out/template-src), until / answers 200.
#   Before steps 2, 3 (each provider) and 4 it waits, bounded, until the machine is idle (other work,
#   such as a test run, would skew the figures).
#   5. Prints the results as Markdown and writes them to bench/out/results.md (raw wrk output: bench/out/wrk-*.txt).
#
# Requirements: .NET 10 SDK, wrk, nginx, curl, taskset (util-linux), ss (iproute2), 2+ cores;
# PostgreSQL server binaries in $PG_BIN (default /usr/lib/postgresql/15/bin) for the PostgreSQL pass.
# As root, initdb/pg_ctl run as the `postgres` account (runuser).
#
# Knobs (environment): BENCH_DURATION (15s), BENCH_CONNECTIONS (32), BENCH_WARMUP (5s),
# BENCH_PROVIDERS ("Sqlite PostgreSQL"), BENCH_STARTUP_RUNS (5), BENCH_SEARCH_COUNT (5000),
# BENCH_SEARCH_ITERATIONS (200), BENCH_SUBMIT (1; 0 skips SubmitBench), BENCH_SUBMIT_WORKERS (8),
# BENCH_SUBMIT_WARMUP (30 s: the portal's tiered JIT is still recompiling hot methods after 10 s of submissions), BENCH_SUBMIT_DURATION (20 s), BENCH_QUIET_MAX (15 % busy), BENCH_QUIET_TIMEOUT (900 s), PG_BIN,
# BENCH_LOOKUP (1; 0 skips the lookup runs), BENCH_SEARCH (1; 0 skips SearchBench),
# BENCH_PUBLISH (1; 0 reuses bench/out/app from an earlier run — for quick checks of the script, not for figures).
# BENCH_STARTUP_RUNS=0 skips the start-up series.
# For quick checks of the script: BENCH_PUBLISH=0 BENCH_SEARCH=0 BENCH_SUBMIT=0 BENCH_STARTUP_RUNS=0
# BENCH_DURATION=3s BENCH_WARMUP=1s BENCH_QUIET_TIMEOUT=0 BENCH_PROVIDERS=PostgreSQL bash bench/run.sh
# All traffic goes to 127.0.0.1 only; every step is bounded in time (timeout, wrk -d, polling deadlines).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out"
APP="$OUT/app"
ARTIFACTS="$OUT/artifacts"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WARMUP="${BENCH_WARMUP:-5s}"
PROVIDERS="${BENCH_PROVIDERS:-Sqlite PostgreSQL}"
STARTUP_RUNS="${BENCH_STARTUP_RUNS:-5}"
SEARCH_COUNT="${BENCH_SEARCH_COUNT:-5000}"
SEARCH_ITERATIONS="${BENCH_SEARCH_ITERATIONS:-200}"
SUBMIT="${BENCH_SUBMIT:-1}"
SUBMIT_WORKERS="${BENCH_SUBMIT_WORKERS:-8}"
SUBMIT_DURATION="${BENCH_SUBMIT_DURATION:-20}"
SUBMIT_WARMUP="${BENCH_SUBMIT_WARMUP:-30}"
LOOKUP="${BENCH_LOOKUP:-1}"
SEARCH="${BENCH_SEARCH:-1}"
PUBLISH="${BENCH_PUBLISH:-1}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
SERVER_CPU=0
CLIENT_CPU=1
CODE="1.001193"
DEMO_PASSWORD="Bench-Demo-Password-2026"  # Identity rules: 10+ chars, upper, lower, digit

PORTAL_PID=""
NGINX_PID=""
LOOKUP_PID=""
PG_DIR=""
PG_PORT=""

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------- cleanup

stop_pid() { # pid [seconds]: SIGTERM, then SIGKILL after the grace period; only our own children.
    local pid=$1 grace=${2:-20} i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop in ${grace}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

stop_portal() { stop_pid "$PORTAL_PID" 30; PORTAL_PID=""; }
stop_nginx() { stop_pid "$NGINX_PID" 10; NGINX_PID=""; }
stop_lookup_app() { stop_pid "$LOOKUP_PID" 10; LOOKUP_PID=""; }

as_pg() { # runs a PostgreSQL tool; initdb refuses root, so as root it runs as the postgres account
    if [[ $EUID -eq 0 ]]; then
        (cd "$PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

stop_postgres() {
    [[ -n $PG_DIR ]] || return 0
    if [[ -f $PG_DIR/data/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    cp "$PG_DIR/server.log" "$OUT/postgres-server.log" 2>/dev/null || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}

cleanup() {
    local rc=$?
    trap - EXIT
    stop_portal
    stop_nginx
    stop_lookup_app
    stop_postgres
    if [[ $rc -ne 0 ]]; then log "failed (exit $rc); logs are in $OUT"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------- helpers

free_port() {
    local port _
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 30000))
        if [[ -z $(ss -Htan "( sport = :$port )" 2>/dev/null) ]]; then
            echo "$port"
            return 0
        fi
    done
    die "no free TCP port found"
}

http_code() { # url → HTTP status (000 when nothing answers)
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null || true
}

wait_for_200() { # url pid seconds
    local url=$1 pid=$2 seconds=$3 deadline=$((SECONDS + $3))
    while [[ $(http_code "$url") != 200 ]]; do
        kill -0 "$pid" 2>/dev/null || return 1
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

now_ns() { date +%s%N; }

start_portal() { # provider data-dir port connection-string log-file
    local provider=$1 data=$2 port=$3 conn=$4 logfile=$5
    mkdir -p "$data"
    # cwd = the app folder, so appsettings.json (logging levels) is found as in a normal deployment;
    # every data path is absolute and under $data. The public lookup is rate limited per client address
    # (RateLimits:LookupPerMinute, 30 by default); wrk is one address, so the bench raises the limit through
    # configuration, as an operator would.
    (cd "$APP" && RateLimits__LookupPerMinute=1000000000 exec taskset -c "$SERVER_CPU" dotnet "$APP/DichVuCong.Web.dll" \
        --urls "http://127.0.0.1:$port" \
        "--Database:Provider=$provider" \
        "--ConnectionStrings:Default=$conn" \
        "--Storage:Root=$data/files" \
        "--Seed:DemoPassword=$DEMO_PASSWORD") >>"$logfile" 2>&1 &
    PORTAL_PID=$!
}

to_ms() { # wrk latency such as 812.00us, 1.23ms, 1.02s, 1.50m → milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

duration_seconds() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; print int(n) }'; }

CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)
SERVER_ROOTS=""   # pids whose process trees do the server-side work being measured (portal/nginx, PostgreSQL)
DB_ROOTS=""       # the PostgreSQL postmaster, when there is one (its share is also shown on its own)

proc_cpu() { # pid... → utime+stime+cutime+cstime summed over those processes, in clock ticks
    local pid total=0 t
    for pid in "$@"; do
        t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }') || true
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

server_cpu() { # [roots] → CPU ticks used so far by those processes (default: the server's) and their children
    local root pids=()
    for root in ${1:-$SERVER_ROOTS}; do
        pids+=("$root")
        mapfile -t -O "${#pids[@]}" pids < <(ps -o pid= --ppid "$root" 2>/dev/null | tr -d ' ')
    done
    proc_cpu "${pids[@]}"
}

children_cpu() { # CPU ticks of this shell's finished children (wrk runs as one of them)
    sed 's/.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'
}

machine_busy() { # "busy-ticks total-ticks" of all cores since boot (busy: user nice system irq softirq steal)
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

busy_percent_over() { # seconds → % of all cores busy meanwhile
    local a b
    a=$(machine_busy)
    sleep "$1"
    b=$(machine_busy)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2]; printf "%.0f", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }'
}

QUIET_MAX="${BENCH_QUIET_MAX:-15}"
QUIET_TIMEOUT="${BENCH_QUIET_TIMEOUT:-900}"
QUIET_LOG=()
wait_quiet() { # section: wait (bounded) until other work on the machine stops, so it does not skew the figures
    local section=$1 busy deadline=$((SECONDS + QUIET_TIMEOUT)) waited=0
    while :; do
        busy=$(busy_percent_over 3)
        if ((busy <= QUIET_MAX)); then break; fi
        if ((SECONDS >= deadline)); then
            log "WARNING: the machine is still ${busy}% busy with other work; measuring $section anyway"
            break
        fi
        log "the machine is ${busy}% busy with other work (> ${QUIET_MAX}%); waiting before $section"
        waited=1
        sleep 10
    done
    local note=""
    if [[ $waited == 1 ]]; then note=" (after waiting)"; fi
    QUIET_LOG+=("$section: ${busy}% busy before measuring$note")
}

WRK_TSV="$OUT/wrk.tsv"
LOOKUP_TSV="$OUT/lookup.tsv"
run_wrk() { # provider label url slug [tsv file, default $WRK_TSV]
    local provider=$1 label=$2 url=$3 slug=$4 tsv=${5:-$WRK_TSV} file status rps p50 p99 non2xx errors requests
    local t0 t1 s0 s1 c0 c1 m0 m1 d0=0 d1=0 cpu_us db_us="" other
    file="$OUT/wrk-$provider-$slug.txt"
    status=$(http_code "$url")
    log "$provider: $label  ($url → HTTP $status)"
    local stat0 stat1
    stat0=$(head -1 /proc/stat)
    m0=$(machine_busy); s0=$(server_cpu); c0=$(children_cpu); t0=$(now_ns)
    if [[ -n $DB_ROOTS ]]; then d0=$(server_cpu "$DB_ROOTS"); fi
    timeout $(($(duration_seconds "$DURATION") + 60)) \
        taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency "$url" >"$file" 2>&1 \
        || die "wrk failed for $url: $(tail -5 "$file")"
    if [[ -n $DB_ROOTS ]]; then d1=$(server_cpu "$DB_ROOTS"); fi
    t1=$(now_ns); c1=$(children_cpu); s1=$(server_cpu); m1=$(machine_busy)
    stat1=$(head -1 /proc/stat)
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$file")
    requests=$(awk '/requests in/ { print $1 }' "$file")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    errors=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$file")
    # Server CPU per request (portal, or nginx, plus PostgreSQL): steady even when throughput is noisy.
    cpu_us=$(awk -v d=$((s1 - s0)) -v r="${requests:-0}" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (r > 0 ? d / hz * 1e6 / r : 0) }')
    if [[ -n $DB_ROOTS ]]; then
        db_us=$(awk -v d=$((d1 - d0)) -v r="${requests:-0}" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (r > 0 ? d / hz * 1e6 / r : 0) }')
    fi
    # CPU used by anything else on the machine meanwhile, as % of all cores: should be ~0.
    other=$(awk -v m0="$m0" -v m1="$m1" -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v ns=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$NCPU" 'BEGIN {
        split(m0, a, " "); split(m1, b, " "); busy = b[1] - a[1] - s - c; if (busy < 0) busy = 0
        printf "%.0f", 100 * busy / (ns / 1e9 * hz * n) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$provider" "$label" "$status" "$rps" "$p50" "$p99" \
        "${non2xx:-0}" "${errors:-0}" "${requests:-0}" "$cpu_us${db_us:+ (DB $db_us)}" "$other" >>"$tsv"
    printf '%s\t%s\tmachine %s → %s\tserver %s → %s (%s)\tchildren %s → %s\telapsed_ns %s\n' "$provider" "$label" \
        "$m0" "$m1" "$s0" "$s1" "$SERVER_ROOTS" "$c0" "$c1" $((t1 - t0)) >>"$OUT/cpu-accounting.txt"
    printf '    /proc/stat before: %s\n    /proc/stat after:  %s\n' "$stat0" "$stat1" >>"$OUT/cpu-accounting.txt"
}

warm_up() { # url
    timeout $(($(duration_seconds "$WARMUP") + 30)) \
        taskset -c "$CLIENT_CPU" wrk -t1 -c8 -d"$WARMUP" --timeout 5s "$1" >/dev/null 2>&1 || die "warm-up failed for $1"
}

SIZES_TSV="$OUT/sizes.tsv"
page_sizes() { # provider base path [label [curl options...]]
    local provider=$1 base=$2 path=$3 label=${4:-$3} body="$OUT/size.body" headers="$OUT/size.headers" plain br gz br_enc gz_enc status
    shift $(($# < 4 ? $# : 4))
    status=$(curl -s --max-time 10 -o "$body" -w '%{http_code}' "$@" "$base$path")
    if [[ $status != 200 ]]; then
        log "WARNING: $base$path answers HTTP $status (sized anyway; see the table)"
        label+=" (HTTP $status)"
    fi
    plain=$(stat -c %s "$body")
    curl -s --max-time 10 -o "$body" -D "$headers" -H 'Accept-Encoding: br' "$@" "$base$path"
    br=$(stat -c %s "$body")
    br_enc=$(awk -F': *' 'tolower($1) == "content-encoding" { gsub("\r", "", $2); print $2 }' "$headers")
    curl -s --max-time 10 -o "$body" -D "$headers" -H 'Accept-Encoding: gzip' "$@" "$base$path"
    gz=$(stat -c %s "$body")
    gz_enc=$(awk -F': *' 'tolower($1) == "content-encoding" { gsub("\r", "", $2); print $2 }' "$headers")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$provider" "$label" "$plain" "$br" "${br_enc:-none}" "$gz" "${gz_enc:-none}" >>"$SIZES_TSV"
    rm -f "$body" "$headers"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2]; else printf "%.0f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

STARTUP_MS=""
time_start() { # url dll-dir dll args... → STARTUP_MS = milliseconds from launch until url answers 200
    local url=$1 dir=$2 dll=$3 start end pid
    shift 3
    start=$(now_ns)
    (cd "$dir" && exec taskset -c "$SERVER_CPU" dotnet "$dll" "$@") >>"$OUT/startup.log" 2>&1 &
    pid=$!
    PORTAL_PID=$pid
    local deadline=$((SECONDS + 120))
    while [[ $(taskset -c "$CLIENT_CPU" curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true) != 200 ]]; do
        kill -0 "$pid" 2>/dev/null || die "$dll exited during start-up; see $OUT/startup.log"
        ((SECONDS < deadline)) || die "$dll did not answer $url within 120 s"
        sleep 0.005
    done
    end=$(now_ns)
    stop_portal
    STARTUP_MS=$(((end - start) / 1000000))
}

# ---------------------------------------------------------------------------------------------- checks

for tool in dotnet wrk nginx curl taskset ss awk; do
    command -v "$tool" >/dev/null || die "$tool is required (apt-get install wrk nginx-light curl util-linux iproute2; .NET 10 SDK)"
done
[[ $(nproc) -ge 2 ]] || die "needs 2 cores (server on core $SERVER_CPU, wrk on core $CLIENT_CPU)"
if [[ " $PROVIDERS " == *" PostgreSQL "* ]]; then
    [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] || die "PostgreSQL server binaries not found in $PG_BIN (apt-get install postgresql) — or set BENCH_PROVIDERS=Sqlite"
    if [[ $EUID -eq 0 ]]; then id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' account for initdb"; fi
fi
[[ -f $ROOT/src/DichVuCong.Web/Modules/Catalog/SeedData/procedures.json ]] \
    || die "src/DichVuCong.Web/Modules/Catalog/SeedData/procedures.json is missing; the portal cannot seed without it"

mkdir -p "$OUT"
rm -f "$OUT/cpu-accounting.txt" "$WRK_TSV" "$SIZES_TSV" "$LOOKUP_TSV" "$OUT"/wrk-*.txt "$OUT/startup.log" "$OUT"/portal-*.log "$OUT/search.txt" "$OUT/submit.md" "$OUT"/submit-*.txt \
    "$OUT"/codes-*.txt "$OUT"/codes-*.log "$OUT"/draft-*.txt "$OUT"/lookup-app-*.log "$OUT"/cookies-*.txt
: >"$WRK_TSV"
: >"$SIZES_TSV"
: >"$LOOKUP_TSV"
declare -A RSS_PEAK RSS_NOW

# ---------------------------------------------------------------------------------------------- 1. publish

PUBLISH_NOTE="published with \`dotnet publish src/DichVuCong.Web -c Release -r linux-x64 --self-contained false\` (ReadyToRun, as the project sets for a runtime-specific Release publish)"
if [[ $PUBLISH != 0 ]]; then
    log "publishing the portal (Release) to $APP"
    rm -rf "$APP"
    timeout 900 dotnet publish "$ROOT/src/DichVuCong.Web" -c Release -r linux-x64 --self-contained false -o "$APP" --artifacts-path "$ARTIFACTS" -nologo -v quiet \
        >"$OUT/publish.log" 2>&1 || die "publish failed: $(tail -20 "$OUT/publish.log")"
else
    log "BENCH_PUBLISH=0: reusing the portal published earlier in $APP (may be older than the working tree)"
    PUBLISH_NOTE="REUSED from an earlier run (BENCH_PUBLISH=0): may not match the commit below; $PUBLISH_NOTE"
fi
[[ -f $APP/DichVuCong.Web.dll && -f $APP/DichVuCong.Migrations.Sqlite.dll && -f $APP/DichVuCong.Migrations.PostgreSql.dll ]] \
    || die "publish output is incomplete (portal or migrations assemblies missing) in $APP"

# ---------------------------------------------------------------------------------------------- 2. search

if [[ $SEARCH != 0 ]]; then
    log "building and running bench/SearchBench (Rank over $SEARCH_COUNT procedures)"
    timeout 900 dotnet build "$BENCH/SearchBench" -c Release --artifacts-path "$ARTIFACTS" -nologo -v quiet \
        >"$OUT/searchbench-build.log" 2>&1 || die "SearchBench build failed: $(tail -20 "$OUT/searchbench-build.log")"
    wait_quiet "search benchmark"
    timeout 600 taskset -c "$SERVER_CPU" dotnet "$ARTIFACTS/bin/SearchBench/release/DichVuCong.Bench.dll" \
        "$SEARCH_COUNT" "$SEARCH_ITERATIONS" >"$OUT/search.txt" 2>&1 || die "SearchBench failed: $(tail -20 "$OUT/search.txt")"
else
    echo "(skipped: BENCH_SEARCH=0)" >"$OUT/search.txt"
fi

# SubmitBench also drafts the dossier whose e-form page is sized, and submits the dossiers the lookup finds.
log "building bench/SubmitBench (whole submissions vs a bare upload endpoint; drafts and dossiers for the other runs)"
timeout 900 dotnet build "$BENCH/SubmitBench" -c Release --artifacts-path "$ARTIFACTS" -nologo -v quiet \
    >"$OUT/submitbench-build.log" 2>&1 || die "SubmitBench build failed: $(tail -20 "$OUT/submitbench-build.log")"
SUBMITBENCH="$ARTIFACTS/bin/SubmitBench/release/DichVuCong.SubmitBench.dll"
if [[ $LOOKUP != 0 ]]; then
    log "building bench/LookupBench (bare lookup endpoint: Npgsql, Microsoft.Data.Sqlite)"
    timeout 900 dotnet build "$BENCH/LookupBench" -c Release --artifacts-path "$ARTIFACTS" -nologo -v quiet \
        >"$OUT/lookupbench-build.log" 2>&1 || die "LookupBench build failed: $(tail -20 "$OUT/lookupbench-build.log")"
fi

# ---------------------------------------------------------------------------------------------- 3. providers

start_postgres() {
    PG_DIR=$(mktemp -d /tmp/dvc-bench-pg-XXXXXX)
    chmod 755 "$PG_DIR"
    if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$PG_DIR"; fi
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$OUT/postgres-initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$OUT/postgres-initdb.log")"
    PG_PORT=$(free_port)
    # The database is server-side work: it shares core $SERVER_CPU with the portal, away from wrk.
    as_pg taskset -c "$SERVER_CPU" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
        || die "pg_ctl start failed: $(tail -20 "$PG_DIR/server.log" 2>/dev/null)"
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres dichvucong || die "createdb failed"
}

start_nginx() { # port
    local prefix="$OUT/nginx"
    rm -rf "$prefix"
    mkdir -p "$prefix/www" "$prefix/tmp"
    cp "$OUT/thu-tuc.html" "$prefix/www/thu-tuc.html"
    chmod -R a+rX "$prefix"
    sed -e "s|@PORT@|$1|g" -e "s|@PREFIX@|$prefix|g" "$BENCH/nginx.conf" >"$prefix/nginx.conf"
    taskset -c "$SERVER_CPU" nginx -p "$prefix" -c "$prefix/nginx.conf" >"$prefix/stdout.log" 2>&1 &
    NGINX_PID=$!
    wait_for_200 "http://127.0.0.1:$1/thu-tuc.html" "$NGINX_PID" 20 || die "nginx did not start: $(cat "$prefix/error.log" "$prefix/stdout.log" 2>/dev/null)"
    cmp -s "$OUT/thu-tuc.html" <(curl -s "http://127.0.0.1:$1/thu-tuc.html") || die "nginx does not serve the saved page byte for byte"
}

sign_in() { # base cookie-jar: signs the demo citizen in through the sign-in form, as a browser does
    local base=$1 jar=$2 token status
    rm -f "$jar"
    token=$(curl -s --max-time 10 -c "$jar" -b "$jar" "$base/dang-nhap" | grep -o 'name="__RequestVerificationToken"[^>]*' | sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -1) || true
    [[ -n $token ]] || die "no antiforgery token on $base/dang-nhap"
    status=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode Login=demo.congdan \
        --data-urlencode "Password=$DEMO_PASSWORD" --data-urlencode "__RequestVerificationToken=$token" "$base/dang-nhap")
    [[ $status == 302 ]] && grep -q 'dvc\.auth' "$jar" || die "signing in as demo.congdan answered HTTP $status without a session cookie"
}

eform_sizes() { # provider base slug: sizes the wizard's e-form step (tờ khai) of a new draft of $CODE, signed in
    local provider=$1 base=$2 slug=$3 draft jar="$OUT/cookies-$3.txt"
    draft=$(timeout 120 taskset -c "$CLIENT_CPU" dotnet "$SUBMITBENCH" draft --portal "$base" --password "$DEMO_PASSWORD" --procedure "$CODE" 2>"$OUT/draft-$slug.txt") \
        || die "could not start a draft of $CODE: $(tail -5 "$OUT/draft-$slug.txt")"
    sign_in "$base" "$jar"
    page_sizes "$provider" "$base" "/nop-ho-so/$draft/to-khai" "/nop-ho-so/{id}/to-khai (e-form of $CODE, signed in)" -b "$jar"
    rm -f "$jar"  # a live session of the demo account: not left lying around
}

lookup_runs() { # provider base slug connection-string: the lookup by code on the portal, then on the bare app (bench/LookupBench)
    local provider=$1 base=$2 slug=$3 conn=$4 code url bare_port bare_url bare_conn driver
    log "$provider: submitting 3 dossiers to look up by code"
    timeout 300 taskset -c "$CLIENT_CPU" dotnet "$SUBMITBENCH" codes --portal "$base" --password "$DEMO_PASSWORD" --count 3 \
        >"$OUT/codes-$slug.txt" 2>"$OUT/codes-$slug.log" || die "could not submit dossiers to look up: $(tail -5 "$OUT/codes-$slug.log")"
    code=$(tail -1 "$OUT/codes-$slug.txt")
    [[ -n $code ]] || die "SubmitBench printed no dossier code"
    url="$base/api/v1/lookup/$code"
    [[ $(http_code "$url") == 200 ]] || die "$url does not answer 200 (rate limited? RateLimits__LookupPerMinute is raised in start_portal)"
    wait_quiet "$provider lookup runs"
    warm_up "$url"
    run_wrk "$provider" "portal: GET /api/v1/lookup/{code}" "$url" lookup "$LOOKUP_TSV"

    # The reference on the server core, against the same database; the portal stays up but idle (its CPU, if
    # any, shows as other load). The connection settings the portal adds to its own connection string: Npgsql
    # prepares repeated statements; SQLite pools connections and waits 30 s for a lock.
    case $provider in
        PostgreSQL) bare_conn="$conn;Max Auto Prepare=50;Auto Prepare Min Usages=2"; driver=Npgsql ;;
        *) bare_conn="$conn;Pooling=True;Default Timeout=30"; driver=Microsoft.Data.Sqlite ;;
    esac
    bare_port=$(free_port)
    bare_url="http://127.0.0.1:$bare_port/lookup/$code"
    taskset -c "$SERVER_CPU" dotnet "$ARTIFACTS/bin/LookupBench/release/DichVuCong.LookupBench.dll" "$bare_port" "$provider" \
        "$bare_conn" >"$OUT/lookup-app-$slug.log" 2>&1 &
    LOOKUP_PID=$!
    wait_for_200 "$bare_url" "$LOOKUP_PID" 60 || die "bench/LookupBench did not answer $bare_url: $(tail -20 "$OUT/lookup-app-$slug.log")"
    cmp -s <(curl -s --max-time 5 "$url") <(curl -s --max-time 5 "$bare_url") \
        || die "the bare app and the portal do not answer the same JSON for $code: $(curl -s --max-time 5 "$url") vs $(curl -s --max-time 5 "$bare_url")"
    warm_up "$bare_url"
    local roots=$SERVER_ROOTS
    SERVER_ROOTS="$LOOKUP_PID $DB_ROOTS"
    run_wrk "$provider" "bare $driver: GET /lookup/{code}" "$bare_url" lookup-bare "$LOOKUP_TSV"
    SERVER_ROOTS=$roots
    stop_lookup_app
}

SQLITE_DATA=""
for provider in $PROVIDERS; do
    slug=$(tr '[:upper:]' '[:lower:]' <<<"$provider")
    data="$OUT/data-$slug"
    rm -rf "$data"
    mkdir -p "$data"
    case $provider in
        Sqlite) conn="Data Source=$data/dichvucong.db"; SQLITE_DATA=$data ;;
        PostgreSQL)
            log "starting a throwaway PostgreSQL cluster"
            start_postgres
            conn="Host=127.0.0.1;Port=$PG_PORT;Database=dichvucong;Username=postgres" ;;
        *) die "unknown provider $provider" ;;
    esac

    port=$(free_port)
    base="http://127.0.0.1:$port"
    log "$provider: starting the portal on $base (core $SERVER_CPU), data in $data"
    start_portal "$provider" "$data" "$port" "$conn" "$OUT/portal-$slug.log"
    wait_for_200 "$base/health" "$PORTAL_PID" 180 || die "the portal did not become healthy: $(tail -30 "$OUT/portal-$slug.log")"
    [[ $(cat "/proc/$PORTAL_PID/comm") == dotnet ]] || die "pid $PORTAL_PID is not the portal"

    urls=("$base/thu-tuc" "$base/thu-tuc?q=khai+sinh" "$base/api/v1/procedures?q=dang+ky" "$base/thu-tuc/$CODE" "$base/api/v1/procedures/$CODE" "$base/")
    for url in "${urls[@]}"; do
        status=$(http_code "$url")
        [[ $status == 200 ]] || log "WARNING: $url answers HTTP $status (measured anyway; see the table)"
    done
    log "$provider: warming up ($WARMUP per address)"
    for url in "${urls[@]}"; do warm_up "$url"; done

    curl -s --max-time 10 -o "$OUT/thu-tuc.html" "$base/thu-tuc"
    wait_quiet "$provider HTTP runs"
    nginx_port=$(free_port)
    start_nginx "$nginx_port"
    warm_up "http://127.0.0.1:$nginx_port/thu-tuc.html"
    SERVER_ROOTS="$NGINX_PID"
    DB_ROOTS=""
    run_wrk "$provider" "nginx, static copy of /thu-tuc" "http://127.0.0.1:$nginx_port/thu-tuc.html" nginx
    stop_nginx

    SERVER_ROOTS="$PORTAL_PID"
    if [[ $provider == PostgreSQL ]]; then
        DB_ROOTS=$(head -1 "$PG_DIR/data/postmaster.pid")
        SERVER_ROOTS+=" $DB_ROOTS"
    fi
    run_wrk "$provider" "/thu-tuc" "$base/thu-tuc" thu-tuc
    run_wrk "$provider" "/thu-tuc?q=khai+sinh" "$base/thu-tuc?q=khai+sinh" thu-tuc-q
    run_wrk "$provider" "/api/v1/procedures?q=dang+ky" "$base/api/v1/procedures?q=dang+ky" api-search
    run_wrk "$provider" "/thu-tuc/$CODE" "$base/thu-tuc/$CODE" thu-tuc-code
    run_wrk "$provider" "/api/v1/procedures/$CODE" "$base/api/v1/procedures/$CODE" api-code

    for path in / /thu-tuc "/thu-tuc/$CODE"; do page_sizes "$provider" "$base" "$path"; done
    eform_sizes "$provider" "$base" "$slug"
    page_sizes "$provider" "$base" /css/site.css

    RSS_PEAK[$provider]=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$PORTAL_PID/status")
    RSS_NOW[$provider]=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$PORTAL_PID/status")
    log "$provider: peak RSS ${RSS_PEAK[$provider]} MiB"

    # After the RSS reading, as SubmitBench: the lookups and the few submissions they need do not change it.
    if [[ $LOOKUP != 0 ]]; then lookup_runs "$provider" "$base" "$slug" "$conn"; fi

    if [[ $SUBMIT != 0 ]]; then
        # After the RSS reading, so uploads do not change the memory figures. The bare upload app is
        # started by SubmitBench itself on core $SERVER_CPU; SubmitBench's workers run on core $CLIENT_CPU.
        log "$provider: whole submissions vs a bare upload endpoint ($SUBMIT_WORKERS workers, ${SUBMIT_DURATION}s each)"
        timeout 600 taskset -c "$CLIENT_CPU" dotnet "$SUBMITBENCH" run \
            --portal "$base" --password "$DEMO_PASSWORD" --provider "$provider" --server-pids "$SERVER_ROOTS" \
            --workers "$SUBMIT_WORKERS" --warmup "$SUBMIT_WARMUP" --duration "$SUBMIT_DURATION" \
            --server-cpu "$SERVER_CPU" --results "$OUT/submit.md" >"$OUT/submit-$slug.txt" 2>&1 \
            || die "SubmitBench failed: $(tail -20 "$OUT/submit-$slug.txt")"
    fi
    stop_portal
    if [[ $provider == PostgreSQL ]]; then stop_postgres; fi
    SERVER_ROOTS=""
    DB_ROOTS=""
done

# ---------------------------------------------------------------------------------------------- 4. start-up

STARTUP_PORTAL=()
STARTUP_TEMPLATE=()
if [[ -n $SQLITE_DATA && $STARTUP_RUNS -gt 0 ]]; then
    wait_quiet "portal start-up"
    log "start-up: $STARTUP_RUNS starts of the portal on the migrated+seeded SQLite database"
    for ((i = 0; i < STARTUP_RUNS; i++)); do
        port=$(free_port)
        time_start "http://127.0.0.1:$port/health" "$APP" "$APP/DichVuCong.Web.dll" \
            --urls "http://127.0.0.1:$port" --Database:Provider=Sqlite "--ConnectionStrings:Default=Data Source=$SQLITE_DATA/dichvucong.db" \
            "--Storage:Root=$SQLITE_DATA/files" "--Seed:DemoPassword=$DEMO_PASSWORD"
        STARTUP_PORTAL+=("$STARTUP_MS")
    done

    TEMPLATE_SRC="$OUT/template-src"
    TEMPLATE="$OUT/template"
    if [[ ! -f $TEMPLATE_SRC/template-src.csproj ]]; then
        log "creating the dotnet new webapp template in $TEMPLATE_SRC"
        rm -rf "$TEMPLATE_SRC"
        timeout 300 dotnet new webapp -o "$TEMPLATE_SRC" --no-https >"$OUT/template-new.log" 2>&1 || die "dotnet new webapp failed: $(tail "$OUT/template-new.log")"
    fi
    # Keep the repository's Directory.Build.props / Directory.Packages.props (warnings as errors,
    # analyzers, central packages) away from the stock template.
    [[ -f $TEMPLATE_SRC/Directory.Build.props ]] || echo '<Project />' >"$TEMPLATE_SRC/Directory.Build.props"
    [[ -f $TEMPLATE_SRC/Directory.Packages.props ]] || echo '<Project />' >"$TEMPLATE_SRC/Directory.Packages.props"
    log "publishing the template (Release) to $TEMPLATE"
    rm -rf "$TEMPLATE"
    timeout 600 dotnet publish "$TEMPLATE_SRC" -c Release -o "$TEMPLATE" -nologo -v quiet >"$OUT/template-publish.log" 2>&1 \
        || die "template publish failed: $(tail -20 "$OUT/template-publish.log")"
    wait_quiet "template start-up"
    log "start-up: $STARTUP_RUNS starts of the template"
    for ((i = 0; i < STARTUP_RUNS; i++)); do
        port=$(free_port)
        time_start "http://127.0.0.1:$port/" "$TEMPLATE" "$TEMPLATE/template-src.dll" --urls "http://127.0.0.1:$port"
        STARTUP_TEMPLATE+=("$STARTUP_MS")
    done
fi

# ---------------------------------------------------------------------------------------------- 5. report

# A wrk TSV (provider, address, HTTP, req/s, p50, p99, non-2xx, socket errors, requests, CPU, other load) as Markdown rows,
# each with its requests/s over the reference row's of the same provider (the address starting with $2).
ratio_table() {
    awk -F'\t' -v reference="^$2" '
        $2 ~ reference { ref[$1] = $4 }
        { rows[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                split(rows[i], f, "\t")
                ratio = (ref[f[1]] > 0) ? sprintf("%.2f", f[4] / ref[f[1]]) : "–"
                printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s%% |\n", f[1], f[2], f[3], f[4], ratio, f[5], f[6], f[10], f[7], f[8], f[11]
            }
        }' "$1"
}

RESULTS="$OUT/results.md"
{
    echo "# DichVuCong benchmark results"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal:/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
    echo "- .NET SDK $(dotnet --version), $(nginx -v 2>&1 | sed 's|nginx version: ||'), $(wrk -v 2>&1 | head -1 | awk '{ print "wrk " $2 }'), PostgreSQL $("$PG_BIN/postgres" --version 2>/dev/null | awk '{ print $3 }')"
    echo "- Commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) (the working tree may have uncommitted changes)"
    if [[ -n $PUBLISH_NOTE ]]; then echo "- Publish: $PUBLISH_NOTE"; fi
    echo "- Command: \`bash bench/run.sh\` — server (portal, nginx, PostgreSQL) on core $SERVER_CPU, \`taskset -c $CLIENT_CPU wrk -t1 -c$CONNECTIONS -d$DURATION --latency\`, loopback"
    echo
    echo "## Throughput and latency"
    echo
    echo "| Provider | Address | HTTP | Requests/s | × nginx | p50 (ms) | p99 (ms) | Server CPU/request (µs) | Non-2xx | Socket errors | Other load |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    ratio_table "$WRK_TSV" nginx
    echo
    echo "Server CPU/request: CPU time of the server processes (portal, or nginx; plus PostgreSQL's, also shown alone as \"DB\") during the run ÷ requests."
    echo "Other load: CPU used meanwhile by anything but the server and wrk, in % of all $NCPU cores (should be ~0; more means the figures are skewed)."
    echo
    echo "Machine load checks (other work, % of all cores, sampled over 3 s):"
    echo
    for line in "${QUIET_LOG[@]}"; do echo "- $line"; done
    echo
    echo "## Lookup by code vs a bare Npgsql endpoint"
    echo
    if [[ -s $LOOKUP_TSV ]]; then
        echo "Same dossier code, same wrk settings; the bare endpoint (bench/LookupBench) runs the portal's SQL through a pooled NpgsqlDataSource (SQLite pass: Microsoft.Data.Sqlite) and answers the same JSON (checked byte for byte), on core $SERVER_CPU against the same database while the portal is idle. The target names Npgsql: the SQLite ratio is for information."
        echo
        echo "| Provider | Address | HTTP | Requests/s | × bare | p50 (ms) | p99 (ms) | Server CPU/request (µs) | Non-2xx | Socket errors | Other load |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        ratio_table "$LOOKUP_TSV" bare
        awk -F'\t' '
            $2 ~ /^bare/ { ref[$1] = $4 }
            $2 ~ /^portal/ { n++; provider[n] = $1; portal[n] = $4 }
            END {
                for (i = 1; i <= n; i++) {
                    p = provider[i]
                    if (ref[p] <= 0) continue
                    r = portal[i] / ref[p]
                    if (p == "PostgreSQL") printf "\nTarget: lookup ≥ 0.8 × bare Npgsql: %.2f× → %s\n", r, (r >= 0.8 ? "met" : "NOT met")
                    else printf "\n%s, for information: %.2f× the bare Microsoft.Data.Sqlite endpoint\n", p, r
                }
            }' "$LOOKUP_TSV"
        echo
        echo "Server CPU/request: the portal's or the bare app's CPU (plus PostgreSQL's, also shown alone as \"DB\") ÷ requests. Other load: as above; the idle portal counts there during the bare run."
    else
        echo "(skipped: BENCH_LOOKUP=0)"
    fi
    echo
    echo "## Memory"
    echo
    echo "| Provider | Peak RSS (VmHWM) | RSS at the end |"
    echo "|---|---:|---:|"
    for provider in $PROVIDERS; do echo "| $provider | ${RSS_PEAK[$provider]:-?} MiB | ${RSS_NOW[$provider]:-?} MiB |"; done
    echo
    echo "## Page sizes (bytes)"
    echo
    echo "| Provider | Address | Uncompressed | Accept-Encoding: br | Accept-Encoding: gzip |"
    echo "|---|---|---:|---:|---:|"
    awk -F'\t' '{ printf "| %s | `%s` | %s | %s (%s) | %s (%s) |\n", $1, $2, $3, $4, $5, $6, $7 }' "$SIZES_TSV"
    echo
    echo "(in parentheses: the Content-Encoding the portal answered with)"
    echo
    echo "## Start-up (launch → first 200), $STARTUP_RUNS runs each, server on core $SERVER_CPU"
    echo
    echo "| App | Runs (ms) | Median (ms) |"
    echo "|---|---|---:|"
    if ((${#STARTUP_PORTAL[@]})); then
        echo "| Portal, published Release, SQLite already migrated+seeded, until \`/health\` = 200 | ${STARTUP_PORTAL[*]} | $(printf '%s\n' "${STARTUP_PORTAL[@]}" | median) |"
        echo "| \`dotnet new webapp\` template, published Release, until \`/\` = 200 | ${STARTUP_TEMPLATE[*]} | $(printf '%s\n' "${STARTUP_TEMPLATE[@]}" | median) |"
        awk -v p="$(printf '%s\n' "${STARTUP_PORTAL[@]}" | median)" -v t="$(printf '%s\n' "${STARTUP_TEMPLATE[@]}" | median)" \
            'BEGIN { printf "\nPortal ÷ template: %.2f×\n", p / t }'
    else
        echo "| (skipped: no SQLite pass, or BENCH_STARTUP_RUNS=0) | | |"
    fi
    echo
    echo "## Search (bench/SearchBench: SearchProceduresHandler.Rank, in process, core $SERVER_CPU)"
    echo
    cat "$OUT/search.txt"
    if [[ -f $OUT/submit.md ]]; then
        echo
        cat "$OUT/submit.md"
    fi
} >"$RESULTS"

cat "$RESULTS"
log "results written to $RESULTS"
