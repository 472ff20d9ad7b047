/*
 * test_memmap.c - the physical map: RAM and reservations, the resource
 * tree behind /proc/iomem (kernel/resource.c insert_resource()), and the
 * import of a real /proc/iomem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kmemsh/memmap.h"

static void ram_ranges__merge_and_round_to_whole_pages(void **state)
{
	(void)state;
	struct memmap mm;
	memmap_init(&mm);
	assert_int_equal(memmap_add_ram(&mm, 0x100000, 0x200000), 0);
	assert_int_equal(memmap_add_ram(&mm, 0x200000, 0x300000), 0);   /* touches: merged */
	assert_int_equal(memmap_add_ram(&mm, 0x1000, 0x9fc00), 0);       /* PFN_DOWN of the end */
	assert_int_equal(mm.nram, 2);
	assert_int_equal(mm.ram[0].end, 0x9f000);
	assert_int_equal(mm.ram[1].start, 0x100000);
	assert_int_equal(mm.ram[1].end, 0x300000);
	assert_int_equal(memmap_ram_pages(&mm, 0, 0x1000), 0x9e + 0x200);
	assert_true(memmap_pfn_is_ram(&mm, 0x9e));
	assert_false(memmap_pfn_is_ram(&mm, 0x9f));
	memmap_reserve(&mm, 0x100800, 0x101000, "x");   /* a partly reserved page counts */
	assert_true(memmap_pfn_is_reserved(&mm, 0x100));
	assert_int_equal(memmap_reserved_pages(&mm, 0, 0x1000), 1);
	memmap_free(&mm);
}

static void resources__nest_like_insert_resource(void **state)
{
	(void)state;
	struct memmap mm;
	memmap_init(&mm);
	assert_non_null(memmap_add_resource(&mm, 0x1000000, 0x1ffffff, "Kernel code"));
	/* a larger range inserted later adopts the one it contains */
	assert_non_null(memmap_add_resource(&mm, 0x100000, 0xbfffffff, "System RAM"));
	assert_non_null(memmap_add_resource(&mm, 0xfebc0000, 0xfebdffff, "0000:00:03.0"));
	assert_non_null(memmap_add_resource(&mm, 0xfebc0000, 0xfebdffff, "e1000"));
	/* partial overlap is refused */
	assert_null(memmap_add_resource(&mm, 0xbff00000, 0xc00fffff, "bad"));
	const struct resource *r = memmap_find_resource(&mm, 0x1000010);
	assert_string_equal(r->name, "Kernel code");
	assert_string_equal(r->parent->name, "System RAM");
	r = memmap_find_resource(&mm, 0xfebc1000);
	assert_string_equal(r->name, "e1000");
	assert_null(memmap_find_resource(&mm, 0xc0000000));
	memmap_free(&mm);
}

static void iomem_import__takes_ram_and_reserves_the_kernel_image(void **state)
{
	(void)state;
	static const char text[] =
		"00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"00100000-bfffffff : System RAM\n"
		"  01000000-02276f47 : Kernel code\n"
		"  02400000-02e0cfff : Kernel rodata\n"
		"  03000000-0327c17f : Kernel data\n"
		"  03b32000-03c55fff : Kernel bss\n"
		"fec00000-fec003ff : IOAPIC 0\n"
		"100000000-63fffffff : System RAM\n";
	struct memmap mm;
	char err[128];
	memmap_init(&mm);
	assert_int_equal(memmap_parse_iomem(&mm, text, err, sizeof err), 0);
	assert_int_equal(mm.nram, 3);
	assert_int_equal(memmap_min_pfn(&mm), 1);
	assert_int_equal(memmap_max_pfn(&mm), 0x640000);
	/* memblock_reserve(_text, _end - _text): code start to bss end */
	assert_int_equal(mm.nresv, 1);
	assert_int_equal(mm.resv[0].start, 0x1000000);
	assert_int_equal(mm.resv[0].end, 0x3c56000);
	memmap_free(&mm);
}

static void iomem_import__rejects_malformed_text_with_the_line(void **state)
{
	(void)state;
	struct memmap mm;
	char err[128];
	memmap_init(&mm);
	assert_int_not_equal(memmap_parse_iomem(&mm, "00001000-0009fbff : System RAM\nnonsense\n", err, sizeof err), 0);
	assert_non_null(strstr(err, "line 2"));
	memmap_free(&mm);
	memmap_init(&mm);
	assert_int_not_equal(memmap_parse_iomem(&mm, "00000000-00000000 : System RAM\n", err, sizeof err), 0);
	assert_non_null(strstr(err, "as root"));
	memmap_free(&mm);
	memmap_init(&mm);
	assert_int_not_equal(memmap_parse_iomem(&mm, "fec00000-fec003ff : IOAPIC 0\n", err, sizeof err), 0);
	assert_non_null(strstr(err, "System RAM"));
	memmap_free(&mm);
	memmap_init(&mm);
	assert_int_not_equal(memmap_parse_iomem(&mm, "2000-1000 : System RAM\n", err, sizeof err), 0);
	memmap_free(&mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ram_ranges__merge_and_round_to_whole_pages),
		cmocka_unit_test(resources__nest_like_insert_resource),
		cmocka_unit_test(iomem_import__takes_ram_and_reserves_the_kernel_image),
		cmocka_unit_test(iomem_import__rejects_malformed_text_with_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
