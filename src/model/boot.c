/*
 * boot.c - bringing a machine up: the model's start_kernel().
 *
 * machine_create() calls the layers below in the kernel's order, one named
 * step each (see it at the end of this file):
 *
 *   linux_banner    the first line (early_boot_messages(), boot_early.c)
 *   setup_arch()    the build (arch, version, CPUs); the firmware map
 *                   (e820__memory_setup(), or a real /proc/iomem) with the
 *                   kernel image's resources, logged as the BIOS-e820
 *                   lines; the command line's early parameters;
 *                   trim_bios_range() and last_pfn; the zone limits
 *                   (zone_sizes_init()); the memblock reservations
 *                   (reserve_real_mode(), swiotlb, the memmap); then
 *                   free_area_init(): zone accounting, memmap_init() and
 *                   the zone messages
 *   mm_core_init()  build_all_zonelists(); mem_init() hands the free RAM
 *                   to the buddy allocator (memblock_free_all()) and prints
 *                   "Memory:"; kmem_cache_init() brings up the slab
 *                   allocator (2.6.32 calls these from start_kernel())
 *   init_IRQ(), acpi_early_init(), late_time_init(), smp_init()
 *                   what boot leaves in the vmalloc space and beside it:
 *                   each CPU's IRQ stack (x86_64 6.x a vmap, i386 6.x two
 *                   order-1 blocks), the ACPI tables' mappings (6.x) and
 *                   the HPET's ioremap (boot_vmap.c)
 *   an initcall     init_per_zone_wmark_min(): min_free_kbytes, the
 *                   watermarks, lowmem_reserve.  The model runs it before
 *                   kmem_cache_init(), so the slab allocator's first pages
 *                   are taken with the watermarks (and 2.6.32's
 *                   MIGRATE_RESERVE blocks) already in place.
 *
 * machine_destroy() takes it down again, top layer first.
 *
 * Followed: Linux 6.13 (arch/x86/kernel/setup.c, arch/x86/mm/init.c,
 * mm/mm_init.c, mm/memblock.c) and 2.6.32 (arch/x86/kernel/setup.c,
 * arch/x86/mm/init_32.c, init_64.c, mm/page_alloc.c, mm/bootmem.c).
 * Layer 8 of the model (DESIGN.md): the only file that calls every layer,
 * and no layer calls back into it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_impl.h"
#include "kmemsh/buddy.h"
#include "kmemsh/cmdline.h"
#include "kmemsh/vmscan.h"
#include "kmemsh/compaction.h"
#include "kmemsh/highmem.h"
#include "kmemsh/hugetlb.h"
#include "kmemsh/init_mapping.h"
#include "kmemsh/iomem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/layout.h"
#include "kmemsh/memblock.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/memstore.h"
#include "kmemsh/slab.h"
#include "kmemsh/snapshot.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/boot_caches.h"
#include "kmemsh/boot_vmap.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)
#define SECTION_PAGES_X86_64 (1ull << (27 - PAGE_SHIFT))   /* SECTION_SIZE_BITS 27 */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ---- the build --------------------------------------------------------- */

/* What the modelled kernel was built for and with: the arch and version
 * profiles, the CPUs, PAGE_OFFSET, sizeof(struct page), pageblock_order. */
static int setup_profiles(struct machine *m, const struct machine_config *cfg, char *err, size_t errlen)
{
	m->cfg = *cfg;
	m->arch = arch_find(cfg->arch ? cfg->arch : "i386");
	if (!m->arch) {
		model_err_buf(err, errlen, "unknown architecture '%s' (known: %s)", cfg->arch, arch_names());
		return -EINVAL;
	}
	m->kp = kernel_find(cfg->kernel ? cfg->kernel : m->arch->default_kernel);
	if (!m->kp) {
		model_err_buf(err, errlen, "unknown kernel version '%s' (known: %s)", cfg->kernel, kernel_names());
		return -EINVAL;
	}
	m->direct_map = m->kp->kv == KV_2_6_32 ? m->arch->page_offset_old : m->arch->page_offset;
	m->ncpus = cfg->ncpus ? cfg->ncpus : 1;
	if (m->ncpus > 4096) {
		model_err_buf(err, errlen, "--cpus %u: at most 4096 CPUs", m->ncpus);
		return -EINVAL;
	}
	/* 6.x: nr_cpu_ids is at most the build's NR_CPUS (setup_percpu:
	 * prints both; the 686 build has 32) */
	if (cfg->nr_nodes && (m->kp->kv != KV_6_13 || m->arch->bits != 64)) {
		model_err_buf(err, errlen, "--nodes: NUMA is modelled on x86_64 with 6.13 only (the i386 "
					     "kernels are built without CONFIG_NUMA)");
		return -EINVAL;
	}
	if (cfg->nr_nodes > MAX_NUMNODES_MODEL) {
		model_err_buf(err, errlen, "--nodes %u: at most %d nodes", cfg->nr_nodes, MAX_NUMNODES_MODEL);
		return -EINVAL;
	}
	if (cfg->nr_nodes > 1 && cfg->snapshot) {
		model_err_buf(err, errlen, "--nodes cannot be combined with --from (the snapshot has one node)");
		return -EINVAL;
	}
	if (m->kp->kv != KV_2_6_32 && m->ncpus > m->arch->nr_cpus_config) {
		model_err_buf(err, errlen, "--cpus %u: this %s kernel is built with NR_CPUS=%u", m->ncpus,
			      m->arch->name, m->arch->nr_cpus_config);
		return -EINVAL;
	}
	if (m->kp->kv == KV_2_6_32 && m->arch->nr_cpus_2_6_32 && m->ncpus > m->arch->nr_cpus_2_6_32) {
		model_err_buf(err, errlen, "--cpus %u: this %s 2.6.32 kernel is built with NR_CPUS=%u", m->ncpus,
			      m->arch->name, m->arch->nr_cpus_2_6_32);
		return -EINVAL;
	}
	m->struct_page_size = m->kp->kv == KV_2_6_32 ? m->arch->struct_page_2_6_32 :
			      m->kp->kv == KV_6_1 ? m->arch->struct_page_6_1 : m->arch->struct_page_6_13;
	m->pageblock_order = m->arch->pageblock_order;
	m->log.enabled = true;
	memmap_init(&m->memmap);
	return 0;
}

/* ---- physical map ----------------------------------------------------- */

/* The e820 map of a PC with `mem` bytes: low 640 KiB, the ISA hole, RAM
 * from 1 MiB up to the PCI hole, the rest above 4 GiB. */
static int build_default_map(struct machine *m)
{
	struct memmap *mm = &m->memmap;
	const struct arch_profile *a = m->arch;
	bool old = m->kp->kv == KV_2_6_32;
	const char *resv = old ? "reserved" : "Reserved";
	uint64_t low_start = a->reserve_low_64k && old ? 0x10000 : (old ? 0 : PAGE_SIZE);
	uint64_t mem = m->mem_bytes;
	uint64_t below = mem < a->pci_hole_start ? mem : a->pci_hole_start;
	uint64_t above = mem > a->pci_hole_start ? mem - a->pci_hole_start : 0;

	if (low_start)
		memmap_add_resource(mm, 0, low_start - 1, resv);
	memmap_add_ram(mm, low_start, 0x9fc00);
	memmap_add_resource(mm, low_start, 0x9fbff, "System RAM");
	memmap_add_resource(mm, 0x9fc00, 0x9ffff, resv);
	memmap_add_resource(mm, 0xa0000, 0xbffff, old ? "Video RAM area" : "PCI Bus 0000:00");
	memmap_add_resource(mm, 0xc0000, 0xc99ff, "Video ROM");
	memmap_add_resource(mm, 0xf0000, 0xfffff, resv);
	memmap_add_resource(mm, 0xf0000, 0xfffff, "System ROM");
	memmap_add_ram(mm, 0x100000, below);
	memmap_add_resource(mm, 0x100000, below - 1, "System RAM");

	uint64_t pci_start = below > 0xC0000000ull ? below : (a->bits == 32 ? align_up(below, 256 * MiB) : 0xC0000000ull);
	if (pci_start < 0xfec00000ull)
		memmap_add_resource(mm, pci_start, 0xfebfffffull, "PCI Bus 0000:00");
	memmap_add_resource(mm, 0xfd000000ull, 0xfdffffffull, "0000:00:02.0");
	memmap_add_resource(mm, 0xfebc0000ull, 0xfebdffffull, "0000:00:03.0");
	memmap_add_resource(mm, 0xfebc0000ull, 0xfebdffffull, "e1000");
	memmap_add_resource(mm, 0xfebf0000ull, 0xfebf0fffull, "0000:00:02.0");
	memmap_add_resource(mm, 0xfec00000ull, 0xfec003ffull, "IOAPIC 0");
	memmap_add_resource(mm, 0xfed00000ull, 0xfed003ffull, "HPET 0");
	memmap_add_resource(mm, 0xfee00000ull, 0xfee00fffull, "Local APIC");
	memmap_add_resource(mm, 0xfffc0000ull, 0xffffffffull, resv);
	if (above) {
		memmap_add_ram(mm, 4 * GiB, 4 * GiB + above);
		memmap_add_resource(mm, 4 * GiB, 4 * GiB + above - 1, "System RAM");
	}

	/* The kernel image (arch/x86/kernel/setup.c code/data/bss resources),
	 * at CONFIG_PHYSICAL_START, or at 1 MiB (the old default) when RAM is
	 * too small for that. */
	uint64_t load = a->kernel_load;
	if (below < load + 16 * MiB)
		load = 1 * MiB;
	uint64_t code = load, code_end = code + m->boot.img_code;
	uint64_t ro = 0, ro_end = 0, data, data_end, bss, bss_end;
	/* vmlinux.lds.S: X86_ALIGN_RODATA_BEGIN/END align rodata to a 2 MiB
	 * page on x86_64 only; 32-bit RO_DATA(PAGE_SIZE) to a page */
	uint64_t ro_align = a->bits == 64 ? 2 * MiB : PAGE_SIZE;
	if (!old && m->boot.img_rodata) {
		ro = align_up(code_end, ro_align);
		ro_end = ro + m->boot.img_rodata;
		data = align_up(ro_end, ro_align);
	} else {
		data = code_end;
	}
	data_end = data + m->boot.img_data;
	/* init sections and per-cpu data sit between data and bss; on 6.x
	 * from the page after _edata: __init_begin..__init_end, then
	 * .smp_locks (arch/x86/kernel/vmlinux.lds.S) */
	bss = old ? align_up(data_end + 0x9f000, PAGE_SIZE)
		  : align_up(data_end, PAGE_SIZE) + m->boot.img_data_gap + m->boot.img_init + m->boot.img_smp_locks;
	bss_end = bss + m->boot.img_bss;
	memmap_add_resource(mm, code, code_end - 1, "Kernel code");
	if (ro_end)
		memmap_add_resource(mm, ro, ro_end - 1, "Kernel rodata");
	memmap_add_resource(mm, data, data_end - 1, "Kernel data");
	memmap_add_resource(mm, bss, bss_end - 1, "Kernel bss");
	memmap_reserve(mm, code & ~(PAGE_SIZE - 1), align_up(bss_end, PAGE_SIZE), "kernel image");
	/* the image in the RAM below the PCI hole (an --image too large
	 * for --mem) */
	if (align_up(bss_end, PAGE_SIZE) > below)
		return -ENOSPC;
	return 0;
}

/* Kernel image section sizes from the resource tree (setup_arch()'s
 * code/rodata/data/bss resources), falling back to the arch profile. */
static uint64_t res_size(const struct resource *r, const char *name)
{
	for (; r; r = r->sibling) {
		if (r->name && strcmp(r->name, name) == 0)
			return r->end - r->start + 1;
		uint64_t v = res_size(r->child, name);
		if (v)
			return v;
	}
	return 0;
}

static void image_sizes(struct machine *m)
{
	const struct resource *root = m->memmap.root.child;
	m->kcode = res_size(root, "Kernel code");
	m->krodata = res_size(root, "Kernel rodata");
	m->kdata = res_size(root, "Kernel data");
	m->kbss = res_size(root, "Kernel bss");
	if (!m->kcode) {
		m->kcode = m->boot.img_code;
		m->krodata = m->boot.img_rodata;
		m->kdata = m->boot.img_data;
		m->kbss = m->boot.img_bss;
	}
}

/*
 * The image the kernel was built into: the profile's section sizes, or
 * --image's (6.13: code=, rwdata=, rodata=, init=, bss=, smp_locks=,
 * memparse() sizes).  With --iomem the image's resources give code,
 * rodata, data and bss; only init= and smp_locks= apply then.
 */
