/*
 * test_buddy.c - the buddy allocator: split, merge, list order, fallback,
 * watermarks, refused frees.  Expected numbers come from the kernel's
 * algorithms (mm/page_alloc.c, cited per test), not from kmemsh output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/layout.h"
#include "kmemsh/machine.h"
#include "kmemsh/physaddr.h"
#include "fixture.h"

/* GFP values: 6.13 include/linux/gfp_types.h, 2.6.32 include/linux/gfp.h */
#define G13_KERNEL 0xcc0u
#define G13_ATOMIC 0x820u
#define G13_DMA 0x01u
#define G13_DMA32 0x04u
#define G13_NOWARN 0x2000u
#define G13_MOVABLE 0x08u
#define G13_HIGHUSER_MOVABLE 0x100ccau
#define G32_KERNEL 0xd0u
#define G32_ATOMIC 0x20u
#define G32_HIGHUSER 0x200d2u

static struct machine *boot(const char *arch, const char *mem)
{
	struct machine_config cfg = { .arch = arch };
	if (mem)
		assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	return boot_cfg(&cfg);
}

static int zone_idx(const struct machine *m, const char *name)
{
	int z = machine_zone_by_name(m, name);
	assert_true(z >= 0);
	return z;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

static int setup_x86_64(void **state)
{
	*state = boot("x86_64", "4G");
	return 0;
}

static int setup_i386(void **state)
{
	*state = boot("i386", "1G");
	return 0;
}

static int first_block(void *arg, uint64_t pfn, unsigned order, int mt)
{
	(void)order;
	(void)mt;
	*(uint64_t *)arg = pfn;
	return 1;
}

/* __rmqueue_smallest() + expand(): an order-0 request from a zone whose
 * lowest free block is order 10 keeps the lower half each time and frees the
 * upper halves: P+512 order 9, P+256 order 8, ..., P+1 order 0. */
static void alloc_order0_from_max_block__splits_ten_times_keeping_lower_half(void **state)
{
	struct machine *m = *state;
	/* the Movable lists of Normal on the default 4 GiB x86_64 machine hold
	 * order-10 blocks and, where boot's reservations at the top of RAM
	 * (percpu units, hashes) left pieces, smaller ones: take those first,
	 * each from its own order's list, so that only order 10 is left */
	int normal = zone_idx(m, "Normal");
	int mov = m->kp->mt_movable;
	for (unsigned o = 0; o < 10; o++)
		while (m->zones[normal].free_area[o].nr_mt[mov]) {
			uint64_t p;
			assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_MOVABLE, o, &p), 0);
		}
	for (int o = 0; o < 10; o++)
		assert_int_equal(m->zones[normal].free_area[o].nr_mt[mov], 0);
	uint64_t before10 = m->zones[normal].free_area[10].nr_mt[mov];
	/* 6.13 boot frees ascending with FPI_TO_TAIL: the head of the order-10
	 * list is the zone's lowest Movable block, 0x100400 (the one at 4 GiB
	 * became Unmovable for the vmap_area slab) */
	uint64_t head = 0;
	buddy_walk_list(m, normal, 10, mov, 1, first_block, &head);
	assert_int_equal(head, 0x100400);
	uint64_t pfn;
	/* a movable request finds its own type's order-10 list: no fallback */
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_MOVABLE, 0, &pfn), 0);
	assert_int_equal(pfn, head);
	for (int o = 0; o < 10; o++)
		assert_int_equal(m->zones[normal].free_area[o].nr_mt[mov], 1);
	assert_int_equal(m->zones[normal].free_area[10].nr_mt[mov], before10 - 1);
	for (unsigned o = 0; o < 10; o++) {
		struct page_info pi;
		buddy_page_info(m, pfn + (1u << o), &pi);
		assert_int_equal(pi.state, PS_FREE);
		assert_int_equal(pi.block_pfn, pfn + (1u << o));
		assert_int_equal(pi.order, o);
	}
	/* the next order-0 request gets P+1, the head of the order-0 list */
	uint64_t pfn2;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_MOVABLE, 0, &pfn2), 0);
	assert_int_equal(pfn2, pfn + 1);
	assert_int_equal(machine_check(m), 0);
}

