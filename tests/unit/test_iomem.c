/*
 * test_iomem.c - device memory: the busy flags of the boot tree,
 * request_mem_region/release_mem_region's conflict rules and nesting
 * (kernel/resource.c __request_region), the devices' register files
 * behind mmio_read/mmio_write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kmemsh/iomem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "fixture.h"

static struct machine *boot(const char *arch, const char *kernel)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = 1 };
	return boot_cfg(&cfg);
}

static int setup_i386(void **state) { *state = boot("i386", NULL); return 0; }
static int setup_x86_64(void **state) { *state = boot("x86_64", NULL); return 0; }
static int teardown(void **state) { machine_destroy(*state); return 0; }

static const struct resource *find(const struct machine *m, uint64_t phys)
{
	return memmap_find_resource(&m->memmap, phys);
}

static void boot_tree__busy_as_the_kernel_inserts_it(void **state)
{
	struct machine *m = *state;
	assert_true(find(m, 0x100000)->flags & IORESOURCE_BUSY);              /* System RAM */
	assert_int_equal(find(m, 0x100000)->flags & IORESOURCE_SYSTEM_RAM, IORESOURCE_SYSTEM_RAM);
	assert_true(find(m, 0xfebc0000)->flags & IORESOURCE_BUSY);            /* e1000 */
	assert_false(find(m, 0xfebc0000)->parent->flags & IORESOURCE_BUSY);   /* its BAR */
	assert_false(find(m, 0xfd000000)->flags & IORESOURCE_BUSY);           /* 0000:00:02.0 */
	assert_true(find(m, 0xfee00000)->flags & IORESOURCE_BUSY);            /* Local APIC */
	assert_false(find(m, 0xfffc0000)->flags & IORESOURCE_BUSY);           /* Reserved above 1 MiB */
	assert_true(find(m, 0x9fc00)->flags & IORESOURCE_BUSY);               /* reserved below 1 MiB */
}

static void request__inside_a_bar_nests_under_it(void **state)
{
	struct machine *m = *state;
	const struct resource *r, *c;
	assert_int_equal(iomem_request_mem_region(m, 0xfd000000, 0x1000, "bochs-drm", &r, &c), 0);
	assert_non_null(r);
	assert_string_equal(r->parent->name, "0000:00:02.0");
	assert_string_equal(r->parent->parent->name, "PCI Bus 0000:00");
	assert_ptr_equal(find(m, 0xfd000010), r);
	/* a second one beside it */
	assert_int_equal(iomem_request_mem_region(m, 0xfd001000, 0x1000, "b", &r, &c), 0);
	assert_ptr_equal(r->parent, find(m, 0xfd000000)->parent);
}

static void request__busy_conflict_is_ebusy_and_names_it(void **state)
{
	struct machine *m = *state;
	const struct resource *r, *c;
	assert_int_equal(iomem_request_mem_region(m, 0xfebc1000, 0x100, "x", &r, &c), -EBUSY);
	assert_null(r);
	assert_string_equal(c->name, "e1000");
	assert_int_equal(iomem_request_mem_region(m, 0x2000000, 0x1000, "x", &r, &c), -EBUSY);
	assert_string_equal(c->name, "System RAM");
	/* twice the same region: the second conflicts with the first */
	assert_int_equal(iomem_request_mem_region(m, 0xfd000000, 0x100, "a", &r, &c), 0);
	assert_int_equal(iomem_request_mem_region(m, 0xfd000080, 0x100, "b", &r, &c), -EBUSY);
	assert_string_equal(c->name, "a");
}

static void request__past_the_end_of_a_window_conflicts_with_it(void **state)
{
	struct machine *m = *state;
	const struct resource *r, *c;
	/* starts in the BAR 0000:00:02.0 at febf0000-febf0fff and runs past its end */
	assert_int_equal(iomem_request_mem_region(m, 0xfebf0800, 0x1000, "x", &r, &c), -EBUSY);
	assert_string_equal(c->name, "0000:00:02.0");
	assert_int_equal(c->start, 0xfebf0000);
}

static void request__zero_or_wrapping_is_einval(void **state)
{
	struct machine *m = *state;
	const struct resource *r, *c;
	assert_int_equal(iomem_request_mem_region(m, 0xfd000000, 0, "x", &r, &c), -EINVAL);
	assert_int_equal(iomem_request_mem_region(m, ~0ull - 10, 0x100, "x", &r, &c), -EINVAL);
}