static int image_config(struct machine *m, char *err, size_t errlen)
{
	const struct arch_profile *a = m->arch;
	struct boot_state *b = &m->boot;
	bool x6 = m->kp->kv != KV_2_6_32 && a->kcode_6x;
	b->img_code = x6 ? a->kcode_6x : a->kcode;
	b->img_rodata = x6 ? a->krodata_6x : a->krodata;
	b->img_data = x6 ? a->kdata_6x : a->kdata;
	b->img_bss = x6 ? a->kbss_6x : a->kbss;
	b->img_data_gap = x6 ? a->kdata_gap_6x : 0;
	b->img_init = m->kp->kv == KV_6_1 && a->kinit_6_1 ? a->kinit_6_1 : a->kinit;
	b->img_smp_locks = a->ksmp_locks;
	const char *p = m->cfg.image;
	if (!p)
		return 0;
	if (m->kp->kv == KV_2_6_32) {
		model_err_buf(err, errlen, "--image: the model sets the image's sizes on 6.1 and 6.13 only (use --kernel 6.1 or 6.13)");
		return -EINVAL;
	}
	static const struct { const char *key; size_t off; bool from_iomem; } keys[] = {
		{ "code", offsetof(struct boot_state, img_code), true },
		{ "rwdata", offsetof(struct boot_state, img_data), true },
		{ "rodata", offsetof(struct boot_state, img_rodata), true },
		{ "bss", offsetof(struct boot_state, img_bss), true },
		{ "init", offsetof(struct boot_state, img_init), false },
		{ "smp_locks", offsetof(struct boot_state, img_smp_locks), false },
	};
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		size_t k = 0, nk = sizeof keys / sizeof keys[0];
		while (eq && k < nk && (strlen(keys[k].key) != (size_t)(eq - p) || strncmp(p, keys[k].key, (size_t)(eq - p))))
			k++;
		if (!eq || k == nk) {
			model_err_buf(err, errlen, "--image %.*s: expected code=, rwdata=, rodata=, init=, bss= or smp_locks= "
				 "with a size", (int)n, p);
			return -EINVAL;
		}
		char val[32];
		size_t vl = n - (size_t)(eq + 1 - p);
		uint64_t v;
		if (vl >= sizeof val || (memcpy(val, eq + 1, vl), val[vl] = '\0', parse_size(val, &v)) ||
		    v > (512ull << 20)) {
			model_err_buf(err, errlen, "--image %.*s: not a size of at most 512M (KERNEL_IMAGE_SIZE)", (int)n, p);
			return -EINVAL;
		}
		if (keys[k].from_iomem && m->cfg.iomem_text) {
			model_err_buf(err, errlen, "--image %.*s: --iomem gives the image's code, rodata, data and bss; "
				 "only init= and smp_locks= go with it", (int)n, p);
			return -EINVAL;
		}
		if ((k == 0 || k == 1 || k == 3) && !v) {
			model_err_buf(err, errlen, "--image %.*s: an image has some %s", (int)n, p, keys[k].key);
			return -EINVAL;
		}
		*(uint64_t *)((char *)b + keys[k].off) = k == 4 || k == 5 ? align_up(v, PAGE_SIZE) : v;
		p += n + (p[n] == ',');
	}
	uint64_t total = b->img_code + b->img_rodata + b->img_data + b->img_data_gap + b->img_init + b->img_smp_locks +
			 b->img_bss;
	if (total > (512ull << 20)) {
		model_err_buf(err, errlen, "--image: %llu MiB in all, more than KERNEL_IMAGE_SIZE (512 MiB)",
			 (unsigned long long)(total >> 20));
		return -EINVAL;
	}
	return 0;
}

/*
 * setup_arch(): e820__memory_setup() (the firmware's map, or the
 * /proc/iomem given with --iomem), the kernel image's resources, and the
 * range of page frames: min_pfn (the first RAM) to max_pfn (e820's
 * end_pfn).
 */
static int setup_memory_map(struct machine *m, char *err, size_t errlen)
{
	const struct machine_config *cfg = &m->cfg;
	if (cfg->iomem_text) {
		m->iomem_copy = strdup(cfg->iomem_text);
		char perr[200];
		if (memmap_parse_iomem(&m->memmap, cfg->iomem_text, perr, sizeof perr)) {
			model_err_buf(err, errlen, "--iomem: %s", perr);
			return -EINVAL;
		}
		m->mem_bytes = memmap_ram_pages(&m->memmap, 0, ~0ull >> PAGE_SHIFT) << PAGE_SHIFT;
		/* as --mem: too little RAM for the image, memmap and page
		 * tables failed later as "page tables: inconsistent mapping" */
		if (m->mem_bytes < m->arch->min_mem) {
			model_err_buf(err, errlen, "%s: %llu KiB of System RAM: %s models %lluM to %lluG of RAM",
				 cfg->snapshot ? "proc/iomem" : "--iomem", (unsigned long long)(m->mem_bytes >> 10),
				 m->arch->name, (unsigned long long)(m->arch->min_mem >> 20),
				 (unsigned long long)(m->arch->max_mem >> 30));
			return -EINVAL;
		}
		if (memmap_max_pfn(&m->memmap) > (m->arch->max_mem >> PAGE_SHIFT) + (1ull << 20)) {
			model_err_buf(err, errlen, "--iomem: RAM reaches beyond what %s models", m->arch->name);
			return -EINVAL;
		}
	} else {
		m->mem_bytes = cfg->mem_bytes ? cfg->mem_bytes : m->arch->default_mem;
		if (m->mem_bytes < m->arch->min_mem || m->mem_bytes > m->arch->max_mem) {
			model_err_buf(err, errlen, "--mem %llu%s: %s models %lluM to %lluG of RAM",
				 (unsigned long long)(m->mem_bytes >> 20), "M", m->arch->name,
				 (unsigned long long)(m->arch->min_mem >> 20),
				 (unsigned long long)(m->arch->max_mem >> 30));
			return -EINVAL;
		}
		m->mem_bytes &= ~(PAGE_SIZE - 1);
		if (build_default_map(m)) {
			model_err_buf(err, errlen, "--mem %lluM: too little RAM for a kernel image of %llu MiB",
				 (unsigned long long)(m->mem_bytes >> 20),
				 (unsigned long long)((m->boot.img_code + m->boot.img_rodata + m->boot.img_data +
						       m->boot.img_data_gap + m->boot.img_init + m->boot.img_smp_locks +
						       m->boot.img_bss) >> 20));
			return -EINVAL;
		}
	}

	return 0;
}

/* After parse_early_param(): mem='s user-defined map, trim_bios_range(),
 * the range of page frames */
static int setup_memory_map_finish(struct machine *m, char *err, size_t errlen)
{
	if (m->boot.e820_userdef && e820_finish_early_params(m, err, errlen))
		return -EINVAL;
	e820_trim_messages(m);
	m->min_pfn = memmap_min_pfn(&m->memmap);
	m->max_pfn = memmap_max_pfn(&m->memmap);
	image_sizes(m);
	if (m->arch->bits == 32 && !m->arch->pae && m->max_pfn > (4 * GiB >> PAGE_SHIFT)) {
		model_err_buf(err, errlen, "RAM above 4 GiB cannot be used by a non-PAE i386 kernel");
		return -EINVAL;
	}
	return 0;
}

/* ---- the kernel image and the virtual map ------------------------------- */

static const struct resource *res_find(const struct resource *r, const char *name)
{
	for (; r; r = r->sibling) {
		if (r->name && strcmp(r->name, name) == 0)
			return r;
		const struct resource *c = res_find(r->child, name);
		if (c)
			return c;
	}
	return NULL;
}

/*
 * The image's sections as linked (physical addresses), from the resources
 * setup_arch() registers: "Kernel code" is _text.._etext, "Kernel rodata"
 * __start_rodata..__end_rodata (6.x; 2.6.32 has none and its rodata sits
 * at the start of "Kernel data"), "Kernel data" _sdata.._edata (2.6.32:
 * from _etext), "Kernel bss" __bss_start..__bss_stop.  The init sections
 * (and per-CPU data) lie between the page after _edata and __bss_start;
 * brk follows bss (arch/x86/kernel/vmlinux.lds.S).
 */
static int kernel_image(struct machine *m, char *err, size_t errlen)
{
	const struct resource *root = m->memmap.root.child;
	const struct resource *code = res_find(root, "Kernel code"), *ro = res_find(root, "Kernel rodata");
	const struct resource *data = res_find(root, "Kernel data"), *bss = res_find(root, "Kernel bss");
	struct kimage *k = &m->kimage;
	if (code && data && bss) {
		k->text = code->start;
		k->etext = code->end + 1;
		k->sdata = data->start;
		k->edata = data->end + 1;
		k->bss = bss->start;
		k->ebss = bss->end + 1;
	} else {
		/* an --iomem without the image's resources: where the profile puts it */
		k->text = m->arch->kernel_load;
		k->etext = k->text + m->kcode;
		k->sdata = align_up(k->etext, PAGE_SIZE);
		k->edata = k->sdata + m->kdata;
		k->bss = align_up(k->edata, PAGE_SIZE);
		k->ebss = k->bss + m->kbss;
	}
	k->rodata = ro ? ro->start : k->etext;
	k->erodata = ro ? ro->end + 1 : k->etext;
	k->init_begin = align_up(k->edata, PAGE_SIZE);
	k->init_end = k->bss & ~(PAGE_SIZE - 1);
	/* 6.x: .smp_locks (the profile's size) ends the gap before bss, and
	 * the init sections (the profile's size) end there; what lies
	 * between _edata and __init_begin (x86_64's BUG and ORC tables, the
	 * vvar page) shows only in a real image's gap.  With --from the
	 * real kernel's init size is not known and what it freed is in its
	 * free lists: the whole gap counts as init there */
	/* the gap holds the init sections and .smp_locks: an --image
	 * asking for more than a real image's gap is refused; the profile's
	 * sizes are cut to it (never freeing .bss) */
	uint64_t gap = k->init_end > k->init_begin ? k->init_end - k->init_begin : 0;
	if (m->kp->kv != KV_2_6_32 && code && data && bss && !m->cfg.snapshot &&
	    m->boot.img_init + m->boot.img_smp_locks > gap) {
		if (m->cfg.image) {
			model_err_buf(err, errlen, "--image: init= and smp_locks= (%lluK) do not fit in the %lluK "
				      "between the --iomem image's data and bss",
				      (unsigned long long)((m->boot.img_init + m->boot.img_smp_locks) >> 10),
				      (unsigned long long)(gap >> 10));
			return -EINVAL;
		}
	}
	if (m->boot.img_smp_locks > gap)
		m->boot.img_smp_locks = gap;
	if (m->kp->kv != KV_2_6_32 && k->init_end >= k->init_begin + m->boot.img_smp_locks) {
		k->init_end -= m->boot.img_smp_locks;
		if (k->init_end - k->init_begin > m->boot.img_init && !m->cfg.snapshot)
			k->init_begin = k->init_end - m->boot.img_init;
	}
	if (k->init_end < k->init_begin)
		k->init_end = k->init_begin;
	m->boot.kinit = k->init_end - k->init_begin;
	k->brk_end = align_up(k->ebss, PAGE_SIZE);
	return 0;
}

/* setup_arch(): the virtual map (find_low_pfn_range() on x86_32,
 * kernel_randomize_memory() with KASLR), and PAGE_OFFSET with it. */
static int setup_layout(struct machine *m, char *err, size_t errlen)
{
	const struct machine_config *c = &m->cfg;
	if (c->vmalloc_size && m->arch->bits != 32) {
		model_err_buf(err, errlen, "--vmalloc: the vmalloc= boot option exists on 32-bit x86 only");
		return -EINVAL;
	}
	if (c->kasan && (m->arch->bits != 64 || m->kp->kv == KV_2_6_32)) {
		model_err_buf(err, errlen, "--kasan: KASAN exists on x86_64 from Linux 4.0 (not on %s %s)", m->arch->name,
			 m->kp->version);
		return -EINVAL;
	}
	if (c->nogbpages && m->arch->bits != 64) {
		model_err_buf(err, errlen, "--nogbpages: 1 GiB pages exist on x86_64 only");
		return -EINVAL;
	}
	if (c->kaslr && c->kasan) {
		/* arch/x86/mm/kaslr.c: kaslr_memory_enabled() is false with
		 * CONFIG_KASAN, whose shadow needs the fixed layout */
		model_err_buf(err, errlen, "--kaslr with --kasan: a KASAN kernel does not randomise its memory layout "
			 "(kaslr_memory_enabled())");
		return -EINVAL;
	}
	struct layout_params p = {
		.arch = m->arch, .kv = m->kp->kv, .ncpus = m->ncpus, .max_pfn = m->max_pfn,
		.vmalloc_size = c->vmalloc_size ? c->vmalloc_size : m->boot.vmalloc_param, .kaslr = c->kaslr, .kaslr_seed = c->kaslr_seed,
		.kasan = c->kasan,
	};
	int r = layout_compute(&p, &m->layout, err, errlen);
	if (r)
		return r;
	m->direct_map = m->layout.page_offset;
	/* probe_page_size_mask(): direct_gbpages when the CPU has pdpe1gb */
	m->gbpages = m->arch->bits == 64 && !c->nogbpages;
	return 0;
}

/*
 * Where boot's page-table pages come from (alloc_low_pages()): on x86_64
 * the image's own tables first (head_64.S: level3_kernel_pgt,
 * level2_kernel_pgt, level2_fixmap_pgt, level1_fixmap_pgt in .data after
 * init_top_pgt); 6.x then takes the brk pgt_buf (INIT_PGT_BUF_SIZE pages:
 * 4 * INIT_PGD_PAGE_TABLES = 16 on x86_64, built with CONFIG_X86_5LEVEL, which
 * the la57 profile and the 4-level p4d folding need, and
 * CONFIG_RANDOMIZE_MEMORY; 2 * 3 = 6 on i386), reserved whole with
 * the image, then memblock (top down); 2.6.32 takes pages from the lowest
 * free memory above 0x7000 (find_early_table_space(), "PGTABLE").
 *
 * 6.x alloc_low_pages() (arch/x86/mm/init.c), while init_mem_mapping()
 * runs: when the pgt_buf is full or the range being mapped holds it
 * (!can_use_brk_pgt, set by init_range_memory_mapping()), the page comes
 * from memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, min_pfn_mapped <<
 * PAGE_SHIFT, max_pfn_mapped << PAGE_SHIFT): top down in what
 * memory_map_top_down() has mapped so far.  The vmemmap's tables
 * (vmemmap_p4d/pud_populate() → vmemmap_alloc_block_zero() →
 * __earlyonly_bootmem_alloc(), mm/sparse-vmemmap.c) come from memblock
 * top down above MAX_DMA_ADDRESS, not from the brk.  6.1 and 6.13 alike.
 */
