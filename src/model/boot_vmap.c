/*
 * boot_vmap.c - the vmap areas boot leaves behind.
 *
 * A booted x86 kernel's vmalloc space is not empty: before any driver or
 * user runs, start_kernel() and the CPU bring-up have mapped
 *
 *   init_IRQ() → irq_init_percpu_irqstack(0)       (x86_64, 5.2 and later)
 *       the boot CPU's IRQ stack: map_irq_stack() vmap()s the 4 pages of
 *       its per-CPU irq_stack_backing_store (IRQ_STACK_SIZE = PAGE_SIZE <<
 *       IRQ_STACK_ORDER, 16 KiB without KASAN), VM_MAP, so that a stack
 *       overflow runs into the area's guard page (arch/x86/kernel/irq_64.c);
 *   late_time_init() → hpet_time_init() → hpet_enable() → hpet_set_mapping()
 *       ioremap(hpet_address, HPET_MMAP_SIZE = 1024): the HPET's registers,
 *       uncached-minus (arch/x86/kernel/hpet.c; 2.6.32: ioremap_nocache(),
 *       the same mode);
 *   smp_init() → ... → common_cpu_up() → irq_init_percpu_irqstack(cpu)
 *       every other CPU's IRQ stack as it is brought up.
 *
 * The real Debian 6.1 amd64 kernel (/work/shared/reference/real-kernels/
 * amd64-6.1-4G-2cpu-nokaslr-thpnever/vmallocinfo.txt) shows them as
 *   0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xf0/0x120 vmap
 *   0xffffc9000000b000-0xffffc9000000d000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap
 * and its i386 686 kernel (i386-6.1-1G-2cpu) as
 *   0xf7403000-0xf7405000    8192 hpet_enable+0xc5/0x3da phys=0xfed00000 ioremap
 * (i386 allocates its IRQ stacks as pages, irq_32.c, no vmap).
 *
 * Not modelled, and why:
 *  - the ACPI tables acpi_os_map_iomem() keeps mapped (the two areas
 *    between the IRQ stack and the HPET above, at 0xbffe1000 and 0xbffe0000
 *    on QEMU): their physical placement is the firmware's table layout
 *    inside an e820 "Reserved" range, which no /proc/iomem gives (QEMU's
 *    has no "ACPI Tables" range); so the HPET's area sits where they would
 *    have been, 0x6000 lower than on the real amd64 machine (two
 *    areas of 8 and 12 KiB and the page the second one's 8 KiB alignment
 *    skips) and 0x5000 lower on i386;
 *  - the areas of kthread stacks (kernel_clone), BPF, gen_pool and the
 *    percpu allocator that the real file lists between CPU 0's IRQ stack
 *    and CPU 1's (its line 37): the model runs none of that code, so the
 *    other CPUs' stacks follow the HPET's area directly;
 *  - what hpet_enable() does to the HPET itself (the counter is started,
 *    the register file stays at its reset values).
 *
 * The page of irq_stack_backing_store in the per-CPU area: offset 0x2000,
 * after fixed_percpu_data's page and cpu_debug_store's, in every x86_64
 * distribution System.map read (5.19, Fedora 6.6.8, Ubuntu 6.14:
 * "0000000000002000 D irq_stack_backing_store"); Debian 6.1's System.map
 * was not at hand.
 */
#include <errno.h>
#include <string.h>

#include "kmemsh/boot_vmap.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/vmalloc.h"

#define IRQ_STACK_PAGES 4                       /* IRQ_STACK_SIZE / PAGE_SIZE, IRQ_STACK_ORDER 2 */
#define IRQ_STACK_PERCPU_OFFSET 0x2000ull       /* irq_stack_backing_store - __per_cpu_start */
#define HPET_MMAP_SIZE 1024                     /* arch/x86/include/asm/hpet.h */

/*
 * The callers' %pS.  6.1: the offsets the real Debian 6.1.0 kernels print
 * (amd64 for every 64-bit profile, the same image; the 686 build for
 * non-PAE i386).  6.13, 2.6.32 and 686-pae: no real kernel was read, so
 * the offsets are unverified and printed +0x0/0x0, as the model prints
 * every caller it cannot place.
 */
