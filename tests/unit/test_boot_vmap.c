/*
 * test_boot_vmap.c - the vmap areas boot leaves (boot_vmap.c): each CPU's
 * IRQ stack on x86_64 6.x (i386 6.x: its pages), the ACPI tables' and the
 * HPET's ioremaps, in the kernel's order, with the real Debian 6.1
 * kernels' vmallocinfo and dmesg lines, their pages, page tables and
 * meminfo accounting, and `check` after boot on every profile.
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

#include "kmemsh/boot_vmap.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/snapshot.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/view.h"

#include "fixture.h"

/* boot_cfg(), and `check` passes right after boot */
static struct machine *boot_checked(const struct machine_config *cfg)
{
	struct machine *m = boot_cfg(cfg);
	if (machine_check(m))
		fail_msg("check after boot: %s", m->err);
	return m;
}

static struct machine *boot(const char *arch, const char *kernel, unsigned ncpus, const char *cmdline)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = ncpus, .cmdline = cmdline };
	return boot_checked(&cfg);
}

/* /proc/vmallocinfo of m, line n (0-based) into buf; false past the end */
static bool vmallocinfo_line(const struct machine *m, int n, char *buf, size_t len)
{
	struct out o;
	out_init_buf(&o);
	view_vmallocinfo(&o, m);
	const char *p = o.buf ? o.buf : "";
	for (; n > 0 && (p = strchr(p, '\n')); n--)
		p++;
	bool ok = p && *p;
	if (ok) {
		size_t k = strcspn(p, "\n");
		snprintf(buf, len, "%.*s", (int)k, p);
	}
	out_free(&o);
	return ok;
}

/* /proc/vmallocinfo of m is the n lines of want, and no more */
static void assert_vmallocinfo(const struct machine *m, const char *const *want, int n)
{
	char l[200];
	for (int i = 0; i < n; i++) {
		assert_true(vmallocinfo_line(m, i, l, sizeof l));
		assert_string_equal(l, want[i]);
	}
	assert_false(vmallocinfo_line(m, n, l, sizeof l));
}

/* The real amd64 machine (qemu-system-x86_64 -m 4096 -smp 2, Debian
 * 6.1.0 amd64): its vmallocinfo.txt lines 1-4 byte for byte (CPU 0's IRQ
 * stack, the two ACPI table mappings, the HPET's), then CPU 1's stack with
 * the real line 37's text right after the HPET's area (0xd000: the model
 * runs none of the kthread, BPF and gen_pool code whose areas the real
 * file has between them) */
static void amd64_6_1__real_machine__irq_stacks_acpi_and_hpet_as_the_real_vmallocinfo(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .nogbpages = true, .cmdline = "log_buf_len=4M transparent_hugepage=never",
				      .initrd_size = 1012 << 10 };
	struct machine *m = boot_checked(&cfg);
	static const char *const want[] = {
		"0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xf0/0x120 vmap",
		"0xffffc90000005000-0xffffc90000007000    8192 acpi_os_map_iomem+0x1b6/0x1d0 "
		"phys=0x00000000bffe1000 ioremap",
		"0xffffc90000008000-0xffffc9000000b000   12288 acpi_os_map_iomem+0x1b6/0x1d0 "
		"phys=0x00000000bffe0000 ioremap",
		"0xffffc9000000b000-0xffffc9000000d000    8192 hpet_enable+0xef/0x46d phys=0x00000000fed00000 ioremap",
		"0xffffc9000000d000-0xffffc90000012000   20480 irq_init_percpu_irqstack+0xf0/0x120 vmap",
	};
	assert_vmallocinfo(m, want, 5);
	/* map_irq_stack(): the 4 pages at irq_stack_backing_store (per-CPU
	 * offset 0x2000, the real kernel's kallsyms) of each CPU's first-chunk
	 * unit */
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		uint64_t va = 0xffffc90000000000ull + (cpu ? 0xd000 : 0), pfn;
		for (unsigned i = 0; i < 4; i++) {
			assert_int_equal(vmap_vmalloc_to_pfn(m, va + i * 4096ull, &pfn), 0);
			assert_int_equal(pfn, ((m->boot.pcpu_unit[cpu] + 0x2000) >> 12) + i);
		}
		assert_int_not_equal(vmap_vmalloc_to_pfn(m, va + 4 * 4096ull, &pfn), 0);   /* the guard page */
		struct vm_struct *vm = vmap_find_area(m, va);
		assert_non_null(vm);
		assert_int_equal(vm->flags, VM_MAP);
		assert_int_equal(vm->nr_pages, 0);      /* vmap() without VM_MAP_PUT_PAGES: no pages= */
	}
	/* the ACPI tables: acpi_os_ioremap() is ioremap_cache(), write-back;
	 * FACP's page (APIC, HPET, WAET lie in it too), then DSDT's two
	 * (FACS in the first of them) */
	const struct ioremap_area *io = ioremap_find(m, 0xffffc90000005000ull);
	assert_non_null(io);
	assert_int_equal(io->phys, 0xbffe1000);
	assert_int_equal(io->size, 4096);
	assert_int_equal(io->pcm, PCM_WB);
	io = ioremap_find(m, 0xffffc90000008000ull);
	assert_non_null(io);
	assert_int_equal(io->phys, 0xbffe0000);
	assert_int_equal(io->size, 8192);
	assert_int_equal(io->pcm, PCM_WB);
	/* the HPET: UC- as ioremap() asks, the one page of HPET_MMAP_SIZE */
	io = ioremap_find(m, 0xffffc9000000b000ull);
	assert_non_null(io);
	assert_int_equal(io->phys, 0xfed00000);
	assert_int_equal(io->size, 4096);
	assert_int_equal(io->pcm, PCM_UC_MINUS);
	machine_destroy(m);
	free(iomem);
}

