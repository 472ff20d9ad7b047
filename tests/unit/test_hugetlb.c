/*
 * test_hugetlb.c - hugepagesz=, hugepages=, default_hugepagesz= as
 * mm/hugetlb.c (6.1) parses them, the pools hugetlb_init() fills from the
 * buddy allocator and report_hugepages()'s lines.  Expected values by
 * hand from the kernel's rules; the real Debian 6.1 logs for the lines of
 * a boot without them ("HugeTLB: registered 2.00 MiB page size,
 * pre-allocated 0 pages", "HugeTLB: 28 KiB vmemmap can be freed for a
 * 2.00 MiB page"; i386 "4.00 MiB", "0 KiB").
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/hugetlb.h"
#include "kmemsh/machine.h"

static struct machine *boot(const char *arch, const char *kernel, uint64_t mem, const char *cmdline, bool nogb)
{
	struct machine_config c = { .arch = arch, .kernel = kernel, .mem_bytes = mem, .cmdline = cmdline,
				    .nogbpages = nogb };
	struct machine *m;
	char err[256];
	if (machine_create(&c, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	return m;
}

static size_t line_at(const struct machine *m, const char *want)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strcmp(dmesg_slot(&m->dmesg, i)->text, want) == 0)
			return i;
	fail_msg("no dmesg line '%s'", want);
	return 0;
}

static bool has_line(const struct machine *m, const char *want)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strcmp(dmesg_slot(&m->dmesg, i)->text, want) == 0)
			return true;
	return false;
}

static uint64_t free_pages(const struct machine *m)
{
	uint64_t f = 0;
	for (int z = 0; z < m->nr_zones; z++)
		f += m->zones[z].free_pages;
	return f;
}

/* lib/string_helpers.c string_get_size(.., STRING_UNITS_2): three
 * significant digits */
static void size_string__three_significant_digits(void **state)
{
	(void)state;
	char b[32];
	hugetlb_size_string(2ull << 20, b, sizeof b);
	assert_string_equal(b, "2.00 MiB");
	hugetlb_size_string(4ull << 20, b, sizeof b);
	assert_string_equal(b, "4.00 MiB");
	hugetlb_size_string(1ull << 30, b, sizeof b);
	assert_string_equal(b, "1.00 GiB");
	hugetlb_size_string(16ull << 30, b, sizeof b);
	assert_string_equal(b, "16.0 GiB");
	hugetlb_size_string(512ull << 20, b, sizeof b);
	assert_string_equal(b, "512 MiB");
	hugetlb_size_string(1536ull << 10, b, sizeof b);
	assert_string_equal(b, "1.50 MiB");
}

/* Without the command line: the real logs' lines; with 1 GiB pages,
 * gigantic_pages_init() (an arch_initcall) registers 1 GiB before
 * hugetlb_init() adds 2 MiB, so it is reported first: 262144 struct
 * pages of 64 bytes less one page = 16380 KiB */
static void boot__reports_the_sizes_in_the_order_registered(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", 1ull << 30, NULL, true);
	size_t a = line_at(m, "HugeTLB: registered 2.00 MiB page size, pre-allocated 0 pages");
	assert_int_equal(line_at(m, "HugeTLB: 28 KiB vmemmap can be freed for a 2.00 MiB page"), a + 1);
	assert_false(has_line(m, "HugeTLB: registered 1.00 GiB page size, pre-allocated 0 pages"));
	machine_destroy(m);
	m = boot("x86_64", "6.13", 1ull << 30, NULL, false);
	size_t g = line_at(m, "HugeTLB: registered 1.00 GiB page size, pre-allocated 0 pages");
	assert_int_equal(line_at(m, "HugeTLB: 16380 KiB vmemmap can be freed for a 1.00 GiB page"), g + 1);
	assert_int_equal(line_at(m, "HugeTLB: registered 2.00 MiB page size, pre-allocated 0 pages"), g + 2);
	assert_int_equal(hugetlb_default_hstate(m)->order, 9);
	machine_destroy(m);
	/* i386 without PAE: PMD_SIZE 4 MiB; no HVO on 32-bit */
	m = boot("i386", "6.1", 1ull << 30, NULL, false);
	line_at(m, "HugeTLB: registered 4.00 MiB page size, pre-allocated 0 pages");
	line_at(m, "HugeTLB: 0 KiB vmemmap can be freed for a 4.00 MiB page");
	machine_destroy(m);
	/* hugepagesz=2M first: 2 MiB is hstate 0 and reported first */
	m = boot("x86_64", "6.13", 1ull << 30, "hugepagesz=2M hugepages=3", false);
	size_t t = line_at(m, "HugeTLB: registered 2.00 MiB page size, pre-allocated 3 pages");
	assert_int_equal(line_at(m, "HugeTLB: registered 1.00 GiB page size, pre-allocated 0 pages"), t + 2);
	machine_destroy(m);
}