static void request__in_a_free_gap_goes_under_the_root(void **state)
{
	struct machine *m = *state;
	const struct resource *r, *c;
	assert_int_equal(iomem_request_mem_region(m, 0xfef00000, 0x1000, "gap", &r, &c), 0);
	assert_ptr_equal(r->parent, &m->memmap.root);
}

static void release__frees_and_a_second_release_warns(void **state)
{
	struct machine *m = *state;
	const struct resource *r, *c;
	assert_int_equal(iomem_request_mem_region(m, 0xfd000000, 0x1000, "a", &r, &c), 0);
	assert_int_equal(iomem_release_mem_region(m, 0xfd000000, 0x1000), 0);
	assert_string_equal(find(m, 0xfd000000)->name, "0000:00:02.0");
	size_t n = m->dmesg.n;
	assert_int_equal(iomem_release_mem_region(m, 0xfd000000, 0x1000), -ENOENT);
	assert_int_equal(m->dmesg.n, n + 1);
	/* x86_64 6.13: %pa of a 64-bit phys_addr_t */
	assert_string_equal(dmesg_text(m, n),
			    "resource: Trying to free nonexistent resource <0x00000000fd000000-0x00000000fd000fff>");
	/* a busy resource of the boot tree with a different range is not released */
	assert_int_equal(iomem_release_mem_region(m, 0xfebc0000, 0x1000), -ENOENT);
}

static void release__2_6_32_message(void **state)
{
	struct machine *m = *state;
	size_t n = m->dmesg.n;
	assert_int_equal(iomem_release_mem_region(m, 0xfd000000, 0x1000), -ENOENT);
	assert_string_equal(dmesg_text(m, n), "Trying to free nonexistent resource <00000000fd000000-00000000fd000fff>");
}

static uint64_t rd(struct machine *m, uint64_t phys, unsigned size)
{
	uint64_t v;
	assert_int_equal(mmio_read(m, phys, size, &v), 0);
	return v;
}

static void mmio__hpet_gcap_id_is_qemus_and_read_only(void **state)
{
	struct machine *m = *state;
	assert_int_equal(rd(m, 0xfed00000, 8), 0x009896808086a201ull);
	assert_int_equal(rd(m, 0xfed00000, 4), 0x8086a201);
	assert_int_equal(rd(m, 0xfed00004, 4), 0x00989680);          /* period: 10 ns in fs */
	assert_int_equal(mmio_write(m, 0xfed00000, 4, 0), 0);
	assert_int_equal(rd(m, 0xfed00000, 4), 0x8086a201);
	/* GEN_CONF: only ENABLE_CNF and LEG_RT_CNF are writable */
	mmio_write(m, 0xfed00010, 4, 0xffffffff);
	assert_int_equal(rd(m, 0xfed00010, 8), 3);
	assert_string_equal(iomem_reg_name(m, 0xfed00004), "GCAP_ID");
}

static void mmio__unknown_offsets_and_absent_devices_read_all_ones(void **state)
{
	struct machine *m = *state;
	assert_int_equal(rd(m, 0xfed00008, 4), 0xffffffff);          /* HPET reserved */
	assert_int_equal(rd(m, 0xfef00000, 1), 0xff);                /* nobody there */
	assert_int_equal(rd(m, 0xfef00000, 8), ~0ull);
	assert_int_equal(mmio_write(m, 0xfef00000, 4, 1), 0);
	assert_int_equal(mmio_read(m, 0xfed00000, 3, &(uint64_t){ 0 }), -EINVAL);
	assert_null(iomem_reg_name(m, 0xfed00008));
}

static void mmio__lapic_and_ioapic_ids_and_versions(void **state)
{
	struct machine *m = *state;
	assert_int_equal(rd(m, 0xfee00030, 4), 0x00050014);
	assert_int_equal(rd(m, 0xfee000f0, 4), 0xff);                /* SVR reset */
	assert_int_equal(rd(m, 0xfee00320, 4), 0x00010000);          /* LVT timer masked */
	/* IOAPIC: select register 1 (version), read the window */
	mmio_write(m, 0xfec00000, 4, 1);
	assert_int_equal(rd(m, 0xfec00010, 4), 0x00170020);
	mmio_write(m, 0xfec00010, 4, 0);                             /* read-only: ignored */
	assert_int_equal(rd(m, 0xfec00010, 4), 0x00170020);
	/* redirection entry of pin 2: masked at reset, vector writable */
	mmio_write(m, 0xfec00000, 4, 0x14);
	assert_int_equal(rd(m, 0xfec00010, 4), 0x00010000);
	mmio_write(m, 0xfec00010, 4, 0x00000030);
	assert_int_equal(rd(m, 0xfec00010, 4), 0x00000030);
}

