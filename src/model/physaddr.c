/*
 * physaddr.c - __pa/__va and friends (arch/x86/mm/physaddr.c,
 * arch/x86/include/asm/page_32.h, page_64.h).
 *
 * x86_64 __phys_addr(x): y = x - __START_KERNEL_map; an address at or
 * above the kernel text mapping translates as y + phys_base (and must lie
 * within KERNEL_IMAGE_SIZE), anything else as x - PAGE_OFFSET, which must be
 * >= PAGE_OFFSET and below 2^x86_phys_bits.  x86_32: x - PAGE_OFFSET, with
 * CONFIG_DEBUG_VIRTUAL checking x >= PAGE_OFFSET and x outside vmalloc
 * space.  Those checks are all the kernel makes: a fixmap, pkmap or
 * VMALLOC_OFFSET-hole address on i386, or a vmalloc address on a CPU with
 * 48 physical bits, passes them and yields a wrong physical address.  The
 * model refuses all of these; it writes the BUG report only when the
 * kernel's checks would fire.
 */
#include <errno.h>
#include <stdio.h>

#include "kmemsh/context.h"
#include "kmemsh/i18n.h"
#include "kmemsh/layout.h"
#include "kmemsh/machine.h"
#include "kmemsh/memmap.h"
#include "kmemsh/physaddr.h"
#include "kmemsh/whatis.h"

/* The lines of __phys_addr()'s VIRTUAL_BUG_ON()s: 6.13
 * arch/x86/mm/physaddr.c (x86_64 23 image, 28 direct map; x86_32 76
 * below PAGE_OFFSET, 77 vmalloc, 80 above max_low_pfn — 23 and 76 are
 * seen in real reports; 6.1.192's file has the same lines); 2.6.32 arch/x86/mm/ioremap.c (x86_64 40 image, 43
 * below PAGE_OFFSET, 45 not a valid physical address; x86_32 76, 77, and
 * no max_low_pfn check).  0: that kernel has no such check. */
struct bug_lines {
	const char *file;
	int image64, low64, direct64, low32, vmalloc32, maxlow32;
};
static const struct bug_lines bug_6_13 = { "arch/x86/mm/physaddr.c", 23, 28, 28, 76, 77, 80 };
static const struct bug_lines bug_2_6_32 = { "arch/x86/mm/ioremap.c", 40, 43, 45, 76, 77, 0 };

static const struct bug_lines *bug_lines(const struct machine *m)
{
	return m->kp->kv == KV_2_6_32 ? &bug_2_6_32 : &bug_6_13;
}

static void virtual_bug(struct machine *m, int line)
{
	/* lib/bug.c report_bug(): CUT_HERE and "kernel BUG at %s:%u!", then
	 * die("invalid opcode") (arch/x86/kernel/dumpstack.c __die_header()) */
	dmesg_printf(m, "------------[ cut here ]------------");
	dmesg_printf(m, "kernel BUG at %s:%d!", bug_lines(m)->file, line);
	context_die_invalid_opcode(m, machine_this_cpu(m));
}

static bool is_vmalloc(const struct kernel_layout *l, uint64_t va)
{
	return va >= l->vmalloc_start && va < l->vmalloc_end;
}

static const char *where(const struct machine *m, uint64_t va)
{
	return layout_kind_name(vm_region_of(m, va).kind);
}

