#!/bin/sh
# Usage: tests/run-replay.sh BINARY
#
# Trace replay (the replay command) on slices of real kernel traces in
# tests/data/ (x86_64 6.18 with hashed pointers; amd64 6.1, raw pointers, no
# name= on kmem_cache_alloc, with mm_page_free_batched, zone_locked and
# pcpu_drain; x86_64 6.18 vmalloc events with a purge; i386 6.1, raw, hashed
# and "(ptrval)" pointers), and on made-up inputs
# for every robustness case.  Expected
# counts come from awk over the same files, never from the parser under test.
# One PASS/FAIL line per check.  Environment as in tests/env.sh.
set -u
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
cd "$(dirname "$0")/.." || exit 2
[ -x "$bin" ] || { echo "replay: $bin: not an executable" >&2; exit 2; }

pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; fail=$((fail + 1)); }
# expect NAME GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got:  $2" "want: $3"; fi
}

T618=tests/data/kmem-x86_64-6.18-head20k.txt.gz
T61=tests/data/kmem-amd64-6.1-head15k.txt.gz
X64="--arch x86_64 --mem 4G --cpus 2"

# the report's row for an event: seen replayed pre-existing skipped failed
row() { awk -v e="$2" '$1 == e { print $2, $3, $4, $5, $6; exit }' "$1"; }
# awk's count of an event in a trace (text on stdin)
count() { awk -v e="$1:" '$1 !~ /^#/ { for (i = 1; i <= NF; i++) if ($i == e) { n++; break } } END { print n + 0 }'; }

# ---- events by type, against awk ----------------------------------------------
for t in "$T618" "$T61"; do
	run "$bin" $X64 replay "$t" > "$TESTTMP/r" 2>&1 || bad "$t: replay exits 0" "$(tail -3 "$TESTTMP/r")"
	gzip -dc "$t" > "$TESTTMP/plain"
	for e in kmalloc kfree kmem_cache_alloc kmem_cache_free mm_page_alloc mm_page_free mm_page_free_batched \
		 mm_page_alloc_zone_locked mm_page_pcpu_drain; do
		want=$(count "$e" < "$TESTTMP/plain")
		[ "$want" -eq 0 ] && continue
		set -- $(row "$TESTTMP/r" "$e")
		expect "$t: $e seen" "${1:-none}" "$want"
		expect "$t: $e replayed+pre-existing+skipped+failed = seen" "$(( ${2:-0} + ${3:-0} + ${4:-0} + ${5:-0} ))" "$want"
		expect "$t: $e none failed" "${5:-none}" 0
	done
	# kfree(NULL): skipped, one for each ptr=0 in the trace
	want=$(grep -c ' kfree: .* ptr=0*$' "$TESTTMP/plain")
	set -- $(row "$TESTTMP/r" kfree)
	expect "$t: kfree of NULL skipped" "$4" "$want"
	# fidelity: every kmalloc's bytes_alloc is the model's size class for bytes_req
	want=$(count kmalloc < "$TESTTMP/plain")
	expect "$t: fidelity" "$(grep '^fidelity:' "$TESTTMP/r")" \
		"fidelity: $want kmalloc size classes checked, 0 mismatches; 0 large kmalloc orders checked, 0 mismatches"
done

# 6.1: every mm_page_free_batched follows the mm_page_free of its page
gzip -dc "$T61" > "$TESTTMP/plain"
run "$bin" $X64 replay "$T61" > "$TESTTMP/r" 2>&1
want=$(count mm_page_free_batched < "$TESTTMP/plain")
expect "6.1: mm_page_free_batched companions" \
	"$(sed -n 's/.*; \([0-9]*\) mm_page_free_batched after mm_page_free$/\1/p' "$TESTTMP/r")" "$want"
# 6.1: kmem_cache_alloc has no name=: caches by bytes_alloc (cache-640 holds alloc_inode's 640-byte objects)
want=$(grep ' kmem_cache_alloc: ' "$TESTTMP/plain" | grep -c ' bytes_alloc=640 ')
got=$(sed -n 's/^  cache-640 ([^)]*) *[0-9]* *\([0-9]*\) .*/\1/p' "$TESTTMP/r")
expect "6.1: nameless kmem_cache_alloc goes to cache-640" "$got" "$want"
# ... named after the name= its objects are first freed with (kmem_cache_free has one in 6.1)
want=$(awk '/ kmem_cache_alloc: / { p = ""; b = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^ptr=/) p = $i; if ($i ~ /^bytes_alloc=/) b = $i }
		if (b == "bytes_alloc=640") a[p] = 1 }
	/ kmem_cache_free: / { for (i = 1; i <= NF; i++) if ($i ~ /^ptr=/ && ($i in a)) { for (j = 1; j <= NF; j++) if ($j ~ /^name=/) { print substr($j, 6); exit } } }' "$TESTTMP/plain")
got=$(sed -n 's/^  cache-640 (\([^,)]*\).*/\1/p' "$TESTTMP/r")
expect "6.1: cache-640 named by its first kmem_cache_free" "$got" "$want"

# 6.1 (raw pointers, nokaslr: the direct map at 0xffff888000000000): a slab
# object inside the page block its CPU allocated last makes that block a
# slab page, which the model's slab layer allocates itself: awk pairs them
# from the hex, and counts the mm_page_free of a paired block
want=$(awk 'function hex(s,  i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	$1 !~ /^#/ { cpu = ""; ev = ""
		for (i = 1; i <= NF; i++) { if ($i ~ /^\[[0-9]+\]$/) cpu = $i; if ($i ~ /^[0-9]+\.[0-9]+:$/) { ev = $(i + 1); break } }
		if (ev == "mm_page_alloc:") {
			for (i = 1; i <= NF; i++) { if ($i ~ /^pfn=0x/) pfn = hex(substr($i, 7)); if ($i ~ /^order=/) o = substr($i, 7) + 0 }
			last[cpu] = pfn; ord[cpu] = o; open[cpu] = 1
		} else if ((ev == "kmem_cache_alloc:" || ev == "kmalloc:") && open[cpu]) {
			for (i = 1; i <= NF; i++) if ($i ~ /^ptr=ffff888/) {
				p = int(hex(substr($i, 12)) / 4096)
				if (p >= last[cpu] && p < last[cpu] + 2 ^ ord[cpu]) { n++; pages += 2 ^ ord[cpu]; slab[last[cpu]] = 1; open[cpu] = 0 }
			}
		} else if (ev == "mm_page_free:") {
			for (i = 1; i <= NF; i++) if ($i ~ /^pfn=0x/) { pfn = hex(substr($i, 7)); if (pfn in slab) { frees++; delete slab[pfn] } }
		}
	}
	END { print n + 0, pages + 0, frees + 0 }' "$TESTTMP/plain")
got=$(sed -n 's/^  slab pages: 0 mm_page_alloc of large kmallocs (0 pages) and \([0-9]*\) of new slabs (\([0-9]*\) pages) paired.* nor their \([0-9]*\) mm_page_free$/\1 \2 \3/p' "$TESTTMP/r")
expect "6.1: mm_page_alloc of new slabs paired with the object inside (new slabs, pages, frees: $want)" "$got" "$want"
case $want in 0\ *) bad "6.1: the slice has slab pages to pair" "awk found none" ;; esac