static void mmio__e1000_status_and_icr_read_to_clear(void **state)
{
	struct machine *m = *state;
	assert_int_equal(rd(m, 0xfebc0000, 4), 0x00140240);          /* CTRL */
	/* STATUS: QEMU's mac_reg_init: 0x80000000 | GIO_MASTER_ENABLE 0x80000 | ASDV
	 * 0x300 | MTXCKOK 0x400 | SPEED_1000 0x80 | FD 0x1 | LU 0x2 (link up, 1000 FD) */
	assert_int_equal(rd(m, 0xfebc0008, 4), 0x80000000 | 0x80000 | 0x300 | 0x400 | 0x80 | 0x1 | 0x2);
	mmio_write(m, 0xfebc0008, 4, 0);
	assert_int_equal(rd(m, 0xfebc0008, 4), 0x80080783);
	assert_int_equal(rd(m, 0xfebc5400, 4), 0x12005452);          /* RAL0: 52:54:00:12 */
	mmio_write(m, 0xfebc0100, 4, 0x8002);                        /* RCTL */
	assert_int_equal(rd(m, 0xfebc0100, 4), 0x8002);
	/* CTRL: QEMU's set_ctrl() stores val & ~E1000_CTRL_RST; RST is bit 26
	 * (0x04000000, e1000_hw.h); SWDPIO3 (bit 25) is an ordinary bit */
	mmio_write(m, 0xfebc0000, 4, 0x12345678 | 0x04000000);
	assert_int_equal(rd(m, 0xfebc0000, 4), 0x12345678);
}

static void mmio__vga_window_is_memory(void **state)
{
	struct machine *m = *state;
	assert_int_equal(rd(m, 0xb8000, 2), 0);
	mmio_write(m, 0xb8000, 2, 0x0741);                           /* 'A', grey on black */
	assert_int_equal(rd(m, 0xb8000, 2), 0x0741);
	assert_int_equal(rd(m, 0xb8000, 1), 0x41);
}

static void cachemode__pte_bits_per_profile(void **state)
{
	struct machine *m = *state;
	assert_int_equal(ioremap_cachemode2protval(m, PCM_WB), 0);
	assert_int_equal(ioremap_cachemode2protval(m, PCM_WC), _PAGE_PWT);
	assert_int_equal(ioremap_cachemode2protval(m, PCM_UC_MINUS), _PAGE_PCD);
	assert_int_equal(ioremap_cachemode2protval(m, PCM_UC), _PAGE_PCD | _PAGE_PWT);
	assert_int_equal(ioremap_cachemode2protval(m, PCM_WT), _PAGE_PAT | _PAGE_PCD | _PAGE_PWT);
}


/* ---- ioremap, with a stand-in for the vmap allocator -------------------------------- */

/*
 * A test double, not the vmap allocator: a bump allocator from
 * VMALLOC_START with the alignment ioremap asks for and a guard page, so
 * that these tests see ioremap's own work (checks, memtype, PTEs, the
 * accessors).  The real allocator comes from the vmalloc branch.
 */
static uint64_t bump_next;
static int bump_get(struct machine *m, uint64_t size, uint64_t align, uint64_t phys, const char *caller,
		    uint64_t *va, uint64_t *area_size)
{
	(void)phys;
	(void)caller;
	if (!bump_next)
		bump_next = m->layout.vmalloc_start;
	bump_next = (bump_next + align - 1) & ~(align - 1);
	*va = bump_next;
	*area_size = size + 4096;
	bump_next += *area_size;
	return 0;
}
static int bump_remove(struct machine *m, uint64_t va)
{
	(void)m;
	(void)va;
	return 0;
}
static const struct ioremap_vmap_ops bump_ops = { bump_get, bump_remove };

static int first_vmap(void *arg, const struct vm_struct *vm)
{
	*(uint64_t *)arg = vm->addr;
	return 1;
}