int vm_virt_to_phys(struct machine *m, uint64_t va, uint64_t *pa)
{
	const struct kernel_layout *l = &m->layout;
	uint64_t end_direct = l->page_offset + (m->max_low_pfn << 12);
	if (m->arch->bits == 64) {
		uint64_t y = va - l->start_kernel_map;
		if (va >= l->start_kernel_map) {
			/* phys_base is 0: the image runs where it was linked */
			if (y >= l->kernel_image_size) {
				virtual_bug(m, bug_lines(m)->image64);
				model_err(m, "%#llx is past the kernel image mapping (%s): "
					 "__pa() BUGs (CONFIG_DEBUG_VIRTUAL)", (unsigned long long)va, where(m, va));
				return -EFAULT;
			}
			*pa = y;
			return 0;
		}
		uint64_t x = va - l->page_offset;
		if (va < l->page_offset || (x >> MODEL_X86_PHYS_BITS)) {
			virtual_bug(m, va < l->page_offset ? bug_lines(m)->low64 : bug_lines(m)->direct64);
			model_err(m, "%#llx is not in the direct map (%s): __pa() BUGs "
				 "(CONFIG_DEBUG_VIRTUAL)", (unsigned long long)va, where(m, va));
			return -EFAULT;
		}
		if (va >= end_direct) {
			model_err(m, "%#llx is not in the direct map (%s): __pa() would "
				 "return %#llx, which is not RAM", (unsigned long long)va, where(m, va),
				 (unsigned long long)x);
			return -EFAULT;
		}
		*pa = x;
		return 0;
	}
	if (va > 0xffffffffull) {
		/* no unsigned long holds it: nothing for __pa() to check */
		model_err(m, "%#llx is beyond the 32-bit address space", (unsigned long long)va);
		return -EFAULT;
	}
	if (va < l->page_offset) {
		virtual_bug(m, bug_lines(m)->low32);
		model_err(m, "%#llx is a user address: __pa() BUGs (CONFIG_DEBUG_VIRTUAL)",
			 (unsigned long long)va);
		return -EFAULT;
	}
	if (is_vmalloc(l, va)) {
		virtual_bug(m, bug_lines(m)->vmalloc32);
		model_err(m, "%#llx is in vmalloc space: __pa() BUGs (CONFIG_DEBUG_VIRTUAL); "
			 "use vmalloc_to_page()", (unsigned long long)va);
		return -EFAULT;
	}
	if (va >= end_direct) {
		uint64_t pfn = (va - l->page_offset) >> 12;
		bool bug = bug_lines(m)->maxlow32 && pfn >= m->max_low_pfn;
		/* line 80 for pfn > max_low_pfn; at max_low_pfn itself the next
		 * line, BUG_ON(slow_virt_to_phys(x) != phys_addr): the page is
		 * not mapped */
		if (bug)
			virtual_bug(m, bug_lines(m)->maxlow32 + (pfn == m->max_low_pfn));
		model_err(m, "%#llx is not in the direct map (%s): __pa() %s %#llx",
			 (unsigned long long)va, where(m, va), bug ? _("BUGs (CONFIG_DEBUG_VIRTUAL) on") :
			 _("would silently return"), (unsigned long long)(va - l->page_offset));
		return -EFAULT;
	}
	*pa = va - l->page_offset;
	return 0;
}

int vm_phys_to_virt(struct machine *m, uint64_t pa, uint64_t *va)
{
	const struct kernel_layout *l = &m->layout;
	if ((pa >> 12) >= m->max_low_pfn) {
		if (m->arch->highmem && (pa >> 12) < m->max_pfn)
			model_err(m, "%#llx is HighMem: it has no permanent kernel address "
				 "(__va() would give %#llx, inside %s); kmap() its page", (unsigned long long)pa,
				 (unsigned long long)((l->page_offset + pa) & 0xffffffffull),
				 where(m, (l->page_offset + pa) & 0xffffffffull));
		else
			model_err(m, "%#llx is beyond the end of RAM: the direct map does not "
				 "reach it", (unsigned long long)pa);
		return -EFAULT;
	}
	*va = l->page_offset + pa;
	return 0;
}

int vm_virt_to_pfn(struct machine *m, uint64_t va, uint64_t *pfn)
{
	uint64_t pa;
	int r = vm_virt_to_phys(m, va, &pa);
	if (r)
		return r;
	*pfn = pa >> 12;
	return 0;
}

/* pfn_valid(): FLATMEM (i386): pfn < max_mapnr; SPARSEMEM (x86_64): the
 * pfn's 128 MiB section has a memmap (boot sections are valid whole) */
static bool pfn_valid(const struct machine *m, uint64_t pfn)
{
	if (!m->layout.vmemmap_base)
		return pfn < m->max_pfn;
	uint64_t sec = pfn >> 15;
	return memmap_ram_pages(&m->memmap, sec << 15, (sec + 1) << 15) > 0;
}

bool vm_virt_addr_valid(const struct machine *m, uint64_t va)
{
	const struct kernel_layout *l = &m->layout;
	if (m->arch->bits == 64) {
		uint64_t x;
		if (va >= l->start_kernel_map) {
			if (va - l->start_kernel_map >= l->kernel_image_size)
				return false;
			x = va - l->start_kernel_map;
		} else {
			if (va < l->page_offset)
				return false;
			x = va - l->page_offset;
			if (x >> MODEL_X86_PHYS_BITS)
				return false;
		}
		return pfn_valid(m, x >> 12);
	}
	if (va < l->page_offset || is_vmalloc(l, va) || va >= l->fixaddr_start)
		return false;
	return pfn_valid(m, (va - l->page_offset) >> 12);
}
