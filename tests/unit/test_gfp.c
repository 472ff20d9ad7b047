/*
 * test_gfp.c - GFP names, values, printing and zone/migratetype mapping.
 * Expected values: 6.13 include/linux/gfp_types.h (kernel-facts §4.1-4.2),
 * print order lib/vsprintf.c format_flags() over __def_gfpflag_names;
 * 2.6.32 include/linux/gfp.h and include/trace/events/gfpflags.h;
 * 6.1 include/linux/gfp_types.h and include/trace/events/mmflags.h of
 * Debian's linux-source-6.1 (6.1.192), the values worked out by hand below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kmemsh/gfp.h"
#include "kmemsh/slab.h"

static gfp_t parse(const struct kernel_profile *kp, const char *s)
{
	gfp_t g = 0;
	size_t off = 0;
	if (gfp_parse(kp, s, &g, &off))
		fail_msg("gfp_parse(%s) failed at %zu", s, off);
	return g;
}

static void expect_print(const struct kernel_profile *kp, gfp_t g, const char *want)
{
	char buf[256];
	gfp_format(kp, g, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void v6_13__composite_values_match_gfp_types_h(void **state)
{
	(void)state;
	const struct kernel_profile *kp = kernel_find("6.13");
	assert_int_equal(parse(kp, "GFP_KERNEL"), 0xcc0);
	assert_int_equal(parse(kp, "GFP_ATOMIC"), 0x820);
	assert_int_equal(parse(kp, "GFP_NOWAIT"), 0x2800);
	assert_int_equal(parse(kp, "GFP_NOIO"), 0xc00);
	assert_int_equal(parse(kp, "GFP_NOFS"), 0xc40);
	assert_int_equal(parse(kp, "GFP_USER"), 0x100cc0);
	assert_int_equal(parse(kp, "GFP_KERNEL_ACCOUNT"), 0x400cc0);
	assert_int_equal(parse(kp, "GFP_HIGHUSER"), 0x100cc2);
	assert_int_equal(parse(kp, "GFP_HIGHUSER_MOVABLE"), 0x100cca);
	assert_int_equal(parse(kp, "GFP_TRANSHUGE_LIGHT"), 0x1c20ca);
	assert_int_equal(parse(kp, "GFP_TRANSHUGE"), 0x1c24ca);
	assert_int_equal(parse(kp, "GFP_KERNEL|GFP_DMA"), 0xcc1);
	assert_int_equal(parse(kp, "GFP_KERNEL | __GFP_ZERO"), 0xdc0);
	assert_int_equal(parse(kp, "0xcc0|__GFP_NOWARN"), 0x2cc0);
}

static void v6_13__printing_follows_the_kernel_name_table(void **state)
{
	(void)state;
	const struct kernel_profile *kp = kernel_find("6.13");
	expect_print(kp, 0xcc0, "GFP_KERNEL");
	expect_print(kp, 0xdc0, "GFP_KERNEL|__GFP_ZERO");
	expect_print(kp, 0xcc1, "GFP_KERNEL|GFP_DMA");
	expect_print(kp, 0x820, "GFP_ATOMIC");
	expect_print(kp, 0xa20, "GFP_ATOMIC|0x200");
	expect_print(kp, 0x100cca, "GFP_HIGHUSER_MOVABLE");
	expect_print(kp, 0x2cc0, "GFP_KERNEL|__GFP_NOWARN");
	expect_print(kp, 0, "");
}

/*
 * 6.1 gfp_types.h: ___GFP_HIGH 0x20, ___GFP_ATOMIC 0x200 (gone in 6.3),
 * ___GFP_DIRECT_RECLAIM 0x400, ___GFP_KSWAPD_RECLAIM 0x800, ___GFP_IO 0x40,
 * ___GFP_FS 0x80, ___GFP_NOWARN 0x2000, ___GFP_HARDWALL 0x100000,
 * ___GFP_ACCOUNT 0x400000, ___GFP_COMP 0x40000, ___GFP_NOMEMALLOC 0x80000;
 *   GFP_ATOMIC  = 0x20|0x200|0x800            = 0xa20 (6.13: 0x820)
 *   GFP_KERNEL  = 0x400|0x800|0x40|0x80       = 0xcc0
 *   GFP_NOWAIT  = 0x800                       (6.13 adds __GFP_NOWARN: 0x2800)
 *   GFP_NOIO    = 0xc00, GFP_NOFS = 0xc40, GFP_USER = 0x100cc0
 *   GFP_KERNEL_ACCOUNT = 0x400cc0, GFP_HIGHUSER_MOVABLE = 0x100cc0|0x2|0x8
 *                 = 0x100cca (the SKIP_KASAN bits are 0 without KASAN_HW_TAGS)
 *   GFP_TRANSHUGE_LIGHT = (0x100cca|0x40000|0x80000|0x2000) & ~0xc00 = 0x1c20ca
 *   __GFP_BITS_SHIFT 27: mask 0x7ffffff
 */