/* __free_one_page(): buddy pfn = pfn ^ (1 << order); freeing both halves
 * merges back up to a MAX_ORDER block. */
static void free_both_buddies__merge_back_to_order_10(void **state)
{
	struct machine *m = *state;
	int dma32 = zone_idx(m, "DMA32");
	uint64_t before[NR_ORDERS];
	for (int o = 0; o < NR_ORDERS; o++)
		before[o] = free_area_nr_free(&m->zones[dma32].free_area[o]);
	uint64_t free = m->zones[dma32].free_pages;
	uint64_t a, b;
	assert_int_equal(buddy_alloc_pages(m, G13_DMA32 | 0xcc0, 0, &a), 0);
	assert_int_equal(buddy_alloc_pages(m, G13_DMA32 | 0xcc0, 0, &b), 0);
	assert_int_equal(b, a ^ 1);
	assert_int_equal(buddy_free_pages(m, a, 0), 0);
	assert_int_equal(free_area_nr_free(&m->zones[dma32].free_area[0]), before[0] + 1);   /* a waits for b */
	assert_int_equal(buddy_free_pages(m, b, 0), 0);
	for (int o = 0; o < NR_ORDERS; o++)
		assert_int_equal(free_area_nr_free(&m->zones[dma32].free_area[o]), before[o]);
	assert_int_equal(m->zones[dma32].free_pages, free);
	assert_int_equal(machine_check(m), 0);
}

/* The zonelist for GFP_KERNEL on x86_64 is Normal, DMA32, DMA; GFP_DMA32
 * starts at DMA32; GFP_DMA uses DMA only (mm/page_alloc.c build_zonerefs_node). */
static void gfp_zone_modifiers__pick_the_zone_the_kernel_picks(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), zone_idx(m, "Normal"));
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_DMA32, 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), zone_idx(m, "DMA32"));
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_DMA, 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), zone_idx(m, "DMA"));
	/* GFP_ZONE_BAD: __GFP_DMA | __GFP_HIGHMEM */
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_DMA | 0x02, 0, &pfn), -EINVAL);
	assert_int_equal(machine_check(m), 0);
}

/* 6.13 fallback: the first Unmovable allocation finds only Movable blocks;
 * an order-10 block is >= pageblock_order, so it is taken whole and both of
 * its pageblocks are retyped Unmovable (steal_suitable_fallback). */
static void first_unmovable_alloc__claims_a_whole_movable_block(void **state)
{
	struct machine *m = *state;
	/* DMA32: Normal's first Unmovable allocation was boot's (vmalloc_init()) */
	int dma32 = zone_idx(m, "DMA32");
	uint64_t pfn;
	uint64_t movable_blocks = m->zones[dma32].nr_pageblocks[m->kp->mt_movable];
	assert_int_equal(m->zones[dma32].nr_pageblocks[m->kp->mt_unmovable], 0);
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_DMA32, 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), dma32);
	assert_int_equal(get_pageblock_mt(m, pfn), m->kp->mt_unmovable);
	assert_int_equal(get_pageblock_mt(m, pfn + 512), m->kp->mt_unmovable);
	assert_int_equal(m->zones[dma32].nr_pageblocks[m->kp->mt_unmovable], 2);
	assert_int_equal(m->zones[dma32].nr_pageblocks[m->kp->mt_movable], movable_blocks - 2);
	/* the split halves sit on the Unmovable lists */
	assert_int_equal(m->zones[dma32].free_area[9].nr_mt[m->kp->mt_unmovable], 1);
	assert_int_equal(machine_check(m), 0);
}

