/*
 * test_ptdump.c - `show pgtable` (src/view/ptdump.c) and the walk under it
 * (pgtable_dump_walk(), pgtable_geometry()'s level names).
 *
 * Each test builds a machine, replaces the page tables boot built with
 * tables built by hand (pgtable_init() with an early allocator handing out
 * pfns) so that every line below is worked out from a known tree, fills
 * the layout fields the markers read, and compares the dump
 * with lines worked out by hand from arch/x86/mm/dump_pagetables.c:
 *   note_page():   "0x%0*lx-0x%0*lx   " (width sizeof(unsigned long) * 2),
 *                  "%9lu%c " from "BKMGTPE" (2.6.32: delta >> 10, "KMGTPE"),
 *                  "---[ %s ]---\n", "... %lu entr%s skipped ... \n";
 *   printk_prot(): "USR "/"    ", "RW "/"ro ", "PWT "/"    ", "PCD "/"    ",
 *                  "PSE "/"    " (level <= 3), "PAT "/"    ", "GLB "/"    ",
 *                  "NX "/"x  ", 30 blanks when not present (2.6.32: no PAT
 *                  column but "pat " at level 4 in PSE's place, 26 blanks
 *                  when the protection is 0), then "%s\n" with the level.
 * The walk order, the breaks and the marker crossings are traced by hand in
 * the comments above each expected text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/view.h"

/* ---- fixture -------------------------------------------------------------- */

struct fx {
	struct machine *m;
	struct out o;
	uint64_t next_pfn;      /* the early allocator's next table page */
};

static uint64_t early_alloc(struct machine *m, void *ctx)
{
	(void)m;
	return (*(uint64_t *)ctx)++;
}

static int boot(void **state, const char *arch, const char *kernel, uint64_t mem)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];
	struct machine_config c = { .arch = arch, .kernel = kernel, .mem_bytes = mem, .ncpus = 1 };
	if (!f)
		return -1;
	if (machine_create(&c, &f->m, err, sizeof err)) {
		fprintf(stderr, "machine_create: %s\n", err);
		free(f);
		return -1;
	}
	f->next_pfn = 0x2001;
	pgtable_free(f->m);             /* boot's tables: these tests build their own */
	if (pgtable_init(f->m, 0x2000, early_alloc, &f->next_pfn)) {
		machine_destroy(f->m);
		free(f);
		return -1;
	}
	out_init_buf(&f->o);
	*state = f;
	return 0;
}

static int setup_x86_64(void **state)
{
	return boot(state, "x86_64", "6.13", 1ull << 30);
}

static int setup_x86_64_2632(void **state)
{
	return boot(state, "x86_64", "2.6.32", 1ull << 30);
}

static int setup_x86_64_1t(void **state)
{
	return boot(state, "x86_64", "6.13", 1ull << 40);
}

static int setup_i386_613(void **state)
{
	return boot(state, "i386", "6.13", 1ull << 30);
}

static int setup_i386_2632(void **state)
{
	return boot(state, "i386", "2.6.32", 1ull << 30);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	out_free(&f->o);
	pgtable_free(f->m);
	machine_destroy(f->m);
	free(f);
	return 0;
}

static const char *dump(struct fx *f, uint64_t start, uint64_t end)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	view_ptdump(&f->o, f->m, start, end);
	return f->o.buf ? f->o.buf : "";
}

/* ---- entries ------------------------------------------------------------------ */

#define P   _PAGE_PRESENT
#define RW  _PAGE_RW
#define USR _PAGE_USER
#define A   _PAGE_ACCESSED
#define D   _PAGE_DIRTY
#define G   _PAGE_GLOBAL
#define NX  _PAGE_NX

#define KERNEL_4K       (P | RW | A | D | G | NX)       /* __PAGE_KERNEL | _PAGE_GLOBAL */
#define KERNEL_LARGE    (P | RW | A | D | G | NX)       /* pgtable_map_range() adds PSE */
#define KERNEL_TEXT     (P | A | G)                     /* read-only, executable */

static void map_4k(struct fx *f, uint64_t va, uint64_t pfn, uint64_t prot)
{
	assert_int_equal(pgtable_set_pte(f->m, va, pgtable_mk_pte(f->m, pfn, prot)), 0);
}