static void v6_1__values_match_its_gfp_types_h(void **state)
{
	(void)state;
	const struct kernel_profile *kp = kernel_find("6.1");
	assert_non_null(kp);
	assert_int_equal(parse(kp, "GFP_ATOMIC"), 0xa20);
	assert_int_equal(parse(kp, "__GFP_ATOMIC"), 0x200);
	assert_int_equal(parse(kp, "GFP_KERNEL"), 0xcc0);
	assert_int_equal(parse(kp, "GFP_NOWAIT"), 0x800);
	assert_int_equal(parse(kp, "GFP_NOIO"), 0xc00);
	assert_int_equal(parse(kp, "GFP_NOFS"), 0xc40);
	assert_int_equal(parse(kp, "GFP_USER"), 0x100cc0);
	assert_int_equal(parse(kp, "GFP_KERNEL_ACCOUNT"), 0x400cc0);
	assert_int_equal(parse(kp, "GFP_HIGHUSER_MOVABLE"), 0x100cca);
	assert_int_equal(parse(kp, "GFP_TRANSHUGE_LIGHT"), 0x1c20ca);
	assert_int_equal(parse(kp, "GFP_TRANSHUGE"), 0x1c24ca);
	assert_int_equal(kp->gfp_bits_mask, 0x7ffffff);
	/* mmflags.h order: __GFP_ATOMIC right after __GFP_HIGH */
	expect_print(kp, 0xa20, "GFP_ATOMIC");
	/* 0x820: GFP_NOWAIT (0x800) comes first in the table, then __GFP_HIGH */
	expect_print(kp, 0x820, "GFP_NOWAIT|__GFP_HIGH");
	expect_print(kp, 0x800, "GFP_NOWAIT");
	expect_print(kp, 0x2800, "GFP_NOWAIT|__GFP_NOWARN");
	expect_print(kp, 0x220, "__GFP_HIGH|__GFP_ATOMIC");
	expect_print(kp, 0xcc0 | 0x100, "GFP_KERNEL|__GFP_ZERO");
	/* 6.13 has no __GFP_ATOMIC and says where it went */
	const struct kernel_profile *k13 = kernel_find("6.13");
	gfp_t g;
	size_t off;
	assert_int_equal(gfp_parse(k13, "__GFP_ATOMIC", &g, &off), -EINVAL);
	assert_non_null(strstr(gfp_other_kernel_hint(k13, "__GFP_ATOMIC"), "6.3"));
	assert_null(gfp_other_kernel_hint(kp, "__GFP_ATOMIC"));
	/* 6.1 shares 6.13's hints for 2.6.32's names */
	assert_non_null(strstr(gfp_other_kernel_hint(kp, "__GFP_WAIT"), "__GFP_DIRECT_RECLAIM"));
}

/* the rest of the 6.1 row: the differences from 6.13 that show */
static void v6_1__profile_row_differs_from_6_13_where_the_kernel_does(void **state)
{
	(void)state;
	const struct kernel_profile *k61 = kernel_find("6.1"), *k13 = kernel_find("6.13");
	assert_int_equal(k61->kv, KV_6_1);
	assert_true(k61->kv > KV_2_6_32 && k61->kv < KV_6_13);
	assert_false(k61->has_promo);           /* WMARK_PROMO: 6.2 */
	assert_true(k13->has_promo);
	assert_false(k61->pcp_high_minmax);     /* 6.7 */
	assert_true(k13->pcp_high_minmax);
	assert_false(k61->movable_wmark_capped);
	assert_false(k61->vmap_nodes);          /* 6.9 */
	assert_true(k13->vmap_nodes);
	assert_int_equal(k61->slab_impls, (1u << SLAB_IMPL_SLUB) | (1u << SLAB_IMPL_SLAB) | (1u << SLAB_IMPL_SLOB));
	assert_int_equal(k13->slab_impls, 1u << SLAB_IMPL_SLUB);
	assert_int_equal(k61->min_free_kbytes_max, 262144);
	/* Debian 686: 40-byte struct page; amd64 64 */
	assert_int_equal(arch_find("i386")->struct_page_6_1, 40);
	assert_int_equal(arch_find("x86_64")->struct_page_6_1, 64);
	assert_string_equal(kernel_names(), "2.6.32, 6.1, 6.13");
}