/* hugepages=N before any hugepagesz= is the default size's: N order-9
 * blocks off the free lists, HTLB_BUDDY_PGALLOC counted */
static void hugepages__fill_the_default_pool_from_the_buddy_allocator(void **state)
{
	(void)state;
	struct machine *m0 = boot("x86_64", "6.13", 1ull << 30, NULL, false);
	struct machine *m = boot("x86_64", "6.13", 1ull << 30, "hugepages=100", false);
	const struct hstate_m *h = hugetlb_default_hstate(m);
	assert_int_equal(h->nr_huge_pages, 100);
	assert_int_equal(h->free_huge_pages, 100);
	assert_int_equal(hugetlb_total_kb(m), 100 * 2048);
	assert_int_equal(m->hugetlb.buddy_alloc_success, 100);
	assert_int_equal(free_pages(m0) - free_pages(m), 100 * 512);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	machine_destroy(m0);
	/* i386: 4 MiB pages, order 10 */
	m0 = boot("i386", "6.1", 1ull << 30, NULL, false);
	m = boot("i386", "6.1", 1ull << 30, "hugepages=7", false);
	assert_int_equal(hugetlb_default_hstate(m)->order, 10);
	assert_int_equal(free_pages(m0) - free_pages(m), 7 * 1024);
	machine_destroy(m);
	machine_destroy(m0);
}

/* A pool larger than memory: hugetlb_hstate_alloc_pages() stops at the
 * first failure and says how many it got */
static void hugepages__more_than_memory_stop_at_the_first_failure(void **state)
{
	(void)state;
	/* transparent_hugepage=never: with THP on, hugepage_init() raises the
	 * watermarks over what the pool left, and dquot_init()'s GFP_KERNEL
	 * page then stops the boot (see the test of the order below) */
	struct machine *m = boot("x86_64", "6.13", 256ull << 20, "hugepages=1000 transparent_hugepage=never", false);
	const struct hstate_m *h = hugetlb_default_hstate(m);
	assert_true(h->nr_huge_pages < 128);         /* 256 MiB holds fewer than 128 */
	assert_true(h->nr_huge_pages > 0);
	assert_int_equal(m->hugetlb.buddy_alloc_fail, 1);
	char want[128];
	snprintf(want, sizeof want, "HugeTLB: allocating 1000 of page size 2.00 MiB failed.  Only allocated %llu hugepages.",
		 (unsigned long long)h->nr_huge_pages);
	line_at(m, want);
	assert_int_equal(h->max_huge_pages, h->nr_huge_pages);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* Gigantic pages: memblock gives them at parse time, top-down and
 * aligned to 1 GiB (before the dentry hash); the Memory: line counts them
 * reserved; gather_bootmem_prealloc() makes them managed again
 * (adjust_managed_page_count()), so MemTotal is the machine's without
 * them and MemFree 1 GiB less per page.  4 GiB x86_64: RAM 0-3G and
 * 4G-5G (the PCI hole); the top GiB already holds the memory map and the
 * other top-down reservations, so the two pages are 2G-3G and 1G-2G. */
static void hugepages__gigantic_from_memblock_managed_again(void **state)
{
	(void)state;
	struct machine *m0 = boot("x86_64", "6.13", 4ull << 30, NULL, false);
	struct machine *m = boot("x86_64", "6.13", 4ull << 30, "hugepagesz=1G hugepages=2", false);
	assert_int_equal(m->hugetlb.nr_boot, 2);
	assert_int_equal(m->hugetlb.boot_pfn[0], 0x80000);
	assert_int_equal(m->hugetlb.boot_pfn[1], 0x40000);
	assert_int_equal(m->totalram_pages, m0->totalram_pages);
	assert_int_equal(free_pages(m0) - free_pages(m), 2 * 262144);
	assert_int_equal(hugetlb_total_kb(m), 2 * 1048576);
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 0);     /* the default stays 2 MiB */
	line_at(m, "HugeTLB: registered 1.00 GiB page size, pre-allocated 2 pages");
	assert_true(line_at(m, "HugeTLB: registered 1.00 GiB page size, pre-allocated 2 pages") >
		    line_at(m, "futex hash table entries: 256 (order: 2, 16384 bytes, linear)"));
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	/* more than RAM holds: two fit, the kernel's message for the rest */
	m = boot("x86_64", "6.13", 4ull << 30, "default_hugepagesz=1G hugepages=9", false);
	line_at(m, "HugeTLB: allocating 9 of page size 1.00 GiB failed.  Only allocated 2 hugepages.");
	assert_int_equal(hugetlb_default_hstate(m)->order, 18);
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 2);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	machine_destroy(m0);
}