static void map_large(struct fx *f, uint64_t va, uint64_t pa, uint64_t size, unsigned depth, uint64_t prot)
{
	assert_int_equal(pgtable_map_range(f->m, va, pa, size, depth, prot, false), 0);
}

/* Clear bits in the table entry at depth that leads to va (what a
 * set_memory_ro() on a table entry would leave). */
static void clear_table_bits(struct fx *f, uint64_t va, unsigned depth, uint64_t bits)
{
	struct pt_walk w;
	pgtable_walk(f->m, va, &w);
	assert_true(w.nsteps > (int)depth);
	struct pgtable *pt = f->m->pt;
	for (size_t k = 0; k < pt->nt; k++) {
		if (pt->t[k].pfn != w.step[depth].table_pfn)
			continue;
		uint64_t e;
		memcpy(&e, pt->t[k].e + w.step[depth].index * 8u, 8);
		e &= ~bits;
		memcpy(pt->t[k].e + w.step[depth].index * 8u, &e, 8);
		return;
	}
	fail_msg("no table at pfn %#llx", (unsigned long long)w.step[depth].table_pfn);
}

/* ---- layouts (what layout_compute() will fill; by hand here) ------------------ */

static void layout_x86_64(struct machine *m)
{
	struct kernel_layout *l = &m->layout;
	l->ldt_base = 0xffff880000000000ull;            /* LDT_PGD_ENTRY -240 << PGDIR_SHIFT */
	l->page_offset = 0xffff888000000000ull;
	l->vmalloc_start = 0xffffc90000000000ull;
	l->vmemmap_base = 0xffffea0000000000ull;
	l->cpu_entry_area_base = 0xfffffe0000000000ull;
	l->start_kernel_map = 0xffffffff80000000ull;
	l->modules_vaddr = 0xffffffffc0000000ull;       /* + KERNEL_IMAGE_SIZE 1G */
	l->modules_end = 0xffffffffff000000ull;
	l->fixaddr_start = 0xffffffffff5fb000ull;
}

static void layout_i386_613(struct machine *m)
{
	struct kernel_layout *l = &m->layout;
	l->page_offset = 0xc0000000ull;
	l->vmalloc_start = 0xf8800000ull;
	l->vmalloc_end = 0xfeffe000ull;
	l->pkmap_base = 0xff000000ull;
	l->ldt_base = 0xff400000ull;
	l->cpu_entry_area_base = 0xff800000ull;
	l->fixaddr_start = 0xfffa0000ull;
}

static void layout_i386_2632(struct machine *m)
{
	struct kernel_layout *l = &m->layout;
	l->page_offset = 0xc0000000ull;
	l->vmalloc_start = 0xf8800000ull;
	l->vmalloc_end = 0xff7fe000ull;
	l->pkmap_base = 0xff800000ull;
	l->fixaddr_start = 0xfffa0000ull;
}

/* ---- the protection columns, spelled out ----------------------------------------- */

#define BLANK30 "                              "
#define BLANK26 "                          "
/*                USR  RW  PWT  PCD  PSE  PAT  GLB  NX */
#define C_LARGE  "    RW         PSE     GLB NX "        /* KERNEL_LARGE, pmd or pud */
#define C_4K     "    RW                 GLB NX "        /* KERNEL_4K */
#define C_TEXT   "    ro         PSE     GLB x  "        /* KERNEL_TEXT, 2M */
#define C_UC     "    RW PWT PCD         GLB NX "        /* KERNEL_4K | PWT | PCD */

/* ---- x86_64, 6.13 ---------------------------------------------------------------- */

static void build_x86_64(struct fx *f)
{
	layout_x86_64(f->m);
	/* direct map: a 2M page, then three 4K pages and a hole */
	map_large(f, 0xffff888000000000ull, 0, 2ull << 20, 2, KERNEL_LARGE);
	for (unsigned i = 0; i < 3; i++)
		map_4k(f, 0xffff888000200000ull + i * 4096ull, 0x200 + i, KERNEL_4K);
	/* one vmalloc page */
	map_4k(f, 0xffffc90000000000ull, 0x300, KERNEL_4K);
	/* the kernel text: one 2M page, read-only and executable */
	map_large(f, 0xffffffff81000000ull, 0x1000000, 2ull << 20, 2, KERNEL_TEXT);
	/* an uncached fixmap page */
	map_4k(f, 0xffffffffff5fb000ull, 0xfee00, KERNEL_4K | _PAGE_PWT | _PAGE_PCD);
}

