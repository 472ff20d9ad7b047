#!/bin/sh
# Usage: tests/run-i18n.sh BINARY
#
# The zh_CN catalogue at work.  The same commands run in the C locale and
# in zh_CN.UTF-8 (LC_ALL, as a user's LANG would be):
#   - the explanatory layer (errors, `set explain on` narration) must
#     contain Chinese in zh_CN and none in C;
#   - whatever imitates the kernel (/proc files, dmesg, the result lines,
#     the kernel prototypes in help) must be byte-for-byte the same in both;
#   - help and narration, Chinese included, fit in 80 columns;
#   - every help text (help, each group, command and topic) is translated.
# The catalogue is BINARY's directory's locale/ (the build's .mo).  When the
# system has no zh_CN.UTF-8 locale (`locale -a`), one is compiled with
# localedef into BINARY's directory's test-locale/ and used through LOCPATH.
set -u
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
cd "$(dirname "$0")/.." || exit 2
[ -x "$bin" ] || { echo "i18n: $bin: not an executable" >&2; exit 2; }
bdir=$(dirname "$bin")
[ -f "$bdir/locale/zh_CN/LC_MESSAGES/kmemsh.mo" ] ||
	{ echo "i18n: no $bdir/locale/zh_CN/LC_MESSAGES/kmemsh.mo (make builds it)"; exit 1; }

zh=zh_CN.UTF-8
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
	loc=$bdir/test-locale
	if [ ! -f "$loc/$zh/LC_CTYPE" ]; then
		mkdir -p "$loc" &&
		localedef -i zh_CN -f UTF-8 "$loc/$zh" >/dev/null 2>&1 ||
			{ echo "i18n: no zh_CN.UTF-8 locale and localedef could not make one (Debian: apt-get install locales)"; exit 1; }
	fi
	LOCPATH=$loc
	export LOCPATH
fi
[ "$(LC_ALL=$zh locale charmap 2>/dev/null)" = UTF-8 ] || { echo "i18n: the $zh locale does not load"; exit 1; }

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
# has_zh FILE: a CJK ideograph (U+4E00..U+9FFF: bytes e4..e9 then two more)
has_zh() { LC_ALL=C grep -q "$(printf '[\344-\351][\200-\277][\200-\277]')" "$1"; }

# run_both NAME ARGS... : stdin is the script; NAME.c and NAME.zh hold
# stdout, NAME.c.err and NAME.zh.err stderr
run_both() {
	n=$1; shift
	cat >"$TESTTMP/$n.kms"
	LC_ALL=C run "$bin" "$@" <"$TESTTMP/$n.kms" >"$TESTTMP/$n.c" 2>"$TESTTMP/$n.c.err"
	LC_ALL=$zh run "$bin" "$@" <"$TESTTMP/$n.kms" >"$TESTTMP/$n.zh" 2>"$TESTTMP/$n.zh.err"
}

# 1. the kernel's text: identical, in both profiles
for arch in i386 x86_64; do
	run_both kernel-$arch --arch $arch --keep-going <<'K'
p = kmalloc 64 GFP_KERNEL
q = alloc_pages GFP_KERNEL 2
cat /proc/buddyinfo
cat /proc/slabinfo
cat /proc/meminfo
cat /proc/zoneinfo
cat /proc/vmallocinfo
kfree $p
kfree $p
dmesg
K
	if cmp -s "$TESTTMP/kernel-$arch.c" "$TESTTMP/kernel-$arch.zh"; then ok
	else bad "kernel-$arch: the kernel-imitating output differs between C and $zh:"
		diff -u "$TESTTMP/kernel-$arch.c" "$TESTTMP/kernel-$arch.zh" | head -20
	fi
done

# 2. one-line errors: Chinese in zh_CN, English in C, the same exit status
run_both errors --keep-going <<'K'
kmalloc 64 GFP_NOSUCH
kfree $nosuch
kmalloc
K
if has_zh "$TESTTMP/errors.zh.err" && ! has_zh "$TESTTMP/errors.c.err" &&
   [ "$(wc -l <"$TESTTMP/errors.zh.err")" = "$(wc -l <"$TESTTMP/errors.c.err")" ]; then ok
else bad "errors: expected one Chinese line per English error:"; cat "$TESTTMP/errors.c.err" "$TESTTMP/errors.zh.err"
fi

# 2b. the model's own errors (model_err(), m->err): each refused call gives
# one line, Chinese in zh_CN and English in C; the kernel's WARN that a bad
# vfree() writes to dmesg stays the kernel's
for arch in i386 x86_64; do
	run_both model-$arch --arch $arch --keep-going <<'K'
