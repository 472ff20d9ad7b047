#!/usr/bin/env python3
"""gen-i386-2.6.32.py DIR: a synthetic Linux 2.6.32 i386 snapshot (no real
2.6.32 capture exists): a 1 GiB QEMU-like machine with 2 CPUs, its files
printed with the seq_file formats of Linux 2.6.32 and every number computed
by that kernel's formulas, cited below.  The free lists are made up (a
plausible state after boot) and consistent across the three files.

  kernel image   loaded at CONFIG_PHYSICAL_START 0x1000000 (arch/x86/Kconfig)
  zone spans     mm/page_alloc.c free_area_init_core(): present =
                 spanned - holes - memmap pages (sizeof(struct page) 32)
  max_low_pfn    arch/x86/include/asm/pgtable_32_types.h MAXMEM =
                 VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE (128M),
                 VMALLOC_END = PKMAP_BASE (0xff800000) - 2 pages
  watermarks     mm/page_alloc.c init_per_zone_wmark_min(),
                 setup_per_zone_wmarks()
  protection     setup_per_zone_lowmem_reserve(), ratios 256, 32 (, 32)
  pagesets       zone_batchsize(), setup_pageset(); vm stats threshold:
                 mm/vmstat.c calculate_threshold(); inactive_ratio:
                 calculate_zone_inactive_ratio()
  formats        mm/vmstat.c zoneinfo_show_print(), frag_show_print(),
                 pagetypeinfo_show(), pagetypeinfo_showfree_print(),
                 pagetypeinfo_showblockcount_print(); kernel/resource.c
                 r_show(); fs/proc/version.c version_proc_show()
"""
import math, os, sys

out = sys.argv[1]
os.makedirs(out + "/proc/sys/vm", exist_ok=True)
PAGE = 4096
NCPU = 2

