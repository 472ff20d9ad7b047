/*
 * test_memstore.c - the contents of handed-out pages, checked accesses,
 * and KASAN's reports (6.13 mm/kasan/report.c, report_generic.c,
 * kasan.h; CONFIG_KASAN_GENERIC on x86_64).
 *
 * Expected report lines are built here from the kernel's own format
 * strings (quoted beside each), with %px as 16 hex digits, %pS as the
 * model's reporting function and the kernel's "%#lx" (which prints 0 as
 * "0x0") as "0x%llx".  Shadow bytes follow mm/kasan/kasan.h's values and
 * the rules of kasan_unpoison() (k accessible bytes of a granule: k),
 * KASAN_SLAB_REDZONE 0xfc, KASAN_SLAB_FREE_META 0xfa then KASAN_SLAB_FREE
 * 0xfb for a freed object, KASAN_PAGE_FREE 0xff, KASAN_PAGE_REDZONE 0xfe.
 *
 * The default machines: i386 2.6.32 (SLAB, no KASAN) has holes at pfn
 * 0x9f-0xff and the kernel image reserved from pfn 0x1000; x86_64 6.13
 * (SLUB, KASAN) has the same hole.
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
#include <unistd.h>

#include "kmemsh/buddy.h"
#include "kmemsh/memstore.h"
#include "kmemsh/memview.h"
#include "kmemsh/slab.h"
#include "fixture.h"

typedef unsigned long long ull;

#define HOLE_PFN 0xa0                   /* legacy VGA memory: not RAM */
#define REPORT_IP "kmemsh_command+0x0/0x0"
#define RULE "=================================================================="

/* x86_64 machines are built with KASAN (--kasan); i386 has none */
static struct machine *boot(const char *arch)
{
	struct machine_config cfg = { .arch = arch, .ncpus = 1, .kasan = strcmp(arch, "i386") != 0 };
	return boot_cfg(&cfg);
}

static int setup_i386(void **state)
{
	*state = boot("i386");
	return 0;
}

static int setup_x86_64(void **state)
{
	*state = boot("x86_64");
	return 0;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

/* alloc_pages(flags, order): the block's address */
static uint64_t alloc_block(struct machine *m, const char *flags, unsigned order, uint64_t *pfn)
{
	uint64_t p;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, flags), order, &p), 0);
	if (pfn)
		*pfn = p;
	return machine_pfn_to_vaddr(m, p);
}

static uint64_t kmalloc(struct machine *m, size_t size)
{
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, size, gfp(m, "GFP_KERNEL"), &a), 0);
	assert_true(a > ZERO_SIZE_PTR);
	return a;
}

static uint64_t read8(struct machine *m, uint64_t addr)
{
	uint64_t v = 0;
	assert_int_equal(memstore_read(m, addr, 8, &v, NULL), 0);
	return v;
}

/* ---- what a refused access must leave alone ---------------------------------------- */

struct snap {
	uint64_t free_pages, alloc_blocks;
	size_t stored, dmesg;
	unsigned long taint;
};

static void snap(const struct machine *m, struct snap *s)
{
	memset(s, 0, sizeof *s);
	for (int z = 0; z < m->nr_zones; z++)
		s->free_pages += m->zones[z].free_pages;
	s->alloc_blocks = m->nr_alloc_blocks;
	s->stored = memstore_nr_pages(m);
	s->dmesg = m->dmesg.n;
	s->taint = m->taint;
}

static void assert_unchanged(struct machine *m, const struct snap *before, bool dmesg_too)
{
	struct snap now;
	snap(m, &now);
	assert_int_equal(now.free_pages, before->free_pages);
	assert_int_equal(now.alloc_blocks, before->alloc_blocks);
	assert_int_equal(now.stored, before->stored);
	if (dmesg_too) {
		assert_int_equal(now.dmesg, before->dmesg);
		assert_int_equal(now.taint, before->taint);
	}
	assert_int_equal(machine_check(m), 0);
}

/* ---- expected dmesg lines --------------------------------------------------------------- */

struct lines {
	char v[48][200];
	size_t n;
};

static void add(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct lines *l, const char *fmt, ...)
{
	assert_true(l->n < 48);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->v[l->n++], sizeof l->v[0], fmt, ap);
	va_end(ap);
}

/* dmesg from `at` holds exactly these lines, in order */
static void assert_dmesg(const struct machine *m, size_t at, const struct lines *l)
{
	assert_true(at + l->n <= m->dmesg.n);
	for (size_t i = 0; i < l->n; i++)
		assert_string_equal(dmesg_text(m, at + i), l->v[i]);
}

/* the head of every report: start_report(), print_error_description()
 * ("BUG: KASAN: %s in %pS", "%s of size %zu at addr %px by task %s/%d"),
 * pr_err("\n"), dump_stack_lvl()'s first line (with the taint as it was
 * before the report) and, once tainted, its "Tainted: [B]=BAD_PAGE", then (with metadata) print_address_description()'s
 * pr_err("\n") */
