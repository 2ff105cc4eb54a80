# What the fault scripts share; each script sources this file and calls faults_begin first.
#
# Every script runs musicgen-cli (the built binary, given as the first argument) against a library of its own:
# HOME and the XDG folders point into a temporary folder, no API key and no session bus reach the CLI, and the
# offline engine makes every take, so nothing touches the user's files or the network. The scripts mount and
# unmount, so they need root; without it they say so and exit with 77, which ctest reports as skipped.
# Checks are counted: a failed one prints what was run, what was expected and what came instead, and the
# script goes on, so one run shows every failure; faults_end exits 1 when any check failed.

readonly faults_skip=77

faults_checks=0
faults_failures=0
faults_mounts=()

# faults_begin CLI TOOL...: checks root and the tools the script needs, re-runs the script (whose one argument is
# CLI) in a mount namespace of its own, so a tmpfs cannot outlive it even if it is killed, and makes the temporary
# home. Sets $cli, $work and $library.
faults_begin() {
    cli=$1
    shift
    if [[ $(id -u) -ne 0 ]]; then
        echo "SKIP: $(basename "$0") needs root (it mounts tmpfs and runs commands as another user); run it as root"
        exit "$faults_skip"
    fi
    local tool
    for tool in "$@" python3 unshare mount; do
        command -v "$tool" >/dev/null || {
            echo "error: $(basename "$0") needs $tool; install it (scripts/setup --tests)" >&2
            exit 1
        }
    done
    [[ -x "$cli" ]] || { echo "error: $cli is not an executable musicgen-cli" >&2; exit 1; }
    if [[ -z "${FAULTS_IN_NAMESPACE:-}" ]]; then
        FAULTS_IN_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$cli"
    fi

    # in /tmp rather than $TMPDIR: another user reads a library in here, so every folder above must let them by
    work=$(mktemp -d /tmp/musicgen-faults.XXXXXX)
    chmod 755 "$work"
    trap faults_cleanup EXIT
    trap 'exit 130' INT TERM
    export HOME=$work/home
    export XDG_CONFIG_HOME=$HOME/config XDG_DATA_HOME=$HOME/data XDG_CACHE_HOME=$HOME/cache
    export XDG_MUSIC_DIR=$HOME/music XDG_RUNTIME_DIR=$work/runtime
    export TMPDIR=$work/tmp # where a take is rescued to when its own disk is full
    export LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen DBUS_SESSION_BUS_ADDRESS=
    unset SEGMIND_API_KEY MUSICGEN_API_BASE
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$TMPDIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    library=$XDG_DATA_HOME/musicgen-studio
    faults_started=$SECONDS
}

faults_cleanup() {
    local point
    for point in "${faults_mounts[@]}"; do
        umount "$point" 2>/dev/null || umount -l "$point" 2>/dev/null || true
    done
    rm -rf "$work"
}

# faults_end: prints the summary; exits 1 when a check failed.
faults_end() {
    echo "$(basename "$0"): $faults_checks checks, $faults_failures failed, $((SECONDS - faults_started)) s"
    ((faults_failures == 0)) || exit 1
    exit 0
}

# mount_disk DIR: a 2 MiB tmpfs at DIR (created), unmounted when the script ends.
mount_disk() {
    mkdir -p "$1"
    mount -t tmpfs -o size=2m,mode=0755 tmpfs "$1"
    faults_mounts+=("$1")
}

# mount_full DIR KEEP_BYTES: mount_disk DIR, filled until only KEEP_BYTES are free.
mount_full() {
    mount_disk "$1"
    fill_disk "$1" "$2"
}

# fill_disk DIR KEEP_BYTES: takes what is free on DIR's filesystem but KEEP_BYTES, in DIR/.filler.
fill_disk() {
    local dir=$1 keep=$2 avail
    rm -f "$dir/.filler"
    avail=$(df -B1 --output=avail "$dir" | tail -n 1)
    ((avail > keep)) && fallocate -l $((avail - keep)) "$dir/.filler"
    return 0
}

