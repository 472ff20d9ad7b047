/*
 * test_pgtable.c - the kernel's page tables: geometry and entry bits per
 * profile, the direct map boot builds (split_mem_range(),
 * memory_map_top_down(), mark_rodata_ro() splits) against real kernels'
 * DirectMap lines, walks of every kind of address, __pa/__va and their
 * refusals, whatis, and the set_pte/pte_clear API with its change log.
 *
 * Real-kernel fixtures (tests/data, from ../shared/reference/real-kernels):
 *   i386-6.1-qemu-1G.iomem  Debian 6.1 686, 1 GiB, 2 CPUs:
 *                           DirectMap4k 12280 kB, DirectMap4M 884736 kB
 *   amd64-6.1-qemu-4G.iomem Debian 6.1 amd64, 4 GiB, QEMU CPU without
 *                           pdpe1gb: DirectMap4k 24448 kB, DirectMap2M
 *                           4169728 kB
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/layout.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/physaddr.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/whatis.h"
#include "fixture.h"

#define G13_KERNEL 0xcc0u
#define G32_KERNEL 0xd0u

static struct machine *boot_pure(const struct machine_config *cfg)
{
	struct machine_config pure = *cfg;
	pure.pcp_off = true;   /* pure buddy: these tests assert immediate merging */
	return boot_cfg(&pure);
}

static struct machine *boot(const char *arch, const char *kernel, uint64_t mem)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .mem_bytes = mem };
	return boot_pure(&cfg);
}

/* ---- geometry and bits ------------------------------------------------------- */

static void geometry__each_profile_splits_the_address_as_its_headers_say(void **state)
{
	(void)state;
	static const struct {
		const char *arch, *kernel;
		unsigned levels, bytes, shift0, ptrs0, va_bits;
		bool nx;
	} want[] = {
		/* pgtable-2level_types.h: PGDIR_SHIFT 22, 1024 entries of 4 bytes */
		{ "i386", "2.6.32", 2, 4, 22, 1024, 32, false },
		/* pgtable-3level_types.h: PGDIR_SHIFT 30, PTRS_PER_PGD 4 */
		{ "i386-pae", "6.13", 3, 8, 30, 4, 32, true },
		/* pgtable_64_types.h: PGDIR_SHIFT 39, 512 entries */
		{ "x86_64", "6.13", 4, 8, 39, 512, 48, true },
		/* LA57: PGDIR_SHIFT 48 */
		{ "x86_64-la57", "6.13", 5, 8, 48, 512, 57, true },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct machine *m = boot(want[i].arch, want[i].kernel, 0);
		const struct pt_geometry *g = &m->pt->g;
		assert_int_equal(g->levels, want[i].levels);
		assert_int_equal(g->entry_bytes, want[i].bytes);
		assert_int_equal(g->shift[0], want[i].shift0);
		assert_int_equal(g->ptrs[0], want[i].ptrs0);
		assert_int_equal(g->va_bits, want[i].va_bits);
		assert_int_equal(g->nx, want[i].nx);
		assert_int_equal(g->shift[g->levels - 1], 12);
		/* every level's index bits and the page offset make up the address */
		unsigned bits = 12;
		for (unsigned d = 0; d < g->levels; d++) {
			unsigned n = 0;
			while ((1u << n) < g->ptrs[d])
				n++;
			bits += n;
		}
		assert_int_equal(bits, want[i].va_bits);
		machine_destroy(m);
	}
}

static void entry_bits__match_pgtable_types_h(void **state)
{
	(void)state;
	/* kernel-facts §8.2: __PAGE_KERNEL = P|RW|A|D|G|NX = 0x8000000000000163,
	 * _KERNPG_TABLE = 0x63, PSE is bit 7, PAT_LARGE bit 12 */
	assert_int_equal(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX,
			 0x8000000000000163ull);
	assert_int_equal(_KERNPG_TABLE, 0x63);
	assert_int_equal(_PAGE_PSE, 0x80);
	assert_int_equal(_PAGE_PAT_LARGE, 0x1000);
	assert_int_equal(_PAGE_USER | _PAGE_PWT | _PAGE_PCD, 0x1c);
}

/* ---- the direct map ---------------------------------------------------------- */

static void direct_map__i386_6_13_real_iomem__equals_the_real_kernel(void **state)
{
	(void)state;
	char *text = slurp("tests/data/i386-6.1-qemu-1G.iomem");
	struct machine_config cfg = { .arch = "i386", .kernel = "6.13", .iomem_text = text, .ncpus = 2 };
	struct machine *m = boot_pure(&cfg);
	/* the real kernel's meminfo: DirectMap4k 12280 kB, DirectMap4M 884736 kB */
	assert_int_equal(m->pt->direct_pages[0] * 4, 12280);
	assert_int_equal(m->pt->direct_pages[1] * 4096, 884736);
	assert_int_equal(m->max_low_pfn, 0x36bfe);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	free(text);
}