kfree 0x1234
vfree 0x1000
p = kmalloc 64 GFP_KERNEL
kfree $p
kfree $p
preempt_enable
dmesg
K
	cerr=$TESTTMP/model-$arch.c.err zerr=$TESTTMP/model-$arch.zh.err
	if [ "$(wc -l <"$cerr")" -ge 3 ] && [ "$(wc -l <"$zerr")" = "$(wc -l <"$cerr")" ] &&
	   ! has_zh "$cerr" && [ "$(LC_ALL=C grep -c "$(printf '[\344-\351][\200-\277][\200-\277]')" "$zerr")" = "$(wc -l <"$zerr")" ]; then ok
	else bad "model-$arch: expected each model error in Chinese under $zh:"; cat "$cerr" "$zerr"
	fi
	if grep -q '^\[ *[0-9.]*\] .*Trying to vfree' "$TESTTMP/model-$arch.zh" &&
	   [ "$(grep '^\[' "$TESTTMP/model-$arch.c")" = "$(grep '^\[' "$TESTTMP/model-$arch.zh")" ]; then ok
	else bad "model-$arch: the dmesg lines differ between C and $zh"
	fi
done
# the preempt_enable reason in the result line is the model's error too
if grep -q '^preempt_enable() = void  \[没有 preempt_disable()' "$TESTTMP/model-i386.zh"; then ok
else bad "model: preempt_enable's reason is not translated:"; grep preempt_enable "$TESTTMP/model-i386.zh"
fi

# 2c. the snapshot loader's notes and a boot error are the shell's words too
run_both from --from tests/data/snapshots/i386-6.1-1G-2cpu <<'K'
echo loaded
K
if [ "$(wc -l <"$TESTTMP/from.c.err")" -ge 2 ] && ! has_zh "$TESTTMP/from.c.err" &&
   [ "$(LC_ALL=C grep -c "$(printf '[\344-\351][\200-\277][\200-\277]')" "$TESTTMP/from.zh.err")" = "$(wc -l <"$TESTTMP/from.c.err")" ]; then ok
else bad "from: the --from notes are not Chinese under $zh:"; cat "$TESTTMP/from.c.err" "$TESTTMP/from.zh.err"
fi
run_both boot --arch x86_64 --slab slob <<'K'
echo never
K
if grep -q 'Linux 6.13 has only SLUB' "$TESTTMP/boot.c.err" && has_zh "$TESTTMP/boot.zh.err" &&
   [ "$(wc -l <"$TESTTMP/boot.zh.err")" = 1 ]; then ok
else bad "boot: the boot error is not one Chinese line under $zh:"; cat "$TESTTMP/boot.c.err" "$TESTTMP/boot.zh.err"
fi