/* The real i386 machine (qemu-system-i386 -m 1024 -smp 2, Debian 6.1.0
 * 686, its /proc/iomem, command line and initrd); *iomem is the caller's
 * to free after machine_destroy() */
static struct machine *boot_i386_6_1_real(char **iomem)
{
	*iomem = slurp("tests/data/i386-6.1-qemu-1G.iomem");
	struct machine_config cfg = { .arch = "i386", .kernel = "6.1", .iomem_text = *iomem, .ncpus = 2,
				      .cmdline = "log_buf_len=4M", .initrd_size = 1069043 };
	return boot_checked(&cfg);
}

/* The real i386 machine (qemu-system-i386 -m 1024 -smp 2, Debian 6.1.0
 * 686): vmallocinfo.txt lines 1-3 byte for byte, from VMALLOC_START: the
 * 12 KiB ACPI area aligned to 8 KiB lands at 0xf7400000 with no gap */
static void i386_6_1__real_machine__acpi_and_hpet_as_the_real_vmallocinfo(void **state)
{
	(void)state;
	char *iomem;
	struct machine *m = boot_i386_6_1_real(&iomem);
	static const char *const want[] = {
		"0xf73fe000-0xf7400000    8192 acpi_os_map_iomem+0x211/0x240 phys=0x3ffe1000 ioremap",
		"0xf7400000-0xf7403000   12288 acpi_os_map_iomem+0x211/0x240 phys=0x3ffe0000 ioremap",
		"0xf7403000-0xf7405000    8192 hpet_enable+0xc5/0x3da phys=0xfed00000 ioremap",
	};
	assert_vmallocinfo(m, want, 3);
	machine_destroy(m);
	free(iomem);
}

/* The ACPI lines of the real logs (dmesg.txt lines 41-54 of both), after
 * "RAMDISK:" (setup_arch(): reserve_initrd(), then acpi_boot_table_init()) */
