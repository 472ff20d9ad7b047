# shellcheck shell=sh
# Sourced by the test runners: the same clean environment for every run of the
# binary, whoever calls them.  Sets $TESTTMP (removed on exit) and defines
#   absbin PATH     print PATH made absolute (call before changing directory)
#   run CMD...      run CMD with a fresh empty $HOME, under a time limit
# KMEMSH_TEST_TIMEOUT (seconds, default 120) bounds each run.

export NO_COLOR=1 LC_ALL=C
unset COLUMNS LINES LANG LANGUAGE
TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/kmemsh-test.XXXXXX") || exit 2
trap 'rm -rf "$TESTTMP"' EXIT
trap 'exit 130' HUP INT TERM
export HOME="$TESTTMP/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" \
       XDG_STATE_HOME="$HOME/.local/state" XDG_CACHE_HOME="$HOME/.cache"

absbin() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

run() {
	rm -rf "$HOME" && mkdir "$HOME" || return 2
	if command -v timeout >/dev/null 2>&1; then
		timeout "${KMEMSH_TEST_TIMEOUT:-120}" "$@"
	else
		"$@"
	fi
}
