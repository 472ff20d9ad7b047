/*
 * test_layout.c - the kernel virtual address map (layout_compute()).
 *
 * Expected numbers are derived by hand from the kernel's formulas in the
 * comments next to them, or copied from the real kernels in
 * /work/shared/reference/real-kernels (Debian 12, Linux 6.1):
 *   i386 686, 1 GiB, 2 CPUs (RAM to 0x3ffdffff, max_pfn 0x3ffe0):
 *     kcore: lowmem 0xc0000000-0xf6bfe000, vmalloc 0xf73fe000-0xfebfe000
 *     dmesg: "875MB LOWMEM available.", "147MB HIGHMEM available."
 *   amd64, 4 GiB, nokaslr (RAM to 0x13fffffff, max_pfn 0x140000):
 *     kcore: direct map 0xffff888000001000.., 0xffff888100000000-0xffff888140000000,
 *            vmalloc 0xffffc90000000000-0xffffe8ffffffffff, vmemmap 0xffffea0000000000..,
 *            modules 0xffffffffc0000000-0xffffffffff000000
 *   and a 6.x 686-pae kernel with 3 GiB: lowmem 0xc0000000-0xf6ffe000,
 *     vmalloc 0xf77fe000-0xfeffe000.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kmemsh/layout.h"
#include "kmemsh/machine.h"
#include "fixture.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)

static struct layout_params params(const char *arch, enum kernel_version kv, uint64_t max_pfn)
{
	const struct arch_profile *a = arch_find(arch);
	assert_non_null(a);
	return (struct layout_params){ .arch = a, .kv = kv, .ncpus = 2, .max_pfn = max_pfn };
}

static void compute(const struct layout_params *p, struct kernel_layout *l)
{
	char err[256] = "";
	int r = layout_compute(p, l, err, sizeof err);
	if (r)
		fail_msg("layout_compute: %s", err);
}

static const struct vm_region *find(const struct kernel_layout *l, uint64_t start, uint64_t last)
{
	for (int i = 0; i < l->nregions; i++)
		if (l->region[i].start == start && l->region[i].last == last)
			return &l->region[i];
	fail_msg("no region %#llx-%#llx", (unsigned long long)start, (unsigned long long)last);
	return NULL;
}

static void assert_region(const struct kernel_layout *l, uint64_t start, uint64_t last,
			  enum vm_region_kind kind)
{
	const struct vm_region *r = find(l, start, last);
	if (r->kind != kind)
		fail_msg("region %#llx-%#llx is %s, not %s", (unsigned long long)start,
			 (unsigned long long)last, layout_kind_name(r->kind), layout_kind_name(kind));
}

/* ---- i386 -------------------------------------------------------------- */

/*
 * 2.6.32, Debian 686 build (NR_CPUS 8, KM_TYPE_NR 19, MAX_IO_APICS 64,
 * LOCAL_APIC, IO_APIC, PCI_MMCONFIG, PARAVIRT), 1 GiB (max_pfn 0x40000):
 *   enum fixed_addresses: FIX_HOLE 0, FIX_VDSO 1, FIX_DBGP_BASE 2,
 *   FIX_EARLYCON_MEM_BASE 3, FIX_APIC_BASE 4, FIX_IO_APIC_BASE 5..68,
 *   FIX_KMAP_BEGIN 69 .. FIX_KMAP_END 69 + 19 * 8 - 1 = 220, FIX_PCIE_MCFG
 *   221, FIX_PARAVIRT_BOOTMAP 222, FIX_TEXT_POKE1/0 223, 224:
 *   __end_of_permanent_fixed_addresses = 225 -> FIXADDR_START = 0xfffff000
 *   - 225 pages = 0xfff1e000 (900 kB).
 *   FIX_BTMAP_END = 225 + 256 - 225 = 256, FIX_BTMAP_BEGIN 511, FIX_WP_TEST
 *   512: __end_of_fixed_addresses = 513 -> FIXADDR_BOOT_START = 0xfffff000 -
 *   0x201000 = 0xffdfe000.
 *   PKMAP_BASE = (0xffdfe000 - 1025 pages = 0xff9fd000) & ~(4 MiB - 1) = 0xff800000
 *   VMALLOC_END = 0xff800000 - 2 pages = 0xff7fe000
 *   MAXMEM = 0xff7fe000 - 0xc0000000 - 128 MiB = 0x377fe000 (887 MiB)
 *   max_low_pfn = min(0x40000, 0x377fe) = 0x377fe, high_memory = 0xf77fe000
 *   VMALLOC_START = 0xf77fe000 + 8 MiB = 0xf7ffe000 (120 MiB of vmalloc)
 */