struct early_pgt {
	uint64_t img_next, img_end;     /* pages of .data (x86_64 head tables) */
	bool use_img;
};

static uint64_t early_pgt_alloc(struct machine *m, void *ctx)
{
	struct early_pgt *e = ctx;
	struct boot_state *b = &m->boot;
	uint64_t a;
	if (e->use_img && e->img_next < e->img_end) {
		e->img_next += PAGE_SIZE;
		return (e->img_next - PAGE_SIZE) >> PAGE_SHIFT;
	}
	if (b->pgt_vmemmap) {
		a = memblock_alloc_range(m, PAGE_SIZE, PAGE_SIZE, 16 * MiB, m->max_pfn << PAGE_SHIFT, true,
					 "vmemmap tables");
		return a == ~0ull ? UINT64_MAX : a >> PAGE_SHIFT;
	}
	bool brk = b->pgt_buf_end < b->pgt_buf_top;
	if (b->pgt_mapping && (!brk || b->pgt_no_brk) && b->min_pfn_mapped < b->max_pfn_mapped) {
		a = memblock_alloc_range(m, PAGE_SIZE, PAGE_SIZE, b->min_pfn_mapped << PAGE_SHIFT,
					 b->max_pfn_mapped << PAGE_SHIFT, true, "page tables");
		if (a != ~0ull)
			return a >> PAGE_SHIFT;
	}
	if (brk && !(b->pgt_mapping && b->pgt_no_brk)) {
		b->pgt_buf_end += PAGE_SIZE;
		return (b->pgt_buf_end - PAGE_SIZE) >> PAGE_SHIFT;
	}
	uint64_t limit = (m->arch->bits == 64 ? m->max_pfn : m->max_low_pfn) << PAGE_SHIFT;
	a = m->kp->kv == KV_2_6_32
		     ? memblock_alloc_range(m, PAGE_SIZE, PAGE_SIZE, 0x7000, limit, false, "PGTABLE")
		     : memblock_alloc_range(m, PAGE_SIZE, PAGE_SIZE, 1 * MiB, limit, true, "page tables");
	return a == ~0ull ? UINT64_MAX : a >> PAGE_SHIFT;
}

/* the buffer of struct pages for a run of present sections (2 MiB aligned);
 * when no single range of RAM holds it, 2 MiB blocks one by one.  ctx: the
 * node of the run (an int *, NULL without NUMA): its memory first, as
 * sparse_buffer_init() -> memmap_alloc(..., nid, exact_nid) takes it, then
 * anywhere (vmemmap_alloc_block_buf()'s fallback to any node) */
static uint64_t vmemmap_buffer_alloc(struct machine *m, uint64_t bytes, void *ctx)
{
	bool old = m->kp->kv == KV_2_6_32;
	uint64_t a = ~0ull;
	if (ctx) {
		const struct pglist *pg = &m->node[*(const int *)ctx];
		uint64_t lo = pg->node_start_pfn << PAGE_SHIFT;
		a = memblock_alloc_range(m, bytes, 2 * MiB, lo > 16 * MiB ? lo : 16 * MiB, pg->node_end_pfn << PAGE_SHIFT,
					 !old, "vmemmap");
	}
	if (a == ~0ull)
		a = memblock_alloc_range(m, bytes, 2 * MiB, 16 * MiB, m->max_pfn << PAGE_SHIFT, !old, "vmemmap");
	return a == ~0ull ? UINT64_MAX : a;
}

/*
 * setup_arch() → init_mem_mapping() and paging_init(): the kernel's page
 * tables, top table in the image (swapper_pg_dir in i386's bss,
 * init_top_pgt at the start of x86_64's .data); x86_64's image and fixmap
 * tables come from head_64.S, i386's fixmap and pkmap tables from
 * early_ioremap_page_table_range_init() and permanent_kmaps_init().
 */
static int setup_page_tables(struct machine *m, struct early_pgt *e, char *err, size_t errlen)
{
	struct kimage *k = &m->kimage;
	bool x86_64 = m->arch->bits == 64;
	uint64_t top = x86_64 ? align_up(k->sdata, PAGE_SIZE) : align_up(k->bss, PAGE_SIZE);
	e->img_next = top + PAGE_SIZE;
	e->img_end = x86_64 ? top + 6 * PAGE_SIZE : e->img_next;
	if (m->kp->kv == KV_6_1 && !x86_64) {
		/*
		 * arch/x86/kernel/head32.c mk_early_pgtbl_32() (6.1): PTE pages
		 * from __brk_base mapping 0 up to limit = __pa(_end) +
		 * (PAGE_TABLE_SIZE(LOWMEM_PAGES) << PAGE_SHIFT), one page per
		 * PTRS_PER_PTE pages; _brk_end then follows them, and
		 * reserve_brk() keeps them.  _end (vmlinux.lds.S) is __brk_base
		 * + 64K of slop + the .bss..brk reservations: INIT_MAP_SIZE
		 * (head_32.S, PAGE_TABLE_SIZE(LOWMEM_PAGES) pages), dmi_alloc
		 * 64K (setup.c), INIT_PGT_BUF_SIZE (init.c, 6 pages).  Debian
		 * 686: 49 pages, "initial memory mapped: [mem
		 * 0x00000000-0x0c3fffff]".  6.13 builds the same tables; its
		 * profile leaves them out so far.
		 */
		uint64_t ptrs = m->arch->pae ? 512 : 1024;
		uint64_t table_pages = (1ull << 30 >> PAGE_SHIFT) / ptrs;       /* LOWMEM_PAGES / PTRS */
		uint64_t end = k->brk_end + (64 << 10) + table_pages * PAGE_SIZE + (64 << 10) + 6 * PAGE_SIZE;
		uint64_t limit = end + table_pages * PAGE_SIZE, span = ptrs * PAGE_SIZE;
		uint64_t head = (limit + span - 1) / span;
		memmap_reserve(&m->memmap, k->brk_end, k->brk_end + head * PAGE_SIZE, "brk (head_32 tables)");
		k->brk_end += head * PAGE_SIZE;
	}
	if (m->kp->kv != KV_2_6_32) {
		/*
		 * setup_arch(): dmi_setup() first, whose dmi_alloc() is
		 * extend_brk(len, sizeof(int)) (arch/x86/include/asm/dmi.h)
		 * for the SMBIOS ident strings, devices and memory-device
		 * table (drivers/firmware/dmi_scan.c): some hundreds of bytes
		 * on a PC, QEMU's included, so early_alloc_pgt_buf()'s
		 * PAGE_SIZE-aligned extend_brk() starts one page further;
		 * reserve_brk() keeps [_brk_start, _brk_end).  6.1 and 6.13
		 * alike (asm/dmi.h, setup_arch()).
		 */
		unsigned pages = x86_64 ? 16 : 6;
		uint64_t dmi = k->brk_end;
		m->boot.pgt_buf_end = dmi + PAGE_SIZE;
		m->boot.pgt_buf_top = m->boot.pgt_buf_end + pages * PAGE_SIZE;
		k->brk_end = m->boot.pgt_buf_top;
		memmap_reserve(&m->memmap, dmi, k->brk_end, "brk");   /* reserve_brk() */
	}
	int r = pgtable_init(m, top >> PAGE_SHIFT, early_pgt_alloc, e);
	if (!r && x86_64) {
		e->use_img = true;
		r = init_kernel_tables(m);
		e->use_img = false;
	}
	if (!r) {
		m->boot.pgt_mapping = m->kp->kv >= KV_6_1;
		r = init_mem_mapping(m);
		m->boot.pgt_mapping = false;
	}
	if (!r && !x86_64)
		r = init_kernel_tables(m);
	/* kernel_init(): free_initmem(), then mark_readonly().  The kernel
	 * runs them at the end of boot and takes the pages for the tables
	 * of large pages it splits from the buddy allocator; the model
	 * applies them here, with boot's page-table pages, so that the buddy
	 * lists after boot stay those memblock_free_all() leaves.  The
	 * tables and DirectMap counts are the same either way. */
	if (!r)
		r = free_initmem(m);
	if (!r)
		r = mark_rodata_ro(m);
	if (r)
		model_err_buf(err, errlen, "page tables: %s", r == -ENOMEM ? _("out of memory for page-table pages")
									: _("inconsistent mapping"));
	return r;
}

/* ---- zones ------------------------------------------------------------ */

/* paging_init() → zone_sizes_init(): each zone's span from the arch's
 * DMA/DMA32/lowmem limits, and max_low_pfn (the end of lowmem). */
static void layout_zones(struct machine *m)
{
	const struct arch_profile *a = m->arch;
	const enum zone_kind *kinds = m->kp->kv == KV_2_6_32 ? a->zones_2_6_32 : a->zones_6_13;
	int n = m->kp->kv == KV_2_6_32 ? a->nr_zones_2_6_32 : a->nr_zones_6_13;
	uint64_t min_pfn = m->min_pfn, max_pfn = m->max_pfn;
	bool numa = m->nr_nodes > 1;

	m->max_low_pfn = m->layout.max_low_pfn;        /* find_low_pfn_range() */

	for (int k = 0; k < ZK_COUNT; k++)
		m->zone_of_kind[k] = -1;
	m->nr_node_zones = n;
	m->nr_zones = n * (int)m->nr_nodes;
	/* arch/x86/mm/init.c: zone_sizes_init(): max_zone_pfns[]; each node's
	 * zones are those ranges clamped to the node's RAM
	 * (zone_spanned_pages_in_node()) */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t prev_end = numa ? m->node[nid].node_start_pfn : min_pfn;
		uint64_t node_end = numa ? m->node[nid].node_end_pfn : max_pfn;
		for (int k = 0; k < n; k++) {
			int i = (int)nid * n + k;
			struct zone *z = &m->zones[i];
			memset(z, 0, sizeof *z);
			for (int o = 0; o < NR_ORDERS; o++)
				for (int t = 0; t < MAX_MIGRATETYPES; t++)
					z->free_area[o].list[t].head = z->free_area[o].list[t].tail = NODE_NIL;
			z->kind = kinds[k];
			z->name = zone_kind_name(kinds[k]);
			z->idx = i;
			z->nid = (int)nid;
			if (numa)
				snprintf(z->label, sizeof z->label, "%u:%s", nid, z->name);
			else
				snprintf(z->label, sizeof z->label, "%s", z->name);
			if (nid == 0)
				m->zone_of_kind[kinds[k]] = k;
			uint64_t end;
			switch (kinds[k]) {
			case ZK_DMA: end = a->max_dma_pfn < m->max_low_pfn ? a->max_dma_pfn : m->max_low_pfn; break;
			case ZK_DMA32: end = a->max_dma32_pfn < m->max_low_pfn ? a->max_dma32_pfn : m->max_low_pfn; break;
			case ZK_NORMAL: end = m->max_low_pfn; break;
			case ZK_HIGHMEM: end = max_pfn; break;
			default: end = 0; break;         /* Movable (no kernelcore=), Device */
			}
			if (numa && end > node_end)
				end = node_end;
			if (end && end > prev_end) {
				z->start_pfn = prev_end;
				z->spanned = end - prev_end;
				prev_end = end;
			} else {
				z->start_pfn = 0;
				z->spanned = 0;
			}
			/* zone_spanned_pages_in_node(): the arch range clamped to the node
			 * [first RAM pfn, max_pfn); holes inside stay spanned */
			if (z->spanned)
				z->present = memmap_ram_pages(&m->memmap, z->start_pfn, z->start_pfn + z->spanned);
		}
	}
}

/* The next run of present sections (SPARSEMEM: sections holding RAM) at or
 * after section *s: [*s, *e) in sections; false when there is none.  From
 * the RAM ranges, so the cost follows the ranges, not the memory size. */
static bool present_sections(const struct machine *m, uint64_t *s, uint64_t *e)
{
	const struct memmap *mm = &m->memmap;
	bool found = false;
	for (size_t i = 0; i < mm->nram; i++) {
		uint64_t rs = (mm->ram[i].start >> PAGE_SHIFT) / SECTION_PAGES_X86_64;
		uint64_t re = (((mm->ram[i].end - 1) >> PAGE_SHIFT) / SECTION_PAGES_X86_64) + 1;
		if (mm->ram[i].end <= mm->ram[i].start || re <= *s)
			continue;
		if (rs < *s)
			rs = *s;
		if (!found) {
			*s = rs;
			*e = re;
			found = true;
		} else if (rs <= *e && re > *e) {
			*e = re;                /* ranges are sorted: extend the run */
		} else if (rs > *e) {
			break;
		}
	}
	return found;
}

