/*
 * test_memblock.c - the boot reservations' formulas and the boot lines
 * they print, against two real kernels (Debian 12, Linux 6.1, QEMU, 2 CPUs,
 * log_buf_len=4M; /work/shared/reference/real-kernels, iomem copied to
 * tests/data):
 *
 *   i386 (686, NR_CPUS=32) 1 GiB, its dmesg and zoneinfo:
 *     DMA spanned 4095 present 3998, Normal spanned 220158 present 220158
 *     "percpu: Embedded 33 pages/cpu s103316 r0 d31852 u135168"
 *     "Dentry cache hash table entries: 131072 (order: 7, 524288 bytes, linear)"
 *     "Inode-cache hash table entries: 65536 (order: 6, 262144 bytes, linear)"
 *     "Mount-cache hash table entries: 2048 (order: 1, 8192 bytes, linear)"
 *     "futex hash table entries: 512 (order: 3, 32768 bytes, linear)"
 *     "RAMDISK: [mem 0x3fedb000-0x3ffdffff]",
 *     "Move RAMDISK from [mem 0x3fedb000-0x3ffdfff2] to [mem 0x35a79000-0x35b7dff2]"
 *     "Memory: 1002724K/1048056K available (9327K kernel code, 1246K rwdata,
 *      3188K rodata, 912K init, 464K bss, 45332K reserved, 0K cma-reserved,
 *      151432K highmem)"
 *   amd64 (NR_CPUS=8192) 4 GiB:
 *     DMA spanned 4095 present 3998, DMA32 spanned 1044480 present 782304,
 *     Normal spanned 262144 present 262144
 *     "percpu: Embedded 62 pages/cpu s217088 r8192 d28672 u1048576"
 *     "pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152"
 *     "Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, linear)"
 *     "Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, linear)"
 *     "Mount-cache hash table entries: 8192 (order: 4, 65536 bytes, linear)"
 *     "Freeing unused kernel image (text/rodata gap) memory: 2040K" and
 *     "(rodata/data gap) memory: 1124K", "Freeing unused decrypted memory: 2036K",
 *     "Write protecting the kernel read-only data: 26624k", "Freeing initrd memory: 1012K"
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/memblock.h"
#include "kmemsh/memmap.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"

#include "fixture.h"

/* 6.1's nr_kernel_pages (mm/page_alloc.c free_area_init_core()): each
 * lowmem zone's present pages less its memmap estimate, calc_memmap_size():
 * spanned pages of struct page, or present ones when the zone has holes of
 * more than 1/16 (SPARSEMEM) */
static uint64_t freesize_6_1(uint64_t spanned, uint64_t present, uint64_t struct_page)
{
	uint64_t pages = spanned > present + (present >> 4) ? present : spanned;
	return present - ((pages * struct_page + 4095) >> 12);
}

static uint64_t i386_kernel_pages(void)
{
	return freesize_6_1(4095, 3998, 32) + freesize_6_1(220158, 220158, 32);
}

static uint64_t amd64_kernel_pages(void)
{
	return freesize_6_1(4095, 3998, 64) + freesize_6_1(1044480, 782304, 64) + freesize_6_1(262144, 262144, 64);
}

static void check_hash(unsigned bits, uint64_t bucket, uint64_t numentries, int scale, unsigned flags,
		       uint64_t limit, uint64_t kernel_pages, uint64_t entries, unsigned order, uint64_t bytes)
{
	struct large_hash h;
	large_system_hash_size(bits, bucket, numentries, scale, flags, limit, limit, kernel_pages, kernel_pages, &h);
	assert_int_equal(h.entries, entries);
	assert_int_equal(h.order, order);
	assert_int_equal(h.bytes, bytes);
	assert_false(h.vmalloc);
}

static void large_system_hash__sizes_match_the_real_i386_dmesg(void **state)
{
	(void)state;
	uint64_t kp = i386_kernel_pages();
	/* fs/dcache.c scale 13, fs/inode.c 14, fs/namespace.c 19; pointers */
	check_hash(32, 4, 0, 13, HASH_EARLY | HASH_ZERO, 0, kp, 131072, 7, 524288);
	check_hash(32, 4, 0, 14, HASH_EARLY | HASH_ZERO, 0, kp, 65536, 6, 262144);
	check_hash(32, 4, 0, 19, HASH_ZERO, 0, kp, 2048, 1, 8192);
	/* kernel/futex/core.c: 256 buckets per CPU of 64 bytes, fixed limits */
	check_hash(32, 64, 512, 0, 0, 512, kp, 512, 3, 32768);
}

static void large_system_hash__sizes_match_the_real_amd64_dmesg(void **state)
{
	(void)state;
	uint64_t kp = amd64_kernel_pages();
	check_hash(64, 8, 0, 13, HASH_EARLY | HASH_ZERO, 0, kp, 524288, 10, 4194304);
	check_hash(64, 8, 0, 14, HASH_EARLY | HASH_ZERO, 0, kp, 262144, 9, 2097152);
	check_hash(64, 8, 0, 19, HASH_ZERO, 0, kp, 8192, 4, 65536);
	check_hash(64, 64, 512, 0, 0, 512, kp, 512, 3, 32768);
}

static void check_hash2(unsigned bits, uint64_t bucket, uint64_t numentries, int scale, unsigned flags,
			uint64_t low, uint64_t high, uint64_t kernel_pages, uint64_t entries, unsigned order,
			uint64_t bytes)
{
	struct large_hash h;
	large_system_hash_size(bits, bucket, numentries, scale, flags, low, high, kernel_pages, kernel_pages, &h);
	assert_int_equal(h.entries, entries);
	assert_int_equal(h.order, order);
	assert_int_equal(h.bytes, bytes);
	assert_false(h.vmalloc);
}

/* inet_init()'s tables with the scales and limits its callers pass
 * (net/ipv4/route.c ip_rt_init(), net/ipv4/inet_hashtables.c
 * inet_hashinfo2_init(), net/ipv4/tcp.c tcp_init(), net/mptcp/token.c
 * mptcp_token_init(), net/ipv4/udp.c udp_table_init()); the expected
 * lines are the real Debian 6.1 dmesg's:
 *   i386:  "IP idents hash table entries: 16384 (order: 5, 131072 bytes, linear)"
 *          "tcp_listen_portaddr_hash hash table entries: 512 (order: 0, 4096 bytes, linear)"
 *          "Table-perturb hash table entries: 65536 (order: 6, 262144 bytes, linear)"
 *          "TCP established hash table entries: 8192 (order: 3, 32768 bytes, linear)"
 *          "TCP bind hash table entries: 8192 (order: 5, 131072 bytes, linear)"
 *          "MPTCP token hash table entries: 1024 (order: 2, 16384 bytes, linear)"
 *          "UDP hash table entries: 512 (order: 2, 16384 bytes, linear)" (UDP-Lite the same)
 *   amd64: 65536 (order: 7, 524288), 2048 (order: 3, 32768), 65536 (order: 6, 262144),
 *          32768 (order: 6, 262144), 32768 (order: 8, 1048576), 4096 (order: 5, 98304),
 *          2048 (order: 4, 65536) */
static void inet_hashes__match_the_real_6_1_dmesg(void **state)
{
	(void)state;
	struct inet_hash_buckets b;
	uint64_t kp = i386_kernel_pages();
	inet_hash_buckets(KV_6_1, 32, &b);
	check_hash2(32, b.ip_idents, 0, 16, HASH_ZERO, 2048, 256 * 1024, kp, 16384, 5, 131072);
	check_hash2(32, b.lhash2, 0, 21, 0, 0, 64 * 1024, kp, 512, 0, 4096);
	check_hash2(32, b.perturb, 65536, 0, 0, 65536, 65536, kp, 65536, 6, 262144);
	check_hash2(32, b.ehash, 0, 17, 0, 0, 512 * 1024, kp, 8192, 3, 32768);
	check_hash2(32, b.bhash, 8192, 17, 0, 0, 64 * 1024, kp, 8192, 5, 131072);
	check_hash2(32, b.mptcp, 0, 20, HASH_ZERO, 0, 64 * 1024, kp, 1024, 2, 16384);
	check_hash2(32, b.udp, 0, 21, 0, 256, 64 * 1024, kp, 512, 2, 16384);

	kp = amd64_kernel_pages();
	inet_hash_buckets(KV_6_1, 64, &b);
	check_hash2(64, b.ip_idents, 0, 16, HASH_ZERO, 2048, 256 * 1024, kp, 65536, 7, 524288);
	check_hash2(64, b.lhash2, 0, 21, 0, 0, 64 * 1024, kp, 2048, 3, 32768);
	check_hash2(64, b.perturb, 65536, 0, 0, 65536, 65536, kp, 65536, 6, 262144);
	check_hash2(64, b.ehash, 0, 17, 0, 0, 512 * 1024, kp, 32768, 6, 262144);
	check_hash2(64, b.bhash, 32768, 17, 0, 0, 64 * 1024, kp, 32768, 8, 1048576);
	/* 24-byte token buckets: 98304 bytes, get_order() 5 (the line's order) */
	check_hash2(64, b.mptcp, 0, 20, HASH_ZERO, 0, 64 * 1024, kp, 4096, 5, 98304);
	check_hash2(64, b.udp, 0, 21, 0, 256, 64 * 1024, kp, 2048, 4, 65536);
}

/* 6.13's UDP slot: hash (udp_hslot, 16 bytes on 64-bit: hlist_head, int
 * count, spinlock_t, aligned to 2 * sizeof(long)), hash2 (udp_hslot_main:
 * an hslot and a u32 hash4_mask, 32 bytes), hash4 (an hslot): 64 bytes;
 * 32-bit 16 + 24 + 16.  6.1's is two hslots. */
static void inet_hashes__udp_slot_per_version(void **state)
{
	(void)state;
	struct inet_hash_buckets b;
	inet_hash_buckets(KV_6_13, 64, &b);
	assert_int_equal(b.udp, 64);
	inet_hash_buckets(KV_6_13, 32, &b);
	assert_int_equal(b.udp, 56);
	inet_hash_buckets(KV_6_1, 64, &b);
	assert_int_equal(b.udp, 32);
	/* one slot per 2 MB, at least UDP_HTABLE_SIZE_MIN: a 256 MiB machine
	 * gets 128 → 256 slots */
	check_hash2(64, b.udp, 0, 21, 0, 256, 64 * 1024, 65536, 256, 1, 8192);
	/* at most UDP_HTABLE_SIZE_MAX: 1 TiB gives 65536 */
	check_hash2(64, b.udp, 0, 21, 0, 256, 64 * 1024, 1ull << 28, 65536, 9, 2097152);
}