const char *boot_vmap_irqstack_caller(const struct machine *m)
{
	if (m->kp->kv == KV_6_1 && m->arch->bits == 64)
		return "irq_init_percpu_irqstack+0xf0/0x120";
	return "irq_init_percpu_irqstack+0x0/0x0";
}

const char *boot_vmap_hpet_caller(const struct machine *m)
{
	if (m->kp->kv == KV_6_1 && m->arch->bits == 64)
		return "hpet_enable+0xef/0x46d";
	if (m->kp->kv == KV_6_1 && !m->arch->pae)
		return "hpet_enable+0xc5/0x3da";
	return "hpet_enable+0x0/0x0";
}

int boot_vmap_irq_init_percpu_irqstack(struct machine *m, unsigned cpu)
{
	if (m->arch->bits != 64 || m->kp->kv < KV_6_1 || !m->boot.pcpu_unit || cpu >= m->ncpus)
		return 0;
	/* map_irq_stack(): per_cpu_ptr_to_phys() of each page; the first
	 * chunk is embedded in the direct map, so the unit's physical start
	 * plus the variable's offset */
	uint64_t pfns[IRQ_STACK_PAGES];
	uint64_t base = (m->boot.pcpu_unit[cpu] + IRQ_STACK_PERCPU_OFFSET) >> m->arch->page_shift;
	for (unsigned i = 0; i < IRQ_STACK_PAGES; i++)
		pfns[i] = base + i;
	uint64_t va;
	return vmap_pages(m, pfns, IRQ_STACK_PAGES, VM_MAP, boot_vmap_irqstack_caller(m), &va);
}

/* "HPET " and a number: the name acpi_parse_hpet() gives (HPET %u, the
 * table's sequence number) */
static bool is_hpet_name(const char *s)
{
	if (!s || strncmp(s, "HPET ", 5) || !s[5])
		return false;
	for (s += 5; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const struct resource *find_hpet(const struct resource *r)
{
	for (; r; r = r->sibling) {
		if (is_hpet_name(r->name))
			return r;
		const struct resource *c = find_hpet(r->child);
		if (c)
			return c;
	}
	return NULL;
}

/*
 * is_hpet_capable()'s boot_hpet_disable, as the command line sets it.
 * "nohpet" is a __setup() option: obsolete_checksetup() (init/main.c)
 * matches a parameter that begins with it (parameqn(line, p->str, n)),
 * so "nohpet=1" or "nohpetx" calls disable_hpet() too.  hpet_setup()
 * (arch/x86/kernel/hpet.c) sets it when a value begins with "disable"
 * (strncmp("disable", str, 7)); 6.x splits "hpet=" at commas first,
 * 2.6.32 tests the whole value once.
 */
static bool hpet_disabled(const struct machine *m)
{
	const char *p = m->cfg.cmdline;
	while (p && *p) {
		p += strspn(p, " ");
		size_t k = strcspn(p, " ");
		if (k >= 6 && !strncmp(p, "nohpet", 6))
			return true;
		if (k >= 5 && !strncmp(p, "hpet=", 5)) {
			const char *v = p + 5, *end = p + k;
			while (v < end) {
				if ((size_t)(end - v) >= 7 && !strncmp(v, "disable", 7))
					return true;
				if (m->kp->kv < KV_6_1)
					break;          /* 2.6.32: no comma list */
				const char *comma = memchr(v, ',', (size_t)(end - v));
				if (!comma)
					break;
				v = comma + 1;
			}
		}
		p += k;
	}
	return false;
}

uint64_t boot_vmap_hpet_address(const struct machine *m)
{
	const struct resource *r = find_hpet(m->memmap.root.child);
	return r && !hpet_disabled(m) ? r->start : 0;
}

int boot_vmap_hpet_enable(struct machine *m)
{
	uint64_t hpet_address = boot_vmap_hpet_address(m);
	if (!hpet_address)
		return 0;                       /* is_hpet_capable() */
	uint64_t va;
	return ioremap_caller_by(m, hpet_address, HPET_MMAP_SIZE, PCM_UC_MINUS, boot_vmap_hpet_caller(m), &va, NULL);
}