static void acpi__table_lines_as_the_real_logs(void **state)
{
	(void)state;
	char *iomem;
	struct machine *m = boot_i386_6_1_real(&iomem);
	static const char *const want[] = {
		"ACPI: Early table checksum verification disabled",
		"ACPI: RSDP 0x00000000000F59D0 000014 (v00 BOCHS )",
		"ACPI: RSDT 0x000000003FFE1B33 000034 (v01 BOCHS  BXPC     00000001 BXPC 00000001)",
		"ACPI: FACP 0x000000003FFE19DF 000074 (v01 BOCHS  BXPC     00000001 BXPC 00000001)",
		"ACPI: DSDT 0x000000003FFE0040 00199F (v01 BOCHS  BXPC     00000001 BXPC 00000001)",
		"ACPI: FACS 0x000000003FFE0000 000040",
		"ACPI: APIC 0x000000003FFE1A53 000080 (v01 BOCHS  BXPC     00000001 BXPC 00000001)",
		"ACPI: HPET 0x000000003FFE1AD3 000038 (v01 BOCHS  BXPC     00000001 BXPC 00000001)",
		"ACPI: WAET 0x000000003FFE1B0B 000028 (v01 BOCHS  BXPC     00000001 BXPC 00000001)",
		"ACPI: Reserving FACP table memory at [mem 0x3ffe19df-0x3ffe1a52]",
		"ACPI: Reserving DSDT table memory at [mem 0x3ffe0040-0x3ffe19de]",
		"ACPI: Reserving FACS table memory at [mem 0x3ffe0000-0x3ffe003f]",
		"ACPI: Reserving APIC table memory at [mem 0x3ffe1a53-0x3ffe1ad2]",
		"ACPI: Reserving HPET table memory at [mem 0x3ffe1ad3-0x3ffe1b0a]",
		"ACPI: Reserving WAET table memory at [mem 0x3ffe1b0b-0x3ffe1b32]",
	};
	size_t at = m->dmesg.n;
	for (size_t i = 0; i < m->dmesg.n; i++)
		if (!strcmp(dmesg_slot(&m->dmesg, i)->text, want[0]))
			at = i;
	assert_true(at > 0 && at + 15 <= m->dmesg.n);
	assert_string_equal(dmesg_slot(&m->dmesg, at - 1)->text, "Move RAMDISK from [mem 0x3fedb000-0x3ffdfff2] to "
				     "[mem 0x35a79000-0x35b7dff2]");
	for (size_t i = 0; i < 15; i++)
		assert_string_equal(dmesg_slot(&m->dmesg, at + i)->text, want[i]);
	machine_destroy(m);
	free(iomem);
}

/* acpi_os_map_iomem() kzalloc()s a struct acpi_ioremap for each new
 * mapping before it maps (drivers/acpi/osl.c, 6.1): list_head, virt,
 * phys (u64: acpi_physical_address is 64-bit on 32-bit Linux too, no
 * ACPI_32BIT_PHYSICAL_ADDRESS), size (acpi_size: u64 / u32) and a union
 * with struct rcu_work (work_struct 32 / 16, rcu_head 16 / 8, wq 8 / 4,
 * no LOCKDEP): 16+8+8+8+56 = 96 bytes on x86_64 (kmalloc-96), 8+4+8+4+28
 * = 52 on i386 (kmalloc-64; i386's vm_struct is 32 bytes, kmalloc-32).
 * Running acpi_early_init()'s mappings once more maps the two page runs
 * again and allocates two more */
static uint64_t cache_allocs(const struct machine *m, const char *cache)
{
	int c = slab_cache_find(m, cache);
	assert_true(c >= 0);
	return m->slab->caches[c].allocs;
}

static void acpi__each_mapping_kzallocs_its_acpi_ioremap(void **state)
{
	(void)state;
	static const struct { const char *arch, *iomem, *cache; } c[] = {
		{ "x86_64", "tests/data/amd64-6.1-qemu-4G.iomem", "kmalloc-96" },
		{ "i386", "tests/data/i386-6.1-qemu-1G.iomem", "kmalloc-64" },
	};
	for (size_t i = 0; i < 2; i++) {
		char *iomem = slurp(c[i].iomem);
		struct machine_config cfg = { .arch = c[i].arch, .kernel = "6.1", .iomem_text = iomem, .ncpus = 2 };
		struct machine *m = boot_checked(&cfg);
		uint64_t before = cache_allocs(m, c[i].cache);
		unsigned n = ioremap_count(m);
		assert_int_equal(boot_vmap_acpi_early_init(m), 0);
		assert_int_equal(ioremap_count(m), n + 2);
		assert_int_equal(cache_allocs(m, c[i].cache), before + 2);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
		free(iomem);
	}
}

/* No ACPI lines or areas: a map with no reserved range right after the
 * top of the RAM below 4 GiB (Firecracker's, the default machines'), or
 * too small a one, and 2.6.32 (whose ACPI is not modelled) */