static int setup_io(void **state, const char *arch, const char *kernel)
{
	struct machine *m = boot(arch, kernel);
	bump_next = 0;
	/* the bump allocator stands in for the vmap allocator: give back the
	 * areas boot made with the real one (the HPET's ioremap, x86_64's IRQ
	 * stacks: boot_vmap.c) and drop its state, so that the checker looks
	 * for no vmap areas and the bump allocator has the space to itself */
	while (ioremap_count(m))
		assert_int_equal(ioremap_iounmap(m, ioremap_get(m, 0)->va, NULL), 0);
	for (uint64_t va = 0; (va = 0, vmap_walk_busy(m, first_vmap, &va), va);)
		assert_int_equal(vunmap_area(m, va), 0);
	vmap_purge_lazy(m);
	assert_int_equal(machine_check(m), 0);
	vmap_destroy(m);
	ioremap_set_vmap_ops(m, &bump_ops);
	*state = m;
	return 0;
}
static int setup_io_i386(void **state) { return setup_io(state, "i386", NULL); }
static int setup_io_i386_613(void **state) { return setup_io(state, "i386", "6.13"); }
static int setup_io_x86_64(void **state) { return setup_io(state, "x86_64", NULL); }

static unsigned count_changes(const struct machine *m, enum change_kind k)
{
	unsigned n = 0;
	for (size_t i = 0; i < m->log.n; i++)
		n += m->log.v[i].kind == k;
	return n;
}

static void ioremap__maps_each_page_with_the_cache_bits_and_returns_base_plus_offset(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	const struct ioremap_area *a;
	changelog_reset(m);
	assert_int_equal(ioremap_caller(m, 0xfebc0010, 0x20000, PCM_UC_MINUS, &va, &a), 0);
	assert_int_equal(va & 0xfff, 0x10);
	assert_int_equal(a->phys, 0xfebc0000);
	assert_int_equal(a->size, 0x21000);              /* the offset pushes it into a 34th page */
	assert_int_equal(a->area_size, 0x22000);         /* + guard */
	assert_int_equal(a->va & (ioremap_area_align(m, 0x21000) - 1), 0);
	assert_int_equal(ioremap_area_align(m, 0x21000), 0x40000);
	struct pt_walk w;
	pgtable_walk(m, a->va + 0x5000, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.phys, 0xfebc5000);
	uint64_t e = w.step[w.nsteps - 1].entry;
	assert_true(e & _PAGE_PCD);
	assert_false(e & _PAGE_PWT);
	assert_true(e & _PAGE_GLOBAL);
	/* the guard page is not mapped */
	pgtable_walk(m, a->va + a->size, &w);
	assert_int_not_equal(w.end, WALK_MAPPED);
	/* only page-table pages came from the buddy allocator */
	struct pt_geometry g;
	pgtable_geometry(m, &g);
	unsigned ptes = 0;
	for (size_t i = 0; i < m->log.n; i++)
		ptes += m->log.v[i].kind == CH_PTE_SET && m->log.v[i].order == g.levels - 1;
	assert_int_equal(ptes, 0x21);
	assert_int_equal(count_changes(m, CH_ALLOC), count_changes(m, CH_PT_ALLOC));
	assert_int_equal(count_changes(m, CH_SLAB_NEW), 0);
	/* (on i386 this tree's pgtable_check still takes the vmalloc space for
	 * the direct map; the vmalloc work fixes that) */
	if (m->arch->bits == 64)
		assert_int_equal(machine_check(m), 0);
}

static void check__finds_a_pte_that_lost_its_cache_bits(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_UC, &va, NULL), 0);
	assert_int_equal(machine_check(m), 0);
	pgtable_set_pte(m, va, pgtable_mk_pte(m, 0xfed00, _PAGE_PRESENT | _PAGE_RW));
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "does not map phys 0xfed00000 UC"));
}

static void ioremap__wc_wt_uc_bits(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	struct pt_walk w;
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_WC, &va, NULL), 0);
	pgtable_walk(m, va, &w);
	assert_int_equal(w.step[w.nsteps - 1].entry & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT), _PAGE_PWT);
	assert_int_equal(ioremap_caller(m, 0xfd100000, 0x1000, PCM_WT, &va, NULL), 0);
	pgtable_walk(m, va, &w);
	assert_int_equal(w.step[w.nsteps - 1].entry & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT),
			 _PAGE_PAT | _PAGE_PCD | _PAGE_PWT);
	assert_int_equal(ioremap_caller(m, 0xfd200000, 0x1000, PCM_UC, &va, NULL), 0);
	pgtable_walk(m, va, &w);
	assert_int_equal(w.step[w.nsteps - 1].entry & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT), _PAGE_PCD | _PAGE_PWT);
}

