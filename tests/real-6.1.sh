#!/bin/sh
# Usage: tests/real-6.1.sh BINARY
#
# --kernel 6.1 against the real Debian 12 kernels it models.  Each real
# machine's physical map (tests/data/*-6.1-qemu-*.iomem) is booted with the
# real machine's RAM, CPUs, command line and initramfs size, and the model's
# views are compared with the files the real kernel wrote right after boot
# (tests/data/snapshots/*-6.1-*/proc: zoneinfo, meminfo, buddyinfo, vmstat,
# sys/vm/min_free_kbytes; tests/data/*-6.1-qemu-*.dmesg: the whole boot log).
# Nothing compared here comes from the model's own output.
#
# Exact: every zone's min, low and high watermark, its protection line, the
# pcp high and batch; min_free_kbytes; the geometry of every cache the model
# and the real slabinfo both have, and the kmem_cache and kmem_cache_node
# rows whole (counts too); every boot line the model prints is in
# the real log byte for byte, except those listed with their reason below;
# and the real log's large-system-hash lines (dentry, inode, mount, futex,
# dquot, inet_init()'s tables) are all the model's, in the same order, and
# so are its early lines (the banner, "Command line:", the BIOS-e820 map,
# trim_bios_range()'s e820 update and remove, last_pfn, "Kernel command
# line:" and its "Unknown kernel command line parameters").
# Exact too, each real machine booted with its own command line (its
# length sizes setup_command_line()'s two copies, which memblock packs with
# the other small boot allocations): managed per zone, MemTotal, the
# Memory: line's reserved and available figures (the residue arguments
# below are 0; the memblock=debug logs in tests/data/*-memblock-debug.txt.gz
# list every boot allocation the model makes).  Reported,
# not asserted: the free pages (buddyinfo), which the real machine's slab
# caches, page tables and init process had used before it was read.
set -u
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
cd "$(dirname "$0")/.." || exit 2
fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

bad() { echo "FAIL $*"; fail=1; }

# zone field: the value of "        NAME  N" in each zone, as "Zone=N" lines
zfield() {
	awk -v f="$2" '/^Node [0-9]+, zone/ { z = $4 } $1 == f && NF == 2 { print z "=" $2 }' "$1"
}
zprot() { awk '/^Node [0-9]+, zone/ { z = $4 } /protection:/ { sub(/^ */, ""); print z ": " $0 }' "$1"; }
zpcp() { awk '/^Node [0-9]+, zone/ { z = $4 } $1 == "high:" || $1 == "batch:" { print z " " $1 " " $2 }' "$1"; }

# same NAME FILE_MODEL FILE_REAL: the same lines
same() {
	if ! diff "$2" "$3" > "$tmp/d"; then
		bad "$1 differs (model < > real):"
		cat "$tmp/d"
	else
		echo "ok   $1: $(tr '\n' ' ' < "$2")"
	fi
}

# within NAME MODEL REAL MAX: |MODEL - REAL| <= MAX
within() {
	d=$(( $2 - $3 ))
	[ $d -lt 0 ] && d=$(( -d ))
	if [ $d -gt "$4" ]; then
		bad "$1: model $2, real $3 (off by $d, more than the stated residue $4)"
	else
		echo "ok   $1: model $2, real $3 (residue $d, at most $4)"
	fi
}