# Slab pages by the order of events (hashed pointers, or raw ones before the
# direct map's base is known; mm/slub.c new_slab() and allocate_slab()): an
# mm_page_alloc with __GFP_NORETRY and none of __GFP_ZERO, __GFP_ACCOUNT,
# __GFP_HIGHMEM, __GFP_MOVABLE (nor a GFP_ name holding them) pairs with
# the slab object that is the next event on its CPU; a kmalloc from
# alloc_slab_obj_exts() in between is passed over, or after two such pages
# in a row pairs with the second.  With raw pointers (raw=1; the slices have
# the direct map at 0xffff888 + nine hex digits) an object in its CPU's last
# block at the base in use pairs by address and makes the base sure; before
# that a pair by order needs some 1 GiB-aligned base at or above it to put the
# object in the block, and votes for it; 4 votes make it the base.  Prints
# pairs, pages, pairs by order and the base (GiB above 0xffff888000000000).
pairs_awk() {
	awk -v raw="$1" 'function hex(s,  i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	function pair(c, ordered) { n++; pages += 2 ^ ord[c]; byord += ordered; key[c] = ""
		if (outer[c] != "") { key[c] = outer[c]; ord[c] = oord[c]; slab[c] = 1; nxt[c] = 1; outer[c] = "" } }
	BEGIN { base = 0; sure = 0; cand = -1; votes = 0 }
	$1 !~ /^#/ { cpu = ""; ev = ""; f = 0
		for (i = 1; i <= NF; i++) { if ($i ~ /^\[[0-9]+\]$/) cpu = $i; if ($i ~ /^[0-9]+\.[0-9]+:$/) { ev = $(i + 1); f = i + 2; break } }
		if (ev == "") next
		was = nxt[cpu]; nxt[cpu] = 0
		if (ev == "mm_page_alloc:") {
			g = ""; for (i = f; i <= NF; i++) { if ($i ~ /^pfn=0x/) pfn = hex(substr($i, 7)); if ($i ~ /^order=/) o = substr($i, 7) + 0
				if ($i ~ /^gfp_flags=/) g = $i }
			s = g ~ /__GFP_NORETRY/ && g !~ /ZERO|ACCOUNT|HIGHMEM|MOVABLE|HIGHUSER|TRANSHUGE/
			outer[cpu] = (s && key[cpu] != "" && slab[cpu] && was) ? key[cpu] : ""; oord[cpu] = ord[cpu]
			key[cpu] = pfn; ord[cpu] = o; slab[cpu] = s; nxt[cpu] = 1
			next
		}
		if (ev != "kmalloc:" && ev != "kmem_cache_alloc:") next
		p = ""; req = 0; oe = 0
		for (i = f; i <= NF; i++) { if ($i ~ /^ptr=/) p = substr($i, 5); if ($i ~ /^bytes_req=/) req = substr($i, 11) + 0
			if ($i ~ /^call_site=alloc_slab_obj_exts\+/) oe = 1 }
		if (p ~ /^0*$/ || p ~ /^0*10$/ || key[cpu] == "" || (ev == "kmalloc:" && req > 8192)) next
		if (raw) {
			off = hex(substr(p, 8)); pf = int((off - base) / 4096)
			if (off >= base && pf >= key[cpu] && pf < key[cpu] + 2 ^ ord[cpu]) { sure = 1; pair(cpu, 0); next }
			if (sure) next
		}
		if (!was || !slab[cpu]) next
		if (oe && outer[cpu] == "") { nxt[cpu] = 1; next }
		if (raw) {
			at = off - key[cpu] * 4096; b = at - at % 2 ^ 30
			if (at < 0 || at - b >= 4096 * 2 ^ ord[cpu]) next
			if (votes == 0) cand = b
			votes += (cand == b) ? 1 : -1
			if (votes >= 4) { base = cand; sure = 1 }
		}
		pair(cpu, 1)
	}
	END { printf "%d %d %d %d\n", n, pages, byord, base / 2 ^ 30 }'
}
got_pairs() { sed -n 's/^  slab pages: .* and \([0-9]*\) of new slabs (\([0-9]*\) pages) paired.*/\1 \2/p' "$1"; }
got_byord() { sed -n 's/^    \([0-9]*\) of the new slabs paired by the order of events.*/\1/p' "$1"; }

# the rule checked on the raw 6.1 slice: every pair by order is also one by address
want=$(gzip -dc "$T61" | pairs_awk 0)
sound=$(gzip -dc "$T61" | awk 'function hex(s,  i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	$1 !~ /^#/ { cpu = ""; ev = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^\[[0-9]+\]$/) cpu = $i; if ($i ~ /^[0-9]+\.[0-9]+:$/) { ev = $(i + 1); break } }
		w = nx[cpu]; nx[cpu] = 0
		if (ev == "mm_page_alloc:") { for (i = 1; i <= NF; i++) { if ($i ~ /^pfn=0x/) k[cpu] = hex(substr($i, 7)); if ($i ~ /^order=/) o[cpu] = substr($i, 7) + 0
				if ($i ~ /^gfp_flags=/) s[cpu] = $i ~ /__GFP_NORETRY/ && $i !~ /ZERO|ACCOUNT|HIGHMEM|MOVABLE|HIGHUSER|TRANSHUGE/ }
			nx[cpu] = 1 }
		else if ((ev == "kmem_cache_alloc:" || ev == "kmalloc:") && w && s[cpu]) { for (i = 1; i <= NF; i++) if ($i ~ /^ptr=ffff888/) {
				n++; p = int(hex(substr($i, 12)) / 4096); if (p >= k[cpu] && p < k[cpu] + 2 ^ o[cpu]) good++ }
			s[cpu] = 0 } }
	END { print n + 0, good + 0 }')
case $sound in 0\ *) bad "6.1: the slice has pairs by the order of events" "awk found none" ;;
*) expect "6.1 raw: every slab page the order of events pairs holds its object (pairs, of them by address)" \
	"$sound" "${sound% *} ${sound% *}" ;; esac
# hashed: the 6.1 slice's direct-map pointers made 00000 + their nine digits + 1 (odd: hashed)
gzip -dc "$T61" | sed 's/ptr=ffff888\([0-9a-f]\{9\}\)/ptr=000000\11/' > "$TESTTMP/h61.txt"
want=$(pairs_awk 0 < "$TESTTMP/h61.txt")
run "$bin" $X64 replay "$TESTTMP/h61.txt" > "$TESTTMP/r" 2>&1
expect "6.1 hashed: new slabs paired by the order of events (pairs pages: ${want% * *})" \
	"$(got_pairs "$TESTTMP/r") $(got_byord "$TESTTMP/r")" "$(echo "$want" | cut -d' ' -f1-3)"
# the 6.18 slice (hashed pointers, alloc_slab_obj_exts() between page and object)
want=$(gzip -dc "$T618" | pairs_awk 0)
run "$bin" $X64 replay "$T618" > "$TESTTMP/r" 2>&1
expect "6.18: new slabs paired by the order of events (pairs pages: ${want% * *})" \
	"$(got_pairs "$TESTTMP/r") $(got_byord "$TESTTMP/r")" "$(echo "$want" | cut -d' ' -f1-3)"
# KASLR: the 6.1 slice's direct map moved up 16 GiB (ffff8880/1 -> ffff8884/5)
gzip -dc "$T61" | sed 's/ptr=ffff8880/ptr=ffff8884/; s/ptr=ffff8881/ptr=ffff8885/' > "$TESTTMP/k61.txt"
want=$(pairs_awk 1 < "$TESTTMP/k61.txt")
run "$bin" $X64 replay "$TESTTMP/k61.txt" > "$TESTTMP/r" 2>&1
hx=$(sed -n 's/^    direct map (KASLR) at 0xffff888\([0-9a-f]*\),.*/\1/p' "$TESTTMP/r")
expect "6.1 KASLR: pairs, pages, by order, direct map base in GiB found ($want)" \
	"$(got_pairs "$TESTTMP/r") $(got_byord "$TESTTMP/r") $(( 0x${hx:-0} / 1073741824 ))" "$want"
case $want in *\ 16) ;; *) bad "6.1 KASLR: awk finds the base 16 GiB up" "$want" ;; esac

# 6.1: per-CPU list refills (mm_page_alloc_zone_locked), counted with their pages, not replayed
want=$(awk '/ mm_page_alloc_zone_locked: / { o = -1; r = -1; for (i = 1; i <= NF; i++) { if ($i ~ /^order=/) o = substr($i, 7) + 0
		if ($i ~ /^percpu_refill=/) r = substr($i, 15) + 0 }
		if (r == 1) a += 2 ^ o; else if (r == 0) b += 2 ^ o }
	END { printf "%d %d", a, b }' "$TESTTMP/plain")
expect "6.1: pages refilling per-CPU lists and taken straight from the buddy lists" \
	"$(sed -n 's/^  per-CPU page lists: \([0-9]*\) pages refilled them, \([0-9]*\) taken straight.*/\1 \2/p' "$TESTTMP/r")" "$want"
# ... and the line says what the model's own per-CPU lists did: on by
# default (/proc/zoneinfo's pcp counts after the replay), none with --pcp off
for pcp in on off; do
	run "$bin" $X64 --pcp $pcp -q -c "replay $T61 --top 1" -c 'cat /proc/zoneinfo' > "$TESTTMP/rz" 2>&1
	held=$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' "$TESTTMP/rz")
	case $pcp in on) [ "$held" -gt 0 ] || bad "6.1 with --pcp on: the model's per-CPU lists hold pages after the replay" "$held" ;;
	off) expect "6.1 with --pcp off: no page on a per-CPU list" "$held" 0 ;; esac
	expect "6.1 with --pcp $pcp: the per-CPU line says whether the model has lists of its own" \
		"$(grep -c "^  per-CPU page lists: .*the model has no per-CPU lists" "$TESTTMP/rz")" "$([ "$held" -gt 0 ] && echo 0 || echo 1)"
