/*
 * layout.c - the kernel's virtual address map, computed with each modelled
 * kernel's own formulas.
 *
 * A 32-bit kernel packs everything into the top gigabyte: the direct map of
 * lowmem from PAGE_OFFSET up to high_memory, an 8 MiB hole, vmalloc space,
 * the persistent kmap window and, at the very top, the fixmap (compile-time
 * slots counted down from 0xfffff000).  The sizes of the upper areas come
 * from build constants (NR_CPUS, the fixmap enum), and what is left decides
 * how much RAM can be direct-mapped: MAXMEM = VMALLOC_END - PAGE_OFFSET -
 * __VMALLOC_RESERVE.  A 64-bit kernel has room for everything and lays out
 * fixed areas (Documentation/arch/x86/x86_64/mm.rst); with KASLR it slides
 * the direct map, vmalloc and vmemmap within their window.
 *
 * Sources (file, function or macro, version):
 *   2.6.32 i386: arch/x86/include/asm/pgtable_32_types.h (VMALLOC_START,
 *     PKMAP_BASE, VMALLOC_END, MAXMEM), arch/x86/include/asm/fixmap.h (enum
 *     fixed_addresses, FIXADDR_START, FIXADDR_BOOT_START), asm-generic/
 *     kmap_types.h (KM_TYPE_NR), arch/x86/mm/pgtable_32.c (__VMALLOC_RESERVE,
 *     parse_vmalloc(), __FIXADDR_TOP), arch/x86/mm/init_32.c (highmem_pfn_init(),
 *     initmem_init(), mem_init()).
 *   6.13 i386: arch/x86/include/asm/pgtable_32_areas.h (CPU_ENTRY_AREA_BASE,
 *     LDT_BASE_ADDR, PKMAP_BASE), fixmap.h (KMAP_LOCAL slots, FIX_BTMAP_END
 *     rounding to a PTE table), cpu_entry_area.h (struct cpu_entry_area).
 *   x86_64: pgtable_64_types.h, page_64_types.h, fixmap.h, mm.rst,
 *     arch/x86/mm/kaslr.c kernel_randomize_memory() (6.13); 2.6.32
 *     pgtable_64_types.h, page_64_types.h, vsyscall.h, Documentation/x86/
 *     x86_64/mm.txt.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/i18n.h"
#include "kmemsh/layout.h"
#include "kmemsh/machine.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define KiB 1024ull
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)
#define TiB (1024ull * GiB)
#define TB_SHIFT 40

#define VMALLOC_OFFSET (8 * MiB)                /* pgtable_32_types.h / _areas.h */
#define VMALLOC_RESERVE_DEFAULT (128 * MiB)     /* pgtable_32.c: 128 << 20 */
#define FIXADDR_TOP_32 0xfffff000ull            /* pgtable_32.c: __FIXADDR_TOP */
#define MIN_LOWMEM (64 * MiB)                   /* see check_vmalloc_size() */

/*
 * ---- build configurations ------------------------------------------
 *
 * i386, 2.6.32: a Debian 686 kernel.  debian/config/i386/config.686 of the
 * 2.6.2x packaging (as kept in danos/linux-vyatta and linuxdeepin/
 * deepin-kernel) has CONFIG_SMP=y, CONFIG_NR_CPUS=8, M686, HIGHMEM4G; the
 * common i386 config has PARAVIRT=y (VMI, KVM guest), PCI_MMCONFIG=y,
 * X86_PC (no VISWS, no CYCLONE timer), and M686 has no F00F bug slot.
 * 2.6.32's asm-generic/kmap_types.h ends with KM_NMI, KM_NMI_PTE:
 * KM_TYPE_NR = 19 (KM_KDB came in 2.6.35); MAX_IO_APICS is 64 on x86_32
 * (apicdef.h).  This gives __end_of_permanent_fixed_addresses = 225 and
 * PKMAP_BASE 0xff800000, the value of most 2.6.3x non-PAE boot logs.
 */
static const struct layout_kconfig kconfig_i386_2_6_32 = {
	.name = "Debian 686 (2.6.32; NR_CPUS 8 as in debian/config/i386/config.686)",
	.nr_cpus = 8, .km_type_nr = 19, .max_io_apics = 64,
	.x86_local_apic = true, .x86_io_apic = true, .pci_mmconfig = true,
	.paravirt = true,
};

/* i386-pae, 2.6.32: Debian 686-bigmem (config.686-bigmem: NR_CPUS=32,
 * HIGHMEM64G, X86_PAE), otherwise as above.  perm = 681 slots; PKMAP_BASE
 * comes out at 0xff800000 again (2 MiB PMDs), as in the PAE boot log of
 * kernel-facts §9.1 (pkmap 0xff800000-0xffa00000, vmalloc end 0xff7fe000). */
static const struct layout_kconfig kconfig_i386_pae_2_6_32 = {
	.name = "Debian 686-bigmem (2.6.32; NR_CPUS 32, PAE)",
	.nr_cpus = 32, .km_type_nr = 19, .max_io_apics = 64,
	.x86_local_apic = true, .x86_io_apic = true, .pci_mmconfig = true,
	.paravirt = true,
};

