/*
 * test_ioremap_huge.c - ioremap's huge pmd/pud leaves on the 6.x profiles
 * (mm/vmalloc.c vmap_range_noflush(), vmap_try_huge_pmd/pud(); x86's
 * pmd_set_huge()/pud_set_huge(), pmd_free_pte_page()/pud_free_pmd_page(),
 * pmd_clear_huge() in arch/x86/mm/pgtable.c) and their absence on
 * non-PAE i386, on 2.6.32 and with nohugeiomap.
 *
 * The expected entries are worked by hand from
 * arch/x86/include/asm/pgtable_types.h: __PAGE_KERNEL_IO is P (bit 0) RW
 * (1) A (5) D (6) G (8) NX (63) = 0x8000000000000163; UC- adds PCD (4)
 * 0x10, WC PWT (3) 0x8, WT PAT|PCD|PWT.  A 2M/1G leaf adds PSE (7) 0x80
 * and carries PAT in bit 12 (_PAGE_PAT_LARGE), not in bit 7.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/vmalloc.h"
#include "fixture.h"

#define M2 (1ull << 21)
#define G1 (1ull << 30)

static struct machine *boot(const char *arch, const char *kernel, const char *cmdline)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = 1, .cmdline = cmdline };
	return boot_cfg(&cfg);
}

static int setup_64(void **state) { *state = boot("x86_64", "6.13", NULL); return 0; }
static int setup_pae(void **state) { *state = boot("i386-pae", "6.13", NULL); return 0; }
static int teardown(void **state) { machine_destroy(*state); return 0; }

static unsigned count(const struct machine *m, enum change_kind k, int depth)
{
	unsigned n = 0;
	for (size_t i = 0; i < m->log.n; i++)
		n += m->log.v[i].kind == k && (depth < 0 || m->log.v[i].order == depth);
	return n;
}

/* the leaf mapping va: its entry and size */
static uint64_t leaf(const struct machine *m, uint64_t va, uint64_t *size)
{
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	*size = w.page_size;
	return w.step[w.nsteps - 1].entry;
}

static void check_ok(struct machine *m)
{
	if (machine_check(m))
		fail_msg("check: %s", m->err);
}

static void x86_64__aligned_4M_uc_minus__two_pmd_leaves_and_no_pte_table(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	const struct ioremap_area *a;
	assert_int_equal(ioremap_max_page_shift(m), 63);        /* BITS_PER_LONG - 1 */
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0xf0000000, 2 * M2, PCM_UC_MINUS, &va, &a), 0);
	assert_int_equal(va & (2 * M2 - 1), 0);                  /* the VM_IOREMAP alignment: 4M */
	/* 0x163 | PCD 0x10 | PSE 0x80 = 0x1f3 */
	assert_int_equal(leaf(m, va, &sz), 0x80000000f00001f3ull);
	assert_int_equal(sz, M2);
	assert_int_equal(leaf(m, va + M2 + 0x1234, &sz), 0x80000000f02001f3ull);
	assert_int_equal(count(m, CH_PTE_SET, 3), 0);            /* no pte written */
	assert_int_equal(count(m, CH_PT_ALLOC, 3), 0);           /* no pte table taken */
	assert_int_equal(count(m, CH_PTE_SET, 2), 2);
	check_ok(m);
	changelog_reset(m);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	assert_int_equal(count(m, CH_PTE_CLEAR, 2), 2);          /* pmd_clear_huge() twice */
	assert_int_equal(count(m, CH_PTE_CLEAR, 3), 0);
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	assert_int_not_equal(w.end, WALK_MAPPED);
	check_ok(m);
}

static void x86_64__wt_and_wc__cache_bits_move_to_the_large_pat_position(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	assert_int_equal(ioremap_caller(m, 0xf0000000, M2, PCM_WT, &va, NULL), 0);
	/* 0x163 | PCD | PWT | PSE = 0x1fb, PAT in bit 12: 0x11fb */
	assert_int_equal(leaf(m, va, &sz), 0x80000000f00011fbull);
	assert_int_equal(ioremap_caller(m, 0xf0200000, M2, PCM_WC, &va, NULL), 0);
	/* 0x163 | PWT | PSE = 0x1eb */
	assert_int_equal(leaf(m, va, &sz), 0x80000000f02001ebull);
	check_ok(m);
}