done
set -- $(row "$TESTTMP/r" mm_page_alloc_zone_locked)
expect "6.1: mm_page_alloc_zone_locked skipped, not replayed" "${2:-none} ${4:-none}" "0 $(count mm_page_alloc_zone_locked < "$TESTTMP/plain")"
# drains and fallbacks (made-up lines in the TP_printk() formats of include/trace/events/kmem.h)
{
	echo '          <...>-1 [000] d..2.    30.000001: mm_page_pcpu_drain: page=ffffea0004048500 pfn=0x101214 order=0 migratetype=1'
	echo '          <...>-1 [001] d..2.    30.000002: mm_page_pcpu_drain: page=ffffea0004048580 pfn=0x101218 order=3 migratetype=1'
	echo '          <...>-1 [000] d..2.    30.000003: mm_page_alloc_extfrag: page=ffffea0004048600 pfn=0x101220 alloc_order=0 fallback_order=9 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1'
	echo '          <...>-1 [000] d..2.    30.000004: mm_page_alloc_extfrag: page=ffffea0004048600 pfn=0x101221 alloc_order=0 fallback_order=2 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=1 change_ownership=0'
	echo '          <...>-1 [000] d..2.    30.000005: mm_page_alloc_extfrag: page=ffffea0004048600 pfn=0x101222 alloc_order=0 fallback_order=2'
} > "$TESTTMP/pcp.txt"
run "$bin" $X64 replay "$TESTTMP/pcp.txt" > "$TESTTMP/r" 2>&1
expect "mm_page_pcpu_drain: pages drained (1 + 8)" \
	"$(sed -n 's/^  per-CPU page lists: .* \([0-9]*\) drained back (mm_page_pcpu_drain).*/\1/p' "$TESTTMP/r")" 9
expect "mm_page_alloc_extfrag: fragmenting, changed ownership" \
	"$(sed -n 's/^  fallbacks: \([0-9]*\) mm_page_alloc_extfrag, \([0-9]*\) fragmenting, \([0-9]*\) changed.*/\1 \2 \3/p' "$TESTTMP/r")" "2 1 1"
expect "mm_page_alloc_extfrag without its fields: a bad line" "$(grep -c '^  line 5: mm_page_alloc_extfrag without' "$TESTTMP/r")" 1

# ---- vmalloc events: through the model's vmap allocator ---------------------------
# A capture of our own (x86_64 Linux 6.18, 2 CPUs, events/vmalloc on while
# processes were forked: their 16K stacks), cut to its last 684 events so that
# it holds the one purge_vmap_area_lazy of the capture.
TVM=tests/data/vmalloc-x86_64-6.18-purge.txt.gz
gzip -dc "$TVM" > "$TESTTMP/vm.txt"
run "$bin" $X64 -c "replay $TVM" -c check > "$TESTTMP/r" 2>&1
allocs=$(count alloc_vmap_area < "$TESTTMP/vm.txt")
ok_allocs=$(grep -c ' alloc_vmap_area: .* failed=0$' "$TESTTMP/vm.txt")
frees=$(count free_vmap_area_noflush < "$TESTTMP/vm.txt")
expect "vmalloc: alloc_vmap_area seen, replayed (failed=0), none failed" "$(row "$TESTTMP/r" alloc_vmap_area | cut -d' ' -f1,2,5)" \
	"$allocs $ok_allocs 0"
set -- $(row "$TESTTMP/r" free_vmap_area_noflush)
expect "vmalloc: free_vmap_area_noflush seen, replayed+pre-existing, none failed" "$1 $(( $2 + $3 )) $5" "$frees $frees 0"
expect "vmalloc: purge_vmap_area_lazy replayed" "$(row "$TESTTMP/r" purge_vmap_area_lazy)" \
	"$(count purge_vmap_area_lazy < "$TESTTMP/vm.txt") $(count purge_vmap_area_lazy < "$TESTTMP/vm.txt") 0 0 0"
# every area as large as traced (guard page included); on 2 CPUs the model's
# lazy_max_pages() (mm/vmalloc.c: fls(num_online_cpus()) * 32M / PAGE_SIZE =
# 2 * 8192) is the traced nr_lazy_max
expect "vmalloc: sizes" "$(grep '^vmalloc:' "$TESTTMP/r" | sed 's/, [0-9]* at the traced.*//')" \
	"vmalloc: $ok_allocs areas checked, 0 size mismatches (guard page included)"
lazymax=$(awk '/ free_vmap_area_noflush: / { for (i = 1; i <= NF; i++) if ($i ~ /^nr_lazy_max=/) v = substr($i, 13) } END { print v }' "$TESTTMP/vm.txt")
expect "vmalloc: lazy_max_pages on 2 CPUs" "$(grep '^  lazy_max_pages:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lazy_max_pages: traced $lazymax, model 16384 (0 of $frees frees differ)"
run "$bin" --arch x86_64 --mem 4G --cpus 4 replay "$TVM" > "$TESTTMP/r4" 2>&1
expect "vmalloc: lazy_max_pages on 4 CPUs (fls(4) * 8192)" "$(grep '^  lazy_max_pages:' "$TESTTMP/r4" | sed 's/^ *//')" \
	"lazy_max_pages: traced $lazymax, model 24576 ($frees of $frees frees differ)"
expect "vmalloc: the model checks out" "$(grep -c '^check: consistent' "$TESTTMP/r")" 1
if command -v python3 >/dev/null 2>&1; then
	# which frees find their area (allocated in the slice, decimal va_start) and
	# how many areas are lazy at the purge: counted here from the text
	want=$(python3 - "$TESTTMP/vm.txt" <<'PY'
import re, sys
live, lazy, freed, pre, purged = set(), 0, 0, 0, 0
for l in open(sys.argv[1]):
    m = re.search(r' alloc_vmap_area: va_start: (\d+) .*failed=0$', l)
    if m:
        live.add(int(m.group(1)))
        continue
    m = re.search(r' free_vmap_area_noflush: va_start=0x([0-9a-f]+) ', l)
    if m:
        a = int(m.group(1), 16)
        if a in live:
            live.discard(a); freed += 1; lazy += 1
        else:
            pre += 1
        continue
    if ' purge_vmap_area_lazy: ' in l:
        purged += lazy; lazy = 0
print(freed, pre, purged, len(live))
PY
)
	set -- $want
	expect "vmalloc: frees replayed / pre-existing" "$(row "$TESTTMP/r" free_vmap_area_noflush | cut -d' ' -f2,3)" "$1 $2"
	expect "vmalloc: the traced purge purges the model's lazy areas" \
		"$(sed -n 's/.* areas purged by them (num_purged), \([0-9]*\) by the model there; \([0-9]*\) purges.*/\1 \2/p' "$TESTTMP/r")" "$3 0"
	expect "vmalloc: live areas at the end" "$(sed -n 's/^vmalloc: .*; \([0-9]*\) still live, .*/\1/p' "$TESTTMP/r")" "$4"
fi
# the 6.18 sample's vmalloc events: every area replayed, as large as traced
gzip -dc "$T618" > "$TESTTMP/plain"
n=$(count alloc_vmap_area < "$TESTTMP/plain")
run "$bin" $X64 replay "$T618" > "$TESTTMP/r" 2>&1
expect "6.18: alloc_vmap_area replayed" "$(row "$TESTTMP/r" alloc_vmap_area)" "$n $n 0 0 0"
expect "6.18: vmalloc sizes" "$(grep '^vmalloc:' "$TESTTMP/r" | sed 's/, [0-9]* at the traced.*//')" \
	"vmalloc: $n areas checked, 0 size mismatches (guard page included)"

# ---- gzip, plain and stdin give the same summary ------------------------------
gzip -dc "$T618" > "$TESTTMP/t.txt"
run "$bin" $X64 replay "$T618" | sed 1d > "$TESTTMP/gz"
run "$bin" $X64 replay "$TESTTMP/t.txt" | sed 1d > "$TESTTMP/pl"
run "$bin" $X64 replay - < "$TESTTMP/t.txt" | sed 1d > "$TESTTMP/in"
gzip -dc "$T618" | run "$bin" $X64 -c 'replay -' | sed 1d > "$TESTTMP/in2"
cp "$T618" "$TESTTMP/noext"
run "$bin" $X64 replay "$TESTTMP/noext" | sed 1d > "$TESTTMP/noext.out"
if cmp -s "$TESTTMP/gz" "$TESTTMP/pl" && cmp -s "$TESTTMP/gz" "$TESTTMP/in" && cmp -s "$TESTTMP/gz" "$TESTTMP/in2" &&
   cmp -s "$TESTTMP/gz" "$TESTTMP/noext.out"; then
	ok "gzip file, plain file, stdin, zcat | replay -, gzip without .gz: the same summary"
else
	bad "gzip/plain/stdin summaries differ" "$(diff "$TESTTMP/gz" "$TESTTMP/pl" | head -5)"
fi
expect "the first line says gzip" "$(run "$bin" $X64 replay "$TESTTMP/noext" | head -1 | grep -c '(gzip)')" 1