static void i386_2_6_32_with_1g__maps_887_mib_of_lowmem_below_a_120_mib_vmalloc_area(void **state)
{
	(void)state;
	struct layout_params p = params("i386", KV_2_6_32, 0x40000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.va_bits, 32);
	assert_int_equal(l.task_size, 0xc0000000);
	assert_int_equal(l.end_of_permanent_fixed, 225);
	assert_int_equal(l.end_of_fixed, 513);
	assert_int_equal(l.fixaddr_top, 0xfffff000);
	assert_int_equal(l.fixaddr_start, 0xfff1e000);
	assert_int_equal(l.fixaddr_tot_start, 0xffdfe000);
	assert_int_equal(l.fix_kmap_begin, 69);
	assert_int_equal(l.fix_kmap_end, 220);
	assert_int_equal(l.last_pkmap, 1024);
	assert_int_equal(l.pkmap_base, 0xff800000);
	assert_int_equal(l.vmalloc_end, 0xff7fe000);
	assert_int_equal(l.vmalloc_reserve, 128 * MiB);
	assert_int_equal(l.maxmem, 0x377fe000);
	assert_int_equal(l.max_low_pfn, 0x377fe);
	assert_int_equal(l.high_memory, 0xf77fe000);
	assert_int_equal(l.vmalloc_start, 0xf7ffe000);
	assert_int_equal(l.cpu_entry_area_base, 0);     /* 2.6.32 has none */
	assert_int_equal(l.ldt_base, 0);
	assert_int_equal(l.kconfig->nr_cpus, 8);
	assert_int_equal(l.kconfig->km_type_nr, 19);
	assert_region(&l, 0, 0xbfffffff, VR_USER);
	assert_region(&l, 0xc0000000, 0xf77fdfff, VR_DIRECT);
	assert_region(&l, 0xf77fe000, 0xf7ffdfff, VR_HOLE);
	assert_region(&l, 0xf7ffe000, 0xff7fdfff, VR_VMALLOC);
	assert_region(&l, 0xff800000, 0xffbfffff, VR_PKMAP);
	assert_region(&l, 0xfff1e000, 0xffffefff, VR_FIXMAP);
	/* kmap_atomic slot 0 of CPU 0: __fix_to_virt(FIX_KMAP_BEGIN) */
	assert_int_equal(layout_fix_to_virt(&l, l.fix_kmap_begin), 0xfffff000 - 69 * 4096);
}

/* A machine smaller than MAXMEM is all lowmem: max_low_pfn = max_pfn
 * (lowmem_pfn_init()), and vmalloc starts 8 MiB above the end of RAM. */
static void i386_with_512m__is_all_lowmem_and_vmalloc_starts_8_mib_above_it(void **state)
{
	(void)state;
	struct layout_params p = params("i386", KV_2_6_32, 0x20000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.max_low_pfn, 0x20000);
	assert_int_equal(l.high_memory, 0xe0000000);
	assert_int_equal(l.vmalloc_start, 0xe0800000);
	assert_int_equal(l.vmalloc_end, 0xff7fe000);
}

/*
 * The 2.6.32 mem_init() block, rows in the kernel's order with
 * CONFIG_HIGHMEM; .data runs from _etext to _edata.  Image (physical):
 * _text 0x1000000, _etext 0x14cb6ac (code 0x4cb6ac = 5027500 bytes ->
 * 4909 kB), _edata 0x171b240 (0x24fb94 = 2423700 bytes -> 2366 kB),
 * __init_begin 0x171c000, __init_end 0x1790000 (0x74000 -> 464 kB).
 */
