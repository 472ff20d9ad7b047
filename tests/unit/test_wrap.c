/*
 * test_wrap.c - where explanatory text breaks (src/view/wrap.c): English
 * keeps the old rule (the last space at or before the edge), a Chinese
 * translation breaks between characters, measured in columns, never
 * inside a UTF-8 sequence, and never before a closing mark or after an
 * opening one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/view/view_int.h"

/* the old rule for ASCII: the whole text if it fits, else the last space
 * at or before column cols, else 0 */
static size_t old_rule(const char *p, size_t cols)
{
	size_t len = strlen(p);
	if (len <= cols)
		return len;
	size_t cut = cols;
	while (cut > 0 && p[cut] != ' ')
		cut--;
	return cut;
}

static void ascii__cuts_where_the_old_rule_cut(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"The buddy allocator took the order-3 block at pfn 0x37008 off Normal's Unmovable free list.",
		"short",
		"exactly-ten",
		"a verylongwordthatdoesnotfitanywhereonthislineatallreally and more",
		"ends with a space exactly at the edge of the line ok",
		"",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		for (size_t cols = 5; cols < 100; cols++)
			assert_int_equal(view_wrap_cut(texts[i], cols), old_rule(texts[i], cols));
}

static void chinese__breaks_between_characters_by_columns(void **state)
{
	(void)state;
	/* 伙伴系统取下了 — seven characters, three bytes and two columns each */
	const char *zh = "\xe4\xbc\x99\xe4\xbc\xb4\xe7\xb3\xbb\xe7\xbb\x9f\xe5\x8f\x96\xe4\xb8\x8b\xe4\xba\x86";
	assert_int_equal(view_wrap_cut(zh, 14), strlen(zh));        /* 14 columns: all of it */
	assert_int_equal(view_wrap_cut(zh, 13), 6 * 3);             /* six characters fit */
	assert_int_equal(view_wrap_cut(zh, 4), 2 * 3);
	for (size_t cols = 2; cols < 14; cols++)
		assert_int_equal(view_wrap_cut(zh, cols) % 3, 0);    /* never inside a character */
}

static void chinese__keeps_punctuation_with_its_word(void **state)
{
	(void)state;
	/* 内存区（Normal）。 : the bracket stays with Normal, the full stop with ） */
	const char *zh = "\xe5\x86\x85\xe5\xad\x98\xe5\x8c\xba\xef\xbc\x88Normal\xef\xbc\x89\xe3\x80\x82";
	/* 8 columns reach the opening bracket: the line ends before it */
	assert_int_equal(view_wrap_cut(zh, 8), 3 * 3);
	/* 16 columns reach the closing bracket: no break before ） or 。 */
	assert_int_equal(view_wrap_cut(zh, 16), 3 * 3);
	assert_int_equal(view_wrap_cut(zh, 18), strlen(zh));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii__cuts_where_the_old_rule_cut),
		cmocka_unit_test(chinese__breaks_between_characters_by_columns),
		cmocka_unit_test(chinese__keeps_punctuation_with_its_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