static void large_system_hash__grows_half_as_fast_above_64_gib(void **state)
{
	(void)state;
	struct large_hash h;
	/* 128 GiB of lowmem: 2^25 pages pass ADAPT_SCALE_NPAGES (2^24) once,
	 * so the dentry scale is 14: 2^25 >> 2 = 2^23 buckets */
	large_system_hash_size(64, 8, 0, 13, HASH_EARLY, 0, 0, 1ull << 25, 1ull << 25, &h);
	assert_int_equal(h.entries, 1ull << 23);
	/* the same on 32-bit keeps scale 13: 2^24 buckets, but at most 1/16
	 * of all memory: (2^25 << 12 >> 4) / 8 = 2^30 */
	large_system_hash_size(32, 8, 0, 13, HASH_EARLY, 0, 0, 1ull << 25, 1ull << 25, &h);
	assert_int_equal(h.entries, 1ull << 24);
	/* a small machine: 256 pages (1 MiB, rounded up) >> 7 buckets of 8
	 * bytes is below a page, raised to a page's worth (4096 / 8) */
	large_system_hash_size(64, 8, 0, 19, 0, 0, 0, 64, 64, &h);
	assert_int_equal(h.entries, 512);
	/* at most 1/16 of all memory: 2^10 pages give (2^22 >> 4) / 8 */
	large_system_hash_size(64, 8, 0, 13, HASH_EARLY, 0, 0, 1ull << 20, 1ull << 10, &h);
	assert_int_equal(h.entries, 1ull << 15);
	/* a table above MAX_PAGE_ORDER after boot is vmalloc'ed */
	large_system_hash_size(64, 8, 1ull << 20, 0, 0, 0, 0, 1ull << 25, 1ull << 25, &h);
	assert_int_equal(h.order, 11);
	assert_true(h.vmalloc);
}

/* 2.6.32's formula (mm/page_alloc.c): no adaptive scale, one limit, and
 * the PID hash's HASH_SMALL; its order is ilog2(size) - PAGE_SHIFT.  The
 * default i386 machine's lowmem pages less their memmap
 * (free_area_init_core()): DMA pfns 0x10-0x9f and 0x100-0x1000 less
 * 4080 * 32 bytes, Normal 0x1000-0x377fe less 223230 * 32 bytes */
static void large_system_hash__2_6_32_formula(void **state)
{
	(void)state;
	uint64_t dma = (0x9f - 0x10) + (0x1000 - 0x100) - ((4080 * 32 + 4095) >> 12);
	uint64_t normal = (0x377fe - 0x1000) - ((223230ull * 32 + 4095) >> 12);
	uint64_t kp = dma + normal;
	struct large_hash h;
	large_system_hash_size(32, 4, 0, 18, HASH_EARLY | HASH_SMALL | HASH_2_6_32, 0, 4096, kp, kp, &h);
	assert_int_equal(h.entries, 4096);
	assert_int_equal(h.order_ilog2, 2);
	large_system_hash_size(32, 4, 0, 13, HASH_EARLY | HASH_2_6_32, 0, 0, kp, kp, &h);
	assert_int_equal(h.entries, 131072);
	assert_int_equal(h.order_ilog2, 7);
	/* 16 MiB: 4096 pages >> 6 = 64 PID buckets of 4 bytes, below a page
	 * and kept (HASH_SMALL): order -4; the dentry hash is raised to a page */
	large_system_hash_size(32, 4, 0, 18, HASH_EARLY | HASH_SMALL | HASH_2_6_32, 0, 4096, 4096, 4096, &h);
	assert_int_equal(h.entries, 64);
	assert_int_equal(h.order_ilog2, -4);
	large_system_hash_size(32, 4, 0, 14, HASH_EARLY | HASH_2_6_32, 0, 0, 1024, 1024, &h);
	assert_int_equal(h.entries, 1024);
	/* no adaptive scale above 64 GiB on 2.6.32 x86_64 */
	large_system_hash_size(64, 8, 0, 13, HASH_EARLY | HASH_2_6_32, 0, 0, 1ull << 25, 1ull << 25, &h);
	assert_int_equal(h.entries, 1ull << 24);
}

static void pcpu_embed__sizes_match_the_real_dmesg(void **state)
{
	(void)state;
	struct pcpu_alloc_info ai;
	/* i386: r = 0, dyn = PERCPU_MODULE_RESERVE 8K + PERCPU_DYNAMIC_RESERVE 20K */
	pcpu_build_alloc_info(103316, 0, 28672, 4096, 2, &ai);
	assert_int_equal(ai.size_sum >> 12, 33);
	assert_int_equal(ai.dyn_size, 31852);
	assert_int_equal(ai.unit_size, 135168);
	assert_int_equal(ai.alloc_size / ai.atom_size, 33);
	/* amd64: r = 8K, dyn = 8K + 28K - 8K, atom PMD_SIZE: two units of
	 * 1 MiB in one 2 MiB allocation */
	pcpu_build_alloc_info(217088, 8192, 28672, 2 << 20, 2, &ai);
	assert_int_equal(ai.size_sum >> 12, 62);
	assert_int_equal(ai.dyn_size, 28672);
	assert_int_equal(ai.unit_size, 1048576);
	assert_int_equal(ai.upa, 2);
	assert_int_equal(ai.alloc_size, 2097152);
	/* three CPUs: four units of 512K would waste one, more than 3/3 = 1?
	 * no (1 > 1 is false), so upa 4; five CPUs: upa 4 wastes 3 > 1, upa 2
	 * wastes 1 (allocs 3) */
	pcpu_build_alloc_info(217088, 8192, 28672, 2 << 20, 3, &ai);
	assert_int_equal(ai.upa, 4);
	pcpu_build_alloc_info(217088, 8192, 28672, 2 << 20, 5, &ai);
	assert_int_equal(ai.upa, 2);
	assert_int_equal(ai.nr_units, 6);
}

static void log_buf__rounds_to_a_power_of_two_above_the_static_buffer(void **state)
{
	(void)state;
	assert_int_equal(log_buf_len_for(4 << 20, 2), 4 << 20);
	assert_int_equal(log_buf_len_for(3 << 20, 1), 4 << 20);
	assert_int_equal(log_buf_len_for(64 << 10, 1), 0);       /* not above 128K */
	assert_int_equal(log_buf_len_for(0, 17), 0);             /* 16 * 4K = 64K: not more than half */
	assert_int_equal(log_buf_len_for(0, 18), 256 << 10);     /* 17 * 4K + 128K, rounded up */
	/* 4M of text: 131072 descriptors of 3 longs, infos of 88 bytes */
	assert_int_equal(log_buf_desc_bytes(64, 4 << 20), 131072 * 24);
	assert_int_equal(log_buf_desc_bytes(32, 4 << 20), 131072 * 12);
	assert_int_equal(log_buf_info_bytes(64, 4 << 20), 131072 * 88);
}

/* ---- booted machines ------------------------------------------------------ */

static const char *line_starting(const struct machine *m, const char *prefix)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strncmp(dmesg_slot(&m->dmesg, i)->text, prefix, strlen(prefix)) == 0)
			return dmesg_slot(&m->dmesg, i)->text;
	return NULL;
}

static size_t line_index(const struct machine *m, const char *prefix)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strncmp(dmesg_slot(&m->dmesg, i)->text, prefix, strlen(prefix)) == 0)
			return i;
	fail_msg("no dmesg line starting '%s'", prefix);
	return 0;
}

/* alloc_large_system_hash()'s loop (mm/mm_init.c): when the table cannot
 * be had, half as many buckets, while (!table && size > PAGE_SIZE &&
 * --log2qty).  A booted 4 GiB x86_64 6.13 machine whose free memory is
 * cut into order-6 blocks of which every other one stays taken (so no two
 * free ones are buddies): no block of order 7 is left, plenty of order 6.
 * "IP idents" (8-byte buckets, 65536 of them, 512 KiB, order 7) must then
 * come out at 32768 entries, 262144 bytes, order 6; the model stays
 * consistent. */
static void inet_hashes__halve_when_the_table_cannot_be_had(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30, .ncpus = 2 };
	struct machine *m = boot_cfg(&cfg);
	gfp_t gfp;
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC|__GFP_MEMALLOC|__GFP_NOWARN", &gfp, NULL), 0);
	static uint64_t pfns[1u << 15];
	size_t n = 0;
	while (n < sizeof pfns / sizeof pfns[0] && buddy_alloc_pages(m, gfp, 6, &pfns[n]) == 0)
		n++;
	assert_true(n > 1000 && n < sizeof pfns / sizeof pfns[0]);
	for (size_t i = 0; i < n; i++)
		if (!(pfns[i] & 64))
			buddy_free_pages(m, pfns[i], 6);
	assert_int_equal(memblock_inet_init_hashes(m), 0);
	const char *last = NULL;
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strncmp(dmesg_slot(&m->dmesg, i)->text, "IP idents hash table entries: ", 30) == 0)
			last = dmesg_slot(&m->dmesg, i)->text;
	assert_non_null(last);
	assert_string_equal(last, "IP idents hash table entries: 32768 (order: 6, 262144 bytes, linear)");
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* setup_log_buf(): a log_buf_len= the RAM cannot hold names the part that
 * failed (text, desc or info bytes) and gives back the parts taken before
 * it (err_free_descs, err_free_log_buf): the boot reserves what one
 * without log_buf_len= does */