/* A gigantic count far above RAM is no error: alloc_bootmem_huge_page()
 * fails once memblock has no free 1 GiB left and
 * hugetlb_hstate_alloc_pages() says so; on the 4 GiB machine above two
 * fit (2G-3G, 1G-2G) */
static void hugepages__gigantic_far_above_memory_is_the_kernels_warning(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4ull << 30, "hugepagesz=1G hugepages=300", false);
	line_at(m, "HugeTLB: allocating 300 of page size 1.00 GiB failed.  Only allocated 2 hugepages.");
	line_at(m, "HugeTLB: registered 1.00 GiB page size, pre-allocated 2 pages");
	assert_int_equal(hugetlb_total_kb(m), 2 * 1048576);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	m = boot("x86_64", "6.1", 4ull << 30, "hugepagesz=1G hugepages=100000", false);
	line_at(m, "HugeTLB: allocating 100000 of page size 1.00 GiB failed.  Only allocated 2 hugepages.");
	machine_destroy(m);
}

/* With nodes, __alloc_bootmem_huge_page() takes page i from the next
 * node in turn (for_each_node_mask_to_alloc, h->next_nid_to_alloc from
 * node 0): memblock_alloc_try_nid_raw(.., node), top-down in that node
 * first.  8 GiB, numa=fake=2: node 0 [0, 5G), node 1 [5G, 9G); three
 * pages are node 0, node 1, node 0 (all three came from node 1's top
 * when the model took them top-down over all RAM). */
static void hugepages__gigantic_from_each_node_in_turn(void **state)
{
	(void)state;
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 8ull << 30,
				    .cmdline = "hugepagesz=1G hugepages=3", .nr_nodes = 2 };
	struct machine *m;
	char err[256];
	if (machine_create(&c, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	const struct hstate_m *h = &m->hugetlb.h[0];
	assert_int_equal(h->order, 18);
	assert_int_equal(h->nr_huge_pages, 3);
	assert_int_equal(h->nr_node[0], 2);
	assert_int_equal(h->nr_node[1], 1);
	assert_true(m->hugetlb.boot_pfn[0] < (5ull << 30) >> 12);
	assert_true(m->hugetlb.boot_pfn[1] >= (5ull << 30) >> 12);
	assert_true(m->hugetlb.boot_pfn[2] < (5ull << 30) >> 12);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* The counts and sizes are unsigned longs: hugepages_setup()'s
 * sscanf("%lu") wraps past the long (simple_strntoull(), then stored in
 * an unsigned long) and hugepagesz_setup() casts memparse() to unsigned
 * long.  x86_64: 2^64 + 1 is 1 page; i386: 2^32 + 2 is 2 pages and
 * 4100M is 4M (4299161600 mod 2^32 = 4194304) */
static void parse__counts_and_sizes_wrap_as_unsigned_long(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1ull << 30, "hugepages=18446744073709551617", false);
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 1);
	assert_int_equal(m->hugetlb.buddy_alloc_fail, 0);
	machine_destroy(m);
	m = boot("i386", "6.1", 1ull << 30, "hugepages=4294967298", false);
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 2);
	machine_destroy(m);
	m = boot("i386", "6.1", 1ull << 30, "hugepagesz=4100M hugepages=1", false);
	assert_false(has_line(m, "HugeTLB: unsupported hugepagesz=4100M"));
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 1);
	machine_destroy(m);
}