static void ioremap__refuses_size_0_wrapping_and_ram(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0, PCM_UC_MINUS, &va, NULL), -EINVAL);
	assert_int_equal(ioremap_caller(m, ~0ull - 0xfff, 0x2000, PCM_UC_MINUS, &va, NULL), -EINVAL);
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x2000, PCM_UC_MINUS, &va, NULL), -EFAULT);
	assert_int_equal(va, 0);
	assert_string_equal(dmesg_text(m, n + 1),
			    "kmemsh_command+0x0/0x0: ioremap on RAM at 0x0000000020000000 - 0x0000000020001fff");
	/* WARN_ONCE: the second time, no report */
	n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x2000, PCM_UC_MINUS, &va, NULL), -EFAULT);
	assert_int_equal(m->dmesg.n, n);
	/* the kernel image is reserved RAM: it may be remapped */
	assert_int_equal(ioremap_caller(m, 0x1000000, 0x1000, PCM_WB, &va, NULL), 0);
	assert_int_equal(ioremap_count(m), 1);
}

/* 6.13: the "ioremap on RAM" WARN names the CPU the task runs on */
static void ioremap_613__ram_on_cpu_1__warning_names_cpu_1(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .ncpus = 2 };
	struct machine *m;
	char err[256];
	uint64_t va;
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x2000, PCM_UC_MINUS, &va, NULL), -EFAULT);
	bool warning = false, cpu_line = false;
	for (size_t i = n; i < m->dmesg.n; i++) {
		const char *t = dmesg_text(m, i);
		assert_null(strstr(t, "CPU: 0 "));
		warning |= !strcmp(t, "WARNING: CPU: 1 PID: 1 at arch/x86/mm/ioremap.c:217 __ioremap_caller+0x0/0x0");
		cpu_line |= !strncmp(t, "CPU: 1 UID: 0 PID: 1 Comm: kmemsh ", 34);
	}
	assert_true(warning);
	assert_true(cpu_line);
	machine_destroy(m);
}

/* vfree()/vunmap() of an ioremap cookie would unmap it behind the ioremap
 * layer's back: refused, the mapping stays whole and iounmap() works (the
 * real vmap allocator behind ioremap) */
static void vfree_and_vunmap__of_an_ioremap_area__are_refused(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0xfebc0000, 0x2000, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(vfree_area(m, va), -EINVAL);
	assert_non_null(strstr(m->err, "use iounmap()"));
	assert_int_equal(vunmap_area(m, va + 0x1000), -EINVAL);
	if (machine_check(m))
		fail_msg("check: %s", m->err);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	if (machine_check(m))
		fail_msg("check: %s", m->err);
}

static void memtype__a_second_mapping_takes_the_first_type_or_is_refused(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	const struct ioremap_area *a;
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_UC_MINUS, &va, NULL), 0);
	/* UC requested over UC-: allowed, mapped UC- */
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_UC, &va, &a), 0);
	assert_int_equal(a->pcm, PCM_UC_MINUS);
	/* WB requested over UC-: allowed too (only UC-/WC/WT requests may not become WB) */
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_WB, &va, &a), 0);
	assert_int_equal(a->pcm, PCM_UC_MINUS);
	/* a WB range: UC- and WC requests are refused */
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_WB, &va, NULL), 0);
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_WC, &va, NULL), -EBUSY);
	assert_string_equal(dmesg_text(m, n), "kmemsh_command+0x0/0x0: ioremap error for 0xfd000000-0xfd001000, "
			    "requested 0x1, got 0x0");
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_UC_MINUS, &va, NULL), -EBUSY);
}

static void memtype__2_6_32_prints_pte_bits(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_WB, &va, NULL), 0);
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_UC_MINUS, &va, NULL), -EBUSY);
	assert_string_equal(dmesg_text(m, n), "ioremap error for 0xfd000000-0xfd001000, requested 0x10, got 0x0");
}