static void report_head(struct lines *l, const char *tainted, const char *bug, bool write, size_t size, uint64_t addr,
			bool meta)
{
	add(l, "%s", RULE);
	add(l, "BUG: KASAN: %s in %s", bug, REPORT_IP);
	add(l, "%s of size %zu at addr %016llx by task %s/%d", write ? "Write" : "Read", size, (ull)addr, "kmemsh", 1);
	add(l, "%s", "");
	add(l, "CPU: 0 UID: 0 PID: 1 Comm: kmemsh %s 6.13.7 #1", tainted);
	if (strcmp(tainted, "Not tainted"))     /* print_tainted_verbose(): these tests taint only B */
		add(l, "%s", "Tainted: [B]=BAD_PAGE");
	if (meta)
		add(l, "%s", "");
}

/* describe_object_stacks(): print_track() ("%s by task %u:") with the one
 * modelled frame (stack_trace_print(): " %pS"), then pr_err("\n") */
static void report_track(struct lines *l, const char *prefix)
{
	add(l, "%s by task %u:", prefix, 1u);
	add(l, " %s", REPORT_IP);
	add(l, "%s", "");
}

/* describe_object_addr() */
static void report_object(struct lines *l, uint64_t object, const char *cache, unsigned object_size, int rel_bytes,
			  const char *rel_type, const char *state, size_t alloc_size)
{
	add(l, "The buggy address belongs to the object at %016llx", (ull)object);
	add(l, " which belongs to the cache %s of size %d", cache, (int)object_size);
	add(l, "The buggy address is located %d bytes %s of", rel_bytes, rel_type);
	add(l, " %s%zu-byte region [%016llx, %016llx)", state, alloc_size, (ull)object, (ull)(object + alloc_size));
	add(l, "%s", "");
}

/* the zone number in page->flags and %pGp: the kernel's zone index */
static int zone_of(const struct machine *m, uint64_t pfn)
{
	return m->zones[machine_pfn_zone(m, pfn)].idx;
}

/* "The buggy address belongs to the physical page:", __dump_folio()
 * ("page: refcount:%d mapcount:%d mapping:%p index:%#lx pfn:%#lx",
 * "head: order:%u mapcount:%d entire_mapcount:%d nr_pages_mapped:%d
 * pincount:%d", "%sflags: %pGp%s", "page_type: %x(%s)"), dump_page()'s
 * "page dumped because: %s", pr_err("\n").  %pGp: the flags in hex, then
 * the set flags' names and node=/zone= (the zone at bit 56) */
static void report_page(struct lines *l, const struct machine *m, uint64_t pfn, int refcount, uint64_t index,
			int head_order, const char *page_type)
{
	int zone = zone_of(m, pfn);
	add(l, "The buggy address belongs to the physical page:");
	add(l, "page: refcount:%d mapcount:%d mapping:%016llx index:0x%llx pfn:0x%llx", refcount, 0, 0ull, (ull)index,
	    (ull)pfn);
	if (head_order >= 0)
		add(l, "head: order:%u mapcount:%d entire_mapcount:%d nr_pages_mapped:%d pincount:%d",
		    (unsigned)head_order, 0, 0, 0, 0);
	uint64_t flags = (uint64_t)zone << 56 | (head_order >= 0 ? 1ull << 6 : 0);
	add(l, "flags: 0x%llx(%snode=%d|zone=%d)", (ull)flags, head_order >= 0 ? "head|" : "", 0, zone);
	if (page_type)
		add(l, "page_type: %s", page_type);
	add(l, "page dumped because: %s", "kasan: bad access detected");
	add(l, "%s", "");
}

/*
 * print_memory_metadata(): "Memory state around the buggy address:", then
 * five rows (" %px: " / ">%px: " and 16 shadow bytes as print_hex_dump()
 * DUMP_PREFIX_NONE groups them), the middle row holding `bad` followed by
 * "%*c" '^' at meta_pointer_offset() = 3 + 16 + (bad - row) / 8 * 3 + 1.
 * Checks the layout, and that the shadow bytes for [at, at + n * 8) in
 * that row are want[0..n).  Returns the line after the rows.
 */
static size_t assert_memory_state(const struct machine *m, size_t i, uint64_t bad, uint64_t at, const uint8_t *want,
				  size_t n)
{
	assert_string_equal(dmesg_text(m, i++), "Memory state around the buggy address:");
	uint64_t row = (bad & ~127ull) - 2 * 128;
	for (int r = -2; r <= 2; r++, row += 128) {
		const char *t = dmesg_text(m, i++);
		char prefix[24];
		snprintf(prefix, sizeof prefix, r == 0 ? ">%016llx: " : " %016llx: ", (ull)row);
		assert_int_equal(strncmp(t, prefix, strlen(prefix)), 0);
		assert_int_equal(strlen(t), strlen(prefix) + 16 * 3 - 1);
		if (at >= row && at < row + 128) {
			size_t col = strlen(prefix) + (size_t)(at - row) / 8 * 3;
			for (size_t k = 0; k < n && col + k * 3 + 2 <= strlen(t); k++) {
				char hex[3];
				snprintf(hex, sizeof hex, "%02x", want[k]);
				assert_memory_equal(t + col + k * 3, hex, 2);
			}
		}
		if (r == 0) {
			char caret[80];
			snprintf(caret, sizeof caret, "%*c", 3 + 16 + (int)((bad - row) / 8) * 3 + 1, '^');
			assert_string_equal(dmesg_text(m, i++), caret);
		}
	}
	return i;
}

