/*
 * test_report_lines.c - the FILE:LINE of every kernel report whose line
 * was checked against a source, one table row per report site.
 *
 * Each row drives the model into the report (a sleeping call in atomic
 * context, a BUG_ON(in_interrupt()), a bad vfree()...) and looks for the
 * report's exact dmesg line.  The numbers are written here from the
 * sources named in each row, not from kmemsh's output:
 *   [sm]   Debian linux-source-6.12 (6.12.118) include/linux/sched/mm.h:321
 *          might_sleep_if() in might_alloc(); a 6.14.0-rc6 kernel test
 *          robot report prints "invalid context at
 *          include/linux/sched/mm.h:321".  might_alloc() is an inline in
 *          that header, so __FILE__/__LINE__ name it for both the slab
 *          (slab_pre_alloc_hook(): "might_alloc include/linux/sched/mm.h:318
 *          [inline]" in a 6.13/6.14 lockdep trace, 318 being its
 *          fs_reclaim_acquire()) and the page allocator
 *          (prepare_alloc_pages()).
 *   [r1]   syzbot, 6.13.0-rc1-syzkaller-00005-gceb8bf2ceaa7:
 *          "__get_vm_area_node+0x101/0x2f0 mm/vmalloc.c:3127" (its
 *          kzalloc_node(); the BUG_ON(in_interrupt()) is nine lines above
 *          in the function as 6.12.118 has it: 3186 - 3177).
 *   [r2]   syzbot, 6.12.0-syzkaller-09073-g9f16d5e6f220 (6.13 merge
 *          window): "BUG: sleeping function called from invalid context at
 *          mm/vmalloc.c:3359", vfree+0x75; the 6.13-rc2-based "vmalloc: fix
 *          accounting with i915" (a2e740e216f5) has vfree()'s page loop at
 *          3374, 15 lines below, as in 6.12.118 (3434 - 3419).
 *   [r3]   6.14.0-rc6-next-20250311: "WARNING: ... at mm/vmalloc.c:3231
 *          remove_vm_area" - 128 lines above vfree()'s might_sleep() as in
 *          6.12.118 (3419 - 3291); remove_vm_area()'s might_sleep() two
 *          lines above it.
 *   [r4]   6.14.0-rc4: "WARNING: ... at mm/vmalloc.c:3413 vunmap" - 54
 *          lines below vfree()'s might_sleep() as in 6.12.118 (3473 -
 *          3419); vfree()'s WARN +7, vunmap()'s BUG_ON() +47 and
 *          might_sleep() +48, vmap()'s might_sleep() +84 (6.12.118: 3426,
 *          3466, 3467, 3503).
 *   [r5]   6.12.28 setup_vmalloc_vm() body at 1940 (hunk of the 6.12.29
 *          backport "mm: vmalloc: support more granular vrealloc()
 *          sizing"), alloc_vmap_area()'s might_sleep() 32 lines below; a
 *          6.13-cycle syzbot report (upstream 2d8308bf) prints
 *          purge_vmap_node() and drain_vmap_area_work() at 6.12.28's 2213
 *          and 2338, so nothing moved in between.
 *   [r6]   syzbot, 6.13.0-rc2-syzkaller-00159-gf932fb9b4074: "WARNING:
 *          ... at mm/page_alloc.c:4727 __alloc_pages_noprof".
 *   [r7]   6.12.118 arch/x86/mm/ioremap.c: WARN_ON_ONCE(1) at 207,
 *          WARN_ONCE(1, "ioremap on RAM ...") at 217; a 6.12-rc report
 *          prints "at arch/x86/mm/ioremap.c:217 __ioremap_caller".
 *   [r8]   6.12.0-rc4 and 6.16.0 reports: "WARNING: ... at
 *          mm/highmem.c:622 kunmap_local_indexed".
 *   [h1]   mm/highmem.c of the index's Kingxukai/linux, blob of commit
 *          0291023e7330da28f2f7453c87c2ab7082d8360f (a 6.17-rc3 tree):
 *          kunmap_high() BUG_ON(!vaddr) 370, "case 0: BUG();" 380,
 *          kmap_local_idx_push() BUG_ON(idx >= KM_MAX_IDX) 479, and
 *          kunmap_local_indexed()'s WARN at 622 as in [r8], so nothing
 *          above it moved between 6.12-rc4 and 6.17.
 *   [m1]   kernel/mutex.c of the index's project-magpie/linux-sh4-2.6.32.y,
 *          blob of commit 0c0a8cbd01fed13220de5f3f0b7356842c4cadc6:
 *          mutex_lock()'s might_sleep() at 98 below STLinux's five-line
 *          #ifdef CONFIG_KPTRACE_SYNC in place of mainline's one-line
 *          "void __sched mutex_lock(struct mutex *lock)": 94; a 2.6.35.6
 *          report prints "invalid context at kernel/mutex.c:94" too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/gfp.h"
#include "kmemsh/highmem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "fixture.h"

static uint64_t vmalloc_page(struct machine *m)
{
	uint64_t a;
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	return a;
}

static uint64_t vmap_one(struct machine *m)
{
	uint64_t pfn, v;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
	return v;
}

/* ---- the scenarios: each leads the model into one report --------------------------------------- */