/* Each bit the model tests by field (kp->gfp_thisnode and the rest) is the
 * bit the profile's own name table gives that name: a field left out of a
 * row reads 0 and silently turns the flag off (6.1 had no gfp_thisnode, so
 * __GFP_THISNODE requests could leave their node).  2.6.32 has no
 * __GFP_MEMALLOC (2.6.34) nor __GFP_KSWAPD_RECLAIM (4.4): 0 there. */
static void profile_bits__are_the_name_tables_bits(void **state)
{
	(void)state;
	static const char *const versions[] = { "2.6.32", "6.1", "6.13" };
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		const struct kernel_profile *kp = kernel_find(versions[i]);
		assert_non_null(kp);
		bool old = kp->kv == KV_2_6_32;
		const struct {
			const char *name;
			uint32_t field;
		} rows[] = {
			{ old ? "__GFP_WAIT" : "__GFP_DIRECT_RECLAIM", kp->gfp_wait },
			{ "__GFP_HIGH", kp->gfp_high },
			{ "__GFP_NOWARN", kp->gfp_nowarn },
			{ "__GFP_NOMEMALLOC", kp->gfp_nomemalloc },
			{ "__GFP_THISNODE", kp->gfp_thisnode },
			{ "__GFP_MOVABLE", kp->gfp_movable },
			{ "__GFP_RECLAIMABLE", kp->gfp_reclaimable },
			{ "__GFP_HIGHMEM", kp->gfp_highmem },
			{ "__GFP_DMA", kp->gfp_dma },
			{ "__GFP_DMA32", kp->gfp_dma32 },
			{ "__GFP_COMP", kp->gfp_comp },
			{ "__GFP_ZERO", kp->gfp_zero },
			{ "__GFP_FS", kp->gfp_fs },
			{ "GFP_KERNEL", kp->gfp_kernel },
		};
		for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
			if (rows[r].field != parse(kp, rows[r].name))
				fail_msg("%s: the profile's %s is %#x, its name table says %#x", versions[i],
					 rows[r].name, rows[r].field, parse(kp, rows[r].name));
			assert_int_not_equal(rows[r].field, 0);
		}
		/* include/linux/gfp.h: 2.6.32 __GFP_WAIT|__GFP_IO|__GFP_FS,
		 * 6.x (gfp_types.h) __GFP_RECLAIM|__GFP_IO|__GFP_FS */
		assert_int_equal(kp->gfp_kernel, old ? 0xd0 : 0xcc0);
		if (old) {
			assert_int_equal(kp->gfp_memalloc, 0);
			assert_int_equal(kp->gfp_kswapd, 0);
		} else {
			assert_int_equal(kp->gfp_memalloc, parse(kp, "__GFP_MEMALLOC"));
			assert_int_equal(kp->gfp_kswapd, parse(kp, "__GFP_KSWAPD_RECLAIM"));
		}
	}
}

static void v2_6_32__values_and_trace_names(void **state)
{
	(void)state;
	const struct kernel_profile *kp = kernel_find("2.6.32");
	assert_int_equal(parse(kp, "GFP_KERNEL"), 0xd0);
	assert_int_equal(parse(kp, "GFP_ATOMIC"), 0x20);
	assert_int_equal(parse(kp, "GFP_NOWAIT"), 0);
	assert_int_equal(parse(kp, "GFP_HIGHUSER"), 0x200d2);
	assert_int_equal(parse(kp, "GFP_HIGHUSER_MOVABLE"), 0x200da);
	assert_int_equal(parse(kp, "GFP_TEMPORARY"), 0x800d0);
	assert_int_equal(parse(kp, "__GFP_DMA32"), 0x04);
	expect_print(kp, 0xd0, "GFP_KERNEL");
	expect_print(kp, 0x80d0, "GFP_KERNEL|GFP_ZERO");
	expect_print(kp, 0, "GFP_NOWAIT");
	expect_print(kp, 0x200da, "GFP_HIGHUSER_MOVABLE");
}