static void isa_range__2_6_32_returns_the_direct_map_6_13_maps_it_wb(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	const struct ioremap_area *a;
	if (m->kp->kv == KV_2_6_32) {
		assert_int_equal(ioremap_caller(m, 0xb8000, 0x1000, PCM_UC_MINUS, &va, &a), 0);
		assert_int_equal(va, m->direct_map + 0xb8000);
		assert_int_equal(a->area_size, 0);
	} else {
		assert_int_equal(ioremap_caller(m, 0xb8000, 0x1000, PCM_UC_MINUS, &va, &a), 0);
		assert_true(va >= m->layout.vmalloc_start);
		assert_int_equal(a->pcm, PCM_WB);        /* untracked: "always mapped WB" */
	}
	assert_int_equal(ioremap_write(m, va, 2, 0x0741, NULL), 0);
	uint64_t v;
	assert_int_equal(mmio_read(m, 0xb8000, 2, &v), 0);
	assert_int_equal(v, 0x0741);
}

static void area_align__count_order_in_6_13_fls_in_2_6_32(void **state)
{
	struct machine *m = *state;
	/* two pages: fls(0x2000) = 14 in 2.6.32, get_count_order_long(0x2000)
	 * = fls(0x1fff) = 13 in 6.13; the guard page is added after */
	assert_int_equal(ioremap_area_align(m, 0x2000), m->kp->kv == KV_2_6_32 ? 0x4000 : 0x2000);
	if (m->kp->kv == KV_2_6_32) {
		assert_int_equal(ioremap_area_align(m, 0x1000), 0x2000);
		assert_int_equal(ioremap_area_align(m, 0x3000), 0x4000);
	} else {
		assert_int_equal(ioremap_area_align(m, 0x1000), 0x1000);
		assert_int_equal(ioremap_area_align(m, 0x3000), 0x4000);
	}
	assert_int_equal(ioremap_area_align(m, 0x400000), m->kp->kv == KV_2_6_32 ? 0x80000 : 0x400000);
	assert_int_equal(ioremap_area_align(m, 0x10000000), m->kp->kv == KV_2_6_32 ? 0x80000
			 : m->arch->bits == 64 ? 0x10000000 : 0x400000);
}

static void accessors__reach_the_register_through_the_page_tables(void **state)
{
	struct machine *m = *state;
	uint64_t va, v, phys;
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(ioremap_read(m, va, 4, &v, &phys), 0);
	assert_int_equal(v, 0x8086a201);
	assert_int_equal(phys, 0xfed00000);
	assert_int_equal(ioremap_write(m, va + 0x10, 4, 1, NULL), 0);          /* ENABLE_CNF */
	assert_int_equal(mmio_read(m, 0xfed00010, 4, &v), 0);
	assert_int_equal(v, 1);
	/* past the mapping (one page) and outside any mapping */
	assert_int_equal(ioremap_read(m, va + 0x1000, 4, &v, NULL), -EFAULT);
	assert_int_equal(ioremap_read(m, m->direct_map + 0x100000, 4, &v, NULL), -EFAULT);
}

static void iounmap__clears_the_ptes_and_frees_the_memtype(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x2000, PCM_WB, &va, NULL), 0);
	changelog_reset(m);
	struct ioremap_area was;
	assert_int_equal(ioremap_iounmap(m, va + 0x1004, &was), 0);
	assert_int_equal(was.phys, 0xfd000000);
	assert_int_equal(count_changes(m, CH_PTE_CLEAR), 2);
	assert_int_equal(count_changes(m, CH_TLB_FLUSH), 0);           /* deferred with the lazy area */
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	assert_int_not_equal(w.end, WALK_MAPPED);
	assert_int_equal(ioremap_count(m), 0);
	assert_int_equal(machine_check(m), 0);
	/* the memtype went with it: a WC mapping is now allowed */
	assert_int_equal(ioremap_caller(m, 0xfd000000, 0x1000, PCM_WC, &va, NULL), 0);
	/* a second iounmap of the old address */
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_iounmap(m, was.va, NULL), -EINVAL);
	assert_true(strstr(dmesg_text(m, n), "iounmap: bad address") != NULL);
	/* below high_memory: nothing, silently */
	n = m->dmesg.n;
	assert_int_equal(ioremap_iounmap(m, m->layout.page_offset + 0x1000000, NULL), 0);
	assert_int_equal(m->dmesg.n, n);
}

static void ioremap__without_a_vmap_allocator_stops_after_the_checks(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	ioremap_set_vmap_ops(m, NULL);
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_UC_MINUS, &va, NULL), -ENOSYS);
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x400, PCM_UC_MINUS, &va, NULL), -EFAULT);
	/* the memtype taken for the first was given back: WB is fine now */
	ioremap_set_vmap_ops(m, &bump_ops);
	bump_next = 0;
	assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_WB, &va, NULL), 0);
}

