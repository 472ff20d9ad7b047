/*
 * test_cmdline.c - the kernel command line's words as lib/cmdline.c
 * next_arg() and kernel/params.c parse_args() split them (cmdline.c), and
 * the boot's readers of them: parse_early_param() (mem=), is_hpet_capable()
 * (nohpet) and print_unknown_bootoptions().  The expected words are worked
 * by hand from next_arg(): any isspace() ends a word outside double quotes,
 * a value's quotes are dropped, an '=' in a word's first byte does not
 * split it, "--" ends the kernel's part.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/boot_vmap.h"
#include "kmemsh/cmdline.h"
#include "kmemsh/machine.h"
#include "fixture.h"

struct word { const char *param; size_t namelen; const char *val; };

static void assert_words(const char *line, const struct word *want, size_t n, bool dashes)
{
	struct cmdline_iter it;
	cmdline_iter_init(&it, line, true);
	char *p, *v;
	size_t k;
	for (size_t i = 0; i < n; i++) {
		assert_true(cmdline_next(&it, &p, &k, &v));
		assert_string_equal(p, want[i].param);
		assert_int_equal(k, want[i].namelen);
		if (want[i].val)
			assert_string_equal(v, want[i].val);
		else
			assert_null(v);
	}
	assert_false(cmdline_next(&it, &p, &k, &v));
	assert_int_equal(it.dashes, dashes);
}

static void next_arg__spaces_quotes_equals(void **state)
{
	(void)state;
	static const struct word w1[] = { { "a", 1, NULL }, { "nohpet", 6, NULL }, { "b=c", 1, "c" } };
	assert_words(" a\tnohpet\n  b=c  ", w1, 3, false);
	static const struct word w2[] = { { "x=a b", 1, "a b" }, { "y", 1, NULL } };
	assert_words("x=\"a b\" y", w2, 2, false);
	static const struct word w3[] = { { "foo=a mem=1G", 3, "a mem=1G" } };
	assert_words("foo=\"a mem=1G\"", w3, 1, false);
	/* '=' as the first byte is no split; "==" is "=" and "" */
	static const struct word w4[] = { { "=x", 2, NULL }, { "=", 1, NULL }, { "==", 1, "" } };
	assert_words("=x = ==", w4, 3, false);
	/* a quoted word: its quotes go; a value's opening quote only */
	static const struct word w5[] = { { "a b", 3, NULL }, { "x=a b", 1, "a b" }, { "q=a\"\"", 1, "a\"\"" } };
	assert_words("\"a b\" \"x=a b\" q=a\"\"", w5, 3, false);
	static const struct word w6[] = { { "a", 1, NULL } };
	assert_words("a -- mem=1G nohpet", w6, 1, true);
	assert_words("--", NULL, 0, true);
	assert_words("   ", NULL, 0, false);
	assert_words(NULL, NULL, 0, false);
	/* after "--", the next pass goes on (start_kernel()'s set_init_arg()) */
	struct cmdline_iter it;
	char *p, *v;
	size_t k;
	cmdline_iter_init(&it, "a -- b --x", true);
	assert_true(cmdline_next(&it, &p, &k, &v));
	assert_false(cmdline_next(&it, &p, &k, &v));
	assert_true(it.dashes);
	assert_true(cmdline_next(&it, &p, &k, &v));
	assert_string_equal(p, "b");
	assert_true(cmdline_next(&it, &p, &k, &v));
	assert_string_equal(p, "--x");
	assert_false(cmdline_next(&it, &p, &k, &v));
	assert_false(it.dashes);
}

/* 2.6.32's parse_args(): "--" is a word; a quoted word without '=' keeps
 * its closing quote */
static void next_arg_2_6_32__no_dashes_stop_quote_only_with_a_value(void **state)
{
	(void)state;
	struct cmdline_iter it;
	char *p, *v;
	size_t k;
	cmdline_iter_init(&it, "\"a b\" \"x=a b\" -- c", false);
	static const char *const want[] = { "a b\"", "x=a b", "--", "c" };
	for (int i = 0; i < 4; i++) {
		assert_true(cmdline_next(&it, &p, &k, &v));
		assert_string_equal(p, want[i]);
	}
	assert_false(cmdline_next(&it, &p, &k, &v));
	assert_false(it.dashes);
}

/* parse_early_param() is parse_args() too: it stops at "--", and a quoted
 * value is one word */
static void boot__mem_and_nohpet_only_as_words(void **state)
{
	(void)state;
	const char *lines[] = { "-- mem=512M nohpet", "foo=\"a mem=512M\" hpet=\"x nohpet\"" };
	for (size_t i = 0; i < 2; i++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = lines[i] };
		struct machine *m = boot_cfg(&cfg);
		assert_false(dmesg_has(m, "e820: remove [mem 0x20000000-"));
		assert_int_equal(boot_vmap_hpet_address(m), 0xfed00000);
		machine_destroy(m);
	}
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = "quiet\tnohpet\tmem=512M" };
	struct machine *m = boot_cfg(&cfg);
	assert_true(dmesg_has(m, "e820: remove [mem 0x20000000-0xfffffffffffffffe] usable"));
	assert_int_equal(boot_vmap_hpet_address(m), 0);
	machine_destroy(m);
}

