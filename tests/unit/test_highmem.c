/*
 * test_highmem.c - kmap's PKMAP slots (pkmap_count semantics, the
 * last_pkmap_nr scan, flush_all_zero_pkmaps() on wrap, the "would sleep"
 * refusal, set_page_address), 2.6.32's km_type slots and 6.13's
 * kmap_local stack with its out-of-order WARN, and the lowmem and x86_64
 * cases where kmap is page_address().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kmemsh/highmem.h"
#include "kmemsh/layout.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "fixture.h"

static struct machine *boot(const char *arch, const char *kernel)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .mem_bytes = 1ull << 30 };
	return boot_cfg(&cfg);
}

static int setup_old(void **state)
{
	*state = boot("i386", "2.6.32");
	return 0;
}

static int setup_new(void **state)
{
	*state = boot("i386", "6.13");
	return 0;
}

static int setup_x86_64(void **state)
{
	*state = boot("x86_64", NULL);
	return 0;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

static uint64_t mapped_pfn(const struct machine *m, uint64_t va)
{
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	return w.end == WALK_MAPPED ? w.phys >> 12 : UINT64_MAX;
}

static uint64_t high(const struct machine *m, unsigned i)
{
	return m->max_low_pfn + i;
}

static void kmap__highmem_page__takes_the_next_slot_with_count_2_and_writes_its_pte(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	uint64_t pfn = high(m, 5);
	assert_int_equal(highmem_page_address(m, pfn), 0);
	assert_int_equal(highmem_kmap(m, pfn, &r), 0);
	assert_true(r.highmem);
	assert_int_equal(r.nr, 1);              /* last_pkmap_nr starts at 0: the scan begins at 1 */
	assert_int_equal(r.count, 2);
	assert_int_equal(r.addr, m->layout.pkmap_base + 4096);
	assert_int_equal(mapped_pfn(m, r.addr), pfn);
	assert_int_equal(highmem_page_address(m, pfn), r.addr);
}

static void kmap__page_already_mapped__raises_its_count_in_the_same_slot(void **state)
{
	struct machine *m = *state;
	struct kmap_result a, b;
	assert_int_equal(highmem_kmap(m, high(m, 1), &a), 0);
	assert_int_equal(highmem_kmap(m, high(m, 1), &b), 0);
	assert_true(b.reused);
	assert_int_equal(b.nr, a.nr);
	assert_int_equal(b.count, 3);
}

static void kunmap__last_user__leaves_count_1_with_the_pte_then_a_second_kunmap_bugs(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	uint64_t pfn = high(m, 2);
	assert_int_equal(highmem_kmap(m, pfn, &r), 0);
	uint64_t va = r.addr;
	assert_int_equal(highmem_kunmap(m, pfn, &r), 0);
	assert_int_equal(r.count, 1);
	assert_int_equal(mapped_pfn(m, va), pfn);
	assert_int_equal(highmem_page_address(m, pfn), va);
	assert_int_equal(highmem_kunmap(m, pfn, &r), -EINVAL);
	assert_true(dmesg_has(m, "kernel BUG at mm/highmem.c:"));
}

static void kunmap__page_never_mapped__bugs(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	assert_int_equal(highmem_kunmap(m, high(m, 3), &r), -EINVAL);
	assert_true(dmesg_has(m, "kernel BUG at mm/highmem.c:"));
}

static void kmap__scan_wraps__flush_all_zero_pkmaps_clears_count_1_slots_and_flushes_once(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	unsigned last = m->layout.last_pkmap;
	/* slots 1 .. last-1, then release them all to count 1 */
	for (unsigned i = 1; i < last; i++) {
		assert_int_equal(highmem_kmap(m, high(m, i), &r), 0);
		assert_int_equal(r.nr, i);
		assert_false(r.flushed);
	}
	for (unsigned i = 1; i < last; i++)
		assert_int_equal(highmem_kunmap(m, high(m, i), &r), 0);
	/* keep one user on slot 7: it must survive the flush */
	assert_int_equal(highmem_kmap(m, high(m, 7), &r), 0);
	uint64_t flushes = m->pt->tlb_flushes;
	changelog_reset(m);
	assert_int_equal(highmem_kmap(m, high(m, 5000), &r), 0);
	assert_true(r.flushed);
	assert_int_equal(r.nr, 0);
	assert_int_equal(m->pt->tlb_flushes, flushes + 1);
	size_t flush_events = 0, clears = 0;
	for (size_t i = 0; i < m->log.n; i++) {
		if (m->log.v[i].kind == CH_TLB_FLUSH) {
			flush_events++;
			assert_int_equal(m->log.v[i].addr, m->layout.pkmap_base);
			assert_int_equal(m->log.v[i].val, m->layout.pkmap_base + (uint64_t)last * 4096);
		}
		clears += m->log.v[i].kind == CH_PTE_CLEAR;
	}
	assert_int_equal(flush_events, 1);
	assert_int_equal(clears, last - 2);     /* all but slot 7 */
	assert_int_equal(mapped_pfn(m, m->layout.pkmap_base + 7 * 4096), high(m, 7));
	assert_int_equal(mapped_pfn(m, m->layout.pkmap_base + 8 * 4096), UINT64_MAX);
	assert_int_equal(highmem_page_address(m, high(m, 8)), 0);
}