/*
 * Trace (top entries by index; levels 0 pgd .. 4 pte):
 * [0, 128T) all empty: holes at level 0, the first prints "User Space".
 * 272 (0xffff880000000000, first of the second range) is empty: it is at or
 *   beyond "Kernel Space" (1 << 63), so the user run ends there: 2^64 -
 *   120T = 16777096T.
 * 273: the 2M page breaks the hole run (512G, pgd) and is at or beyond
 *   "LDT remap" (the same address as 272), so "LDT remap" comes next; the
 *   first 4K page breaks the 2M run, which thus prints under "LDT remap",
 *   and is beyond "Low Kernel Mapping": one marker per break.
 * The 4K pages (12K), the empty ptes of their table (2036K, pte), the empty
 *   pmds (1020M, pmd), the empty puds (511G, pud) and the empty top entries
 *   up to vmalloc (64T, pgd) each end at a level change.
 * vmalloc: 4K, then 2044K pte, 1022M pmd, 511G pud, and the empty top
 *   entries up to Vmemmap (0x208000000000 = 33280G, not a whole T).
 * Vmemmap, CPU entry Area: whole empty top entries, 20T and 1T.
 * 510 (ESPfix) is empty (512G, pgd); 511 has a pud table: its empty puds
 *   are a pud run that ends at EFI_VA_END (444G), then 66G up to the pud
 *   of __START_KERNEL_map, where the empty pmds start (a level change and
 *   "High Kernel Mapping" at once).
 * The text 2M page; empty pmds end at "Modules" and "End Modules" (marker
 *   breaks without a protection change); the fixmap pte table: 4M of empty
 *   pmds, then 2028K of empty ptes up to the fixmap page, which starts
 *   "Fixmap Area"; 16K of empty ptes; then empty pmds up to the final flush
 *   at address 0: 2^64 - 0xffffffffff600000 = 10M.
 */
static const char X86_64_DUMP[] =
	"---[ User Space ]---\n"
	"0x0000000000000000-0xffff880000000000    16777096T " BLANK30 "pgd\n"
	"---[ Kernel Space ]---\n"
	"0xffff880000000000-0xffff888000000000         512G " BLANK30 "pgd\n"
	"---[ LDT remap ]---\n"
	"0xffff888000000000-0xffff888000200000           2M " C_LARGE "pmd\n"
	"---[ Low Kernel Mapping ]---\n"
	"0xffff888000200000-0xffff888000203000          12K " C_4K "pte\n"
	"0xffff888000203000-0xffff888000400000        2036K " BLANK30 "pte\n"
	"0xffff888000400000-0xffff888040000000        1020M " BLANK30 "pmd\n"
	"0xffff888040000000-0xffff890000000000         511G " BLANK30 "pud\n"
	"0xffff890000000000-0xffffc90000000000          64T " BLANK30 "pgd\n"
	"---[ vmalloc() Area ]---\n"
	"0xffffc90000000000-0xffffc90000001000           4K " C_4K "pte\n"
	"0xffffc90000001000-0xffffc90000200000        2044K " BLANK30 "pte\n"
	"0xffffc90000200000-0xffffc90040000000        1022M " BLANK30 "pmd\n"
	"0xffffc90040000000-0xffffc98000000000         511G " BLANK30 "pud\n"
	"0xffffc98000000000-0xffffea0000000000       33280G " BLANK30 "pgd\n"
	"---[ Vmemmap ]---\n"
	"0xffffea0000000000-0xfffffe0000000000          20T " BLANK30 "pgd\n"
	"---[ CPU entry Area ]---\n"
	"0xfffffe0000000000-0xffffff0000000000           1T " BLANK30 "pgd\n"
	"---[ ESPfix Area ]---\n"
	"0xffffff0000000000-0xffffff8000000000         512G " BLANK30 "pgd\n"
	"0xffffff8000000000-0xffffffef00000000         444G " BLANK30 "pud\n"
	"---[ EFI Runtime Services ]---\n"
	"0xffffffef00000000-0xffffffff80000000          66G " BLANK30 "pud\n"
	"---[ High Kernel Mapping ]---\n"
	"0xffffffff80000000-0xffffffff81000000          16M " BLANK30 "pmd\n"
	"0xffffffff81000000-0xffffffff81200000           2M " C_TEXT "pmd\n"
	"0xffffffff81200000-0xffffffffc0000000        1006M " BLANK30 "pmd\n"
	"---[ Modules ]---\n"
	"0xffffffffc0000000-0xffffffffff000000        1008M " BLANK30 "pmd\n"
	"---[ End Modules ]---\n"
	"0xffffffffff000000-0xffffffffff400000           4M " BLANK30 "pmd\n"
	"0xffffffffff400000-0xffffffffff5fb000        2028K " BLANK30 "pte\n"
	"---[ Fixmap Area ]---\n"
	"0xffffffffff5fb000-0xffffffffff5fc000           4K " C_UC "pte\n"
	"0xffffffffff5fc000-0xffffffffff600000          16K " BLANK30 "pte\n"
	"0xffffffffff600000-0x0000000000000000          10M " BLANK30 "pmd\n";

