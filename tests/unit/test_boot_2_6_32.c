/*
 * test_boot_2_6_32.c - what the i386 2.6.32 boot reserves and takes besides
 * the memmap and the early hashes: the per-CPU areas, log_buf_len=, the
 * initrd, the Mount-cache page and inet_init()'s tables.
 *
 * The expected values are worked by hand from 2.6.32's formulas, and the
 * per-CPU ones also checked against real 2.6.32 i386 kernels' dmesg
 * (Ubuntu 10.04, 686 without PAE, NR_CPUS=8, two CPUs):
 *   2.6.32-30-generic: "PERCPU: Embedded 14 pages/cpu @c2c00000 s36056 r0
 *     d21288 u2097152", "pcpu-alloc: s36056 r0 d21288 u2097152
 *     alloc=1*4194304", "Mount-cache hash table entries: 512"
 *   2.6.32-21-generic: "s36024 r0 d21320 u2097152 alloc=1*4194304"
 *
 * The default machine (1 GiB, 2.6.32's own e820 map) has, in its zone
 * lines: DMA present 3951 (after 32 memmap pages), Normal present 221486,
 * HighMem present 34545, so nr_kernel_pages = 3951 + 221486 = 225437 and
 * nr_all_pages = 259982.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/hugetlb.h"
#include "kmemsh/machine.h"
#include "kmemsh/memblock.h"
#include "fixture.h"

static struct machine *boot(struct machine_config *cfg)
{
	return boot_cfg(cfg);
}

static const char *line_starting(const struct machine *m, const char *prefix)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strncmp(dmesg_slot(&m->dmesg, i)->text, prefix, strlen(prefix)) == 0)
			return dmesg_slot(&m->dmesg, i)->text;
	return NULL;
}

static bool has_line(const struct machine *m, const char *want)
{
	const char *l = line_starting(m, want);
	return l && strcmp(l, want) == 0;
}

static size_t line_index(const struct machine *m, const char *prefix)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strncmp(dmesg_slot(&m->dmesg, i)->text, prefix, strlen(prefix)) == 0)
			return i;
	fail_msg("no dmesg line starting '%s'", prefix);
	return 0;
}

/* the "NNNk reserved" of the Memory: line */
static unsigned long long memory_reserved_k(const struct machine *m)
{
	const char *l = line_starting(m, "Memory: ");
	assert_non_null(l);
	const char *r = strstr(l, "k kernel code, ");
	assert_non_null(r);
	return strtoull(r + strlen("k kernel code, "), NULL, 10);
}

/*
 * pcpu_build_alloc_info() (2.6.32 mm/percpu.c): size_sum =
 * PFN_ALIGN(static + reserved + dyn), dyn then the rest of it; a unit of
 * at least 64 KiB; units per 4 MiB atom the largest power of two that
 * wastes at most a third of the CPUs' units and needs no more atoms.
 */
static void pcpu_alloc_info__matches_real_2_6_32_kernels(void **state)
{
	(void)state;
	struct pcpu_alloc_info ai;
	/* 36056 + 20480 = 56536 -> 14 pages = 57344; d = 57344 - 36056 */
	pcpu_build_alloc_info_2_6_32(36056, 0, 20 << 10, 4 << 20, 2, &ai);
	assert_int_equal(ai.size_sum, 57344);
	assert_int_equal(ai.dyn_size, 21288);
	assert_int_equal(ai.unit_size, 2097152);
	assert_int_equal(ai.alloc_size, 4194304);
	assert_int_equal(ai.upa, 2);
	pcpu_build_alloc_info_2_6_32(36024, 0, 20 << 10, 4 << 20, 2, &ai);
	assert_int_equal(ai.dyn_size, 21320);
	assert_int_equal(ai.unit_size, 2097152);
	/* one CPU: no waste allowed (1 / 3 = 0), one unit of the whole atom */
	pcpu_build_alloc_info_2_6_32(36056, 0, 20 << 10, 4 << 20, 1, &ai);
	assert_int_equal(ai.unit_size, 4194304);
	assert_int_equal(ai.nr_units, 1);
	/* PAE: a 2 MiB atom, two units of 1 MiB */
	pcpu_build_alloc_info_2_6_32(36056, 0, 20 << 10, 2 << 20, 2, &ai);
	assert_int_equal(ai.unit_size, 1048576);
}