static void i386_2_6_32_boot__prints_mem_init_virtual_kernel_memory_layout(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386", .kernel = "2.6.32" };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	struct layout_params p = params("i386", KV_2_6_32, 0x40000);
	struct kernel_layout l;
	compute(&p, &l);
	struct kimage img = {
		.text = 0x1000000, .etext = 0x14cb6ac, .sdata = 0x14cb6ac, .edata = 0x171b240,
		.init_begin = 0x171c000, .init_end = 0x1790000,
	};
	size_t before = m->dmesg.n;
	layout_boot_messages(m, &l, &img);
	static const char *const want[] = {
		"virtual kernel memory layout:",
		"    fixmap  : 0xfff1e000 - 0xfffff000   ( 900 kB)",
		"    pkmap   : 0xff800000 - 0xffc00000   (4096 kB)",
		"    vmalloc : 0xf7ffe000 - 0xff7fe000   ( 120 MB)",
		"    lowmem  : 0xc0000000 - 0xf77fe000   ( 887 MB)",
		"      .init : 0xc171c000 - 0xc1790000   ( 464 kB)",
		"      .data : 0xc14cb6ac - 0xc171b240   (2366 kB)",
		"      .text : 0xc1000000 - 0xc14cb6ac   (4909 kB)",
	};
	assert_int_equal(m->dmesg.n - before, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(dmesg_text(m, before + i), want[i]);

	/* 6.x dropped the block (kernel-facts §9.1; the 6.1 dmesg has none) */
	p.kv = KV_6_13;
	compute(&p, &l);
	before = m->dmesg.n;
	layout_boot_messages(m, &l, &img);
	assert_int_equal(m->dmesg.n, before);
	machine_destroy(m);
}

/*
 * 6.13, Debian 686 (NR_CPUS 32, KM_MAX_IDX 16, no PARAVIRT_XXL, no GHES):
 *   enum: FIX_HOLE 0, DBGP 1, EARLYCON 2, APIC 3, IO_APIC 4..67,
 *   FIX_KMAP_BEGIN 68 .. FIX_KMAP_END 68 + 16 * 32 - 1 = 579, FIX_PCIE_MCFG
 *   580: __end_of_permanent_fixed_addresses = 581.
 *   (581 ^ 1092) & -1024 != 0 -> FIX_BTMAP_END = 581 + 512 - 69 = 1024,
 *   FIX_BTMAP_BEGIN 1535, FIX_WP_TEST 1536: __end_of_fixed_addresses 1537,
 *   FIXADDR_TOT_START = 0xfffff000 - 0x601000 = 0xff9fe000.
 *   CPU_ENTRY_AREA_PAGES = 32 * 43 = 1376;
 *   CPU_ENTRY_AREA_BASE = (0xff9fe000 - 1377 pages = 0xff49d000) & 4 MiB mask = 0xff400000
 *   LDT_BASE_ADDR = (0xff400000 - 4K) & mask = 0xff000000
 *   PKMAP_BASE = (0xff000000 - 4K) & mask = 0xfec00000, VMALLOC_END = 0xfebfe000
 *   MAXMEM = 0xfebfe000 - 0xc0000000 - 128 MiB = 0x36bfe000 -> max_low_pfn 0x36bfe
 * and that is what the real 6.1 kernel mapped.
 */
static void i386_6_13_with_1g_and_2_cpus__matches_the_real_debian_686_kernel(void **state)
{
	(void)state;
	struct layout_params p = params("i386", KV_6_13, 0x3ffe0);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.end_of_permanent_fixed, 581);
	assert_int_equal(l.end_of_fixed, 1537);
	assert_int_equal(l.fixaddr_tot_start, 0xff9fe000);
	assert_int_equal(l.fix_kmap_begin, 68);
	assert_int_equal(l.fix_kmap_end, 579);
	assert_int_equal(l.cpu_entry_area_base, 0xff400000);
	assert_int_equal(l.ldt_base, 0xff000000);
	assert_int_equal(l.pkmap_base, 0xfec00000);
	/* the real kernel: */
	assert_int_equal(l.high_memory, 0xf6bfe000);
	assert_int_equal(l.vmalloc_start, 0xf73fe000);
	assert_int_equal(l.vmalloc_end, 0xfebfe000);
	assert_int_equal(l.max_low_pfn >> 8, 875);                      /* "875MB LOWMEM available." */
	assert_int_equal((p.max_pfn - l.max_low_pfn) >> 8, 147);        /* "147MB HIGHMEM available." */
	assert_region(&l, 0xc0000000, 0xf6bfdfff, VR_DIRECT);
	assert_region(&l, 0xf73fe000, 0xfebfdfff, VR_VMALLOC);
	assert_region(&l, 0xfec00000, 0xfeffffff, VR_PKMAP);
	assert_region(&l, 0xff000000, 0xff3fffff, VR_LDT);
	assert_region(&l, 0xff400000, 0xff400000 + 1377 * 4096 - 1, VR_CPU_ENTRY);

	/* NR_CPUS is the build's CONFIG_NR_CPUS: the possible CPUs change nothing */
	struct kernel_layout l8;
	p.ncpus = 8;
	compute(&p, &l8);
	assert_int_equal(l8.pkmap_base, l.pkmap_base);
	assert_int_equal(l8.fixaddr_start, l.fixaddr_start);
	assert_int_equal(l8.kconfig->nr_cpus, 32);
}

/*
 * 6.13 PAE, Debian 686-pae (as 686, plus PARAVIRT_XXL): 582 permanent
 * slots, (582 ^ 1093) & -512 != 0 -> FIX_BTMAP_END 1024 again, 1537 slots,
 * FIXADDR_TOT_START 0xff9fe000; with 2 MiB PMDs:
 *   CPU_ENTRY_AREA_BASE = 0xff49d000 & ~0x1fffff = 0xff400000
 *   LDT_BASE_ADDR = 0xff3ff000 & mask = 0xff200000
 *   PKMAP_BASE = 0xff1ff000 & mask = 0xff000000 (LAST_PKMAP 512: 2 MiB)
 *   VMALLOC_END = 0xfeffe000, MAXMEM = 0x36ffe000
 * 3 GiB (max_pfn 0xc0000) -> lowmem 0xc0000000-0xf6ffe000, vmalloc
 * 0xf77fe000-0xfeffe000, as on the real PAE kernel.
 */
static void i386_pae_6_13_with_3g__matches_the_real_pae_kernel(void **state)
{
	(void)state;
	struct layout_params p = params("i386-pae", KV_6_13, 0xc0000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.end_of_permanent_fixed, 582);
	assert_int_equal(l.end_of_fixed, 1537);
	assert_int_equal(l.last_pkmap, 512);
	assert_int_equal(l.cpu_entry_area_base, 0xff400000);
	assert_int_equal(l.ldt_base, 0xff200000);
	assert_int_equal(l.pkmap_base, 0xff000000);
	assert_int_equal(l.maxmem, 0x36ffe000);
	assert_int_equal(l.high_memory, 0xf6ffe000);
	assert_int_equal(l.vmalloc_start, 0xf77fe000);
	assert_int_equal(l.vmalloc_end, 0xfeffe000);
	assert_region(&l, 0xff000000, 0xff1fffff, VR_PKMAP);
	assert_region(&l, 0xff200000, 0xff3fffff, VR_LDT);
}

