/*
 * test_boot_early.c - the lines a kernel prints before it parses its
 * command line (boot.c early_boot_messages(), e820_trim_messages()) and
 * the command line's unknown words (print_unknown_bootoptions()).
 *
 * With the real machines' /proc/iomem (tests/data, copied from
 * /work/shared/reference/real-kernels) the lines must be the real dmesg.txt's,
 * byte for byte; the expected texts below are copied from those files.  The
 * default machines' maps are worked by hand from boot.c build_default_map()
 * (640K less the EBDA's 1K, the BIOS ROM at 0xf0000, RAM from 1M to the PCI
 * hole at 3G, the rest from 4G, the firmware's 256K at 0xfffc0000).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kmemsh/machine.h"
#include "fixture.h"

/* lines [at, at + n) of dmesg are want[0..n) */
static void assert_lines_from(const struct machine *m, long at, const char *const *want, size_t n)
{
	assert_true(at >= 0);
	for (size_t i = 0; i < n; i++) {
		assert_true((size_t)at + i < m->dmesg.n);
		assert_string_equal(dmesg_text(m, (size_t)at + i), want[i]);
	}
}

static void amd64_6_1__early_lines_are_the_real_dmesgs(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/amd64-6.1-qemu-4G.iomem");
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .nogbpages = true,
				      .cmdline = "console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 "
						 "log_buf_len=4M transparent_hugepage=never nokaslr" };
	struct machine *m = boot_cfg(&cfg);
	/* amd64-6.1-4G-2cpu-nokaslr-thpnever/dmesg.txt lines 1-11 */
	static const char *const head[] = {
		("Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) "
		 "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)"),
		("Command line: console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 log_buf_len=4M "
		 "transparent_hugepage=never nokaslr"),
		"BIOS-provided physical RAM map:",
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
		"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
		"BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable",
		"BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved",
		"BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
		"BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable",
		"BIOS-e820: [mem 0x000000fd00000000-0x000000ffffffffff] reserved",
	};
	assert_lines_from(m, (long)m->dmesg.start, head, sizeof head / sizeof head[0]);
	/* lines 30, 31, 33, 35, in that order */
	static const char *const trim[] = {
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved",
		"e820: remove [mem 0x000a0000-0x000fffff] usable",
		"last_pfn = 0x140000 max_arch_pfn = 0x400000000",
		"last_pfn = 0xbffe0 max_arch_pfn = 0x400000000",
	};
	assert_lines_from(m, dmesg_find_line(m, trim[0]), trim, sizeof trim / sizeof trim[0]);
	/* lines 110-111 */
	long k = dmesg_find(m, "Kernel command line: ");
	assert_true(k >= 0);
	assert_string_equal(dmesg_text(m, (size_t)k + 1),
			    "Unknown kernel command line parameters \"nokaslr\", will be passed to user space.");
	machine_destroy(m);
	free(iomem);
}

static void i386_6_1__early_lines_are_the_real_dmesgs(void **state)
{
	(void)state;
	char *iomem = slurp("tests/data/i386-6.1-qemu-1G.iomem");
	struct machine_config cfg = { .arch = "i386", .kernel = "6.1", .iomem_text = iomem, .ncpus = 2,
				      .cmdline = "console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 "
						 "log_buf_len=4M " };
	struct machine *m = boot_cfg(&cfg);
	/* i386-6.1-1G-2cpu/dmesg.txt lines 1-8: no "Command line:" on i386 */
	static const char *const head[] = {
		("Linux version 6.1.0-50-686 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) "
		 "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)"),
		"BIOS-provided physical RAM map:",
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
		"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
		"BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
		"BIOS-e820: [mem 0x0000000000100000-0x000000003ffdffff] usable",
		"BIOS-e820: [mem 0x000000003ffe0000-0x000000003fffffff] reserved",
		"BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
	};
	assert_lines_from(m, (long)m->dmesg.start, head, sizeof head / sizeof head[0]);
	/* lines 27-29: one last_pfn, RAM ends below 4G */
	static const char *const trim[] = {
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved",
		"e820: remove [mem 0x000a0000-0x000fffff] usable",
		"last_pfn = 0x3ffe0 max_arch_pfn = 0x100000",
	};
	assert_lines_from(m, dmesg_find_line(m, trim[0]), trim, sizeof trim / sizeof trim[0]);
	assert_int_equal(dmesg_find(m, "Command line: console"), -1);
	assert_int_equal(dmesg_find(m, "last_pfn = "), dmesg_find_line(m, trim[2]));
	/* every word known: no Unknown line (the real log has none) */
	assert_false(dmesg_has(m, "Unknown kernel command line"));
	machine_destroy(m);
	free(iomem);
}

/* 2.6.32: e820_print_map()'s " BIOS-e820: START - END (TYPE)", the end
 * exclusive; no trim_bios_range(); last_pfn for max_pfn and, above 4G on
 * x86_64, max_low_pfn.  6G: 3G below the hole (0xc0000 pfns), 3G above 4G
 * (to 0x1c0000). */