/* 2.6.32's 64 KiB minimum unit: a 32 KiB size_sum with 100 CPUs gets 64
 * units of 64 KiB per 4 MiB (two atoms, 28 units wasted), where 6.x's 32 KiB
 * minimum allows 128 units of 32 KiB (one atom, 28 wasted) */
static void pcpu_alloc_info__2_6_32_units_are_at_least_64k(void **state)
{
	(void)state;
	struct pcpu_alloc_info old, now;
	pcpu_build_alloc_info_2_6_32(12288, 0, 20 << 10, 4 << 20, 100, &old);
	pcpu_build_alloc_info(12288, 0, 20 << 10, 4 << 20, 100, &now);
	assert_int_equal(old.size_sum, 32768);
	assert_int_equal(old.unit_size, 65536);
	assert_int_equal(old.upa, 64);
	assert_int_equal(old.nr_units, 128);
	assert_int_equal(now.unit_size, 32768);
	assert_int_equal(now.upa, 128);
}

/* the boot lines, in 2.6.32's order, and what they keep */
static void boot__prints_2_6_32s_percpu_and_hash_lines_in_its_order(void **state)
{
	(void)state;
	struct machine_config c2 = { .arch = "i386", .kernel = "2.6.32", .ncpus = 2 };
	struct machine *m = boot(&c2);
	assert_true(has_line(m, "NR_CPUS:8 nr_cpumask_bits:8 nr_cpu_ids:2 nr_node_ids:1"));
	const char *pc = line_starting(m, "PERCPU: Embedded 14 pages/cpu @c");
	assert_non_null(pc);
	assert_non_null(strstr(pc, " s36056 r0 d21288 u2097152"));
	assert_true(has_line(m, "pcpu-alloc: s36056 r0 d21288 u2097152 alloc=1*4194304"));
	assert_true(has_line(m, "pcpu-alloc: [0] 0 1 "));
	/* setup_per_cpu_areas() comes before build_all_zonelists() */
	assert_true(line_index(m, "PERCPU:") < line_index(m, "Built 1 zonelists"));
	/* PAGE_SIZE / sizeof(struct list_head) */
	assert_true(has_line(m, "Mount-cache hash table entries: 512"));
	/* nr_kernel_pages 225437 -> 225536 (whole MiB) >> 3 (scale 15) =
	 * 28192 -> 32768 buckets of 4 bytes */
	assert_true(has_line(m, "IP route cache hash table entries: 32768 (order: 5, 131072 bytes)"));
	/* >> 1 (scale 13) = 112768 -> 131072 buckets of 8 bytes */
	assert_true(has_line(m, "TCP established hash table entries: 131072 (order: 8, 1048576 bytes)"));
	/* 131072 asked, at most 64 Ki, 8-byte buckets */
	assert_true(has_line(m, "TCP bind hash table entries: 65536 (order: 7, 524288 bytes)"));
	assert_true(has_line(m, "TCP: Hash tables configured (established 131072 bind 65536)"));
	/* 2.6.32's UDP tables are static arrays */
	assert_null(line_starting(m, "UDP"));
	assert_true(line_index(m, "Memory: ") < line_index(m, "Mount-cache"));
	assert_true(line_index(m, "Mount-cache") < line_index(m, "IP route cache"));
	assert_true(line_index(m, "TCP: Hash") < line_index(m, "Freeing unused kernel memory"));
	/* each CPU keeps 14 pages: one CPU more is 56k more reserved */
	struct machine_config c1 = { .arch = "i386", .kernel = "2.6.32", .ncpus = 1 };
	struct machine *m1 = boot(&c1);
	assert_non_null(strstr(line_starting(m1, "PERCPU: "), " u4194304"));
	assert_int_equal(memory_reserved_k(m) - memory_reserved_k(m1), 56);
	machine_destroy(m1);
	machine_destroy(m);
	/* x86_64: a page of 16-byte list_heads; its inet tables (hashdist's
	 * __vmalloc() on 64-bit NUMA builds) and per-CPU areas are left out */
	struct machine_config c64 = { .arch = "x86_64", .kernel = "2.6.32", .ncpus = 2 };
	m = boot(&c64);
	assert_true(has_line(m, "Mount-cache hash table entries: 256"));
	assert_null(line_starting(m, "TCP"));
	assert_null(line_starting(m, "PERCPU"));
	machine_destroy(m);
}