static void kmalloc_under_spin_lock(struct machine *m)
{
	uint64_t a;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(slab_kmalloc(m, 64, gfp(m, "GFP_KERNEL"), &a), 0);
}

static void alloc_pages_under_spin_lock(struct machine *m)
{
	uint64_t pfn;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
}

static void vmalloc_atomic_under_spin_lock(struct machine *m)
{
	uint64_t a;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(vmalloc_node_range(m, 4096, 4096, m->layout.vmalloc_start, m->layout.vmalloc_end,
					    gfp(m, "GFP_ATOMIC"), 0, 0, "t+0x0/0x0", &a), 0);
}

static void vmalloc_in_irq(struct machine *m)
{
	uint64_t a;
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), -EPERM);
}

static void vfree_under_spin_lock(struct machine *m)
{
	uint64_t a = vmalloc_page(m);
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(vfree_area(m, a), 0);
}

static void iounmap_under_spin_lock(struct machine *m)
{
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0xfebc0000, 0x1000, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
}

static void vunmap_in_irq(struct machine *m)
{
	uint64_t v = vmap_one(m);
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vunmap_area(m, v), -EPERM);
}

static void vunmap_under_spin_lock(struct machine *m)
{
	uint64_t v = vmap_one(m);
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(vunmap_area(m, v), 0);
}

static void vmap_under_spin_lock(struct machine *m)
{
	uint64_t pfn, v;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
}

static void vfree_unaligned(struct machine *m)
{
	uint64_t a = vmalloc_page(m);
	assert_int_equal(vfree_area(m, a + 8), -EINVAL);
}

static void vfree_nonexistent(struct machine *m)
{
	assert_int_equal(vfree_area(m, m->layout.vmalloc_start + (64ull << 20)), -EINVAL);
}

static void vunmap_nonexistent(struct machine *m)
{
	assert_int_equal(vunmap_area(m, m->layout.vmalloc_start + (64ull << 20)), -EINVAL);
}

static void alloc_pages_above_max_order(struct machine *m)
{
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 11, &pfn), -EINVAL);
}

static void ioremap_of_ram(struct machine *m)
{
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x2000, PCM_UC_MINUS, &va, NULL), -EFAULT);
}

static void ioremap_beyond_phys_bits(struct machine *m)
{
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 1ull << 52, 0x1000, PCM_UC_MINUS, &va, NULL), -EINVAL);
}

static void kunmap_local_out_of_order(struct machine *m)
{
	struct kmap_result a, b, u;
	assert_int_equal(highmem_kmap_atomic(m, m->max_low_pfn + 1, KM_NO_TYPE, true, &a), 0);
	assert_int_equal(highmem_kmap_atomic(m, m->max_low_pfn + 2, KM_NO_TYPE, true, &b), 0);
	assert_int_equal(highmem_kunmap_atomic(m, a.addr, KM_NO_TYPE, true, &u), 0);
}

static void kunmap_never_mapped(struct machine *m)
{
	struct kmap_result r;
	assert_int_equal(highmem_kunmap(m, m->max_low_pfn + 3, &r), -EINVAL);
}

static void kunmap_once_too_often(struct machine *m)
{
	struct kmap_result r;
	assert_int_equal(highmem_kmap(m, m->max_low_pfn + 2, &r), 0);
	assert_int_equal(highmem_kunmap(m, m->max_low_pfn + 2, &r), 0);
	assert_int_equal(highmem_kunmap(m, m->max_low_pfn + 2, &r), -EINVAL);
}

static void kmap_local_sixteen_times(struct machine *m)
{
	struct kmap_result r;
	for (unsigned i = 0; i < 15; i++)
		assert_int_equal(highmem_kmap_atomic(m, m->max_low_pfn + 1 + i, KM_NO_TYPE, true, &r), 0);
	assert_int_equal(highmem_kmap_atomic(m, m->max_low_pfn + 20, KM_NO_TYPE, true, &r), -ENOSPC);
}

static void mutex_lock_under_spin_lock(struct machine *m)
{
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(context_mutex_lock(m, "mx"), 0);
}

/* ---- the table ----------------------------------------------------------------------------------- */

struct site {
	const char *kernel, *arch;
	void (*run)(struct machine *m);
	const char *line;       /* the report's dmesg line, exactly (after the timestamp) */
	const char *source;     /* the tag in the comment above */
};

#define SLEEP "BUG: sleeping function called from invalid context at "