static void acpi__absent_or_2_6_32__no_tables(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/x86_64-6.18-firecracker.iomem");
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .iomem_text = iomem, .ncpus = 1 };
	struct machine *m = boot_checked(&cfg);
	assert_int_equal(boot_vmap_acpi_tables_base(m), 0);
	machine_destroy(m);
	free(iomem);
	m = boot("x86_64", "6.13", 1, NULL);
	assert_int_equal(boot_vmap_acpi_tables_base(m), 0);
	assert_int_equal(ioremap_count(m), 1);          /* the HPET's */
	machine_destroy(m);
	/* a reserved range one byte short of the blob (0x1b67 bytes), no BIOS ROM */
	const char *small = "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
			    "00100000-3ffdffff : System RAM\n3ffe0000-3ffe1b65 : Reserved\n"
			    "fed00000-fed003ff : HPET 0\n";
	struct machine_config c1 = { .arch = "i386", .kernel = "6.1", .iomem_text = small, .ncpus = 1 };
	m = boot_checked(&c1);
	assert_int_equal(boot_vmap_acpi_tables_base(m), 0);
	assert_int_equal(ioremap_count(m), 1);
	machine_destroy(m);
	/* only QEMU's signature gets QEMU's tables: SeaBIOS's 128 KiB at the
	 * top of the RAM below 4 GiB and the 256 KiB BIOS ROM at 0xfffc0000
	 * (a real PC's larger reserved range there, or a 128 KiB one without
	 * QEMU's BIOS, has other tables) */
	static const char *const sig[] = {
		("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n00100000-3fefffff : System RAM\n"
		 "3ff00000-3fffffff : Reserved\nfed00000-fed003ff : HPET 0\nfffc0000-ffffffff : Reserved\n"),
		("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n00100000-3ffdffff : System RAM\n"
		 "3ffe0000-3fffffff : Reserved\nfed00000-fed003ff : HPET 0\nfff00000-ffffffff : Reserved\n"),
		("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n00100000-3ffdffff : System RAM\n"
		 "3ffe0000-3fffffff : Reserved\nfed00000-fed003ff : HPET 0\nfffc0000-ffffffff : Reserved\n"),
	};
	for (int i = 0; i < 3; i++) {
		struct machine_config c = { .arch = "i386", .kernel = "6.1", .iomem_text = sig[i], .ncpus = 1 };
		m = boot_cfg(&c);
		assert_int_equal(boot_vmap_acpi_tables_base(m), i == 2 ? 0x3ffe0000 : 0);
		assert_int_equal(ioremap_count(m), i == 2 ? 3 : 1);
		machine_destroy(m);
	}
	iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	const char *const kern[] = { "6.13", "2.6.32" };
	for (int k = 0; k < 2; k++) {
		struct machine_config c = { .arch = "x86_64", .kernel = kern[k], .iomem_text = iomem, .ncpus = 1 };
		m = boot_checked(&c);
		assert_int_equal(boot_vmap_acpi_tables_base(m), 0xbffe0000);
		size_t n = 0;
		for (size_t i = 0; i < m->dmesg.n; i++)
			n += !strncmp(dmesg_slot(&m->dmesg, i)->text, "ACPI: ", 6);
		assert_int_equal(n, k == 0 ? 15 : 0);
		/* 6.13: the two ACPI areas and the HPET's; 2.6.32 the HPET's */
		assert_int_equal(ioremap_count(m), k == 0 ? 3 : 1);
		machine_destroy(m);
	}
	free(iomem);
}

static int count_area(void *arg, const struct vm_struct *vm)
{
	(void)vm;
	++*(unsigned *)arg;
	return 0;
}

/* i386 6.x irq_init_percpu_irqstack(): two order-1 blocks (THREAD_SIZE
 * 8 KiB) of GFP_KERNEL_ACCOUNT | __GFP_ZERO per CPU, lowmem (Normal),
 * nothing in the vmalloc space; 2.6.32's stacks are static arrays */