static void bad_names_and_bits__are_rejected_with_the_offset(void **state)
{
	(void)state;
	const struct kernel_profile *kp = kernel_find("6.13");
	gfp_t g;
	size_t off = 99;
	assert_int_equal(gfp_parse(kp, "GFP_KERNEL|GFP_KERNAL", &g, &off), -EINVAL);
	assert_int_equal(off, 11);
	assert_int_equal(gfp_parse(kp, "GFP_KERNEL|", &g, &off), -EINVAL);
	assert_int_equal(gfp_parse(kp, "", &g, &off), -EINVAL);
	assert_int_equal(gfp_parse(kp, "0x80000000", &g, &off), -ERANGE);
	assert_int_equal(gfp_parse(kp, "__GFP_COLD", &g, &off), -EINVAL);   /* gone since 4.15 */
	assert_int_equal(gfp_parse(kernel_find("2.6.32"), "__GFP_COLD", &g, &off), 0);
}

/* GFP_ZONE_TABLE: x86_64 has DMA32, no HighMem; i386 the reverse */
static void gfp_zone__follows_the_zone_table(void **state)
{
	(void)state;
	const struct kernel_profile *kp = kernel_find("6.13");
	assert_int_equal(gfp_zone(kp, 0xcc0, true, false), ZK_NORMAL);
	assert_int_equal(gfp_zone(kp, 0x01, true, false), ZK_DMA);
	assert_int_equal(gfp_zone(kp, 0x04, true, false), ZK_DMA32);
	assert_int_equal(gfp_zone(kp, 0x04, false, true), ZK_NORMAL);
	assert_int_equal(gfp_zone(kp, 0x02, true, false), ZK_NORMAL);
	assert_int_equal(gfp_zone(kp, 0x02, false, true), ZK_HIGHMEM);
	assert_int_equal(gfp_zone(kp, 0x0a, false, true), ZK_MOVABLE);
	assert_int_equal(gfp_zone(kp, 0x03, false, true), -1);
	assert_int_equal(gfp_zone(kp, 0x05, true, false), -1);
	assert_int_equal(gfp_migratetype(kp, 0xcc0), 0);
	assert_int_equal(gfp_migratetype(kp, 0x100cca), 1);
	assert_int_equal(gfp_migratetype(kp, 0xcd0), 2);
	const struct kernel_profile *old = kernel_find("2.6.32");
	assert_int_equal(gfp_migratetype(old, 0xd0), 0);
	assert_int_equal(gfp_migratetype(old, 0x800d0), 1);   /* GFP_TEMPORARY: Reclaimable */
	assert_int_equal(gfp_migratetype(old, 0x200da), 2);   /* Movable */
	assert_true(gfp_allow_blocking(kp, 0xcc0));
	assert_false(gfp_allow_blocking(kp, 0x820));
	assert_true(gfp_allow_blocking(old, 0xd0));
	assert_false(gfp_allow_blocking(old, 0x20));
}

/* gfp_zone() indexes GFP_ZONE_TABLE with flags & GFP_ZONEMASK, the four
 * low bits, and so does the model's zonelist table (buddy.c): ___GFP_DMA
 * 0x01, ___GFP_HIGHMEM 0x02, ___GFP_DMA32 0x04, ___GFP_MOVABLE 0x08 in
 * 6.13 and 6.1 include/linux/gfp_types.h and 2.6.32 include/linux/gfp.h */
static void zone_modifiers__are_the_low_four_bits_in_every_version(void **state)
{
	(void)state;
	const char *const versions[] = { "6.13", "6.1", "2.6.32" };
	for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
		const struct kernel_profile *kp = kernel_find(versions[i]);
		assert_non_null(kp);
		assert_int_equal(kp->gfp_dma, 0x01);
		assert_int_equal(kp->gfp_highmem, 0x02);
		assert_int_equal(kp->gfp_dma32, 0x04);
		assert_int_equal(kp->gfp_movable, 0x08);
	}
}

