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
 *   acpi_early_init() → acpi_reallocate_root_table()                (6.x)
 *       the firmware's ACPI tables, each verified and left mapped through
 *       acpi_os_map_iomem(): one area per page run no earlier mapping
 *       covers (boot_vmap_acpi_early_init() below);
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
 *   0xffffc90000005000-0xffffc90000007000    8192 acpi_os_map_iomem+0x1b6/0x1d0 phys=0x00000000bffe1000 ioremap
 *   0xffffc90000008000-0xffffc9000000b000   12288 acpi_os_map_iomem+0x1b6/0x1d0 phys=0x00000000bffe0000 ioremap
 *   0xffffc9000000b000-0xffffc9000000d000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap
 * and its i386 686 kernel (i386-6.1-1G-2cpu) as
 *   0xf73fe000-0xf7400000    8192 acpi_os_map_iomem+0x211/0x240 phys=0x3ffe1000 ioremap
 *   0xf7400000-0xf7403000   12288 acpi_os_map_iomem+0x211/0x240 phys=0x3ffe0000 ioremap
 *   0xf7403000-0xf7405000    8192 hpet_enable+0xc5/0x3da phys=0xfed00000 ioremap
 * (i386 allocates its IRQ stacks as pages, irq_32.c, no vmap); the model
 * makes these lines, addresses included.
 *
 * Not modelled, and why:
 *  - the areas of kthread stacks (kernel_clone), BPF, gen_pool and the
 *    percpu allocator that the real file lists between CPU 0's IRQ stack
 *    and CPU 1's (its line 37): the model runs none of that code, so the
 *    other CPUs' stacks follow the HPET's area directly;
 *  - two later ACPI-era areas among those kthread stacks (amd64 lines 15
 *    and 17, i386 lines 5 and 6): acpi_os_map_iomem() of the HPET's
 *    registers at 0xfed00000 (most likely the AML interpreter's
 *    SystemMemory handler for the OperationRegion of QEMU's HPET device,
 *    under acpi_init(), a subsys_initcall; not confirmed) and memremap() of 0xf5000 (dmi_init()'s
 *    dmi_remap(), memremap(MEMREMAP_WB) on x86, of the SMBIOS structure
 *    table, which the real machine's entry point puts at 0xf59f0,
 *    421 bytes: tests/data/README), a core_initcall.  Both
 *    come after smp_init() and need the kthreads' areas before them to
 *    land where the real ones do; the model has neither the AML nor the
 *    SMBIOS tables;
 *  - the memblock_reserve() acpi_reserve_initial_tables() makes of each
 *    table, which lies in an e820 Reserved range no zone spans anyway;
 *  - what hpet_enable() does to the HPET itself (the counter is started,
 *    the register file stays at its reset values).
 *
 * The page of irq_stack_backing_store in the per-CPU area: offset 0x2000,
 * after fixed_percpu_data's page and cpu_debug_store's.  Read from the
 * reference kernel itself (Debian 6.1.0-50-amd64, 6.1.176-1, booted under
 * qemu-system-x86_64 -m 4096 -smp 2 with nokaslr; tests/data/README says
 * how): its /proc/kallsyms has "0000000000002000 A irq_stack_backing_store"
 * after "0000000000000000 A __per_cpu_start" and "0000000000001000 A
 * cpu_debug_store", as the System.maps of 5.19, Fedora 6.6.8 and Ubuntu
 * 6.14 have it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/boot_vmap.h"
#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
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
enum boot_caller { BC_IRQSTACK, BC_HPET, BC_ACPI };

static const struct {
	const char *name, *amd64_6_1, *i686_6_1;
} boot_callers[] = {
	[BC_IRQSTACK] = { "irq_init_percpu_irqstack", "+0xf0/0x120", NULL },   /* i386: pages, no vmap */
	[BC_HPET] = { "hpet_enable", "+0xef/0x46d", "+0xc5/0x3da" },
	[BC_ACPI] = { "acpi_os_map_iomem", "+0x1b6/0x1d0", "+0x211/0x240" },
};

static const char *boot_caller(const struct machine *m, enum boot_caller c, char *buf, size_t len)
{
	const char *off = NULL;
	if (m->kp->kv == KV_6_1)
		off = m->arch->bits == 64 ? boot_callers[c].amd64_6_1 : !m->arch->pae ? boot_callers[c].i686_6_1 : NULL;
	snprintf(buf, len, "%s%s", boot_callers[c].name, off ? off : "+0x0/0x0");
	return buf;
}