/* below 128 Ki totalram pages the inet tables use 2^17 and 2^15 bytes a
 * bucket: 256 MiB has DMA 3951 + Normal (61440 - 480 memmap) = 64911
 * lowmem pages -> 65024 */
static void boot__small_machines_use_the_larger_scales(void **state)
{
	(void)state;
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 256ull << 20, .ncpus = 1 };
	struct machine *m = boot(&c);
	/* 65024 >> 5 = 2032 -> 2048 */
	assert_true(has_line(m, "IP route cache hash table entries: 2048 (order: 1, 8192 bytes)"));
	/* 65024 >> 3 = 8128 -> 8192 */
	assert_true(has_line(m, "TCP established hash table entries: 8192 (order: 4, 65536 bytes)"));
	assert_true(has_line(m, "TCP bind hash table entries: 8192 (order: 4, 65536 bytes)"));
	machine_destroy(m);
}

/* log_buf_len=: rounded up to a power of two, kept only above the static
 * 128 KiB buffer, from bootmem after "Kernel command line:" */
static void log_buf_len__replaces_the_static_buffer_when_larger(void **state)
{
	(void)state;
	struct machine_config c0 = { .arch = "i386", .kernel = "2.6.32" };
	struct machine *m0 = boot(&c0);
	struct machine_config c1 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "quiet log_buf_len=129K" };
	struct machine *m = boot(&c1);
	assert_true(has_line(m, "Kernel command line: quiet log_buf_len=129K"));
	assert_true(has_line(m, "log_buf_len: 262144"));
	assert_true(line_index(m, "Kernel command line:") < line_index(m, "log_buf_len:"));
	assert_true(line_index(m, "log_buf_len:") < line_index(m, "PID hash"));
	assert_int_equal(memory_reserved_k(m) - memory_reserved_k(m0), 256);
	machine_destroy(m);
	struct machine_config c2 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "log_buf_len=100K" };
	m = boot(&c2);
	assert_null(line_starting(m, "log_buf_len:"));
	assert_int_equal(memory_reserved_k(m), memory_reserved_k(m0));
	machine_destroy(m);
	/* parse_args() calls log_buf_len_setup() once per option, in order:
	 * each one larger than the buffer of the moment gets a new bootmem
	 * buffer and its line, the one it replaces staying reserved; a
	 * smaller one does nothing */
	struct machine_config c3 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "log_buf_len=1M log_buf_len=2M" };
	m = boot(&c3);
	assert_true(has_line(m, "log_buf_len: 1048576"));
	assert_true(line_index(m, "log_buf_len: 1048576") < line_index(m, "log_buf_len: 2097152"));
	assert_int_equal(memory_reserved_k(m) - memory_reserved_k(m0), 1024 + 2048);
	machine_destroy(m);
	struct machine_config c4 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "log_buf_len=2M log_buf_len=1M" };
	m = boot(&c4);
	assert_true(has_line(m, "log_buf_len: 2097152"));
	assert_null(line_starting(m, "log_buf_len: 1048576"));
	assert_int_equal(memory_reserved_k(m) - memory_reserved_k(m0), 2048);
	machine_destroy(m);
	machine_destroy(m0);
}