/*
 * 2.6.32 PAE, Debian 686-bigmem (NR_CPUS 32): 4 + 1 + 64 + 19 * 32 + 1 + 1
 * + 2 = 681 permanent slots (FIXADDR_START 0xffd56000), FIX_BTMAP_END 768,
 * 1025 slots in all: FIXADDR_BOOT_START 0xffbfe000, PKMAP_BASE =
 * (0xffbfe000 - 513 pages = 0xff9fd000) & ~(2 MiB - 1) = 0xff800000.  The
 * 2.6.3x PAE boot log of kernel-facts §9.1 has pkmap 0xff800000-0xffa00000,
 * vmalloc 0xf7ffe000-0xff7fe000 and lowmem 0xc0000000-0xf77fe000 with 2 GiB.
 */
static void i386_pae_2_6_32_with_2g__matches_the_2_6_3x_pae_boot_log(void **state)
{
	(void)state;
	struct layout_params p = params("i386-pae", KV_2_6_32, 0x80000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.end_of_permanent_fixed, 681);
	assert_int_equal(l.fixaddr_start, 0xffd56000);
	assert_int_equal(l.fixaddr_tot_start, 0xffbfe000);
	assert_int_equal(l.pkmap_base, 0xff800000);
	assert_int_equal(l.pkmap_base + l.last_pkmap * 4096ull, 0xffa00000);
	assert_int_equal(l.vmalloc_start, 0xf7ffe000);
	assert_int_equal(l.vmalloc_end, 0xff7fe000);
	assert_int_equal(l.high_memory, 0xf77fe000);
}

/*
 * vmalloc=256M: __VMALLOC_RESERVE = 256 MiB + 8 MiB, so MAXMEM =
 * 0xff7fe000 - 0xc0000000 - 0x10800000 = 0x2effe000: max_low_pfn 0x2effe,
 * high_memory 0xeeffe000, VMALLOC_START 0xef7fe000, exactly 256 MiB of
 * vmalloc space up to 0xff7fe000.
 */
static void vmalloc_option__trades_lowmem_for_vmalloc_space(void **state)
{
	(void)state;
	struct layout_params p = params("i386", KV_2_6_32, 0x40000);
	p.vmalloc_size = 256 * MiB;
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.vmalloc_reserve, 264 * MiB);
	assert_int_equal(l.maxmem, 0x2effe000);
	assert_int_equal(l.max_low_pfn, 0x2effe);
	assert_int_equal(l.high_memory, 0xeeffe000);
	assert_int_equal(l.vmalloc_start, 0xef7fe000);
	assert_int_equal(l.vmalloc_end - l.vmalloc_start, 256 * MiB);

	/* a smaller vmalloc= gives lowmem back: 64M -> MAXMEM = 0x3f7fe000 -
	 * 72 MiB (0x4800000) = 0x3affe000 */
	p.vmalloc_size = 64 * MiB;
	compute(&p, &l);
	assert_int_equal(l.maxmem, 0x3affe000);
	assert_int_equal(l.max_low_pfn, 0x3affe);
}

/*
 * VMALLOC_END - PAGE_OFFSET = 0x3f7fe000 (1015 MiB + 1016 KiB); with the
 * 8 MiB offset and a 64 MiB lowmem floor, vmalloc=943M still fits and
 * vmalloc=944M does not.
 */
static void vmalloc_option__too_large_for_lowmem_is_refused(void **state)
{
	(void)state;
	struct layout_params p = params("i386", KV_2_6_32, 0x40000);
	struct kernel_layout l;
	char err[256] = "";
	p.vmalloc_size = 943 * MiB;
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), 0);
	assert_true(l.maxmem >= 64 * MiB);
	p.vmalloc_size = 944 * MiB;
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "vmalloc=944M"));
	p.vmalloc_size = 4 * GiB;
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);
}

/* ---- x86_64 ----------------------------------------------------------- */

/*
 * 6.13, 4-level, no KASLR, 5 GiB of address space used (max_pfn 0x140000,
 * the amd64 guest's RAM ends at 0x13fffffff): every mm.rst row.  Fixmap:
 * FIXADDR_TOP = round_up(0xffffffffff600000 + 4K, 2 MiB) - 4K =
 * 0xffffffffff7ff000; VSYSCALL_PAGE 511, DBGP 512, EARLYCON 513, APIC 514,
 * IO_APIC 515..642, PARAVIRT_BOOTMAP 643, APEI_GHES 644, 645: 646 slots ->
 * FIXADDR_START 0xffffffffff579000.  KERNEL_IMAGE_SIZE 1 GiB
 * (RANDOMIZE_BASE) -> MODULES_VADDR 0xffffffffc0000000, as in the kcore.
 */