# trace_pipe: the same lines without tracefs' '#' header
grep -v '^#' "$TESTTMP/t.txt" > "$TESTTMP/pipe.txt"
run "$bin" $X64 replay "$TESTTMP/pipe.txt" | sed 1d | grep -v '^  lines: ' > "$TESTTMP/pipe.out"
grep -v '^  lines: ' "$TESTTMP/pl" > "$TESTTMP/pl2"
if cmp -s "$TESTTMP/pl2" "$TESTTMP/pipe.out"; then ok "trace_pipe text (no header): the same summary"
else bad "trace_pipe text (no header) differs" "$(diff "$TESTTMP/pl2" "$TESTTMP/pipe.out" | head -5)"; fi

# ---- trace-cmd report and perf script text --------------------------------------
# trace-cmd report (tracecmd/trace-read.c): "version = N", "cpus=N" and
# "CPU N is empty" first, then no flags column and the event name padded
{ echo 'version = 6'; echo 'CPU 1 is empty'; echo 'cpus=2'
  grep -v '^#' "$TESTTMP/t.txt" | sed -E 's/^( *[^ ].*-[0-9]+) +(\[[0-9]+\]) [^ ]+ +([0-9]+\.[0-9]+: )([a-z_]+:) /\1  \2 \3\4\t/'
} > "$TESTTMP/tcr.txt"
run "$bin" $X64 replay "$TESTTMP/tcr.txt" > "$TESTTMP/tcr.out" 2>&1
expect "trace-cmd report: its preamble is 3 header lines, no bad ones" "$(grep '^  lines:' "$TESTTMP/tcr.out" | sed 's/^ *//')" \
	"lines: 3 comments, 0 not trace lines, 0 overlong, 0 with NUL bytes, 0 CRLF, 0 timestamps going back"
if [ "$(sed -n '2,/^  lines:/p' "$TESTTMP/tcr.out" | grep -v '^  lines:')" = "$(sed -n '1,/^  lines:/p' "$TESTTMP/pl" | grep -v '^  lines:')" ] &&
   [ "$(grep '^fidelity:' "$TESTTMP/tcr.out")" = "$(grep '^fidelity:' "$TESTTMP/pl")" ]; then
	ok "trace-cmd report: the same events and fidelity as the tracefs text"
else bad "trace-cmd report: events differ" "$(sed -n '2,9p' "$TESTTMP/tcr.out")"; fi
# trace-cmd report as trace-cmd 3.1.6 prints it (a capture of our own: x86_64
# Linux 6.18, 2 CPUs, events/kmem and events/vmalloc on in an instance
# "audit10tc", `find /usr -name x` for a second, then trace-cmd extract -B
# audit10tc and trace-cmd report; its first 6000 events): each line starts
# with the buffer's name, the kmem plugin of libtraceevent puts the call
# site in parentheses before the fields, pointers are raw
TTC=tests/data/kmem-trace-cmd-report-x86_64-6.18-head6k.txt.gz
gzip -dc "$TTC" > "$TESTTMP/tc.txt"
run "$bin" $X64 replay "$TTC" > "$TESTTMP/r" 2>&1
for e in kmalloc kfree kmem_cache_alloc kmem_cache_free mm_page_alloc mm_page_free mm_page_free_batched \
	 mm_page_alloc_zone_locked; do
	want=$(count "$e" < "$TESTTMP/tc.txt")
	set -- $(row "$TESTTMP/r" "$e")
	expect "trace-cmd report (real): $e seen, all accounted for, none failed" \
		"${1:-none} $(( ${2:-0} + ${3:-0} + ${4:-0} + ${5:-0} )) ${5:-none}" "$want $want 0"
done
expect "trace-cmd report (real): other events (rss_stat) counted" "$(row "$TESTTMP/r" other | cut -d' ' -f1)" \
	"$(grep -c ' rss_stat: ' "$TESTTMP/tc.txt")"
expect "trace-cmd report (real): cpus=2 the only header line, no bad ones" "$(grep '^  lines:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lines: 1 comments, 0 not trace lines, 0 overlong, 0 with NUL bytes, 0 CRLF, 0 timestamps going back"
expect "trace-cmd report (real): fidelity" "$(grep '^fidelity:' "$TESTTMP/r")" \
	"fidelity: $(count kmalloc < "$TESTTMP/tc.txt") kmalloc size classes checked, 0 mismatches; 0 large kmalloc orders checked, 0 mismatches"
# the call site is call_site='s, not the plugin's "(...)": awk's most frequent
expect "trace-cmd report (real): the call site with the most allocations" \
	"$(sed -n '/^call sites by allocations:/{n;n;p;q}' "$TESTTMP/r" | awk '{ print $2, $1 }')" \
	"$(awk '/ (kmalloc|kmem_cache_alloc): / { for (i = 1; i <= NF; i++) if ($i ~ /^call_site=/) n[substr($i, 11)]++ }
		END { for (s in n) print n[s], s }' "$TESTTMP/tc.txt" | sort -k1,1nr -k2,2 | head -1)"
# perf script (a capture of our own: x86_64 Linux 6.18, perf record -e
# kmem:...; raw pointers with 0x, call_site without /size, SYSTEM:EVENT,
# and kfree(NULL) as "ptr=(nil)": libtraceevent prints %p with glibc)
TPS=tests/data/kmem-perf-script-x86_64-6.18-head4k.txt.gz
gzip -dc "$TPS" > "$TESTTMP/ps.txt"
run "$bin" $X64 replay "$TPS" > "$TESTTMP/r" 2>&1
for e in kmalloc kfree kmem_cache_alloc kmem_cache_free mm_page_alloc mm_page_free; do
	want=$(count "kmem:$e" < "$TESTTMP/ps.txt")
	set -- $(row "$TESTTMP/r" "$e")
	expect "perf script: $e seen, none failed" "${1:-none} ${5:-none}" "$want 0"
done
set -- $(row "$TESTTMP/r" kfree)
expect "perf script: kfree ptr=(nil) skipped as kfree(NULL)" "${4:-none}" "$(grep -c ' kmem:kfree: .* ptr=(nil)$' "$TESTTMP/ps.txt")"
expect "perf script: no bad lines" "$(grep '^  lines:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lines: 0 comments, 0 not trace lines, 0 overlong, 0 with NUL bytes, 0 CRLF, 0 timestamps going back"
expect "perf script: fidelity" "$(grep '^fidelity:' "$TESTTMP/r")" \
	"fidelity: $(count kmem:kmalloc < "$TESTTMP/ps.txt") kmalloc size classes checked, 0 mismatches; 0 large kmalloc orders checked, 0 mismatches"

# perf script --show-lost-events: perf's own "PERF_RECORD_LOST lost N" records
# (tools/perf/util/event.c perf_event__fprintf_lost(), lines as a capture of
# ours printed them) say how many events perf's buffer lost: not bad lines,
# and the lost line gives their sum
{ gzip -dc "$TPS" | sed -n '1,2000p'
  echo '              as  2350 [000] 34095.588546: PERF_RECORD_LOST lost 6990'
  echo '            perf  2438 [001] 34095.712446: PERF_RECORD_LOST lost 439'
  gzip -dc "$TPS" | sed -n '2001,$p'
} > "$TESTTMP/psl.txt"
run "$bin" $X64 replay "$TESTTMP/psl.txt" > "$TESTTMP/r" 2>&1
expect "perf script --show-lost-events: PERF_RECORD_LOST lines are perf's, not bad lines" \
	"$(grep '^  lines:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lines: 2 comments, 0 not trace lines, 0 overlong, 0 with NUL bytes, 0 CRLF, 0 timestamps going back"
expect "perf script --show-lost-events: the events perf lost (awk: the sum)" \
	"$(sed -n 's/^  lost: \([0-9]*\) events perf lost (\([0-9]*\) PERF_RECORD_LOST.*/\1 \2/p' "$TESTTMP/r")" \
	"$(awk '$(NF - 2) == "PERF_RECORD_LOST" && $(NF - 1) == "lost" { s += $NF; n++ } END { print s + 0, n + 0 }' "$TESTTMP/psl.txt")"