static void cmdline__what_2_6_32_cannot_do_is_refused(void **state)
{
	(void)state;
	struct machine *m = NULL;
	char err[256];
	/* alloc_bootmem() panics when nothing fits */
	struct machine_config c1 = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 256ull << 20,
				     .cmdline = "log_buf_len=512M" };
	assert_int_not_equal(machine_create(&c1, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "bootmem alloc of 536870912 bytes failed!"));
	/* int log_buf_len */
	struct machine_config c2 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "log_buf_len=2G" };
	assert_int_not_equal(machine_create(&c2, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "log_buf_len=2G"));
	struct machine_config c3 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "crashkernel=64M" };
	assert_int_not_equal(machine_create(&c3, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "crashkernel="));
	struct machine_config c4 = { .arch = "i386", .kernel = "2.6.32", .ncpus = 9 };
	assert_int_not_equal(machine_create(&c4, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "NR_CPUS=8"));
	/* five CPUs: 3 allocations of two 2 MiB units, 12 MiB aligned to 4
	 * MiB, more than 16 MiB of RAM beside the image holds; the kernel
	 * would fall back to the page-size first chunk, the model refuses */
	struct machine_config c5 = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 16ull << 20, .ncpus = 5 };
	assert_int_not_equal(machine_create(&c5, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "12 MiB in all, 4 MiB aligned"));
	assert_non_null(strstr(err, "pcpu_page_first_chunk()"));
	assert_null(m);
}

/*
 * reserve_initrd(): the loader's initrd ends at the top of RAM (1 GiB),
 * past lowmem (0x377fe000), so relocate_initrd() copies it to the lowest
 * free lowmem that holds it: the 2.6.32 map's RAM starts at 0x10000 (the
 * low 64K reserved), too small below 640K, so 1 MiB (the image is at 16
 * MiB).  2.6.32's free_initrd_mem() (arch/x86/mm/init.c) is
 * free_init_pages("initrd memory", initrd_start, initrd_end), initrd_end
 * being start + ramdisk_size, not page aligned (the PAGE_ALIGN(end) came
 * after 2.6.32): the line says (end - start) >> 10, the size in whole KiB
 * rounded down, while the loop (addr < end) frees every page the initrd
 * touches.
 */
static void initrd__is_moved_into_lowmem_and_freed(void **state)
{
	(void)state;
	/* 0x104ff3 bytes: placed at (0x40000000 - 0x104ff3) & ~0xfff */
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .initrd_size = 0x104ff3 };
	struct machine *m = boot(&c);
	assert_true(has_line(m, "RAMDISK: 3fefb000 - 3ffffff3"));
	assert_true(has_line(m, "Allocated new RAMDISK: 00100000 - 00204ff3"));
	assert_true(has_line(m, "Move RAMDISK from 000000003fefb000 - 000000003ffffff2 to 00100000 - 00204ff2"));
	/* 0x104ff3 >> 10 = 1043; all 0x105 pages go back, the last one
	 * partly used too: totalram_pages ends as without an initrd */
	assert_true(has_line(m, "Freeing initrd memory: 1043k freed"));
	struct machine_config none = { .arch = "i386", .kernel = "2.6.32" };
	struct machine *m0 = boot(&none);
	assert_int_equal(m->totalram_pages, m0->totalram_pages);
	machine_destroy(m0);
	assert_true(line_index(m, "RAMDISK:") < line_index(m, "136MB HIGHMEM available."));
	assert_true(line_index(m, "TCP: Hash") < line_index(m, "Freeing initrd memory"));
	assert_true(line_index(m, "Freeing initrd memory") < line_index(m, "Freeing unused kernel memory"));
	machine_destroy(m);
	/* 256 MiB is all lowmem: the initrd stays where it was loaded */
	struct machine_config s = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 256ull << 20,
				    .initrd_size = 8 << 20 };
	m = boot(&s);
	assert_true(has_line(m, "RAMDISK: 0f800000 - 10000000"));
	assert_null(line_starting(m, "Allocated new RAMDISK"));
	assert_true(has_line(m, "Freeing initrd memory: 8192k freed"));
	machine_destroy(m);
	/* half of lowmem (0x377fe000 / 2) or more is dropped */
	struct machine_config big = { .arch = "i386", .kernel = "2.6.32", .initrd_size = 444ull << 20 };
	m = boot(&big);
	assert_true(has_line(m, "initrd too large to handle, disabling initrd"));
	assert_null(line_starting(m, "RAMDISK:"));
	assert_null(line_starting(m, "Freeing initrd memory"));
	machine_destroy(m);
}