static void log_buf__a_failed_allocation_gives_its_parts_back(void **state)
{
	(void)state;
	struct machine_config c0 = { .arch = "x86_64" };
	struct machine *m0 = boot_cfg(&c0);
	struct machine_config c1 = { .arch = "x86_64", .cmdline = "log_buf_len=2G" };
	struct machine *m = boot_cfg(&c1);
	/* 2 GiB of text fits below the PCI hole, 1.5 GiB of descriptors not */
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 1610612736 desc bytes not available"));
	assert_false(dmesg_has_line(m, "printk: log_buf_len: 2147483648 text bytes not available"));
	assert_string_equal(line_starting(m, "Memory: "), line_starting(m0, "Memory: "));
	machine_destroy(m);
	/* a log_buf_len= not above the static 128K sets nothing
	 * (log_buf_len_update()), so the CPUs' share still applies:
	 * 63 * 4K + 128K, rounded up */
	struct machine_config c4 = { .arch = "x86_64", .ncpus = 64, .cmdline = "log_buf_len=64K" };
	m = boot_cfg(&c4);
	assert_true(dmesg_has_line(m, "printk: log_buf_len total cpu_extra contributions: 258048 bytes"));
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 524288 bytes"));
	machine_destroy(m);
	/* each log_buf_len= runs log_buf_len_update() in turn: one not above
	 * the static 128K leaves the new_log_buf_len an earlier one set */
	struct machine_config c5 = { .arch = "x86_64", .cmdline = "log_buf_len=1M log_buf_len=64K" };
	m = boot_cfg(&c5);
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 1048576 bytes"));
	machine_destroy(m);
	/* ... and a later larger or smaller one above 128K replaces it */
	struct machine_config c6 = { .arch = "x86_64", .cmdline = "log_buf_len=2M log_buf_len=256K" };
	m = boot_cfg(&c6);
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 262144 bytes"));
	machine_destroy(m);
	struct machine_config c2 = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30,
				     .cmdline = "log_buf_len=512M" };
	struct machine_config c3 = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30 };
	m = boot_cfg(&c2);
	machine_destroy(m0);
	m0 = boot_cfg(&c3);
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 1476395008 info bytes not available"));
	assert_string_equal(line_starting(m, "Memory: "), line_starting(m0, "Memory: "));
	machine_destroy(m);
	machine_destroy(m0);
}

/* kernel/printk/printk.c log_buf_len_update(): a size above
 * LOG_BUF_LEN_MAX (2 GiB) is cut to it with pr_err("log_buf over 2G is
 * not supported.\n"); 2G itself is taken as it is */
static void log_buf__over_2g_is_cut_to_2g_with_an_error(void **state)
{
	(void)state;
	struct machine_config c1 = { .arch = "x86_64", .cmdline = "log_buf_len=4G" };
	struct machine *m = boot_cfg(&c1);
	assert_true(dmesg_has_line(m, "printk: log_buf over 2G is not supported."));
	/* then as 2G: 1.5 GiB of descriptors do not fit */
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 1610612736 desc bytes not available"));
	machine_destroy(m);
	struct machine_config c2 = { .arch = "x86_64", .cmdline = "log_buf_len=2G" };
	m = boot_cfg(&c2);
	assert_false(dmesg_has_line(m, "printk: log_buf over 2G is not supported."));
	machine_destroy(m);
}

/* setup_percpu: nr_cpu_ids is at most NR_CPUS (prefill_possible_map()):
 * the 686 build's 32 CPUs refuse a 33rd rather than print
 * "NR_CPUS:32 ... nr_cpu_ids:33"; x86_64 (NR_CPUS 8192) takes 4096 */
static void cpus__more_than_nr_cpus_are_refused(void **state)
{
	(void)state;
	struct machine *m = NULL;
	char err[256];
	struct machine_config c1 = { .arch = "i386", .kernel = "6.13", .ncpus = 33 };
	assert_int_not_equal(machine_create(&c1, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "--cpus 33"));
	assert_non_null(strstr(err, "NR_CPUS=32"));
	/* pcpu_embed_first_chunk() that cannot have its units panics
	 * ("Failed to initialize percpu areas."): 4096 CPUs of 256K are 1 GiB,
	 * more than a 64M machine has; refused, not booted with some */
	struct machine_config c3 = { .arch = "x86_64", .mem_bytes = 64 << 20, .ncpus = 4096 };
	assert_int_not_equal(machine_create(&c3, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "--cpus 4096"));
	assert_non_null(strstr(err, "percpu"));
	struct machine_config c2 = { .arch = "i386", .kernel = "6.13", .ncpus = 32 };
	m = boot_cfg(&c2);
	assert_true(dmesg_has_line(m, "setup_percpu: NR_CPUS:32 nr_cpumask_bits:32 nr_cpu_ids:32 nr_node_ids:1"));
	machine_destroy(m);
}

static void i386_6_x_boot__prints_the_real_kernels_lines(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/i386-6.1-qemu-1G.iomem");
	/* the initramfs: 0x3ffdfff2 - 0x3fedb000 + 1 bytes */
	struct machine_config cfg = { .arch = "i386", .kernel = "6.13", .iomem_text = iomem, .ncpus = 2,
				      .cmdline = "console=ttyS0 log_buf_len=4M", .initrd_size = 0x104ff3 };
	struct machine *m = boot_cfg(&cfg);
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 4194304 bytes"));
	assert_true(dmesg_has_line(m, "RAMDISK: [mem 0x3fedb000-0x3ffdffff]"));
	assert_true(dmesg_has_line(m, "Move RAMDISK from [mem 0x3fedb000-0x3ffdfff2] to [mem 0x35a79000-0x35b7dff2]"));
	assert_true(dmesg_has_line(m, "setup_percpu: NR_CPUS:32 nr_cpumask_bits:2 nr_cpu_ids:2 nr_node_ids:1"));
	assert_true(dmesg_has_line(m, "percpu: Embedded 33 pages/cpu s103316 r0 d31852 u135168"));
	assert_true(dmesg_has_line(m, "pcpu-alloc: s103316 r0 d31852 u135168 alloc=33*4096"));
	assert_true(dmesg_has_line(m, "pcpu-alloc: [0] 0 [0] 1 "));
	assert_true(dmesg_has_line(m, "Dentry cache hash table entries: 131072 (order: 7, 524288 bytes, linear)"));
	assert_true(dmesg_has_line(m, "Inode-cache hash table entries: 65536 (order: 6, 262144 bytes, linear)"));
	assert_true(dmesg_has_line(m, "Mount-cache hash table entries: 2048 (order: 1, 8192 bytes, linear)"));
	assert_true(dmesg_has_line(m, "Mountpoint-cache hash table entries: 2048 (order: 1, 8192 bytes, linear)"));
	assert_true(dmesg_has_line(m, "futex hash table entries: 512 (order: 3, 32768 bytes, linear)"));
	/* dquot_init(): 4096 / sizeof(struct hlist_head) 4 = 1024 buckets */
	assert_true(dmesg_has_line(m, "VFS: Dquot-cache hash table entries: 1024 (order 0, 4096 bytes)"));
	assert_true(dmesg_has_line(m, "Initializing HighMem for node 0 (00036bfe:0003ffe0)"));
	assert_true(dmesg_has_line(m, "Freeing SMP alternatives memory: 32K"));
	assert_true(dmesg_has_line(m, "Freeing initrd memory: 1044K"));
	assert_true(dmesg_has_line(m, "Freeing unused kernel image (initmem) memory: 912K"));
	assert_true(dmesg_has_line(m, "Write protecting kernel text and read-only data: 12516k"));
	/* 32-bit 6.x: HIGHMEM/LOWMEM before the zone ranges, no Policy zone */
	assert_true(line_index(m, "147MB HIGHMEM available.") < line_index(m, "Zone ranges:"));
	assert_null(line_starting(m, "Policy zone:"));
	/* every field the image and the map decide; available and reserved
	 * differ by the reservations the model does not make (see kmemsh.7) */
	const char *mem = line_starting(m, "Memory: ");
	assert_non_null(mem);
	assert_non_null(strstr(mem, "K/1048056K available (9327K kernel code, 1246K rwdata, 3188K rodata, "
				    "912K init, 464K bss, "));
	assert_non_null(strstr(mem, "K reserved, 0K cma-reserved, 151432K highmem)"));
	machine_destroy(m);
	free(iomem);
}

/* Without --iomem or --image, i386 6.1 and 6.13 boot Debian 6.1.0's 686
 * image (real-kernels/i386-6.1-1G-2cpu): at CONFIG_PHYSICAL_START 16 MiB,
 * the sections where the real iomem.txt has them relative to _text
 * (rodata +0x91c000, data +0xc39000, bss +0xe72000: the real image was at
 * 0xb000000), so the Memory: line has the real dmesg's section figures
 * and the text/rodata protection the real 12516k; 2.6.32 keeps its own. */
static void i386_6_x_default_image__is_debian_686s(void **state)
{
	(void)state;
	static const char *const kv[] = { "6.1", "6.13" };
	for (int i = 0; i < 2; i++) {
		struct machine_config cfg = { .arch = "i386", .kernel = kv[i], .ncpus = 2 };
		struct machine *m = boot_cfg(&cfg);
		const char *mem = line_starting(m, "Memory: ");
		assert_non_null(mem);
		assert_non_null(strstr(mem, " available (9327K kernel code, 1246K rwdata, 3188K rodata, 912K init, "
					    "464K bss, "));
		assert_true(dmesg_has_line(m, "Write protecting kernel text and read-only data: 12516k"));
		struct out o;
		out_init_buf(&o);
		view_iomem(&o, m);
		assert_non_null(strstr(o.buf, "  01000000-0191bc7f : Kernel code\n  0191c000-01c38fff : Kernel rodata\n"
					      "  01c39000-01d70bbf : Kernel data\n  01e72000-01ee5fff : Kernel bss\n"));
		out_free(&o);
		machine_destroy(m);
	}
	struct machine_config old = { .arch = "i386", .kernel = "2.6.32" };
	struct machine *m = boot_cfg(&old);
	assert_non_null(strstr(line_starting(m, "Memory: "), "(4909k kernel code, "));
	machine_destroy(m);
}