iomem = """00000000-0000ffff : reserved
00010000-0009fbff : System RAM
0009fc00-0009ffff : reserved
000a0000-000bffff : Video RAM area
000c0000-000c8bff : Video ROM
000f0000-000fffff : System ROM
00100000-3fffdfff : System RAM
  01000000-012c4b7f : Kernel code
  012c4b80-01457e3f : Kernel data
  014cb000-015a0fff : Kernel bss
3fffe000-3fffffff : reserved
fec00000-fec003ff : IOAPIC 0
fee00000-fee00fff : Local APIC
fffc0000-ffffffff : reserved
"""
ram = [(0x10, 0x9f), (0x100, 0x3fffe)]          # pfn ranges of System RAM (whole pages)
max_pfn = 0x3fffe
VMALLOC_END = 0xff800000 - 2 * PAGE
max_low_pfn = min(max_pfn, (VMALLOC_END - 0xc0000000 - (128 << 20)) // PAGE)

zones = [("DMA", 0x10, 4096), ("Normal", 4096, max_low_pfn), ("HighMem", max_low_pfn, max_pfn)]

def ram_in(s, e):
    return sum(max(0, min(e, b) - max(s, a)) for a, b in ram)

Z = []
for name, s, e in zones:
    spanned = e - s
    memmap = (spanned * 32 + PAGE - 1) // PAGE
    present = ram_in(s, e) - memmap
    Z.append(dict(name=name, start=s, spanned=spanned, present=present))

# init_per_zone_wmark_min(): nr_free_buffer_pages() at boot (no marks yet)
lowmem = sum(z["present"] for z in Z if z["name"] != "HighMem")
min_free_kbytes = math.isqrt(lowmem * 4 * 16)
min_free_kbytes = max(128, min(65536, min_free_kbytes))
pages_min = min_free_kbytes >> 2
for z in Z:
    tmp = pages_min * z["present"] // lowmem
    if z["name"] == "HighMem":
        mn = max(32, min(128, z["present"] // 1024))
    else:
        mn = tmp
    z.update(min=mn, low=mn + (tmp >> 2), high=mn + (tmp >> 1))
# setup_per_zone_lowmem_reserve(): MAX_NR_ZONES = 4 (Movable empty)
ratio = [256, 32, 32]
pres = [z["present"] for z in Z] + [0]
for j, z in enumerate(Z):
    z["prot"] = [0] * 4
for j in range(4):
    p = pres[j]
    idx = j
    while idx:
        idx -= 1
        if idx < 3:
            Z[idx]["prot"][j] = p // ratio[idx]
        p += pres[idx]

# the free lists: order counts per migratetype (made up, consistent)
MT = ["Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate"]
free = {
    "DMA": {"Movable": [1, 0, 1, 1, 2, 1, 1, 1, 0, 1, 2], "Reserve": [0] * 10 + [1]},
    "Normal": {"Unmovable": [10, 5, 3, 2, 1, 0, 0, 0, 0, 0, 0], "Reclaimable": [4, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0],
               "Movable": [42, 32, 17, 10, 7, 5, 3, 2, 2, 1, 204], "Reserve": [0] * 10 + [1]},
    "HighMem": {"Movable": [3, 2, 1, 1, 0, 1, 0, 1, 1, 1, 31], "Reserve": [0] * 10 + [1]},
}
blocks = {"DMA": [0, 0, 3, 1, 0], "Normal": [6, 2, 209, 1, 0], "HighMem": [0, 0, 33, 1, 0]}
for z in Z:
    f = free[z["name"]]
    z["orders"] = [sum(f.get(t, [0] * 11)[o] for t in MT) for o in range(11)]
    z["free"] = sum(c << o for o, c in enumerate(z["orders"]))
    # the pageblocks pagetypeinfo_showblockcount_print() counts: start_pfn, step 1024, below the end
    assert sum(blocks[z["name"]]) == (z["spanned"] + 1023) // 1024

def batchsize(present):
    b = present // 1024
    if b * PAGE > 512 * 1024:
        b = 512 * 1024 // PAGE
    b //= 4
    b = max(b, 1)
    b = b + b // 2
    return (1 << (b.bit_length() - 1)) - 1

def fls(x):
    return x.bit_length()

stats = ["nr_free_pages", "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
         "nr_unevictable", "nr_mlock", "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty",
         "nr_writeback", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_page_table_pages",
         "nr_kernel_stack", "nr_unstable", "nr_bounce", "nr_vmscan_write", "nr_writeback_temp",
         "nr_isolated_anon", "nr_isolated_file", "nr_shmem"]
zi = ""
for z in Z:
    zi += "Node %d, zone %8s" % (0, z["name"])
    zi += ("\n  pages free     %d\n        min      %d\n        low      %d\n        high     %d"
           "\n        scanned  %d\n        spanned  %d\n        present  %d") % (
        z["free"], z["min"], z["low"], z["high"], 0, z["spanned"], z["present"])
    for s in stats:
        zi += "\n    %-12s %d" % (s, z["free"] if s == "nr_free_pages" else 0)
    zi += "\n        protection: (%d" % z["prot"][0]
    for v in z["prot"][1:]:
        zi += ", %d" % v
    zi += ")\n  pagesets"
    b = batchsize(z["present"])
    thr = min(125, 2 * fls(NCPU) * (1 + fls(z["present"] >> 15)))
    for c in range(NCPU):
        zi += "\n    cpu: %i\n              count: %i\n              high:  %i\n              batch: %i" % (
            c, 0, 6 * b, max(1, b))
        zi += "\n  vm stats threshold: %d" % thr
    gb = z["present"] >> 18
    zi += "\n  all_unreclaimable: %u\n  prev_priority:     %i\n  start_pfn:         %u\n  inactive_ratio:    %u" % (
        0, 12, z["start"], math.isqrt(10 * gb) if gb else 1)
    zi += "\n"

bi = ""
for z in Z:
    bi += "Node %d, zone %8s " % (0, z["name"]) + "".join("%6d " % c for c in z["orders"]) + "\n"

pt = "Page block order: %d\nPages per block:  %d\n\n" % (10, 1024)
pt += "%-43s " % "Free pages count per migrate type at order" + "".join("%6d " % o for o in range(11)) + "\n"
for z in Z:
    for t in MT:
        pt += "Node %4d, zone %8s, type %12s " % (0, z["name"], t)
        pt += "".join("%6d " % c for c in free[z["name"]].get(t, [0] * 11)) + "\n"
pt += "\n%-23s" % "Number of blocks type " + "".join("%12s " % t for t in MT) + "\n"
for z in Z:
    pt += "Node %d, zone %8s " % (0, z["name"]) + "".join("%12d " % c for c in blocks[z["name"]]) + "\n"

cpu = ""
for c in range(NCPU):
    cpu += ("processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 2\n"
            "model name\t: QEMU Virtual CPU version 0.12.5\n\n") % c

files = {
    "proc/iomem": iomem,
    "proc/zoneinfo": zi,
    "proc/buddyinfo": bi,
    "proc/pagetypeinfo": pt,
    "proc/cpuinfo": cpu,
    "proc/version": "Linux version 2.6.32-5-686 (Debian 2.6.32-48squeeze6) (dannf@debian.org) "
                    "(gcc version 4.3.5 (Debian 4.3.5-4) ) #1 SMP Tue Jun 10 14:07:07 UTC 2014\n",
    "proc/sys/vm/min_free_kbytes": "%d\n" % min_free_kbytes,
}
for rel, text in files.items():
    with open(os.path.join(out, rel), "w") as f:
        f.write(text)
