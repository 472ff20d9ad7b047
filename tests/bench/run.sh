#!/bin/sh
# Usage: tests/bench/run.sh BINARY [BENCH...]      (make bench runs it)
#
# The whole-program rows of the performance table (issue 13).  It prints
# figures next to a reference measured in the same run and asserts nothing
# (machines here are shared and noisy):
#
#   1. a generated 1M-line alloc_pages/__free_pages script and a 1M-line
#      kmalloc/kfree script through BINARY -q: lines per second and the
#      ratio to awk '{n++}' over the same file (goal: >= 10M lines/s and
#      <= 4x awk)
#   2. the same scripts with the change log shown (the default), output to
#      /dev/null: the ratio to -q (goal <= 3x)
#   3. with valgrind: instructions per line of both scripts, -q and shown
#      (100k-line scripts, less the cost of an empty one)
#   4. check, show zones and boot on x86_64 at 1 GiB, 64 GiB and 1 TiB:
#      instructions with valgrind (a command's own cost is the run with it
#      less the run with only quit), else wall time; the 1 TiB / 1 GiB ratio
#      (goal <= 1.5)
#
# Times are the best of ROUNDS (default 5) rounds that interleave the
# program and its reference, so that a noisy neighbour does not decide a
# ratio.  BENCH arguments (the C benchmarks make bench already ran) are
# ignored.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BINARY [BENCH...]" >&2; exit 2; }
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || { echo "bench: $bin: not an executable" >&2; exit 2; }
rounds=${ROUNDS:-5}
lines=${LINES_1M:-1000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmemsh-bench.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT INT TERM

# nanoseconds of one run of "$@" (stdout and stderr to /dev/null)
ns() {
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }

# the scripts: NAME = call, then its free, over 1000 names and four sizes
awk -v n="$lines" 'BEGIN { for (i = 0; i < n / 2; i++)
	printf "p%d = alloc_pages GFP_KERNEL %d\n__free_pages $p%d %d\n", i % 1000, i % 4, i % 1000, i % 4 }' \
	>"$dir/pages.kms"
awk -v n="$lines" 'BEGIN { split("64 256 100 1000", s, " "); for (i = 0; i < n / 2; i++)
	printf "k%d = kmalloc %d GFP_KERNEL\nkfree $k%d\n", i % 1000, s[i % 4 + 1], i % 1000 }' \
	>"$dir/kmalloc.kms"
: >"$dir/empty.kms"

printf '%-58s %12s %14s\n' "whole program (tests/bench/run.sh)" "kmemsh" "reference"
for s in pages kmalloc; do
	f=$dir/$s.kms
	ta=999999999999 tq=999999999999 tv=999999999999
	r=0
	while [ $r -lt "$rounds" ]; do
		ta=$(min "$ta" "$(ns awk '{n++}' "$f")")
		tq=$(min "$tq" "$(ns "$bin" -q -a x86_64 "$f")")
		tv=$(min "$tv" "$(ns "$bin" -a x86_64 "$f")")
		r=$((r + 1))
	done
	case $s in
	pages) what="alloc_pages/__free_pages" ;;
	*) what="kmalloc/kfree" ;;
	esac
	awk -v what="$what" -v n="$lines" -v ta="$ta" -v tq="$tq" -v tv="$tv" 'BEGIN {
		printf "%-58s %9.2fM/s %11.2fM/s   (awk; %.2fx awk, goal <= 4x and >= 10M/s)\n",
		       sprintf("%dM-line %s script, -q", n / 1000000, what), n / tq * 1e3, n / ta * 1e3, tq / ta
		printf "%-58s %9.2fM/s %11.2fM/s   (-q; %.2fx -q, goal <= 3x)\n",
		       sprintf("%dM-line %s script, change log shown", n / 1000000, what), n / tv * 1e3, n / tq * 1e3,
		       tv / tq }'
done

# instructions: valgrind's count of the client's instructions
irefs() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected :|I *refs:/ { gsub(",", "", $NF); print $NF }' | tail -n 1
}

if command -v valgrind >/dev/null 2>&1; then
	small=100000
	for s in pages kmalloc; do
		head -n $small "$dir/$s.kms" >"$dir/small.kms"
		i0=$(irefs "$bin" -q -a x86_64 "$dir/empty.kms")
		iq=$(irefs "$bin" -q -a x86_64 "$dir/small.kms")
		iv=$(irefs "$bin" -a x86_64 "$dir/small.kms")
		awk -v s="$s" -v n=$small -v i0="$i0" -v iq="$iq" -v iv="$iv" 'BEGIN {
			printf "%-58s %9.0f in %11.0f in   (-q; %.2fx -q)\n",
			       sprintf("instructions per line, %s script, shown", s), (iv - i0) / n, (iq - i0) / n,
			       (iv - i0) / (iq - i0) }'
	done
fi

# check, show zones, boot: grows with the RAM?
for what in boot check "show zones"; do
	for mem in 1G 64G 1T; do
		if command -v valgrind >/dev/null 2>&1; then
			base=$(irefs "$bin" -a x86_64 --mem $mem -c quit)
			if [ "$what" = boot ]; then
				v=$base
			else
				v=$(($(irefs "$bin" -a x86_64 --mem $mem -c "$what") - base))
			fi
			unit=in
		else
			v=999999999999
			r=0
			while [ $r -lt "$rounds" ]; do
				if [ "$what" = boot ]; then
					v=$(min "$v" "$(ns "$bin" -a x86_64 --mem $mem -c quit)")
				else
					v=$(min "$v" "$(ns "$bin" -a x86_64 --mem $mem -c "$what")")
				fi
				r=$((r + 1))
			done
			unit=ns
		fi
		eval "v_$mem=\$v"
	done
	# shellcheck disable=SC2154
	awk -v w="$what" -v a="$v_1G" -v b="$v_64G" -v c="$v_1T" -v u="$unit" 'BEGIN {
		label = w == "boot" ? "boot (-c quit), x86_64 1 TiB" : sprintf("%s, x86_64 1 TiB", w)
		printf "%-58s %9.0f %s %11.0f %s   (1 GiB; 64 GiB %.0f %s; 1T/1G %.2fx, goal <= 1.5)\n",
		       label, c, u, a, u, b, u, c / a }'
done