machine() {
	name=$1 snap=$2 dmesg=$3 args=$4 resid_pages=$5 resid_memtotal_k=$6 resid_free_k=$7
	# the real machine's command line, as its log prints it
	cmdline=$(sed -n 's/^\[[ 0-9.]*\] Kernel command line: //p' "$dmesg")
	[ -n "$cmdline" ] || bad "$name: no command line in $dmesg"
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/zoneinfo' > "$tmp/zi" 2>&1 || bad "$name: zoneinfo"
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/meminfo' > "$tmp/mi" 2>&1 || bad "$name: meminfo"
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'sysctl vm.min_free_kbytes' > "$tmp/o" 2>&1 || bad "$name: sysctl"
	sed -n 's/^vm.min_free_kbytes = //p' "$tmp/o" > "$tmp/mfk"
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c dmesg > "$tmp/dm" 2>&1 || bad "$name: dmesg"
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/buddyinfo' > "$tmp/bi" 2>&1 || bad "$name: buddyinfo"
	echo "== $name"
	same "$name min_free_kbytes" "$tmp/mfk" "$snap/sys/vm/min_free_kbytes"
	for f in min low high; do
		zfield "$tmp/zi" $f > "$tmp/m"
		zfield "$snap/zoneinfo" $f > "$tmp/r"
		same "$name watermark $f" "$tmp/m" "$tmp/r"
	done
	zprot "$tmp/zi" > "$tmp/m"; zprot "$snap/zoneinfo" > "$tmp/r"
	same "$name protection" "$tmp/m" "$tmp/r"
	zpcp "$tmp/zi" > "$tmp/m"; zpcp "$snap/zoneinfo" > "$tmp/r"
	same "$name pagesets high/batch" "$tmp/m" "$tmp/r"
	# the layout: every line, numbers aside
	sed 's/[0-9][0-9]*/N/g' "$tmp/zi" > "$tmp/m"; sed 's/[0-9][0-9]*/N/g' "$snap/zoneinfo" > "$tmp/r"
	if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name zoneinfo has the real file's lines"
	else bad "$name zoneinfo layout:"; cat "$tmp/d"; fi
	awk -F: '{ print $1 }' "$tmp/mi" > "$tmp/m"; awk -F: '{ print $1 }' "$snap/meminfo" > "$tmp/r"
	if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name meminfo has the real file's fields"
	else bad "$name meminfo fields:"; cat "$tmp/d"; fi
	# /proc/vmstat: 6.1's vmstat_text[] (its names, in its order)
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/vmstat' 2>&1 | awk '{ print $1 }' > "$tmp/m"
	awk '{ print $1 }' "$snap/vmstat" > "$tmp/r"
	if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name vmstat has the real file's items"
	else bad "$name vmstat items (model < > real):"; cat "$tmp/d"; fi
	zfield "$tmp/zi" managed > "$tmp/m"; zfield "$snap/zoneinfo" managed > "$tmp/r"
	paste -d' ' "$tmp/m" "$tmp/r" | while read -r mz rz; do
		within "$name managed ${mz%%=*}" "${mz#*=}" "${rz#*=}" "$resid_pages"
	done | tee "$tmp/w"
	grep -q '^FAIL' "$tmp/w" && fail=1
	# the early lines (boot.c early_boot_messages(), e820_trim_messages(),
	# print_unknown_bootoptions()): the banner, x86_64's "Command line:",
	# the BIOS map, trim_bios_range()'s update and remove, last_pfn, the
	# command line and its unknown words: each of the real log's, in its
	# order, and no other
	el='^(Linux version |Command line: |BIOS-provided physical RAM map:|BIOS-e820: |e820: (update|remove) |'
	el="${el}last_pfn = |Kernel command line: |Unknown kernel command line parameters )"
	sed 's/^\[[ 0-9.]*\] //' "$dmesg" | grep -E "$el" > "$tmp/r"
	sed 's/^\[[ 0-9.]*\] //' "$tmp/dm" | grep -E "$el" > "$tmp/m"
	if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name dmesg: the real log's $(wc -l < "$tmp/r") early lines (banner, e820 map, last_pfn, command line)"
	else bad "$name early lines (model < > real):"; cat "$tmp/d"; fi
	within "$name MemTotal (kB)" "$(awk '/^MemTotal:/ { print $2 }' "$tmp/mi")" \
		"$(awk '/^MemTotal:/ { print $2 }' "$snap/meminfo")" "$resid_memtotal_k"
	# dmesg: each line in the real log, but for the ones with a reason
	sed 's/^\[[ 0-9.]*\] //' "$tmp/dm" | grep -v '^\[exit' | while IFS= read -r l; do
		case $l in
		"Memory: "*)
			# all but the free and reserved figures, which hold the residue
			pat=$(printf '%s' "$l" | sed 's/^Memory: [0-9]*K/Memory: *K/; s/, [0-9]*K reserved/, *K reserved/')
			r=$(sed 's/^\[[ 0-9.]*\] //' "$dmesg" | grep '^Memory: ')
			# shellcheck disable=SC2254
			case $r in $pat) echo "ok   $name dmesg: Memory: line but its free and reserved figures" ;;
			*) echo "FAIL $name Memory: model '$l', real '$r'" ;; esac
			mres=$(printf '%s' "$l" | sed 's/.*, \([0-9]*\)K reserved.*/\1/')
			rres=$(printf '%s' "$r" | sed 's/.*, \([0-9]*\)K reserved.*/\1/')
			d=$(( rres - mres )); [ $d -lt 0 ] && d=$(( -d ))
			if [ $d -le "$resid_memtotal_k" ]; then echo "ok   $name Memory: reserved model ${mres}K, real ${rres}K"
			else echo "FAIL $name Memory: reserved model ${mres}K, real ${rres}K"; fi
			# the free figure: on amd64 the reserved residue lies past
			# first_deferred_pfn, which it does not count
			mfr=$(printf '%s' "$l" | sed 's/^Memory: \([0-9]*\)K.*/\1/')
			rfr=$(printf '%s' "$r" | sed 's/^Memory: \([0-9]*\)K.*/\1/')
			d=$(( rfr - mfr )); [ $d -lt 0 ] && d=$(( -d ))
			if [ $d -le "$resid_free_k" ]; then echo "ok   $name Memory: available model ${mfr}K, real ${rfr}K"
			else echo "FAIL $name Memory: available model ${mfr}K, real ${rfr}K (more than ${resid_free_k}K off)"; fi
			continue ;;
		esac
		# in the real log, and after the line before it (the kernel's order)
		n=$(sed 's/^\[[ 0-9.]*\] //' "$dmesg" | grep -nxF -- "$l" | cut -d: -f1 |
			awk -v p="$(cat "$tmp/at" 2>/dev/null || echo 0)" '$1 > p { print; exit }')
		if [ -n "$n" ]; then
			echo "$n" > "$tmp/at"
			echo "ok   $name dmesg: $l"
		elif sed 's/^\[[ 0-9.]*\] //' "$dmesg" | grep -qxF -- "$l"; then
			echo "FAIL $name dmesg line out of the real log's order: $l"
		else
			echo "FAIL $name dmesg line not in the real log: $l"
		fi
	done > "$tmp/w"
	rm -f "$tmp/at"
	cat "$tmp/w"
	grep -q '^FAIL' "$tmp/w" && fail=1
	# the large system hashes (alloc_large_system_hash()): vfs_caches_init()'s,
	# the mount and futex tables, inet_init()'s, and dquot_init()'s page
	# ("VFS: Dquot-cache hash table entries: N (order 0, 4096 bytes)", no
	# colon): each of the real log's, in its order, and no other
	hl='hash table entries: [0-9]+ \(order:? |^TCP: Hash tables configured'
	sed 's/^\[[ 0-9.]*\] //' "$dmesg" | grep -E "$hl" > "$tmp/r"
	sed 's/^\[[ 0-9.]*\] //' "$tmp/dm" | grep -E "$hl" > "$tmp/m"
	if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name dmesg: the real log's $(wc -l < "$tmp/r") hash-table lines"
	else bad "$name hash-table lines (model < > real):"; cat "$tmp/d"; fi
	# slabinfo: the caches the model has, with the real geometry
	# (objsize, objperslab, pagesperslab: calculate_sizes() and 6.1's
	# calculate_order())
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/slabinfo' 2>&1 |
		awk 'NR > 2 { print $1, $4, $5, $6 }' | sort > "$tmp/m"
	awk 'NR > 2 { print $1, $4, $5, $6 }' "$snap/slabinfo" | sort > "$tmp/r"
	join "$tmp/m" "$tmp/r" > "$tmp/j"
	nb=$(wc -l < "$tmp/j")
	nd=$(awk '!($2 == $5 && $3 == $6 && $4 == $7)' "$tmp/j" | wc -l)
	if [ "$nb" -ge 50 ] && [ "$nd" -eq 0 ]; then
		echo "ok   $name slabinfo: $nb caches in both, each with the real objsize, objperslab, pagesperslab"
	else
		bad "$name slabinfo: $nb caches in both, $nd with another geometry:"
		awk '!($2 == $5 && $3 == $6 && $4 == $7)' "$tmp/j"
	fi
	# kmem_cache and kmem_cache_node (kmem_cache_init()'s two boot caches):
	# every column, the counts too, as each cache boot made holds one
	# struct kmem_cache and one struct kmem_cache_node per node
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/slabinfo' 2>&1 | grep -E '^kmem_cache(_node)? ' > "$tmp/m"
	grep -E '^kmem_cache(_node)? ' "$snap/slabinfo" > "$tmp/r"
	same "$name slabinfo kmem_cache rows" "$tmp/m" "$tmp/r"
	# slabinfo order (newest first: 6.1's create_kmalloc_caches() makes the
	# types normal, cgroup, reclaimable, DMA and each one's sizes upwards,
	# 96 after 64, 192 after 128): the caches both list, in the same order
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/slabinfo' 2>&1 | awk 'NR > 2 { print $1 }' > "$tmp/mo"
	awk 'NR > 2 { print $1 }' "$snap/slabinfo" > "$tmp/ro"
	grep -xFf "$tmp/ro" "$tmp/mo" > "$tmp/m"
	grep -xFf "$tmp/mo" "$tmp/ro" > "$tmp/r"
	if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name slabinfo: the $(wc -l < "$tmp/m") caches in both in the real file's order"
	else bad "$name slabinfo order (model < > real):"; cat "$tmp/d"; fi
	# /proc/vmallocinfo: the areas boot leaves (boot_vmap.c: x86_64's IRQ
	# stacks, the ACPI tables acpi_early_init() keeps mapped, the HPET's
	# ioremap).  Every line up to the HPET's is the real file's first
	# lines byte for byte, addresses included (nothing else is mapped
	# before hpet_enable()); the later ones (the other CPUs' IRQ stacks)
	# are the real file's caller, size and flags, in its order.  The real
	# file's other areas (kthread stacks, BPF, the AML's and DMI's
	# mappings, ...) are not modelled.
	# shellcheck disable=SC2086
	"$bin" $args --cmdline="$cmdline" -c 'cat /proc/vmallocinfo' > "$tmp/vi" 2>&1 || bad "$name: vmallocinfo"
	k=$(grep -n ' hpet_enable+' "$tmp/vi" | cut -d: -f1)
	if [ -n "$k" ]; then
		head -n "$k" "$tmp/vi" > "$tmp/m"; head -n "$k" "$snap/vmallocinfo" > "$tmp/r"
		if diff "$tmp/m" "$tmp/r" > "$tmp/d"; then echo "ok   $name vmallocinfo: the real file's first $k lines, to the HPET's"
		else bad "$name vmallocinfo boot areas (model < > real):"; cat "$tmp/d"; fi
	else
		bad "$name vmallocinfo: the model has no hpet_enable area"
	fi
	n=0
	while IFS= read -r l; do
		rest=${l#* }
		at=$(grep -n -- "^0x[0-9a-f]*-0x[0-9a-f]* *$(printf '%s' "$rest" | sed 's/^ *//; s/[.[*^$/]/\\&/g')\$" \
			"$snap/vmallocinfo" | cut -d: -f1 | awk -v p="$n" '$1 > p { print; exit }')
		if [ -n "$at" ]; then n=$at; echo "ok   $name vmallocinfo: real line $at is the model's $l"
		else bad "$name vmallocinfo: '$l' is not in the real file after line $n"; fi
	done < "$tmp/vi"
	[ -s "$tmp/vi" ] || bad "$name vmallocinfo: the model has no boot areas"
	for c in irq_init_percpu_irqstack hpet_enable; do
		mc=$(grep -c " $c+" "$tmp/vi"); rc=$(grep -c " $c+" "$snap/vmallocinfo")
		if [ "$mc" = "$rc" ]; then echo "ok   $name vmallocinfo: $mc $c area(s), as the real file"
		else bad "$name vmallocinfo: $mc $c areas, the real file $rc"; fi
	done
	# free pages: reported only
	for z in $(awk '{ print $4 }' "$snap/buddyinfo"); do
		mf=$(awk -v z="$z" '$4 == z { s = 0; for (i = 5; i <= NF; i++) s += $i * 2 ^ (i - 5); print s }' "$tmp/bi")
		rf=$(awk -v z="$z" '$4 == z { s = 0; for (i = 5; i <= NF; i++) s += $i * 2 ^ (i - 5); print s }' "$snap/buddyinfo")
		echo "info $name free pages in $z (buddyinfo): model $mf, real $rf"
	done
}

# i386: qemu-system-i386 -m 1024 -smp 2, Debian 6.1.0-50-686 (THP always);
# its 1069043-byte initramfs.  No residue.
machine i386 tests/data/snapshots/i386-6.1-1G-2cpu/proc tests/data/i386-6.1-qemu-1G.dmesg \
	"-a i386 -k 6.1 --cpus 2 --iomem tests/data/i386-6.1-qemu-1G.iomem --initrd 1069043" 0 0 0
# amd64: qemu-system-x86_64 -m 4096 -smp 2 (no 1 GiB pages), 6.1.0-50-amd64,
# transparent_hugepage=never nokaslr, 1012K initramfs.  No residue.
machine amd64 tests/data/snapshots/amd64-6.1-4G-2cpu/proc tests/data/amd64-6.1-qemu-4G.dmesg \
	"-a x86_64 -k 6.1 --cpus 2 --nogbpages --iomem tests/data/amd64-6.1-qemu-4G.iomem --initrd 1012K" 0 0 0
[ $fail = 0 ] && echo "real-6.1: all compared fields agree" || echo "real-6.1: FAILED"
exit $fail