/*
 * i386 6.x: irq_init_percpu_irqstack() (arch/x86/kernel/irq_32.c, 6.1)
 * takes the hard and the soft IRQ stack as two separate
 * alloc_pages_node(cpu_to_node(cpu), THREADINFO_GFP, THREAD_SIZE_ORDER)
 * blocks: GFP_KERNEL_ACCOUNT | __GFP_ZERO, order 1 (THREAD_SIZE 8 KiB,
 * page_32_types.h), so lowmem pages, unmovable, no vmap.  2.6.32 had no
 * such allocation: its irq_32.c kept the CONFIG_4KSTACKS stacks in
 * static __page_aligned_bss arrays (softirq_stack[NR_CPUS * THREAD_SIZE],
 * hardirq_stack[...]), part of the image.
 */
static int irq_init_percpu_irqstack_32(struct machine *m)
{
	gfp_t gfp;
	uint64_t ph, ps;
	int r = gfp_parse(m->kp, "GFP_KERNEL_ACCOUNT|__GFP_ZERO", &gfp, NULL);
	if (r)
		return r;
	if ((r = buddy_alloc_pages_node(m, 0, gfp, 1, &ph)))
		return r;
	if ((r = buddy_alloc_pages_node(m, 0, gfp, 1, &ps))) {
		buddy_free_pages(m, ph, 1);
		return r;
	}
	return 0;
}

int boot_vmap_irq_init_percpu_irqstack(struct machine *m, unsigned cpu)
{
	char caller[VMAP_CALLER_MAX];
	if (cpu >= m->ncpus || m->kp->kv < KV_6_1)
		return 0;
	if (m->arch->bits == 32)
		return irq_init_percpu_irqstack_32(m);   /* cpu_to_node(): 0, no NUMA on i386 */
	if (!m->boot.pcpu_unit)
		return 0;
	/* map_irq_stack(): per_cpu_ptr_to_phys() of each page; the first
	 * chunk is embedded in the direct map, so the unit's physical start
	 * plus the variable's offset */
	uint64_t pfns[IRQ_STACK_PAGES];
	uint64_t base = (m->boot.pcpu_unit[cpu] + IRQ_STACK_PERCPU_OFFSET) >> m->arch->page_shift;
	for (unsigned i = 0; i < IRQ_STACK_PAGES; i++)
		pfns[i] = base + i;
	uint64_t va;
	return vmap_pages(m, pfns, IRQ_STACK_PAGES, VM_MAP, boot_caller(m, BC_IRQSTACK, caller, sizeof caller), &va);
}

/*
 * The firmware's ACPI tables: QEMU 7.2's i440fx machine with SeaBIOS
 * 1.16.2, as both real 6.1 boot logs print them (amd64-6.1-4G-2cpu.../
 * dmesg.txt and i386-6.1-1G-2cpu/dmesg.txt, lines 41-54).  SeaBIOS loads
 * QEMU's etc/acpi/tables blob at the start of the 128 KiB it reserves at
 * the top of the RAM below 4 GiB (e820 "reserved" at 0xbffe0000 and
 * 0x3ffe0000 there), tables packed back to back: FACS (64-byte aligned,
 * first), DSDT, FACP, APIC (the MADT), HPET, WAET, RSDT.  Lengths are those
 * of the 2-CPU machines read; QEMU's MADT and DSDT grow with the CPU count
 * (a Local APIC entry and a CPU device each), which is not modelled: the
 * ACPI mappings below cover the same pages for any count the blob's first
 * two pages hold.  The RSDP lives in the F segment, at 0xf59b0 in the
 * amd64 log and 0xf59d0 in the i386 one (SeaBIOS allocates it after other
 * F-segment data whose size differs with the guest; taken as read).
 *
 * The order is acpi_tb_parse_root_table()'s (drivers/acpi/acpica/
 * tbutils.c): the RSDT's entries, and the FADT's DSDT and FACS installed
 * right after it (acpi_tb_parse_fadt()); the "Reserving" lines follow
 * initial_tables[] in that order.
 */
struct acpi_table {
	char sig[5];
	uint16_t off;                   /* from the reserved range's start */
	uint16_t len;
};