static void ptdump__x86_64_6_13__markers_levels_and_sizes_follow_note_page(void **state)
{
	struct fx *f = *state;
	build_x86_64(f);
	assert_string_equal(dump(f, 0, 0), X86_64_DUMP);
}

static void ptdump__x86_64_6_13__a_range_shows_the_runs_it_meets_under_their_headers(void **state)
{
	struct fx *f = *state;
	build_x86_64(f);
	/* one page inside the 12K run: the whole run, under its header */
	assert_string_equal(dump(f, 0xffff888000201000ull, 0xffff888000202000ull),
			    "---[ Low Kernel Mapping ]---\n"
			    "0xffff888000200000-0xffff888000203000          12K " C_4K "pte\n");
	/* the first direct-map byte: the 2M run, printed under LDT remap */
	assert_string_equal(dump(f, 0xffff888000000000ull, 0xffff888000000001ull),
			    "---[ LDT remap ]---\n"
			    "0xffff888000000000-0xffff888000200000           2M " C_LARGE "pmd\n");
	/* across a marker: the last run of End Modules, then Fixmap Area */
	assert_string_equal(dump(f, 0xffffffffff5fa000ull, 0xffffffffff5fc000ull),
			    "---[ End Modules ]---\n"
			    "0xffffffffff400000-0xffffffffff5fb000        2028K " BLANK30 "pte\n"
			    "---[ Fixmap Area ]---\n"
			    "0xffffffffff5fb000-0xffffffffff5fc000           4K " C_UC "pte\n");
	/* end is exclusive: [0xffffc90000001000, ...) is not shown */
	assert_string_equal(dump(f, 0xffffc90000000000ull, 0xffffc90000001000ull),
			    "---[ vmalloc() Area ]---\n"
			    "0xffffc90000000000-0xffffc90000001000           4K " C_4K "pte\n");
	/* the last run reaches the top (printed end 0) */
	assert_string_equal(dump(f, 0xfffffffffffff000ull, 0),
			    "---[ Fixmap Area ]---\n"
			    "0xffffffffff600000-0x0000000000000000          10M " BLANK30 "pmd\n");
	/* the guard hole is not walked: the user run covers it */
	assert_string_equal(dump(f, 0xffff800000000000ull, 0xffff800000001000ull),
			    "---[ User Space ]---\n"
			    "0x0000000000000000-0xffff880000000000    16777096T " BLANK30 "pgd\n");
}

/* Two 4K pages with the same pte protection, in two pte tables whose pmd
 * entries differ in _PAGE_RW: the effective protection breaks the run. */
static void ptdump__x86_64_6_13__effective_protection_breaks_a_run(void **state)
{
	struct fx *f = *state;
	layout_x86_64(f->m);
	map_4k(f, 0xffffc900001ff000ull, 0x400, KERNEL_4K);
	map_4k(f, 0xffffc90000200000ull, 0x401, KERNEL_4K);
	assert_string_equal(dump(f, 0xffffc900001ff000ull, 0xffffc90000201000ull),
			    "---[ vmalloc() Area ]---\n"
			    "0xffffc900001ff000-0xffffc90000201000           8K " C_4K "pte\n");
	clear_table_bits(f, 0xffffc90000200000ull, 2, _PAGE_RW);
	assert_string_equal(dump(f, 0xffffc900001ff000ull, 0xffffc90000201000ull),
			    "---[ vmalloc() Area ]---\n"
			    "0xffffc900001ff000-0xffffc90000200000           4K " C_4K "pte\n"
			    "0xffffc90000200000-0xffffc90000201000           4K " C_4K "pte\n");
}