static void x86_64_2_6_32__old_map_format_and_both_last_pfns(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "2.6.32", .mem_bytes = 6ull << 30,
				      .cmdline = "quiet" };
	struct machine *m = boot_cfg(&cfg);
	static const char *const want[] = {
		"Command line: quiet",
		"BIOS-provided physical RAM map:",
		" BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)",
		" BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)",
		" BIOS-e820: 00000000000f0000 - 0000000000100000 (reserved)",
		" BIOS-e820: 0000000000100000 - 00000000c0000000 (usable)",
		" BIOS-e820: 00000000fffc0000 - 0000000100000000 (reserved)",
		" BIOS-e820: 0000000100000000 - 00000001c0000000 (usable)",
		"last_pfn = 0x1c0000 max_arch_pfn = 0x400000000",
		"last_pfn = 0xc0000 max_arch_pfn = 0x400000000",
	};
	assert_true(strncmp(dmesg_text(m, m->dmesg.start), "Linux version 2.6.32 ", 21) == 0);
	assert_lines_from(m, (long)m->dmesg.start + 1, want, sizeof want / sizeof want[0]);
	assert_false(dmesg_has(m, "e820: update"));
	assert_false(dmesg_has(m, "Unknown kernel command line"));
	machine_destroy(m);
}

/* MAX_ARCH_PFN: 1 << (36 - 12) with PAE, and no second last_pfn on 32-bit
 * (find_low_pfn_range() prints none) even with RAM above 4G: 6G gives
 * 3G below the hole and 3G from 4G, to pfn 0x1c0000 */
static void i386_pae_6_13__max_arch_pfn_is_36_bits(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386-pae", .kernel = "6.13", .mem_bytes = 6ull << 30 };
	struct machine *m = boot_cfg(&cfg);
	long at = dmesg_find(m, "last_pfn = ");
	assert_true(at >= 0);
	assert_string_equal(dmesg_text(m, (size_t)at), "last_pfn = 0x1c0000 max_arch_pfn = 0x1000000");
	assert_true(strncmp(dmesg_text(m, (size_t)at + 1), "last_pfn", 8) != 0);
	machine_destroy(m);
}

/* mem= (6.x parse_memopt()) comes after the BIOS map and cuts last_pfn:
 * 2G is pfn 0x80000, below 4G, so one last_pfn */
static void x86_64_6_13__mem_cuts_last_pfn(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = "mem=2G" };
	struct machine *m = boot_cfg(&cfg);
	long bios = dmesg_find_line(m, "BIOS-provided physical RAM map:");
	long rm = dmesg_find_line(m, "e820: remove [mem 0x80000000-0xfffffffffffffffe] usable");
	long last = dmesg_find_line(m, "last_pfn = 0x80000 max_arch_pfn = 0x400000000");
	assert_true(bios >= 0 && rm > bios && last > rm);
	assert_false(dmesg_has(m, "last_pfn = 0x140000"));
	machine_destroy(m);
}

/* init/main.c unknown_bootoption() and print_unknown_bootoptions(): words
 * without '=' (argv_init) first, then those with (envp_init: a repeated
 * NAME= keeps its first place and takes the last value; TERM= replaces
 * envp_init[1], which is not printed); a '.' in the name is a module's;
 * known __setup/early_param/core_param names stay in the kernel; "--" ends
 * the kernel's words */
static void unknown_bootoptions__argv_then_envp_as_init_main_c(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13",
				      .cmdline = "BOOT_IMAGE=/boot/vmlinuz-6.13.7 root=/dev/vda1 ro foo=1 quiet "
						 "splash foo=2 TERM=linux usbcore.autosuspend=-1 nokaslr bar=x -- zz" };
	struct machine *m = boot_cfg(&cfg);
	assert_true(dmesg_find_line(m, "Unknown kernel command line parameters \"splash nokaslr "
				       "BOOT_IMAGE=/boot/vmlinuz-6.13.7 foo=2 bar=x\", will be passed to user space.") >= 0);
	machine_destroy(m);
	/* 32-bit x86 has vmalloc= (parse_vmalloc()); x86_64 passes it on */
	struct machine_config c2 = { .arch = "x86_64", .kernel = "6.13", .cmdline = "vmalloc=256M" };
	m = boot_cfg(&c2);
	assert_true(dmesg_has(m, "Unknown kernel command line parameters \"vmalloc=256M\""));
	machine_destroy(m);
	struct machine_config c3 = { .arch = "i386", .kernel = "6.13", .cmdline = "vmalloc=256M" };
	m = boot_cfg(&c3);
	assert_false(dmesg_has(m, "Unknown kernel command line"));
	machine_destroy(m);
	/* a 686 kernel has no CONFIG_NUMA, a SLAB build no mm/slub.c */
	struct machine_config c4 = { .arch = "i386", .kernel = "6.1", .slab = "slab",
				     .cmdline = "numa=off slub_debug nogbpages" };
	m = boot_cfg(&c4);
	assert_true(dmesg_find_line(m, "Unknown kernel command line parameters \"slub_debug nogbpages numa=off\", "
				       "will be passed to user space.") >= 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amd64_6_1__early_lines_are_the_real_dmesgs),
		cmocka_unit_test(i386_6_1__early_lines_are_the_real_dmesgs),
		cmocka_unit_test(x86_64_2_6_32__old_map_format_and_both_last_pfns),
		cmocka_unit_test(i386_pae_6_13__max_arch_pfn_is_36_bits),
		cmocka_unit_test(x86_64_6_13__mem_cuts_last_pfn),
		cmocka_unit_test(unknown_bootoptions__argv_then_envp_as_init_main_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