static void x86_64__misaligned_phys__falls_back_to_512_ptes(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0xf0100000, M2, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(va & (M2 - 1), 0);                      /* the va is aligned, the phys is not */
	assert_int_equal(leaf(m, va, &sz), 0x80000000f0100173ull);
	assert_int_equal(sz, 4096);
	assert_int_equal(count(m, CH_PTE_SET, 3), 512);
	assert_int_equal(count(m, CH_PT_ALLOC, 3), 1);
	check_ok(m);
}

static void x86_64__2M_plus_a_page__one_pmd_leaf_then_one_pte(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0xf0000000, M2 + 4096, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(va & (2 * M2 - 1), 0);                  /* get_count_order(2M + 4K) = 22 */
	assert_int_equal(leaf(m, va, &sz), 0x80000000f00001f3ull);
	assert_int_equal(sz, M2);
	assert_int_equal(leaf(m, va + M2, &sz), 0x80000000f0200173ull);
	assert_int_equal(sz, 4096);
	assert_int_equal(count(m, CH_PTE_SET, 3), 1);
	check_ok(m);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	check_ok(m);
}

/* pmd_free_pte_page() (x86_64): a pte table an earlier mapping left under
 * the pmd is freed before the leaf is written */
static void x86_64__pte_table_left_by_an_earlier_mapping__is_freed(void **state)
{
	struct machine *m = *state;
	uint64_t va, va2, sz;
	/* 1 MiB + 4 KiB: 2 MiB-aligned (get_count_order() = 21) but mapped by
	 * ptes.  The first 2 MiB of the vmalloc space keep the boot's areas
	 * (IRQ stack, HPET) and their pte table, so it goes at the next 2 MiB,
	 * in a pte table of its own */
	assert_int_equal(ioremap_caller(m, 0xf0000000, M2 / 2 + 4096, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(va, m->layout.vmalloc_start + M2);
	uint64_t e = pgtable_entry_at(m, va, 2);
	uint64_t pte_pfn = (e & 0x000ffffffffff000ull) >> 12;
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	assert_true(vmap_purge_lazy(m) >= 1);
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0xf0200000, M2, PCM_UC_MINUS, &va2, NULL), 0);
	assert_int_equal(va2, va);                               /* the same, lowest, range */
	assert_int_equal(count(m, CH_PT_FREE, 3), 1);
	assert_int_equal(count(m, CH_TLB_FLUSH, -1), 1);         /* flush_tlb_kernel_range(addr, addr + 4095) */
	assert_int_equal(leaf(m, va2, &sz), 0x80000000f02001f3ull);
	struct page_info pi;
	buddy_page_info(m, pte_pfn, &pi);
	assert_int_not_equal(pi.state, PS_ALLOCATED);            /* back on a free or pcp list */
	assert_null(pgtable_table(m, pte_pfn));
	check_ok(m);
}

/* 1G aligned on both sides, 1G long: one pud leaf (GBPAGES) */
static void x86_64__aligned_1G__one_pud_leaf(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0x8000000000ull, G1, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(va & (G1 - 1), 0);                      /* IOREMAP_MAX_ORDER = PUD_SHIFT */
	assert_int_equal(leaf(m, va + 0x12345678, &sz), 0x80000080000001f3ull);
	assert_int_equal(sz, G1);
	assert_int_equal(count(m, CH_PTE_SET, 2), 0);
	check_ok(m);
	changelog_reset(m);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	assert_int_equal(count(m, CH_PTE_CLEAR, 1), 1);          /* pud_clear_huge() */
	check_ok(m);
}

/* pud_free_pmd_page(): a pmd table with a pte table below it, both freed;
 * the pmd table leaves NR_PAGETABLE (pagetable_pmd_dtor()) */