/*
 * ESPfix Area prints 16 runs.  Pages at even indexes 0..12 and a read-only
 * page at 13: runs 1-13 alternate page and hole, 14 is the read-only page,
 * 15 the empty ptes to 2M, 16 the empty pmds to 1G; the empty puds up to
 * EFI_VA_END (top entry 511 has a pud table: the text page) are run 17,
 * not printed, and counted when the EFI marker is crossed.
 */
static void ptdump__x86_64_6_13__espfix_prints_16_runs_then_one_entry_skipped(void **state)
{
	struct fx *f = *state;
	layout_x86_64(f->m);
	for (unsigned i = 0; i <= 12; i += 2)
		map_4k(f, 0xffffff0000000000ull + i * 4096ull, 0x500 + i, KERNEL_4K);
	map_4k(f, 0xffffff000000d000ull, 0x50d, KERNEL_4K & ~_PAGE_RW);
	map_large(f, 0xffffffff81000000ull, 0x1000000, 2ull << 20, 2, KERNEL_TEXT);
	assert_string_equal(dump(f, 0xffffff0000000000ull, 0xffffffef00000000ull),
			    "---[ ESPfix Area ]---\n"
			    "0xffffff0000000000-0xffffff0000001000           4K " C_4K "pte\n"
			    "0xffffff0000001000-0xffffff0000002000           4K " BLANK30 "pte\n"
			    "0xffffff0000002000-0xffffff0000003000           4K " C_4K "pte\n"
			    "0xffffff0000003000-0xffffff0000004000           4K " BLANK30 "pte\n"
			    "0xffffff0000004000-0xffffff0000005000           4K " C_4K "pte\n"
			    "0xffffff0000005000-0xffffff0000006000           4K " BLANK30 "pte\n"
			    "0xffffff0000006000-0xffffff0000007000           4K " C_4K "pte\n"
			    "0xffffff0000007000-0xffffff0000008000           4K " BLANK30 "pte\n"
			    "0xffffff0000008000-0xffffff0000009000           4K " C_4K "pte\n"
			    "0xffffff0000009000-0xffffff000000a000           4K " BLANK30 "pte\n"
			    "0xffffff000000a000-0xffffff000000b000           4K " C_4K "pte\n"
			    "0xffffff000000b000-0xffffff000000c000           4K " BLANK30 "pte\n"
			    "0xffffff000000c000-0xffffff000000d000           4K " C_4K "pte\n"
			    "0xffffff000000d000-0xffffff000000e000           4K     ro                 GLB NX pte\n"
			    "0xffffff000000e000-0xffffff0000200000        1992K " BLANK30 "pte\n"
			    "0xffffff0000200000-0xffffff0040000000        1022M " BLANK30 "pmd\n"
			    "... 1 entry skipped ... \n");
}

/* Pages at even indexes 0..16: 17 one-page runs, the empty ptes, pmds and
 * puds make 20; 16 are printed, 4 skipped.  JSON lists every run and marks
 * the ones the text leaves out. */
static void ptdump__x86_64_6_13__espfix_skips_the_runs_beyond_16_and_json_marks_them(void **state)
{
	struct fx *f = *state;
	layout_x86_64(f->m);
	for (unsigned i = 0; i <= 16; i += 2)
		map_4k(f, 0xffffff0000000000ull + i * 4096ull, 0x500 + i, KERNEL_4K);
	map_large(f, 0xffffffff81000000ull, 0x1000000, 2ull << 20, 2, KERNEL_TEXT);
	const char *text = dump(f, 0xffffff0000000000ull, 0xffffffef00000000ull);
	assert_non_null(strstr(text, "0xffffff000000f000-0xffffff0000010000           4K " BLANK30 "pte\n"
				     "... 4 entries skipped ... \n"));
	assert_null(strstr(text, "0xffffff0000010000-"));
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 1 + 16 + 1);

	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = true;
	view_ptdump(&f->o, f->m, 0xffffff0000010000ull, 0xffffff0000011000ull);
	assert_string_equal(f->o.buf,
			    "{\"area\":\"ESPfix Area\",\"start\":\"0xffffff0000010000\",\"end\":\"0xffffff0000011000\","
			    "\"size\":4096,\"level\":\"pte\",\"prot\":\"0x8000000000000163\",\"flags\":\"RW GLB NX\","
			    "\"suppressed\":true}\n");
}