/* Refused frees leave the model unchanged. */
static void bad_frees__are_refused_and_change_nothing(void **state)
{
	struct machine *m = *state;
	int normal = zone_idx(m, "Normal");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 2, &pfn), 0);
	uint64_t free = m->zones[normal].free_pages;
	assert_int_equal(buddy_free_pages(m, pfn, 3), -EINVAL);      /* wrong order */
	assert_non_null(strstr(m->err, "order 2, not 3"));
	assert_int_equal(buddy_free_pages(m, pfn + 1, 0), -EINVAL);  /* inside the block */
	/* a page on the buddy free lists (the block's buddy may be a page
	 * boot took, e.g. for the boot vmap areas' page tables) */
	uint64_t fp = pfn + 4;
	struct page_info pi;
	for (buddy_page_info(m, fp, &pi); pi.state != PS_FREE; buddy_page_info(m, ++fp, &pi))
		;
	assert_int_equal(buddy_free_pages(m, fp, 0), -EINVAL);
	assert_non_null(strstr(m->err, "already free"));
	assert_int_equal(buddy_free_pages(m, 0x1000, 0), -EINVAL);   /* kernel image: reserved */
	assert_int_equal(m->zones[normal].free_pages, free);
	assert_int_equal(buddy_free_pages(m, pfn, 2), 0);
	assert_int_equal(buddy_free_pages(m, pfn, 2), -EINVAL);      /* double free */
	assert_int_equal(machine_check(m), 0);
}

/* The reports below the slab layer name the CPU the task is on
 * (smp_processor_id(), `cpu N`): __alloc_pages_noprof()'s WARN,
 * warn_alloc()'s dump_stack() and __phys_addr()'s BUG (6.13). */
static void reports__name_the_current_cpu(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 2 };
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	assert_int_equal(machine_this_cpu(m), 0);
	assert_int_equal(machine_set_cpu(m, 2), -EINVAL);
	assert_non_null(strstr(m->err, "CPU 2 does not exist"));
	assert_int_equal(machine_this_cpu(m), 0);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 11, &pfn), -EINVAL);
	assert_true(dmesg_has(m, "WARNING: CPU: 1 PID: 1 at mm/page_alloc.c:4727 __alloc_pages_noprof"));
	/* exhaust DMA: warn_alloc() */
	while (buddy_alloc_pages(m, G13_KERNEL | G13_DMA, 0, &pfn) == 0)
		;
	assert_true(dmesg_has(m, "page allocation failure: order:0"));
	assert_true(dmesg_has(m, "CPU: 1 UID: 0 PID: 1 Comm: kmemsh"));
	assert_false(dmesg_has(m, "CPU: 0 UID: 0"));
	uint64_t pa;
	assert_int_equal(machine_set_cpu(m, 0), 0);
	assert_int_equal(vm_virt_to_phys(m, m->layout.vmalloc_start, &pa), -EFAULT);
	assert_true(dmesg_has(m, "kernel BUG at arch/x86/mm/physaddr.c"));
	assert_true(dmesg_has(m, "CPU: 0 UID: 0 PID: 1 Comm: kmemsh"));
	machine_destroy(m);
}

/* __alloc_pages: order > MAX_ORDER warns once and returns NULL. */
static void order_above_max__warns_and_fails(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	size_t lines = m->dmesg.n;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 11, &pfn), -EINVAL);
	assert_true(m->dmesg.n > lines);
	assert_non_null(strstr(dmesg_text(m, m->dmesg.n - 2), "WARNING:"));
	lines = m->dmesg.n;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 11, &pfn), -EINVAL);
	assert_int_equal(m->dmesg.n, lines);   /* WARN_ON_ONCE */
}

/*
 * 6.13 __zone_watermark_ok(): GFP_KERNEL needs free > min (slow path); the
 * slow path of GFP_ATOMIC (ALLOC_MIN_RESERVE|ALLOC_NON_BLOCK) needs only
 * free > min - min/2 - (min - min/2)/4.  With min_free_kbytes raised so that
 * DMA's min watermark sits just above its free pages, GFP_KERNEL|GFP_DMA
 * fails and GFP_ATOMIC|GFP_DMA succeeds.
 */