/* The parser's rules (hugepagesz_setup(), hugepages_setup(),
 * default_hugepagesz_setup(), hugetlb_init()) and what the model refuses */
static void parse__the_kernels_rules_and_messages(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1ull << 30, "hugepagesz=3M hugepages=5", false);
	line_at(m, "HugeTLB: unsupported hugepagesz=3M");
	line_at(m, "HugeTLB: hugepages=5 does not follow a valid hugepagesz, ignoring");
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 0);
	machine_destroy(m);
	/* 1 GiB is no valid size without the CPU's 1 GiB pages */
	m = boot("x86_64", "6.13", 1ull << 30, "hugepagesz=1G", true);
	line_at(m, "HugeTLB: unsupported hugepagesz=1G");
	machine_destroy(m);
	m = boot("x86_64", "6.13", 1ull << 30, "hugepages=2 hugepages=3", false);
	line_at(m, "HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring hugepages=3");
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 2);
	machine_destroy(m);
	m = boot("x86_64", "6.13", 1ull << 30, "hugepagesz=2M hugepagesz=2M", false);
	line_at(m, "HugeTLB: hugepagesz=2M specified twice, ignoring");
	machine_destroy(m);
	/* the implicit count wins over the explicit one, with a warning */
	m = boot("x86_64", "6.13", 1ull << 30, "hugepages=4 hugepagesz=2M hugepages=6", false);
	line_at(m, "HugeTLB: Ignoring hugepages=6 associated with 2.00 MiB page size");
	line_at(m, "HugeTLB: Using hugepages=4 for number of default huge pages");
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 4);
	machine_destroy(m);
	/* default_hugepagesz=1G: the default is 1 GiB, its pool empty */
	m = boot("x86_64", "6.13", 1ull << 30, "default_hugepagesz=1G", false);
	assert_int_equal(hugetlb_default_hstate(m)->order, 18);
	machine_destroy(m);
	m = boot("x86_64", "6.13", 1ull << 30, "default_hugepagesz=2M default_hugepagesz=1G", false);
	line_at(m, "HugeTLB: default_hugepagesz previously specified, ignoring 1G");
	machine_destroy(m);
	/* an empty size is memparse()'s 0; the hugepages= after it is
	 * dropped and clears the flag, so the next one counts */
	m = boot("x86_64", "6.13", 1ull << 30, "hugepagesz= hugepages= hugepages=3", false);
	line_at(m, "HugeTLB: unsupported hugepagesz=");
	line_at(m, "HugeTLB: hugepages= does not follow a valid hugepagesz, ignoring");
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, 3);
	machine_destroy(m);
	m = boot("x86_64", "6.13", 1ull << 30, "hugepages=x1", false);
	line_at(m, "HugeTLB: Invalid hugepages parameter x1");
	machine_destroy(m);
	/* not modelled: refused, nothing built */
	char err[256];
	struct machine_config c2 = { .arch = "x86_64", .cmdline = "hugepages=0:4" };
	assert_int_equal(machine_create(&c2, &m, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "per node"));
}

/* hugetlb_init() and hugepage_init() are both subsys_initcalls, and
 * mm/Makefile links hugetlb.o before huge_memory.o (6.1 and 6.13), so the
 * 2 MiB boot pool is taken under init_per_zone_wmark_min()'s watermarks,
 * before set_recommended_min_free_kbytes() raises them.  Then THP on or
 * off cannot change how many pages the pool gets: with
 * transparent_hugepage=never (no raise) the count is the same.  And the
 * raise counts the gigantic pages gather_bootmem_prealloc() made managed:
 * a machine with two 1 GiB boot pages has the watermarks of one without
 * them (same managed counts at that moment, see the test above). */