# 4.19 text (include/trace/events/kmem.h of v4.19: call_site=%lx, hashed %p,
# pfn=%lu, four flag columns, kmalloc_node and kmem_cache_alloc_node with node=)
cat > "$TESTTMP/v419.txt" <<'TRACE'
# tracer: nop
            bash-1234  [001] ....   100.000001: kmalloc: call_site=ffffffff8120a7b2 ptr=000000004b1e5c07 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL
            bash-1234  [001] ....   100.000002: kmalloc_node: call_site=ffffffff8120a7b2 ptr=000000009b1e5c07 bytes_req=3000 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1
            bash-1234  [001] ....   100.000003: kmem_cache_alloc: call_site=ffffffff81234567 ptr=00000000deadbeef bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL
            bash-1234  [000] ....   100.000003: kmem_cache_alloc_node: call_site=ffffffff81234567 ptr=00000000deadbee0 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=0
            bash-1234  [001] d...   100.000004: mm_page_alloc: page=00000000abcd1234 pfn=1234567 order=0 migratetype=0 gfp_flags=GFP_KERNEL
            bash-1234  [001] d...   100.000005: mm_page_free: page=00000000abcd1234 pfn=1234567 order=0
            bash-1234  [001] ....   100.000007: kmem_cache_free: call_site=ffffffff81234567 ptr=00000000deadbeef
            bash-1234  [001] ....   100.000008: kfree: call_site=ffffffff8120a7b2 ptr=000000004b1e5c07
            bash-1234  [001] ....   100.000009: kmalloc: call_site=ffffffff8120a7b2 ptr=000000004b1e5c07 bytes_req=9000 bytes_alloc=16384 gfp_flags=GFP_KERNEL
TRACE
run "$bin" $X64 replay "$TESTTMP/v419.txt" > "$TESTTMP/r" 2>&1
for e in kmalloc kmalloc_node kmem_cache_alloc kmem_cache_alloc_node mm_page_alloc mm_page_free kmem_cache_free kfree; do
	n=$(count "$e" < "$TESTTMP/v419.txt")
	expect "4.19 text: $e replayed" "$(row "$TESTTMP/r" "$e")" "$n $n 0 0 0"
done
large=$(awk '/ kmalloc(_node)?: / { for (i = 1; i <= NF; i++) if ($i ~ /^bytes_req=/ && substr($i, 11) + 0 > 8192) n++ } END { print n + 0 }' "$TESTTMP/v419.txt")
expect "4.19 text: fidelity" "$(grep '^fidelity:' "$TESTTMP/r")" \
	"fidelity: $(grep -c ' kmalloc\(_node\)\{0,1\}: ' "$TESTTMP/v419.txt") kmalloc size classes checked, 0 mismatches; $large large kmalloc orders checked, 0 mismatches"

# 2.6.32 i386 text (decimal pfn, call_site in hex, 8-digit pointers, "(null)",
# mm_page_free_direct and mm_pagevec_free) on --arch i386 --kernel 2.6.32
T2632=tests/fuzz/trace-corpus/v2.6.32-i386.txt
run "$bin" --arch i386 --kernel 2.6.32 replay "$T2632" > "$TESTTMP/r" 2>&1
for e in kmalloc kmem_cache_alloc kmem_cache_free mm_page_alloc; do
	n=$(count "$e" < "$T2632")
	expect "2.6.32 text: $e replayed" "$(row "$TESTTMP/r" "$e")" "$n $n 0 0 0"
done
expect "2.6.32 text: mm_page_free_direct is mm_page_free" "$(row "$TESTTMP/r" mm_page_free | cut -d' ' -f1)" "$(count mm_page_free_direct < "$T2632")"
expect "2.6.32 text: mm_pagevec_free is mm_page_free_batched" "$(row "$TESTTMP/r" mm_page_free_batched | cut -d' ' -f1)" "$(count mm_pagevec_free < "$T2632")"
expect "2.6.32 text: kfree ptr=(null) skipped" "$(row "$TESTTMP/r" kfree | cut -d' ' -f4)" "$(grep -c ' kfree: .*ptr=(null)$' "$T2632")"
expect "2.6.32 text: no bad lines" "$(grep '^  lines:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lines: 0 comments, 0 not trace lines, 0 overlong, 0 with NUL bytes, 0 CRLF, 0 timestamps going back"

# ---- placement modes ----------------------------------------------------------
gzip -dc "$T618" > "$TESTTMP/plain"
allocs=$(count mm_page_alloc < "$TESTTMP/plain")
# Every traced pfn is inside 6G and free at boot; during the replay a few
# can be held by pages the model placed itself (its own slab pages, for
# caches whose slabs it lays out differently, taken from the head of a CPU's
# pcp list where the trace's frees went, and then the pages placed for the
# events that fell back), so those fall back to the model's placement too:
# each event is one or the other, none outside.  How many fall back depends
# on what the pcp lists hold after boot (none before 6.13's boot took
# preallocate_vmalloc_pages()'s 64 pud tables through them, 11 after).
run "$bin" --arch x86_64 --mem 6G --cpus 2 -c "replay $T618 --exact-pfn" -c check > "$TESTTMP/r" 2>&1
got=$(sed -n 's/.*--exact-pfn: \([0-9]*\) at the traced pfn, \([0-9]*\) outside this machine.s memory, \([0-9]*\) not free here.*/\1 + \3, \2 outside/p' "$TESTTMP/r")
expect "--exact-pfn on 6G: every traced pfn taken exactly or held by the model's own pages" \
	"$(echo "$got" | awk '{ print $1 + $3 ", " $4 " " $5 }')" "$allocs, 0 outside"
# and the fallbacks stay a handful: under 1% of the traced allocations
expect "--exact-pfn on 6G: under 1% fell back" \
	"$(echo "$got" | awk -v n="$allocs" '{ print ($3 < n / 100) ? "few" : $3 " fell back" }')" "few"
expect "--exact-pfn: the model checks out" "$(grep -c '^check: consistent' "$TESTTMP/r")" 1
# on 2G, the pfns at and above 2G (0x80000) are outside: awk counts them from the hex
outside=$(awk 'function hex(s,  i, v) { v = 0; s = tolower(s); for (i = 3; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	/ mm_page_alloc: / { for (i = 1; i <= NF; i++) if ($i ~ /^pfn=/) { if (hex(substr($i, 5)) >= 524288) n++ } }
	END { print n + 0 }' "$TESTTMP/plain")
run "$bin" --arch x86_64 --mem 2G -c "replay $T618 --exact-pfn" -c check > "$TESTTMP/r" 2>&1
got=$(sed -n 's/.*--exact-pfn: [0-9]* at the traced pfn, \([0-9]*\) outside.*/\1/p' "$TESTTMP/r")
expect "--exact-pfn on 2G: pfns above 2G counted outside" "$got" "$outside"
expect "--exact-pfn on 2G: the model checks out" "$(grep -c '^check: consistent' "$TESTTMP/r")" 1
# the default: the model places every page itself
run "$bin" $X64 -c "replay $T618" -c check > "$TESTTMP/r" 2>&1
set -- $(row "$TESTTMP/r" mm_page_alloc)
paired=$(pairs_awk 0 < "$TESTTMP/plain" | cut -d' ' -f1)
expect "model placement: every mm_page_alloc replayed but the $paired new slabs paired" "$2 $4" "$((allocs - paired)) $paired"
expect "model placement: the model checks out" "$(grep -c '^check: consistent' "$TESTTMP/r")" 1

# ---- real 32-bit 6.x traces on --arch i386 -----------------------------------------
# Two whole captures of a real i386 Linux 6.1 (Debian's 686 kernel, QEMU,
# 1 GiB, 2 CPUs; tests/data/README says how), raw and hashed pointers: a
# sweep of kmalloc sizes (kvzalloc(N + 1) of sysctl writes, N = 1..520 and
# on to 262144), three kfree(ZERO_SIZE_PTR), then the amd64 reference's
# workload; and the head of a capture whose hashed pointers all print as
# "(ptrval)" (read before the kernel's RNG was ready).
TI=tests/data/kmem-i386-6.1-raw.txt.gz
TIH=tests/data/kmem-i386-6.1-hashed.txt.gz
TIP=tests/data/kmem-i386-6.1-ptrval-head2k.txt.gz
I386="--arch i386 --mem 1G --cpus 2"
# awk over a trace's kmallocs with a pointer (NULL: failed in the kernel):
# how many, how many above KMALLOC_MAX_CACHE_SIZE (2 * PAGE_SIZE = 8192:
# large, by order), and how many whose bytes_alloc is not the smallest of
# the classes SIZES holding bytes_req (above the largest: PAGE_SIZE << order)
kmalloc_awk() {
	awk -v sizes="$1" 'BEGIN { n = split(sizes, s, " ") }
	$1 !~ /^#/ && / kmalloc: / { r = 0; a = 0; p = ""
		for (i = 1; i <= NF; i++) { if ($i ~ /^bytes_req=/) r = substr($i, 11) + 0
			if ($i ~ /^bytes_alloc=/) a = substr($i, 13) + 0; if ($i ~ /^ptr=/) p = substr($i, 5) }
		if (p ~ /^0+$/) next
		k++; if (r > 8192) l++
		c = 0; for (i = 1; i <= n; i++) if (s[i] + 0 >= r && (!c || s[i] + 0 < c)) c = s[i] + 0
		if (!c) { c = 4096; while (c < r) c *= 2 }
		if (c != a) m++ }
	END { print k + 0, l + 0, m + 0 }'
}
# the kmalloc-N objsizes of the real i386 6.1 kernel's slabinfo
# (shared/reference/real-kernels/i386-6.1-1G-2cpu/slabinfo.txt)
sizes61=$(tr '\n' ' ' < tests/data/i386-6.1-kmalloc-sizes.txt)
# 2.6.32's SLAB general caches, include/linux/kmalloc_sizes.h: 32 (PAGE_SIZE
# 4096), 64, no 96 (L1_CACHE_BYTES 64, the model's i386 2.6.32 cache line),
# 128, 192, 256 .. KMALLOC_MAX_SIZE (4 MiB: MAX_ORDER 11)
sizes2632="32 64 128 192 256 512 1024 2048 4096 8192 16384 32768 65536 131072 262144 524288 1048576 2097152 4194304"
for t in "$TI" "$TIH"; do
	gzip -dc "$t" > "$TESTTMP/plain"
	set -- $(kmalloc_awk "$sizes61" < "$TESTTMP/plain")
	n=$1 large=$2
	expect "$t: bytes_alloc is the real slabinfo's kmalloc class (awk: mismatches)" "$3" 0
	expect "$t: the sweep reaches every kmalloc class of the real slabinfo" \
		"$(awk '/ kmalloc: / { for (i = 1; i <= NF; i++) if ($i ~ /^bytes_alloc=/ && substr($i, 13) + 0 <= 8192) print substr($i, 13) }' \
			"$TESTTMP/plain" | sort -n | uniq | tr '\n' ' ')" "$(sort -n tests/data/i386-6.1-kmalloc-sizes.txt | tr '\n' ' ')"
	case $large in 0) bad "$t: large kmallocs in the trace" "awk found none" ;; esac
	for k in 6.13 6.1; do
		run "$bin" $I386 --kernel "$k" replay "$t" > "$TESTTMP/r" 2>&1 || bad "$t on $k: replay exits 0" "$(tail -3 "$TESTTMP/r")"
		expect "$t on i386 $k: fidelity ($n checked, $large large, 0 mismatches)" "$(grep '^fidelity:' "$TESTTMP/r")" \
			"fidelity: $n kmalloc size classes checked, 0 mismatches; $large large kmalloc orders checked, 0 mismatches"
	done
	for e in kmalloc kfree kmem_cache_alloc kmem_cache_free mm_page_alloc mm_page_free; do
		set -- $(row "$TESTTMP/r" "$e")
		expect "$t on i386 6.1: $e seen, none failed" "${1:-none} ${5:-none}" "$(count "$e" < "$TESTTMP/plain") 0"
	done
	# the check can fail: on 2.6.32 (SLAB: no 8, 16 or 96; no large kmalloc)
	set -- $(kmalloc_awk "$sizes2632" < "$TESTTMP/plain")
	case $3 in 0) bad "$t: awk finds kmallocs 2.6.32 sizes otherwise" "none" ;; esac
	run "$bin" $I386 --kernel 2.6.32 replay "$t" > "$TESTTMP/r" 2>&1
	expect "$t on i386 2.6.32: fidelity ($3 of SLAB's classes differ)" "$(grep '^fidelity:' "$TESTTMP/r")" \
		"fidelity: $1 kmalloc size classes checked, $3 mismatches; 0 large kmalloc orders checked, 0 mismatches"