static const struct acpi_table qemu_rsdt = { "RSDT", 0x1b33, 0x34 };
static const struct acpi_table qemu_tables[] = {
	{ "FACP", 0x19df, 0x74 }, { "DSDT", 0x0040, 0x199f }, { "FACS", 0x0000, 0x40 },
	{ "APIC", 0x1a53, 0x80 }, { "HPET", 0x1ad3, 0x38 }, { "WAET", 0x1b0b, 0x28 },
};
#define QEMU_ACPI_SPAN 0x1b67u          /* the RSDT's end: the blob's length */
#define QEMU_SEABIOS_HIGH 0x20000u      /* SeaBIOS's reserved high zone, 128 KiB */
#define QEMU_BIOS_START 0xfffc0000ull   /* QEMU's 256 KiB bios.bin, up to 4 GiB */
_Static_assert(QEMU_ACPI_SPAN <= QEMU_SEABIOS_HIGH, "the blob fits SeaBIOS's high zone");

static bool is_reserved_name(const char *n)
{
	return n && (!strcmp(n, "Reserved") || !strcmp(n, "reserved"));
}

/*
 * Where the blob starts: the e820 reserved range that begins where the
 * highest System RAM below 4 GiB ends (QEMU's map: SeaBIOS's high zone),
 * when the map is QEMU's: that range is SeaBIOS's 128 KiB
 * (QEMU_SEABIOS_HIGH: 0xbffe0000 and 0x3ffe0000 in both real maps, which
 * holds the blob) and QEMU's 256 KiB bios.bin is mapped at 0xfffc0000
 * (reserved up to 4 GiB); 0 otherwise: the model's default machines,
 * whose RAM runs up to the PCI hole, and a real PC's map, whose firmware
 * tables are not QEMU's.  acpi=off
 * is not followed (it would take the HPET's table, hpet_address and the
 * iomem resources with it; none of them follows it either).
 */
uint64_t boot_vmap_acpi_tables_base(const struct machine *m)
{
	uint64_t top = 0;
	for (size_t i = 0; i < m->memmap.nram; i++)
		if (m->memmap.ram[i].end <= 4ull << 30)
			top = m->memmap.ram[i].end;
	if (!top)
		return 0;
	bool high = false, bios = false;
	for (const struct resource *r = m->memmap.root.child; r; r = r->sibling) {
		if (!is_reserved_name(r->name))
			continue;
		high |= r->start == top && r->end - r->start + 1 == QEMU_SEABIOS_HIGH;
		bios |= r->start == QEMU_BIOS_START && r->end == 0xffffffffull;
	}
	return high && bios ? top : 0;
}

/*
 * acpi_boot_table_init() → acpi_table_init(): acpi_locate_initial_tables()
 * (drivers/acpi/tables.c) and acpi_tb_print_table_header()'s lines
 * (drivers/acpi/acpica/tbprint.c: "%-4.4s 0x%8.8X%8.8X %06X (v%.2d
 * %-6.6s %-8.8s %08X %-4.4s %08X)", the FACS with no header beyond its
 * length, the RSDP with its revision and OEM id), then
 * acpi_reserve_initial_tables()'s "Reserving %4s table memory at [mem
 * 0x%llx-0x%llx]" for each installed table.  6.x only: 2.6.32's ACPICA
 * prints another format ("%4.4s %08lX, %04X (r%d ...)") and keeps no
 * acpi_ioremaps list (each acpi_os_map_memory() was its own ioremap, and
 * acpi_early_init() ran after late_time_init()), none of which was
 * checked against a real 2.6.32 log, so 2.6.32 gets no ACPI lines or
 * areas.
 */
static void print_table_header(struct machine *m, uint64_t base, const struct acpi_table *t)
{
	unsigned long long a = base + t->off;
	if (!strcmp(t->sig, "FACS"))
		dmesg_printf(m, "ACPI: %-4.4s 0x%016llX %06X", t->sig, a, (unsigned)t->len);
	else
		dmesg_printf(m, "ACPI: %-4.4s 0x%016llX %06X (v01 BOCHS  BXPC     00000001 BXPC 00000001)", t->sig, a,
			     (unsigned)t->len);
}