/*
 * mem=600M (2.6.32 parse_memopt(): e820_remove_range(600M, ULLONG_MAX -
 * 600M, E820_RAM, 1), no line of its own; finish_e820_parsing() then
 * prints the map as e820_print_map("user") does, end exclusive).  The
 * 2.6.32 map: 0-64K reserved (the low 64K), 64K-0x9fc00 RAM, the EBDA
 * and BIOS ranges reserved, RAM from 1M, now to 600M = 0x25800000, and
 * the firmware at 0xfffc0000.  max_pfn 0x25800 (153600) is below
 * max_low_pfn (0x377fe): no highmem, 153600 >> 8 = 600 MB of lowmem.
 * Normal spans 0x1000..0x25800 = 149504 pages, its memmap
 * PAGE_ALIGN(149504 * 32) >> 12 = 1168 pages, present 148336; with DMA's
 * 3951 the zonelists' total is 152287; num_physpages 153600 = 614400k.
 */
static void mem__cuts_ram_and_prints_2_6_32s_user_map(void **state)
{
	(void)state;
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .cmdline = "mem=600M" };
	struct machine *m = boot(&c);
	static const char *const map[] = {
		"user-defined physical RAM map:",
		" user: 0000000000000000 - 0000000000010000 (reserved)",
		" user: 0000000000010000 - 000000000009fc00 (usable)",
		" user: 000000000009fc00 - 00000000000a0000 (reserved)",
		" user: 00000000000f0000 - 0000000000100000 (reserved)",
		" user: 0000000000100000 - 0000000025800000 (usable)",
		" user: 00000000fffc0000 - 0000000100000000 (reserved)",
		/* e820_end_of_ram_pfn(): MAX_ARCH_PFN 1 << (32 - 12) */
		"last_pfn = 0x25800 max_arch_pfn = 0x100000",
		"0MB HIGHMEM available.",
		"600MB LOWMEM available.",
	};
	size_t at = line_index(m, map[0]);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		assert_string_equal(dmesg_slot(&m->dmesg, at + i)->text, map[i]);
	assert_null(line_starting(m, "e820: remove"));
	assert_int_equal(m->max_pfn, 0x25800);
	assert_true(has_line(m, "  Normal zone: 1168 pages used for memmap"));
	assert_true(has_line(m, "  Normal zone: 148336 pages, LIFO batch:31"));
	assert_true(has_line(m, "Built 1 zonelists in Zone order, mobility grouping on.  Total pages: 152287"));
	const char *mem = line_starting(m, "Memory: ");
	assert_non_null(mem);
	assert_non_null(strstr(mem, "k/614400k available"));
	assert_non_null(strstr(mem, ", 0k highmem)"));
	machine_destroy(m);
	/* the lowest of several wins; above the RAM nothing goes but the map prints */
	struct machine_config c2 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "mem=2G mem=768M mem=900M" };
	m = boot(&c2);
	assert_true(has_line(m, " user: 0000000000100000 - 0000000030000000 (usable)"));
	assert_true(has_line(m, "768MB LOWMEM available."));
	machine_destroy(m);
	struct machine_config c3 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "mem=2G" };
	m = boot(&c3);
	assert_true(has_line(m, " user: 0000000000100000 - 0000000040000000 (usable)"));
	assert_true(has_line(m, "136MB HIGHMEM available."));
	machine_destroy(m);
}