/*
 * i386, 6.x: Debian 12's linux-image-686 (6.1), the kernel of
 * real-kernels/i386-6.1-1G-2cpu: "setup_percpu: NR_CPUS:32", and
 * debian/config/i386/config has NR_CPUS=32, HIGHMEM4G, PCI_MMCONFIG=y,
 * no INTEL_IOMMU (so no INTEL_TXT).  No Xen on non-PAE x86_32, so no
 * PARAVIRT_XXL; ACPI_APEI_GHES is only in Debian's amd64 config.
 * KM_MAX_IDX is 16 without DEBUG_KMAP_LOCAL (asm/kmap_size.h).
 *
 * sizeof(struct cpu_entry_area) on x86_32 (cpu_entry_area.h), every member
 * page-aligned: gdt 1 page, guard 1, entry_stack_page 1, guard 1,
 * doublefault_stack 1, tss_struct 5 (104-byte x86_hw_tss + x86_io_bitmap of
 * 8 + 4 + 2 * 2049 longs = 16508 bytes, __aligned(PAGE_SIZE)), debug_store
 * 1, debug_store_buffers 32 (BTS and PEBS buffers, PAGE_SIZE << 4 each):
 * 43 pages.  PKMAP_BASE stays 0xfec00000 for any per-CPU size from 16 to
 * 47 pages with NR_CPUS 32, so the real kernel's numbers pin the range,
 * not the exact count.
 */
static const struct layout_kconfig kconfig_i386_6_13 = {
	.name = "Debian 12 686 (6.1 build; NR_CPUS 32)",
	.nr_cpus = 32, .km_type_nr = 16, .max_io_apics = 64,
	.cea_pages_per_cpu = 43,
	.x86_local_apic = true, .x86_io_apic = true, .pci_mmconfig = true,
};

/* i386-pae, 6.x: Debian 686-pae: as 686 plus X86_PAE and Xen PV guest
 * support (PARAVIRT_XXL).  A real 6.x PAE kernel with 3 GiB maps lowmem
 * 0xc0000000-0xf6ffe000 and vmalloc 0xf77fe000-0xfeffe000. */
static const struct layout_kconfig kconfig_i386_pae_6_13 = {
	.name = "Debian 12 686-pae (6.1 build; NR_CPUS 32, PAE)",
	.nr_cpus = 32, .km_type_nr = 16, .max_io_apics = 64,
	.cea_pages_per_cpu = 43,
	.x86_local_apic = true, .x86_io_apic = true, .pci_mmconfig = true,
	.paravirt = true,
};

/* x86_64, 6.x: Debian amd64 (debian/config/amd64/config: MAXSMP=y so
 * NR_CPUS 8192, which no x86_64 formula here uses; XEN_PV=y so
 * PARAVIRT_XXL, ACPI_APEI_GHES=y, X86_VSYSCALL_EMULATION=y,
 * RANDOMIZE_BASE=y, RANDOMIZE_MEMORY=y; RANDOMIZE_MEMORY_PHYSICAL_PADDING
 * keeps its default 0xa; PCI_P2PDMA off).  MAX_IO_APICS is 128 on 64-bit. */
static const struct layout_kconfig kconfig_x86_64_6_13 = {
	.name = "Debian amd64 (6.x; RANDOMIZE_BASE, RANDOMIZE_MEMORY)",
	.nr_cpus = 8192, .max_io_apics = 128,
	.x86_local_apic = true, .x86_io_apic = true, .pci_mmconfig = true,
	.paravirt = true, .acpi_apei_ghes = true, .vsyscall_emulation = true,
	.randomize_base = true, .randomize_memory_padding_tb = 10,
};

/* x86_64, 2.6.32: Debian squeeze amd64 (PARAVIRT and XEN on); no KASLR
 * exists yet and KERNEL_IMAGE_SIZE is 512 MiB.  NR_CPUS sizes no layout
 * region here; SLAB's struct kmem_cache (array[NR_CPUS]) takes RHEL 6's
 * 4096, which its slabinfo's "kmem_cache ... 32896" shows (slab_classic.c
 * create_cache_cache()); squeeze's own was not looked up. */
static const struct layout_kconfig kconfig_x86_64_2_6_32 = {
	.name = "Debian squeeze amd64 (2.6.32)",
	.nr_cpus = 4096,
	.max_io_apics = 128,
	.x86_local_apic = true, .x86_io_apic = true, .pci_mmconfig = true,
	.paravirt = true,
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, _(fmt), ap);     /* a msgid: the Makefile names set_err */
	va_end(ap);
}

/* ---- regions -------------------------------------------------------- */

/* Regions are appended in address order from a cursor, so they are
 * contiguous by construction; gap() fills any space up to the next area. */
struct builder {
	struct kernel_layout *l;
	uint64_t cursor;        /* first address not yet covered */
	bool done;              /* the top of the address space was reached */
	bool bad;               /* an area started below the cursor */
};

/* [cursor, last] */
static void emit(struct builder *b, uint64_t last, enum vm_region_kind kind, const char *what)
{
	struct kernel_layout *l = b->l;
	if (b->done || last < b->cursor || l->nregions >= LAYOUT_MAX_REGIONS) {
		b->bad = true;
		return;
	}
	l->region[l->nregions++] = (struct vm_region){ b->cursor, last, kind, what };
	if (last == UINT64_MAX)
		b->done = true;
	else
		b->cursor = last + 1;
}

/* [cursor, next - 1] as a hole, if there is room */
static void gap(struct builder *b, uint64_t next, enum vm_region_kind kind, const char *what)
{
	if (next < b->cursor)
		b->bad = true;
	else if (next > b->cursor)
		emit(b, next - 1, kind, what);
}

/* an area [start, start + size) after a hole */
static void area(struct builder *b, uint64_t start, uint64_t size, enum vm_region_kind kind,
		 const char *what)
{
	gap(b, start, VR_HOLE, "unused hole");
	if (size)
		emit(b, start + size - 1, kind, what);
}

/* ---- fixmap --------------------------------------------------------- */