/* end_report(): the rule, and add_taint()'s message the first time */
static void assert_report_end(const struct machine *m, size_t i, bool first)
{
	assert_string_equal(dmesg_text(m, i), RULE);
	if (first)
		assert_string_equal(dmesg_text(m, i + 1), "Disabling lock debugging due to kernel taint");
	assert_int_equal(m->dmesg.n, i + 1 + first);
	assert_true(m->taint & (1ul << TAINT_BAD_PAGE));
}

/* ---- fresh pages -------------------------------------------------------------------------- */

/* get_zeroed_page(): __GFP_ZERO, prep_zero_page() */
static void fresh_page__gfp_zero__reads_zeros(void **state)
{
	struct machine *m = *state;
	uint64_t a = alloc_block(m, "GFP_KERNEL|__GFP_ZERO", 0, NULL);
	assert_int_equal(read8(m, a), 0);
	assert_int_equal(read8(m, a + 4088), 0);
}

/* 2.6.32 has no init_on_alloc: a page holds what its last owner left,
 * which the model shows as PAGE_POISON */
static void fresh_page__2_6_32_without_gfp_zero__reads_page_poison(void **state)
{
	struct machine *m = *state;
	assert_false(memstore_init_on_alloc(m));
	uint64_t a = alloc_block(m, "GFP_KERNEL", 1, NULL);
	assert_int_equal(read8(m, a), 0xaaaaaaaaaaaaaaaaull);
	assert_int_equal(read8(m, a + 8184), 0xaaaaaaaaaaaaaaaaull);
	assert_int_equal(MEM_PAGE_POISON, 0xaa);
}

/* 6.13 as Debian builds it: CONFIG_INIT_ON_ALLOC_DEFAULT_ON, so
 * want_init_on_alloc() zeroes every page */
static void fresh_page__6_13_init_on_alloc__zeroes_every_page(void **state)
{
	struct machine *m = *state;
	assert_true(memstore_init_on_alloc(m));
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, NULL);
	assert_int_equal(read8(m, a + 64), 0);
}

/* init_on_alloc=0: only __GFP_ZERO zeroes */
static void fresh_page__6_13_init_on_alloc_off__zeroes_only_with_gfp_zero(void **state)
{
	struct machine *m = *state;
	assert_int_equal(memstore_set_init_on_alloc(m, false), 0);
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, NULL);
	uint64_t z = alloc_block(m, "GFP_KERNEL|__GFP_ZERO", 0, NULL);
	assert_int_equal(read8(m, a), 0xaaaaaaaaaaaaaaaaull);
	assert_int_equal(read8(m, z), 0);
}

/* KASAN: x86_64 only (HAVE_ARCH_KASAN), since 4.0; init_on_alloc: 5.3 */
static void settings__refused_where_the_kernel_has_no_such_option(void **state)
{
	struct machine *m = *state;
	assert_false(memstore_kasan(m));
	assert_int_equal(memstore_set_kasan(m, true), -EINVAL);
	assert_int_equal(memstore_set_init_on_alloc(m, true), -EINVAL);
	assert_int_equal(memstore_set_kasan(m, false), 0);
	assert_false(memstore_kasan(m));
	struct machine *x = boot("x86_64");
	assert_true(memstore_kasan(x));
	machine_destroy(x);
	/* a 6.13 kernel without CONFIG_KASAN (Debian's) has none until asked */
	struct machine_config cfg = { .arch = "x86_64" };
	char err[256];
	assert_int_equal(machine_create(&cfg, &x, err, sizeof err), 0);
	assert_false(memstore_kasan(x));
	machine_destroy(x);
}

/* ---- round trips -------------------------------------------------------------------------- */

static void write_read__page_block__round_trips_little_endian(void **state)
{
	struct machine *m = *state;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 1, NULL);
	assert_int_equal(memstore_write(m, a + 16, 0x0102030405060708ull, 8, NULL), 0);
	uint64_t v;
	assert_int_equal(memstore_read(m, a + 16, 1, &v, NULL), 0);
	assert_int_equal(v, 0x08);
	assert_int_equal(memstore_read(m, a + 16, 2, &v, NULL), 0);
	assert_int_equal(v, 0x0708);
	assert_int_equal(memstore_read(m, a + 20, 4, &v, NULL), 0);
	assert_int_equal(v, 0x01020304);
	/* a store across the block's two pages */
	assert_int_equal(memstore_write(m, a + 4094, 0xbeef, 4, NULL), 0);
	uint8_t b[8];
	assert_int_equal(mem_readbuf(m, a + 4092, b, sizeof b, NULL), 0);
	const uint8_t want[8] = { 0xaa, 0xaa, 0xef, 0xbe, 0x00, 0x00, 0xaa, 0xaa };
	assert_memory_equal(b, want, sizeof b);
	assert_int_equal(memstore_nr_pages(m), 2);
	/* memset through the checked path */
	assert_int_equal(mem_memset(m, a + 100, 0x41, 3, NULL), 0);
	assert_int_equal(memstore_read(m, a + 99, 4, &v, NULL), 0);
	assert_int_equal(v, 0x414141aa);
	assert_int_equal(machine_check(m), 0);
}