static void i386_irq_stacks__two_order_1_lowmem_blocks_per_cpu_on_6_x(void **state)
{
	(void)state;
	const char *const kern[] = { "6.1", "6.13", "2.6.32" };
	for (int k = 0; k < 3; k++) {
		struct machine *m = boot("i386", kern[k], 2, NULL);
		int nz = -1, hz = -1;
		for (int z = 0; z < m->nr_zones; z++) {
			if (!strcmp(m->zones[z].name, "Normal"))
				nz = z;
			if (!strcmp(m->zones[z].name, "HighMem"))
				hz = z;
		}
		assert_true(nz >= 0 && hz >= 0);
		uint64_t normal = m->zones[nz].allocs, high = m->zones[hz].allocs;
		unsigned areas = 0, after = 0;
		vmap_walk_busy(m, count_area, &areas);
		assert_int_equal(boot_vmap_irq_init_percpu_irqstack(m, 1), 0);
		assert_int_equal(m->zones[nz].allocs, normal + (k < 2 ? 2 : 0));
		assert_int_equal(m->zones[hz].allocs, high);
		vmap_walk_busy(m, count_area, &after);
		assert_int_equal(after, areas);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/* Order: init_IRQ() (CPU 0), late_time_init() (the HPET), then smp_init()
 * brings up CPUs 1..3: each stack 0x5000 above the one before.  6.13 has
 * no real kernel read: the callers print +0x0/0x0 */
static void x86_64_6_13__four_cpus__stacks_in_bring_up_order_after_the_hpet(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4, NULL);
	uint64_t s = m->layout.vmalloc_start;
	const uint64_t at[] = { 0, 0x7000, 0xc000, 0x11000 };
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		struct vm_struct *vm = vmap_find_area(m, s + at[cpu]);
		assert_non_null(vm);
		assert_int_equal(vm->addr, s + at[cpu]);
		assert_int_equal(vm->size, 0x5000);
		assert_string_equal(vm->caller, "irq_init_percpu_irqstack+0x0/0x0");
		uint64_t pfn;
		assert_int_equal(vmap_vmalloc_to_pfn(m, vm->addr, &pfn), 0);
		assert_int_equal(pfn, (m->boot.pcpu_unit[cpu] + 0x2000) >> 12);
	}
	struct vm_struct *h = vmap_find_area(m, s + 0x5000);
	assert_non_null(h);
	assert_int_equal(h->size, 0x2000);
	assert_true(h->flags & VM_IOREMAP);
	assert_string_equal(h->caller, "hpet_enable+0x0/0x0");
	assert_null(vmap_find_area(m, s + 0x16000));
	machine_destroy(m);
}

/* is_hpet_capable(): nohpet, hpet=disable (also in a comma list) and a
 * machine whose firmware has no HPET (Firecracker's iomem) map none */
static void hpet__disabled_or_absent__no_ioremap(void **state)
{
	(void)state;
	const char *off[] = { "nohpet", "quiet hpet=verbose,disable", "hpet=disable" };
	for (size_t i = 0; i < 3; i++) {
		struct machine *m = boot("i386", "6.13", 1, off[i]);
		assert_int_equal(boot_vmap_hpet_address(m), 0);
		assert_int_equal(ioremap_count(m), 0);
		assert_null(vmap_find_area(m, m->layout.vmalloc_start));
		machine_destroy(m);
	}
	struct machine *m = boot("i386", "6.13", 1, "hpet=force xnohpet");
	assert_int_equal(boot_vmap_hpet_address(m), 0xfed00000);
	assert_int_equal(ioremap_count(m), 1);
	machine_destroy(m);
	char *iomem = slurp("tests/data/x86_64-6.18-firecracker.iomem");
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .iomem_text = iomem, .ncpus = 2 };
	m = boot_checked(&cfg);
	assert_int_equal(ioremap_count(m), 0);
	/* the two IRQ stacks, back to back */
	assert_non_null(vmap_find_area(m, m->layout.vmalloc_start));
	struct vm_struct *vm = vmap_find_area(m, m->layout.vmalloc_start + 0x5000);
	assert_non_null(vm);
	assert_int_equal(vm->addr, m->layout.vmalloc_start + 0x5000);
	machine_destroy(m);
	free(iomem);
}

/* The parsing itself.  "nohpet" is a __setup() option: obsolete_checksetup()
 * (init/main.c) calls disable_hpet() for any parameter that begins with
 * it (parameqn(line, "nohpet", 6)), so "nohpet=1" and "nohpetx" disable
 * too.  hpet_setup() tests each value with strncmp("disable", str, 7), a
 * prefix test ("disabled" disables); 6.x splits the value at commas
 * first, 2.6.32 (arch/x86/kernel/hpet.c, "if (str) { ... }") does not, so
 * there "hpet=verbose,disable" leaves the HPET on and
 * "hpet=disable,verbose" turns it off. */