struct fixmap {
	unsigned end_perm, end_all;     /* __end_of_permanent_fixed_addresses, __end_of_fixed_addresses */
	unsigned kmap_begin, kmap_end;  /* 0, 0 if none */
};

/*
 * The slots both versions have between their first slots and
 * FIX_PARAVIRT_BOOTMAP, from slot i on: FIX_DBGP_BASE,
 * FIX_EARLYCON_MEM_BASE, FIX_OHCI1394_BASE, FIX_APIC_BASE, FIX_IO_APIC_BASE_*
 * and, on x86_32, the per-CPU kmap slots (KM_TYPE_NR in 2.6.32, KM_MAX_IDX
 * with CONFIG_KMAP_LOCAL in 6.13, times NR_CPUS) and FIX_PCIE_MCFG.
 * Returns the next slot; the kmap range goes to f.
 */
static unsigned device_slots(const struct layout_kconfig *c, bool x86_32, unsigned i, struct fixmap *f)
{
	i += 2;                                 /* FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE */
	if (c->ohci1394_dma_init)
		i++;
	if (c->x86_local_apic)
		i++;
	if (c->x86_io_apic)
		i += c->max_io_apics;
	if (x86_32) {
		f->kmap_begin = i;
		i += c->km_type_nr * c->nr_cpus;
		f->kmap_end = i - 1;
		if (c->pci_mmconfig)
			i++;
	}
	return i;
}

/* The slots both versions have past FIX_BTMAP_BEGIN, from slot i on;
 * returns __end_of_fixed_addresses. */
static unsigned last_slots(const struct layout_kconfig *c, bool x86_32, unsigned i)
{
	if (x86_32)
		i++;                            /* FIX_WP_TEST */
	if (c->intel_txt)
		i++;                            /* FIX_TBOOT_BASE */
	return i;
}

/*
 * 2.6.32 arch/x86/include/asm/fixmap.h, enum fixed_addresses.  The boot-time
 * slots start at the next 256-page boundary: FIX_BTMAP_END = end + 256 -
 * (end & 255), FIX_BTMAP_BEGIN = FIX_BTMAP_END + NR_FIX_BTMAPS (64) *
 * FIX_BTMAPS_SLOTS (4) - 1.
 */
static struct fixmap fixmap_2_6_32(const struct layout_kconfig *c, bool x86_32)
{
	struct fixmap f = { 0 };
	unsigned i = 0;
	if (x86_32) {
		i = 2;                          /* FIX_HOLE, FIX_VDSO */
	} else {
		/* VSYSCALL_LAST_PAGE .. VSYSCALL_FIRST_PAGE: (VSYSCALL_END -
		 * VSYSCALL_START) >> PAGE_SHIFT = 8 MiB of pages, then HPET */
		i = (unsigned)((8 * MiB) >> PAGE_SHIFT) + 1;
	}
	i = device_slots(c, x86_32, i, &f);
	if (c->paravirt)
		i++;                            /* FIX_PARAVIRT_BOOTMAP */
	i += 2;                                 /* FIX_TEXT_POKE1, FIX_TEXT_POKE0 */
	f.end_perm = i;
	unsigned btmap_end = i + 256 - (i & 255);
	i = btmap_end + 64 * 4;                 /* past FIX_BTMAP_BEGIN */
	f.end_all = last_slots(c, x86_32, i);
	return f;
}

/*
 * 6.13 arch/x86/include/asm/fixmap.h, enum fixed_addresses.  On x86_64 the
 * first slot is VSYSCALL_PAGE = (FIXADDR_TOP - VSYSCALL_ADDR) >> PAGE_SHIFT
 * = 511.  The 512 boot-time slots are moved to the next 512-slot boundary
 * only if they would otherwise cross a page table:
 *   FIX_BTMAP_END = (end ^ (end + 511)) & -PTRS_PER_PTE ? end + 512 - (end & 511) : end
 */
static struct fixmap fixmap_6_13(const struct layout_kconfig *c, bool x86_32, unsigned ptrs_per_pte)
{
	struct fixmap f = { 0 };
	unsigned i;
	if (x86_32)
		i = 1;                          /* FIX_HOLE */
	else
		i = c->vsyscall_emulation ? 512 : 0;
	i = device_slots(c, x86_32, i, &f);
	if (c->paravirt)
		i++;                            /* FIX_PARAVIRT_BOOTMAP (PARAVIRT_XXL) */
	if (c->acpi_apei_ghes)
		i += 2;                         /* FIX_APEI_GHES_IRQ, FIX_APEI_GHES_NMI */
	f.end_perm = i;
	const unsigned total = 64 * 8;          /* NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS */
	unsigned btmap_end = ((i ^ (i + total - 1)) & ~(ptrs_per_pte - 1))
		? i + total - (i & (total - 1)) : i;
	i = btmap_end + total;                  /* past FIX_BTMAP_BEGIN */
	f.end_all = last_slots(c, x86_32, i);
	return f;
}

static void set_fixmap(struct kernel_layout *l, const struct fixmap *f, uint64_t top)
{
	l->fixaddr_top = top;
	l->end_of_permanent_fixed = f->end_perm;
	l->end_of_fixed = f->end_all;
	l->fixaddr_start = top - ((uint64_t)f->end_perm << PAGE_SHIFT);
	l->fixaddr_tot_start = top - ((uint64_t)f->end_all << PAGE_SHIFT);
	l->fix_kmap_begin = f->kmap_begin;
	l->fix_kmap_end = f->kmap_end;
}

/* ---- x86_32 ----------------------------------------------------------- */