/* kmalloc memory: the slab layer keeps the bytes; the store holds none */
static void write_read__kmalloc_object__round_trips_through_the_slab_layer(void **state)
{
	struct machine *m = *state;
	uint64_t p = kmalloc(m, 100);
	struct mem_access_result r;
	assert_int_equal(memstore_write(m, p + 96, 0xdeadbeef, 4, &r), 0);
	assert_int_equal(r.kind, MEM_SLAB);
	assert_int_equal(r.start, p);
	assert_int_equal(r.end, p + 100);
	uint64_t v;
	assert_int_equal(memstore_read(m, p + 96, 4, &v, NULL), 0);
	assert_int_equal(v, 0xdeadbeef);
	uint8_t b[4];
	assert_int_equal(slab_read(m, p + 96, b, 4), 0);
	assert_int_equal(b[0], 0xef);
	assert_int_equal(b[3], 0xde);
	assert_int_equal(memstore_nr_pages(m), 0);
	assert_int_equal(machine_check(m), 0);
}

static void write__bad_size_or_wide_value__is_refused(void **state)
{
	struct machine *m = *state;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, NULL);
	assert_int_equal(memstore_write(m, a, 1, 3, NULL), -EINVAL);
	assert_int_equal(memstore_write(m, a, 0x100, 1, NULL), -EINVAL);
	uint64_t v;
	assert_int_equal(memstore_read(m, a, 16, &v, NULL), -EINVAL);
	assert_int_equal(mem_memset(m, a, 0, 0, NULL), -EINVAL);
	assert_int_equal(memstore_nr_pages(m), 0);
}

/* ---- refused accesses ------------------------------------------------------------------------ */

/* 2.6.32 (no KASAN): each refusal is one line in m->err and nothing else */
static void refused__free_hole_past_end_user__leave_the_model_unchanged(void **state)
{
	struct machine *m = *state;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, NULL);
	assert_int_equal(memstore_write(m, a + 4000, 0x1111111111111111ull, 8, NULL), 0);
	uint64_t free_va = machine_pfn_to_vaddr(m, 0x200);
	struct page_info pi;
	buddy_page_info(m, 0x200, &pi);
	assert_int_equal(pi.state, PS_FREE);
	const struct {
		uint64_t addr;
		size_t len;
		enum mem_kind kind;
		enum mem_bug bug;
	} cases[] = {
		{ free_va, 8, MEM_FREE, MEM_USE_AFTER_FREE },
		{ machine_pfn_to_vaddr(m, HOLE_PFN), 8, MEM_HOLE, MEM_BAD_ADDRESS },
		{ a + 4092, 8, MEM_PAGES, MEM_OUT_OF_BOUNDS },
		{ 0x08048000, 4, MEM_USER, MEM_BAD_ADDRESS },
		{ 0x10, 4, MEM_USER, MEM_BAD_ADDRESS },
		{ machine_pfn_to_vaddr(m, 0x1000), 4, MEM_RESERVED, MEM_NO_CONTENTS },
		{ 0xfffff000, 4, MEM_NOT_DIRECT, MEM_BAD_ADDRESS },
	};
	struct snap before;
	snap(m, &before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct mem_access_result r;
		unsigned size = cases[i].len > 4 ? 8 : 4;
		assert_int_equal(memstore_write(m, cases[i].addr, 0x42, size, &r), -EFAULT);
		assert_int_equal(r.kind, cases[i].kind);
		assert_int_equal(r.bug, cases[i].bug);
		assert_null(r.kasan_bug);
		assert_true(m->err[0] != '\0');
		assert_null(strchr(m->err, '\n'));
		uint64_t v;
		assert_int_equal(memstore_read(m, cases[i].addr, size, &v, NULL), -EFAULT);
		assert_int_equal(mem_memset(m, cases[i].addr, 0x42, cases[i].len, NULL), -EFAULT);
	}
	assert_unchanged(m, &before, true);
	/* the refused store past the end left the last bytes alone */
	assert_int_equal(read8(m, a + 4000), 0x1111111111111111ull);
	assert_int_equal(read8(m, a + 4088), 0xaaaaaaaaaaaaaaaaull);
}

/* KASAN sees no poison in a hole (early shadow) or where a block meets an
 * allocated neighbour: refused, but no report */
static void refused__x86_64_hole_and_allocated_neighbour__no_kasan_report(void **state)
{
	struct machine *m = *state;
	/* two order-0 blocks next to each other */
	uint64_t pfn[16], p0 = 0;
	for (int i = 0; i < 16; i++)
		alloc_block(m, "GFP_KERNEL", 0, &pfn[i]);
	for (int i = 0; i < 16 && !p0; i++)
		for (int j = 0; j < 16; j++)
			if (pfn[j] == pfn[i] + 1)
				p0 = pfn[i];
	assert_true(p0 != 0);
	struct snap before;
	snap(m, &before);
	struct mem_access_result r;
	uint64_t v;
	assert_int_equal(memstore_read(m, machine_pfn_to_vaddr(m, p0) + 4092, 8, &v, &r), -EFAULT);
	assert_int_equal(r.bug, MEM_OUT_OF_BOUNDS);
	assert_null(r.kasan_bug);
	assert_int_equal(memstore_read(m, machine_pfn_to_vaddr(m, HOLE_PFN), 8, &v, &r), -EFAULT);
	assert_int_equal(r.kind, MEM_HOLE);
	assert_null(r.kasan_bug);
	assert_int_equal(memstore_write(m, machine_pfn_to_vaddr(m, 0x10), 1, 1, &r), -EFAULT);
	assert_int_equal(r.kind, MEM_RESERVED);
	assert_null(r.kasan_bug);
	assert_unchanged(m, &before, true);
}