/* Reserve the memmap the kernel allocates at boot. */
static void reserve_memmap(struct machine *m)
{
	const struct arch_profile *a = m->arch;
	bool old = m->kp->kv == KV_2_6_32;
	uint64_t sp = m->struct_page_size;

	if (!a->vmemmap_base) {
		/* FLATMEM: one mem_map for the node, from pfn 0 aligned down to
		 * MAX_ORDER_NR_PAGES up to the end aligned up
		 * (mm/page_alloc.c: alloc_node_mem_map()) */
		uint64_t start = m->min_pfn & ~(uint64_t)(CHUNK_PAGES - 1);
		uint64_t end = align_up(m->max_pfn, CHUNK_PAGES);
		uint64_t size = align_up((end - start) * sp, PAGE_SIZE);
		uint64_t at;
		/* bootmem: lowest free memory above MAX_DMA_ADDRESS, memblock:
		 * top-down below the lowmem limit; both retry from address 0 */
		at = memblock_alloc_range(m, size, PAGE_SIZE, 16 * MiB, m->max_low_pfn << PAGE_SHIFT, !old, "mem_map");
		if (at == ~0ull)
			at = memblock_alloc_range(m, size, PAGE_SIZE, 0, m->max_low_pfn << PAGE_SHIFT, !old, "mem_map");
		m->mem_map_phys = at == ~0ull ? 0 : at;
		memblock_flatmem_usemaps(m);    /* free_area_init_core() → setup_usemap() */
		return;
	}
	/* SPARSEMEM_VMEMMAP: the struct pages of each run of present sections
	 * in one buffer, mapped with PMD-sized blocks (mm/sparse.c
	 * sparse_init_nid(), mm/sparse-vmemmap.c vmemmap_populate_hugepages()) */
	m->mem_map_phys = 0;
	memblock_sparse_init_early(m);          /* memory_present(), the node's usemaps */
	m->boot.pgt_vmemmap = m->kp->kv >= KV_6_1;
	uint64_t s = 0, e;
	while (present_sections(m, &s, &e)) {
		/* sparse_init() goes node by node (sparse_early_nid(): a
		 * section's node is that of its first memory): a run stops
		 * where the node changes, and its struct pages go on its node */
		for (uint64_t r = s, b; r < e; r = b) {
			int nid = m->nr_nodes > 1 ? numa_pfn_to_nid(m, r * SECTION_PAGES_X86_64) : 0;
			for (b = r + 1; b < e && m->nr_nodes > 1 && numa_pfn_to_nid(m, b * SECTION_PAGES_X86_64) == nid;)
				b++;
			if (m->nr_nodes == 1)
				b = e;
			void *ctx = m->nr_nodes > 1 ? &nid : NULL;
			if (init_vmemmap(m, r * SECTION_PAGES_X86_64, b * SECTION_PAGES_X86_64, vmemmap_buffer_alloc, ctx))
				/* no range of RAM holds the whole run: section by section */
				for (uint64_t k = r; k < b; k++)
					init_vmemmap(m, k * SECTION_PAGES_X86_64, (k + 1) * SECTION_PAGES_X86_64,
						     vmemmap_buffer_alloc, ctx);
		}
		s = e;
	}
	m->boot.pgt_vmemmap = false;
	(void)sp;
}

/*
 * 6.11+ nr_memmap_boot_pages (mm/sparse.c sparse_init_nid() and
 * mm/mm_init.c alloc_node_mem_map(): memmap_boot_pages_add()): the pages
 * of struct pages allocated at boot.  SPARSEMEM_VMEMMAP: each present
 * section's PAGES_PER_SECTION * sizeof(struct page), rounded up to pages;
 * FLATMEM (the model's i386): the node's mem_map, as reserve_memmap().
 */
uint64_t machine_memmap_boot_pages(const struct machine *m)
{
	uint64_t sp = m->struct_page_size, n = 0;
	if (!m->arch->vmemmap_base) {
		uint64_t start = m->min_pfn & ~(uint64_t)(CHUNK_PAGES - 1);
		uint64_t end = align_up(m->max_pfn, CHUNK_PAGES);
		return align_up((end - start) * sp, PAGE_SIZE) >> PAGE_SHIFT;
	}
	uint64_t s = 0, e;
	while (present_sections(m, &s, &e)) {
		n += (e - s) * (align_up(SECTION_PAGES_X86_64 * sp, PAGE_SIZE) >> PAGE_SHIFT);
		s = e;
	}
	return n;
}

/* setup_arch()'s memblock reservations: the real-mode trampoline's first
 * MiB (6.13), then the memmap. */
static void reserve_boot_memory(struct machine *m)
{
	bool old = m->kp->kv == KV_2_6_32;

	if (!old) {
		/* arch/x86/realmode/init.c: reserve_real_mode() — the whole
		 * first 1 MiB is reserved unconditionally (5.13+) */
		memmap_reserve(&m->memmap, 0, 1 * MiB, "first 1 MiB");
	}
	reserve_memmap(m);
	if (memblock_early_allocs(m)) {
		/* setup_arch(), after paging_init(): acpi_boot_init(),
		 * io_apic_init_mappings(), e820__reserve_resources(),
		 * e820__register_nosave_regions() */
		struct e820_counts c;
		boot_e820_counts(m, &c);
		memblock_setup_arch_resources(m, &c);
	}
}

/* free_area_init_core(): each zone's present (2.6.32: less its memmap)
 * and managed pages, and the totals behind totalram_pages(). */
static void account_zones(struct machine *m)
{
	bool old = m->kp->kv == KV_2_6_32;
	m->totalram_pages = m->totalhigh_pages = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		if (!z->spanned)
			continue;
		uint64_t end = z->start_pfn + z->spanned;
		uint64_t resv = memmap_reserved_pages(&m->memmap, z->start_pfn, end);
		if (old) {
			/* free_area_init_core(): present = realsize - memmap pages */
			z->memmap_pages = align_up(z->spanned * m->struct_page_size, PAGE_SIZE) >> PAGE_SHIFT;
			if (z->present >= z->memmap_pages)
				z->present -= z->memmap_pages;
		}
		z->reserved_pages = resv;
		z->managed = memmap_ram_pages(&m->memmap, z->start_pfn, end) - resv;
		m->totalram_pages += z->managed;
		if (z->kind == ZK_HIGHMEM)
			m->totalhigh_pages += z->managed;
	}
}

/* memblock_free_all() → reset_all_zones_managed_pages() and the frees: a
 * zone's managed pages are its RAM that memblock still holds free. */
static void account_managed(struct machine *m)
{
	m->totalram_pages = m->totalhigh_pages = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		if (!z->spanned)
			continue;
		uint64_t end = z->start_pfn + z->spanned;
		z->reserved_pages = memmap_reserved_pages(&m->memmap, z->start_pfn, end);
		z->managed = memmap_ram_pages(&m->memmap, z->start_pfn, end) - z->reserved_pages;
		m->totalram_pages += z->managed;
		if (z->kind == ZK_HIGHMEM)
			m->totalhigh_pages += z->managed;
	}
}

/* mm/mm_init.c calc_nr_kernel_pages(), at the end of free_area_init():
 * the pages memblock holds free, all and below ZONE_HIGHMEM's start */
/*
 * 6.1 free_area_init_core() (mm/page_alloc.c): each zone starts with
 * freesize = present - memmap_pages (not for HighMem) - dma_reserve (zone
 * 0 only), where calc_memmap_size() is PAGE_ALIGN(spanned * sizeof(struct
 * page)) >> PAGE_SHIFT, or present's with SPARSEMEM when the zone has holes
 * of more than present / 16; dma_reserve is memblock_find_dma_reserve()'s
 * (arch/x86/mm/init.c, CONFIG_X86_64 only): RAM pages below MAX_DMA_PFN
 * less memblock's free ones (PFN_UP/PFN_DOWN of each free range).  These
 * are the zone's first managed_pages, which build_all_zonelists() sums as
 * "Total pages"; 6.13 (mm/mm_init.c) sets them to present_pages instead.
 */
static uint64_t memmap_pages_61(const struct machine *m, const struct zone *z)
{
	uint64_t pages = z->spanned;
	if (m->arch->vmemmap_base && z->spanned > z->present + (z->present >> 4))
		pages = z->present;     /* CONFIG_SPARSEMEM (x86_64) */
	return align_up(pages * m->struct_page_size, PAGE_SIZE) >> PAGE_SHIFT;
}

static uint64_t freesize_61(const struct machine *m, int i)
{
	const struct zone *z = &m->zones[i];
	uint64_t f = z->present, mm = memmap_pages_61(m, z);
	if (z->kind != ZK_HIGHMEM && f >= mm)
		f -= mm;
	if (i == 0 && m->arch->bits == 64) {
		uint64_t dma = m->arch->max_dma_pfn;
		uint64_t resv = memmap_ram_pages(&m->memmap, 0, dma) - memblock_free_pages_in(m, 0, dma);
		if (f > resv)
			f -= resv;
	}
	return f;
}

static void calc_nr_kernel_pages(struct machine *m)
{
	if (m->kp->kv == KV_6_1) {
		/* 6.1 free_area_init_core(): nr_kernel_pages sums the lowmem
		 * freesizes and is "charged" each HighMem memmap while it
		 * exceeds twice that; nr_all_pages sums them all */
		uint64_t kern = 0, all = 0;
		for (int i = 0; i < m->nr_zones; i++) {
			const struct zone *z = &m->zones[i];
			uint64_t f = freesize_61(m, i), mm = memmap_pages_61(m, z);
			if (z->kind != ZK_HIGHMEM)
				kern += f;
			else if (kern > mm * 2)
				kern -= mm;
			all += f;
		}
		m->boot.nr_all_pages = all;
		m->boot.nr_kernel_pages = kern;
		return;
	}

	uint64_t high = m->arch->highmem ? m->max_low_pfn : m->max_pfn;
	m->boot.nr_all_pages = memblock_free_pages_in(m, 0, m->max_pfn);
	m->boot.nr_kernel_pages = memblock_free_pages_in(m, 0, high < m->max_pfn ? high : m->max_pfn);
}

/*
 * free_area_init() → memmap_init(): the page store (descriptors come per
 * chunk, on first touch) and the pageblock bitmap (setup_usemap()), every
 * pageblock MIGRATE_MOVABLE (memmap_init_range()).  Count them as
 * pagetypeinfo_showblockcount_print() does: from the zone's start pfn in
 * steps of pageblock_nr_pages, skipping (SPARSEMEM) sections without a
 * memmap.
 */
static int init_page_store(struct machine *m, char *err, size_t errlen)
{
	m->nr_chunks = (m->max_pfn + CHUNK_PAGES - 1) >> CHUNK_SHIFT;
	m->chunk = calloc(m->nr_chunks ? m->nr_chunks : 1, sizeof *m->chunk);
	m->nr_pb = (m->max_pfn + (1ull << m->pageblock_order) - 1) >> m->pageblock_order;
	m->pb_mt = calloc(m->nr_pb ? m->nr_pb : 1, 1);
	if (!m->chunk || !m->pb_mt) {
		model_err_buf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		uint64_t nr = 1ull << m->pageblock_order, n = 0;
		uint64_t zs = z->start_pfn, ze = z->start_pfn + z->spanned;
		if (!z->spanned) {
			n = 0;
		} else if (!m->arch->vmemmap_base) {
			n = (z->spanned + nr - 1) / nr;
		} else {
			/* the steps zs + k * nr that land in a present section */
			uint64_t s = 0, e;
			while (present_sections(m, &s, &e)) {
				uint64_t a = s * SECTION_PAGES_X86_64, b = e * SECTION_PAGES_X86_64;
				if (a < zs)
					a = zs;
				if (b > ze)
					b = ze;
				if (a < b)
					n += (b - zs + nr - 1) / nr - (a - zs + nr - 1) / nr;
				s = e;
			}
		}
		z->nr_pageblocks[m->kp->mt_movable] = n;
	}
	return 0;
}

/* ---- boot messages ------------------------------------------------------ */

static unsigned rounddown_pow_of_two(unsigned long x)
{
	unsigned long r = 1;
	while (r * 2 <= x)
		r *= 2;
	return (unsigned)r;
}

/* 2.6.32 zone_batchsize() */
static unsigned batchsize_old(uint64_t present)
{
	uint64_t batch = present / 1024;
	if (batch * PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return rounddown_pow_of_two(batch + batch / 2) - 1;
}

static void boot_messages_old(struct machine *m)
{
	if (m->arch->highmem) {
		/* arch/x86/mm/init_32.c: initmem_init() */
		uint64_t high = m->max_pfn > m->max_low_pfn ? m->max_pfn - m->max_low_pfn : 0;
		dmesg_printf(m, "%lluMB HIGHMEM available.", (unsigned long long)(high >> 8));
		dmesg_printf(m, "%lluMB LOWMEM available.", (unsigned long long)(m->max_low_pfn >> 8));
	}
	/* mm/page_alloc.c: free_area_init_nodes() (2.6.32) */
	dmesg_printf(m, "Zone PFN ranges:");
	uint64_t lo = m->min_pfn;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind == ZK_MOVABLE)
			continue;
		uint64_t hi = z->spanned ? z->start_pfn + z->spanned : lo;
		if (z->kind == ZK_HIGHMEM)
			hi = m->max_pfn > lo ? m->max_pfn : lo;
		dmesg_printf(m, "  %-8s %#010llx -> %#010llx", z->name,
			     (unsigned long long)lo, (unsigned long long)hi);
		lo = hi;
	}
	dmesg_printf(m, "Movable zone start PFN for each node");
	dmesg_printf(m, "early_node_map[%zu] active PFN ranges", m->memmap.nram);
	for (size_t r = 0; r < m->memmap.nram; r++)
		dmesg_printf(m, "  %3d: %#010llx -> %#010llx", 0,
			     (unsigned long long)(m->memmap.ram[r].start >> PAGE_SHIFT),
			     (unsigned long long)(m->memmap.ram[r].end >> PAGE_SHIFT));
	uint64_t total = memmap_ram_pages(&m->memmap, 0, m->max_pfn);
	dmesg_printf(m, "On node 0 totalpages: %llu", (unsigned long long)total);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->spanned)
			continue;
		if (z->memmap_pages)
			dmesg_printf(m, "  %s zone: %llu pages used for memmap", z->name,
				     (unsigned long long)z->memmap_pages);
		if (i == 0)
			dmesg_printf(m, "  %s zone: %u pages reserved", z->name, 0u);
		dmesg_printf(m, "  %s zone: %llu pages, LIFO batch:%u", z->name,
			     (unsigned long long)z->present, batchsize_old(z->present));
	}
}