/*
 * vmalloc=SIZE (pgtable_32.c parse_vmalloc()) sets __VMALLOC_RESERVE = SIZE
 * + VMALLOC_OFFSET, and MAXMEM shrinks by as much as the reserve grows.  The
 * kernel itself checks nothing: a reserve larger than VMALLOC_END -
 * PAGE_OFFSET wraps MAXMEM around (unsigned long), and a tiny lowmem cannot
 * hold the kernel and its boot allocations.  We refuse what would leave
 * less than 64 MiB of lowmem, the floor init_32.c lowmem_pfn_init() puts on
 * the highmem= option ("results in <64MB lowmem, ignoring it!").
 */
static int check_vmalloc_size(const struct layout_params *p, uint64_t vmalloc_end,
			      uint64_t page_offset, char *err, size_t errlen)
{
	uint64_t room = vmalloc_end - page_offset;
	if (p->vmalloc_size > room || room - p->vmalloc_size < VMALLOC_OFFSET + MIN_LOWMEM) {
		uint64_t max = room - VMALLOC_OFFSET - MIN_LOWMEM;
		set_err(err, errlen,
			"vmalloc=%lluM leaves less than 64 MiB of lowmem (MAXMEM = VMALLOC_END - "
			"PAGE_OFFSET - (size + 8 MiB)); at most %lluK here",
			(unsigned long long)(p->vmalloc_size >> 20), (unsigned long long)(max >> 10));
		return -EINVAL;
	}
	return 0;
}

static int compute_x86_32(const struct layout_params *p, struct kernel_layout *l,
			  char *err, size_t errlen)
{
	const struct arch_profile *a = p->arch;
	const bool pae = a->pae, old = p->kv == KV_2_6_32;
	const uint64_t pmd_size = pae ? 2 * MiB : 4 * MiB;   /* PMD_SHIFT 21 (3-level) / PGDIR_SHIFT 22 */
	const uint64_t pmd_mask = ~(pmd_size - 1);
	struct fixmap f;

	if (p->kaslr) {
		set_err(err, errlen, "KASLR of the memory regions (RANDOMIZE_MEMORY) is x86_64 only");
		return -EINVAL;
	}
	if (old) {
		l->kconfig = pae ? &kconfig_i386_pae_2_6_32 : &kconfig_i386_2_6_32;
		f = fixmap_2_6_32(l->kconfig, true);
	} else {
		l->kconfig = pae ? &kconfig_i386_pae_6_13 : &kconfig_i386_6_13;
		f = fixmap_6_13(l->kconfig, true, pae ? 512 : 1024);
	}
	l->va_bits = 32;
	l->page_offset = old ? a->page_offset_old : a->page_offset;
	l->task_size = l->page_offset;                  /* TASK_SIZE = __PAGE_OFFSET */
	set_fixmap(l, &f, FIXADDR_TOP_32);
	l->last_pkmap = pae ? 512 : 1024;               /* LAST_PKMAP */

	if (old) {
		/* pgtable_32_types.h: PKMAP_BASE = (FIXADDR_BOOT_START -
		 * PAGE_SIZE * (LAST_PKMAP + 1)) & PMD_MASK */
		l->pkmap_base = (l->fixaddr_tot_start - PAGE_SIZE * (l->last_pkmap + 1)) & pmd_mask;
	} else {
		/* pgtable_32_areas.h; the +1 page is the read-only IDT */
		uint64_t cea_pages = (uint64_t)l->kconfig->nr_cpus * l->kconfig->cea_pages_per_cpu;
		l->cpu_entry_area_base = (l->fixaddr_tot_start - PAGE_SIZE * (cea_pages + 1)) & pmd_mask;
		/* CPU_ENTRY_AREA_MAP_SIZE: the IDT page and NR_CPUS areas */
		l->cpu_entry_area_size = PAGE_SIZE * (cea_pages + 1);
		l->ldt_base = (l->cpu_entry_area_base - PAGE_SIZE) & pmd_mask;
		l->pkmap_base = (l->ldt_base - PAGE_SIZE) & pmd_mask;
	}
	l->vmalloc_end = l->pkmap_base - 2 * PAGE_SIZE; /* VMALLOC_END with CONFIG_HIGHMEM */

	if (p->vmalloc_size) {
		int r = check_vmalloc_size(p, l->vmalloc_end, l->page_offset, err, errlen);
		if (r)
			return r;
		l->vmalloc_reserve = p->vmalloc_size + VMALLOC_OFFSET;
	} else {
		l->vmalloc_reserve = VMALLOC_RESERVE_DEFAULT;
	}
	l->maxmem = l->vmalloc_end - l->page_offset - l->vmalloc_reserve;

	/* init_32.c find_low_pfn_range(): lowmem_pfn_init() when max_pfn <=
	 * MAXMEM_PFN, else highmem_pfn_init() (max_low_pfn = MAXMEM_PFN) */
	uint64_t maxmem_pfn = l->maxmem >> PAGE_SHIFT;
	l->max_low_pfn = p->max_pfn <= maxmem_pfn ? p->max_pfn : maxmem_pfn;
	/* initmem_init(): high_memory = __va(highstart_pfn * PAGE_SIZE - 1) + 1 */
	l->high_memory = l->page_offset + (l->max_low_pfn << PAGE_SHIFT);
	l->vmalloc_start = l->high_memory + VMALLOC_OFFSET;     /* not rounded */
	l->modules_vaddr = l->vmalloc_start;            /* MODULES_VADDR = VMALLOC_START */
	l->modules_end = l->vmalloc_end;

	if (l->vmalloc_start >= l->vmalloc_end) {       /* mem_init()'s BUG_ON */
		set_err(err, errlen, "VMALLOC_START %#llx >= VMALLOC_END %#llx",
			(unsigned long long)l->vmalloc_start, (unsigned long long)l->vmalloc_end);
		return -EINVAL;
	}

	struct builder b = { .l = l };
	emit(&b, l->page_offset - 1, VR_USER, "user space (TASK_SIZE = PAGE_OFFSET)");
	if (l->max_low_pfn)
		emit(&b, l->high_memory - 1, VR_DIRECT, "lowmem: direct map of ZONE_DMA and ZONE_NORMAL");
	emit(&b, l->vmalloc_start - 1, VR_HOLE, "VMALLOC_OFFSET hole (8 MiB)");
	emit(&b, l->vmalloc_end - 1, VR_VMALLOC, "vmalloc/ioremap space (and modules)");
	gap(&b, l->pkmap_base, VR_HOLE, "guard pages (VMALLOC_END = PKMAP_BASE - 2 pages)");
	emit(&b, l->pkmap_base + ((uint64_t)l->last_pkmap << PAGE_SHIFT) - 1, VR_PKMAP,
	     "persistent kmap area (LAST_PKMAP pages)");
	if (!old) {
		area(&b, l->ldt_base, pmd_size, VR_LDT, "LDT remap for PTI (one PMD)");
		area(&b, l->cpu_entry_area_base, l->cpu_entry_area_size, VR_CPU_ENTRY,
		     "cpu_entry_area (read-only IDT page, then one area per NR_CPUS)");
	}
	gap(&b, l->fixaddr_tot_start, VR_HOLE, "unused hole");
	emit(&b, l->fixaddr_start - 1, VR_FIXMAP, "fixmap: boot-time slots (FIX_BTMAP_*, early_ioremap)");
	emit(&b, l->fixaddr_top - 1, VR_FIXMAP, "fixmap: permanent slots");
	emit(&b, 0xffffffffull, VR_HOLE, "top page (above FIXADDR_TOP)");
	if (b.bad) {
		set_err(err, errlen, "the x86_32 areas overlap (fixmap %u slots, MAXMEM %#llx)",
			f.end_all, (unsigned long long)l->maxmem);
		return -EINVAL;
	}
	return 0;
}