static void x86_64_6_13_without_kaslr__has_every_mm_rst_row_at_its_default_base(void **state)
{
	(void)state;
	struct layout_params p = params("x86_64", KV_6_13, 0x140000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.va_bits, 48);
	assert_int_equal(l.task_size, 0x00007ffffffff000);
	assert_int_equal(l.page_offset, 0xffff888000000000);
	assert_int_equal(l.vmalloc_start, 0xffffc90000000000);
	assert_int_equal(l.vmemmap_base, 0xffffea0000000000);
	assert_int_equal(l.max_low_pfn, 0x140000);
	assert_int_equal(l.high_memory, 0xffff888140000000);
	assert_int_equal(l.kernel_image_size, 1 * GiB);
	assert_int_equal(l.modules_vaddr, 0xffffffffc0000000);
	assert_int_equal(l.modules_end, 0xffffffffff000000);
	assert_int_equal(l.fixaddr_top, 0xffffffffff7ff000);
	assert_int_equal(l.end_of_permanent_fixed, 646);
	assert_int_equal(l.fixaddr_start, 0xffffffffff579000);
	assert_int_equal(layout_fix_to_virt(&l, 511), 0xffffffffff600000);     /* VSYSCALL_PAGE */

	assert_region(&l, 0x0000000000000000, 0x00007fffffffefff, VR_USER);
	assert_region(&l, 0x00007ffffffff000, 0x00007fffffffffff, VR_HOLE);
	assert_region(&l, 0x0000800000000000, 0xffff7fffffffffff, VR_NONCANONICAL);
	assert_region(&l, 0xffff800000000000, 0xffff87ffffffffff, VR_HOLE);
	assert_region(&l, 0xffff880000000000, 0xffff887fffffffff, VR_LDT);
	assert_region(&l, 0xffff888000000000, 0xffff88813fffffff, VR_DIRECT);
	assert_region(&l, 0xffff888140000000, 0xffffc87fffffffff, VR_DIRECT_SPARE);
	assert_region(&l, 0xffffc88000000000, 0xffffc8ffffffffff, VR_HOLE);
	assert_region(&l, 0xffffc90000000000, 0xffffe8ffffffffff, VR_VMALLOC);
	assert_region(&l, 0xffffe90000000000, 0xffffe9ffffffffff, VR_HOLE);
	assert_region(&l, 0xffffea0000000000, 0xffffeaffffffffff, VR_VMEMMAP);
	assert_region(&l, 0xffffeb0000000000, 0xffffebffffffffff, VR_HOLE);
	assert_region(&l, 0xffffec0000000000, 0xfffffbffffffffff, VR_KASAN);
	assert_region(&l, 0xfffffc0000000000, 0xfffffdffffffffff, VR_HOLE);
	assert_region(&l, 0xfffffe0000000000, 0xfffffe7fffffffff, VR_CPU_ENTRY);
	assert_region(&l, 0xfffffe8000000000, 0xfffffeffffffffff, VR_HOLE);
	assert_region(&l, 0xffffff0000000000, 0xffffff7fffffffff, VR_ESPFIX);
	assert_region(&l, 0xffffff8000000000, 0xffffffeeffffffff, VR_HOLE);
	assert_region(&l, 0xffffffef00000000, 0xfffffffeffffffff, VR_EFI);
	assert_region(&l, 0xffffffff00000000, 0xffffffff7fffffff, VR_HOLE);
	assert_region(&l, 0xffffffff80000000, 0xffffffffbfffffff, VR_KERNEL_TEXT);
	assert_region(&l, 0xffffffffc0000000, 0xfffffffffeffffff, VR_MODULES);
	assert_region(&l, 0xffffffffff579000, 0xffffffffff5fffff, VR_FIXMAP);
	assert_region(&l, 0xffffffffff600000, 0xffffffffff600fff, VR_VSYSCALL);
	/* the kcore's first direct-map segment and the kernel image */
	assert_int_equal(layout_region_of(&l, 0xffff888000001000)->kind, VR_DIRECT);
	assert_int_equal(layout_region_of(&l, 0xffffffff81000000)->kind, VR_KERNEL_TEXT);
}

/* 5-level (mm.rst's second table): PGDIR_SHIFT 48 moves the guard hole and
 * the LDT remap; the three bases are the _L5 ones; user space is 56 bits. */
static void x86_64_la57_without_kaslr__uses_the_five_level_bases(void **state)
{
	(void)state;
	struct layout_params p = params("x86_64-la57", KV_6_13, 0x140000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.va_bits, 57);
	assert_int_equal(l.task_size, 0x00fffffffffff000);
	assert_int_equal(l.page_offset, 0xff11000000000000);
	assert_int_equal(l.vmalloc_start, 0xffa0000000000000);
	assert_int_equal(l.vmemmap_base, 0xffd4000000000000);
	assert_region(&l, 0x0000000000000000, 0x00ffffffffffefff, VR_USER);
	assert_region(&l, 0x0100000000000000, 0xfeffffffffffffff, VR_NONCANONICAL);
	assert_region(&l, 0xff00000000000000, 0xff0fffffffffffff, VR_HOLE);
	assert_region(&l, 0xff10000000000000, 0xff10ffffffffffff, VR_LDT);
	assert_region(&l, 0xff11000000000000, 0xff1100013fffffff, VR_DIRECT);
	assert_region(&l, 0xff11000140000000, 0xff90ffffffffffff, VR_DIRECT_SPARE);
	assert_region(&l, 0xffa0000000000000, 0xffd1ffffffffffff, VR_VMALLOC);      /* 12800 TB */
	assert_region(&l, 0xffd4000000000000, 0xffd5ffffffffffff, VR_VMEMMAP);
	assert_region(&l, 0xffdf000000000000, 0xfffffbffffffffff, VR_KASAN);
	assert_region(&l, 0xfffffe0000000000, 0xfffffe7fffffffff, VR_CPU_ENTRY);
	assert_region(&l, 0xffffffffc0000000, 0xfffffffffeffffff, VR_MODULES);
}