/* ---- KASAN's reports ------------------------------------------------------------------------- */

/* kmalloc(60) from kmalloc-64: a 1-byte read at +60 is in the partial
 * granule (shadow 04); the next shadow byte is the object's redzone */
static void kasan__slab_out_of_bounds__report_follows_report_c(void **state)
{
	struct machine *m = *state;
	uint64_t p = kmalloc(m, 60);
	size_t at = m->dmesg.n;
	const char *tainted = machine_print_tainted(m);
	struct snap before;
	snap(m, &before);
	struct mem_access_result r;
	uint64_t v;
	assert_int_equal(memstore_read(m, p + 60, 1, &v, &r), -EFAULT);
	assert_string_equal(r.kasan_bug, "slab-out-of-bounds");
	assert_true(r.kasan_reported);
	assert_int_equal(r.bug, MEM_OUT_OF_BOUNDS);
	assert_non_null(strstr(m->err, "KASAN: slab-out-of-bounds"));

	struct object_info oi;
	slab_object_info(m, p, &oi);
	const struct slab *s = &m->slab->slabs[oi.slab];
	struct lines l = { .n = 0 };
	report_head(&l, tainted, "slab-out-of-bounds", false, 1, p + 60, true);
	report_track(&l, "Allocated");
	report_object(&l, p, "kmalloc-64", 64, 0, "to the right", "allocated ", 60);
	/* struct slab's freelist overlays page->index; a slab of order > 0
	 * is a compound page, shown by its head */
	report_page(&l, m, s->pfn, 1, s->freelist == SLAB_NONE ? 0 : slab_object_addr(m, s, s->freelist),
		    s->order ? s->order : -1, "f5(slab)");
	assert_dmesg(m, at, &l);
	const uint8_t shadow[8] = { 0, 0, 0, 0, 0, 0, 0, 4 };
	size_t i = assert_memory_state(m, at + l.n, p + 60, p, shadow, 8);
	assert_report_end(m, i, true);
	assert_unchanged(m, &before, false);
}

/* kfree() then a read inside the object: KASAN_SLAB_FREE_META, then
 * KASAN_SLAB_FREE; kasan_get_alloc_size() finds nothing, so the region
 * is the object size */
static void kasan__slab_use_after_free__freed_region_and_both_tracks(void **state)
{
	struct machine *m = *state;
	uint64_t q = kmalloc(m, 64);
	assert_int_equal(slab_kfree(m, q), 0);
	size_t at = m->dmesg.n;
	const char *tainted = machine_print_tainted(m);
	struct mem_access_result r;
	uint64_t v;
	assert_int_equal(memstore_read(m, q + 8, 8, &v, &r), -EFAULT);
	assert_int_equal(r.bug, MEM_USE_AFTER_FREE);
	assert_string_equal(r.kasan_bug, "slab-use-after-free");

	struct object_info oi;
	slab_object_info(m, q, &oi);
	const struct slab *s = &m->slab->slabs[oi.slab];
	struct lines l = { .n = 0 };
	report_head(&l, tainted, "slab-use-after-free", false, 8, q + 8, true);
	report_track(&l, "Allocated");
	report_track(&l, "Freed");
	report_object(&l, q, "kmalloc-64", 64, 8, "inside", "freed ", 64);
	report_page(&l, m, s->pfn, 1, s->freelist == SLAB_NONE ? 0 : slab_object_addr(m, s, s->freelist),
		    s->order ? s->order : -1, "f5(slab)");
	assert_dmesg(m, at, &l);
	const uint8_t shadow[8] = { 0xfa, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb };
	size_t i = assert_memory_state(m, at + l.n, q + 8, q, shadow, 8);
	assert_report_end(m, i, true);
}

/* a page back in the buddy allocator: KASAN_PAGE_FREE; no object; the
 * page has refcount 0 and, as the head of its free block, PageBuddy */
static void kasan__use_after_free_of_a_page__dumps_the_free_page(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, &pfn);
	assert_int_equal(memstore_write(m, a, 7, 1, NULL), 0);
	assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
	size_t at = m->dmesg.n;
	const char *tainted = machine_print_tainted(m);
	struct mem_access_result r;
	assert_int_equal(memstore_write(m, a + 16, 0x55, 1, &r), -EFAULT);
	assert_int_equal(r.kind, MEM_FREE);
	assert_string_equal(r.kasan_bug, "use-after-free");
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	struct lines l = { .n = 0 };
	report_head(&l, tainted, "use-after-free", true, 1, a + 16, true);
	report_page(&l, m, pfn, 0, 0, -1, pi.block_pfn == pfn ? "f0(buddy)" : NULL);
	assert_dmesg(m, at, &l);
	const uint8_t shadow[4] = { 0xff, 0xff, 0xff, 0xff };
	size_t i = assert_memory_state(m, at + l.n, a + 16, a + 16, shadow, 4);
	assert_report_end(m, i, true);
}

/* kmalloc(20000) is a large kmalloc (above KMALLOC_MAX_CACHE_SIZE, 8 KiB):
 * an order-3 compound page, KASAN_PAGE_REDZONE past the 20000 bytes; no
 * slab, so no object lines */