static void x86_64__pud_free_pmd_page__frees_the_pmd_and_pte_tables(void **state)
{
	struct machine *m = *state;
	uint64_t va = m->layout.vmalloc_start + 7 * G1;        /* free vmalloc space, 1G aligned */
	assert_int_equal(va & (G1 - 1), 0);
	assert_int_equal(pgtable_pte_alloc_kernel(m, va + 5 * M2), 0);
	uint64_t counted = m->pt->nr_counted;
	changelog_reset(m);
	assert_int_equal(ioremap_page_range(m, va, va + G1, 0x8000000000ull, 0x8000000000000173ull), 0);
	assert_int_equal(count(m, CH_PT_FREE, 2), 1);            /* the pmd table */
	assert_int_equal(count(m, CH_PT_FREE, 3), 1);            /* the pte table */
	assert_int_equal(count(m, CH_PTE_CLEAR, 2), 1);          /* the pmd entry that pointed to it */
	assert_int_equal(count(m, CH_PTE_CLEAR, 1), 1);          /* the pud entry */
	assert_int_equal(m->pt->nr_counted, counted - 1);
	uint64_t sz;
	assert_int_equal(leaf(m, va, &sz), 0x80000080000001f3ull);
	assert_int_equal(sz, G1);
	pgtable_vunmap_range(m, va, va + G1);
	assert_int_equal(pgtable_entry_at(m, va, 1), 0);
}

static void nohugeiomap__ptes_only(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", "quiet nohugeiomap");
	uint64_t va, sz;
	assert_int_equal(ioremap_max_page_shift(m), 12);
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0xf0000000, M2, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(leaf(m, va, &sz), 0x80000000f0000173ull);
	assert_int_equal(sz, 4096);
	assert_int_equal(count(m, CH_PTE_SET, 3), 512);
	/* a huge leaf where the profile allows none is found by check */
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	assert_int_equal(vmap_purge_lazy(m) >= 1, 1);
	assert_int_equal(ioremap_caller(m, 0xf0000000, M2, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(pgtable_pmd_free_pte_page(m, va, 2), 0);        /* its ptes are live */
	pgtable_vunmap_range(m, va, va + M2);
	assert_int_equal(pgtable_pmd_free_pte_page(m, va, 2), 1);
	assert_int_equal(pgtable_set_entry(m, va, 2, 0x80000000f00001f3ull), 0);
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "huge entry"));
	machine_destroy(m);
}

static void i386_and_2_6_32__no_huge_ioremap(void **state)
{
	(void)state;
	static const char *const p[][2] = { { "i386", "6.13" }, { "x86_64", "2.6.32" }, { "i386", "2.6.32" } };
	for (unsigned i = 0; i < 3; i++) {
		struct machine *m = boot(p[i][0], p[i][1], NULL);
		uint64_t va, sz;
		assert_int_equal(ioremap_max_page_shift(m), 12);
		assert_int_equal(ioremap_caller(m, 0xfe000000, 2 * M2, PCM_UC_MINUS, &va, NULL), 0);
		leaf(m, va, &sz);
		assert_int_equal(sz, 4096);
		check_ok(m);
		machine_destroy(m);
	}
}