static void hpet__cmdline_parsed_as_each_kernels_hpet_setup(void **state)
{
	(void)state;
	static const struct { const char *kernel, *cmdline; uint64_t hpet; } c[] = {
		{ "6.13", "nohpet=1", 0 },
		{ "6.13", "nohpetx", 0 },
		{ "6.13", "hpet=disabled", 0 },
		{ "6.13", "hpet=force,disablex", 0 },
		{ "6.13", "hpet=verbose,force", 0xfed00000 },
		{ "6.13", "hpet=disabl", 0xfed00000 },
		{ "2.6.32", "hpet=verbose,disable", 0xfed00000 },
		{ "2.6.32", "hpet=disable,verbose", 0 },
		{ "2.6.32", "nohpet=0", 0 },
		{ "2.6.32", "hpet=disabled", 0 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct machine *m = boot("i386", c[i].kernel, 1, c[i].cmdline);
		if (boot_vmap_hpet_address(m) != c[i].hpet)
			fail_msg("%s '%s': hpet_address %#llx, want %#llx", c[i].kernel, c[i].cmdline,
				 (unsigned long long)boot_vmap_hpet_address(m), (unsigned long long)c[i].hpet);
		assert_int_equal(ioremap_count(m), c[i].hpet ? 1 : 0);
		machine_destroy(m);
	}
}

/* iounmap() of an address no ioremap made (CPU 0's IRQ stack on x86_64,
 * a free vmalloc address on i386): find_vm_area() finds no ioremap area,
 * "iounmap: bad address %p" (arch/x86/mm/ioremap.c), nothing freed, the
 * boot areas intact.  2.6.32's %p is the raw pointer, zero-padded to
 * 2 * sizeof(void *) digits: 8 on i386. */
static void iounmap__not_an_ioremap__bad_address_at_the_pointer_width(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", 1, NULL);
	uint64_t s = m->layout.vmalloc_start;
	size_t n = m->dmesg.n;
	assert_int_equal(ioremap_iounmap(m, s, NULL), -EINVAL);
	assert_true(n < m->dmesg.n);
	assert_string_equal(dmesg_slot(&m->dmesg, n)->text, "iounmap: bad address ffffc90000000000");
	assert_non_null(vmap_find_area(m, s));
	assert_int_equal(ioremap_count(m), 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	m = boot("i386", "2.6.32", 1, NULL);
	s = m->layout.vmalloc_start;
	assert_int_equal(s, 0xf7ffe000);
	n = m->dmesg.n;
	assert_int_equal(ioremap_iounmap(m, s + 0x100000, NULL), -EINVAL);
	assert_true(n < m->dmesg.n);
	assert_string_equal(dmesg_slot(&m->dmesg, n)->text, "iounmap: bad address f80fe000");
	assert_int_equal(ioremap_count(m), 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* VmallocUsed: 6.x counts vmalloc'ed pages only (vmalloc_nr_pages), so the
 * boot's vmap and ioremap areas leave it 0; 2.6.32's get_vmalloc_info()
 * adds every vmlist area's size, guard page included: the HPET's 8 KiB */
static void meminfo__vmalloc_used_by_each_profiles_rule(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", 2, NULL);
	struct vmalloc_totals t;
	vmap_totals(m, &t);
	assert_int_equal(t.used_pages, 0);
	machine_destroy(m);
	m = boot("i386", "2.6.32", 1, NULL);
	vmap_totals(m, &t);
	assert_int_equal(t.used_bytes, 8192);
	/* VmallocChunk: the rest of the vmalloc space after the HPET's area */
	assert_int_equal(t.largest_chunk, m->layout.vmalloc_end - m->layout.vmalloc_start - 8192);
	machine_destroy(m);
}

/* PageTables for the boot areas' tables (pgtable_counts_as_pagetable()):
 * the vmalloc space's first pmd and pte pages are allocated on demand; its
 * pud pages on 4-level x86_64 6.x come from preallocate_vmalloc_pages(), 64
 * of them (32 TiB / 512 GiB), on 2.6.32 the first on demand.  x86_64 6.1:
 * the pmd page only (pgtable_pmd_page_ctor(); 6.1's __pud_alloc_one() has
 * no constructor), 6.13: the 64 puds too (pagetable_pud_ctor()), 64 + 1;
 * la57 6.13: its 50 preallocated p4d tables are not counted (x86's
 * p4d_alloc_one() has no constructor), the first pud and the pmd are: 2;
 * the pte page never (pte_alloc_one_kernel() has no constructor); 2.6.32
 * none; i386 non-PAE has only a pte level below the pgd. */
static void pagetables__boot_areas_tables_counted_as_each_kernel_counts_them(void **state)
{
	(void)state;
	static const struct { const char *arch, *kernel; uint64_t counted; } p[] = {
		{ "x86_64", "6.1", 1 }, { "x86_64", "6.13", 65 }, { "x86_64-la57", "6.13", 2 },
		{ "x86_64", "2.6.32", 0 },
		{ "i386", "6.1", 0 }, { "i386", "2.6.32", 0 },
	};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
		struct machine *m = boot(p[i].arch, p[i].kernel, 1, NULL);
		assert_int_equal(m->pt->nr_counted, p[i].counted);
		machine_destroy(m);
	}
}

/* `check` after boot on every profile (boot_checked() runs it), with 1 and 3
 * CPUs, and on a 4-CPU machine of 2 NUMA nodes */
static void check__passes_after_boot_on_every_profile(void **state)
{
	(void)state;
	static const char *const arch[] = { "i386", "i386-pae", "x86_64", "x86_64-la57" };
	static const char *const kern[] = { "2.6.32", "6.1", "6.13" };
	for (size_t a = 0; a < 4; a++)
		for (size_t k = 0; k < 3; k++)
			for (unsigned cpus = 1; cpus <= 3; cpus += 2) {
				if (a == 3 && k == 0)
					continue;       /* LA57 came in 4.14 */
				struct machine *m = boot(arch[a], kern[k], cpus, NULL);
				machine_destroy(m);
			}
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .ncpus = 4, .nr_nodes = 2 };
	struct machine *m = boot_checked(&cfg);
	/* CPU 0's stack and the HPET come before vfs_caches_init()'s hashdist
	 * tables, the other CPUs' stacks after them (smp_init()) */
	struct vm_struct *vm = vmap_find_area(m, m->layout.vmalloc_start + 0x7000);
	assert_non_null(vm);
	assert_true(vm->flags & VM_ALLOC);
	machine_destroy(m);
}

/* --from: the real machine's vmallocinfo says what boot made; the model
 * makes no boot areas of its own */
static void from_snapshot__no_boot_areas(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine_config cfg = { 0 };
	struct machine *m;
	char err[256];
	assert_int_equal(snapshot_read_dir("tests/data/snapshots/amd64-6.1-4G-2cpu", &s, err, sizeof err), 0);
	assert_int_equal(snapshot_configure(&s, &cfg, err, sizeof err), 0);
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	assert_int_equal(ioremap_count(m), 0);
	assert_null(vmap_find_area(m, 0xffffc90000000000ull));
	machine_destroy(m);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amd64_6_1__real_machine__irq_stacks_acpi_and_hpet_as_the_real_vmallocinfo),
		cmocka_unit_test(i386_6_1__real_machine__acpi_and_hpet_as_the_real_vmallocinfo),
		cmocka_unit_test(acpi__table_lines_as_the_real_logs),
		cmocka_unit_test(acpi__each_mapping_kzallocs_its_acpi_ioremap),
		cmocka_unit_test(acpi__absent_or_2_6_32__no_tables),
		cmocka_unit_test(i386_irq_stacks__two_order_1_lowmem_blocks_per_cpu_on_6_x),
		cmocka_unit_test(x86_64_6_13__four_cpus__stacks_in_bring_up_order_after_the_hpet),
		cmocka_unit_test(hpet__disabled_or_absent__no_ioremap),
		cmocka_unit_test(hpet__cmdline_parsed_as_each_kernels_hpet_setup),
		cmocka_unit_test(iounmap__not_an_ioremap__bad_address_at_the_pointer_width),
		cmocka_unit_test(meminfo__vmalloc_used_by_each_profiles_rule),
		cmocka_unit_test(pagetables__boot_areas_tables_counted_as_each_kernel_counts_them),
		cmocka_unit_test(check__passes_after_boot_on_every_profile),
		cmocka_unit_test(from_snapshot__no_boot_areas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