/* ---- x86_64 ----------------------------------------------------------- */

/* Our stand-in for the kernel's prandom_bytes_state() stream seeded by
 * kaslr_get_random_long("Memory"): that seed comes from RDRAND/RDTSC and
 * the boot parameters, which a model cannot reproduce, so the bases are a
 * deterministic function of kaslr_seed instead (splitmix64). */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t div_round_up(uint64_t n, uint64_t d)
{
	return n / d + (n % d != 0);
}

/*
 * arch/x86/mm/kaslr.c kernel_randomize_memory() (6.13): the direct map,
 * vmalloc and vmemmap keep their order; each gets a PUD-aligned random
 * share of the space left between __PAGE_OFFSET_BASE_L4/L5 and vaddr_end
 * (CPU_ENTRY_AREA_BASE) once their sizes are taken out.
 */
static void randomize_memory(const struct layout_params *p, struct kernel_layout *l,
			     uint64_t vaddr_start, uint64_t vaddr_end, unsigned max_physmem_bits,
			     uint64_t vmalloc_size_tb)
{
	const uint64_t pud_size = 1ull << 30, pud_mask = ~(pud_size - 1);
	uint64_t size_tb[3];

	size_tb[0] = 1ull << (max_physmem_bits - TB_SHIFT);
	size_tb[1] = vmalloc_size_tb;
	uint64_t memory_tb = div_round_up(p->max_pfn << PAGE_SHIFT, 1ull << TB_SHIFT) +
		l->kconfig->randomize_memory_padding_tb;
	if (memory_tb < size_tb[0])                     /* !CONFIG_PCI_P2PDMA */
		size_tb[0] = memory_tb;
	uint64_t vmemmap_size = (size_tb[0] << (TB_SHIFT - PAGE_SHIFT)) * p->arch->struct_page_6_13;
	size_tb[2] = div_round_up(vmemmap_size, 1ull << TB_SHIFT);

	uint64_t remain_entropy = vaddr_end - vaddr_start;
	for (int i = 0; i < 3; i++)
		remain_entropy -= size_tb[i] << TB_SHIFT;

	uint64_t state = p->kaslr_seed, vaddr = vaddr_start, *base[3] = {
		&l->page_offset, &l->vmalloc_start, &l->vmemmap_base,
	};
	for (int i = 0; i < 3; i++) {
		uint64_t entropy = remain_entropy / (uint64_t)(3 - i);
		uint64_t rand = splitmix64(&state);
		entropy = (rand % (entropy + 1)) & pud_mask;
		vaddr += entropy;
		*base[i] = vaddr;
		vaddr += size_tb[i] << TB_SHIFT;
		vaddr = (vaddr + 1 + pud_size - 1) & pud_mask; /* round_up(vaddr + 1, PUD_SIZE) */
		remain_entropy -= entropy;
	}
	l->direct_map_size = size_tb[0] << TB_SHIFT;
	l->vmemmap_size = size_tb[2] << TB_SHIFT;
}