done

# kfree(ZERO_SIZE_PTR): kmalloc(0) is never traced, kfree() traces it.  Raw
# it is 00000010; hashed it is the one pointer kfree'd more than once that
# the trace never allocates (awk finds it)
zero_awk() {
	awk '$1 !~ /^#/ { ev = ""; p = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^[0-9]+\.[0-9]+:$/ && ev == "") ev = $(i + 1); if ($i ~ /^ptr=/) p = $i }
		if (ev == "kmalloc:" || ev == "kmem_cache_alloc:") a[p] = 1
		else if (ev == "kfree:" && p !~ /^ptr=0+$/) f[p]++ }
	END { for (p in f) if (!(p in a) && (f[p] > 1 || p == "ptr=00000010")) { n++; c += f[p]; w = p } print n + 0, c + 0, w }'
}
# "freed again": a free of a pointer freed before with no allocation of it
# between (ZERO_SIZE_PTR's not); all are maple tree nodes, whose
# kmem_cache_alloc_bulk() has no tracepoint (tests/data/README)
again_awk() {
	awk -v z="$1" '$1 !~ /^#/ { ev = ""; p = ""; nm = ""
		for (i = 1; i <= NF; i++) { if ($i ~ /^[0-9]+\.[0-9]+:$/ && ev == "") ev = $(i + 1); if ($i ~ /^ptr=/) p = $i; if ($i ~ /^name=/) nm = $i }
		if (ev == "kmalloc:" || ev == "kmem_cache_alloc:") live[p] = 1
		else if ((ev == "kfree:" || ev == "kmem_cache_free:") && p !~ /^ptr=0+$/ && p != z) {
			if (!live[p] && (p in fr)) { n++; if (nm != "name=maple_node") other++ }
			live[p] = 0; fr[p] = 1 } }
	END { print n + 0, other + 0 }'
}
for t in "$TI" "$TIH"; do
	gzip -dc "$t" > "$TESTTMP/plain"
	set -- $(zero_awk < "$TESTTMP/plain")
	expect "$t: one ZERO_SIZE_PTR, kfree'd three times (awk)" "$1 $2" "1 3"
	zp=$3
	nulls=$(grep -c ' kfree: .* ptr=0*$' "$TESTTMP/plain")
	run "$bin" $I386 --kernel 6.13 replay "$t" > "$TESTTMP/r" 2>&1
	set -- $(again_awk "$zp" < "$TESTTMP/plain")
	expect "$t: freed again only maple_node (awk)" "$2" 0
	expect "$t: kfree of NULL and of ZERO_SIZE_PTR skipped, freed again counted" \
		"$(sed -n 's/^  frees: \([0-9]*\) of NULL, \([0-9]*\) of ZERO_SIZE_PTR, \([0-9]*\) again .*/\1 \2 \3/p' "$TESTTMP/r")" "$nulls 3 $1"
	set -- $(row "$TESTTMP/r" kfree)
	expect "$t: kfree skipped = NULL + ZERO_SIZE_PTR" "$4" "$((nulls + 3))"
done
# the same trace without its ZERO_SIZE_PTR's second and third kfree: one
# kfree of a pointer never allocated is pre-existing, not ZERO_SIZE_PTR
run "$bin" $I386 --kernel 6.13 replay "$TIH" > "$TESTTMP/r" 2>&1
pre=$(row "$TESTTMP/r" kfree | cut -d' ' -f3)
gzip -dc "$TIH" | awk '/ kfree: .*proc_pid_attr_write/ && n++ { next } { print }' > "$TESTTMP/z1.txt"
run "$bin" $I386 --kernel 6.13 replay "$TESTTMP/z1.txt" > "$TESTTMP/r" 2>&1
expect "hashed, ZERO_SIZE_PTR freed once: one more kfree pre-existing ($pre + 1), none of ZERO_SIZE_PTR" \
	"$(sed -n 's/^  frees: [0-9]* of NULL, \([0-9]*\) of ZERO_SIZE_PTR.*/\1/p' "$TESTTMP/r") $(row "$TESTTMP/r" kfree | cut -d' ' -f3)" \
	"0 $((pre + 1))"
if command -v python3 >/dev/null 2>&1; then
	run "$bin" $I386 --kernel 6.13 replay "$TIH" --json > "$TESTTMP/j" 2>&1
	expect "hashed --json: kfree_zero_size_ptr" \
		"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kfree_zero_size_ptr"])' "$TESTTMP/j")" 3
fi

# "(ptrval)": no pointer to follow; slab events skipped and counted, kmallocs
# still checked (their bytes_req and bytes_alloc are printed), page events
# replayed by pfn
gzip -dc "$TIP" > "$TESTTMP/plain"
run "$bin" $I386 --kernel 6.13 replay "$TIP" > "$TESTTMP/r" 2>&1
pv=$(grep -c ' ptr=(ptrval)' "$TESTTMP/plain")
case $pv in 0) bad "(ptrval): the slice has such pointers" "none" ;; esac
expect "(ptrval): slab events counted" \
	"$(sed -n 's/^  pointers: \([0-9]*\) slab events with ptr=(ptrval).*/\1/p' "$TESTTMP/r")" "$pv"
expect "(ptrval): no bad lines" "$(grep '^  lines:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lines: 12 comments, 0 not trace lines, 0 overlong, 0 with NUL bytes, 0 CRLF, 0 timestamps going back"
for e in kmalloc kmem_cache_alloc kmem_cache_free; do
	n=$(count "$e" < "$TESTTMP/plain")
	expect "(ptrval): $e skipped" "$(row "$TESTTMP/r" "$e")" "$n 0 0 $n 0"
