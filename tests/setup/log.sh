# Sourced by deps.sh and build-bochs.sh: set-up output goes to a log, not the
# terminal. The caller sets LOG (the log file) and SETUP_NAME (its name in
# messages).

# Runs a command with its output appended to the log; on failure says so in one line.
logged() {
    local what=$1
    shift
    echo "== $(date '+%F %T') $what: $*" >>"$LOG"
    "$@" >>"$LOG" 2>&1 </dev/null || fail "$what failed"
}

# The one line a real failure prints, then exit status 1.
fail() {
    echo "$SETUP_NAME: error: $1; see $LOG" >&2
    exit 1
}