/*
 * 2.6.32: __PAGE_OFFSET 0xffff880000000000, VMALLOC 0xffffc90000000000-
 * 0xffffe8ffffffffff, VMEMMAP_START 0xffffea0000000000, KERNEL_IMAGE_SIZE
 * 512 MiB, MODULES 0xffffffffa0000000-0xffffffffff000000, vsyscalls
 * 0xffffffffff600000-0xffffffffffdfffff.  Fixmap: FIXADDR_TOP =
 * VSYSCALL_END - 4K = 0xffffffffffdff000; VSYSCALL_LAST_PAGE 0 ..
 * VSYSCALL_FIRST_PAGE 2047, VSYSCALL_HPET 2048, DBGP 2049, EARLYCON 2050,
 * APIC 2051, IO_APIC 2052..2179, PARAVIRT_BOOTMAP 2180, TEXT_POKE1/0 2181,
 * 2182: 2183 slots -> FIXADDR_START 0xffffffffff578000.
 */
static void x86_64_2_6_32__has_the_2_6_32_map(void **state)
{
	(void)state;
	struct layout_params p = params("x86_64", KV_2_6_32, 0x140000);
	struct kernel_layout l;
	compute(&p, &l);
	assert_int_equal(l.page_offset, 0xffff880000000000);
	assert_int_equal(l.high_memory, 0xffff880140000000);
	assert_int_equal(l.kernel_image_size, 512 * MiB);
	assert_int_equal(l.end_of_permanent_fixed, 2183);
	assert_int_equal(l.fixaddr_top, 0xffffffffffdff000);
	assert_int_equal(l.fixaddr_start, 0xffffffffff578000);
	assert_int_equal(layout_fix_to_virt(&l, 2047), 0xffffffffff600000);    /* VSYSCALL_FIRST_PAGE */
	assert_region(&l, 0xffff880000000000, 0xffff88013fffffff, VR_DIRECT);
	assert_region(&l, 0xffff880140000000, 0xffffc7ffffffffff, VR_DIRECT_SPARE);
	assert_region(&l, 0xffffc90000000000, 0xffffe8ffffffffff, VR_VMALLOC);
	assert_region(&l, 0xffffea0000000000, 0xffffeaffffffffff, VR_VMEMMAP);
	assert_region(&l, 0xffffffff80000000, 0xffffffff9fffffff, VR_KERNEL_TEXT);
	assert_region(&l, 0xffffffffa0000000, 0xfffffffffeffffff, VR_MODULES);
	assert_region(&l, 0xffffffffff578000, 0xffffffffff5fffff, VR_FIXMAP);
	assert_region(&l, 0xffffffffff600000, 0xffffffffffdfffff, VR_VSYSCALL);
	for (int i = 0; i < l.nregions; i++) {          /* none of the later areas */
		assert_int_not_equal(l.region[i].kind, VR_ESPFIX);
		assert_int_not_equal(l.region[i].kind, VR_CPU_ENTRY);
		assert_int_not_equal(l.region[i].kind, VR_LDT);
	}
}

static void kaslr__same_seed_gives_the_same_bases_and_other_seeds_move_them(void **state)
{
	(void)state;
	struct layout_params p = params("x86_64", KV_6_13, 0x140000);
	p.kaslr = true;
	p.kaslr_seed = 12345;
	struct kernel_layout a, b, c;
	compute(&p, &a);
	compute(&p, &b);
	assert_true(a.kaslr);
	assert_int_equal(a.kaslr_seed, 12345);
	assert_int_equal(a.page_offset, b.page_offset);
	assert_int_equal(a.vmalloc_start, b.vmalloc_start);
	assert_int_equal(a.vmemmap_base, b.vmemmap_base);
	assert_memory_equal(a.region, b.region, sizeof a.region);
	p.kaslr_seed = 12346;
	compute(&p, &c);
	assert_true(c.page_offset != a.page_offset || c.vmalloc_start != a.vmalloc_start ||
		    c.vmemmap_base != a.vmemmap_base);
}

/*
 * kernel_randomize_memory(): the direct map reserves DIV_ROUND_UP(5 GiB,
 * 1 TiB) + 10 = 11 TiB, vmalloc 32 TiB (12800 with LA57), vmemmap
 * DIV_ROUND_UP(11 TiB / 4K * 64, 1 TiB) = 1 TiB; the bases stay in order,
 * PUD (1 GiB) aligned, between __PAGE_OFFSET_BASE_L4/L5 and
 * CPU_ENTRY_AREA_BASE (vaddr_end), without overlapping.
 */