static const struct site sites[] = {
	{ "6.13", "x86_64", kmalloc_under_spin_lock, SLEEP "include/linux/sched/mm.h:321", "sm" },
	{ "6.13", "x86_64", alloc_pages_under_spin_lock, SLEEP "include/linux/sched/mm.h:321", "sm" },
	{ "6.13", "x86_64", vmalloc_atomic_under_spin_lock, SLEEP "mm/vmalloc.c:1972", "r5" },
	{ "6.13", "x86_64", vmalloc_in_irq, "kernel BUG at mm/vmalloc.c:3118!", "r1" },
	{ "6.13", "x86_64", iounmap_under_spin_lock, SLEEP "mm/vmalloc.c:3229", "r3" },
	{ "6.13", "x86_64", vfree_unaligned, "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c:3231 remove_vm_area+0x0/0x0",
	  "r3" },
	{ "6.13", "x86_64", vfree_under_spin_lock, SLEEP "mm/vmalloc.c:3359", "r2" },
	{ "6.13", "x86_64", vfree_nonexistent, "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c:3366 vfree+0x0/0x0", "r4" },
	{ "6.13", "x86_64", vunmap_in_irq, "kernel BUG at mm/vmalloc.c:3406!", "r4" },
	{ "6.13", "x86_64", vunmap_under_spin_lock, SLEEP "mm/vmalloc.c:3407", "r4" },
	{ "6.13", "x86_64", vunmap_nonexistent, "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c:3413 vunmap+0x0/0x0", "r4" },
	{ "6.13", "x86_64", vmap_under_spin_lock, SLEEP "mm/vmalloc.c:3443", "r4" },
	{ "6.13", "x86_64", alloc_pages_above_max_order,
	  "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4727 __alloc_pages_noprof", "r6" },
	{ "6.13", "x86_64", ioremap_beyond_phys_bits,
	  "WARNING: CPU: 0 PID: 1 at arch/x86/mm/ioremap.c:207 __ioremap_caller+0x0/0x0", "r7" },
	{ "6.13", "x86_64", ioremap_of_ram,
	  "WARNING: CPU: 0 PID: 1 at arch/x86/mm/ioremap.c:217 __ioremap_caller+0x0/0x0", "r7" },
	{ "6.13", "i386", kunmap_local_out_of_order,
	  "WARNING: CPU: 0 PID: 1 at mm/highmem.c:622 kunmap_local_indexed+0x0/0x0", "r8" },
	{ "6.13", "i386", kunmap_never_mapped, "kernel BUG at mm/highmem.c:370!", "h1" },
	{ "6.13", "i386", kunmap_once_too_often, "kernel BUG at mm/highmem.c:380!", "h1" },
	{ "6.13", "i386", kmap_local_sixteen_times, "kernel BUG at mm/highmem.c:479!", "h1" },
	{ "2.6.32", "i386", mutex_lock_under_spin_lock, SLEEP "kernel/mutex.c:94", "m1" },
};

static bool dmesg_has_line_from(const struct machine *m, size_t from, const char *line)
{
	for (size_t i = from; i < m->dmesg.n; i++)
		if (!strcmp(dmesg_text(m, i), line))
			return true;
	return false;
}

static void every_checked_report_site__prints_the_line_of_its_source(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
		const struct site *s = &sites[i];
		struct machine_config cfg = { .kernel = s->kernel, .arch = s->arch };
		struct machine *m;
		char err[256];
		if (machine_create(&cfg, &m, err, sizeof err))
			fail_msg("machine_create: %s", err);
		m->clock_us = 5000000;          /* as test_context.c: a clock past boot */
		size_t from = m->dmesg.n;
		s->run(m);
		if (!dmesg_has_line_from(m, from, s->line)) {
			for (size_t j = from; j < m->dmesg.n; j++)
				print_message("  dmesg: %s\n", dmesg_text(m, j));
			fail_msg("row %zu (%s %s, source [%s]): no dmesg line \"%s\"", i, s->kernel, s->arch, s->source,
				 s->line);
		}
		machine_destroy(m);
	}
}

/* 2.6.32 __vunmap()'s WARN line is not known: the report names the file
 * without a line rather than a guessed one */
static void a_site_whose_line_is_not_known__names_the_file_alone(void **state)
{
	(void)state;
	struct machine_config cfg = { .kernel = "2.6.32", .arch = "i386" };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	size_t from = m->dmesg.n;
	assert_int_equal(vfree_area(m, m->layout.vmalloc_start + (16ull << 20)), -EINVAL);
	assert_true(dmesg_has_line_from(m, from, "WARNING: at mm/vmalloc.c __vunmap+0x0/0x0()"));
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_checked_report_site__prints_the_line_of_its_source),
		cmocka_unit_test(a_site_whose_line_is_not_known__names_the_file_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