static void kasan__large_kmalloc_past_its_size__page_redzone(void **state)
{
	struct machine *m = *state;
	uint64_t b = kmalloc(m, 20000);
	size_t at = m->dmesg.n;
	const char *tainted = machine_print_tainted(m);
	struct mem_access_result r;
	assert_int_equal(memstore_write(m, b + 20000, 1, 1, &r), -EFAULT);
	assert_int_equal(r.kind, MEM_LARGE_KMALLOC);
	assert_string_equal(r.kasan_bug, "slab-out-of-bounds");
	unsigned order = 0;
	while ((4096u << order) < 20000)
		order++;
	struct lines l = { .n = 0 };
	report_head(&l, tainted, "slab-out-of-bounds", true, 1, b + 20000, true);
	report_page(&l, m, (b - m->direct_map) >> 12, 1, 0, (int)order, NULL);
	assert_dmesg(m, at, &l);
	const uint8_t shadow[2] = { 0xfe, 0xfe };
	size_t i = assert_memory_state(m, at + l.n, b + 20000, b + 20000, shadow, 2);
	assert_report_end(m, i, true);
	/* inside, it is ordinary memory of its own pages */
	assert_int_equal(memstore_write(m, b + 19999, 9, 1, &r), 0);
	assert_int_equal(memstore_nr_pages(m), 1);
}

/* below the shadow-mapped kernel half there is no metadata:
 * get_wild_bug_type(), and dump_stack() instead of the description */
static void kasan__wild_addresses__null_user_noncanonical(void **state)
{
	struct machine *m = *state;
	assert_int_equal(memstore_set_kasan_multi_shot(m, true), 0);
	const struct {
		uint64_t addr;
		const char *bug;
		enum mem_kind kind;
	} cases[] = {
		{ 0x10, "null-ptr-deref", MEM_USER },
		{ 0x400000, "user-memory-access", MEM_USER },
		{ 0xdead000000000000ull, "wild-memory-access", MEM_NONCANONICAL },
	};
	for (size_t c = 0; c < 3; c++) {
		size_t at = m->dmesg.n;
		bool first = m->taint == 0;
		const char *tainted = machine_print_tainted(m);
		struct mem_access_result r;
		uint64_t v;
		assert_int_equal(memstore_read(m, cases[c].addr, 8, &v, &r), -EFAULT);
		assert_int_equal(r.kind, cases[c].kind);
		assert_string_equal(r.kasan_bug, cases[c].bug);
		struct lines l = { .n = 0 };
		report_head(&l, tainted, cases[c].bug, false, 8, cases[c].addr, false);
		assert_dmesg(m, at, &l);
		assert_report_end(m, at + l.n, first);
	}
}

/* The last granules of the address space (the top fixmap page on
 * x86_64): KASAN's walk over the access's granules must stop there, not
 * wrap to address 0 and go on (it used to loop for ever).  The access is
 * refused (not direct-mapped) and KASAN, whose shadow is zero there, says
 * nothing. */
static void kasan__access_at_the_top_of_the_address_space__ends(void **state)
{
	struct machine *m = *state;
	static const struct {
		uint64_t addr;
		unsigned size;
	} cases[] = {
		{ 0xfffffffffffffff8ull, 1 }, { 0xfffffffffffffffcull, 2 }, { 0xfffffffffffffff8ull, 8 },
		{ 0xfffffffffffffff0ull, 8 }, { 0xffffffffffffffffull, 1 },
	};
	alarm(20);              /* a loop that never ends fails the test */
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct mem_access_result r;
		size_t n = m->dmesg.n;
		assert_int_equal(memstore_write(m, cases[c].addr, 0, cases[c].size, &r), -EFAULT);
		assert_int_equal(r.kind, MEM_NOT_DIRECT);
		assert_null(r.kasan_bug);
		assert_int_equal(m->dmesg.n, n);
	}
	assert_int_equal(mem_memset(m, 0xfffffffffffffff0ull, 0x41, 16, NULL), -EFAULT);
	assert_int_equal(mem_memset(m, 0xfffffffffffffff8ull, 0x41, 1, NULL), -EFAULT);
	alarm(0);
}

/* report_enabled(): KASAN_BIT_REPORTED stops every later report */
static void kasan__only_the_first_bug_is_reported_without_multi_shot(void **state)
{
	struct machine *m = *state;
	uint64_t p = kmalloc(m, 16);
	struct mem_access_result r;
	uint64_t v;
	assert_int_equal(memstore_read(m, p + 12, 8, &v, &r), -EFAULT);
	assert_true(r.kasan_reported);
	size_t n = m->dmesg.n;
	assert_int_equal(memstore_read(m, 0x10, 8, &v, &r), -EFAULT);
	assert_string_equal(r.kasan_bug, "null-ptr-deref");
	assert_false(r.kasan_reported);
	assert_non_null(strstr(m->err, "not reported"));
	assert_int_equal(m->dmesg.n, n);
	assert_int_equal(memstore_set_kasan_multi_shot(m, true), 0);
	assert_int_equal(memstore_read(m, 0x10, 8, &v, &r), -EFAULT);
	assert_true(r.kasan_reported);
	assert_true(m->dmesg.n > n);
}