static void ptdump__x86_64_6_13__json_has_one_object_per_run(void **state)
{
	struct fx *f = *state;
	build_x86_64(f);
	f->o.json = true;
	view_ptdump(&f->o, f->m, 0xffff888000000000ull, 0xffff888000400000ull);
	assert_string_equal(f->o.buf,
			    "{\"area\":\"LDT remap\",\"start\":\"0xffff888000000000\",\"end\":\"0xffff888000200000\","
			    "\"size\":2097152,\"level\":\"pmd\",\"prot\":\"0x80000000000001e3\",\"flags\":\"RW PSE GLB NX\"}\n"
			    "{\"area\":\"Low Kernel Mapping\",\"start\":\"0xffff888000200000\",\"end\":\"0xffff888000203000\","
			    "\"size\":12288,\"level\":\"pte\",\"prot\":\"0x8000000000000163\",\"flags\":\"RW GLB NX\"}\n"
			    "{\"area\":\"Low Kernel Mapping\",\"start\":\"0xffff888000203000\",\"end\":\"0xffff888000400000\","
			    "\"size\":2084864,\"level\":\"pte\",\"prot\":\"0x0\",\"flags\":\"\"}\n");
}

/* 1 TiB of direct map in 1G pages: two top entries, two pud tables, and a
 * handful of lines; the first gigabyte prints under LDT remap. */
static void ptdump__x86_64_6_13__a_1t_direct_map_is_a_few_runs(void **state)
{
	struct fx *f = *state;
	layout_x86_64(f->m);
	map_large(f, 0xffff888000000000ull, 0, 1ull << 40, 1, KERNEL_LARGE);
	assert_string_equal(dump(f, 0xffff888000000000ull, 0xffff898000000000ull),
			    "---[ LDT remap ]---\n"
			    "0xffff888000000000-0xffff888040000000           1G " C_LARGE "pud\n"
			    "---[ Low Kernel Mapping ]---\n"
			    "0xffff888040000000-0xffff898000000000        1023G " C_LARGE "pud\n");
}

/* ---- x86_64, 2.6.32 ----------------------------------------------------------------- */

/* 2.6.32 walks every top entry, the guard hole included: the user run ends
 * at 0xffff800000000000 (2^64 - 128T = 16777088T), and the first kernel
 * run covers the hole and the 2.6.32 direct map's first top entry. */
static void ptdump__x86_64_2_6_32__walks_the_guard_hole_and_prints_26_columns(void **state)
{
	struct fx *f = *state;
	struct kernel_layout *l = &f->m->layout;
	l->page_offset = 0xffff880000000000ull;
	l->vmalloc_start = 0xffffc20000000000ull;
	l->vmemmap_base = 0xffffea0000000000ull;
	l->start_kernel_map = 0xffffffff80000000ull;
	l->modules_vaddr = 0xffffffffa0000000ull;
	l->modules_end = 0xffffffffff000000ull;
	map_large(f, 0xffff880000000000ull, 0, 2ull << 20, 2, KERNEL_LARGE);
	assert_string_equal(dump(f, 0, 0xffff880000200000ull),
			    "---[ User Space ]---\n"
			    "0x0000000000000000-0xffff800000000000    16777088T " BLANK26 "pgd\n"
			    "---[ Kernel Space ]---\n"
			    "0xffff800000000000-0xffff880000000000           8T " BLANK26 "pgd\n"
			    "---[ Low Kernel Mapping ]---\n"
			    "0xffff880000000000-0xffff880000200000           2M     RW         PSE GLB NX pmd\n");
}

/* ---- i386 ------------------------------------------------------------------------- */

static void build_i386(struct fx *f)
{
	/* two 4M pages, then a pte table with a read-only and a writable page */
	map_large(f, 0xc0000000ull, 0, 8ull << 20, 0, P | RW | A | D | G);
	map_4k(f, 0xc0800000ull, 0x800, P | A | G);
	map_4k(f, 0xc0801000ull, 0x801, P | RW | A | D | G);
	map_4k(f, 0xf8800000ull, 0x900, P | RW | A | D | G);
	map_4k(f, 0xfffa0000ull, 0x901, P | USR | RW | A | D | G);
}