static void direct_map__amd64_real_iomem_nogbpages__maps_what_the_kernel_maps(void **state)
{
	(void)state;
	char *text = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config cfg = { .arch = "x86_64", .iomem_text = text, .ncpus = 2, .nogbpages = true };
	struct machine *m = boot_pure(&cfg);
	uint64_t k4 = m->pt->direct_pages[0] * 4, m2 = m->pt->direct_pages[1] * 2048;
	/* the real kernel maps the same memory: 24448 + 4169728 kB */
	assert_int_equal(k4 + m2, 24448 + 4169728);
	/* by split_mem_range(): [0, 1M) 1024 kB and [1M, 2M) 1024 kB and the
	 * tail [0xbfe00000, 0xbffe0000) 1920 kB in 4k pages; then 7 splits of
	 * 2M pages, each 2048 kB more in 4k (split_page_count() counts a split
	 * when virt_addr_valid(address), the kernel image mapping included):
	 * in the direct map, the aliases of the text/rodata gap (0x1e00000)
	 * and the rodata/data gap (0x2800000) made RW again; in the image
	 * mapping, set_memory_nx(text_end, ...) on 0x1e00000, the rodata/data
	 * gap on 0x2800000, the init sections' two ends (0x2c00000 and
	 * 0x3200000) and the unused .bss..decrypted (0x4200000).  The real
	 * kernel splits 3 more direct-map pages, where the pages of the BPF
	 * program pack (ptp_classifier_init()) happened to lie: not modelled. */
	assert_int_equal(k4, 1024 + 1024 + 1920 + 7 * 2048);
	assert_int_equal(24448 - k4, 3 * 2048);
	assert_int_equal(m->pt->direct_pages[2], 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	free(text);
}

static void direct_map__this_hosts_iomem__maps_what_its_kernel_maps(void **state)
{
	(void)state;
	/* tests/data/x86_64-6.18-firecracker.iomem, whose machine (a CPU
	 * without pdpe1gb) showed DirectMap4k 30720 kB, DirectMap2M 25135104
	 * kB: the model maps the same 24 GiB; its 4k part is the ISA range, the
	 * 4k head [1M, 2M) and 6 splits: the two gaps' direct-map aliases
	 * (0x2200000, 0x2c00000) and in the image mapping the same two pages
	 * and the init sections' ends (bss does not end on 2 MiB: no
	 * .bss..decrypted).  The real 6.18 kernel (pti=on, more set_memory
	 * users) splits 8 more */
	char *text = slurp("tests/data/x86_64-6.18-firecracker.iomem");
	struct machine_config cfg = { .arch = "x86_64", .iomem_text = text, .ncpus = 2, .nogbpages = true };
	struct machine *m = boot_pure(&cfg);
	uint64_t k4 = m->pt->direct_pages[0] * 4, m2 = m->pt->direct_pages[1] * 2048;
	assert_int_equal(k4 + m2, 30720 + 25135104);
	assert_int_equal(k4, 1024 + 1024 + 6 * 2048);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	free(text);
}

static void direct_map__i386_2_6_32__first_4m_small_then_4m_pages(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "2.6.32", 1ull << 30);
	/* MAXMEM 0x377fe000: max_low_pfn 0x377fe; [0, 4M) and [0x37400000,
	 * 0x377fe000) in 4k pages, 4M pages between, and the 4M page that
	 * holds _etext split by mark_rodata_ro() */
	assert_int_equal(m->max_low_pfn, 0x377fe);
	assert_int_equal(m->pt->direct_pages[0], 1024 + 0x3fe + 1024);
	assert_int_equal(m->pt->direct_pages[1], (0x37400000 - 0x400000) / (4 << 20) - 1);
	struct pt_walk w;
	pgtable_walk(m, 0xc0000000 + 0x10000000, &w);        /* 256 MiB: a 4M page */
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.page_size, 4 << 20);
	assert_int_equal(w.nsteps, 1);
	/* PAGE_KERNEL_LARGE without NX on 2-level: P|RW|A|D|PSE|G */
	assert_int_equal(w.step[0].entry, 0x10000000 | 0x1e3);
	pgtable_walk(m, 0xc0001000, &w);                       /* the first 4M: 4k pages */
	assert_int_equal(w.page_size, 4096);
	assert_int_equal(w.step[1].entry, 0x1000 | 0x163);
	/* mark_rodata_ro(): [_text, _etext) = [16M, 0x14cb6ac) read-only; the
	 * 4M page at 16M is covered whole and stays large, the next one is
	 * split: its text pages read-only, the rest writable */
	pgtable_walk(m, 0xc1000000, &w);
	assert_int_equal(w.page_size, 4 << 20);
	assert_false(w.step[0].entry & _PAGE_RW);
	pgtable_walk(m, 0xc1400000, &w);
	assert_int_equal(w.page_size, 4096);
	assert_false(w.step[1].entry & _PAGE_RW);
	pgtable_walk(m, 0xc14cc000, &w);
	assert_int_equal(w.page_size, 4096);
	assert_true(w.step[1].entry & _PAGE_RW);
	machine_destroy(m);
}