static void amd64_6_x_boot__prints_the_real_kernels_lines(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config cfg = { .arch = "x86_64", .iomem_text = iomem, .ncpus = 2,
				      .cmdline = "log_buf_len=4M nokaslr", .initrd_size = 1012 << 10 };
	struct machine *m = boot_cfg(&cfg);
	assert_true(dmesg_has_line(m, "printk: log_buf_len: 4194304 bytes"));
	assert_true(dmesg_has_line(m, "RAMDISK: [mem 0xbfee3000-0xbffdffff]"));
	assert_true(dmesg_has_line(m, "setup_percpu: NR_CPUS:8192 nr_cpumask_bits:2 nr_cpu_ids:2 nr_node_ids:1"));
	assert_true(dmesg_has_line(m, "percpu: Embedded 62 pages/cpu s217088 r8192 d28672 u1048576"));
	assert_true(dmesg_has_line(m, "pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152"));
	assert_true(dmesg_has_line(m, "pcpu-alloc: [0] 0 1 "));
	assert_true(dmesg_has_line(m, "Kernel command line: log_buf_len=4M nokaslr"));
	assert_true(dmesg_has_line(m, "Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, linear)"));
	assert_true(dmesg_has_line(m, "Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, linear)"));
	assert_true(dmesg_has_line(m, "software IO TLB: area num 2."));
	assert_true(dmesg_has_line(m, "Mount-cache hash table entries: 8192 (order: 4, 65536 bytes, linear)"));
	assert_true(dmesg_has_line(m, "Mountpoint-cache hash table entries: 8192 (order: 4, 65536 bytes, linear)"));
	assert_true(dmesg_has_line(m, "futex hash table entries: 512 (order: 3, 32768 bytes, linear)"));
	/* dquot_init(): one page of 8-byte hlist_heads, 4096 / 8 = 512, after
	 * futex_init() (a core_initcall) and before inet_init() (an
	 * fs_initcall linked after fs/) */
	assert_true(dmesg_has_line(m, "VFS: Disk quotas dquot_6.6.0"));
	assert_true(dmesg_has_line(m, "VFS: Dquot-cache hash table entries: 512 (order 0, 4096 bytes)"));
	assert_true(line_index(m, "futex hash table entries") < line_index(m, "VFS: Disk quotas"));
	assert_true(line_index(m, "VFS: Disk quotas") < line_index(m, "VFS: Dquot-cache"));
	assert_true(line_index(m, "VFS: Dquot-cache") < line_index(m, "IP idents hash table entries"));
	assert_true(dmesg_has_line(m, "Freeing SMP alternatives memory: 36K"));
	assert_true(dmesg_has_line(m, "Freeing initrd memory: 1012K"));
	assert_true(dmesg_has_line(m, "Freeing unused decrypted memory: 2036K"));
	assert_true(dmesg_has_line(m, "Write protecting the kernel read-only data: 26624k"));
	assert_true(dmesg_has_line(m, "Freeing unused kernel image (text/rodata gap) memory: 2040K"));
	assert_true(dmesg_has_line(m, "Freeing unused kernel image (rodata/data gap) memory: 1124K"));
	assert_true(dmesg_has_line(m, "Policy zone: Normal"));
	const char *mem = line_starting(m, "Memory: ");
	assert_non_null(mem);
	assert_non_null(strstr(mem, "K/4193784K available (14343K kernel code, 2338K rwdata, 9116K rodata, "));
	assert_non_null(strstr(mem, "K bss, "));
	machine_destroy(m);
	free(iomem);
}

/*
 * 6.1 amd64 booted as tests/real-6.1.sh boots the real machine (2 CPUs, no
 * 1 GiB pages, log_buf_len=4M, its 1012K initramfs).  Worked from
 * arch/x86/mm/init.c: memory_map_top_down(1M, 5G) maps [0x13fe00000, 5G)
 * first (GiB 4's pmd table from the brk; the pud table and GiB 0's pmd and
 * pte tables came with the ISA range), then [0x120000000, 0x13fe00000),
 * then [1M, 0x120000000), whose RAM range [1M, 0xbffe0000) holds the brk's
 * pgt_buf: can_use_brk_pgt is false there, so its new tables (GiB 1's and
 * GiB 2's pmd tables, the pte table of [0xbfe00000, 0xc0000000), 0xbffe0000
 * not being 2M aligned) come from memblock top down in [min_pfn_mapped,
 * max_pfn_mapped) = [0x120000000, 0x140000000): 0x13ffff000, 0x13fffe000,
 * 0x13fffd000.  The log buffer goes below them and NODE_DATA below it,
 * 12K lower than without them: the real log's line.  The real zoneinfo's
 * DMA32 managed 754605 holds the brk page dmi_alloc() took; the real
 * "Memory:" free figure 3155528K counts the 64 pud tables
 * preallocate_vmalloc_pages() took before it (the Normal pages memblock
 * still holds lie past first_deferred_pfn and do not show there).
 */
static void amd64_6_1_boot__page_tables_brk_and_node_data_where_the_real_kernel_has_them(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .nogbpages = true, .initrd_size = 1012 << 10,
				      .cmdline = "log_buf_len=4M transparent_hugepage=never" };
	struct machine *m = boot_cfg(&cfg);
	for (uint64_t pfn = 0x13fffd; pfn <= 0x13ffff; pfn++)
		if (!pgtable_table(m, pfn))
			fail_msg("pfn %#llx is no page table", (unsigned long long)pfn);
	assert_null(pgtable_table(m, 0x13fffc));
	assert_true(dmesg_has_line(m, "NODE_DATA(0) allocated [mem 0x13edd2000-0x13edfcfff]"));
	const char *mem = line_starting(m, "Memory: ");
	assert_non_null(mem);
	assert_non_null(strstr(mem, "Memory: 3155528K/4193784K available (14343K kernel code"));
	int dma32 = m->zone_of_kind[ZK_DMA32];
	assert_true(dma32 >= 0);
	assert_int_equal(m->zones[dma32].managed, 754605);
	machine_destroy(m);
	free(iomem);
}

/* [a, b) lies wholly in memblock.reserved / wholly outside it */
static bool bytes_reserved(const struct machine *m, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < m->memmap.nresv; i++)
		if (m->memmap.resv[i].start <= a && m->memmap.resv[i].end >= b)
			return true;
	return false;
}

static bool bytes_free(const struct machine *m, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < m->memmap.nresv; i++)
		if (m->memmap.resv[i].start < b && m->memmap.resv[i].end > a)
			return false;
	return true;
}

#define CAPTURE_CMDLINE "console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 log_buf_len=4M memblock=debug " \
	"ignore_loglevel"

/*
 * The small memblock allocations of 6.1 (memblock_early.c) where the real
 * kernel puts them: tests/data/amd64-6.1-memblock-debug.txt.gz, the real
 * 6.1.0-50-amd64 booted as the reference machine with memblock=debug
 * ignore_loglevel added (139-byte command lines) and a 1028253-byte
 * initramfs.  Each address below is that log's:
 *   sparse_init 32768 bytes            [0x13edca000-0x13edd1fff]
 *   sparse_index_alloc 4096            [0x13edc9000-0x13edc9fff]
 *   sparse_init_nid 1792 (usemaps)     [0x13edc8900-0x13edc8fff]
 *   acpi_parse_hpet 73                 [0x13edc8880-0x13edc88c8]
 *   start_kernel 139, 139              [0x13edc8040-...], [0x13edc5f40-0x13edc5fcb]
 *   pcpu_setup_first_chunk 8 (unit_map) [0x13edc8000-0x13edc8007]
 *   alloc_bootmem_cpumask_var 8 ...    [0x13edc4fc0-...], [0x13edc4f80-...]
 *   spp_getpage 4096 x 3               [0x13edc1000-0x13edc3fff]
 *   swiotlb_init_remap 786432, 32      [0x13ed01000-0x13edc0fff], [0x13edc4f40-0x13edc4f5f]
 * and pcpu_build_alloc_info's page 0x13edc4000 came back below the
 * cpumasks; the Normal zone then manages 239237 pages, as its zoneinfo.
 */
static void amd64_6_1_boot__small_allocations_where_the_real_log_has_them(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .nogbpages = true, .initrd_size = 1028253,
				      .cmdline = CAPTURE_CMDLINE " transparent_hugepage=never nokaslr" };
	struct machine *m = boot_cfg(&cfg);
	assert_true(bytes_reserved(m, 0x13edca000, 0x13edd2000));
	assert_true(bytes_reserved(m, 0x13edc9000, 0x13edca000));
	assert_true(bytes_reserved(m, 0x13edc8900, 0x13edc9000));
	assert_true(bytes_reserved(m, 0x13edc8880, 0x13edc8880 + 73));
	assert_true(bytes_free(m, 0x13edc8880 + 73, 0x13edc8900));
	assert_true(bytes_reserved(m, 0x13edc8040, 0x13edc8040 + 139));
	assert_true(bytes_reserved(m, 0x13edc5f40, 0x13edc5f40 + 139));
	assert_true(bytes_free(m, 0x13edc5f40 + 139, 0x13edc6000));
	assert_true(bytes_reserved(m, 0x13edc8000, 0x13edc8008));
	assert_true(bytes_reserved(m, 0x13edc4fc0, 0x13edc4fc8));
	assert_true(bytes_reserved(m, 0x13edc4f80, 0x13edc4f88));
	assert_true(bytes_reserved(m, 0x13edc1000, 0x13edc4000));
	assert_true(bytes_reserved(m, 0x13ed01000, 0x13edc1000));
	assert_true(bytes_free(m, 0x13ed00000, 0x13ed01000));
	assert_true(bytes_reserved(m, 0x13edc4f40, 0x13edc4f60));
	assert_true(bytes_free(m, 0x13edc4000, 0x13edc4f40));
	int normal = m->zone_of_kind[ZK_NORMAL];
	assert_true(normal >= 0);
	assert_int_equal(m->zones[normal].managed, 239237);
	machine_destroy(m);
	free(iomem);
}

/*
 * i386 likewise: tests/data/i386-6.1-memblock-debug.txt.gz, the real
 * 6.1.0-50-686 with memblock=debug ignore_loglevel and a 1063812-byte
 * initramfs (its image elsewhere: i386 KASLR, which moves nothing at the
 * top of lowmem).  The log's:
 *   setup_usemap 4, 108, 20            [0x35079fc0-...], [0x35079f40-...], [0x35079f00-...]
 *   pcpu_embed_first_chunk 270336      [0x35035000-0x35076fff] (one group: both units)
 *   pcpu_alloc_first_chunk 1028, 256   [0x35079000-0x35079403], [0x35034f00-0x35034fff]
 *   alloc_large_system_hash 524288, 262144  [0x34fb4f00-0x35034eff], [0x34f74f00-0x34fb4eff]
 * with the alloc info and areas pages [0x35077000-0x35078fff] freed.
 * Booted as the reference machine (its command line and initramfs), the
 * Normal zone manages 209480 pages and the Memory: line is the real one.
 */