/*
 * 6.13, 2-level: an empty pgd entry is a hole at real_depth(3) = 0, "pgd";
 * a 4M page is noted by ptdump_pmd_entry(), "pmd".  Markers from vmalloc()
 * End on lie one pgd entry (4M) apart, so each is crossed by the next hole
 * and prints one 4M run; CPU entry area ends at the fixmap page.  The final
 * flush at 0: 2^32 - 0xfffa1000 = 380K.
 */
static void ptdump__i386_6_13__4m_pages_are_pmd_and_empty_pgd_entries_pgd(void **state)
{
	struct fx *f = *state;
	layout_i386_613(f->m);
	build_i386(f);
	assert_string_equal(dump(f, 0, 0),
			    "---[ User Space ]---\n"
			    "0x00000000-0xc0000000           3G " BLANK30 "pgd\n"
			    "---[ Kernel Mapping ]---\n"
			    "0xc0000000-0xc0800000           8M     RW         PSE     GLB x  pmd\n"
			    "0xc0800000-0xc0801000           4K     ro                 GLB x  pte\n"
			    "0xc0801000-0xc0802000           4K     RW                 GLB x  pte\n"
			    "0xc0802000-0xc0c00000        4088K " BLANK30 "pte\n"
			    "0xc0c00000-0xf8800000         892M " BLANK30 "pgd\n"
			    "---[ vmalloc() Area ]---\n"
			    "0xf8800000-0xf8801000           4K     RW                 GLB x  pte\n"
			    "0xf8801000-0xf8c00000        4092K " BLANK30 "pte\n"
			    "0xf8c00000-0xff000000         100M " BLANK30 "pgd\n"
			    "---[ vmalloc() End ]---\n"
			    "0xff000000-0xff400000           4M " BLANK30 "pgd\n"
			    "---[ Persistent kmap() Area ]---\n"
			    "0xff400000-0xff800000           4M " BLANK30 "pgd\n"
			    "---[ LDT remap ]---\n"
			    "0xff800000-0xffc00000           4M " BLANK30 "pgd\n"
			    "---[ CPU entry area ]---\n"
			    "0xffc00000-0xfffa0000        3712K " BLANK30 "pte\n"
			    "---[ Fixmap area ]---\n"
			    "0xfffa0000-0xfffa1000           4K USR RW                 GLB x  pte\n"
			    "0xfffa1000-0x00000000         380K " BLANK30 "pte\n");
}

/*
 * 2.6.32: walk_pgd_level() notes empty top entries and 4M pages alike at
 * level 1, "pgd"; ptes at 4 with "pat"/blank in PSE's column; 26 columns;
 * its own marker names ("Persisent", "Fixmap Area"), no LDT or CPU entry
 * markers.
 */
static void ptdump__i386_2_6_32__4m_pages_are_pgd_and_the_columns_are_26_wide(void **state)
{
	struct fx *f = *state;
	layout_i386_2632(f->m);
	build_i386(f);
	assert_string_equal(dump(f, 0, 0),
			    "---[ User Space ]---\n"
			    "0x00000000-0xc0000000           3G " BLANK26 "pgd\n"
			    "---[ Kernel Mapping ]---\n"
			    "0xc0000000-0xc0800000           8M     RW         PSE GLB x  pgd\n"
			    "0xc0800000-0xc0801000           4K     ro             GLB x  pte\n"
			    "0xc0801000-0xc0802000           4K     RW             GLB x  pte\n"
			    "0xc0802000-0xc0c00000        4088K " BLANK26 "pte\n"
			    "0xc0c00000-0xf8800000         892M " BLANK26 "pgd\n"
			    "---[ vmalloc() Area ]---\n"
			    "0xf8800000-0xf8801000           4K     RW             GLB x  pte\n"
			    "0xf8801000-0xf8c00000        4092K " BLANK26 "pte\n"
			    "0xf8c00000-0xff800000         108M " BLANK26 "pgd\n"
			    "---[ vmalloc() End ]---\n"
			    "0xff800000-0xffc00000           4M " BLANK26 "pgd\n"
			    "---[ Persisent kmap() Area ]---\n"
			    "0xffc00000-0xfffa0000        3712K " BLANK26 "pte\n"
			    "---[ Fixmap Area ]---\n"
			    "0xfffa0000-0xfffa1000           4K USR RW             GLB x  pte\n"
			    "0xfffa1000-0x00000000         380K " BLANK26 "pte\n");
}