void boot_vmap_acpi_table_init(struct machine *m)
{
	uint64_t base = boot_vmap_acpi_tables_base(m);
	if (!base || m->kp->kv == KV_2_6_32)
		return;
	dmesg_printf(m, "ACPI: Early table checksum verification disabled");
	dmesg_printf(m, "ACPI: RSDP 0x%016llX 000014 (v00 BOCHS )", m->arch->bits == 64 ? 0xf59b0ull : 0xf59d0ull);
	print_table_header(m, base, &qemu_rsdt);
	for (size_t i = 0; i < sizeof qemu_tables / sizeof *qemu_tables; i++)
		print_table_header(m, base, &qemu_tables[i]);
	for (size_t i = 0; i < sizeof qemu_tables / sizeof *qemu_tables; i++) {
		unsigned long long a = base + qemu_tables[i].off;
		dmesg_printf(m, "ACPI: Reserving %4s table memory at [mem %#llx-%#llx]", qemu_tables[i].sig, a,
			     a + qemu_tables[i].len - 1);
	}
}

int boot_vmap_acpi_early_init(struct machine *m)
{
	char caller[VMAP_CALLER_MAX];
	uint64_t base = boot_vmap_acpi_tables_base(m);
	if (!base || m->kp->kv == KV_2_6_32)
		return 0;
	uint64_t page = 1ull << m->arch->page_shift;
	gfp_t gfp;
	if (gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL))
		return -EINVAL;
	struct { uint64_t phys, size; } map[sizeof qemu_tables / sizeof *qemu_tables];
	unsigned n = 0;
	for (size_t i = 0; i < sizeof qemu_tables / sizeof *qemu_tables; i++) {
		uint64_t phys = base + qemu_tables[i].off, size = qemu_tables[i].len;
		unsigned j = 0;
		while (j < n && !(map[j].phys <= phys && phys + size <= map[j].phys + map[j].size))
			j++;                    /* acpi_map_lookup() */
		if (j < n)
			continue;               /* map->track.refcount++ */
		/* map = kzalloc(sizeof(*map), GFP_KERNEL): struct acpi_ioremap,
		 * 96 bytes on x86_64, 52 on i386 (a u64 acpi_physical_address
		 * there too; its union with struct rcu_work, no LOCKDEP) */
		uint64_t obj;
		int r = slab_kmalloc(m, m->arch->bits == 64 ? 96 : 52, gfp, &obj);
		if (r)
			return r;
		uint64_t pg_off = phys & ~(page - 1);
		uint64_t pg_sz = ((phys + size + page - 1) & ~(page - 1)) - pg_off;
		/* acpi_map(): not RAM (should_use_kmap() is page_is_ram()), so
		 * acpi_os_ioremap() → ioremap_cache() */
		uint64_t va;
		if ((r = ioremap_caller_by(m, pg_off, pg_sz, PCM_WB, boot_caller(m, BC_ACPI, caller, sizeof caller), &va, NULL)))
			return r;
		map[n].phys = pg_off;
		map[n++].size = pg_sz;
	}
	return 0;
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
static bool hpet_disables(void *arg, const char *p, size_t k)
{
	bool new_kernel = *(const bool *)arg;
	if (k >= 6 && !strncmp(p, "nohpet", 6))
		return true;
	if (k < 5 || strncmp(p, "hpet=", 5))
		return false;
	for (const char *v = p + 5, *end = p + k; v < end;) {
		if ((size_t)(end - v) >= 7 && !strncmp(v, "disable", 7))
			return true;
		const char *comma = new_kernel ? memchr(v, ',', (size_t)(end - v)) : NULL;
		if (!comma)
			break;                  /* 2.6.32: no comma list */
		v = comma + 1;
	}
	return false;
}

static bool hpet_disabled(const struct machine *m)
{
	bool new_kernel = m->kp->kv >= KV_6_1;
	return machine_cmdline_any(m, hpet_disables, &new_kernel);
}

uint64_t boot_vmap_hpet_address(const struct machine *m)
{
	const struct resource *r = find_hpet(m->memmap.root.child);
	return r && !hpet_disabled(m) ? r->start : 0;
}

int boot_vmap_hpet_enable(struct machine *m)
{
	char caller[VMAP_CALLER_MAX];
	uint64_t hpet_address = boot_vmap_hpet_address(m);
	if (!hpet_address)
		return 0;                       /* is_hpet_capable() */
	uint64_t va;
	return ioremap_caller_by(m, hpet_address, HPET_MMAP_SIZE, PCM_UC_MINUS, boot_caller(m, BC_HPET, caller, sizeof caller), &va, NULL);
}