static int compute_x86_64(const struct layout_params *p, struct kernel_layout *l,
			  char *err, size_t errlen)
{
	const struct arch_profile *a = p->arch;
	const bool la57 = a->la57, old = p->kv == KV_2_6_32;
	const uint64_t ram = p->max_pfn << PAGE_SHIFT;

	if (old && (la57 || p->kaslr)) {
		set_err(err, errlen, "2.6.32 has %s", la57 ? _("no 5-level paging (LA57 came in 4.14)")
			: _("no KASLR (RANDOMIZE_MEMORY came in 4.8)"));
		return -EINVAL;
	}
	l->max_low_pfn = p->max_pfn;
	l->start_kernel_map = 0xffffffff80000000ull;    /* __START_KERNEL_map */

	if (old) {
		/*
		 * 2.6.32: page_64_types.h __PAGE_OFFSET 0xffff880000000000,
		 * KERNEL_IMAGE_SIZE 512 MiB; pgtable_64_types.h VMALLOC_START/END,
		 * VMEMMAP_START, MODULES_VADDR/END; vsyscall.h VSYSCALL_START
		 * (-10UL << 20), VSYSCALL_END (-2UL << 20); fixmap.h FIXADDR_TOP =
		 * VSYSCALL_END - PAGE_SIZE.  No espfix, EFI window, LDT remap or
		 * cpu_entry_area yet.  (mm.txt says modules end at
		 * fffffffffff00000; the code's MODULES_END is 0xffffffffff000000.)
		 */
		l->kconfig = &kconfig_x86_64_2_6_32;
		struct fixmap f = fixmap_2_6_32(l->kconfig, false);
		l->va_bits = 48;
		l->task_size = (1ull << 47) - PAGE_SIZE;        /* TASK_SIZE_MAX */
		l->page_offset = a->page_offset_old;
		l->direct_map_size = 64 * TiB;
		l->vmalloc_start = 0xffffc90000000000ull;
		l->vmalloc_end = 0xffffe8ffffffffffull + 1;
		l->vmemmap_base = 0xffffea0000000000ull;
		l->vmemmap_size = 1 * TiB;
		l->kernel_image_size = 512 * MiB;
		l->modules_vaddr = 0xffffffffa0000000ull;
		l->modules_end = 0xffffffffff000000ull;
		set_fixmap(l, &f, 0xffffffffffe00000ull - PAGE_SIZE);
		if (ram > l->direct_map_size) {
			set_err(err, errlen, "RAM ends beyond the 64 TiB direct map");
			return -EINVAL;
		}
		l->high_memory = l->page_offset + ram;

		struct builder b = { .l = l };
		emit(&b, l->task_size - 1, VR_USER, "user space (TASK_SIZE_MAX)");
		emit(&b, (1ull << 47) - 1, VR_HOLE, "guard page");
		emit(&b, 0xffff7fffffffffffull, VR_NONCANONICAL, "hole caused by [48:63] sign extension");
		emit(&b, 0xffff80ffffffffffull, VR_HOLE, "guard hole");
		gap(&b, l->page_offset, VR_HOLE, "unused hole");
		if (ram)
			emit(&b, l->high_memory - 1, VR_DIRECT, "direct mapping of all physical memory");
		emit(&b, l->page_offset + l->direct_map_size - 1, VR_DIRECT_SPARE,
		     "direct map reservation beyond RAM");
		area(&b, l->vmalloc_start, l->vmalloc_end - l->vmalloc_start, VR_VMALLOC,
		     "vmalloc/ioremap space");
		area(&b, l->vmemmap_base, l->vmemmap_size, VR_VMEMMAP, "virtual memory map (1 TB)");
		area(&b, l->start_kernel_map, l->kernel_image_size, VR_KERNEL_TEXT,
		     "kernel text mapping, from phys 0");
		area(&b, l->modules_vaddr, l->modules_end - l->modules_vaddr, VR_MODULES,
		     "module mapping space");
		gap(&b, l->fixaddr_tot_start, VR_HOLE, "unused hole");
		emit(&b, l->fixaddr_start - 1, VR_FIXMAP, "fixmap: boot-time slots (FIX_BTMAP_*, early_ioremap)");
		emit(&b, 0xffffffffff5fffffull, VR_FIXMAP, "fixmap: permanent slots");
		emit(&b, 0xffffffffffdfffffull, VR_VSYSCALL, "vsyscalls (VSYSCALL_START..VSYSCALL_END)");
		emit(&b, UINT64_MAX, VR_HOLE, "unused hole");
		if (b.bad) {
			set_err(err, errlen, "the x86_64 areas overlap");
			return -EINVAL;
		}
		return 0;
	}

	/*
	 * 6.13: page_64_types.h, pgtable_64_types.h, fixmap.h; mm.rst rows.
	 * The guard hole (GUARD_HOLE_PGD_ENTRY -256, 16 PGD slots) and the LDT
	 * remap (LDT_PGD_ENTRY -240, one slot) are counted in PGDIR_SHIFT units
	 * (39 or 48); cpu_entry_area (CPU_ENTRY_AREA_PGD -4) and espfix
	 * (ESPFIX_PGD_ENTRY -2) in P4D_SHIFT (39) units, so they do not move.
	 */
	l->kconfig = &kconfig_x86_64_6_13;
	const unsigned pgdir_shift = la57 ? 48 : 39, p4d_shift = 39;
	const unsigned max_physmem_bits = la57 ? 52 : 46;       /* asm/sparsemem.h */
	const uint64_t vmalloc_size_tb = la57 ? 12800 : 32;     /* VMALLOC_SIZE_TB_L5/_L4 */
	const uint64_t cea_base = (uint64_t)-4 << p4d_shift;    /* CPU_ENTRY_AREA_BASE */
	const uint64_t vaddr_start = a->page_offset;            /* __PAGE_OFFSET_BASE_L4/_L5 */
	struct fixmap f = fixmap_6_13(l->kconfig, false, 512);

	l->va_bits = la57 ? 57 : 48;
	l->task_size = (1ull << (la57 ? 56 : 47)) - PAGE_SIZE;  /* task_size_max() */
	l->kernel_image_size = l->kconfig->randomize_base ? 1 * GiB : 512 * MiB;
	l->modules_vaddr = l->start_kernel_map + l->kernel_image_size;
	l->modules_end = 0xffffffffff000000ull;
	l->cpu_entry_area_base = cea_base;
	l->cpu_entry_area_size = 1ull << p4d_shift;
	l->ldt_base = (uint64_t)-240 << pgdir_shift;
	/* FIXADDR_TOP = round_up(VSYSCALL_ADDR + PAGE_SIZE, 1 << PMD_SHIFT) - PAGE_SIZE */
	const uint64_t vsyscall_addr = (uint64_t)-10 << 20;
	const uint64_t pmd_size = 1ull << 21;
	set_fixmap(l, &f, ((vsyscall_addr + PAGE_SIZE + pmd_size - 1) & ~(pmd_size - 1)) - PAGE_SIZE);

	l->kaslr = p->kaslr;
	l->kaslr_seed = p->kaslr_seed;
	if (p->kaslr) {
		randomize_memory(p, l, vaddr_start, cea_base, max_physmem_bits, vmalloc_size_tb);
	} else {
		/* the mm.rst reservations: 64 TB / 32 PB, 1 TB / 0.5 PB */
		l->page_offset = vaddr_start;
		l->vmalloc_start = la57 ? 0xffa0000000000000ull : 0xffffc90000000000ull;
		l->vmemmap_base = a->vmemmap_base;
		l->direct_map_size = la57 ? 32ull << 50 : 64 * TiB;
		l->vmemmap_size = la57 ? 512 * TiB : 1 * TiB;
	}
	/* VMALLOC_END = VMALLOC_START + (VMALLOC_SIZE_TB << 40) - 1 is
	 * inclusive in the kernel; struct kernel_layout keeps [start, end) */
	l->vmalloc_end = l->vmalloc_start + (vmalloc_size_tb << TB_SHIFT);
	if (ram > l->direct_map_size || ram > (1ull << max_physmem_bits)) {
		set_err(err, errlen, "RAM ends beyond the direct map (%llu TiB)",
			(unsigned long long)(l->direct_map_size >> TB_SHIFT));
		return -EINVAL;
	}
	l->high_memory = l->page_offset + ram;

	struct builder b = { .l = l };
	emit(&b, l->task_size - 1, VR_USER, "user-space virtual memory, different per mm");
	emit(&b, l->task_size + PAGE_SIZE - 1, VR_HOLE, "guard hole");
	uint64_t guard = (uint64_t)-256 << pgdir_shift;
	emit(&b, guard - 1, VR_NONCANONICAL, "non-canonical addresses");
	emit(&b, guard + (16ull << pgdir_shift) - 1, VR_HOLE, "guard hole, also reserved for hypervisor");
	area(&b, l->ldt_base, 1ull << pgdir_shift, VR_LDT, "LDT remap for PTI");
	gap(&b, l->page_offset, VR_HOLE, "unused hole (KASLR)");
	if (ram)
		emit(&b, l->high_memory - 1, VR_DIRECT,
		     "direct mapping of all physical memory (page_offset_base)");
	emit(&b, l->page_offset + l->direct_map_size - 1, VR_DIRECT_SPARE,
	     "direct map reservation beyond RAM");
	area(&b, l->vmalloc_start, vmalloc_size_tb << TB_SHIFT, VR_VMALLOC,
	     "vmalloc/ioremap space (vmalloc_base)");
	area(&b, l->vmemmap_base, l->vmemmap_size, VR_VMEMMAP, "virtual memory map (vmemmap_base)");
	if (!p->kaslr) {
		/* KASAN disables KASLR, so the shadow only exists without it;
		 * Debian does not build KASAN: the range is reserved, unused */
		area(&b, la57 ? 0xffdf000000000000ull : 0xffffec0000000000ull,
		     (0xfffffc0000000000ull - (la57 ? 0xffdf000000000000ull : 0xffffec0000000000ull)),
		     VR_KASAN, p->kasan ? "KASAN shadow memory (CONFIG_KASAN)"
					: "KASAN shadow memory (reserved; CONFIG_KASAN off)");
	}
	gap(&b, cea_base, VR_HOLE, "unused hole (vaddr_end for KASLR)");
	emit(&b, cea_base + l->cpu_entry_area_size - 1, VR_CPU_ENTRY, "cpu_entry_area mapping");
	area(&b, (uint64_t)-2 << p4d_shift, 1ull << p4d_shift, VR_ESPFIX, "%esp fixup stacks");
	/* EFI_VA_END (-68 GiB) .. EFI_VA_START (-4 GiB) */
	area(&b, (uint64_t)-68 << 30, 64 * GiB, VR_EFI, "EFI region mapping space");
	area(&b, l->start_kernel_map, l->kernel_image_size, VR_KERNEL_TEXT,
	     "kernel text mapping, mapped to physical address 0");
	area(&b, l->modules_vaddr, l->modules_end - l->modules_vaddr, VR_MODULES, "module mapping space");
	gap(&b, l->fixaddr_tot_start, VR_HOLE, "unused hole");
	emit(&b, l->fixaddr_start - 1, VR_FIXMAP, "fixmap: boot-time slots (FIX_BTMAP_*, early_ioremap)");
	emit(&b, vsyscall_addr - 1, VR_FIXMAP, "kernel-internal fixmap range");
	emit(&b, vsyscall_addr + PAGE_SIZE - 1, VR_VSYSCALL, "legacy vsyscall ABI");
	emit(&b, UINT64_MAX, VR_HOLE, "unused hole (fixmap slots 0..510 unused, then past FIXADDR_TOP)");
	if (b.bad) {
		set_err(err, errlen, "the x86_64 areas overlap");
		return -EINVAL;
	}
	return 0;
}