static void direct_map__x86_64_gbpages__uses_1g_pages_where_aligned(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4ull << 30);
	/* RAM [1M, 3G) and [4G, 5G): 1 GiB pages for [1G, 3G) and for [4G, 5G)
	 * (adjust_range_page_size_mask() promotes the top-down steps' pieces
	 * there: the whole 1 GiB is memory) */
	assert_int_equal(m->pt->direct_pages[2], 3);
	struct pt_walk w;
	pgtable_walk(m, m->layout.page_offset + (1ull << 30) + 0x1234, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.page_size, 1ull << 30);
	assert_int_equal(w.phys, (1ull << 30) + 0x1234);
	/* PAGE_KERNEL_LARGE: 0x80000000000001e3 */
	assert_int_equal(w.step[w.nsteps - 1].entry, (1ull << 30) | 0x80000000000001e3ull);
	machine_destroy(m);
}

static void direct_map__1t_boots_with_a_handful_of_tables(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1ull << 40);
	/* 1 TiB in 1 GiB pages: two pud tables, a few pmd/pte tables at the
	 * edges, the image and fixmap tables, vmemmap pmd tables; and the 64
	 * pud tables preallocate_vmalloc_pages() gives the vmalloc area */
	assert_true(m->pt->nt < 64 + 64);
	assert_true(m->pt->direct_pages[2] > 1000);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- walks ------------------------------------------------------------------ */

static void walk__every_kind_of_address(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4ull << 30);
	const struct kernel_layout *l = &m->layout;
	struct pt_walk w;
	/* user space: init_mm maps none of it */
	pgtable_walk(m, 0x400000, &w);
	assert_int_equal(w.end, WALK_NOT_PRESENT);
	assert_int_equal(w.nsteps, 1);
	/* non-canonical */
	pgtable_walk(m, 0x0000800000000000ull, &w);
	assert_int_equal(w.end, WALK_NONCANONICAL);
	/* vmalloc space: CPU 0's IRQ stack (boot_vmap.c), its first page the
	 * one at offset 0x2000 of the CPU's percpu unit; its guard page not
	 * mapped, nor anything after the boot's areas */
	pgtable_walk(m, l->vmalloc_start, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.phys, m->boot.pcpu_unit[0] + 0x2000);
	pgtable_walk(m, l->vmalloc_start + 0x4000, &w);
	assert_int_equal(w.end, WALK_NOT_PRESENT);
	pgtable_walk(m, l->vmalloc_start + 0x7000, &w);
	assert_int_equal(w.end, WALK_NOT_PRESENT);
	/* the kernel image mapping: 2M pages, text executable and read-only */
	pgtable_walk(m, l->start_kernel_map + m->kimage.text, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.phys, m->kimage.text);
	assert_false(w.step[w.nsteps - 1].entry & _PAGE_RW);
	assert_false(w.step[w.nsteps - 1].entry & _PAGE_NX);
	/* vmemmap: the struct page of pfn 0x100000 is in a 2M block */
	pgtable_walk(m, l->vmemmap_base + 0x100000ull * 64, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.page_size, 2 << 20);
	/* fixmap: the pte table exists, the slot is empty */
	pgtable_walk(m, l->fixaddr_start, &w);
	assert_int_equal(w.end, WALK_NOT_PRESENT);
	assert_int_equal(w.nsteps, 4);
	machine_destroy(m);
}

/* ---- translation --------------------------------------------------------------- */

static void virt_to_phys__refuses_what_is_not_the_direct_map(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4ull << 30);
	uint64_t pa;
	assert_int_equal(vm_virt_to_phys(m, m->layout.page_offset + 0x1234000, &pa), 0);
	assert_int_equal(pa, 0x1234000);
	/* vmalloc: va - PAGE_OFFSET is 0x410000000000, above 2^46: the
	 * direct-map VIRTUAL_BUG_ON of 6.13 physaddr.c (line 28) */
	assert_int_equal(vm_virt_to_phys(m, m->layout.vmalloc_start, &pa), -EFAULT);
	assert_true(dmesg_has(m, "kernel BUG at arch/x86/mm/physaddr.c:28!"));
	assert_true(dmesg_has(m, "Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI"));
	assert_true(m->taint & (1ul << TAINT_DIE));
	/* the kernel image translates through phys_base */
	assert_int_equal(vm_virt_to_phys(m, m->layout.start_kernel_map + 0x1000000, &pa), 0);
	assert_int_equal(pa, 0x1000000);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);

	m = boot("i386", "6.13", 1ull << 30);
	/* a user address: line 76 */
	assert_int_equal(vm_virt_to_phys(m, 0x08048000, &pa), -EFAULT);
	assert_true(dmesg_has(m, "kernel BUG at arch/x86/mm/physaddr.c:76!"));
	/* pkmap: above high_memory, (phys >> 12) > max_low_pfn: line 80 */
	assert_int_equal(vm_virt_to_phys(m, m->layout.pkmap_base, &pa), -EFAULT);
	assert_true(dmesg_has(m, "kernel BUG at arch/x86/mm/physaddr.c:80!"));
	machine_destroy(m);

	m = boot("i386", "2.6.32", 1ull << 30);
	/* 2.6.32 has no max_low_pfn check: the fixmap is refused, no BUG */
	size_t before = m->dmesg.n;
	assert_int_equal(vm_virt_to_phys(m, m->layout.fixaddr_start, &pa), -EFAULT);
	assert_int_equal(m->dmesg.n, before);
	assert_non_null(strstr(m->err, "would silently return"));
	/* vmalloc: 2.6.32 ioremap.c line 77 */
	assert_int_equal(vm_virt_to_phys(m, m->layout.vmalloc_start, &pa), -EFAULT);
	assert_true(dmesg_has(m, "kernel BUG at arch/x86/mm/ioremap.c:77!"));
	assert_true(dmesg_has(m, "invalid opcode: 0000 [#1] SMP "));
	machine_destroy(m);
}