static void i386_6_1_boot__small_allocations_where_the_real_log_has_them(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/i386-6.1-qemu-1G.iomem");
	struct machine_config cfg = { .arch = "i386", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .initrd_size = 1063812, .cmdline = CAPTURE_CMDLINE };
	struct machine *m = boot_cfg(&cfg);
	assert_true(bytes_reserved(m, 0x35079fc0, 0x35079fc4));
	assert_true(bytes_reserved(m, 0x35079f40, 0x35079f40 + 108));
	assert_true(bytes_reserved(m, 0x35079f00, 0x35079f14));
	assert_true(bytes_free(m, 0x35079f14, 0x35079f40));
	assert_true(bytes_reserved(m, 0x35035000, 0x35077000));
	assert_true(m->boot.pcpu_unit[0] == 0x35035000 && m->boot.pcpu_unit[1] == 0x35035000 + 135168);
	assert_true(bytes_free(m, 0x35077000, 0x35079000));
	assert_true(bytes_reserved(m, 0x35079000, 0x35079404));
	assert_true(bytes_reserved(m, 0x34f74f00, 0x35035000));
	assert_true(bytes_free(m, 0x34f74000, 0x34f74f00));
	machine_destroy(m);
	struct machine_config ref = { .arch = "i386", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .initrd_size = 1069043,
				      .cmdline = "console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 log_buf_len=4M " };
	m = boot_cfg(&ref);
	int normal = m->zone_of_kind[ZK_NORMAL];
	assert_true(normal >= 0);
	assert_int_equal(m->zones[normal].managed, 209480);
	assert_true(dmesg_has_line(m, "Memory: 1002724K/1048056K available (9327K kernel code, 1246K rwdata, 3188K rodata, "
				"912K init, 464K bss, 45332K reserved, 0K cma-reserved, 151432K highmem)"));
	machine_destroy(m);
	free(iomem);
}

/* the bytes memblock.reserved holds (the pieces are 64-byte aligned and
 * never overlap what is there, so a piece adds exactly its size) */
static uint64_t reserved_bytes(const struct machine *m)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->memmap.nresv; i++)
		n += m->memmap.resv[i].end - m->memmap.resv[i].start;
	return n;
}

static struct machine *boot_ref_amd64(const char *kernel, const char *iomem, unsigned ncpus, bool kaslr, uint64_t seed)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = kernel, .iomem_text = iomem, .ncpus = ncpus,
				      .nogbpages = true, .initrd_size = 1028254, .kaslr = kaslr, .kaslr_seed = seed,
				      .cmdline = CAPTURE_CMDLINE " transparent_hugepage=never" };
	return boot_cfg(&cfg);
}

/*
 * The small allocations of 6.13 (memblock_early.c), piece by piece, each
 * called once more on a booted machine and weighed by what it adds to
 * memblock.reserved; worked by hand from each function of 6.12.118's
 * source (Debian's linux-source-6.12, unchanged in 6.13) and checked
 * against tests/data/amd64-6.12-memblock-debug.txt.gz, the real
 * 6.12.118+deb12-amd64 booted as the reference machine:
 *  - setup_per_cpu_areas(): 2 cpumasks of BITS_TO_LONGS(2) longs, 16 bytes
 *    (6.1: 5 of them, 40 bytes);
 *  - pcpu_setup_first_chunk() with the real line's "s233472 r8192 d28672
 *    u1048576": group_offsets 8, group_sizes 8, unit_map 2 * 4, unit_off
 *    2 * 8, the lists (fls(1048576) - 5 + 2 + 4 = 22 slots of 16: 352);
 *    the reserved chunk (233472 page aligned, 8192 bytes: 2 pages) a
 *    200-byte chunk (sizeof 192 + 1 long), alloc_map 2048 bits = 256,
 *    bound_map 2049 bits = 264, md_blocks 2 * 32 = 64; the dynamic one
 *    (28672 bytes, 7 pages) 200, 896, 904, 224: 3400 bytes, the log's 13
 *    sizes (6.1: 144-byte chunks, 3288);
 *  - trap_init(): without KASLR the areas follow each other from one page
 *    after CPU_ENTRY_AREA_BASE: 2 CPUs, pages 1..84 of one PTE table, 3
 *    tables (the log's 3 spp_getpage() pages); 64 CPUs, mapped pages 1 to
 *    1 + 59 * 63 + 24 = 3742, PTE tables 0..7, 10 tables.  With KASLR each
 *    CPU's area lies apart: a PMD table and one or two PTE tables of its
 *    own unless two draws share a GiB, so 2 CPUs take 4 to 7 (the real
 *    KASLR boot took 5), and 5 on most seeds.
 */
static void memblock_6_13__small_allocations_piece_by_piece(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine *m = boot_ref_amd64("6.13", iomem, 2, false, 0);
	uint64_t r = reserved_bytes(m);
	memblock_cpumasks(m);
	assert_int_equal(reserved_bytes(m) - r, 16);
	r = reserved_bytes(m);
	memblock_pcpu_setup_first_chunk(m, 233472, 8192, 28672, 1048576);
	assert_int_equal(reserved_bytes(m) - r, 3400);
	r = reserved_bytes(m);
	memblock_cpu_entry_area_tables(m);
	assert_int_equal(reserved_bytes(m) - r, 3 * 4096);
	machine_destroy(m);

	m = boot_ref_amd64("6.1", iomem, 2, false, 0);
	r = reserved_bytes(m);
	memblock_cpumasks(m);
	assert_int_equal(reserved_bytes(m) - r, 40);
	r = reserved_bytes(m);
	memblock_pcpu_setup_first_chunk(m, 233472, 8192, 28672, 1048576);
	assert_int_equal(reserved_bytes(m) - r, 3288);
	machine_destroy(m);

	m = boot_ref_amd64("6.13", iomem, 64, false, 0);
	r = reserved_bytes(m);
	memblock_cpu_entry_area_tables(m);
	assert_int_equal(reserved_bytes(m) - r, 10 * 4096);
	machine_destroy(m);

	unsigned fives = 0;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		m = boot_ref_amd64("6.13", iomem, 2, true, seed);
		r = reserved_bytes(m);
		memblock_cpu_entry_area_tables(m);
		uint64_t pages = (reserved_bytes(m) - r) / 4096;
		assert_true(pages >= 4 && pages <= 7);
		fives += pages == 5;
		machine_destroy(m);
	}
	assert_true(fives >= 4);
	/* 6.1 has no random slots: --kaslr leaves its 3 */
	m = boot_ref_amd64("6.1", iomem, 2, true, 1);
	r = reserved_bytes(m);
	memblock_cpu_entry_area_tables(m);
	assert_int_equal(reserved_bytes(m) - r, 3 * 4096);
	machine_destroy(m);
	free(iomem);
}

/*
 * e820__register_nosave_regions(max_pfn): 6.13's loop (before the 2025
 * fix) and 6.1.176's (after it) make the same 3 regions on the reference
 * machine, as both real logs show, but part ways on a sub-page reserved
 * entry between two RAM entries, [0xbffd5400-0xbffd57ff] here.  6.13: after
 * RAM [1M, 0xbffd5400) pfn = 0xbffd5; the reserved entry registers
 * [0xbffd5, PFN_UP(0xbffd5400) = 0xbffd6), then pfn = PFN_DOWN(0xbffd5800)
 * = 0xbffd5, so the next RAM entry registers [0xbffd5, 0xbffd6) again, a
 * region of its own (the previous one ends at 0xbffd6); then
 * [0xbffe0, 0xc0000) and the holes up to 4 GiB: [0, 1), [0x9f, 0x100) and
 * those 3, 5 regions.  6.1: the gaps between RAM entries,
 * [PFN_DOWN(0xbffd5400), PFN_UP(0xbffd5800)) once and [0xbffe0, 0x100000):
 * 4.  The resources and firmware entries are the table's either way.
 */
static void nosave_regions__6_13_loop_before_the_sub_page_fix(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct e820_counts c;
	struct machine *m = boot_ref_amd64("6.13", iomem, 2, false, 0);
	boot_e820_counts(m, &c);
	assert_int_equal(c.nosave, 3);
	assert_int_equal(c.e820, 9);
	assert_int_equal(c.firmware, 8);
	machine_destroy(m);
	const char *from = "00100000-bffdffff : System RAM\n";
	char *at = strstr(iomem, from);
	assert_non_null(at);
	size_t head = (size_t)(at - iomem);
	const char *to = "00100000-bffd53ff : System RAM\nbffd5400-bffd57ff : Reserved\n"
			 "bffd5800-bffdffff : System RAM\n";
	char *sub = malloc(strlen(iomem) + strlen(to) + 1);
	assert_non_null(sub);
	memcpy(sub, iomem, head);
	strcpy(sub + head, to);
	strcat(sub, at + strlen(from));
	/* (no initrd: the boot loader puts it at the top of the RAM below
	 * 4 GiB, which is 40K here) */
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .iomem_text = sub, .ncpus = 2 };
	m = boot_cfg(&cfg);
	boot_e820_counts(m, &c);
	assert_int_equal(c.nosave, 5);
	assert_int_equal(c.e820, 11);
	machine_destroy(m);
	cfg.kernel = "6.1";
	m = boot_cfg(&cfg);
	boot_e820_counts(m, &c);
	assert_int_equal(c.nosave, 4);
	machine_destroy(m);
	free(sub);
	free(iomem);
}

/*
 * arch/x86/mm/init_64.c preallocate_vmalloc_pages(): one table under each
 * top-level entry of [VMALLOC_START, VMALLOC_START + (VMALLOC_SIZE_TB << 40)):
 * 4-level, 32 TiB in 512 GiB steps = 64 pud tables; 6.1's pud_alloc_one()
 * runs no ctor, so PageTables does not count them.  i386 has no such step.
 * 6.13 likewise, on la57 too.
 */