done
set -- $(kmalloc_awk "$sizes61" < "$TESTTMP/plain")
expect "(ptrval): kmalloc fidelity" "$(grep '^fidelity:' "$TESTTMP/r")" \
	"fidelity: $(count kmalloc < "$TESTTMP/plain") kmalloc size classes checked, 0 mismatches; $2 large kmalloc orders checked, 0 mismatches"
expect "(ptrval): mm_page_alloc replayed by pfn" "$(row "$TESTTMP/r" mm_page_alloc | cut -d' ' -f1,5)" \
	"$(count mm_page_alloc < "$TESTTMP/plain") 0"

# ---- robustness: every bad input is counted, with its line -----------------------
good='            cat-1     [000] .....    20.000001: kmalloc: call_site=f+0x1/0x2 ptr=ffff888100000040 bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL node=-1 accounted=false'
{
	echo '# tracer: nop'
	echo "$good"                                                        # 2
	printf '%s\r\n' "$(echo "$good" | sed 's/0040 /0080 /; s/20.000001/20.000002/')"   # 3 CRLF
	echo 'this is not a trace line'                                     # 4 garbage
	printf '            cat-1     [000] .....    20.000003: kmalloc: call_site=f+0x1/0x2 ptr=ffff888100\0000c0 bytes_req=8\n'  # 5 NUL
	awk 'BEGIN { printf "x"; for (i = 0; i < 100000; i++) printf "y"; print "" }'  # 6 overlong
	echo '            cat-1     [000] .....    20.000004: sched_switch: prev_comm=cat prev_pid=1'   # 7 other event
	echo '            cat-1     [000] .....    19.000000: kfree: call_site=g+0x1/0x2 ptr=ffff888100000040'  # 8 back in time
	echo '            cat-1     [000] .....    20.000005: kfree: call_site=g+0x1/0x2 ptr=ffff888100000040'  # 9 duplicate
	echo '            cat-1     [000] .....    20.000006: kmalloc: call_site=f+0x1/0x2 ptr=ffff8881000001'   # 10 truncated
	echo '            cat-1     [000] .....    20.000007: kfree: call_site=g+0x1/0x2 ptr=ffff888100abcdef'   # 11 pre-existing
} > "$TESTTMP/bad.txt"
run "$bin" $X64 replay "$TESTTMP/bad.txt" > "$TESTTMP/r" 2>&1
st=$?
expect "robustness: exit status 0" "$st" 0
expect "robustness: line kinds" "$(grep '^  lines:' "$TESTTMP/r" | sed 's/^ *//')" \
	"lines: 1 comments, 2 not trace lines, 1 overlong, 1 with NUL bytes, 1 CRLF, 1 timestamps going back"
for l in "line 3: CRLF line end" "line 4: no timestamp" "line 5: NUL byte" "line 6: line longer than" \
	 "line 7: event sched_switch is not one replay reads" "line 8: timestamp earlier" \
	 "line 9: freed again" "line 10: kmalloc without bytes_req"; do
	expect "robustness: reported: $l" "$(grep -c "^  $l" "$TESTTMP/r")" 1
done
set -- $(row "$TESTTMP/r" kmalloc)
expect "robustness: the CRLF line replays" "$2" 2
set -- $(row "$TESTTMP/r" kfree)
expect "robustness: kfree replayed / pre-existing" "$2 $3" "1 2"
expect "robustness: other events counted" "$(row "$TESTTMP/r" other)" "1 0 0 1 0"
# lost events: tracefs' header (kernel/trace/trace.c print_event_info()) says
# 4 in the buffer of 10 written; CPU 1's buffer begins 0.5 s after CPU 0's
{
	echo '# tracer: nop'
	echo '#'
	echo '# entries-in-buffer/entries-written: 4/10   #P:2'
	echo '#'
	echo '            cat-1     [000] .....    20.000000: kmalloc: call_site=f+0x1/0x2 ptr=ffff888100000040 bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL'
	echo '            cat-1     [000] .....    20.250000: kfree: call_site=g+0x1/0x2 ptr=ffff888100000040'
	echo '            cat-2     [001] .....    20.500000: kfree: call_site=g+0x1/0x2 ptr=ffff888100000080'
	echo '            cat-2     [001] .....    20.600000: kfree: call_site=g+0x1/0x2 ptr=ffff888100000040'
} > "$TESTTMP/lost.txt"
run "$bin" $X64 replay "$TESTTMP/lost.txt" > "$TESTTMP/r" 2>&1
expect "lost events: 10 - 4 overwritten, CPU 1 begins 0.5 s late" \
	"$(sed -n 's/^  lost: \([0-9]*\) of the \([0-9]*\) events written.*; CPU \([0-9]*\).s events begin \([0-9.]*\) s after the first: .*/\1 \2 \3 \4/p' "$TESTTMP/r")" \
	"6 10 1 0.500"
expect "no lost line when the header says nothing was lost" \
	"$(sed 's|4/10|4/4|' "$TESTTMP/lost.txt" > "$TESTTMP/nolost.txt"; run "$bin" $X64 replay "$TESTTMP/nolost.txt" | grep -c '^  lost:')" 0
# a truncated gzip stream: what was read replays, the end is reported
head -c 60000 "$T618" > "$TESTTMP/cut.gz"
run "$bin" $X64 replay "$TESTTMP/cut.gz" > "$TESTTMP/r" 2>&1
st=$?
expect "truncated gzip: exit status 0" "$st" 0
expect "truncated gzip: reported" "$(grep -c '^  input ended early: unexpected end of file' "$TESTTMP/r")" 1
# an empty trace and a missing file
: > "$TESTTMP/empty"
expect "empty trace" "$(run "$bin" $X64 replay "$TESTTMP/empty" 2>&1 | head -1)" "replay: 0 lines (plain), 0 events in 0.000 s of trace"
run "$bin" $X64 replay "$TESTTMP/missing" > "$TESTTMP/r" 2>&1
st=$?
expect "missing file: one-line error, exit 1" "$st $(wc -l < "$TESTTMP/r")" "1 1"
# named as main.c names a bad option ("kmemsh: --cpus x: ..."), not as a
# line of a -c script; as a -c line it keeps its -c:N
expect "missing file on the command line: kmemsh: replay: FILE: error" "$(cat "$TESTTMP/r")" \
	"kmemsh: replay: $TESTTMP/missing: No such file or directory"
expect "a bad replay option on the command line: kmemsh: replay: ..." \
	"$(run "$bin" $X64 replay "$TESTTMP/empty" --top x 2>&1)" "kmemsh: replay: --top x: expected a number from 1 to 100000"
expect "--json: the error without a file and line" "$(run "$bin" $X64 --json replay "$TESTTMP/missing" 2>&1 >/dev/null)" \
	"{\"error\":\"$TESTTMP/missing: No such file or directory\"}"
expect "missing file in -c: -c:1: replay: FILE: error" "$(run "$bin" $X64 -c "replay $TESTTMP/missing" 2>&1)" \
	"-c:1: replay: $TESTTMP/missing: No such file or directory"

# ---- JSON, timeline, and the state left to explore --------------------------------
# replay's --json: the report as one JSON object
run "$bin" $X64 replay "$T618" --json --timeline "$TESTTMP/tl.csv" > "$TESTTMP/j" 2>&1
expect "--json: one object" "$(head -c 9 "$TESTTMP/j")$(tail -c 3 "$TESTTMP/j" | tr -d '\n')" '{"lines":]}'
# kmemsh --json: the same object as the step's output, on one line
run "$bin" $X64 --json replay "$T618" > "$TESTTMP/j2" 2>&1
expect "kmemsh --json: one line" "$(wc -l < "$TESTTMP/j2")" 1
if command -v python3 >/dev/null 2>&1; then
	expect "--json parses" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["fidelity"]["size_mismatches"])' "$TESTTMP/j")" 0
	# the pairing as the text says it: awk's new slabs by the order of events, no base moved
	expect "--json: slab pages paired by the order of events" \
		"$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["paired"]; print(p["slab"], p["slab_by_order"], p["direct_map_base"])' "$TESTTMP/j")" \
		"$(gzip -dc "$T618" | pairs_awk 0 | cut -d' ' -f1,3) 0"
	expect "kmemsh --json: the report is the step's output" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["command"], d["ok"], d["output"][0]["fidelity"]["size_mismatches"])' "$TESTTMP/j2")" "replay True 0"
	# each zone with its node, as buddyinfo's "Node N, zone NAME" rows (two DMA32 zones on two nodes)
	run "$bin" $X64 --nodes 2 replay "$T618" > "$TESTTMP/rn" 2>&1
	run "$bin" $X64 --nodes 2 replay "$T618" --json > "$TESTTMP/jn" 2>&1
	expect "--json with --nodes 2: the zones' nodes, as the buddyinfo rows" \
		"$(python3 -c 'import json,sys; print(" ".join("%s:%s" % (z.get("node"), z["zone"]) for z in json.load(open(sys.argv[1]))["zones"]))' "$TESTTMP/jn")" \
		"$(awk '/^buddyinfo:/ { b = 1; next } /^unusable_index:/ { b = 0 } b { printf "%s%d:%s", s, $2, $4; s = " " }' "$TESTTMP/rn")"