static void kasan__off__refuses_without_a_report(void **state)
{
	struct machine *m = *state;
	assert_int_equal(memstore_set_kasan(m, false), 0);
	uint64_t p = kmalloc(m, 60);
	struct snap before;
	snap(m, &before);
	struct mem_access_result r;
	uint64_t v;
	assert_int_equal(memstore_read(m, p + 60, 1, &v, &r), -EFAULT);
	assert_int_equal(r.bug, MEM_OUT_OF_BOUNDS);
	assert_null(r.kasan_bug);
	assert_int_equal(memstore_read(m, 0x10, 1, &v, &r), -EFAULT);
	assert_unchanged(m, &before, true);
}

/* memset past an object lands (the kernel's memset writes there): on
 * 2.6.32 silently, for the slab layer's checks; a store is refused */
static void memset__slab_overflow_lands_store_is_refused(void **state)
{
	struct machine *m = *state;
	uint64_t p = kmalloc(m, 100);   /* size-128 */
	assert_int_equal(memstore_write(m, p + 100, 0x41, 1, NULL), -EFAULT);
	assert_int_equal(mem_memset(m, p + 100, 0x41, 4, NULL), 0);
	uint8_t b[4];
	assert_int_equal(slab_read(m, p + 100, b, 4), 0);
	assert_memory_equal(b, "AAAA", 4);
	assert_int_equal(machine_check(m), 0);
}

/* on a KASAN kernel the report comes first (kasan.fault=report goes on) */
static void memset__kasan_reports_then_the_slab_overflow_lands(void **state)
{
	struct machine *m = *state;
	uint64_t p = kmalloc(m, 60);
	size_t at = m->dmesg.n;
	assert_int_equal(mem_memset(m, p + 60, 0x41, 4, NULL), 0);
	assert_string_equal(dmesg_text(m, at + 1), "BUG: KASAN: slab-out-of-bounds in " REPORT_IP);
	uint8_t b[4];
	assert_int_equal(mem_peek(m, p + 60, b, 4, NULL), 0);
	assert_memory_equal(b, "AAAA", 4);
	/* a page is not slab memory: the same overflow is refused */
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, NULL);
	assert_int_equal(mem_memset(m, a + 4090, 0x41, 8, NULL), -EFAULT);
}

/* ---- sparse storage ------------------------------------------------------------------------- */

static void sparse__host_bytes_grow_only_with_written_pages(void **state)
{
	struct machine *m = *state;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 10, NULL);    /* 4 MiB */
	uint8_t *buf = malloc(MEM_MAX_LEN);
	assert_non_null(buf);
	assert_int_equal(mem_readbuf(m, a, buf, MEM_MAX_LEN, NULL), 0);
	assert_int_equal(memstore_nr_pages(m), 0);
	assert_int_equal(memstore_host_bytes(m), 0);
	assert_int_equal(memstore_write(m, a + 5, 1, 1, NULL), 0);
	size_t one = memstore_host_bytes(m);
	assert_int_equal(memstore_nr_pages(m), 1);
	assert_true(one >= 4096 && one < 2 * 4096);
	assert_int_equal(memstore_write(m, a + 1000 * 4096, 1, 1, NULL), 0);
	assert_int_equal(memstore_host_bytes(m) - one, 4096);
	assert_int_equal(mem_memset(m, a + 10 * 4096 + 1, 0, 3 * 4096, NULL), 0);      /* pages 10..13 */
	assert_int_equal(memstore_nr_pages(m), 6);
	assert_int_equal(mem_readbuf(m, a, buf, MEM_MAX_LEN, NULL), 0);
	assert_int_equal(memstore_nr_pages(m), 6);
	free(buf);
	assert_int_equal(machine_check(m), 0);
}

/* __free_pages() drops the contents; the page handed out again is fresh */
static void free_pages__drops_the_contents(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 2, &pfn);
	assert_int_equal(mem_memset(m, a, 0x5a, 4 * 4096, NULL), 0);
	assert_int_equal(memstore_nr_pages(m), 4);
	assert_int_equal(buddy_free_pages(m, pfn, 2), 0);
	assert_int_equal(memstore_nr_pages(m), 0);
	assert_int_equal(machine_check(m), 0);
	uint64_t again;
	uint64_t b = alloc_block(m, "GFP_KERNEL", 2, &again);
	assert_int_equal(again, pfn);   /* the freed block is at the head of its list */
	assert_int_equal(read8(m, b + 4096), 0xaaaaaaaaaaaaaaaaull);
}

/* kfree() of a large kmalloc frees its pages: their contents go too */
static void free_pages__large_kmalloc_kfree_drops_the_contents(void **state)
{
	struct machine *m = *state;
	uint64_t k = kmalloc(m, 1 << 20);
	assert_int_equal(mem_memset(m, k, 1, 3 * 4096, NULL), 0);
	assert_int_equal(memstore_nr_pages(m), 3);
	assert_int_equal(slab_kfree(m, k), 0);
	assert_int_equal(memstore_nr_pages(m), 0);
	assert_int_equal(machine_check(m), 0);
}