static void atomic_allocation__uses_the_emergency_pool_below_min(void **state)
{
	struct machine *m = *state;
	int dma = zone_idx(m, "DMA");
	struct zone *z = &m->zones[dma];
	/* choose min_free_kbytes so that DMA's min = free + 10 */
	uint64_t lowmem = 0;
	for (int i = 0; i < m->nr_zones; i++)
		if (m->zones[i].kind != ZK_HIGHMEM && m->zones[i].kind != ZK_MOVABLE)
			lowmem += m->zones[i].managed;
	uint64_t want_min = z->free_pages + 10;
	uint64_t pages_min = (want_min * lowmem + z->managed - 1) / z->managed;
	char v[32];
	snprintf(v, sizeof v, "%llu", (unsigned long long)(pages_min * 4));
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", v), 0);
	uint64_t min = z->wmark[WMARK_MIN];
	assert_true(min > z->free_pages);
	uint64_t reduced = min - min / 2;
	reduced -= reduced / 4;
	assert_true(z->free_pages > reduced);
	uint64_t pfn;
	size_t lines = m->dmesg.n;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_DMA, 0, &pfn), -ENOMEM);
	assert_non_null(strstr(m->err, "reclaim"));
	assert_true(m->dmesg.n > lines);
	assert_non_null(strstr(dmesg_text(m, lines), "page allocation failure: order:0, mode:0xcc1(GFP_KERNEL|GFP_DMA)"));
	lines = m->dmesg.n;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL | G13_DMA | G13_NOWARN, 0, &pfn), -ENOMEM);
	assert_int_equal(m->dmesg.n, lines);  /* __GFP_NOWARN */
	assert_int_equal(buddy_alloc_pages(m, G13_ATOMIC | G13_DMA, 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), dma);
	assert_int_equal(machine_check(m), 0);
}

/* 2.6.32 adds freed blocks at the list head, so after boot the head of each
 * list is the highest-addressed block; GFP_HIGHUSER comes from HighMem. */
static void i386_2_6_32__lists_are_lifo_and_highuser_uses_highmem(void **state)
{
	struct machine *m = *state;
	int normal = zone_idx(m, "Normal"), high = zone_idx(m, "HighMem");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G32_HIGHUSER, 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), high);
	assert_false(machine_pfn_has_vaddr(m, pfn));
	assert_int_equal(buddy_alloc_pages(m, G32_KERNEL, 10, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), normal);
	/* the highest whole MAX_ORDER block below max_low_pfn (0x377fe): the
	 * one at 0x37000 holds the tables boot took after the buddy allocator
	 * was up (the Mount-cache page, 32 + 256 + 128 pages of IP route
	 * cache and TCP hashes), so the next one down */
	assert_int_equal(pfn, 0x37000 - 0x400);
	assert_int_equal(buddy_free_pages(m, pfn, 10), 0);
	uint64_t again;
	assert_int_equal(buddy_alloc_pages(m, G32_KERNEL, 10, &again), 0);
	assert_int_equal(again, pfn);   /* LIFO */
	assert_int_equal(machine_check(m), 0);
}

/* 2.6.32 zone_watermark_ok(): higher orders discount lower-order free
 * pages and halve min per order. */
static void i386_2_6_32__atomic_alloc_uses_harder_and_high(void **state)
{
	struct machine *m = *state;
	int normal = zone_idx(m, "Normal");
	struct zone *z = &m->zones[normal];
	uint64_t mark = z->free_pages + 5;
	/* ALLOC_HIGH|ALLOC_HARDER: min - min/2, then - min/4 */
	int64_t min = (int64_t)mark;
	min -= min / 2;
	min -= min / 4;
	assert_int_equal(buddy_zone_watermark_ok(m, z, 0, mark, normal, AF_WMARK_MIN), 0);
	assert_int_equal(buddy_zone_watermark_ok(m, z, 0, mark, normal, AF_WMARK_MIN | AF_HIGH | AF_HARDER),
			 (int64_t)z->free_pages > min);
}

/*
 * The failure report is rate limited as the kernel's: 6.13 warn_alloc()
 * has "static DEFINE_RATELIMIT_STATE(nopage_rs, 10*HZ, 1)", 2.6.32's
 * nopage path asks printk_ratelimit() (5*HZ, burst 10).  lib/ratelimit.c
 * ___ratelimit(): within the interval `burst` reports print and the rest
 * are counted; the first call after the interval prints "FUNC: N callbacks
 * suppressed" and starts a new one.  vm.min_free_kbytes far above memory
 * puts every zone's min watermark above its free pages, so each GFP_ATOMIC
 * page fails without reclaim (it cannot sleep).
 */