static void kaslr__bases_are_pud_aligned_ordered_and_inside_the_kernel_window(void **state)
{
	(void)state;
	static const struct { const char *arch; uint64_t start, vmalloc_size; } arches[] = {
		{ "x86_64", 0xffff888000000000, 32 * TiB },
		{ "x86_64-la57", 0xff11000000000000, 12800 * TiB },
	};
	const uint64_t vaddr_end = 0xfffffe0000000000;
	for (size_t a = 0; a < 2; a++) {
		struct layout_params p = params(arches[a].arch, KV_6_13, 0x140000);
		p.kaslr = true;
		for (uint64_t seed = 0; seed < 300; seed++) {
			struct kernel_layout l;
			p.kaslr_seed = seed * 0x9e3779b9;
			compute(&p, &l);
			assert_int_equal(l.direct_map_size, 11 * TiB);
			assert_int_equal(l.vmemmap_size, 1 * TiB);
			assert_int_equal(l.vmalloc_end - l.vmalloc_start, arches[a].vmalloc_size);
			assert_int_equal(l.page_offset % GiB, 0);
			assert_int_equal(l.vmalloc_start % GiB, 0);
			assert_int_equal(l.vmemmap_base % GiB, 0);
			assert_true(l.page_offset >= arches[a].start);
			assert_true(l.page_offset + l.direct_map_size <= l.vmalloc_start);
			assert_true(l.vmalloc_end <= l.vmemmap_base);
			assert_true(l.vmemmap_base + l.vmemmap_size <= vaddr_end);
			assert_int_equal(l.high_memory, l.page_offset + 0x140000ull * 4096);
			assert_int_equal(layout_region_of(&l, l.page_offset)->kind, VR_DIRECT);
			assert_int_equal(layout_region_of(&l, l.vmalloc_start)->kind, VR_VMALLOC);
			assert_int_equal(layout_region_of(&l, l.vmemmap_base)->kind, VR_VMEMMAP);
		}
	}
}

/* ---- all profiles -------------------------------------------------- */

static const struct { const char *arch; enum kernel_version kv; uint64_t max_pfn; bool kaslr; } all[] = {
	{ "i386", KV_2_6_32, 0x40000, false },
	{ "i386", KV_6_13, 0x3ffe0, false },
	{ "i386", KV_2_6_32, 0x8000, false },
	{ "i386-pae", KV_2_6_32, 0x400000, false },
	{ "i386-pae", KV_6_13, 0xc0000, false },
	{ "x86_64", KV_2_6_32, 0x140000, false },
	{ "x86_64", KV_6_13, 0x140000, false },
	{ "x86_64", KV_6_13, 0x40000000, true },        /* 4 TiB */
	{ "x86_64-la57", KV_6_13, 0x140000, false },
	{ "x86_64-la57", KV_6_13, 0x140000, true },
};

static void regions__are_contiguous_and_cover_the_whole_address_space(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		struct layout_params p = params(all[i].arch, all[i].kv, all[i].max_pfn);
		p.kaslr = all[i].kaslr;
		p.kaslr_seed = 99;
		struct kernel_layout l;
		compute(&p, &l);
		assert_true(l.nregions > 0 && l.nregions <= LAYOUT_MAX_REGIONS);
		assert_int_equal(l.region[0].start, 0);
		for (int r = 0; r < l.nregions; r++) {
			assert_true(l.region[r].start <= l.region[r].last);
			assert_non_null(l.region[r].what);
			if (r)
				assert_int_equal(l.region[r].start, l.region[r - 1].last + 1);
			assert_ptr_equal(layout_region_of(&l, l.region[r].start), &l.region[r]);
			assert_ptr_equal(layout_region_of(&l, l.region[r].last), &l.region[r]);
		}
		uint64_t top = l.va_bits == 32 ? 0xffffffffull : UINT64_MAX;
		assert_int_equal(l.region[l.nregions - 1].last, top);
		/* the direct map ends at high_memory */
		const struct vm_region *d = layout_region_of(&l, l.page_offset);
		assert_int_equal(d->kind, VR_DIRECT);
		assert_int_equal(d->last, l.high_memory - 1);
	}
}