int layout_compute(const struct layout_params *p, struct kernel_layout *out, char *err, size_t errlen)
{
	if (!p || !p->arch || !out) {
		set_err(err, errlen, "no architecture");
		return -EINVAL;
	}
	memset(out, 0, sizeof *out);
	if (p->arch->bits == 32) {
		uint64_t limit = p->arch->pae ? 1ull << 36 : 1ull << 32;
		if ((p->max_pfn << PAGE_SHIFT) > limit) {
			set_err(err, errlen, "max_pfn %#llx is beyond the %s physical address space",
				(unsigned long long)p->max_pfn, p->arch->pae ? _("36-bit PAE") : _("32-bit"));
			return -EINVAL;
		}
		return compute_x86_32(p, out, err, errlen);
	}
	return compute_x86_64(p, out, err, errlen);
}

const struct vm_region *layout_region_of(const struct kernel_layout *l, uint64_t va)
{
	int lo = 0, hi = l->nregions - 1;
	while (lo < hi) {                       /* the last region whose start <= va */
		int mid = lo + (hi - lo + 1) / 2;
		if (l->region[mid].start <= va)
			lo = mid;
		else
			hi = mid - 1;
	}
	const struct vm_region *r = &l->region[lo];
	return va <= r->last ? r : &l->region[l->nregions - 1];
}