static void mem__malformed_or_zero_is_said(void **state)
{
	(void)state;
	struct machine *m = NULL;
	char err[256];
	/* "mem" alone: parse_memopt(NULL) is -EINVAL, do_early_param() says so */
	struct machine_config c1 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "mem" };
	m = boot(&c1);
	assert_true(has_line(m, "Malformed early option 'mem'"));
	assert_null(line_starting(m, "user-defined"));
	assert_true(has_line(m, "136MB HIGHMEM available."));
	machine_destroy(m);
	m = NULL;
	/* memparse() of "" or a word is 0: 2.6.32 would remove all RAM */
	static const char *const bad[] = { "mem=", "mem=0", "mem=lots", "mem=nopentium" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .cmdline = bad[i] };
		assert_int_not_equal(machine_create(&c, &m, err, sizeof err), 0);
		assert_non_null(strstr(err, "mem="));
		assert_null(m);
	}
	/* below the image: refused as on 6.x */
	struct machine_config c2 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "mem=8M" };
	assert_int_not_equal(machine_create(&c2, &m, err, sizeof err), 0);
	assert_null(m);
}

static uint64_t free_of(const struct machine *m)
{
	uint64_t f = 0;
	for (int i = 0; i < m->nr_zones; i++)
		f += m->zones[i].free_pages;
	return f;
}

/*
 * 2.6.32 zone_watermark_ok() for an order-10 GFP_HIGHUSER request
 * (classzone HighMem) at the min watermark, which the slow path comes
 * to: free - (2^10 - 1) above min + lowmem_reserve[HighMem], then for
 * each lower order o its blocks taken off and min halved.
 */
static bool wmark_ok_2_6_32(const struct zone *z, const uint64_t *nr_free, long long free, int classzone)
{
	long long min = (long long)z->wmark[WMARK_MIN];
	free -= (1 << 10) - 1;
	if (free <= min + (long long)z->lowmem_reserve[classzone])
		return false;
	for (int o = 0; o < 10; o++) {
		free -= (long long)(nr_free[o] << o);
		min >>= 1;
		if (free <= min)
			return false;
	}
	return true;
}

/*
 * hugepages=N (2.6.32 hugetlb_nrpages_setup(): the default hstate's
 * count) and hugetlb_init(): 4 MB pages (HUGETLB_PAGE_ORDER 10 without
 * PAE) from the buddy allocator, GFP_HIGHUSER, so HighMem first, one
 * order-10 block each; the pool keeps what it got.
 */