static void kmap__every_slot_busy__refuses_where_the_kernel_would_sleep(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	unsigned last = m->layout.last_pkmap;
	for (unsigned i = 0; i < last; i++)
		assert_int_equal(highmem_kmap(m, high(m, i + 1), &r), 0);
	assert_int_equal(highmem_kmap(m, high(m, last + 1), &r), -EAGAIN);
	assert_non_null(strstr(m->err, "would sleep"));
	/* a page already mapped still works: kmap_high() finds its address */
	assert_int_equal(highmem_kmap(m, high(m, 1), &r), 0);
	assert_int_equal(r.count, 3);
}

static void kmap__lowmem_page__is_page_address_and_writes_nothing(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	changelog_reset(m);
	assert_int_equal(highmem_kmap(m, 0x1000, &r), 0);
	assert_false(r.highmem);
	assert_int_equal(r.addr, machine_pfn_to_vaddr(m, 0x1000));
	assert_int_equal(m->log.n, 0);
}

static void kmap__x86_64__is_page_address(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	uint64_t pfn = m->max_pfn - 1;
	assert_int_equal(highmem_kmap(m, pfn, &r), 0);
	assert_false(r.highmem);
	assert_int_equal(r.addr, machine_pfn_to_vaddr(m, pfn));
	assert_int_equal(highmem_kmap_atomic(m, pfn, KM_NO_TYPE, true, &r), 0);
	assert_int_equal(r.addr, machine_pfn_to_vaddr(m, pfn));
}

static void kmap_atomic_2_6_32__km_type_slot__is_fix_kmap_begin_plus_type_and_disables_preemption(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	int user0 = highmem_km_type("KM_USER0");
	assert_int_equal(user0, 3);
	assert_int_equal(highmem_km_type("KM_NMI_PTE"), 18);
	assert_int_equal(highmem_kmap_atomic(m, high(m, 1), user0, false, &r), 0);
	assert_int_equal(r.addr, layout_fix_to_virt(&m->layout, m->layout.fix_kmap_begin + 3));
	assert_int_equal(mapped_pfn(m, r.addr), high(m, 1));
	assert_int_equal(m->ctx.preempt_count, 1);
	/* the same slot again: BUG_ON(!pte_none(...)) */
	struct kmap_result r2;
	assert_int_equal(highmem_kmap_atomic(m, high(m, 2), user0, false, &r2), -EBUSY);
	assert_true(dmesg_has(m, "kernel BUG at arch/x86/mm/highmem_32.c:"));
	assert_int_equal(highmem_kunmap_atomic(m, r.addr, KM_NO_TYPE, false, &r2), 0);
	assert_int_equal(mapped_pfn(m, r.addr), UINT64_MAX);
	assert_int_equal(m->ctx.preempt_count, 1);   /* the failed call's preempt_disable stays, as after a BUG */
}

static void kmap_local_6_13__stack_order__pushes_and_pops_slots(void **state)
{
	struct machine *m = *state;
	struct kmap_result a, b, u;
	assert_int_equal(highmem_kmap_atomic(m, high(m, 1), KM_NO_TYPE, true, &a), 0);
	assert_int_equal(highmem_kmap_atomic(m, high(m, 2), KM_NO_TYPE, true, &b), 0);
	assert_int_equal(a.addr, layout_fix_to_virt(&m->layout, m->layout.fix_kmap_begin));
	assert_int_equal(b.addr, layout_fix_to_virt(&m->layout, m->layout.fix_kmap_begin + 1));
	assert_int_equal(m->ctx.preempt_count, 0);   /* kmap_local leaves preemption on */
	assert_int_equal(highmem_kunmap_atomic(m, b.addr, KM_NO_TYPE, true, &u), 0);
	assert_int_equal(highmem_kunmap_atomic(m, a.addr, KM_NO_TYPE, true, &u), 0);
	assert_false(dmesg_has(m, "WARNING"));
	assert_int_equal(m->hm->depth[0], 0);
}

static void kunmap_local_6_13__out_of_order__warns_once_and_clears_the_top_slot(void **state)
{
	struct machine *m = *state;
	struct kmap_result a, b, u;
	assert_int_equal(highmem_kmap_atomic(m, high(m, 1), KM_NO_TYPE, true, &a), 0);
	assert_int_equal(highmem_kmap_atomic(m, high(m, 2), KM_NO_TYPE, true, &b), 0);
	assert_int_equal(highmem_kunmap_atomic(m, a.addr, KM_NO_TYPE, true, &u), 0);
	assert_true(dmesg_has(m, "kunmap_local_indexed"));
	assert_int_equal(mapped_pfn(m, a.addr), high(m, 1));         /* still mapped */
	assert_int_equal(mapped_pfn(m, b.addr), UINT64_MAX);         /* the top was cleared */
	assert_int_equal(m->hm->depth[0], 1);
	assert_non_null(strstr(m->err, "out of order"));
}

