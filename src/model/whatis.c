/*
 * whatis.c - identify any kernel address, as crash's `kmem ADDR` and drgn's
 * identify_address() do: first the region of the virtual map
 * (layout_region_of()), then, for addresses that translate to a page, what
 * the page is (free in the buddy allocator, an allocated block, a slab page
 * and its object, a page-table page, a boot reservation, the kernel
 * image), and for the struct page array, which pfn's descriptor it is.
 * Read only.
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/iomem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/layout.h"
#include "kmemsh/machine.h"
#include "kmemsh/memmap.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/whatis.h"

static const char *reserved_name(const struct machine *m, uint64_t phys)
{
	const struct memmap *mm = &m->memmap;
	for (size_t i = 0; i < mm->nresv; i++)
		if (phys >= mm->resv[i].start && phys < mm->resv[i].end)
			return mm->resv[i].name ? mm->resv[i].name : "reserved";
	return NULL;
}

static const char *image_section(const struct machine *m, uint64_t phys)
{
	const struct kimage *k = &m->kimage;
	if (phys < k->text || phys >= k->brk_end)
		return NULL;
	if (phys < k->etext)
		return ".text";
	if (phys >= k->rodata && phys < k->erodata)
		return ".rodata";
	if (phys >= k->sdata && phys < k->edata)
		return ".data";
	if (phys >= k->init_begin && phys < k->init_end)
		return ".init";
	if (phys >= k->bss && phys < k->ebss)
		return ".bss";
	if (phys >= k->ebss)
		return ".brk";
	return "padding between sections";
}

/* What the page at phys is. */
static void describe_page(const struct machine *m, uint64_t phys, struct whatis *w)
{
	w->phys = phys;
	w->pfn = phys >> 12;
	w->zone = machine_pfn_zone(m, w->pfn);
	if (!memmap_pfn_is_ram(&m->memmap, w->pfn)) {
		w->what = WI_NOT_RAM;
		const struct resource *r = memmap_find_resource(&m->memmap, phys);
		w->resource = r && r->name ? r->name : NULL;
		return;
	}
	w->what = WI_PAGE;
	buddy_page_info(m, w->pfn, &w->pi);
	w->reserved_why = reserved_name(m, phys);
	w->image_section = image_section(m, phys);
	const struct pt_table *t = pgtable_table(m, w->pfn);
	if (t) {
		w->table = true;
		w->table_level = m->pt->g.name[t->depth];
		w->table_boot = t->boot;
	}
	if (m->slab && w->pi.state == PS_ALLOCATED) {
		uint64_t va = m->layout.page_offset + phys;
		slab_object_info(m, va, &w->oi);
		w->slab = w->oi.found;
	}
}