/* whatever gfp_format() prints, gfp_parse() reads back to the same mask:
 * every single bit below __GFP_BITS_MASK, every named mask, and each
 * named mask with every bit added, in both kernels */
static void every_printed_mask__parses_back_to_itself(void **state)
{
	(void)state;
	const char *versions[] = { "2.6.32", "6.1", "6.13" };
	for (size_t v = 0; v < 3; v++) {
		const struct kernel_profile *kp = kernel_find(versions[v]);
		assert_non_null(kp);
		gfp_t masks[256];
		size_t n = 0;
		for (const struct gfp_name *g = kp->gfp_print; g->name && n < 64; g++)
			masks[n++] = g->value;
		for (const struct gfp_name *g = kp->gfp_names; g->name && n < 128; g++)
			masks[n++] = g->value;
		size_t named = n;
		for (unsigned b = 0; b < 32 && n < 256; b++)
			if (kp->gfp_bits_mask & (1u << b))
				masks[n++] = 1u << b;
		for (size_t i = 0; i < n; i++)
			for (unsigned b = 0; b <= 32; b++) {
				gfp_t g = masks[i] | (b < 32 && i < named ? (1u << b) & kp->gfp_bits_mask : 0);
				char buf[512];
				gfp_format(kp, g, buf, sizeof buf);
				if (!buf[0])
					continue;       /* 6.13's %pGg prints nothing for 0 */
				gfp_t back = 0;
				size_t off = 0;
				if (gfp_parse(kp, buf, &back, &off))
					fail_msg("%s: '%s' (%#x) does not parse back (at %zu)", kp->version, buf, g, off);
				if (back != g)
					fail_msg("%s: '%s' parses to %#x, printed from %#x", kp->version, buf, back, g);
			}
	}
}

/* a name of the other kernel gets a sentence, never the opposite flag */
static void other_kernels_names__get_a_hint_and_no_opposite(void **state)
{
	(void)state;
	const struct kernel_profile *k13 = kernel_find("6.13"), *k32 = kernel_find("2.6.32");
	assert_non_null(strstr(gfp_other_kernel_hint(k13, "GFP_WAIT"), "__GFP_DIRECT_RECLAIM"));
	assert_non_null(strstr(gfp_other_kernel_hint(k13, "__GFP_WAIT"), "__GFP_DIRECT_RECLAIM"));
	assert_non_null(strstr(gfp_other_kernel_hint(k32, "__GFP_DIRECT_RECLAIM"), "__GFP_WAIT"));
	assert_null(gfp_other_kernel_hint(k32, "GFP_WAIT"));   /* 2.6.32 reads its own trace name */
	assert_null(gfp_other_kernel_hint(k13, "GFP_KERNEL"));
	assert_true(gfp_names_opposite("GFP_WAIT", "GFP_NOWAIT"));
	assert_true(gfp_names_opposite("GFP_NOFS", "__GFP_FS"));
	assert_false(gfp_names_opposite("GFP_NOFS", "GFP_NOIO"));
	assert_false(gfp_names_opposite("GFP_KERNEL", "GFP_KERNEL"));
	/* 2.6.32 accepts what it prints */
	assert_int_equal(parse(k32, "GFP_WAIT|GFP_ZERO"), 0x8010);
	assert_int_equal(parse(k32, "GFP_HIGH"), 0x20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v6_13__composite_values_match_gfp_types_h),
		cmocka_unit_test(v6_13__printing_follows_the_kernel_name_table),
		cmocka_unit_test(v6_1__values_match_its_gfp_types_h),
		cmocka_unit_test(v6_1__profile_row_differs_from_6_13_where_the_kernel_does),
		cmocka_unit_test(v2_6_32__values_and_trace_names),
		cmocka_unit_test(profile_bits__are_the_name_tables_bits),
		cmocka_unit_test(bad_names_and_bits__are_rejected_with_the_offset),
		cmocka_unit_test(gfp_zone__follows_the_zone_table),
		cmocka_unit_test(zone_modifiers__are_the_low_four_bits_in_every_version),
		cmocka_unit_test(every_printed_mask__parses_back_to_itself),
		cmocka_unit_test(other_kernels_names__get_a_hint_and_no_opposite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