static void preallocate_vmalloc_pages__a_table_under_each_top_entry(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.1", .mem_bytes = 1ull << 30 };
	struct machine *m = boot_cfg(&cfg);
	const struct kernel_layout *l = &m->layout;
	unsigned n = 0;
	for (uint64_t a = l->vmalloc_start; a < l->vmalloc_end; a += 1ull << 39)
		n += (pgtable_entry_at(m, a, 0) & _PAGE_PRESENT) != 0;
	assert_int_equal(n, 64);
	/* 6.1 counts none of the 64 pud tables; the one table counted is the
	 * pmd table under the boot areas (CPU 0's and CPU 1's IRQ stacks and
	 * the HPET ioremap share one 2 MiB range), pagetable_pmd_ctor() */
	assert_int_equal(m->pt->nr_counted, 1);
	machine_destroy(m);
	struct machine_config c32 = { .arch = "i386", .kernel = "6.1", .mem_bytes = 1ull << 30 };
	m = boot_cfg(&c32);
	/* i386 preallocates nothing: the top of the vmalloc range has no
	 * table (its start holds the HPET's boot ioremap) */
	assert_int_equal(pgtable_entry_at(m, m->layout.vmalloc_end - 1, 1) & _PAGE_PRESENT, 0);
	machine_destroy(m);
	/* 6.13 takes the same 64; its __pud_alloc_one() runs
	 * pagetable_pud_ctor(), so PageTables counts them, and the pmd table */
	struct machine_config c13 = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 30 };
	m = boot_cfg(&c13);
	n = 0;
	for (uint64_t a = m->layout.vmalloc_start; a < m->layout.vmalloc_end; a += 1ull << 39)
		n += (pgtable_entry_at(m, a, 0) & _PAGE_PRESENT) != 0;
	assert_int_equal(n, 64);
	assert_int_equal(m->pt->nr_counted, 64 + 1);
	machine_destroy(m);
	/* la57: 12800 TiB in 256 TiB steps, 50 p4d tables; x86's
	 * p4d_alloc_one() runs no constructor in 6.13: PageTables counts the
	 * boot areas' pud and pmd tables only */
	struct machine_config c57 = { .arch = "x86_64-la57", .kernel = "6.13", .mem_bytes = 1ull << 30 };
	m = boot_cfg(&c57);
	n = 0;
	for (uint64_t a = m->layout.vmalloc_start; a < m->layout.vmalloc_end; a += 1ull << 48)
		n += (pgtable_entry_at(m, a, 0) & _PAGE_PRESENT) != 0;
	assert_int_equal(n, 50);
	assert_int_equal(m->pt->nr_counted, 2);
	machine_destroy(m);
}

/* What the Memory: line says is what the zones hold: free pages, and
 * physpages - totalram_pages as reserved; the frees after boot then add
 * their pages to managed and free alike. */
static void memory_line__adds_up_with_the_zones(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .ncpus = 2, .initrd_size = 8 << 20 };
	struct machine *m = boot_cfg(&cfg);
	const char *mem = line_starting(m, "Memory: ");
	assert_non_null(mem);
	unsigned long long avail, phys, code, rw, ro, init, bss, resv;
	assert_int_equal(sscanf(mem, "Memory: %lluK/%lluK available (%lluK kernel code, %lluK rwdata, %lluK rodata, "
				"%lluK init, %lluK bss, %lluK reserved", &avail, &phys, &code, &rw, &ro, &init, &bss, &resv), 8);
	uint64_t ram = 0, managed = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		ram += m->zones[i].present;
		managed += m->zones[i].managed;
	}
	assert_int_equal(phys, ram << 2);
	/* after the line: initrd (8M), initmem, the two gaps */
	uint64_t freed = 0;
	const char *const what[] = { "Freeing initrd memory: ", "Freeing unused kernel image (initmem) memory: ",
				     "Freeing unused kernel image (text/rodata gap) memory: ",
				     "Freeing unused kernel image (rodata/data gap) memory: " };
	for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
		const char *l = line_starting(m, what[i]);
		assert_non_null(l);
		freed += strtoull(l + strlen(what[i]), NULL, 10);
	}
	const char *dec = line_starting(m, "Freeing unused decrypted memory: ");
	if (dec)
		freed += strtoull(dec + strlen("Freeing unused decrypted memory: "), NULL, 10);
	assert_int_equal(resv, phys - (managed << 2) + freed);
	assert_int_equal(init, m->arch->kinit >> 10);     /* the profile's */
	assert_true(dmesg_has_line(m, "Freeing initrd memory: 8192K"));
	machine_destroy(m);
}

/* vmalloc= on i386 (arch/x86/mm/pgtable_32.c parse_vmalloc()):
 * __VMALLOC_RESERVE = size + VMALLOC_OFFSET (8 MiB) instead of the default
 * 128 MiB, and MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE
 * (arch/x86/include/asm/pgtable_32_areas.h): vmalloc=256M takes 256 + 8 -
 * 128 = 136 MiB more from lowmem.  --vmalloc wins over it; x86_64 has no
 * such early_param (the word goes to init); a bad size is refused. */
static int zone_named(const struct machine *m, const char *name)
{
	for (int i = 0; i < m->nr_zones; i++)
		if (strcmp(m->zones[i].name, name) == 0)
			return i;
	fail_msg("no zone %s", name);
	return -1;
}

/* arch/x86/kernel/e820.c parse_memopt(): e820__range_remove(mem_size,
 * ULLONG_MAX - mem_size, E820_TYPE_RAM, 1) logs [mem_size, ULLONG_MAX - 1];
 * e820__finish_early_params() prints the table left as "user:" lines.
 * Expected: the real amd64 machine's BIOS-e820 lines (its dmesg.txt) with
 * the usable ranges cut at 2 GiB; the zones by hand from the pfns. */
static void cmdline__mem_cuts_the_e820_map_as_parse_memopt_does(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config c = { .arch = "x86_64", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				    .cmdline = "quiet mem=3G mem=2G" };
	struct machine *m = boot_cfg(&c);
	static const char *const want[] = {
		"e820: remove [mem 0xc0000000-0xfffffffffffffffe] usable",
		"e820: remove [mem 0x80000000-0xfffffffffffffffe] usable",
		"user-defined physical RAM map:",
		"user: [mem 0x0000000000000000-0x000000000009fbff] usable",
		"user: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
		"user: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
		"user: [mem 0x0000000000100000-0x000000007fffffff] usable",
		"user: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved",
		"user: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
		"user: [mem 0x000000fd00000000-0x000000ffffffffff] reserved",
	};
	/* after the banner, Command line: and the BIOS map (test_boot_early.c) */
	size_t at = line_index(m, want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(dmesg_slot(&m->dmesg, at + i)->text, want[i]);
	/* then trim_bios_range() and e820__end_of_ram_pfn(): 2 GiB is pfn
	 * 0x80000, below 4 GiB, so no second last_pfn */
	static const char *const trim[] = {
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved",
		"e820: remove [mem 0x000a0000-0x000fffff] usable",
		"last_pfn = 0x80000 max_arch_pfn = 0x400000000",
	};
	for (size_t i = 0; i < sizeof trim / sizeof trim[0]; i++)
		assert_string_equal(dmesg_slot(&m->dmesg, at + 10 + i)->text, trim[i]);
	assert_int_equal(at + 13, line_index(m, "No NUMA configuration found"));
	/* DMA32 0x1000 .. 0x80000 (pfns), no Normal */
	assert_int_equal(m->zones[zone_named(m, "DMA32")].present, 0x80000 - 0x1000);
	assert_int_equal(m->zones[zone_named(m, "Normal")].present, 0);
	assert_int_equal(m->max_pfn, 0x80000);
	/* /proc/iomem: the System RAM above 2 GiB is gone */
	assert_non_null(memmap_find_resource(&m->memmap, 0x7fffffff));
	assert_string_equal(memmap_find_resource(&m->memmap, 0x7fffffff)->name, "System RAM");
	const struct resource *r = memmap_find_resource(&m->memmap, 0x100000000ull);
	assert_true(!r || strcmp(r->name, "System RAM") != 0);
	machine_destroy(m);
	free(iomem);

	/* i386 1 GiB, mem=512M: all lowmem (pfns 0x1000 .. 0x20000 in Normal) */
	struct machine_config i = { .arch = "i386", .kernel = "6.1", .mem_bytes = 1ull << 30, .cmdline = "mem=512M" };
	m = boot_cfg(&i);
	assert_true(dmesg_has_line(m, "e820: remove [mem 0x20000000-0xfffffffffffffffe] usable"));
	assert_true(dmesg_has_line(m, "512MB LOWMEM available."));
	assert_int_equal(m->zones[zone_named(m, "Normal")].present, 0x20000 - 0x1000);
	assert_int_equal(m->zones[zone_named(m, "HighMem")].present, 0);
	machine_destroy(m);
}

/* lib/cmdline.c memparse() on simple_strtoull(): base from the prefix
 * (0x hex, 0 octal), no sign or blanks, and a number past 64 bits wraps
 * (_parse_integer_limit() only flags the overflow).  99999999999999999999
 * mod 2^64 = 7766279631452241919 (by python3); mem= of it removes above
 * that address, so nothing */
static void memparse__as_simple_strtoull(void **state)
{
	(void)state;
	const char *e;
	assert_int_equal(memblock_memparse("99999999999999999999", &e), 7766279631452241919ull);
	assert_int_equal(*e, '\0');
	assert_int_equal(memblock_memparse("0x10M", &e), 16ull << 20);
	assert_int_equal(memblock_memparse("010k", &e), 8ull << 10);
	assert_int_equal(memblock_memparse("+5M", &e), 0);
	assert_int_equal(memblock_memparse(" 5M", &e), 0);
	assert_int_equal(memblock_memparse("-1G", &e), 0);
	assert_int_equal(memblock_memparse("16G@1G", &e), 16ull << 30);
	assert_int_equal(*e, '@');
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .cmdline = "mem=99999999999999999999" };
	struct machine *m = boot_cfg(&c);
	assert_true(dmesg_has_line(m, "e820: remove [mem 0x6bc75e2d630fffff-0xfffffffffffffffe] usable"));
	machine_destroy(m);
}

/* parse_memopt() sets userdef before memparse(): a mem= of 0 or no
 * number returns -EINVAL ("Malformed early option 'mem'",
 * do_early_param()) and still has the map printed; "nopentium" returns
 * before userdef, warning on x86_64; a limit below the image is refused */