uint64_t layout_fix_to_virt(const struct kernel_layout *l, unsigned idx)
{
	return l->fixaddr_top - ((uint64_t)idx << PAGE_SHIFT);
}

const char *layout_kind_name(enum vm_region_kind k)
{
	static const char *const names[] = {
		[VR_USER] = "user",
		[VR_HOLE] = "hole",
		[VR_NONCANONICAL] = "non-canonical",
		[VR_DIRECT] = "direct map",
		[VR_DIRECT_SPARE] = "direct map (spare)",
		[VR_LDT] = "LDT remap",
		[VR_VMALLOC] = "vmalloc",
		[VR_VMEMMAP] = "vmemmap",
		[VR_KASAN] = "KASAN shadow",
		[VR_CPU_ENTRY] = "cpu_entry_area",
		[VR_ESPFIX] = "espfix",
		[VR_EFI] = "EFI",
		[VR_KERNEL_TEXT] = "kernel text",
		[VR_MODULES] = "modules",
		[VR_PKMAP] = "pkmap",
		[VR_FIXMAP] = "fixmap",
		[VR_VSYSCALL] = "vsyscall",
	};
	return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "?";
}

/*
 * 2.6.32 arch/x86/mm/init_32.c mem_init(): one printk with embedded
 * newlines, here one dmesg line each; the pkmap row exists with
 * CONFIG_HIGHMEM (always, in our i386 profiles).  Sizes are signed longs
 * shifted right, kB for the small areas and MB for vmalloc and lowmem.
 */
void layout_boot_messages(struct machine *m, const struct kernel_layout *l, const struct kimage *img)
{
	if (!m || !l || !img ||
	    (l->kconfig != &kconfig_i386_2_6_32 && l->kconfig != &kconfig_i386_pae_2_6_32))
		return;                         /* 2.6.32 i386 only: 6.x no longer prints it */
	typedef unsigned long long ull;
	const uint64_t po = l->page_offset;
	const uint64_t text = po + img->text, etext = po + img->etext, edata = po + img->edata;
	const uint64_t ib = po + img->init_begin, ie = po + img->init_end;
	const uint64_t pkmap_end = l->pkmap_base + ((uint64_t)l->last_pkmap << PAGE_SHIFT);

	dmesg_printf(m, "virtual kernel memory layout:");
	dmesg_printf(m, "    fixmap  : 0x%08llx - 0x%08llx   (%4lld kB)", (ull)l->fixaddr_start,
		     (ull)l->fixaddr_top, (long long)((l->fixaddr_top - l->fixaddr_start) >> 10));
	dmesg_printf(m, "    pkmap   : 0x%08llx - 0x%08llx   (%4lld kB)", (ull)l->pkmap_base,
		     (ull)pkmap_end, (long long)((pkmap_end - l->pkmap_base) >> 10));
	dmesg_printf(m, "    vmalloc : 0x%08llx - 0x%08llx   (%4lld MB)", (ull)l->vmalloc_start,
		     (ull)l->vmalloc_end, (long long)((l->vmalloc_end - l->vmalloc_start) >> 20));
	dmesg_printf(m, "    lowmem  : 0x%08llx - 0x%08llx   (%4lld MB)", (ull)po,
		     (ull)l->high_memory, (long long)((l->high_memory - po) >> 20));
	dmesg_printf(m, "      .init : 0x%08llx - 0x%08llx   (%4lld kB)", (ull)ib, (ull)ie,
		     (long long)((ie - ib) >> 10));
	dmesg_printf(m, "      .data : 0x%08llx - 0x%08llx   (%4lld kB)", (ull)etext, (ull)edata,
		     (long long)((edata - etext) >> 10));
	dmesg_printf(m, "      .text : 0x%08llx - 0x%08llx   (%4lld kB)", (ull)text, (ull)etext,
		     (long long)((etext - text) >> 10));
}