/* 2.6.32 build_all_zonelists(), after setup_per_cpu_areas() */
static void zonelist_messages_old(struct machine *m)
{
	uint64_t vm_total = 0;
	for (int i = 0; i < m->nr_zones; i++)
		vm_total += m->zones[i].present;
	/* build_all_zonelists(): grouping is off below pageblock_nr_pages *
	 * MIGRATE_TYPES pages */
	m->mobility_disabled = vm_total < (1ull << m->pageblock_order) * 5;
	dmesg_printf(m, "Built 1 zonelists in Zone order, mobility grouping %s.  Total pages: %llu",
		     m->mobility_disabled ? "off" : "on", (unsigned long long)vm_total);
}

/* mm/mm_init.c: init_unavailable_range() accounting for memmap_init() */
static void unavailable_ranges(struct machine *m)
{
	uint64_t hole = 0;
	int last_zone = 0;
	for (size_t r = 0; r < m->memmap.nram; r++) {
		uint64_t rs = m->memmap.ram[r].start >> PAGE_SHIFT, re = m->memmap.ram[r].end >> PAGE_SHIFT;
		for (int i = 0; i < m->nr_zones; i++) {
			const struct zone *z = &m->zones[i];
			if (!z->present)
				continue;
			uint64_t zs = z->start_pfn, ze = z->start_pfn + z->spanned;
			uint64_t s = rs < zs ? zs : (rs > ze ? ze : rs);
			uint64_t e = re < zs ? zs : (re > ze ? ze : re);
			last_zone = i;
			if (s >= e)
				continue;
			if (hole < s) {
				uint64_t cnt = 0;
				for (uint64_t p = hole; p < s; ) {
					/* pfn_valid(): section has a memmap (SPARSEMEM) */
					uint64_t sec = p / SECTION_PAGES_X86_64;
					uint64_t sec_end = (sec + 1) * SECTION_PAGES_X86_64;
					bool valid = !m->arch->vmemmap_base ||
						memmap_ram_pages(&m->memmap, sec * SECTION_PAGES_X86_64, sec_end) > 0;
					uint64_t stop = sec_end < s ? sec_end : s;
					if (valid)
						cnt += stop - p;
					p = stop;
				}
				if (cnt)
					dmesg_printf(m, "On node %d, zone %s: %llu pages in unavailable ranges",
						     z->nid, z->name, (unsigned long long)cnt);
			}
			hole = e;
		}
	}
	(void)last_zone;
}

/* arch/x86/mm/init_32.c: initmem_init() → highmem_pfn_init() and
 * lowmem_pfn_init() (6.x), in setup_arch() before the crash kernel and
 * paging_init() */
static void highmem_lowmem_messages(struct machine *m)
{
	if (m->arch->highmem) {
		uint64_t high = m->max_pfn > m->max_low_pfn ? m->max_pfn - m->max_low_pfn : 0;
		dmesg_printf(m, "%lluMB HIGHMEM available.", (unsigned long long)(high >> 8));
		dmesg_printf(m, "%lluMB LOWMEM available.", (unsigned long long)(m->max_low_pfn >> 8));
	}
}

/*
 * arch/x86/mm/numa.c alloc_node_data() (6.1, CONFIG_NUMA): pg_data_t from
 * memblock, top-down in the node, "NODE_DATA(%d) allocated [mem
 * %#010Lx-%#010Lx]".  Its size is the build's (the profile's, from the
 * real dmesg).  6.13 does the same; its profile leaves it out so far.
 */
static void node_data_61(struct machine *m)
{
	uint64_t size = m->arch->node_data_6_1;
	if (m->kp->kv != KV_6_1 || !size)
		return;
	/* numa_register_memblks(): alloc_node_data(nid) for each node,
	 * memblock_phys_alloc_try_nid() top-down inside the node */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t lo = m->nr_nodes > 1 ? m->node[nid].emu_start : 0;
		uint64_t hi = m->nr_nodes > 1 ? m->node[nid].emu_end : m->max_pfn << PAGE_SHIFT;
		uint64_t a = memblock_alloc_range(m, size, 64, lo, hi, true, "NODE_DATA");
		if (a != ~0ull && nid < MAX_NUMNODES_MODEL)
			m->boot.node_data_phys[nid] = a;
		if (a != ~0ull)
			dmesg_printf(m, "NODE_DATA(%u) allocated [mem %#010llx-%#010llx]", nid,
				     (unsigned long long)a, (unsigned long long)(a + size - 1));
	}
}

/*
 * arch/x86/mm/numa.c x86_numa_init(): no SRAT (x86_acpi_numa_init()
 * fails quietly) and no AMD northbridge, so numa_init(dummy_numa_init):
 * one node over [0, PFN_PHYS(max_pfn)), printed with the kernel's %#018Lx
 * (which, unlike C's, keeps "0x" for 0).  numa=fake=N splits that node
 * afterwards (numa_emulation()).  x86_64 only: Debian's i386 kernels have
 * no CONFIG_NUMA.
 */
static void dummy_numa_init(struct machine *m)
{
	if (m->arch->bits != 64)
		return;
	dmesg_printf(m, "No NUMA configuration found");
	dmesg_printf(m, "Faking a node at [mem 0x%016llx-0x%016llx]", 0ull,
		     (unsigned long long)((m->max_pfn << PAGE_SHIFT) - 1));
}

static void boot_messages_new(struct machine *m)
{
	/* mm/mm_init.c: free_area_init() */
	dmesg_printf(m, "Zone ranges:");
	for (int i = 0; i < m->nr_node_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind == ZK_MOVABLE)
			continue;
		/* arch_zone_lowest/highest_possible_pfn: the zone type's range
		 * over all nodes */
		uint64_t lo = 0, hi = 0;
		for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
			const struct zone *zn = &m->zones[(int)nid * m->nr_node_zones + i];
			if (!zn->spanned)
				continue;
			if (!hi || zn->start_pfn < lo)
				lo = zn->start_pfn;
			if (zn->start_pfn + zn->spanned > hi)
				hi = zn->start_pfn + zn->spanned;
		}
		if (!hi)
			dmesg_printf(m, "  %-8s empty", z->name);
		else
			dmesg_printf(m, "  %-8s [mem %#018llx-%#018llx]", z->name,
				     (unsigned long long)(lo << PAGE_SHIFT),
				     (unsigned long long)((hi << PAGE_SHIFT) - 1));
	}
	dmesg_printf(m, "Movable zone start for each node");
	dmesg_printf(m, "Early memory node ranges");
	/* memblock's regions, split at the nodes' boundaries by
	 * memblock_set_node() (numa_register_memblks()) */
	for (size_t r = 0; r < m->memmap.nram; r++)
		for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
			uint64_t rs = m->memmap.ram[r].start, re = m->memmap.ram[r].end;
			if (m->nr_nodes > 1) {
				if (rs < m->node[nid].emu_start)
					rs = m->node[nid].emu_start;
				if (re > m->node[nid].emu_end)
					re = m->node[nid].emu_end;
				if (rs >= re)
					continue;
			}
			dmesg_printf(m, "  node %3u: [mem %#018llx-%#018llx]", nid,
				     (unsigned long long)rs, (unsigned long long)(re - 1));
		}
	/* free_area_init_node() for each node */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t s0 = m->nr_nodes > 1 ? m->node[nid].node_start_pfn : m->min_pfn;
		uint64_t e0 = m->nr_nodes > 1 ? m->node[nid].node_end_pfn : m->max_pfn;
		dmesg_printf(m, "Initmem setup node %u [mem %#018llx-%#018llx]", nid,
			     (unsigned long long)(s0 << PAGE_SHIFT),
			     (unsigned long long)(e0 ? (e0 << PAGE_SHIFT) - 1 : 0));
	}
	unavailable_ranges(m);
}

/*
 * build_all_zonelists() (mm/page_alloc.c), after setup_per_cpu_areas():
 * Total pages is nr_free_zone_pages(): managed less the high watermark,
 * and at this point managed is still present_pages (free_area_init_core()
 * → zone_init_internals()) and the watermarks 0.  "Policy zone:" needs
 * CONFIG_NUMA, which x86_64 kernels have and x86_32 ones do not.
 */
static void zonelist_messages_new(struct machine *m)
{
	uint64_t vm_total = 0;
	for (int i = 0; i < m->nr_zones; i++)
		vm_total += m->kp->kv == KV_6_1 ? freesize_61(m, i) : m->zones[i].present;
	/* build_all_zonelists(): off below pageblock_nr_pages * MIGRATE_TYPES */
	m->mobility_disabled = vm_total < (1ull << m->pageblock_order) * 6;
	if (m->nr_nodes > 1 || m->arch->bits == 64) {
		/* build_zonelists() (CONFIG_NUMA: x86_64): each node's fallback
		 * order (numa.c), "0 " with one node */
		numa_build_zonelists(m);
		for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
			char line[128];
			int len = snprintf(line, sizeof line, "Fallback order for Node %u: ", nid);
			for (unsigned k = 0; k < m->nr_nodes && len < (int)sizeof line - 8; k++)
				len += snprintf(line + len, sizeof line - (size_t)len, "%d ", m->node[nid].node_order[k]);
			dmesg_printf(m, "%s", line);
		}
	}
	dmesg_printf(m, "Built %u zonelists, mobility grouping %s.  Total pages: %llu", m->nr_nodes,
		     m->mobility_disabled ? "off" : "on", (unsigned long long)vm_total);
	if (m->arch->bits == 64) {
		/* check_highest_zone() for every populated zone: policy_zone is
		 * the highest zone type any node populates, Movable aside */
		int policy = 0;
		for (int i = 0; i < m->nr_zones; i++)
			if (m->zones[i].present && m->zones[i].kind != ZK_MOVABLE && m->zones[i].kind != ZK_DEVICE &&
			    machine_zone_idx(m, &m->zones[i]) >= policy)
				policy = machine_zone_idx(m, &m->zones[i]);
		dmesg_printf(m, "Policy zone: %s", m->zones[policy].name);
	}
	/* start_kernel(): the command line, after the zonelists */
	char line[COMMAND_LINE_SIZE];
	dmesg_printf(m, "Kernel command line: %s", printed_cmdline(m, line, sizeof line));
}

static uint64_t nr_free_pages(const struct machine *m)
{
	uint64_t f = 0;
	for (int i = 0; i < m->nr_zones; i++)
		f += m->zones[i].free_pages;
	return f;
}

/*
 * 6.1 with CONFIG_DEFERRED_STRUCT_PAGE_INIT (Debian amd64; it needs 64BIT):
 * memmap_init() → defer_init() initialises the zone that ends the node
 * only up to the first section boundary after PAGES_PER_SECTION of its
 * pages, and memblock_free_all() leaves the pages from first_deferred_pfn
 * on to page_alloc_init_late()'s deferred_init_memmap() - after mem_init()
 * has printed nr_free_pages().  Returns first_deferred_pfn, or max_pfn.
 */
static uint64_t first_deferred_pfn_61(const struct machine *m)
{
	if (m->kp->kv != KV_6_1 || m->arch->bits != 64)
		return m->max_pfn;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		uint64_t zs = z->start_pfn, ze = z->start_pfn + z->spanned;
		if (!z->spanned || ze < m->max_pfn)
			continue;       /* "Always populate low zones" */
		uint64_t n = 0;
		for (size_t r = 0; r < m->memmap.nram; r++) {
			uint64_t s = m->memmap.ram[r].start >> PAGE_SHIFT, e = m->memmap.ram[r].end >> PAGE_SHIFT;
			s = s < zs ? zs : s;
			e = e > ze ? ze : e;
			for (uint64_t pfn = s; pfn < e; ) {
				/* n counts this pfn; the first aligned pfn past a
				 * section's worth is where deferral starts */
				if (n + 1 > SECTION_PAGES_X86_64) {
					uint64_t al = (pfn + SECTION_PAGES_X86_64 - 1) & ~(SECTION_PAGES_X86_64 - 1);
					if (al < e)
						return al;
					n += e - pfn;
					break;
				}
				uint64_t step = SECTION_PAGES_X86_64 + 1 - (n + 1);
				if (step > e - pfn)
					step = e - pfn;
				n += step;
				pfn += step;
			}
		}
	}
	return m->max_pfn;
}

/*
 * arch/x86/mm/init_64.c preallocate_vmalloc_pages() (5.9+), from mem_init()
 * right after memblock_free_all(): for each PGDIR_SIZE step of
 * [VMALLOC_START, VMEMORY_END] (VMEMORY_END = VMALLOC_START +
 * (VMALLOC_SIZE_TB << 40) - 1, pgtable_64_types.h) p4d_alloc(), and with
 * 4-level paging pud_alloc() too, so that the top-level entries of the
 * vmalloc area never change and need no syncing into other page tables.
 * 4-level: 32 TiB / 512 GiB = 64 pud tables from the buddy allocator
 * (GFP_PGTABLE_KERNEL) before "Memory:" counts nr_free_pages(); la57:
 * 12800 TiB / 256 TiB = 50 p4d tables.  The kernel panics when one cannot
 * be had.  i386 has no such step.  6.1 and 6.13 alike; only 6.13's pud
 * tables are counted in PageTables (__pud_alloc_one() runs
 * pagetable_pud_ctor() there, not in 6.1; x86's p4d_alloc_one() runs no
 * constructor in either: pgtable_counts_as_pagetable()).
 */