static void kmap_atomic_6_13__raises_preempt_count_and_kunmap_atomic_lowers_it(void **state)
{
	struct machine *m = *state;
	struct kmap_result a, u;
	assert_int_equal(highmem_kmap_atomic(m, high(m, 1), KM_NO_TYPE, false, &a), 0);
	assert_int_equal(m->ctx.preempt_count, 1);
	assert_int_equal(highmem_kunmap_atomic(m, a.addr, KM_NO_TYPE, false, &u), 0);
	assert_int_equal(m->ctx.preempt_count, 0);
}

static void kmap_local_6_13__the_km_max_idx_th_push__bugs(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	/* kmap_local_idx_push(): idx += 1, then BUG_ON(idx >= KM_MAX_IDX = 16):
	 * pushes 1..15 pass, the 16th makes idx 16 and BUGs */
	for (unsigned i = 0; i < 15; i++)
		assert_int_equal(highmem_kmap_atomic(m, high(m, i + 1), KM_NO_TYPE, true, &r), 0);
	assert_false(dmesg_has(m, "kernel BUG"));
	assert_int_equal(highmem_kmap_atomic(m, high(m, 99), KM_NO_TYPE, true, &r), -ENOSPC);
	assert_true(dmesg_has(m, "kernel BUG at mm/highmem.c:"));
	assert_int_equal(m->hm->depth[0], 15);
}

static void kmap__in_atomic_context__reports_sleeping_function_then_maps(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	assert_int_equal(context_spin_lock(m, "lock", false), 0);
	assert_int_equal(highmem_kmap(m, high(m, 1), &r), 0);
	assert_true(r.slept_report);
	assert_true(dmesg_has(m, "BUG: sleeping function called from invalid context at arch/x86/mm/highmem_32.c:7"));
	assert_int_equal(mapped_pfn(m, r.addr), high(m, 1));
}

static void machine_check__kmaps_in_every_form__is_consistent_and_catches_a_stale_pte(void **state)
{
	struct machine *m = *state;
	struct kmap_result r;
	assert_int_equal(highmem_kmap(m, high(m, 1), &r), 0);
	assert_int_equal(highmem_kmap_atomic(m, high(m, 2), 3, false, &r), 0);
	assert_int_equal(machine_check(m), 0);
	/* a pkmap pte the bookkeeping does not know about */
	assert_int_equal(pgtable_set_pte(m, m->layout.pkmap_base + 9 * 4096, pgtable_mk_pte(m, high(m, 3), 0x163)), 0);
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "PKMAP slot 9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kmap__highmem_page__takes_the_next_slot_with_count_2_and_writes_its_pte,
						setup_old, teardown),
		cmocka_unit_test_setup_teardown(kmap__page_already_mapped__raises_its_count_in_the_same_slot, setup_old,
						teardown),
		cmocka_unit_test_setup_teardown(kunmap__last_user__leaves_count_1_with_the_pte_then_a_second_kunmap_bugs,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(kunmap__page_never_mapped__bugs, setup_old, teardown),
		cmocka_unit_test_setup_teardown(
			kmap__scan_wraps__flush_all_zero_pkmaps_clears_count_1_slots_and_flushes_once, setup_old, teardown),
		cmocka_unit_test_setup_teardown(kmap__every_slot_busy__refuses_where_the_kernel_would_sleep, setup_new,
						teardown),
		cmocka_unit_test_setup_teardown(kmap__lowmem_page__is_page_address_and_writes_nothing, setup_old, teardown),
		cmocka_unit_test_setup_teardown(kmap__x86_64__is_page_address, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(
			kmap_atomic_2_6_32__km_type_slot__is_fix_kmap_begin_plus_type_and_disables_preemption, setup_old,
			teardown),
		cmocka_unit_test_setup_teardown(kmap_local_6_13__stack_order__pushes_and_pops_slots, setup_new, teardown),
		cmocka_unit_test_setup_teardown(kunmap_local_6_13__out_of_order__warns_once_and_clears_the_top_slot,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(kmap_atomic_6_13__raises_preempt_count_and_kunmap_atomic_lowers_it,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(kmap_local_6_13__the_km_max_idx_th_push__bugs, setup_new, teardown),
		cmocka_unit_test_setup_teardown(kmap__in_atomic_context__reports_sleeping_function_then_maps, setup_old,
						teardown),
		cmocka_unit_test_setup_teardown(
			machine_check__kmaps_in_every_form__is_consistent_and_catches_a_stale_pte, setup_old, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