static void region_of__finds_an_address_in_every_kind_of_region(void **state)
{
	(void)state;
	bool seen[VR_VSYSCALL + 1] = { false };
	struct kernel_layout l;
	struct layout_params p = params("i386", KV_6_13, 0x3ffe0);
	compute(&p, &l);
	static const struct { uint64_t va; enum vm_region_kind kind; } i386[] = {
		{ 0x08048000, VR_USER }, { 0xc1000000, VR_DIRECT }, { 0xf7000000, VR_HOLE },
		{ 0xf8000000, VR_VMALLOC }, { 0xfec01000, VR_PKMAP }, { 0xff100000, VR_LDT },
		{ 0xff500000, VR_CPU_ENTRY }, { 0xfffff000 - 68 * 4096, VR_FIXMAP },
		{ 0xfffff800, VR_HOLE },
	};
	for (size_t i = 0; i < sizeof i386 / sizeof i386[0]; i++) {
		const struct vm_region *r = layout_region_of(&l, i386[i].va);
		assert_int_equal(r->kind, i386[i].kind);
		assert_true(r->start <= i386[i].va && i386[i].va <= r->last);
		seen[r->kind] = true;
	}
	p = params("x86_64", KV_6_13, 0x140000);
	compute(&p, &l);
	static const struct { uint64_t va; enum vm_region_kind kind; } x64[] = {
		{ 0x0000555555554000, VR_USER }, { 0x0000800000000000, VR_NONCANONICAL },
		{ 0xdead000000000000, VR_NONCANONICAL }, { 0xffff880000001000, VR_LDT },
		{ 0xffff888000100000, VR_DIRECT }, { 0xffff900000000000, VR_DIRECT_SPARE },
		{ 0xffffc90000004000, VR_VMALLOC }, { 0xffffea0000000040, VR_VMEMMAP },
		{ 0xffffed0000000000, VR_KASAN }, { 0xfffffe0000001000, VR_CPU_ENTRY },
		{ 0xffffff0000000000, VR_ESPFIX }, { 0xfffffffef0000000, VR_EFI },
		{ 0xffffffff81000000, VR_KERNEL_TEXT }, { 0xffffffffc0100000, VR_MODULES },
		{ 0xffffffffff5ff000, VR_FIXMAP }, { 0xffffffffff600400, VR_VSYSCALL },
		{ 0xffffffffffe00000, VR_HOLE }, { UINT64_MAX, VR_HOLE },
	};
	for (size_t i = 0; i < sizeof x64 / sizeof x64[0]; i++) {
		const struct vm_region *r = layout_region_of(&l, x64[i].va);
		assert_int_equal(r->kind, x64[i].kind);
		assert_true(r->start <= x64[i].va && x64[i].va <= r->last);
		seen[r->kind] = true;
	}
	for (int k = 0; k <= VR_VSYSCALL; k++) {
		if (!seen[k])
			fail_msg("no address tested in a %s region", layout_kind_name(k));
		assert_string_not_equal(layout_kind_name(k), "?");
	}
	assert_string_equal(layout_kind_name(VR_DIRECT), "direct map");
	assert_string_equal(layout_kind_name(VR_VMALLOC), "vmalloc");
	assert_string_equal(layout_kind_name((enum vm_region_kind)99), "?");
}

static void combinations_the_kernel_cannot_run__are_refused(void **state)
{
	(void)state;
	struct kernel_layout l;
	char err[256];
	struct layout_params p = params("x86_64-la57", KV_2_6_32, 0x140000);
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);  /* no LA57 in 2.6.32 */
	p = params("x86_64", KV_2_6_32, 0x140000);
	p.kaslr = true;
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);  /* no KASLR in 2.6.32 */
	p = params("i386", KV_6_13, 0x3ffe0);
	p.kaslr = true;
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);  /* RANDOMIZE_MEMORY is 64-bit */
	p = params("i386", KV_6_13, 0x200000);
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);  /* 8 GiB without PAE */
	p = params("i386-pae", KV_6_13, 0x200000);
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), 0);        /* ...fine with it */
	p = params("x86_64", KV_6_13, 65 * (TiB >> 12));
	assert_int_equal(layout_compute(&p, &l, err, sizeof err), -EINVAL);  /* beyond the 64 TiB direct map */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(i386_2_6_32_with_1g__maps_887_mib_of_lowmem_below_a_120_mib_vmalloc_area),
		cmocka_unit_test(i386_with_512m__is_all_lowmem_and_vmalloc_starts_8_mib_above_it),
		cmocka_unit_test(i386_2_6_32_boot__prints_mem_init_virtual_kernel_memory_layout),
		cmocka_unit_test(i386_6_13_with_1g_and_2_cpus__matches_the_real_debian_686_kernel),
		cmocka_unit_test(i386_pae_6_13_with_3g__matches_the_real_pae_kernel),
		cmocka_unit_test(i386_pae_2_6_32_with_2g__matches_the_2_6_3x_pae_boot_log),
		cmocka_unit_test(vmalloc_option__trades_lowmem_for_vmalloc_space),
		cmocka_unit_test(vmalloc_option__too_large_for_lowmem_is_refused),
		cmocka_unit_test(x86_64_6_13_without_kaslr__has_every_mm_rst_row_at_its_default_base),
		cmocka_unit_test(x86_64_la57_without_kaslr__uses_the_five_level_bases),
		cmocka_unit_test(x86_64_2_6_32__has_the_2_6_32_map),
		cmocka_unit_test(kaslr__same_seed_gives_the_same_bases_and_other_seeds_move_them),
		cmocka_unit_test(kaslr__bases_are_pud_aligned_ordered_and_inside_the_kernel_window),
		cmocka_unit_test(regions__are_contiguous_and_cover_the_whole_address_space),
		cmocka_unit_test(region_of__finds_an_address_in_every_kind_of_region),
		cmocka_unit_test(combinations_the_kernel_cannot_run__are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