static void pae__aligned_2M__pmd_leaf_with_nx(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	assert_int_equal(ioremap_max_page_shift(m), 31);
	assert_int_equal(ioremap_caller(m, 0xfe000000, M2, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(leaf(m, va, &sz), 0x80000000fe0001f3ull);
	assert_int_equal(sz, M2);
	check_ok(m);
}

/* x86-PAE's pmd_free_pte_page() returns pmd_none(): a pte table under the
 * pmd is kept and the range is mapped with ptes */
static void pae__pte_table_under_the_pmd__stays_and_ptes_are_written(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	assert_int_equal(ioremap_caller(m, 0xfe000000, M2, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	assert_true(vmap_purge_lazy(m) >= 1);
	/* a pte table under that pmd now */
	assert_int_equal(pgtable_pte_alloc_kernel(m, va), 0);
	changelog_reset(m);
	assert_int_equal(ioremap_page_range(m, va, va + M2, 0xfe000000, 0x8000000000000173ull), 0);
	assert_int_equal(count(m, CH_PT_FREE, -1), 0);
	assert_int_equal(count(m, CH_PTE_SET, 2), 512);          /* depth 2 is the pte level */
	assert_int_equal(leaf(m, va + 0x3000, &sz), 0x80000000fe003173ull);
	assert_int_equal(sz, 4096);
	pgtable_vunmap_range(m, va, va + M2);
}

/* a huge WT entry whose PAT bit (bit 12) was lost: check finds it */
static void check__finds_a_huge_entry_that_lost_its_large_pat_bit(void **state)
{
	struct machine *m = *state;
	uint64_t va, sz;
	assert_int_equal(ioremap_caller(m, 0xf0000000, M2, PCM_WT, &va, NULL), 0);
	check_ok(m);
	uint64_t e = leaf(m, va, &sz);
	assert_int_equal(pgtable_set_entry(m, va, 2, e & ~(1ull << 12)), 0);
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "does not map phys 0xf0000000 WT"));
}

/* Random ioremaps (aligned and not, 4K to 6M) and iounmaps with purges in
 * between: after every step the checker agrees (pte tables freed under
 * reused pmds, the table index rebuilt, leaves where the rules allow). */
static void churn(struct machine *m, unsigned steps, unsigned *huge, unsigned *freed)
{
	*huge = *freed = 0;
	static const uint64_t sizes[] = { 4096, 0x10000, M2, M2 + 4096, 2 * M2, 3 * M2 };
	uint64_t live[8] = { 0 }, seed = 12345;
	for (unsigned i = 0; i < steps; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		unsigned r = (unsigned)(seed >> 33), slot = r % 8;
		changelog_reset(m);
		if (live[slot]) {
			assert_int_equal(ioremap_iounmap(m, live[slot], NULL), 0);
			live[slot] = 0;
			if (r % 3 == 0)
				vmap_purge_lazy(m);
		} else {
			uint64_t phys = 0xe0000000ull + (uint64_t)(r % 64) * M2 + ((r >> 8) % 2 ? 0x100000 : 0);
			assert_int_equal(ioremap_caller(m, phys, sizes[(r >> 9) % 6], PCM_UC_MINUS, &live[slot], NULL),
					 0);
		}
		for (size_t k = 0; k < m->log.n; k++) {
			const struct change *c = &m->log.v[k];
			*huge += c->kind == CH_PTE_SET && c->order + 1u < m->pt->g.levels && (c->val & _PAGE_PSE);
			*freed += c->kind == CH_PT_FREE;
		}
		if (machine_check(m))
			fail_msg("step %u: %s", i, m->err);
	}
}

static void x86_64__churn__check_agrees_after_every_step(void **state)
{
	unsigned huge, freed;
	churn(*state, 300, &huge, &freed);
	assert_true(huge > 0);
	assert_true(freed > 0);                                  /* pmd_free_pte_page() ran */
}

static void pae__churn__check_agrees_after_every_step(void **state)
{
	unsigned huge, freed;
	churn(*state, 300, &huge, &freed);
	assert_true(huge > 0);
	assert_int_equal(freed, 0);                              /* x86-PAE never frees a table */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(x86_64__aligned_4M_uc_minus__two_pmd_leaves_and_no_pte_table,
						setup_64, teardown),
		cmocka_unit_test_setup_teardown(x86_64__wt_and_wc__cache_bits_move_to_the_large_pat_position,
						setup_64, teardown),
		cmocka_unit_test_setup_teardown(x86_64__misaligned_phys__falls_back_to_512_ptes, setup_64, teardown),
		cmocka_unit_test_setup_teardown(x86_64__2M_plus_a_page__one_pmd_leaf_then_one_pte, setup_64, teardown),
		cmocka_unit_test_setup_teardown(x86_64__pte_table_left_by_an_earlier_mapping__is_freed, setup_64,
						teardown),
		cmocka_unit_test_setup_teardown(x86_64__aligned_1G__one_pud_leaf, setup_64, teardown),
		cmocka_unit_test_setup_teardown(x86_64__pud_free_pmd_page__frees_the_pmd_and_pte_tables, setup_64,
						teardown),
		cmocka_unit_test(nohugeiomap__ptes_only),
		cmocka_unit_test(i386_and_2_6_32__no_huge_ioremap),
		cmocka_unit_test_setup_teardown(pae__aligned_2M__pmd_leaf_with_nx, setup_pae, teardown),
		cmocka_unit_test_setup_teardown(pae__pte_table_under_the_pmd__stays_and_ptes_are_written, setup_pae,
						teardown),
		cmocka_unit_test_setup_teardown(check__finds_a_huge_entry_that_lost_its_large_pat_bit, setup_64,
						teardown),
		cmocka_unit_test_setup_teardown(x86_64__churn__check_agrees_after_every_step, setup_64, teardown),
		cmocka_unit_test_setup_teardown(pae__churn__check_agrees_after_every_step, setup_pae, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