/* many pages: the table grows and deletions keep every page findable */
static void store__grows_and_deletes_keep_lookups_right(void **state)
{
	struct machine *m = *state;
	uint64_t pfn[40], va[40];
	for (int i = 0; i < 40; i++) {
		va[i] = alloc_block(m, "GFP_KERNEL", 2, &pfn[i]);
		assert_int_equal(mem_memset(m, va[i], i, 4 * 4096, NULL), 0);
	}
	assert_int_equal(memstore_nr_pages(m), 160);
	for (int i = 0; i < 40; i += 2)
		assert_int_equal(buddy_free_pages(m, pfn[i], 2), 0);
	assert_int_equal(memstore_nr_pages(m), 80);
	assert_int_equal(machine_check(m), 0);
	for (int i = 1; i < 40; i += 2)
		assert_int_equal(read8(m, va[i] + 3 * 4096), 0x0101010101010101ull * (uint64_t)i);
}

/* ---- dump and views -------------------------------------------------------------------------- */

/* mem_peek() is a debugger's read: whole blocks, no report */
static void peek__reads_page_memory_and_refuses_free_pages_silently(void **state)
{
	struct machine *m = *state;
	uint64_t b = kmalloc(m, 20000);
	uint8_t buf[32];
	/* past the kmalloc's 20000 bytes but inside its pages: no KASAN */
	size_t n = m->dmesg.n;
	assert_int_equal(mem_peek(m, b + 19990, buf, sizeof buf, NULL), 0);
	assert_int_equal(buf[31], 0);
	uint64_t pfn;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, &pfn);
	assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
	assert_int_equal(mem_peek(m, a, buf, 8, NULL), -EFAULT);
	assert_int_equal(m->dmesg.n, n);
}

/* print_hex_dump(DUMP_PREFIX_ADDRESS, 16, 1, ..., true): the address,
 * ": ", 16 "%02x" groups joined by spaces, padded to column 49, the ASCII */
static void view__dump_of_page_memory_is_print_hex_dump(void **state)
{
	struct machine *m = *state;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 0, NULL);
	for (int i = 0; i < 16; i++)
		assert_int_equal(memstore_write(m, a + (uint64_t)i, (uint64_t)('A' + i), 1, NULL), 0);
	uint8_t buf[20];
	assert_int_equal(mem_peek(m, a, buf, sizeof buf, NULL), 0);
	struct out o;
	out_init_buf(&o);
	view_mem_dump(&o, m, a, buf, sizeof buf);
	char want[256], hex[64] = "";
	for (int i = 0; i < 16; i++)
		snprintf(hex + strlen(hex), sizeof hex - strlen(hex), i ? " %02x" : "%02x", 'A' + i);
	snprintf(want, sizeof want, "%08llx: %-49sABCDEFGHIJKLMNOP\n%08llx: aa aa aa aa%-38s....\n", (ull)a, hex,
		 (ull)(a + 16), "");
	assert_string_equal(o.buf, want);
	out_free(&o);
}

static void view__read_names_the_block(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	uint64_t a = alloc_block(m, "GFP_KERNEL", 1, &pfn);
	struct mem_access_result r;
	uint64_t v;
	assert_int_equal(memstore_read(m, a + 16, 4, &v, &r), 0);
	struct out o;
	out_init_buf(&o);
	view_mem_read(&o, m, a + 16, 4, v, &r);
	char want[256];
	snprintf(want, sizeof want, "*(u32 *)%#llx = 0x%08llx  [order-1 block at pfn %#llx (GFP_KERNEL), +0x10; "
		 "unwritten bytes read 0xaa]\n", (ull)(a + 16), 0xaaaaaaaaull, (ull)pfn);
	assert_string_equal(o.buf, want);
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fresh_page__gfp_zero__reads_zeros, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(fresh_page__2_6_32_without_gfp_zero__reads_page_poison, setup_i386,
						teardown),
		cmocka_unit_test_setup_teardown(fresh_page__6_13_init_on_alloc__zeroes_every_page, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(fresh_page__6_13_init_on_alloc_off__zeroes_only_with_gfp_zero,
						setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(settings__refused_where_the_kernel_has_no_such_option, setup_i386,
						teardown),
		cmocka_unit_test_setup_teardown(write_read__page_block__round_trips_little_endian, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(write_read__kmalloc_object__round_trips_through_the_slab_layer,
						setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(write__bad_size_or_wide_value__is_refused, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(refused__free_hole_past_end_user__leave_the_model_unchanged, setup_i386,
						teardown),
		cmocka_unit_test_setup_teardown(refused__x86_64_hole_and_allocated_neighbour__no_kasan_report,
						setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(kasan__slab_out_of_bounds__report_follows_report_c, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(kasan__slab_use_after_free__freed_region_and_both_tracks, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(kasan__use_after_free_of_a_page__dumps_the_free_page, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(kasan__large_kmalloc_past_its_size__page_redzone, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(kasan__wild_addresses__null_user_noncanonical, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(kasan__only_the_first_bug_is_reported_without_multi_shot, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(kasan__off__refuses_without_a_report, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(memset__slab_overflow_lands_store_is_refused, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(memset__kasan_reports_then_the_slab_overflow_lands, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(sparse__host_bytes_grow_only_with_written_pages, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(free_pages__drops_the_contents, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(free_pages__large_kmalloc_kfree_drops_the_contents, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(store__grows_and_deletes_keep_lookups_right, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(peek__reads_page_memory_and_refuses_free_pages_silently, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(view__dump_of_page_memory_is_print_hex_dump, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(view__read_names_the_block, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(kasan__access_at_the_top_of_the_address_space__ends, setup_x86_64,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