/* ---- the walk and the level names ------------------------------------------------------ */

struct seen {
	uint64_t addr[8];
	unsigned depth[8];
	int n;
};

static void record(void *arg, const struct pt_dump_entry *e)
{
	struct seen *s = arg;
	if (s->n < 8) {
		s->addr[s->n] = e->addr;
		s->depth[s->n] = e->depth;
	}
	s->n++;
}

/* walk_page_range_novma(): the first entry is reported at start itself */
static void dump_walk__an_unaligned_start_is_the_first_address(void **state)
{
	struct fx *f = *state;
	struct seen s = { .n = 0 };
	pgtable_dump_walk(f->m, 0xc0001234ull, 0xc0c00000ull, record, &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.addr[0], 0xc0001234ull);
	assert_int_equal(s.addr[1], 0xc0400000ull);
	assert_int_equal(s.addr[2], 0xc0800000ull);
	assert_int_equal(s.depth[0], 0);
}

/* mm/pagewalk.c real_depth() for holes, the lowest folded callback for
 * leaves; PAE and LA57 through copies of the profiles with the flags set */
static void geometry__hole_and_leaf_levels_follow_the_generic_walker(void **state)
{
	struct fx *f = *state;
	struct pt_geometry g;
	const struct arch_profile *saved = f->m->arch;
	struct arch_profile a = *saved;

	pgtable_geometry(f->m, &g);                    /* i386 2-level */
	assert_int_equal(g.hole_name[0], PTL_PGD);
	assert_int_equal(g.leaf_name[0], PTL_PMD);
	assert_int_equal(g.hole_name[1], PTL_PTE);

	a.pae = true;
	f->m->arch = &a;
	pgtable_geometry(f->m, &g);
	assert_int_equal(g.hole_name[0], PTL_PGD);     /* pud_none() at real_depth(2) = 0 */
	assert_int_equal(g.hole_name[1], PTL_PMD);

	a.bits = 64;
	a.pae = false;
	pgtable_geometry(f->m, &g);                    /* 4-level, CONFIG_X86_5LEVEL */
	assert_int_equal(g.hole_name[0], PTL_PGD);     /* p4d_none() at real_depth(1) = 0 */
	assert_int_equal(g.hole_name[1], PTL_PUD);
	assert_int_equal(g.leaf_name[1], PTL_PUD);
	assert_int_equal(g.hole_name[2], PTL_PMD);

	a.la57 = true;
	pgtable_geometry(f->m, &g);
	assert_int_equal(g.hole_name[0], PTL_PGD);
	assert_int_equal(g.hole_name[1], PTL_P4D);
	f->m->arch = saved;
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ptdump__x86_64_6_13__markers_levels_and_sizes_follow_note_page, setup_x86_64),
		T(ptdump__x86_64_6_13__a_range_shows_the_runs_it_meets_under_their_headers, setup_x86_64),
		T(ptdump__x86_64_6_13__effective_protection_breaks_a_run, setup_x86_64),
		T(ptdump__x86_64_6_13__espfix_prints_16_runs_then_one_entry_skipped, setup_x86_64),
		T(ptdump__x86_64_6_13__espfix_skips_the_runs_beyond_16_and_json_marks_them, setup_x86_64),
		T(ptdump__x86_64_6_13__json_has_one_object_per_run, setup_x86_64),
		T(ptdump__x86_64_6_13__a_1t_direct_map_is_a_few_runs, setup_x86_64_1t),
		T(ptdump__x86_64_2_6_32__walks_the_guard_hole_and_prints_26_columns, setup_x86_64_2632),
		T(ptdump__i386_6_13__4m_pages_are_pmd_and_empty_pgd_entries_pgd, setup_i386_613),
		T(ptdump__i386_2_6_32__4m_pages_are_pgd_and_the_columns_are_26_wide, setup_i386_2632),
		T(dump_walk__an_unaligned_start_is_the_first_address, setup_i386_613),
		T(geometry__hole_and_leaf_levels_follow_the_generic_walker, setup_i386_613),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
