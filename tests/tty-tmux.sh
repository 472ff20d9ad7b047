#!/bin/sh
# Usage: tests/tty-tmux.sh BINARY
#
# kmemsh at a real terminal: a tmux pane of 80x24 on a private server
# (tmux -L, its own socket) runs the prompt (x86_64, whose result lines are
# the longest) with an empty HOME, and the test types into it as a user
# would:
#   - "cat /proc/sl" and Tab completes to /proc/slabinfo (the files cat
#     serves are offered by completion);
#   - "kmalloc 100" and "vmalloc 20K" print the brief form (the default at
#     a terminal: a line per zone, "free blocks:"), and no line of the pane
#     is wider than the terminal (a vmalloc result is 234 columns long).
#   - "irq {" at the end of a line gives the continuation prompt "  irq> "
#     (indented two columns per open block), nothing runs before the '}',
#     Ctrl-C there abandons the block and a closed block runs in irq
#     context.
# Each wait polls the pane until the text shows up (at most 20 s, then the
# test fails): nothing is timed.  The pane is read with -J, which joins the
# rows the terminal wrapped, so an over-long line shows.  Without tmux the
# test is skipped.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
command -v tmux >/dev/null 2>&1 || { echo "SKIP tmux is not installed"; exit 0; }
sock=kmemsh-test-$$
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null; rm -rf "$TESTTMP"' EXIT
mkdir -p "$HOME"
t -f /dev/null new-session -d -x 80 -y 24 -s k "env HOME='$HOME' TERM=xterm NO_COLOR=1 '$bin' -a x86_64" || {
	echo "FAIL tmux new-session"; exit 1; }

# wait until the pane shows a line matching the extended regexp $1
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		if t capture-pane -p -t k | grep -Eq "$1"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	echo "FAIL no line matching '$1' in the pane:"
	t capture-pane -p -t k | sed 's/^/    /'
	return 1
}

st=0
wait_for '^kmemsh\(x86_64\)>' || exit 1
t send-keys -t k 'cat /proc/sl' Tab
if wait_for 'cat /proc/slabinfo'; then echo "PASS cat /proc/sl<Tab> completes to /proc/slabinfo"; else st=1; fi
t send-keys -t k C-u 'kmalloc 100' Enter
if wait_for 'Normal free blocks:'; then echo "PASS a step at a terminal prints the brief form"; else st=1; fi
t send-keys -t k 'vmalloc 20K' Enter
wait_for 'PTEs written' || st=1
wide=$(t capture-pane -p -J -t k | awk 'length($0) > 80')
if [ -n "$wide" ]; then
	echo "FAIL lines wider than the terminal (80):"
	printf '%s\n' "$wide" | sed 's/^/    /'
	st=1
else
	echo "PASS no line wider than 80 columns"
fi
# a block over several lines: the continuation prompt names the block and
# nothing runs before its '}'; Ctrl-C at it abandons the block
t send-keys -t k C-l 'set show off' Enter 'irq {' Enter
if wait_for '^  irq> ?$'; then echo "PASS 'irq {' at the end of a line gives the continuation prompt"; else st=1; fi
t send-keys -t k 'softirq {' Enter
if wait_for '^    softirq> ?$'; then echo "PASS a nested block indents the continuation prompt"; else st=1; fi
t send-keys -t k 'echo in-the-softirq' Enter
wait_for '^    softirq> echo in-the-softirq' || st=1
if t capture-pane -p -t k | grep -q '^in-the-softirq'; then
	echo "FAIL a statement of an open block ran before its '}'"; st=1
else
	echo "PASS nothing of an open block runs before its '}'"
fi
t send-keys -t k C-c
if wait_for '^kmemsh\(x86_64\)> ?$'; then echo "PASS Ctrl-C at the continuation prompt goes back to the prompt"; else st=1; fi
t send-keys -t k '}' Enter
if wait_for "'}' closes no block"; then echo "PASS the abandoned block is forgotten"; else st=1; fi
t send-keys -t k C-l 'irq {' Enter 'echo ran-in-irq' Enter 'show context' Enter '}' Enter
if wait_for '^ran-in-irq' && wait_for '^irq context on CPU 0'; then
	echo "PASS a block closed on a later line runs in its context"
else
	st=1
fi
t send-keys -t k 'quit' Enter
exit $st
