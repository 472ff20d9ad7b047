#!/usr/bin/env python3
"""Write the rows of src/model/boot_caches.c from a real kernel's files.

    python3 tests/data/gen-boot-caches.py tests/data/snapshots/amd64-6.1-4G-2cpu

reads DIR/proc/slabinfo and DIR/sys/kernel/slab and prints one C row per
cache the kernel made after its kmalloc caches and vmap_area (those the
model makes itself), oldest first:

- order: /proc/slabinfo lists caches newest first (mm/slab_common.c
  slab_caches, list_add_tail; seq_list_start of the reversed walk in 6.1),
  so its rows read upwards are the creation order of every cache with a
  row.  A merged name has no row: it is put right after the cache it
  merged into (the files do not say when it was made).
- size, align: a cache's own directory gives object_size and align; a
  merged name only its cache's (the kernel keeps the largest object_size,
  __kmem_cache_alias()), so its row takes that, which merges it the same
  way (find_mergeable() compares ALIGN(size, sizeof(void *))).
- flags: hwcache_align and reclaim_account attributes; the letters of a
  merged cache's unique name (':' then 'd' DMA, 'a' RECLAIM_ACCOUNT, 'A'
  ACCOUNT, mm/slub.c create_unique_id()).
- why a cache has its own directory (SLUB names only unmergeable caches
  after themselves, sysfs_slab_add()): when slab_size is more than the
  object padded to its alignment, the free pointer is outside the object
  (a ctor or SLAB_TYPESAFE_BY_RCU, calculate_sizes()): CTOR; otherwise a
  usercopy region, a ctor or RCU whose free pointer fits the padding, or
  SLAB_NEVER_MERGE (slab_unmergeable()): NOMERGE; the files do not tell
  which, and the geometry is the same.
"""
import os, sys

d = sys.argv[1]
slab = os.path.join(d, 'sys/kernel/slab')
rows = [l.split()[0] for l in open(os.path.join(d, 'proc/slabinfo')).read().splitlines()[2:]]
rows.reverse()

def attrs(name):
    p = os.path.join(slab, name)
    a = {}
    for f in ('object_size', 'slab_size', 'align', 'hwcache_align', 'reclaim_account'):
        a[f] = int(open(os.path.join(p, f)).read().split()[0])
    return a

links = {}
for n in sorted(os.listdir(slab)):
    p = os.path.join(slab, n)
    if os.path.islink(p):
        links.setdefault(os.readlink(p), []).append(n)

skip = lambda n: n.startswith(('kmalloc-', 'dma-kmalloc-', 'kmem_cache')) or n == 'vmap_area'
made = set(n for n in rows if skip(n))
def align_up(x, a): return (x + a - 1) // a * a

out = []
for n in rows:
    p = os.path.join(slab, n)
    if skip(n):
        # made by the model itself; the names merged into it follow it
        if os.path.islink(p) and n == 'vmap_area':
            t = os.readlink(p)
            a = attrs(t)
            for x in links[t]:
                if x != n:
                    out.append((x, a['object_size'], a['align'], [], t))
        continue
    if os.path.islink(p):
        t = os.readlink(p)
        a = attrs(t)
        flags = []
        letters = t[1:].split('-')[0] if '-' in t else ''
        if 'a' in letters or a['reclaim_account']: flags.append('RECLAIM')
        if 'A' in letters: flags.append('ACCOUNT')
        if 'd' in letters: flags.append('DMA')
        if a['hwcache_align']: flags.append('HW')
        names = [n] + [x for x in links[t] if x != n]
        for x in names:
            out.append((x, a['object_size'], a['align'], flags, t))
    else:
        a = attrs(n)
        flags = []
        if a['reclaim_account']: flags.append('RECLAIM')
        if a['hwcache_align']: flags.append('HW')
        flags.append('CTOR' if a['slab_size'] > align_up(a['object_size'], a['align']) else 'NOMERGE')
        out.append((n, a['object_size'], a['align'], flags, None))

for name, size, align, flags, t in out:
    f = ' | '.join('B_' + x for x in flags) or '0'
    c = '/* %s */' % t if t else ''
    print('\t{ "%s", %d, %d, %s },%s' % (name, size, align, f, (' ' + c) if c else ''))