# run COMMAND...: runs it with stdout in $out, stderr in $err, the exit code in $rc; $ran says what ran. It runs
# under sh, so that a crash or a kill ("Segmentation fault", "Killed") is told in $err, not in this script's log.
run() {
    ran=$(printf '%q ' "$@")
    rc=0
    sh -c '"$@"; exit $?' sh "$@" >"$work/.stdout" 2>"$work/.stderr" || rc=$?
    out=$(<"$work/.stdout")
    err=$(<"$work/.stderr")
}

# cli ARGS...: run musicgen-cli.
cli() {
    run "$cli" "$@"
}

pass() {
    faults_checks=$((faults_checks + 1))
    echo "ok   $1"
}

# fail WHAT EXPECTED GOT: a failed check, with the last command that ran and its output.
fail() {
    faults_checks=$((faults_checks + 1))
    faults_failures=$((faults_failures + 1))
    echo "FAIL $1"
    echo "     command:  ${ran:-}"
    echo "     expected: $2"
    echo "     got:      $(indented "$3")"
    [[ -z "${err:-}" || "$3" == "$err" ]] || echo "     stderr:   $(indented "$err")"
}

indented() {
    echo "${1//$'\n'/$'\n'               }"
}

# check WHAT EXPECTED GOT CONDITION...: passes when the command CONDITION... succeeds.
check() {
    local what=$1 expected=$2 got=$3
    shift 3
    if "$@"; then pass "$what"; else fail "$what" "$expected" "$got"; fi
}

# expect_failure WHAT REASON: the last command failed with exit code 1 and REASON in its message.
expect_failure() {
    local what=$1 reason=$2
    check "$what: exit code 1" "1 (a local failure)" "$rc" test "$rc" -eq 1
    check "$what: the message gives the reason" "\"$reason\" in stderr" "${err:-(nothing on stderr)}" \
        grep -qF "$reason" <<<"$err"
}

# expect_no_temporaries WHAT DIR...: no writer's temporary file is left in the folders.
expect_no_temporaries() {
    local what=$1 leftovers
    shift
    leftovers=$(find "$@" -name '.musicgen-*.part' 2>/dev/null | sort | tr '\n' ' ' || true)
    check "$what: no temporary file left" "no .musicgen-*.part" "$leftovers" test -z "$leftovers"
}

# expect_clean WHAT DIR...: no writer's temporary file and no empty file is left in the folders. SQLite's own
# write-ahead log and shared-memory files are left out: empty is a state they may rightly be in.
expect_clean() {
    local what=$1 empties
    shift
    expect_no_temporaries "$what" "$@"
    empties=$(find "$@" -type f -empty ! -name '*.sqlite3-wal' ! -name '*.sqlite3-shm' 2>/dev/null | sort |
        tr '\n' ' ' || true)
    check "$what: no empty file left" "no 0-byte file" "$empties" test -z "$empties"
}

# make_take PROMPT SEED [DURATION]: a new take in the library (its audio also in $work/out); prints its id.
make_take() {
    mkdir -p "$work/out"
    cli generate --provider offline --prompt "$1" --seed "$2" --duration "${3:-1}" --json --force \
        --output "$work/out/take-$2.wav"
    if ((rc != 0)); then
        echo "error: could not make a take to test with: $ran: $err" >&2
        exit 1
    fi
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' <<<"$out"
}

# history_json FILE: every take, the trash included, as one JSON array in FILE; $rc says whether history ran.
history_json() {
    local file=$1
    cli history --json --limit 0
    local live=$out live_rc=$rc
    cli history --json --limit 0 --trash
    ((rc != 0)) || rc=$live_rc
    python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1] or "[]") + json.loads(sys.argv[2] or "[]")))' \
        "$live" "$out" >"$file" 2>/dev/null || echo '[]' >"$file"
}

# integrity DB: what PRAGMA integrity_check says ("ok" when sound).
integrity() {
    sqlite3 "$1" 'PRAGMA integrity_check;' 2>&1 | tr '\n' ' ' | sed 's/ $//'
}

# library_check ARGS...: the library's state checker (check-library); prints its findings, fails on any.
library_check() {
    python3 "$faults_dir/check-library" "$@"
}

faults_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