static void hugepages__fill_2_6_32s_pool_from_the_buddy_allocator(void **state)
{
	(void)state;
	struct machine_config c0 = { .arch = "i386", .kernel = "2.6.32" };
	struct machine *m0 = boot(&c0);
	/* every 2.6.32 kernel with hugetlbfs says so, with 0 pages */
	assert_true(has_line(m0, "HugeTLB registered 4 MB page size, pre-allocated 0 pages"));
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .cmdline = "hugepages=3" };
	struct machine *m = boot(&c);
	assert_true(has_line(m, "HugeTLB registered 4 MB page size, pre-allocated 3 pages"));
	assert_true(line_index(m, "TCP: Hash") < line_index(m, "HugeTLB registered"));
	assert_true(line_index(m, "HugeTLB registered") < line_index(m, "Freeing unused kernel memory"));
	const struct hstate_m *h = hugetlb_default_hstate(m);
	assert_non_null(h);
	assert_int_equal(h->order, 10);
	assert_int_equal(h->nr_huge_pages, 3);
	assert_int_equal(h->free_huge_pages, 3);
	assert_int_equal(free_of(m0) - free_of(m), 3 * 1024);
	int hz = 0;
	while (hz < m->nr_zones && strcmp(m->zones[hz].name, "HighMem") != 0)
		hz++;
	assert_true(hz < m->nr_zones);
	assert_int_equal(m0->zones[hz].free_area[10].nr_free - m->zones[hz].free_area[10].nr_free, 3);
	assert_int_equal(m->hugetlb.buddy_alloc_success, 3);
	machine_destroy(m);

	/* more than RAM holds: each zone gives order-10 blocks while its min
	 * watermark (with the reserve it keeps from HighMem requests)
	 * allows, worked from the free lists before hugetlb_init() */
	uint64_t want = 0;
	for (int i = 0; i < m0->nr_zones; i++) {
		const struct zone *z = &m0->zones[i];
		uint64_t nr_free[11];
		for (int o = 0; o <= 10; o++)
			nr_free[o] = z->free_area[o].nr_free;
		long long free = (long long)z->free_pages;
		while (nr_free[10] && wmark_ok_2_6_32(z, nr_free, free, hz)) {
			nr_free[10]--;
			free -= 1024;
			want++;
		}
	}
	assert_true(want > 200);
	struct machine_config cb = { .arch = "i386", .kernel = "2.6.32", .cmdline = "hugepages=1000" };
	m = boot(&cb);
	char line[96];
	snprintf(line, sizeof line, "HugeTLB registered 4 MB page size, pre-allocated %llu pages", (unsigned long long)want);
	assert_true(has_line(m, line));
	assert_int_equal(hugetlb_default_hstate(m)->nr_huge_pages, want);
	assert_int_equal(m->hugetlb.buddy_alloc_fail, 1);
	machine_destroy(m);
	machine_destroy(m0);

	/* a second hugepages= is warned about and ignored; no number is 0 */
	struct machine_config c2 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "hugepages=2 hugepages=5" };
	m = boot(&c2);
	assert_true(has_line(m, "hugepages= specified twice without interleaving hugepagesz=, ignoring"));
	assert_true(has_line(m, "HugeTLB registered 4 MB page size, pre-allocated 2 pages"));
	machine_destroy(m);
	struct machine_config c3 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "hugepages=-4" };
	m = boot(&c3);
	assert_true(has_line(m, "HugeTLB registered 4 MB page size, pre-allocated 0 pages"));
	machine_destroy(m);
	/* i386's unsigned long: 2^32 + 1 wraps to 1 */
	struct machine_config c5 = { .arch = "i386", .kernel = "2.6.32", .cmdline = "hugepages=4294967297" };
	m = boot(&c5);
	assert_true(has_line(m, "HugeTLB registered 4 MB page size, pre-allocated 1 pages"));
	machine_destroy(m);
	/* PAE: HPAGE_SHIFT is PMD_SHIFT 21 */
	struct machine_config c4 = { .arch = "i386-pae", .kernel = "2.6.32", .cmdline = "hugepages=4" };
	m = boot(&c4);
	assert_true(has_line(m, "HugeTLB registered 2 MB page size, pre-allocated 4 pages"));
	assert_int_equal(hugetlb_default_hstate(m)->order, 9);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pcpu_alloc_info__matches_real_2_6_32_kernels),
		cmocka_unit_test(pcpu_alloc_info__2_6_32_units_are_at_least_64k),
		cmocka_unit_test(boot__prints_2_6_32s_percpu_and_hash_lines_in_its_order),
		cmocka_unit_test(boot__small_machines_use_the_larger_scales),
		cmocka_unit_test(log_buf_len__replaces_the_static_buffer_when_larger),
		cmocka_unit_test(cmdline__what_2_6_32_cannot_do_is_refused),
		cmocka_unit_test(initrd__is_moved_into_lowmem_and_freed),
		cmocka_unit_test(mem__cuts_ram_and_prints_2_6_32s_user_map),
		cmocka_unit_test(mem__malformed_or_zero_is_said),
		cmocka_unit_test(hugepages__fill_2_6_32s_pool_from_the_buddy_allocator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