static void hugepages__pool_before_thp_raises_the_watermarks(void **state)
{
	(void)state;
	/* THP off: the pool takes the memory down to the boot's watermarks
	 * and the boot goes on.  THP on: the same pool, then the raise puts
	 * every zone under its new min, and dquot_init() (an fs_initcall,
	 * after both) cannot have its GFP_KERNEL page: nothing to reclaim, no
	 * task to kill, the kernel panics.  Had the pool been taken under the
	 * raised watermarks, it would have left that page free. */
	struct machine *off = boot("x86_64", "6.13", 4ull << 30, "hugepages=100000 transparent_hugepage=never", false);
	assert_int_equal(off->thp, THP_NEVER);
	/*
	 * Worked from the boot's figures (x86_64 6.13, 4 GiB: DMA32 and a
	 * 1 GiB Normal above 4G).  hugetlb_pages_alloc_boot() takes order-9
	 * blocks, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_RETRY_MAYFAIL,
	 * zonelist Normal, DMA32, DMA, until one fails; THP never, so the
	 * watermarks are init_per_zone_wmark_min()'s.  A zone gives blocks
	 * while free - 511 > min + lowmem_reserve[ZONE_MOVABLE] and it has a
	 * whole free pageblock (nothing movable to compact):
	 *   Normal: not the watermark but the pageblocks.  Its 512 blocks
	 *     less 262144 - 243968 (managed) = 18176 pages memblock took top
	 *     down: the memmap of 32 sections (2 MiB each, one block each),
	 *     the dentry and inode hashes (1024 + 512 pages, 3 blocks) and
	 *     256 pages of percpu and smaller pieces in one more block: 36
	 *     blocks not whole; and the 2 Unmovable blocks of the one order-10
	 *     block the first unmovable buddy allocation stole (64 pud tables,
	 *     the mount, mountpoint and futex hashes, slab pages): 512 - 36 -
	 *     2 = 474 blocks.
	 *   DMA32: the watermark.  Free = managed then = 761293 - 979 (the
	 *     initmem 741, text/rodata 144 and rodata/data 94 pages are freed
	 *     after the pool and managed only then) = 760314, all of it;
	 *     min 1511 + protection 953 = 2464: floor((760314 - 2464) / 512) =
	 *     1480 blocks (757760 pages, leaving 2554 >= 2464).
	 *   DMA: 3840 free < 7 + 3922 protected: none.
	 * 474 + 1480 = 1954.  After the boot DMA32 holds 761293 - 757760 =
	 * 3533 free pages (the 979 freed later, no other page taken there).
	 * (1955 until the 6.13 boot took preallocate_vmalloc_pages()'s 64
	 * pud tables and the brk's dmi page.)
	 */
	assert_int_equal(hugetlb_default_hstate(off)->nr_huge_pages, 1954);
	int dma32 = -1;
	for (int z = 0; z < off->nr_zones; z++)
		if (!strcmp(off->zones[z].name, "DMA32"))
			dma32 = z;
	assert_true(dma32 >= 0);
	assert_int_equal(off->zones[dma32].free_pages, 3533);
	machine_destroy(off);
	struct machine_config con = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30,
				      .cmdline = "hugepages=100000" };
	struct machine *on = NULL;
	char err[512];
	assert_int_equal(machine_create(&con, &on, err, sizeof err), -ENOMEM);
	assert_null(on);
	assert_non_null(strstr(err, "System is deadlocked on memory"));
	struct machine *m0 = boot("x86_64", "6.13", 4ull << 30, NULL, false);
	struct machine *m = boot("x86_64", "6.13", 4ull << 30, "hugepagesz=1G hugepages=2", false);
	assert_int_equal(m->hugetlb.nr_boot, 2);
	assert_int_equal(m->min_free_kbytes, m0->min_free_kbytes);
	for (int i = 0; i < m->nr_zones; i++) {
		assert_int_equal(m->zones[i].managed, m0->zones[i].managed);
		for (int w = WMARK_MIN; w <= WMARK_HIGH; w++)
			assert_int_equal(m->zones[i].wmark[w], m0->zones[i].wmark[w]);
	}
	machine_destroy(m);
	machine_destroy(m0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_string__three_significant_digits),
		cmocka_unit_test(boot__reports_the_sizes_in_the_order_registered),
		cmocka_unit_test(hugepages__fill_the_default_pool_from_the_buddy_allocator),
		cmocka_unit_test(hugepages__more_than_memory_stop_at_the_first_failure),
		cmocka_unit_test(hugepages__gigantic_from_memblock_managed_again),
		cmocka_unit_test(hugepages__gigantic_far_above_memory_is_the_kernels_warning),
		cmocka_unit_test(hugepages__gigantic_from_each_node_in_turn),
		cmocka_unit_test(hugepages__pool_before_thp_raises_the_watermarks),
		cmocka_unit_test(parse__counts_and_sizes_wrap_as_unsigned_long),
		cmocka_unit_test(parse__the_kernels_rules_and_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