static void identify(const struct machine *m, uint64_t addr, struct whatis *w)
{
	const struct kernel_layout *l = &m->layout;
	switch (w->region.kind) {
	case VR_DIRECT: {
		uint64_t phys = addr - l->page_offset;
		describe_page(m, phys, w);
		/* FLATMEM: mem_map itself lives in the direct map */
		uint64_t bytes = m->max_pfn * m->struct_page_size;
		if (!l->vmemmap_base && phys >= m->mem_map_phys && phys - m->mem_map_phys < bytes) {
			w->what = WI_STRUCT_PAGE;
			w->sp_pfn = (phys - m->mem_map_phys) / m->struct_page_size;
			w->sp_offset = (unsigned)((phys - m->mem_map_phys) % m->struct_page_size);
		}
		return;
	}
	case VR_DIRECT_SPARE:
		w->what = WI_BEYOND_RAM;
		w->phys = addr - l->page_offset;
		w->pfn = w->phys >> 12;
		return;
	case VR_KERNEL_TEXT:
		if (addr - l->start_kernel_map < (m->kimage.brk_end + (2ull << 20))) {
			w->high_alias = true;
			describe_page(m, addr - l->start_kernel_map, w);
		}
		return;
	case VR_VMEMMAP: {
		uint64_t off = addr - l->vmemmap_base;
		w->what = WI_STRUCT_PAGE;
		w->sp_pfn = off / m->struct_page_size;
		w->sp_offset = (unsigned)(off % m->struct_page_size);
		return;
	}
	case VR_FIXMAP:
		/* __virt_to_fix(): (FIXADDR_TOP - (addr & PAGE_MASK)) >> PAGE_SHIFT;
		 * slot 0 (FIX_HOLE) is the page at FIXADDR_TOP itself */
		if ((addr & ~4095ull) <= l->fixaddr_top) {
			w->what = WI_FIXMAP;
			w->slot = (unsigned)((l->fixaddr_top - (addr & ~4095ull)) >> 12);
		}
		return;
	case VR_VMALLOC: {
		const struct vm_struct *vm = vmap_find_area(m, addr);
		struct vmap_range r;
		if (vm) {
			uint64_t idx = (addr - vm->addr) >> 12;
			w->vm_start = vm->addr;
			w->vm_end = vm->addr + vm->size;
			w->vm_flags = vm->flags;
			snprintf(w->vm_caller, sizeof w->vm_caller, "%s", vm->caller);
			w->vm_index = (unsigned)idx;
			w->vm_nr_pages = vm->nr_mapped;
			if (idx < vm->nr_mapped) {
				w->what = WI_VMALLOC;
				w->vm_pfn = (vm->flags & VM_IOREMAP) ? (vm->phys_addr >> 12) + idx : vm->pages[idx];
			} else {
				w->what = WI_VMALLOC_GUARD;
			}
		} else if (vmap_find_lazy(m, addr, &r) == 0) {
			w->what = WI_VMALLOC_LAZY;
			w->vm_start = r.start;
			w->vm_end = r.end;
		} else if (vmap_find_pooled(m, addr, &r, &w->slot) == 0) {
			w->what = WI_VMALLOC_POOLED;
			w->vm_start = r.start;
			w->vm_end = r.end;
		} else {
			w->what = WI_VMALLOC_HOLE;
		}
		return;
	}
	case VR_PKMAP:
		w->what = WI_PKMAP;
		w->slot = (unsigned)((addr - l->pkmap_base) >> 12);
		return;
	default:
		return;
	}
}

/* An ioremap'ed address: the mapping (ioremap.c's list, as the kernel's
 * vmap area with VM_IOREMAP and its memtype entry), the resource that
 * request_mem_region() or the firmware put there, the device register. */
static void describe_iomem(const struct machine *m, uint64_t addr, struct whatis *w)
{
	const struct ioremap_area *a = ioremap_find(m, addr);
	if (!a)
		return;
	w->io = true;
	w->io_phys = a->phys + (addr - a->va);
	w->io_start = a->phys;
	w->io_end = a->phys + a->size;
	w->io_pcm = a->pcm;
	w->io_req = a->req;
	const struct resource *r = memmap_find_resource(&m->memmap, w->io_phys);
	if (r) {
		w->io_resource = r->name ? r->name : "";
		w->io_res_start = r->start;
		w->io_res_end = r->end;
	}
	const struct mmio_device *d = iomem_device_at(m, w->io_phys);
	if (d) {
		w->io_device = iomem_device_name(d);
		w->io_dev_off = w->io_phys - iomem_device_base(d);
		w->io_reg = iomem_reg_name(m, w->io_phys);
	}
}

struct vm_region vm_region_of(const struct machine *m, uint64_t va)
{
	if (m->arch->bits == 32 && va > 0xffffffffull)
		return (struct vm_region){ 1ull << 32, ~0ull, VR_NONCANONICAL,
					   "beyond the 32-bit address space (no such address)" };
	return *layout_region_of(&m->layout, va);
}

int vm_whatis(const struct machine *m, uint64_t addr, struct whatis *w)
{
	memset(w, 0, sizeof *w);
	w->addr = addr;
	w->zone = -1;
	w->region = vm_region_of(m, addr);
	identify(m, addr, w);
	if (w->what == WI_VMALLOC || w->what == WI_NOT_RAM)
		describe_iomem(m, addr, w);
	if (m->pt)
		pgtable_walk(m, addr, &w->walk);
	return 0;
}

int vm_whatis_pfn(const struct machine *m, uint64_t pfn, struct whatis *w)
{
	if (pfn < m->max_low_pfn || m->arch->bits == 64)
		return vm_whatis(m, m->layout.page_offset + (pfn << 12), w);
	/* HighMem: no kernel address; describe the page itself */
	memset(w, 0, sizeof *w);
	w->zone = -1;
	w->highmem_pfn = true;
	w->region = (struct vm_region){ 0, 0, VR_HOLE, "HighMem page: no permanent kernel address" };
	describe_page(m, pfn << 12, w);
	return 0;
}