static void ratelimit_run(const char *arch, gfp_t atomic, unsigned burst, uint64_t interval_us, const char *func)
{
	struct machine *m = boot(arch, "256M");
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "4000000"), 0);
	uint64_t pfn;
	size_t before = dmesg_count(m, "page allocation failure");
	for (unsigned i = 0; i < burst + 3; i++)
		assert_int_equal(buddy_alloc_pages(m, atomic, 0, &pfn), -ENOMEM);
	/* the same instant: burst reports, 3 suppressed, nothing said yet */
	assert_int_equal(dmesg_count(m, "page allocation failure") - before, burst);
	assert_false(dmesg_has(m, "callbacks suppressed"));
	/* still inside the interval (not past begin + interval) */
	m->clock_us += interval_us;
	assert_int_equal(buddy_alloc_pages(m, atomic, 0, &pfn), -ENOMEM);
	assert_int_equal(dmesg_count(m, "page allocation failure") - before, burst);
	/* past it: the count of the 4 missed, then a report */
	m->clock_us += 1;
	assert_int_equal(buddy_alloc_pages(m, atomic, 0, &pfn), -ENOMEM);
	char want[64];
	snprintf(want, sizeof want, "%s: 4 callbacks suppressed", func);
	assert_true(dmesg_has(m, want));
	assert_int_equal(dmesg_count(m, "page allocation failure") - before, burst + 1);
	machine_destroy(m);
}

static void failure_report__is_rate_limited_as_the_kernel_limits_it(void **state)
{
	(void)state;
	ratelimit_run("x86_64", G13_ATOMIC, 1, 10000000, "warn_alloc");
	ratelimit_run("i386", G32_ATOMIC, 10, 5000000, "__alloc_pages_slowpath");
}

/* The reserve flags' share of a watermark of 1000 pages, by hand from
 * 6.13 __zone_watermark_ok() (ALLOC_MIN_RESERVE: 1000-500=500; then
 * ALLOC_NON_BLOCK: 500-125=375; ALLOC_NON_BLOCK alone: no change; ALLOC_OOM:
 * 1000-500=500, with ALLOC_MIN_RESERVE 500-250=250) and 2.6.32
 * zone_watermark_ok() (ALLOC_HIGH: 500; ALLOC_HARDER alone: 1000-250=750;
 * both: 375) */
static void effective_min__follows_each_version_s_reserve_rules(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "1G");
	assert_int_equal(buddy_effective_min(m, 1000, AF_WMARK_MIN), 1000);
	assert_int_equal(buddy_effective_min(m, 1000, AF_HIGH), 500);
	assert_int_equal(buddy_effective_min(m, 1000, AF_HIGH | AF_HARDER), 375);
	assert_int_equal(buddy_effective_min(m, 1000, AF_HARDER), 1000);
	assert_int_equal(buddy_effective_min(m, 1000, AF_OOM), 500);
	assert_int_equal(buddy_effective_min(m, 1000, AF_OOM | AF_HIGH), 250);
	machine_destroy(m);
	m = boot("i386", "512M");       /* i386 boots 2.6.32 */
	assert_int_equal(m->kp->kv, KV_2_6_32);
	assert_int_equal(buddy_effective_min(m, 1000, AF_HIGH), 500);
	assert_int_equal(buddy_effective_min(m, 1000, AF_HARDER), 750);
	assert_int_equal(buddy_effective_min(m, 1000, AF_HIGH | AF_HARDER), 375);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alloc_order0_from_max_block__splits_ten_times_keeping_lower_half, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(free_both_buddies__merge_back_to_order_10, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(gfp_zone_modifiers__pick_the_zone_the_kernel_picks, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(first_unmovable_alloc__claims_a_whole_movable_block, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(bad_frees__are_refused_and_change_nothing, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(order_above_max__warns_and_fails, setup_x86_64, teardown),
		cmocka_unit_test(failure_report__is_rate_limited_as_the_kernel_limits_it),
		cmocka_unit_test(reports__name_the_current_cpu),
		cmocka_unit_test(effective_min__follows_each_version_s_reserve_rules),
		cmocka_unit_test_setup_teardown(atomic_allocation__uses_the_emergency_pool_below_min, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(i386_2_6_32__lists_are_lifo_and_highuser_uses_highmem, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(i386_2_6_32__atomic_alloc_uses_harder_and_high, setup_i386, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