static void phys_to_virt__highmem_has_no_address(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "2.6.32", 1ull << 30);
	uint64_t va;
	assert_int_equal(vm_phys_to_virt(m, 0x1000000, &va), 0);
	assert_int_equal(va, 0xc1000000);
	assert_int_equal(vm_phys_to_virt(m, 0x38000000, &va), -EFAULT);
	assert_non_null(strstr(m->err, "HighMem"));
	machine_destroy(m);
}

static void virt_phys_round_trip__of_allocated_pages_and_objects(void **state)
{
	(void)state;
	const char *arches[] = { "i386", "x86_64" };
	for (int a = 0; a < 2; a++) {
		struct machine *m = boot(arches[a], NULL, 0);
		gfp_t gfp = m->kp->kv == KV_2_6_32 ? G32_KERNEL : G13_KERNEL;
		for (unsigned order = 0; order < 4; order++) {
			uint64_t pfn, pa, va, back;
			assert_int_equal(buddy_alloc_pages(m, gfp, order, &pfn), 0);
			va = machine_pfn_to_vaddr(m, pfn);
			assert_int_equal(vm_virt_to_phys(m, va + 123, &pa), 0);
			assert_int_equal(pa, (pfn << 12) + 123);
			assert_int_equal(vm_phys_to_virt(m, pa, &back), 0);
			assert_int_equal(back, va + 123);
			struct pt_walk w;
			pgtable_walk(m, va + 123, &w);
			assert_int_equal(w.end, WALK_MAPPED);
			assert_int_equal(w.phys, pa);
		}
		uint64_t obj, pa;
		assert_int_equal(slab_kmalloc(m, 200, gfp, &obj), 0);
		assert_int_equal(vm_virt_to_phys(m, obj, &pa), 0);
		assert_int_equal(pa, obj - m->layout.page_offset);
		assert_true(vm_virt_addr_valid(m, obj));
		assert_false(vm_virt_addr_valid(m, m->layout.vmalloc_start));
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/* ---- whatis ---------------------------------------------------------------------- */

static void whatis__names_every_kind_of_address(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "2.6.32", 1ull << 30);
	const struct kernel_layout *l = &m->layout;
	struct whatis w;
	uint64_t pfn, obj;
	assert_int_equal(buddy_alloc_pages(m, G32_KERNEL, 1, &pfn), 0);
	vm_whatis(m, machine_pfn_to_vaddr(m, pfn) + 4096, &w);
	assert_int_equal(w.region.kind, VR_DIRECT);
	assert_int_equal(w.what, WI_PAGE);
	assert_int_equal(w.pi.state, PS_ALLOCATED);
	assert_int_equal(w.pi.block_pfn, pfn);
	assert_int_equal(w.pi.order, 1);
	assert_int_equal(slab_kmalloc(m, 100, G32_KERNEL, &obj), 0);
	vm_whatis(m, obj + 8, &w);
	assert_true(w.slab);
	assert_int_equal(w.oi.object_addr, obj);
	vm_whatis(m, 0xc0000000 + m->kimage.text + 16, &w);
	assert_string_equal(w.image_section, ".text");
	vm_whatis(m, 0xc0000000 + (m->pt->top_pfn << 12), &w);
	assert_true(w.table);
	assert_int_equal(w.table_level, PTL_PGD);
	/* mem_map (FLATMEM) is in lowmem: a struct page pointer */
	vm_whatis(m, machine_page_ptr(m, 0x1234) + 4, &w);
	assert_int_equal(w.what, WI_STRUCT_PAGE);
	assert_int_equal(w.sp_pfn, 0x1234);
	assert_int_equal(w.sp_offset, 4);
	vm_whatis(m, l->high_memory + 4096, &w);             /* the VMALLOC_OFFSET hole */
	assert_int_equal(w.region.kind, VR_HOLE);
	vm_whatis(m, l->vmalloc_start, &w);
	assert_int_equal(w.region.kind, VR_VMALLOC);
	vm_whatis(m, l->pkmap_base + 3 * 4096, &w);
	assert_int_equal(w.what, WI_PKMAP);
	assert_int_equal(w.slot, 3);
	vm_whatis(m, layout_fix_to_virt(l, 5), &w);
	assert_int_equal(w.what, WI_FIXMAP);
	assert_int_equal(w.slot, 5);
	vm_whatis(m, 0x08048000, &w);
	assert_int_equal(w.region.kind, VR_USER);
	/* a free page */
	uint64_t free_pfn = pfn + 1024;
	struct page_info pi;
	buddy_page_info(m, free_pfn, &pi);
	if (pi.state == PS_FREE) {
		vm_whatis(m, machine_pfn_to_vaddr(m, free_pfn), &w);
		assert_int_equal(w.pi.state, PS_FREE);
	}
	machine_destroy(m);

	m = boot("x86_64", "6.13", 4ull << 30);
	vm_whatis(m, m->layout.vmemmap_base + 0x5000ull * 64 + 8, &w);
	assert_int_equal(w.what, WI_STRUCT_PAGE);
	assert_int_equal(w.sp_pfn, 0x5000);
	vm_whatis(m, 0x0000800000000000ull, &w);
	assert_int_equal(w.region.kind, VR_NONCANONICAL);
	vm_whatis(m, m->layout.start_kernel_map + m->kimage.sdata, &w);
	assert_true(w.high_alias);
	assert_string_equal(w.image_section, ".data");
	machine_destroy(m);
}

/* i386: an address above 4 GiB is no address at all (unsigned long has 32
 * bits): whatis says so instead of naming the top page's region, and __pa()
 * refuses it without the BUG (or the "would return 0x40000000") that
 * va - PAGE_OFFSET computed in 64 bits gave */
static void i386__addresses_above_4g__are_no_address(void **state)
{
	(void)state;
	static const char *const kernels[] = { "2.6.32", "6.13" };
	for (int k = 0; k < 2; k++) {
		struct machine *m = boot("i386", kernels[k], 1ull << 30);
		struct whatis w;
		uint64_t pa;
		vm_whatis(m, 0x100000000ull, &w);
		assert_int_equal(w.region.kind, VR_NONCANONICAL);
		assert_int_equal(w.region.start, 0x100000000ull);
		assert_int_equal(w.walk.end, WALK_OUT_OF_RANGE);
		size_t before = m->dmesg.n;
		assert_int_equal(vm_virt_to_phys(m, 0x100000000ull, &pa), -EFAULT);
		assert_non_null(strstr(m->err, "beyond the 32-bit address space"));
		assert_int_equal(m->dmesg.n, before);
		assert_int_equal(m->taint, 0);
		assert_false(vm_virt_addr_valid(m, 0x1c0001000ull));
		machine_destroy(m);
	}
}

/* ---- the entry API ---------------------------------------------------------------- */

static void set_pte__allocates_tables_from_the_buddy_allocator_and_logs(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4ull << 30);
	/* a pte in vmalloc space with no vmap area behind it: without the vmap
	 * allocator (its boot state dropped) the checker looks for none */
	vmap_destroy(m);
	/* 512 GiB in, the next pgd entry: away from the tables of the boot's
	 * areas at VMALLOC_START; its pud table is one of the 64 that
	 * preallocate_vmalloc_pages() (arch/x86/mm/init_64.c) took at boot */
	uint64_t va = m->layout.vmalloc_start + (1ull << 39), pfn;
	uint64_t free_before = 0, counted_before = m->pt->nr_counted;
	for (int z = 0; z < m->nr_zones; z++)
		free_before += m->zones[z].free_pages;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	changelog_reset(m);
	uint64_t pte = pgtable_mk_pte(m, pfn, 0x8000000000000163ull);
	assert_int_equal(pgtable_set_pte(m, va, pte), 0);
	/* a pmd and a pte table: two pages */
	uint64_t free_after = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free_after += m->zones[z].free_pages;
	assert_int_equal(free_before - free_after, 1 + 2);
	/* 6.13 counts the pmd table in NR_PAGETABLE, not the kernel's pte
	 * table (pte_alloc_one_kernel() has no ctor) */
	assert_int_equal(m->pt->nr_counted - counted_before, 1);
	size_t allocs = 0, sets = 0;
	for (size_t i = 0; i < m->log.n; i++) {
		allocs += m->log.v[i].kind == CH_PT_ALLOC;
		sets += m->log.v[i].kind == CH_PTE_SET;
	}
	assert_int_equal(allocs, 2);
	assert_int_equal(sets, 3);       /* two table entries and the pte */
	struct pt_walk w;
	pgtable_walk(m, va + 7, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.phys, (pfn << 12) + 7);
	assert_int_equal(machine_check(m), 0);
	assert_int_equal(pgtable_pte_clear(m, va), 0);
	pgtable_walk(m, va, &w);
	assert_int_equal(w.end, WALK_NOT_PRESENT);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * Which kernel tables allocated after boot meminfo's PageTables counts,
 * per profile, from the allocators' sources: 6.13 pmd_alloc_one() and
 * __pud_alloc_one() (asm-generic/pgalloc.h) run pagetable_pmd_ctor() /
 * pagetable_pud_ctor(), __pte_alloc_one_kernel() no ctor; 6.1 only
 * pmd_alloc_one() runs one (pgtable_pmd_page_ctor()); 2.6.32 x86's
 * pte_alloc_one_kernel(), pmd_alloc_one() and pud_alloc_one() are bare
 * page allocations.  Expected from the tables the step took, level by
 * level, with that rule.
 */
static void pagetables_counts(const char *arch, const char *kernel, bool pmd, bool pud, unsigned min_upper)
{
	struct machine *m = boot(arch, kernel, strcmp(arch, "i386") ? 4ull << 30 : 1ull << 30);
	vmap_destroy(m);
	/* away from the tables of the boot's areas at VMALLOC_START: the next
	 * pgd entry 512 GiB on (with 5 levels the next p4d entry) on x86_64,
	 * 8 MiB on (a pte table of its own) on i386 */
	uint64_t va = m->layout.vmalloc_start + (m->arch->bits == 64 ? 1ull << 39 : 8ull << 20), pfn;
	uint64_t before = m->pt->nr_counted;
	gfp_t gfp = m->kp->kv == KV_2_6_32 ? G32_KERNEL : G13_KERNEL;
	assert_int_equal(buddy_alloc_pages(m, gfp, 0, &pfn), 0);
	changelog_reset(m);
	assert_int_equal(pgtable_set_pte(m, va, pgtable_mk_pte(m, pfn, 0x163)), 0);
	struct pt_geometry g;
	pgtable_geometry(m, &g);
	unsigned want = 0, upper = 0, ptes = 0;
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *c = &m->log.v[i];
		if (c->kind != CH_PT_ALLOC)
			continue;
		if (c->order + 1u == g.levels) {
			ptes++;
			continue;
		}
		upper++;
		want += (g.name[c->order] == PTL_PMD && pmd) || (g.name[c->order] == PTL_PUD && pud);
	}
	assert_int_equal(ptes, 1);
	assert_true(upper >= min_upper);
	assert_int_equal(m->pt->nr_counted - before, want);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void pagetables__counts_the_kernel_tables_each_profile_accounts(void **state)
{
	(void)state;
	/* 4-level x86_64 6.x: the pud table is preallocate_vmalloc_pages()'s,
	 * so the step takes a pmd table; la57: a pud and a pmd table (the p4d
	 * tables are the preallocated ones) */
	pagetables_counts("x86_64", "6.13", true, true, 1);
	pagetables_counts("x86_64-la57", "6.13", true, true, 2);
	pagetables_counts("x86_64", "6.1", true, false, 1);
	pagetables_counts("x86_64", "2.6.32", false, false, 0);
	pagetables_counts("i386", "6.13", true, true, 0);
	pagetables_counts("i386", "2.6.32", false, false, 0);
}

/* i386: a pte written above high_memory (vmalloc, pkmap: what vmalloc()
 * and kmap() will do) is no direct-map entry, and the checker must not
 * take it for one (it took the whole GiB above PAGE_OFFSET for the direct
 * map) */
static void set_pte__i386_vmalloc_and_pkmap__not_checked_as_direct_map(void **state)
{
	(void)state;
	static const char *const arches[] = { "i386", "i386-pae" };
	for (int a = 0; a < 2; a++) {
		struct machine *m = boot(arches[a], "6.13", 1ull << 30);
		vmap_destroy(m);        /* no vmap area holds the pte: see above */
		const struct kernel_layout *l = &m->layout;
		uint64_t pfn;
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
		uint64_t pte = pgtable_mk_pte(m, pfn, 0x8000000000000163ull);
		assert_int_equal(pgtable_set_pte(m, l->vmalloc_start + 0x5000, pte), 0);
		assert_int_equal(pgtable_set_pte(m, l->pkmap_base + 0x3000, pte), 0);
		if (machine_check(m))
			fail_msg("%s: %s", arches[a], m->err);
		assert_int_equal(pgtable_pte_clear(m, l->vmalloc_start + 0x5000), 0);
		assert_int_equal(pgtable_pte_clear(m, l->pkmap_base + 0x3000), 0);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/* i386 PAE, 2.6.32: is_kernel_text() runs from PAGE_OFFSET to __init_end
 * (everything below the image is executable), and 2.6.32 has no
 * mark_nxdata_nx() and no set_memory_nx() in free_init_pages() (both came
 * with 2.6.37's NX protection of kernel data): the image's data stays
 * executable.  6.13 makes both NX. */
static void direct_map__pae_2_6_32__no_nx_below_and_after_the_text(void **state)
{
	(void)state;
	static const char *const kernels[] = { "2.6.32", "6.13" };
	for (int k = 0; k < 2; k++) {
		struct machine *m = boot("i386-pae", kernels[k], 1ull << 30);
		bool old = k == 0;
		uint64_t va[] = { m->layout.page_offset + 0x100000,                      /* the 4K head */
				  m->layout.page_offset + 0x400000,                      /* a 2M page below _text */
				  m->layout.page_offset + ((m->kimage.sdata + 4095) & ~4095ull), /* .data */
				  m->layout.page_offset + (m->kimage.init_begin & ~4095ull) };  /* .init */
		for (size_t i = 0; i < sizeof va / sizeof va[0]; i++) {
			struct pt_walk w;
			pgtable_walk(m, va[i], &w);
			assert_int_equal(w.end, WALK_MAPPED);
			uint64_t e = w.step[w.nsteps - 1].entry;
			if (old != !(e & _PAGE_NX))
				fail_msg("%s: %#llx: entry %#llx", kernels[k], (unsigned long long)va[i],
					 (unsigned long long)e);
		}
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/* 6.x's brk pgt_buf: INIT_PGT_BUF_SIZE = INIT_PGD_PAGE_COUNT pages, 4 *
 * INIT_PGD_PAGE_TABLES with CONFIG_RANDOMIZE_MEMORY (x86_64 only), where
 * INIT_PGD_PAGE_TABLES is 4 with CONFIG_X86_5LEVEL (the build the la57
 * profile runs, and whose run-time p4d folding the 4-level dump follows),
 * else 3 (arch/x86/mm/init.c); setup_arch()'s dmi_setup() runs first, and
 * its dmi_alloc() = extend_brk(len, sizeof(int)) (asm/dmi.h) puts the
 * page-aligned pgt_buf one page further: 16 + 1 and 6 + 1 (the i386 6.1
 * brk also holds mk_early_pgtbl_32()'s tables) */
static void brk_pgt_buf__is_init_pgt_buf_size(void **state)
{
	(void)state;
	static const struct {
		const char *arch;
		uint64_t pages;
		const char *kernel;
	} cases[] = { { "x86_64", 17, "6.13" }, { "x86_64-la57", 17, "6.13" }, { "i386", 7, "6.13" },
		      { "i386-pae", 7, "6.13" }, { "x86_64", 17, "6.1" } };
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct machine *m = boot(cases[c].arch, cases[c].kernel, 1ull << 30);
		/* the brk area runs from the page after __bss_stop to _brk_end */
		uint64_t bytes = m->kimage.brk_end - ((m->kimage.ebss + 4095) & ~4095ull);
		if (bytes != cases[c].pages * 4096)
			fail_msg("%s: brk pgt_buf of %llu pages", cases[c].arch, (unsigned long long)bytes / 4096);
		machine_destroy(m);
	}
}

/* 2.6.32 x86_64 maps [0, max_low_pfn) and [4 GiB, max_pfn), where
 * max_low_pfn is e820_end_of_low_ram_pfn(): 4 GiB itself when a RAM range
 * runs across it (the model took the end of the last range ending below
 * 4 GiB, left the rest unmapped and refused to boot) */
static void direct_map__2_6_32_x86_64_ram_across_4g__mapped_whole(void **state)
{
	(void)state;
	struct machine_config cfg = {
		.arch = "x86_64", .kernel = "2.6.32",
		.iomem_text = "00000000-0009fbff : System RAM\n0009fc00-0009ffff : Reserved\n"
			      "000f0000-000fffff : Reserved\n00100000-17fffffff : System RAM\n",
	};
	struct machine *m = boot_pure(&cfg);
	static const uint64_t phys[] = { 0x100000, 0xbffff000ull, 0xfffff000ull, 0x100000000ull, 0x17ffff000ull };
	for (size_t i = 0; i < sizeof phys / sizeof phys[0]; i++) {
		struct pt_walk w;
		pgtable_walk(m, m->layout.page_offset + phys[i], &w);
		assert_int_equal(w.end, WALK_MAPPED);
		assert_int_equal(w.phys, phys[i]);
	}
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* 2.6.32 maps [0, max_low_pfn) holes and all, and a hole /proc/iomem
 * does not list is no inconsistency (the checker took it for one) */
static void direct_map__2_6_32_unlisted_hole__mapped_and_consistent(void **state)
{
	(void)state;
	static const char *const arches[] = { "i386", "i386-pae", "x86_64" };
	for (int a = 0; a < 3; a++) {
		struct machine_config cfg = {
			.arch = arches[a], .kernel = "2.6.32",
			.iomem_text = "00000000-0009fbff : System RAM\n0009fc00-0009ffff : Reserved\n"
				      "000f0000-000fffff : Reserved\n00100000-13ffffff : System RAM\n"
				      "16000000-3fffffff : System RAM\n",
		};
		struct machine *m = boot_pure(&cfg);
		struct pt_walk w;
		pgtable_walk(m, m->layout.page_offset + 0x15000000, &w);        /* the hole */
		assert_int_equal(w.end, WALK_MAPPED);
		if (machine_check(m))
			fail_msg("%s: %s", arches[a], m->err);
		machine_destroy(m);
	}
}

static void every_profile__boots_consistent_page_tables(void **state)
{
	(void)state;
	static const struct machine_config cfgs[] = {
		{ .arch = "i386" }, { .arch = "i386", .kernel = "6.13" },
		{ .arch = "i386-pae", .kernel = "6.13", .mem_bytes = 3ull << 30 },
		{ .arch = "i386-pae", .kernel = "2.6.32", .mem_bytes = 8ull << 30 },
		{ .arch = "x86_64" }, { .arch = "x86_64", .kernel = "2.6.32" },
		{ .arch = "x86_64-la57" }, { .arch = "x86_64", .kaslr = true, .kaslr_seed = 9 },
		{ .arch = "x86_64", .nogbpages = true, .mem_bytes = 64ull << 30 },
		{ .arch = "i386", .vmalloc_size = 256ull << 20 },
	};
	for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
		struct machine *m = boot_pure(&cfgs[i]);
		if (machine_check(m))
			fail_msg("config %zu: %s", i, m->err);
		/* the direct map covers lowmem exactly: its last page maps, the
		 * next does not (x86_64: up to the 1G/2M page end) */
		uint64_t last = m->layout.page_offset + (m->max_low_pfn << 12) - 1;
		struct pt_walk w;
		pgtable_walk(m, last, &w);
		assert_int_equal(w.end, WALK_MAPPED);
		assert_int_equal(w.phys, (m->max_low_pfn << 12) - 1);
		machine_destroy(m);
	}
}

/* The checker judges an unchanged table by the summary its writes kept:
 * a wrong 1 GiB leaf far from anything touched is still caught, written
 * through the API (the summary flags it) or into the table's bytes behind
 * it (the entries differ from their shadow), and so is a table's used
 * count changed behind it (the seal). */
static void check__wrong_1g_leaf_far_from_anything_touched__is_caught(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1ull << 40);
	assert_int_equal(machine_check(m), 0);
	uint64_t va = m->layout.page_offset + (900ull << 30);
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.page_size, 1ull << 30);
	uint64_t good = w.step[w.nsteps - 1].entry, bad = good + (1ull << 30);
	unsigned depth = w.step[w.nsteps - 1].depth, idx = w.step[w.nsteps - 1].index;
	char want[128];
	snprintf(want, sizeof want, "direct map: 0x%llx maps phys 0x%llx, not 0x%llx", (unsigned long long)va,
		 (unsigned long long)(901ull << 30), (unsigned long long)(900ull << 30));
	/* through the API */
	assert_int_equal(pgtable_set_entry(m, va, depth, bad), 0);
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_string_equal(m->err, want);
	assert_int_equal(pgtable_set_entry(m, va, depth, good), 0);
	assert_int_equal(machine_check(m), 0);
	/* behind it */
	struct pt_table *t = NULL;
	for (size_t k = 0; k < m->pt->nt; k++)
		if (m->pt->t[k].pfn == w.step[w.nsteps - 1].table_pfn)
			t = &m->pt->t[k];
	assert_non_null(t);
	memcpy(t->e + idx * 8u, &bad, 8);
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_string_equal(m->err, want);
	memcpy(t->e + idx * 8u, &good, 8);
	assert_int_equal(machine_check(m), 0);
	/* a used count changed behind the API */
	t->used--;
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "entries used"));
	t->used++;
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(geometry__each_profile_splits_the_address_as_its_headers_say),
		cmocka_unit_test(entry_bits__match_pgtable_types_h),
		cmocka_unit_test(direct_map__i386_6_13_real_iomem__equals_the_real_kernel),
		cmocka_unit_test(direct_map__amd64_real_iomem_nogbpages__maps_what_the_kernel_maps),
		cmocka_unit_test(direct_map__this_hosts_iomem__maps_what_its_kernel_maps),
		cmocka_unit_test(direct_map__i386_2_6_32__first_4m_small_then_4m_pages),
		cmocka_unit_test(direct_map__x86_64_gbpages__uses_1g_pages_where_aligned),
		cmocka_unit_test(direct_map__1t_boots_with_a_handful_of_tables),
		cmocka_unit_test(walk__every_kind_of_address),
		cmocka_unit_test(virt_to_phys__refuses_what_is_not_the_direct_map),
		cmocka_unit_test(phys_to_virt__highmem_has_no_address),
		cmocka_unit_test(virt_phys_round_trip__of_allocated_pages_and_objects),
		cmocka_unit_test(whatis__names_every_kind_of_address),
		cmocka_unit_test(i386__addresses_above_4g__are_no_address),
		cmocka_unit_test(set_pte__allocates_tables_from_the_buddy_allocator_and_logs),
		cmocka_unit_test(pagetables__counts_the_kernel_tables_each_profile_accounts),
		cmocka_unit_test(set_pte__i386_vmalloc_and_pkmap__not_checked_as_direct_map),
		cmocka_unit_test(direct_map__pae_2_6_32__no_nx_below_and_after_the_text),
		cmocka_unit_test(brk_pgt_buf__is_init_pgt_buf_size),
		cmocka_unit_test(direct_map__2_6_32_x86_64_ram_across_4g__mapped_whole),
		cmocka_unit_test(direct_map__2_6_32_unlisted_hole__mapped_and_consistent),
		cmocka_unit_test(every_profile__boots_consistent_page_tables),
		cmocka_unit_test(check__wrong_1g_leaf_far_from_anything_touched__is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