static int preallocate_vmalloc_pages(struct machine *m, char *err, size_t errlen)
{
	const struct kernel_layout *l = &m->layout;
	if (m->arch->bits != 64)
		return 0;
	uint64_t pgdir = pt_level_size(&m->pt->g, 0);
	for (uint64_t a = l->vmalloc_start; a <= l->vmalloc_end - 1; a = align_up(a + 1, pgdir)) {
		int r = pgtable_table_alloc_kernel(m, a, 1);
		if (r) {
			model_err_buf(err, errlen, "Failed to pre-allocate %s pages for vmalloc area",
				      m->pt->g.levels == 5 ? "p4d" : "pud");
			return r;
		}
	}
	return 0;
}

/* mem_init()'s "Memory: ...K/...K available" line */
static void mem_init_print_info(struct machine *m)
{
	const struct arch_profile *a = m->arch;
	uint64_t phys = memmap_ram_pages(&m->memmap, 0, m->max_pfn);
	uint64_t fdp = first_deferred_pfn_61(m);
	unsigned long long freek = (unsigned long long)(nr_free_pages(m) -
						       memblock_free_pages_in(m, fdp, m->max_pfn)) << 2;
	if (m->kp->kv == KV_2_6_32) {
		/* arch/x86/mm/init_32.c (init_64.c): mem_init() */
		/* reserved: RAM pages below max_low_pfn still PageReserved;
		 * init: __init_end - __init_begin */
		uint64_t kinit = m->kimage.init_end - m->kimage.init_begin;
		uint64_t reserved = memmap_reserved_pages(&m->memmap, 0, m->max_low_pfn);
		int hz = m->zone_of_kind[ZK_HIGHMEM];
		if (a->highmem && hz >= 0 && m->zones[hz].spanned)
			dmesg_printf(m, "Initializing HighMem for node 0 (%08llx:%08llx)",
				     (unsigned long long)m->zones[hz].start_pfn,
				     (unsigned long long)(m->zones[hz].start_pfn + m->zones[hz].spanned));
		if (a->highmem)
			dmesg_printf(m, "Memory: %lluk/%lluk available (%lluk kernel code, %lluk reserved, "
				     "%lluk data, %lluk init, %lluk highmem)",
				     freek, (unsigned long long)(m->max_pfn << 2),
				     (unsigned long long)(m->kcode >> 10), (unsigned long long)(reserved << 2),
				     (unsigned long long)(m->kdata >> 10), (unsigned long long)(kinit >> 10),
				     (unsigned long long)(m->totalhigh_pages << 2));
		else
			dmesg_printf(m, "Memory: %lluk/%lluk available (%lluk kernel code, %lluk absent, "
				     "%lluk reserved, %lluk data, %lluk init)",
				     freek, (unsigned long long)(m->max_pfn << 2),
				     (unsigned long long)(m->kcode >> 10),
				     (unsigned long long)((m->max_pfn - phys) << 2),
				     (unsigned long long)(reserved << 2),
				     (unsigned long long)(m->kdata >> 10), (unsigned long long)(kinit >> 10));
		return;
	}
	/* mm/mm_init.c: mem_init_print_info() */
	char high[64] = "";
	if (a->highmem)
		snprintf(high, sizeof high, ", %lluK highmem", (unsigned long long)(m->totalhigh_pages << 2));
	dmesg_printf(m, "Memory: %lluK/%lluK available (%lluK kernel code, %lluK rwdata, %lluK rodata, "
		     "%lluK init, %lluK bss, %lluK reserved, 0K cma-reserved%s)",
		     freek, (unsigned long long)(phys << 2),
		     (unsigned long long)(m->kcode >> 10), (unsigned long long)(m->kdata >> 10),
		     (unsigned long long)(m->krodata >> 10), (unsigned long long)(m->boot.kinit >> 10),
		     (unsigned long long)(m->kbss >> 10),
		     (unsigned long long)((phys - m->totalram_pages) << 2), high);
}

/* ---- slab ---------------------------------------------------------------- */

/* slub_debug= letters (mm/slub.c parse_slub_debug_flags()) */
int machine_parse_slub_debug(const char *text, unsigned *flags)
{
	unsigned f = 0;
	if (!*text || strcmp(text, "1") == 0 || strcmp(text, "-") == 0) {
		/* "slub_debug" alone: every check (F Z P U) */
		*flags = SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F;
		return 0;
	}
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case 'f': case 'F': f |= SLAB_DEBUG_FREE_F; break;
		case 'z': case 'Z': f |= SLAB_RED_ZONE_F; break;
		case 'p': case 'P': f |= SLAB_POISON_F; break;
		case 'u': case 'U': f |= SLAB_STORE_USER_F; break;
		case 'o': case 'O': case '-': break;
		default: return -EINVAL;
		}
	}
	*flags = f;
	return 0;
}

/* kmem_cache_init() of the allocator the kernel was built with: SLAB is
 * 2.6.32's default, SLUB 6.1's (which still builds SLAB and SLOB) and the
 * only one in 6.13 (--slab, --slub-debug, --debug-slab choose the build). */
static int setup_slab(struct machine *m, char *err, size_t errlen)
{
	enum slab_impl impl = m->kp->kv == KV_2_6_32 ? SLAB_IMPL_SLAB : SLAB_IMPL_SLUB;
	unsigned dbg = 0;
	if (m->cfg.slab && slab_impl_parse(m->cfg.slab, &impl)) {
		model_err_buf(err, errlen, "--slab %s: expected slub, slab or slob", m->cfg.slab);
		return -EINVAL;
	}
	if (!(m->kp->slab_impls & (1u << impl))) {
		model_err_buf(err, errlen, "--slab %s: Linux 6.13 has only SLUB (SLOB was removed in 6.4, SLAB in 6.8)",
			 slab_impl_name(impl));
		return -EINVAL;
	}
	if (m->cfg.slub_debug) {
		if (impl != SLAB_IMPL_SLUB) {
			if (impl == SLAB_IMPL_SLOB)
				model_err_buf(err, errlen, "--slub-debug needs SLUB and this machine uses SLOB, which has no "
					 "debugging checks (overflows and use-after-free go unnoticed): add --slab slub "
					 "(2.6.32's SLUB) or use --arch x86_64 (6.13: SLUB)");
			else
				model_err_buf(err, errlen, "--slub-debug needs SLUB and this machine uses SLAB: add --slab slub "
					 "(2.6.32's SLUB) or use --arch x86_64 (6.13: SLUB); SLAB's own checks are "
					 "--debug-slab");
			return -EINVAL;
		}
		if (machine_parse_slub_debug(m->cfg.slub_debug, &dbg)) {
			model_err_buf(err, errlen, "--slub-debug=%s: expected letters of F Z P U", m->cfg.slub_debug);
			return -EINVAL;
		}
	}
	/* slub_debug= from the command line (an __setup() of mm/slub.c, so
	 * only a SLUB build knows it; SLAB and SLOB builds pass the word on to
	 * init); --slub-debug wins over it */
	if (!m->cfg.slub_debug && m->boot.slub_debug_param && impl == SLAB_IMPL_SLUB)
		dbg = m->boot.slub_debug_flags;
	if (m->cfg.debug_slab) {
		if (impl != SLAB_IMPL_SLAB) {
			model_err_buf(err, errlen, "--debug-slab is CONFIG_DEBUG_SLAB, a build of SLAB (2.6.32); this machine "
				 "uses %s%s", slab_impl_name(impl), impl == SLAB_IMPL_SLUB ? _(": SLUB's checks are --slub-debug") :
				 _(", which has no debugging checks: add --slab slab"));
			return -EINVAL;
		}
		if (m->kp->kv != KV_2_6_32) {
			/* 6.1's DEBUG build lays objects out its own way
			 * (obj_offset, OBJFREELIST_SLAB's poisoned freelist) */
			model_err_buf(err, errlen, "--debug-slab is 2.6.32's CONFIG_DEBUG_SLAB; the model has no 6.1 "
				 "CONFIG_DEBUG_SLAB build: use --kernel 2.6.32, or 6.1 without it");
			return -EINVAL;
		}
		dbg = SLAB_DEBUG_BUILD_F;
	}
	int r = slab_init(m, impl, dbg);
	if (r) {
		model_err_buf(err, errlen, "slab allocator: %s", m->err[0] ? m->err : strerror(-r));
		return -EINVAL;
	}
	return 0;
}

/* arch/x86/mm/highmem_32.c set_highmem_pages_init() (6.x): every highmem
 * zone, Movable included (movable_zone is HighMem on x86_32) */
static void highmem_pages_messages(struct machine *m)
{
	if (!m->arch->highmem)
		return;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind != ZK_HIGHMEM && z->kind != ZK_MOVABLE)
			continue;
		dmesg_printf(m, "Initializing %s for node 0 (%08llx:%08llx)", z->name,
			     (unsigned long long)z->start_pfn, (unsigned long long)(z->start_pfn + z->spanned));
	}
}

/* ---- the command line ------------------------------------------------------ */

/*
 * arch/x86/kernel/e820.c parse_memopt(), an early_param of 6.x: userdef
 * is set first; then memparse() (0 or no number: -EINVAL, which
 * do_early_param() reports as "Malformed early option 'mem'"), and
 * e820__range_remove(mem_size, ULLONG_MAX - mem_size, E820_TYPE_RAM, 1)
 * logs the range it takes out (KERN_DEBUG, in the ring all the same);
 * the RAM goes once the map is there (e820_finish_early_params()).
 * "nopentium" (4K pages for the direct map) is 32-bit only.
 */
static int parse_memopt(struct machine *m, const char *p, size_t n, char *err, size_t errlen)
{
	if (!p) {                       /* "mem" without '=': val NULL, -EINVAL before userdef */
		dmesg_printf(m, "Malformed early option 'mem'");
		return 0;
	}
	char val[64];
	size_t vl = n < sizeof val - 1 ? n : sizeof val - 1;
	memcpy(val, p, vl);
	val[vl] = '\0';
	bool old = m->kp->kv == KV_2_6_32;
	if (old && p[-1] != '=') {
		/* 2.6.32: "mem" alone gives parse_memopt() a NULL: -EINVAL */
		dmesg_printf(m, "Malformed early option 'mem'");
		return 0;
	}
	/* 2.6.32 compares "nopentium" under CONFIG_X86_32 only */
	if (strcmp(val, "nopentium") == 0 && (!old || m->arch->bits == 32)) {
		if (m->arch->bits == 32) {
			model_err_buf(err, errlen, "--cmdline: mem=nopentium (no 4M pages in the direct map) is not modelled");
			return -EINVAL;
		}
		dmesg_printf(m, "mem=nopentium ignored! (only supported on x86_32)");
		dmesg_printf(m, "Malformed early option 'mem'");
		return 0;
	}
	m->boot.e820_userdef = true;
	const char *end;
	uint64_t sz = val[0] >= '0' && val[0] <= '9' ? memblock_memparse(val, &end) : 0;
	if (old) {
		/* 2.6.32 parse_memopt(): no check of the size (memparse() of
		 * "" or a word is 0, and e820_remove_range(0, ULLONG_MAX, …)
		 * takes out all RAM), and e820_remove_range() logs nothing */
		if (!sz) {
			model_err_buf(err, errlen, "--cmdline: mem=%s: 2.6.32's parse_memopt() would take out "
				      "all RAM (its memparse() gives 0)", val);
			return -EINVAL;
		}
		if (!m->boot.mem_limit || sz < m->boot.mem_limit)
			m->boot.mem_limit = sz;
		return 0;
	}
	if (!sz) {
		dmesg_printf(m, "Malformed early option 'mem'");
		return 0;
	}
	dmesg_printf(m, "e820: remove [mem 0x%08llx-0x%08llx] usable", (unsigned long long)sz,
		     (unsigned long long)(~0ull - 1));
	if (!m->boot.mem_limit || sz < m->boot.mem_limit)
		m->boot.mem_limit = sz;
	return 0;
}

/*
 * slub_debug[=OPTIONS] (mm/slub.c setup_slub_debug() and
 * parse_slub_debug_flags()): alone or with an empty value, every check
 * (DEBUG_DEFAULT_FLAGS: F Z P U); else its letters, '-' switching all off
 * again, 'o' only about orders.  The kernel skips an unknown letter with
 * "slub_debug option '%c' unknown. skipped"; kmemsh refuses it, and the
 * per-cache lists (",cache" and ";" blocks), which it does not model.
 */