fi
n=$(grep -o '"ts_ns"' "$TESTTMP/j" | wc -l)
expect "--timeline: a header and one row per sample" "$(wc -l < "$TESTTMP/tl.csv")" "$((n + 1))"
expect "--timeline: header" "$(head -1 "$TESTTMP/tl.csv")" "seconds,free_kb,live_objects,live_bytes,slab_kb,unusable_order9"
# samples/replay-timeline.gp draws it (when gnuplot with its cairo terminal is here)
if command -v gnuplot >/dev/null 2>&1 && gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1; then
	gnuplot -e "csv='$TESTTMP/tl.csv'; png='$TESTTMP/tl.png'" samples/replay-timeline.gp > "$TESTTMP/gp" 2>&1
	expect "samples/replay-timeline.gp: a PNG from the CSV, no error" \
		"$? $(head -c 4 "$TESTTMP/tl.png" 2>/dev/null | od -An -tx1 | tr -d ' ') $(grep -c -i 'error' "$TESTTMP/gp")" "0 89504e47 0"
fi
# the text's timeline: --top rows of the samples, evenly spaced, the first
# and the last included (row i = k * (n - 1) / (rows - 1)), as the CSV has
# them; the last is the end: /proc/meminfo's MemFree, live at the end
run "$bin" $X64 -q -c "replay $T618 --top 4 --timeline $TESTTMP/tl4.csv" -c 'cat /proc/meminfo' > "$TESTTMP/r" 2>&1
n=$(( $(wc -l < "$TESTTMP/tl4.csv") - 1 ))
expect "timeline in the text: 4 of the CSV's $n rows, the first and the last among them" \
	"$(sed -n '/^timeline: /,/^[^ ]/p' "$TESTTMP/r" | awk 'NF == 6 && $1 ~ /^[0-9]+[.][0-9]+$/ { $1 = $1; gsub(/ /, ","); print }')" \
	"$(awk -v n="$n" -v r=4 'NR > 1 { row[NR - 2] = $0 } END { for (k = 0; k < r; k++) print row[int(k * (n - 1) / (r - 1))] }' "$TESTTMP/tl4.csv")"
expect "timeline in the text: the last row is the end (MemFree, live objects and bytes)" \
	"$(sed -n '/^timeline: /,/^[^ ]/p' "$TESTTMP/r" | awk 'NF == 6 && $1 ~ /^[0-9]+[.][0-9]+$/ { l = $2 " " $3 " " $4 } END { print l }')" \
	"$(awk '/^MemFree:/ { f = $2 } /^live at the end: / { o = $5; b = $7 } END { print f, o, b }' "$TESTTMP/r")"
run "$bin" $X64 -q -c "replay $T618 --top 1" -c 'show slabinfo' > "$TESTTMP/r" 2>&1
expect "after the replay: show slabinfo has the traced caches" "$(grep -c '^ext4_inode_cache ' "$TESTTMP/r")" 1

# ---- SLAB's new slabs (replay7) ------------------------------------------------
# With the model's allocator SLAB (--slab slab, or 2.6.32), the trace is taken
# for a SLAB kernel's and SLAB's rule pairs by the order of events
# (mm/slab.c cache_grow_begin() -> kmem_getpages(): the caller's flags &
# (GFP_CONSTRAINT_MASK|GFP_RECLAIM_MASK) | __GFP_COMP, at the cache's order).
# No real SLAB trace is at hand: the made-up cases are in tests/unit/test_trace.c.
# Here the real 6.1 slice (a SLUB kernel, pointers made hashed as above) says
# how its pages fare: SLUB's slabs have __GFP_NORETRY|__GFP_NOMEMALLOC, which
# no caller's flags hold, so none pairs; those of SLAB's look (__GFP_COMP,
# nothing outside those masks) just before a slab object are counted not
# paired, as awk counts them.
slab_look_awk() {
	awk 'BEGIN { n = split("GFP_KERNEL GFP_ATOMIC GFP_NOFS GFP_NOIO GFP_NOWAIT GFP_USER GFP_DMA GFP_DMA32 __GFP_DMA " \
		"__GFP_DMA32 __GFP_IO __GFP_FS __GFP_NOWARN __GFP_NORETRY __GFP_COMP __GFP_NOMEMALLOC __GFP_RECLAIMABLE " \
		"__GFP_HIGH __GFP_ATOMIC __GFP_DIRECT_RECLAIM __GFP_KSWAPD_RECLAIM __GFP_RECLAIM __GFP_RETRY_MAYFAIL " \
		"__GFP_NOFAIL __GFP_MEMALLOC __GFP_HARDWALL __GFP_THISNODE", w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
	$1 !~ /^#/ { cpu = ""; ev = ""; f = 0
		for (i = 1; i <= NF; i++) { if ($i ~ /^\[[0-9]+\]$/) cpu = $i; if ($i ~ /^[0-9]+\.[0-9]+:$/) { ev = $(i + 1); f = i + 2; break } }
		if (ev == "") next
		was = like[cpu]; like[cpu] = 0
		if (ev == "mm_page_alloc:") {
			for (i = f; i <= NF; i++) if ($i ~ /^gfp_flags=/) {
				k = split(substr($i, 11), t, "|"); s = 0; bad = 0
				for (j = 1; j <= k; j++) { if (!(t[j] in ok)) bad = 1; if (t[j] == "__GFP_COMP") s = 1 }
				like[cpu] = s && !bad }
			next }
		if (ev != "kmalloc:" && ev != "kmem_cache_alloc:" || !was) next
		p = ""; g = 0
		for (i = f; i <= NF; i++) { if ($i ~ /^ptr=/) p = substr($i, 5)
			if ($i ~ /^call_site=(alloc_slab_obj_exts|memcg_alloc_slab_cgroups|cache_grow_begin|alloc_slabmgmt)\+/) g = 1 }
		if (p ~ /^0*$/) next
		if (g) { like[cpu] = 1; next }
		n2++ }
	END { print n2 + 0 }'
}
gzip -dc "$T61" | sed 's/ptr=ffff888\([0-9a-f]\{9\}\)/ptr=000000\11/' > "$TESTTMP/h61s.txt"
want=$(slab_look_awk < "$TESTTMP/h61s.txt")
run "$bin" $X64 --kernel 6.1 --slab slab replay "$TESTTMP/h61s.txt" > "$TESTTMP/r" 2>&1
expect "6.1 slice under SLAB: no new slab paired, $want pages of SLAB's look not paired" \
	"$(got_pairs "$TESTTMP/r") $(sed -n 's/.* (ambiguous); \([0-9]*\) pages of that look not paired .*/\1/p' "$TESTTMP/r")" "0 0 $want"
case $want in 0) bad "6.1 slice under SLAB: awk finds pages of SLAB's look" "none" ;; esac
if command -v python3 >/dev/null 2>&1; then
	run "$bin" $X64 --kernel 6.1 --slab slab replay "$TESTTMP/h61s.txt" --json > "$TESTTMP/j" 2>&1
	expect "6.1 slice under SLAB: --json's paired.slab_classic (ambiguous, unfit)" \
		"$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["paired"]; print(p["slab"], p["slab_classic"]["ambiguous"], p["slab_classic"]["unfit"])' "$TESTTMP/j")" \
		"0 0 $want"
fi
# 2.6.32 (i386: SLAB by default): kmem_getpages() adds no __GFP_COMP there
# (only without an MMU), so an ambiguous pair is a page of only the caller's
# flags, and the report must not say __GFP_COMP (made-up lines, hashed pointers)
printf '%s\n' \
	'  cat-1 [000] ..... 20.000001: mm_page_alloc: page=aaaa0001 pfn=0x4000 order=0 migratetype=0 gfp_flags=GFP_KERNEL' \
	'  cat-1 [000] ..... 20.000002: kmalloc: call_site=f+0x1/0x2 ptr=bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL' \
	> "$TESTTMP/s32.txt"
run "$bin" --arch i386 --kernel 2.6.32 replay "$TESTTMP/s32.txt" > "$TESTTMP/r" 2>&1
expect "2.6.32 under SLAB: the ambiguous pair had only the caller's flags (no __GFP_COMP)" \
	"$(grep -c "; 1 had only the caller's flags, as the caller's own alloc_pages() would (ambiguous);" "$TESTTMP/r") $(grep -c __GFP_COMP "$TESTTMP/r")" "1 0"

echo "replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