static void ioremap__2_6_32_skips_the_last_page_and_warns_on_reserved_ram(void **state)
{
	struct machine *m = *state;
	uint64_t va;
	/* the loop runs while pfn << PAGE_SHIFT < (last_addr & PAGE_MASK): a
	 * one-page range of RAM in use is never looked at */
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x1000, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(ioremap_caller(m, 0x20000000, 0x2000, PCM_UC_MINUS, &va, NULL), -EFAULT);
	/* reserved RAM (the kernel image): WARN_ON_ONCE, then mapped */
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0x1000000, 0x2000, PCM_UC_MINUS, &va, NULL), 0);
	assert_string_equal(dmesg_text(m, n), "------------[ cut here ]------------");
	n = m->dmesg.n;
	assert_int_equal(ioremap_caller(m, 0x1002000, 0x2000, PCM_UC_MINUS, &va, NULL), 0);
	assert_int_equal(m->dmesg.n, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(boot_tree__busy_as_the_kernel_inserts_it, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(request__inside_a_bar_nests_under_it, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(request__busy_conflict_is_ebusy_and_names_it, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(request__past_the_end_of_a_window_conflicts_with_it, setup_i386,
						teardown),
		cmocka_unit_test_setup_teardown(request__zero_or_wrapping_is_einval, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(request__in_a_free_gap_goes_under_the_root, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(release__frees_and_a_second_release_warns, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(release__2_6_32_message, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(mmio__hpet_gcap_id_is_qemus_and_read_only, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(mmio__unknown_offsets_and_absent_devices_read_all_ones, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(mmio__lapic_and_ioapic_ids_and_versions, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(mmio__e1000_status_and_icr_read_to_clear, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(mmio__vga_window_is_memory, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(cachemode__pte_bits_per_profile, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(ioremap__maps_each_page_with_the_cache_bits_and_returns_base_plus_offset,
						setup_io_x86_64, teardown),
		cmocka_unit_test_setup_teardown(ioremap__maps_each_page_with_the_cache_bits_and_returns_base_plus_offset,
						setup_io_i386, teardown),
		cmocka_unit_test_setup_teardown(ioremap__wc_wt_uc_bits, setup_io_x86_64, teardown),
		cmocka_unit_test_setup_teardown(check__finds_a_pte_that_lost_its_cache_bits, setup_io_x86_64, teardown),
		cmocka_unit_test_setup_teardown(ioremap__refuses_size_0_wrapping_and_ram, setup_io_x86_64, teardown),
		cmocka_unit_test(ioremap_613__ram_on_cpu_1__warning_names_cpu_1),
		cmocka_unit_test_setup_teardown(vfree_and_vunmap__of_an_ioremap_area__are_refused, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(vfree_and_vunmap__of_an_ioremap_area__are_refused, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(memtype__a_second_mapping_takes_the_first_type_or_is_refused,
						setup_io_x86_64, teardown),
		cmocka_unit_test_setup_teardown(memtype__2_6_32_prints_pte_bits, setup_io_i386, teardown),
		cmocka_unit_test_setup_teardown(ioremap__2_6_32_skips_the_last_page_and_warns_on_reserved_ram,
						setup_io_i386, teardown),
		cmocka_unit_test_setup_teardown(isa_range__2_6_32_returns_the_direct_map_6_13_maps_it_wb, setup_io_i386,
						teardown),
		cmocka_unit_test_setup_teardown(isa_range__2_6_32_returns_the_direct_map_6_13_maps_it_wb,
						setup_io_i386_613, teardown),
		cmocka_unit_test_setup_teardown(area_align__count_order_in_6_13_fls_in_2_6_32, setup_io_i386, teardown),
		cmocka_unit_test_setup_teardown(area_align__count_order_in_6_13_fls_in_2_6_32, setup_io_x86_64, teardown),
		cmocka_unit_test_setup_teardown(accessors__reach_the_register_through_the_page_tables, setup_io_i386,
						teardown),
		cmocka_unit_test_setup_teardown(iounmap__clears_the_ptes_and_frees_the_memtype, setup_io_x86_64, teardown),
		cmocka_unit_test_setup_teardown(ioremap__without_a_vmap_allocator_stops_after_the_checks, setup_x86_64,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