static void cmdline__mem_malformed_nopentium_and_too_small(void **state)
{
	(void)state;
	struct machine_config c0 = { .arch = "x86_64", .kernel = "6.1" };
	struct machine *m0 = boot_cfg(&c0);
	struct machine_config c1 = { .arch = "x86_64", .kernel = "6.1", .cmdline = "mem=abc" };
	struct machine *m = boot_cfg(&c1);
	assert_true(dmesg_has_line(m, "Malformed early option 'mem'"));
	assert_true(dmesg_has_line(m, "user-defined physical RAM map:"));
	/* no remove of mem='s: the first is trim_bios_range()'s */
	assert_string_equal(line_starting(m, "e820: remove"), "e820: remove [mem 0x000a0000-0x000fffff] usable");
	assert_int_equal(m->max_pfn, m0->max_pfn);
	machine_destroy(m);
	struct machine_config c2 = { .arch = "x86_64", .kernel = "6.13", .cmdline = "mem=nopentium" };
	m = boot_cfg(&c2);
	assert_true(dmesg_has_line(m, "mem=nopentium ignored! (only supported on x86_32)"));
	assert_true(dmesg_has_line(m, "Malformed early option 'mem'"));
	assert_false(dmesg_has_line(m, "user-defined physical RAM map:"));
	assert_int_equal(m->max_pfn, m0->max_pfn);
	machine_destroy(m);
	/* "mem" without '=': parse_one() passes val NULL and parse_memopt()
	 * returns -EINVAL at "if (!p)", before userdef: no map printed */
	struct machine_config c5 = { .arch = "x86_64", .kernel = "6.13", .cmdline = "quiet mem" };
	m = boot_cfg(&c5);
	assert_true(dmesg_has_line(m, "Malformed early option 'mem'"));
	assert_false(dmesg_has_line(m, "user-defined physical RAM map:"));
	assert_int_equal(m->max_pfn, m0->max_pfn);
	machine_destroy(m);
	machine_destroy(m0);
	char err[256];
	struct machine_config c3 = { .arch = "i386", .kernel = "6.1", .cmdline = "mem=nopentium" };
	assert_int_equal(machine_create(&c3, &m, err, sizeof err), -EINVAL);
	struct machine_config c4 = { .arch = "x86_64", .kernel = "6.1", .cmdline = "mem=8M" };
	assert_int_equal(machine_create(&c4, &m, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "mem="));
}

static void cmdline__vmalloc_moves_the_end_of_lowmem_on_i386(void **state)
{
	(void)state;
	struct machine_config c0 = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30 };
	struct machine *m0 = boot_cfg(&c0);
	struct machine_config c1 = c0;
	c1.cmdline = "quiet vmalloc=256M";
	struct machine *m1 = boot_cfg(&c1);
	assert_int_equal(m0->max_low_pfn - m1->max_low_pfn, (136ull << 20) >> 12);
	assert_int_equal(m1->layout.vmalloc_end - m1->layout.vmalloc_start, 256ull << 20);
	struct machine_config c2 = c0;
	c2.vmalloc_size = 256ull << 20;
	struct machine *m2 = boot_cfg(&c2);
	assert_int_equal(m2->max_low_pfn, m1->max_low_pfn);
	struct machine_config c3 = c1;
	c3.vmalloc_size = 128ull << 20;
	struct machine *m3 = boot_cfg(&c3);
	assert_int_equal(m3->max_low_pfn - m1->max_low_pfn, (128ull << 20) >> 12);
	machine_destroy(m0);
	machine_destroy(m1);
	machine_destroy(m2);
	machine_destroy(m3);

	struct machine_config x0 = { .arch = "x86_64" }, x1 = { .arch = "x86_64", .cmdline = "vmalloc=256M" };
	struct machine *a = boot_cfg(&x0), *b = boot_cfg(&x1);
	assert_int_equal(a->layout.vmalloc_end - a->layout.vmalloc_start,
			 b->layout.vmalloc_end - b->layout.vmalloc_start);
	machine_destroy(a);
	machine_destroy(b);

	struct machine *m = NULL;
	char err[256];
	struct machine_config bad = { .arch = "i386", .kernel = "6.13", .cmdline = "vmalloc=lots" };
	assert_int_not_equal(machine_create(&bad, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "vmalloc=lots"));
	struct machine_config big = { .arch = "i386", .kernel = "6.13", .cmdline = "vmalloc=2G" };
	assert_int_not_equal(machine_create(&big, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "64 MiB of lowmem"));
}

static void cmdline__bad_log_buf_len_initrd_and_2_6_32_crashkernel_are_refused(void **state)
{
	(void)state;
	struct machine *m = NULL;
	char err[256];
	struct machine_config c1 = { .arch = "x86_64", .cmdline = "log_buf_len=lots" };
	assert_int_not_equal(machine_create(&c1, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "log_buf_len=lots"));
	/* 2.6.32 takes an initrd now, but not crashkernel= */
	struct machine_config c2 = { .arch = "i386", .cmdline = "crashkernel=64M" };
	assert_int_not_equal(machine_create(&c2, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "crashkernel="));
	struct machine_config c3 = { .arch = "x86_64", .mem_bytes = 64 << 20, .initrd_size = 1ull << 30 };
	assert_int_not_equal(machine_create(&c3, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "--initrd"));
	/* relocate_initrd(): the new place is found while the old one is
	 * still reserved (early_reserve_initrd()), so a 700M initrd at the top
	 * of a 1G i386 has no room in lowmem ("Cannot find place for new
	 * RAMDISK"), rather than moving onto itself */
	struct machine_config c4 = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30,
				     .initrd_size = 700ull << 20 };
	assert_int_not_equal(machine_create(&c4, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "--initrd 716800K"));
	assert_non_null(strstr(err, "lowmem"));
	/* 200M moves below the old place */
	struct machine_config c5 = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30,
				     .initrd_size = 200ull << 20 };
	m = boot_cfg(&c5);
	assert_true(dmesg_has_line(m, "RAMDISK: [mem 0x33800000-0x3fffffff]"));
	assert_true(dmesg_has_line(m, "Freeing initrd memory: 204800K"));
	machine_destroy(m);
}

/* kernel/crash_reserve.c parse_crashkernel() and
 * reserve_crashkernel_generic() with x86's CRASH_ALIGN 16M,
 * CRASH_ADDR_LOW_MAX 4G (512M on 32-bit) */
static void crashkernel__parsed_and_reserved_as_the_kernel_does(void **state)
{
	(void)state;
	uint64_t size, base;
	bool high;
	const char *why;
	assert_int_equal(crashkernel_parse("256M", 4ull << 30, &size, &base, &high, &why), 0);
	assert_int_equal(size, 256 << 20);
	assert_int_equal(base, 0);
	assert_int_equal(crashkernel_parse("128M@0x1000000", 4ull << 30, &size, &base, &high, &why), 0);
	assert_int_equal(base, 16 << 20);
	assert_int_equal(crashkernel_parse("1G,high", 4ull << 30, &size, &base, &high, &why), 0);
	assert_true(high);
	/* ranges: the RAM rounded up to 128M picks the entry */
	assert_int_equal(crashkernel_parse("512M-2G:64M,2G-:256M", 4ull << 30, &size, &base, &high, &why), 0);
	assert_int_equal(size, 256 << 20);
	assert_int_equal(crashkernel_parse("512M-2G:64M,2G-:256M", 1ull << 30, &size, &base, &high, &why), 0);
	assert_int_equal(size, 64 << 20);
	assert_int_equal(crashkernel_parse("2G-4G:128M", 1ull << 30, &size, &base, &high, &why), 0);
	assert_int_equal(size, 0);
	assert_int_not_equal(crashkernel_parse("lots", 1ull << 30, &size, &base, &high, &why), 0);
	assert_int_not_equal(crashkernel_parse("256Mx", 1ull << 30, &size, &base, &high, &why), 0);
	assert_int_not_equal(crashkernel_parse("2G-1G:64M", 4ull << 30, &size, &base, &high, &why), 0);

	/* the default x86_64 machine: top of the RAM below 4 GiB (3 GiB),
	 * 16 MiB aligned; "Crash kernel" in iomem */
	struct machine_config cfg = { .arch = "x86_64", .cmdline = "crashkernel=256M" };
	struct machine *m = boot_cfg(&cfg);
	assert_true(dmesg_has_line(m, "crashkernel reserved: 0x00000000b0000000 - 0x00000000c0000000 (256 MB)"));
	const struct resource *r = memmap_find_resource(&m->memmap, 0xb0000000ull);
	assert_non_null(r);
	assert_string_equal(r->name, "Crash kernel");
	machine_destroy(m);
	/* ,high: above 4 GiB, and 256 MiB low (max(swiotlb 64M + 8M, 256M)) */
	struct machine_config c2 = { .arch = "x86_64", .mem_bytes = 8ull << 30, .cmdline = "crashkernel=1G,high" };
	m = boot_cfg(&c2);
	assert_true(dmesg_has_line(m, "crashkernel low memory reserved: 0xb0000000 - 0xc0000000 (256 MB)"));
	assert_true(dmesg_has_line(m, "crashkernel reserved: 0x0000000200000000 - 0x0000000240000000 (1024 MB)"));
	machine_destroy(m);
	/* ,high with no RAM above 4 GiB falls back to the low memory
	 * (reserve_crashkernel_generic(): "if the first attempt was for high
	 * memory, fall back to low memory"), with no low part */
	struct machine_config c4 = { .arch = "x86_64", .mem_bytes = 256 << 20, .cmdline = "crashkernel=32M,high" };
	m = boot_cfg(&c4);
	assert_true(dmesg_has_line(m, "crashkernel reserved: 0x000000000e000000 - 0x0000000010000000 (32 MB)"));
	assert_null(line_starting(m, "cannot allocate crashkernel"));
	assert_null(line_starting(m, "crashkernel low memory reserved"));
	machine_destroy(m);
	/* crashkernel=X,low goes with ,high (the usual pair), and a plain
	 * crashkernel= wins over a ,high one wherever it stands
	 * (get_last_crashkernel() skips the suffixed ones) */
	struct machine_config c5 = { .arch = "x86_64", .mem_bytes = 8ull << 30,
				     .cmdline = "crashkernel=512M,high crashkernel=128M,low" };
	m = boot_cfg(&c5);
	assert_true(dmesg_has_line(m, "crashkernel low memory reserved: 0xb8000000 - 0xc0000000 (128 MB)"));
	assert_true(dmesg_has_line(m, "crashkernel reserved: 0x0000000220000000 - 0x0000000240000000 (512 MB)"));
	machine_destroy(m);
	struct machine_config c6 = { .arch = "x86_64", .cmdline = "crashkernel=256M crashkernel=1G,high" };
	m = boot_cfg(&c6);
	assert_true(dmesg_has_line(m, "crashkernel reserved: 0x00000000b0000000 - 0x00000000c0000000 (256 MB)"));
	machine_destroy(m);
	/* bad syntax is refused */
	char err[256];
	struct machine_config c3 = { .arch = "x86_64", .cmdline = "crashkernel=2G-1G:64M" };
	assert_int_not_equal(machine_create(&c3, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "end <= start"));
}