/* print_unknown_bootoptions() prints the words after repair_env_string() */
static void boot__unknown_words_as_next_arg_splits_them(void **state)
{
	(void)state;
	static const struct { const char *line, *unknown; } c[] = {
		{ "x=\"a b\" y", "y x=a b" },
		{ "=x = ==", "=x = ==" },
		{ "a\tb", "a b" },
		{ "\"c d\" -- e f=1", "c d" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = c[i].line };
		struct machine *m = boot_cfg(&cfg);
		char want[128];
		snprintf(want, sizeof want, "Unknown kernel command line parameters \"%s\", will be passed to user space.",
			 c[i].unknown);
		assert_true(dmesg_find_line(m, want) >= 0);
		machine_destroy(m);
	}
}

/* MAX_INIT_ARGS, MAX_INIT_ENVS (32): "init" and 31 words fill argv_init[],
 * "HOME=/", "TERM=linux" and 30 words envp_init[]; one more and
 * start_kernel() panics.  Words after "--" count for argv_init[]
 * (set_init_arg()).  A line longer than the boot protocol's cmdline_size
 * (COMMAND_LINE_SIZE - 1) is refused. */
static void boot__too_many_init_words_or_too_long_is_refused(void **state)
{
	(void)state;
	static const struct { int args, envs; bool dashes; const char *err; } c[] = {
		{ 31, 30, false, NULL },
		{ 32, 0, false, "--cmdline: the kernel panics: Too many boot init vars at `a31'" },
		{ 0, 31, false, "--cmdline: the kernel panics: Too many boot env vars at `e30=1'" },
		{ 32, 0, true, "--cmdline: the kernel panics: Too many boot init vars at `a31'" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char line[1024] = "";
		size_t n = 0;
		for (int j = 0; j < c[i].envs; j++)
			n += (size_t)snprintf(line + n, sizeof line - n, "e%d=1 e%d=2 ", j, j);
		if (c[i].dashes)
			n += (size_t)snprintf(line + n, sizeof line - n, "-- ");
		for (int j = 0; j < c[i].args; j++)
			n += (size_t)snprintf(line + n, sizeof line - n, "a%d ", j);
		struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = line };
		struct machine *m = NULL;
		char err[256] = "";
		int r = machine_create(&cfg, &m, err, sizeof err);
		if (!c[i].err) {
			assert_int_equal(r, 0);
			assert_true(dmesg_has(m, "\"a0 a1 "));
			assert_true(dmesg_has(m, " a30 e0=2 e1=2 "));
			assert_true(dmesg_has(m, " e29=2\", will be passed"));
			machine_destroy(m);
		} else {
			assert_int_not_equal(r, 0);
			assert_string_equal(err, c[i].err);
		}
	}
	char *big = malloc(2049);
	assert_non_null(big);
	memset(big, 'x', 2048);
	big[2048] = '\0';
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = big };
	struct machine *m = NULL;
	char err[256];
	assert_int_not_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	assert_string_equal(err, "--cmdline: longer than the boot protocol's 2047 bytes (COMMAND_LINE_SIZE - 1)");
	big[2047] = '\0';
	m = boot_cfg(&cfg);
	machine_destroy(m);
	free(big);
}

/* hugepages= (a __setup of mm/hugetlb.c, parse_args() "Booting kernel")
 * and log_buf_len= (bootmem's in 2.6.32) are words too */
static void boot__hugepages_and_log_buf_len_only_as_words(void **state)
{
	(void)state;
	static const struct { const char *arch, *kernel, *line, *want; } c[] = {
		{ "x86_64", "6.13", "-- hugepages=4", "HugeTLB: registered 2.00 MiB page size, pre-allocated 0 pages" },
		{ "x86_64", "6.13", "x=\"a hugepages=4\"", "HugeTLB: registered 2.00 MiB page size, pre-allocated 0 pages" },
		{ "x86_64", "6.13", "a\thugepages=4", "HugeTLB: registered 2.00 MiB page size, pre-allocated 4 pages" },
		{ "i386", "2.6.32", "x=\"a hugepages=4\"", "HugeTLB registered 4 MB page size, pre-allocated 0 pages" },
		{ "i386", "2.6.32", "a\thugepages=4", "HugeTLB registered 4 MB page size, pre-allocated 4 pages" },
		{ "i386", "2.6.32", "x=\"a log_buf_len=4M\" log_buf_len=1M", "log_buf_len: 1048576" },
		/* 2.6.32's parse_args() has no "--" stop */
		{ "i386", "2.6.32", "-- log_buf_len=4M", "log_buf_len: 4194304" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct machine_config cfg = { .arch = c[i].arch, .kernel = c[i].kernel, .cmdline = c[i].line };
		struct machine *m = boot_cfg(&cfg);
		assert_true(dmesg_find_line(m, c[i].want) >= 0);
		machine_destroy(m);
	}
}

/* kernel/crash_core.c get_last_crashkernel() is no parse_args(): it
 * strstr()s the whole line and ends a value at the next ' ', so a
 * crashkernel= after "--" counts */
static void boot__crashkernel_is_found_past_dashes(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .cmdline = "quiet -- crashkernel=64M" };
	struct machine *m = boot_cfg(&cfg);
	long at = dmesg_find(m, "crashkernel reserved: ");
	assert_true(at >= 0);
	assert_non_null(strstr(dmesg_text(m, (size_t)at), " (64 MB)"));
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_arg__spaces_quotes_equals),
		cmocka_unit_test(next_arg_2_6_32__no_dashes_stop_quote_only_with_a_value),
		cmocka_unit_test(boot__mem_and_nohpet_only_as_words),
		cmocka_unit_test(boot__unknown_words_as_next_arg_splits_them),
		cmocka_unit_test(boot__hugepages_and_log_buf_len_only_as_words),
		cmocka_unit_test(boot__crashkernel_is_found_past_dashes),
		cmocka_unit_test(boot__too_many_init_words_or_too_long_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