# 2d. every error the model sets goes through model_err() (a msgid): a
# plain snprintf into m->err would be English in every locale, and
# check-po.sh cannot see a string xgettext was never told about
raw=$(grep -n '[^v]snprintf([a-z>-]*m->err' src/model/*.c src/trace/*.c)
if [ -z "$raw" ]; then ok
else bad "m->err written without model_err() (use model_err(m, \"...\"), then make pot):"; echo "$raw" | head -5
fi

# 2e. and every error boot writes into the caller's buffer (machine_create()'s
# err: --cmdline, --initrd, --image, --from) through model_err_buf()
raw=$(grep -nE '[^v]snprintf\(err, errlen, "[^"]*[A-Za-z][A-Za-z]' src/model/*.c)
if [ -z "$raw" ]; then ok
else bad "err written without model_err_buf() (use model_err_buf(err, errlen, \"...\"), then make pot):"; echo "$raw" | head -5
fi

# 3. explain: the narration is Chinese, the result line is the kernel's
run_both explain --arch x86_64 <<'K'
set explain on
v = vmalloc 8K
vfree $v
K
if has_zh "$TESTTMP/explain.zh" && ! has_zh "$TESTTMP/explain.c"; then ok
else bad "explain: no Chinese narration in $zh"; head -20 "$TESTTMP/explain.zh"
fi
for f in "vmalloc(8192) = " "vfree("; do
	cl=$(grep -F "$f" "$TESTTMP/explain.c" | head -1)
	zl=$(grep -F "$f" "$TESTTMP/explain.zh" | head -1)
	if [ -n "$cl" ] && [ "$cl" = "$zl" ]; then ok
	else bad "explain: the result line '$f...' differs: '$cl' vs '$zl'"
	fi
done

# 4. help: the shell's words in Chinese, the kernel's prototype untouched
run_both help <<'K'
help
help kmalloc
help GFP_ATOMIC
help set
K
if has_zh "$TESTTMP/help.zh" && ! has_zh "$TESTTMP/help.c"; then ok
else bad "help: no Chinese in $zh"; head -20 "$TESTTMP/help.zh"
fi
for f in "void *kmalloc(size_t size, gfp_t flags)" "GFP_ATOMIC = 0x20 in 2.6.32"; do
	if grep -qF "$f" "$TESTTMP/help.c" && grep -qF "$f" "$TESTTMP/help.zh"; then ok
	else bad "help: '$f' is not the same in both"
	fi
done

# 5. nothing wider than 80 columns in the Chinese help and narration
# (a CJK character takes two columns)
for f in help.zh explain.zh; do
	wide=$(python3 -c '
import sys, unicodedata
for n, l in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    l = l.rstrip("\n")
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    if w > 80 and not l.startswith(("vmalloc(", "vfree(")):
        print(n, w, l)' "$TESTTMP/$f" 2>&1)
	if [ -z "$wide" ]; then ok; else bad "$f: lines wider than 80 columns:"; echo "$wide" | head -5; fi
done

# 6. every help text has a translation: help, help all, help set, help
# GROUP, help CMD for every command and help TOPIC for every topic.  A line
# that comes out the same in both locales is untranslated, unless it is
# code (a prototype, a kernel file, an example, a table of identifiers) or
# names kmemsh(7)'s sections (the "More in kmemsh(7)" paragraph): prose is
# told from code by its small English words, three or more in a line.
topics=$(LC_ALL=C "$bin" -c help | awk '/^Topics/ { on = 1 } /^help / { exit } on { print }' |
	sed 's/^Topics (the model, from kmemsh(7))://')
groups=$(LC_ALL=C "$bin" -c help | awk '/^  [a-z]+  / { print $1 }')
cmds=$(LC_ALL=C "$bin" --list-commands | cut -f1 | cut -d' ' -f1)
{
	echo help; echo help all; echo help set
	for w in $groups $topics $cmds; do echo "help $w"; done
} >"$TESTTMP/walk.kms"
LC_ALL=C run "$bin" --keep-going <"$TESTTMP/walk.kms" >"$TESTTMP/walk.c" 2>"$TESTTMP/walk.c.err"
LC_ALL=$zh run "$bin" --keep-going <"$TESTTMP/walk.kms" >"$TESTTMP/walk.zh" 2>"$TESTTMP/walk.zh.err"
n=$(wc -l <"$TESTTMP/walk.kms")
if [ -s "$TESTTMP/walk.c.err" ] || [ "$n" -lt 100 ] || [ "$(echo $topics | wc -w)" -lt 10 ]; then
	bad "walk: $n help commands, topics '$topics'; errors:"; head -5 "$TESTTMP/walk.c.err"
else ok
fi
same=$(python3 -c '
import sys
small = {"the", "and", "of", "to", "is", "in", "a", "an", "that", "for", "with", "it", "are", "be", "not",
         "from", "by", "which", "this", "its", "or", "on", "at", "as", "when", "has", "no"}
def lines(path):
    # paragraphs naming kmemsh(7) sections are references, in English
    paras = open(path, encoding="utf-8").read().split("\n\n")
    return [l for p in paras if "kmemsh(7)" not in p.split("\n")[0] for l in p.split("\n")]
c = set(lines(sys.argv[1]))
for line in lines(sys.argv[2]):
    if line in c and sum(w.strip(",;:.()") in small for w in line.split()) >= 3:
        print(line)' "$TESTTMP/walk.c" "$TESTTMP/walk.zh")
if [ -z "$same" ]; then ok
else bad "walk: help lines the same in C and $zh (untranslated?):"; echo "$same" | head -10
fi
# all of it, topics included, fits in 80 columns
wide=$(python3 -c '
import sys, unicodedata
for n, l in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    l = l.rstrip("\n")
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    if w > 80:
        print(n, w, l)' "$TESTTMP/walk.zh" 2>&1)
if [ -z "$wide" ]; then ok; else bad "walk.zh: lines wider than 80 columns:"; echo "$wide" | head -5; fi
# and every topic's text is Chinese in zh_CN, the man page's in C
for t in zones buddy boot; do
	printf 'help %s\n' "$t" >"$TESTTMP/topic.kms"
	LC_ALL=C run "$bin" <"$TESTTMP/topic.kms" >"$TESTTMP/topic.c" 2>&1
	LC_ALL=$zh run "$bin" <"$TESTTMP/topic.kms" >"$TESTTMP/topic.zh" 2>&1
	if has_zh "$TESTTMP/topic.zh" && ! has_zh "$TESTTMP/topic.c" &&
	   [ "$(head -1 "$TESTTMP/topic.c")" = "$(head -1 "$TESTTMP/topic.zh")" ]; then ok
	else bad "help $t: not Chinese in $zh"; head -5 "$TESTTMP/topic.zh"
	fi
done

# 7. replay's report (replay7): the summary is the shell's words, Chinese in
# zh_CN and none in C; the rows that carry data (events, caches, call sites)
# and the kernel's own rows (buddyinfo, unusable_index) are the same bytes in
# both, line for line; the columns of the translated headers still line up
# (a CJK character two columns)
cat >"$TESTTMP/replay.txt" <<'T'
# entries-in-buffer/entries-written: 4/10   #P:2
            cat-1     [000] .....    20.000001: mm_page_alloc: page=00000000aaaa0001 pfn=0x104000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP
            cat-1     [000] .....    20.000002: kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0001 bytes_req=100 bytes_alloc=256 gfp_flags=GFP_KERNEL
            cat-1     [001] .....    20.500003: kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000bbbb0003 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL
            cat-1     [001] .....    20.500004: kfree: call_site=d+0x1/0x2 ptr=00000000bbbb0005
garbage
T
run_both replay --arch x86_64 --mem 1G --kernel 6.1 --slab slab <<K
replay $TESTTMP/replay.txt
K
rc=$TESTTMP/replay.c rz=$TESTTMP/replay.zh
if grep -q '^replay: 6 lines (plain), 4 events in 0.500 s of trace$' "$rc" && ! has_zh "$rc" &&
   grep -q '^重放：6 行（未压缩），4 个事件，跟踪时长 0.500 秒$' "$rz" &&
   grep -q '^保真度：' "$rz" && grep -q '^  第 3 行：kmalloc(100)：跟踪中 bytes_alloc 为 256，模型为 128$' "$rz" && grep -q '^  第 6 行：没有时间戳' "$rz"; then ok
else bad "replay: the report is not English in C and Chinese in $zh:"; head -3 "$rc" "$rz"
fi
# the same lines; those of data and the kernel's rows the same bytes (a
# header or summary line has a word of the shell's: in C a small English word)
if [ "$(wc -l <"$rc")" = "$(wc -l <"$rz")" ] &&
   [ "$(grep -c '^Node [0-9]*, zone' "$rc")" -ge 2 ] &&
   [ "$(grep -E '^Node [0-9]*, zone|^  (kmalloc|kfree|kmem_cache_alloc|mm_page_alloc|size-|cache-|f\+|d\+|[0-9]+[.][0-9]{6} )' "$rc")" = \
     "$(grep -E '^Node [0-9]*, zone|^  (kmalloc|kfree|kmem_cache_alloc|mm_page_alloc|size-|cache-|f\+|d\+|[0-9]+[.][0-9]{6} )' "$rz")" ]; then ok
else bad "replay: the data and kernel rows differ between C and $zh:"; diff "$rc" "$rz" | head -10
fi
# every other line of the report is translated: none the same in both
same=$(LC_ALL=C grep -vxF -f "$rz" "$rc" | wc -l)
if [ "$same" = "$(grep -cvE '^Node [0-9]*, zone|^  (kmalloc|kfree|kmem_cache_alloc|mm_page_alloc|size-|cache-|f\+|d\+|[0-9]+[.][0-9]{6} )' "$rc")" ]; then ok
else bad "replay: lines of the report the same in C and $zh (untranslated?):"; LC_ALL=C grep -xF -f "$rz" "$rc" | head -5
fi
# the headers' columns: each row's numbers end where the translated header's ends
hdr=$(grep '^  事件' "$rz") row=$(grep '^  kmalloc ' "$rz")
if [ -n "$hdr" ] && [ "$(python3 -c 'import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(w(sys.argv[1]) == w(sys.argv[2]))' "$hdr" "$row")" = True ]; then ok
else bad "replay: the translated header does not line up with its rows:"; echo "$hdr"; echo "$row"
fi
# the timeline's header too: its last column ends where its rows' do
hdr=$(grep -A1 '^时间线：' "$rz" | tail -1) row=$(grep -A2 '^时间线：' "$rz" | tail -1)
if [ -n "$hdr" ] && [ -n "$row" ] && [ "$(python3 -c 'import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(w(sys.argv[1]) == w(sys.argv[2]))' "$hdr" "$row")" = True ]; then ok
else bad "replay: the translated timeline header does not line up with its rows:"; echo "$hdr"; echo "$row"
fi

echo "i18n: $pass passed, $fail failed"
[ $fail -eq 0 ]