/* --image: the image's sections as given, in the Memory: line and the
 * initmem free (the Debian 6.1 amd64 image's sizes, from its dmesg) */
static void image__sizes_reach_the_memory_line_and_the_frees(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64",
				      .image = "code=14343K,rwdata=2338K,rodata=9116K,init=2820K,bss=17356K" };
	struct machine *m = boot_cfg(&cfg);
	const char *mem = line_starting(m, "Memory: ");
	assert_non_null(mem);
	assert_non_null(strstr(mem, "(14343K kernel code, 2338K rwdata, 9116K rodata, 2820K init, 17356K bss, "));
	assert_true(dmesg_has_line(m, "Freeing unused kernel image (initmem) memory: 2820K"));
	machine_destroy(m);
	/* with --iomem only init= (and smp_locks=) */
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config c2 = { .arch = "x86_64", .iomem_text = iomem, .image = "init=2820K" };
	m = boot_cfg(&c2);
	assert_true(dmesg_has_line(m, "Freeing unused kernel image (initmem) memory: 2820K"));
	machine_destroy(m);
	char err[256];
	struct machine_config c3 = { .arch = "x86_64", .iomem_text = iomem, .image = "code=1M" };
	assert_int_not_equal(machine_create(&c3, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "--iomem gives"));
	/* init= and smp_locks= live between the --iomem image's data and bss
	 * (0x2c49000-0x330d000 here, 6928K): more is refused, not freed out of
	 * .bss ("Freeing SMP alternatives memory" of bss pages) */
	struct machine_config c7 = { .arch = "x86_64", .iomem_text = iomem, .image = "smp_locks=8M" };
	assert_int_not_equal(machine_create(&c7, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "6928K"));
	struct machine_config c8 = { .arch = "x86_64", .iomem_text = iomem, .image = "init=6M,smp_locks=1M" };
	assert_int_not_equal(machine_create(&c8, &m, err, sizeof err), 0);
	struct machine_config c9 = { .arch = "x86_64", .iomem_text = iomem, .image = "init=6M,smp_locks=400K" };
	m = boot_cfg(&c9);
	assert_true(dmesg_has_line(m, "Freeing SMP alternatives memory: 400K"));
	assert_true(dmesg_has_line(m, "Freeing unused kernel image (initmem) memory: 6144K"));
	assert_null(line_starting(m, "check"));
	machine_destroy(m);
	free(iomem);
	struct machine_config c4 = { .arch = "x86_64", .image = "code=300M,bss=300M" };
	assert_int_not_equal(machine_create(&c4, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "KERNEL_IMAGE_SIZE"));
	struct machine_config c5 = { .arch = "i386", .image = "init=1M" };
	assert_int_not_equal(machine_create(&c5, &m, err, sizeof err), 0);
	struct machine_config c6 = { .arch = "x86_64", .image = "text=1M" };
	assert_int_not_equal(machine_create(&c6, &m, err, sizeof err), 0);
}

/* mm/slub.c setup_slub_debug() / parse_slub_debug_flags(): "slub_debug"
 * alone is DEBUG_DEFAULT_FLAGS (F Z P U), letters pick, '-' switches off;
 * only SLUB builds know the word (an __setup() in slub.c); --slub-debug
 * wins.  arch/x86/mm/numa.c numa_setup(): numa=fake=N is --nodes N; i386
 * has no CONFIG_NUMA and passes the word on */
static unsigned kmalloc64_debug(struct machine_config *c)
{
	struct machine *m = boot_cfg(c);
	int k = slab_cache_find(m, "kmalloc-64");
	assert_true(k >= 0);
	unsigned f = m->slab->caches[k].flags & (SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F |
						 SLAB_STORE_USER_F);
	assert_int_equal(m->slab->slub_debug, f);
	machine_destroy(m);
	return f;
}

static void cmdline__slub_debug_and_numa_fake_as_the_options(void **state)
{
	(void)state;
	const unsigned all = SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F;
	struct machine_config c = { .arch = "x86_64", .cmdline = "quiet slub_debug=FZ" };
	assert_int_equal(kmalloc64_debug(&c), SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F);
	c.cmdline = "slub_debug";
	assert_int_equal(kmalloc64_debug(&c), all);
	c.cmdline = "slub_debug=";
	assert_int_equal(kmalloc64_debug(&c), all);
	c.cmdline = "slub_debug=PU-";
	assert_int_equal(kmalloc64_debug(&c), 0);
	c.cmdline = "slub_debug=P";
	c.slub_debug = "F";
	assert_int_equal(kmalloc64_debug(&c), SLAB_DEBUG_FREE_F);
	/* 6.1 built with SLAB: the word goes to init */
	struct machine_config s = { .arch = "x86_64", .kernel = "6.1", .slab = "slab", .cmdline = "slub_debug=P" };
	struct machine *m = boot_cfg(&s);
	int k = slab_cache_find(m, "kmalloc-64");
	assert_true(k >= 0);
	assert_int_equal(m->slab->slub_debug, 0);
	assert_int_equal(m->slab->caches[k].flags & (SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F), 0);
	machine_destroy(m);

	char err[256];
	m = NULL;
	struct machine_config b1 = { .arch = "x86_64", .cmdline = "slub_debug=FZ,kmalloc-64" };
	assert_int_not_equal(machine_create(&b1, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "slub_debug=FZ,kmalloc-64"));
	struct machine_config b2 = { .arch = "x86_64", .cmdline = "slub_debug=FX" };
	assert_int_not_equal(machine_create(&b2, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "'X'"));
	assert_null(m);

	struct machine_config n2 = { .arch = "x86_64", .cmdline = "numa=fake=2" };
	m = boot_cfg(&n2);
	assert_int_equal(m->nr_nodes, 2);
	machine_destroy(m);
	struct machine_config n3 = { .arch = "x86_64", .nr_nodes = 3, .cmdline = "numa=fake=2" };
	m = boot_cfg(&n3);
	assert_int_equal(m->nr_nodes, 3);
	machine_destroy(m);
	struct machine_config ni = { .arch = "i386", .kernel = "6.13", .cmdline = "numa=fake=2" };
	m = boot_cfg(&ni);
	assert_int_equal(m->nr_nodes, 1);
	machine_destroy(m);
	m = NULL;
	struct machine_config nb1 = { .arch = "x86_64", .cmdline = "numa=fake=512M" };
	assert_int_not_equal(machine_create(&nb1, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "numa=fake=512M"));
	struct machine_config nb2 = { .arch = "x86_64", .cmdline = "numa=fake=9" };
	assert_int_not_equal(machine_create(&nb2, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "numa=fake=9"));
	struct machine_config nb3 = { .arch = "x86_64", .kernel = "6.1", .cmdline = "numa=fake=2" };
	assert_int_not_equal(machine_create(&nb3, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "6.13 only"));
	assert_null(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(large_system_hash__sizes_match_the_real_i386_dmesg),
		cmocka_unit_test(large_system_hash__sizes_match_the_real_amd64_dmesg),
		cmocka_unit_test(inet_hashes__match_the_real_6_1_dmesg),
		cmocka_unit_test(inet_hashes__udp_slot_per_version),
		cmocka_unit_test(inet_hashes__halve_when_the_table_cannot_be_had),
		cmocka_unit_test(large_system_hash__grows_half_as_fast_above_64_gib),
		cmocka_unit_test(large_system_hash__2_6_32_formula),
		cmocka_unit_test(pcpu_embed__sizes_match_the_real_dmesg),
		cmocka_unit_test(log_buf__rounds_to_a_power_of_two_above_the_static_buffer),
		cmocka_unit_test(log_buf__a_failed_allocation_gives_its_parts_back),
		cmocka_unit_test(log_buf__over_2g_is_cut_to_2g_with_an_error),
		cmocka_unit_test(cpus__more_than_nr_cpus_are_refused),
		cmocka_unit_test(i386_6_x_boot__prints_the_real_kernels_lines),
		cmocka_unit_test(i386_6_x_default_image__is_debian_686s),
		cmocka_unit_test(amd64_6_x_boot__prints_the_real_kernels_lines),
		cmocka_unit_test(memory_line__adds_up_with_the_zones),
		cmocka_unit_test(memparse__as_simple_strtoull),
		cmocka_unit_test(cmdline__bad_log_buf_len_initrd_and_2_6_32_crashkernel_are_refused),
		cmocka_unit_test(cmdline__vmalloc_moves_the_end_of_lowmem_on_i386),
		cmocka_unit_test(amd64_6_1_boot__page_tables_brk_and_node_data_where_the_real_kernel_has_them),
		cmocka_unit_test(amd64_6_1_boot__small_allocations_where_the_real_log_has_them),
		cmocka_unit_test(memblock_6_13__small_allocations_piece_by_piece),
		cmocka_unit_test(nosave_regions__6_13_loop_before_the_sub_page_fix),
		cmocka_unit_test(i386_6_1_boot__small_allocations_where_the_real_log_has_them),
		cmocka_unit_test(preallocate_vmalloc_pages__a_table_under_each_top_entry),
		cmocka_unit_test(cmdline__mem_cuts_the_e820_map_as_parse_memopt_does),
		cmocka_unit_test(cmdline__mem_malformed_nopentium_and_too_small),
		cmocka_unit_test(crashkernel__parsed_and_reserved_as_the_kernel_does),
		cmocka_unit_test(image__sizes_reach_the_memory_line_and_the_frees),
		cmocka_unit_test(cmdline__slub_debug_and_numa_fake_as_the_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