static int cmdline_slub_debug(struct machine *m, const char *p, size_t n, char *err, size_t errlen)
{
	unsigned f = 0;
	if (n <= 11) {
		f = SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F;
	} else {
		for (size_t i = 11; i < n; i++) {
			switch (p[i]) {
			case 'f': case 'F': f |= SLAB_DEBUG_FREE_F; break;
			case 'z': case 'Z': f |= SLAB_RED_ZONE_F; break;
			case 'p': case 'P': f |= SLAB_POISON_F; break;
			case 'u': case 'U': f |= SLAB_STORE_USER_F; break;
			case 'o': case 'O': break;
			case '-': f = 0; break;
			case ',': case ';':
				model_err_buf(err, errlen, "--cmdline: %.*s: slub_debug= for chosen caches "
					      "(\",cache\" or \";\") is not modelled; kmemsh debugs every cache",
					      (int)n, p);
				return -EINVAL;
			default:
				model_err_buf(err, errlen, "--cmdline: %.*s: '%c' is not one of the letters kmemsh "
					      "models (F Z P U, O, -)", (int)n, p, p[i]);
				return -EINVAL;
			}
		}
	}
	m->boot.slub_debug_param = true;
	m->boot.slub_debug_flags = f;
	return 0;
}

/*
 * numa=fake=N (arch/x86/mm/numa.c numa_setup() → numa_emu_cmdline(); used
 * by mm/numa_emulation.c numa_emulation()): N fake nodes, as --nodes N,
 * which wins over it.  Only x86_64 kernels have CONFIG_NUMA; on i386 the
 * word goes to init.  The size form (numa=fake=512M) and the uniform one
 * (numa=fake=4U) are not modelled.
 */
static int cmdline_numa_fake(struct machine *m, const char *v, size_t n, char *err, size_t errlen)
{
	if (m->arch->bits != 64)
		return 0;
	if (m->kp->kv != KV_6_13) {
		model_err_buf(err, errlen, "--cmdline: numa=fake=: NUMA is modelled on x86_64 with 6.13 only");
		return -EINVAL;
	}
	unsigned long k = 0;
	size_t i = 0;
	while (i < n && v[i] >= '0' && v[i] <= '9' && k <= MAX_NUMNODES_MODEL)
		k = k * 10 + (unsigned long)(v[i++] - '0');
	if (i == 0 || i < n) {
		model_err_buf(err, errlen, "--cmdline: numa=fake=%.*s: kmemsh models only numa=fake=N, N nodes "
			      "(not the size or uniform forms)", (int)n, v);
		return -EINVAL;
	}
	if (k < 1 || k > MAX_NUMNODES_MODEL) {
		model_err_buf(err, errlen, "--cmdline: numa=fake=%.*s: from 1 to %d nodes", (int)n, v,
			      MAX_NUMNODES_MODEL);
		return -EINVAL;
	}
	if (k > 1 && m->cfg.snapshot) {
		model_err_buf(err, errlen, "--cmdline: numa=fake= cannot be combined with --from (the snapshot "
			      "has one node)");
		return -EINVAL;
	}
	if (!m->cfg.nr_nodes)
		m->cfg.nr_nodes = (unsigned)k;
	return 0;
}

/*
 * crashkernel= is read by kernel/crash_core.c get_last_crashkernel(), not
 * parse_args(): strstr() over the whole line, each value ending at the
 * next ' ' (no quotes, no "--" stop); the words here are those, as 6.x
 * boot_command_line holds them.
 */
static int cmdline_crashkernel(struct machine *m, const char *line, char *err, size_t errlen)
{
	bool old = m->kp->kv == KV_2_6_32;
	for (const char *p = line; p && *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n > 12 && strncmp(p, "crashkernel=", 12) == 0) {
			if (old) {
				model_err_buf(err, errlen, "--cmdline: crashkernel=: 2.6.32's reserve_crashkernel() "
					      "is not modelled (use --kernel 6.1 or 6.13)");
				return -EINVAL;
			}
			/* get_last_crashkernel(): the last plain one, else the
			 * last ",high" with the last ",low" */
			char *to = m->boot.crashkernel;
			size_t len = n - 12;
			if (len >= 5 && strncmp(p + n - 5, ",high", 5) == 0) {
				to = m->boot.crashkernel_high;
			} else if (len >= 4 && strncmp(p + n - 4, ",low", 4) == 0) {
				to = m->boot.crashkernel_low;
				len -= 4;
			}
			if (len >= sizeof m->boot.crashkernel) {
				model_err_buf(err, errlen, "--cmdline: crashkernel=: too long");
				return -EINVAL;
			}
			memcpy(to, p + 12, len);
			to[len] = '\0';
		}
		p += n;
	}
	return 0;
}

/*
 * parse_early_param() for the options the model follows: log_buf_len=
 * (memparse() sizes: K, M, G), transparent_hugepage=, vmalloc= (i386),
 * mem=, slub_debug= and numa=fake= (parse_args() words), then crashkernel=
 * (cmdline_crashkernel(); memblock.c parses the value).
 * Every other word is the kernel's business
 * (or init's) and is passed over as the kernel passes unknown ones on.
 */
static int parse_cmdline(struct machine *m, char *err, size_t errlen)
{
	const char *p = m->cfg.cmdline;
	bool old = m->kp->kv == KV_2_6_32;
	if (!p)
		return 0;
	if (strlen(p) > COMMAND_LINE_SIZE - 1) {
		model_err_buf(err, errlen, "--cmdline: longer than the boot protocol's %d bytes (COMMAND_LINE_SIZE - 1)",
			      COMMAND_LINE_SIZE - 1);
		return -EINVAL;
	}
	char at[COMMAND_LINE_SIZE];
	const char *many = unknown_bootoptions(m, p, NULL, NULL, at, sizeof at);
	if (many) {
		/* start_kernel(): panic("Too many boot %s vars at `%s'") */
		model_err_buf(err, errlen, "--cmdline: the kernel panics: Too many boot %s vars at `%s'", many, at);
		return -EINVAL;
	}
	struct cmdline_iter it;
	char *word, *value;
	size_t namelen;
	cmdline_iter_init(&it, p, !old);
	while (cmdline_next(&it, &word, &namelen, &value)) {
		p = word;
		size_t n = strlen(p);
		if (n > 12 && strncmp(p, "log_buf_len=", 12) == 0) {
			char val[64];
			size_t vl = n - 12 < sizeof val - 1 ? n - 12 : sizeof val - 1;
			memcpy(val, p + 12, vl);
			val[vl] = '\0';
			uint64_t v;
			if (parse_size(val, &v)) {
				model_err_buf(err, errlen, "--cmdline: log_buf_len=%s: not a size (write e.g. 4M)", val);
				return -EINVAL;
			}
			/* kernel/printk/printk.c log_buf_len_update(), once per
			 * option: above LOG_BUF_LEN_MAX, cut to it
			 * (log_buf_len_for() does); only a size above the static
			 * buffer sets new_log_buf_len, so a smaller later one
			 * leaves an earlier one's.  2.6.32 keeps the length in an
			 * int, and bootmem_log_buf_len() takes each in turn */
			if (old && v > (1ull << 30)) {
				model_err_buf(err, errlen, "--cmdline: log_buf_len=%s: 2.6.32's int log_buf_len "
					      "holds at most 1G (a power of two)", val);
				return -EINVAL;
			}
			if (v > (1ull << 31))
				dmesg_printf(m, "printk: log_buf over 2G is not supported.");
			if (old || !m->boot.log_buf_len_param || log_buf_len_for(v, 1))
				m->boot.log_buf_len_param = v;
		} else if (n > 21 && strncmp(p, "transparent_hugepage=", 21) == 0 && !old) {
			/* mm/huge_memory.c setup_transparent_hugepage(): always,
			 * madvise or never, else a warning; --thp wins over it */
			static const struct { const char *w; enum thp_mode t; } thp[] = {
				{ "always", THP_ALWAYS }, { "madvise", THP_MADVISE }, { "never", THP_NEVER },
			};
			size_t k = 0;
			while (k < 3 && !(n - 21 == strlen(thp[k].w) && strncmp(p + 21, thp[k].w, n - 21) == 0))
				k++;
			if (k == 3)
				dmesg_printf(m, "transparent_hugepage= cannot parse, ignored");
			else if (m->cfg.thp == THP_DEFAULT)
				m->cfg.thp = thp[k].t;
		} else if (n > 8 && strncmp(p, "vmalloc=", 8) == 0 && m->arch->bits == 32) {
			/* arch/x86/mm/pgtable_32.c parse_vmalloc(), an early_param
			 * of 32-bit x86 only (on x86_64 the word goes to init):
			 * __VMALLOC_RESERVE = memparse() + VMALLOC_OFFSET, which
			 * moves the end of lowmem as --vmalloc does; --vmalloc wins */
			char val[64];
			size_t vl = n - 8 < sizeof val - 1 ? n - 8 : sizeof val - 1;
			memcpy(val, p + 8, vl);
			val[vl] = '\0';
			uint64_t sz;
			if (parse_size(val, &sz) || !sz) {
				model_err_buf(err, errlen, "--cmdline: vmalloc=%s: not a size (write e.g. 256M)", val);
				return -EINVAL;
			}
			if (!m->cfg.vmalloc_size)
				m->boot.vmalloc_param = sz;
		} else if ((n == 3 && strncmp(p, "mem", 3) == 0) || (n >= 4 && strncmp(p, "mem=", 4) == 0)) {
			if (parse_memopt(m, n > 3 ? p + 4 : NULL, n > 3 ? n - 4 : 0, err, errlen))
				return -EINVAL;
		} else if ((n == 10 || (n > 10 && p[10] == '=')) && strncmp(p, "slub_debug", 10) == 0) {
			if (cmdline_slub_debug(m, p, n, err, errlen))
				return -EINVAL;
		} else if (n > 10 && strncmp(p, "numa=fake=", 10) == 0) {
			if (cmdline_numa_fake(m, p + 10, n - 10, err, errlen))
				return -EINVAL;
		}
	}
	return cmdline_crashkernel(m, m->cfg.cmdline, err, errlen);
}

/* ---- the frees after boot --------------------------------------------------- */

/* free_init_pages() → free_reserved_area(): the pages wholly inside
 * [begin, end) go back, "Freeing %s memory: %ldK" */
static void free_init_pages(struct machine *m, const char *what, uint64_t begin, uint64_t end)
{
	uint64_t s = align_up(begin, PAGE_SIZE) >> PAGE_SHIFT, e = end >> PAGE_SHIFT;
	if (e <= s)
		return;
	uint64_t n = buddy_free_reserved_range(m, s, e);
	dmesg_printf(m, "Freeing %s memory: %lluK", what, (unsigned long long)(n << 2));
}

/* arch/x86/kernel/alternative.c alternative_instructions(): the
 * .smp_locks list is dropped once no CPU can come and go (always, without
 * CPU hotplug) */
static void free_smp_alternatives(struct machine *m)
{
	const struct kimage *k = &m->kimage;
	free_init_pages(m, "SMP alternatives", k->init_end, k->init_end + m->boot.img_smp_locks);
}

/*
 * kernel_init(): populate_rootfs() frees the initrd (free_initrd_mem():
 * free_init_pages("initrd", start, PAGE_ALIGN(end))); free_initmem():
 * on x86_64 the unused part of .bss..decrypted (as init_mapping.c's
 * free_initmem() finds it), then __init_begin..__init_end; then
 * mark_rodata_ro(): x86_64 frees the text/rodata and rodata/data gaps.
 */
static void free_after_boot(struct machine *m)
{
	const struct kimage *k = &m->kimage;
	bool x86_64 = m->arch->bits == 64;
	if (m->boot.initrd_end)
		free_init_pages(m, "initrd", m->boot.initrd_start, m->boot.initrd_end);
	uint64_t pmd = 2 * MiB;
	if (x86_64 && !(k->ebss & (pmd - 1)) && k->ebss - pmd >= k->bss)
		free_init_pages(m, "unused decrypted", k->ebss - pmd + (12ull << 10), k->ebss);
	free_init_pages(m, "unused kernel image (initmem)", k->init_begin, k->init_end);
	if (x86_64) {
		uint64_t start = k->text & ~(PAGE_SIZE - 1);
		dmesg_printf(m, "Write protecting the kernel read-only data: %lluk",
			     (unsigned long long)((align_up(k->erodata, pmd) - start) >> 10));
		free_init_pages(m, "unused kernel image (text/rodata gap)", align_up(k->etext, PAGE_SIZE), k->rodata);
		free_init_pages(m, "unused kernel image (rodata/data gap)", align_up(k->erodata, PAGE_SIZE), k->sdata);
	} else {
		uint64_t start = k->text & ~(PAGE_SIZE - 1);
		dmesg_printf(m, "Write protecting kernel text and read-only data: %lluk",
			     (unsigned long long)((k->erodata - start) >> 10));
	}
}

/* ---- create / destroy ----------------------------------------------------- */

/* The boot messages of free_area_init() and, ahead of the zonelists they
 * announce, build_all_zonelists()'s (which decides
 * page_group_by_mobility_disabled). */
static void free_area_init_messages(struct machine *m)
{
	if (m->kp->kv == KV_2_6_32)
		boot_messages_old(m);
	else
		boot_messages_new(m);
}

int machine_create(const struct machine_config *cfg, struct machine **out, char *err, size_t errlen)
{
	struct machine *m = calloc(1, sizeof *m);
	if (!m) {
		model_err_buf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int r;
	bool old;
	/* start_kernel() → setup_arch() */
	struct early_pgt early = { 0 };
	if ((r = setup_profiles(m, cfg, err, errlen)) ||
	    (r = image_config(m, err, errlen)) ||                 /* the build's image */
	    (r = setup_memory_map(m, err, errlen)))             /* e820__memory_setup() */
		goto fail;
	early_boot_messages(m);                                 /* linux_banner, the BIOS map */
	if ((r = parse_cmdline(m, err, errlen)) ||                /* parse_early_param() */
	    (r = setup_memory_map_finish(m, err, errlen)))      /* trim_bios_range(), max_pfn */
		goto fail;
	old = m->kp->kv == KV_2_6_32;
	if ((r = kernel_image(m, err, errlen)))                 /* the code/data/bss resources */
		goto fail;
	if ((r = setup_layout(m, err, errlen)))                 /* find_low_pfn_range() */
		goto fail;
	m->max_low_pfn = m->layout.max_low_pfn;
	if ((r = setup_page_tables(m, &early, err, errlen)))     /* init_mem_mapping() */
		goto fail;
	/* With --from the real machine's free lists say what its boot
	 * reserved: the model reserves only its image, memmap and tables */
	bool faithful = !old && !cfg->snapshot;
	if (faithful) {
		memblock_setup_log_buf(m, true);                /* setup_log_buf(1) */
		int ir = memblock_reserve_initrd(m);           /* reserve_initrd() */
		if (ir == -2) {
			model_err_buf(err, errlen, "--initrd %lluK: no room to move it into lowmem (below %lluM) "
				      "beside where it was loaded", (unsigned long long)(cfg->initrd_size >> 10),
				      (unsigned long long)(m->max_low_pfn >> (20 - PAGE_SHIFT)));
			r = -EINVAL;
			goto fail;
		}
		if (ir) {
			model_err_buf(err, errlen, "--initrd %lluK: no room for it in the RAM below 4 GiB",
				 (unsigned long long)(cfg->initrd_size >> 10));
			r = -EINVAL;
			goto fail;
		}
		boot_vmap_acpi_table_init(m);                   /* acpi_boot_table_init() */
		highmem_lowmem_messages(m);                     /* initmem_init() */
		dummy_numa_init(m);                             /* initmem_init() → x86_numa_init() */
		if ((r = numa_emulation(m, err, errlen)))       /* initmem_init() → numa_init(): numa=fake= */
			goto fail;
		node_data_61(m);                                /* initmem_init() (NUMA) */
		if ((r = memblock_reserve_crashkernel(m, err, errlen)))  /* arch_reserve_crashkernel() */
			goto fail;
	} else if (!old) {
		highmem_lowmem_messages(m);
	}
	/* 2.6.32 with its own boot (not --from): the same steps by 2.6.32's
	 * bootmem and its own lines */
	bool faithful_old = old && !cfg->snapshot;
	if (faithful_old) {
		int ir = bootmem_reserve_initrd(m);             /* reserve_initrd() */
		if (ir) {
			model_err_buf(err, errlen, ir == -2 ? "--initrd %lluK: no room in lowmem to move it to "
				      "(2.6.32 panics: Cannot find place for new RAMDISK)" :
				      "--initrd %lluK: no room for it in the RAM below 4 GiB",
				      (unsigned long long)(cfg->initrd_size >> 10));
			r = -EINVAL;
			goto fail;
		}
	}
	if (!faithful && (r = numa_emulation(m, err, errlen)))
		goto fail;
	layout_zones(m);                                        /* zone_sizes_init() */
	reserve_boot_memory(m);                                 /* memblock_reserve(), the memmap */
	account_zones(m);                                       /* free_area_init_core() */
	if ((r = init_page_store(m, err, errlen)))              /* memmap_init() */
		goto fail;
	free_area_init_messages(m);                             /* free_area_init() */
	/* start_kernel() */
	if (old) {
		if (faithful_old && (r = bootmem_setup_per_cpu_areas(m, err, errlen)))  /* setup_per_cpu_areas() */
			goto fail;
		zonelist_messages_old(m);                       /* build_all_zonelists() */
		char line[COMMAND_LINE_SIZE];
		dmesg_printf(m, "Kernel command line: %s", printed_cmdline(m, line, sizeof line));
		if (faithful_old && (r = bootmem_log_buf_len(m, err, errlen)))  /* parse_args(): log_buf_len= */
			goto fail;
		if (faithful_old && (r = hugetlb_parse_args_2_6_32(m, err, errlen)))  /* parse_args(): hugepages= */
			goto fail;
		bootmem_large_system_hashes(m);                 /* pidhash_init(), vfs_caches_init_early() */
		account_managed(m);
	}
	if (!old) {
		calc_nr_kernel_pages(m);                        /* end of free_area_init() */
		if (faithful) {
			memblock_setup_command_line(m);         /* setup_command_line() */
			if ((r = memblock_setup_per_cpu_areas(m, err, errlen)))  /* setup_per_cpu_areas() */
				goto fail;
			memblock_setup_log_buf(m, false);       /* setup_log_buf(0) */
		}
		zonelist_messages_new(m);                       /* build_all_zonelists() */
		if (faithful && (r = hugetlb_parse_args(m, err, errlen)))  /* parse_args(): __setup */
			goto fail;
		print_unknown_bootoptions(m);                   /* after parse_args() */
		if (faithful) {
			memblock_vfs_caches_init_early(m);      /* vfs_caches_init_early() */
			memblock_cpu_entry_area_tables(m);      /* trap_init() */
		}
		/* mm_core_init() → mem_init() */
		memblock_swiotlb_init(m);                       /* pci_iommu_alloc() */
		highmem_pages_messages(m);                      /* set_highmem_pages_init() */
		account_managed(m);                             /* memblock_free_all() */
	}
	buddy_build_zonelists(m);                               /* build_all_zonelists() */
	buddy_boot_free(m);                                     /* mem_init(): memblock_free_all() */
	pgtable_boot_done(m);                                   /* later tables: the buddy allocator */
	if (faithful && m->kp->kv >= KV_6_1 && (r = preallocate_vmalloc_pages(m, err, errlen)))   /* mem_init() */
		goto fail;
	if (old) {
		mem_init_print_info(m);                         /* mem_init() */
		layout_boot_messages(m, &m->layout, &m->kimage);
	} else {
		if (m->kp->kv == KV_6_1)
			mem_init_print_info(m);                 /* 6.1 mem_init() */
		free_smp_alternatives(m);                       /* arch_cpu_finalize_init() */
	}
	machine_init_per_zone_wmark_min(m);                     /* init_per_zone_wmark_min(), early */
	/* hugepage_init() (mm/huge_memory.c) is a subsys_initcall like
	 * hugetlb_init() (mm/hugetlb.c); at one level the link order rules,
	 * and mm/Makefile links hugetlb.o before huge_memory.o, so in 6.x
	 * the boot pool of hugepages= is taken under init_per_zone_wmark_min()'s
	 * watermarks and set_recommended_min_free_kbytes() then counts the
	 * gigantic pages gather_bootmem_prealloc() made managed (below) */
	if (old && (r = machine_thp_init(m, err, errlen)))
		goto fail;
	if ((r = setup_slab(m, err, errlen)))                   /* kmem_cache_init() */
		goto fail;
	/* vmalloc_init().  Not with --from: the real machine's files already
	 * hold its vmap_area objects and pages (6.1's slabinfo row, 32/64-byte
	 * objects), so the model starts the allocator on first use there */
	if (!cfg->snapshot && (r = vmap_init(m))) {
		model_err_buf(err, errlen, "%s", m->err[0] ? m->err : _("out of memory"));
		goto fail;
	}
	/* start_kernel() → init_IRQ(): the boot CPU's IRQ stack; then
	 * acpi_early_init(): the ACPI tables left mapped; late_time_init() →
	 * hpet_enable(): the HPET's registers (boot_vmap.c).  All come before
	 * proc_caches_init(), vfs_caches_init() and the initcalls that make
	 * most of the named caches below */
	if ((faithful || faithful_old) &&
	    ((r = boot_vmap_irq_init_percpu_irqstack(m, 0)) || (r = boot_vmap_acpi_early_init(m)) ||
	     (r = boot_vmap_hpet_enable(m)))) {
		model_err_buf(err, errlen, "%s", m->err[0] ? m->err : _("out of memory"));
		goto fail;
	}
	/* the named caches of mm_init(), vfs_caches_init(), proc_caches_init()
	 * and the initcalls (boot_caches.c); --from has the real machine's */
	if (!cfg->snapshot && !old && (r = boot_caches_create(m))) {
		model_err_buf(err, errlen, "%s", m->err[0] ? m->err : _("out of memory"));
		goto fail;
	}
	if (!old) {
		/* start_kernel() → vfs_caches_init(), kernel_init_freeable() →
		 * page_alloc_init_late(), then the initcalls (futex_init();
		 * the watermarks were set above) and the frees */
		/* numa_policy_init() (start_kernel(), before vfs_caches_init()):
		 * the boot's interleave policy, which kernel_init() inherits */
		if (faithful)
			mempolicy_boot_interleave(m);
		/* vfs_caches_init() → dcache_init(), inode_init(): with
		 * hashdist the dentry and inode hashes, vmalloc'ed */
		if (faithful && (r = memblock_vfs_caches_init_hashes(m)))
			goto hash_fail;
		if (faithful && (r = memblock_mnt_init_hashes(m)))
			goto hash_fail;
		/* kernel_init_freeable() → smp_init(): each other CPU's IRQ
		 * stack as common_cpu_up() brings it up */
		for (unsigned cpu = 1; faithful && cpu < m->ncpus; cpu++)
			if ((r = boot_vmap_irq_init_percpu_irqstack(m, cpu))) {
				model_err_buf(err, errlen, "%s", m->err[0] ? m->err : _("out of memory"));
				goto fail;
			}
		if (m->kp->kv != KV_6_1)
			mem_init_print_info(m);         /* 6.13 page_alloc_init_late() */
		if (faithful && (r = memblock_futex_init_hash(m)))
			goto hash_fail;
		if (faithful)
			hugetlb_init(m);                /* hugetlb_init(), a subsys_initcall */
		if ((r = machine_thp_init(m, err, errlen)))     /* hugepage_init(), linked after */
			goto fail;
		/* dquot_init(), an fs_initcall in fs/, linked before net/ */
		if (faithful && (r = memblock_dquot_init(m)))
			goto hash_fail;
		/* inet_init(), an fs_initcall */
		if (faithful && (r = memblock_inet_init_hashes(m)))
			goto hash_fail;
		free_after_boot(m);
		/* kernel_init() → numa_default_policy() */
		if (faithful)
			mempolicy_boot_default(m);
	} else {
		if (faithful_old) {
			bootmem_mnt_init_2_6_32(m);             /* vfs_caches_init() → mnt_init() */
			bootmem_inet_init_2_6_32(m);            /* inet_init(), an fs_initcall */
		}
		/* populate_rootfs() (a rootfs_initcall) → free_initrd() →
		 * free_initrd_mem(initrd_start, initrd_end): 2.6.32's
		 * arch/x86/mm/init.c passes initrd_end as it is, start +
		 * ramdisk_size (the PAGE_ALIGN(end) came later), so
		 * free_init_pages() says (end - begin) >> 10 while its loop
		 * (addr < end) frees every page the initrd touches, the partly
		 * used last one too (reserved whole, boot.initrd_end) */
		if (m->boot.initrd_end) {
			uint64_t n = buddy_free_reserved_range(m, m->boot.initrd_start >> PAGE_SHIFT,
							       m->boot.initrd_end >> PAGE_SHIFT);
			if (n)
				dmesg_printf(m, "Freeing initrd memory: %lluk freed",
					     (unsigned long long)(cfg->initrd_size >> 10));
		}
		if (faithful_old)
			hugetlb_init_2_6_32(m);                 /* hugetlb_init(), a module_init */
		/* init_post() → free_initmem() (arch/x86/mm/init.c, 2.6.32):
		 * "Freeing %s: %luk freed" of __init_begin..__init_end */
		const struct kimage *k = &m->kimage;
		uint64_t n = buddy_free_reserved_range(m, k->init_begin >> PAGE_SHIFT, k->init_end >> PAGE_SHIFT);
		if (n)
			dmesg_printf(m, "Freeing unused kernel memory: %lluk freed",
				     (unsigned long long)((k->init_end - k->init_begin) >> 10));
	}
	if ((r = iomem_init(m))) {                              /* the resources' flags, the devices */
		model_err_buf(err, errlen, "out of memory");
		goto fail;
	}
	if ((r = pcp_setup(m))) {                               /* setup_per_cpu_pageset() */
		model_err_buf(err, errlen, "out of memory");
		goto fail;
	}
	if (cfg->pcp_off)
		pcp_set_enabled(m, false);                      /* --pcp off */
	if (cfg->snapshot && (r = snapshot_apply(m, cfg->snapshot, err, errlen)))
		goto fail;                                      /* --from: the real machine's state */
	/* what boot did is not news to the user */
	changelog_reset(m);
	m->dmesg.seen = m->dmesg.n;
	*out = m;
	return 0;
hash_fail:
	/* alloc_large_system_hash()'s panic: the boot stops (m->err says which) */
	model_err_buf(err, errlen, "%s", m->err);
fail:
	machine_destroy(m);
	return r;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	vmscan_destroy(m);
	vmap_destroy(m);
	ioremap_destroy(m);
	iomem_destroy(m);
	highmem_free(m);
	slab_destroy_all(m);
	pgtable_free(m);
	memstore_destroy(m);
	compaction_destroy(m);
	pcp_destroy(m);
	if (m->chunk)
		for (uint64_t i = 0; i < m->materialized; i++)
			free(m->chunk[m->touched[i]]);
	free(m->touched);
	free(m->chunk);
	free(m->seg);
	free(m->pb_mt);
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		free(dmesg_slot(&m->dmesg, i)->text);
	free(m->dmesg.v);
	free(m->log.v);
	memmap_free(&m->memmap);
	free(m->iomem_copy);
	free(m->boot.pcpu_unit);
	free(m);
}

