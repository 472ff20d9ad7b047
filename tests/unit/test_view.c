/*
 * test_view.c - the renderers: /proc files against the kernel's format
 * strings and formulas (recomputed here from the model's numbers, never
 * compared with output pasted back), the zone map, pages, free lists,
 * dmesg, the change log, and the JSON form of every renderer.
 *
 * Real-kernel fixture: REAL_IOMEM below is the /proc/iomem of an x86_64
 * Linux 6.18 machine (Firecracker VM); its /proc/zoneinfo showed
 *   DMA    start_pfn 1       spanned 4095    present 3998
 *   DMA32  start_pfn 4096    spanned 1044480 present 782336
 *   Normal start_pfn 1048576 spanned 5505024 present 5505024
 * and kernel/resource.c r_show() printed exactly REAL_IOMEM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/view.h"

typedef unsigned long long ull;

static const char REAL_IOMEM[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-000fffff : Reserved\n"
	"  000de000-000defff : AMZNC10C:00\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-bfffffff : System RAM\n"
	"  01000000-02276f47 : Kernel code\n"
	"  02400000-02e0cfff : Kernel rodata\n"
	"  03000000-0327c17f : Kernel data\n"
	"  03b32000-03c55fff : Kernel bss\n"
	"c0001000-eebfffff : PCI Bus 0000:00\n"
	"eec00000-febfffff : Reserved\n"
	"  eec00000-eecfffff : PCI ECAM 0000 [bus 00-00]\n"
	"    eec00000-eecfffff : PCI Bus 0000:00\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"100000000-63fffffff : System RAM\n"
	"4000000000-7fffffffff : PCI Bus 0000:00\n"
	"  4000000000-400007ffff : 0000:00:01.0\n"
	"    4000000000-400007ffff : virtio-pci-modern\n"
	"  4000080000-40000fffff : 0000:00:02.0\n"
	"    4000080000-40000fffff : virtio-pci-modern\n"
	"  4000100000-400017ffff : 0000:00:03.0\n"
	"    4000100000-400017ffff : virtio-pci-modern\n"
	"  4000180000-40001fffff : 0000:00:04.0\n"
	"    4000180000-40001fffff : virtio-pci-modern\n"
	"  4000200000-400027ffff : 0000:00:05.0\n"
	"    4000200000-400027ffff : virtio-pci-modern\n";

/* ---- fixture --------------------------------------------------------------- */

#include "view_fixture.h"
#include "fixture.h"

static int setup_i386_1g(void **state)
{
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 1ull << 30, .ncpus = 1 };
	return boot(state, &c);
}

static int setup_i386_613(void **state)
{
	struct machine_config c = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 2 };
	return boot(state, &c);
}

static int setup_x86_64_real(void **state)
{
	struct machine_config c = { .arch = "x86_64", .iomem_text = REAL_IOMEM, .ncpus = 2 };
	return boot(state, &c);
}

static int setup_x86_64_4g(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30, .ncpus = 2 };
	return boot(state, &c);
}

static int setup_x86_64_1g(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 1 };
	return boot(state, &c);
}

static int setup_x86_64_1t(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 40, .ncpus = 4 };
	return boot(state, &c);
}

static int setup_x86_64_2632_1t(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "2.6.32", .mem_bytes = 1ull << 40, .ncpus = 1 };
	return boot(state, &c);
}

/* ---- helpers ---------------------------------------------------------------- */

/* Render into a fresh buffer; returns the text (owned by f->o). */
static const char *render(struct fx *f, void (*fn)(struct out *, const struct machine *), bool json)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = json;
	fn(&f->o, f->m);
	assert_non_null(f->o.buf);
	return f->o.buf;
}

/* The n-th line (0-based) of text into buf; false past the end. */
static bool line_at(const char *text, int n, char *buf, size_t len)
{
	const char *p = text;
	for (int i = 0; i < n; i++) {
		p = strchr(p, '\n');
		if (!p)
			return false;
		p++;
	}
	if (!*p)
		return false;
	const char *e = strchr(p, '\n');
	size_t l = e ? (size_t)(e - p) : strlen(p);
	if (l >= len)
		l = len - 1;
	memcpy(buf, p, l);
	buf[l] = '\0';
	return true;
}

static int count_lines(const char *text)
{
	int n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* The block of /proc/zoneinfo for zone `name`: from its "Node 0, zone"
 * line up to the next one.  Copied into a static buffer. */
static const char *zone_block(const char *zi, const char *name)
{
	static char block[1 << 16];
	char head[64];
	snprintf(head, sizeof head, "Node 0, zone %8s\n", name);
	const char *s = strstr(zi, head);
	if (!s)
		return NULL;
	const char *e = strstr(s + 1, "\nNode 0, zone ");
	size_t l = e ? (size_t)(e - s) + 1 : strlen(s);
	assert_true(l < sizeof block);
	memcpy(block, s, l);
	block[l] = '\0';
	return block;
}

/* The number after the line prefix `prefix` (which starts a line) in text. */
static bool field(const char *text, const char *prefix, ull *v)
{
	size_t pl = strlen(prefix);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, prefix, pl) == 0) {
			char *end;
			*v = strtoull(p + pl, &end, 10);
			return end != p + pl;
		}
	}
	return false;
}

static ull field_or_fail(const char *text, const char *prefix)
{
	ull v = 0;
	if (!field(text, prefix, &v))
		fail_msg("no line starting with '%s'", prefix);
	return v;
}

/* ---- a small JSON syntax checker (RFC 8259 grammar) ---------------------------- */

struct js {
	const char *p;
	int depth;
};

static void js_ws(struct js *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool js_value(struct js *j);

static bool js_string(struct js *j)
{
	if (*j->p != '"')
		return false;
	j->p++;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c == '\0' || c < 0x20)
			return false;
		if (c == '\\') {
			j->p++;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)j->p[i]))
						return false;
				j->p += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", *j->p) || !*j->p)
				return false;
		}
		j->p++;
	}
	j->p++;
	return true;
}

static bool js_number(struct js *j)
{
	const char *s = j->p;
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0') {
		j->p++;
	} else if (isdigit((unsigned char)*j->p)) {
		while (isdigit((unsigned char)*j->p))
			j->p++;
	} else {
		return false;
	}
	if (*j->p == '.') {
		j->p++;
		if (!isdigit((unsigned char)*j->p))
			return false;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!isdigit((unsigned char)*j->p))
			return false;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	return j->p > s;
}

static bool js_seq(struct js *j, char close, bool object)
{
	j->p++;
	if (++j->depth > 64)
		return false;
	js_ws(j);
	if (*j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		js_ws(j);
		if (object) {
			if (!js_string(j))
				return false;
			js_ws(j);
			if (*j->p != ':')
				return false;
			j->p++;
		}
		if (!js_value(j))
			return false;
		js_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p != close)
			return false;
		j->p++;
		j->depth--;
		return true;
	}
}

static bool js_value(struct js *j)
{
	js_ws(j);
	switch (*j->p) {
	case '{': return js_seq(j, '}', true);
	case '[': return js_seq(j, ']', false);
	case '"': return js_string(j);
	case 't': if (!strncmp(j->p, "true", 4)) { j->p += 4; return true; } return false;
	case 'f': if (!strncmp(j->p, "false", 5)) { j->p += 5; return true; } return false;
	case 'n': if (!strncmp(j->p, "null", 4)) { j->p += 4; return true; } return false;
	default: return js_number(j);
	}
}

/* One JSON object and nothing else but whitespace. */
static void assert_json_object(const char *text)
{
	struct js j = { text, 0 };
	js_ws(&j);
	if (*j.p != '{')
		fail_msg("JSON does not start with an object: %.60s", text);
	if (!js_value(&j))
		fail_msg("invalid JSON at offset %ld: ...%.40s", (long)(j.p - text), j.p);
	js_ws(&j);
	if (*j.p)
		fail_msg("trailing text after JSON at offset %ld: %.40s", (long)(j.p - text), j.p);
}

static void json_checker__accepts_json_and_rejects_broken_text(void **state)
{
	(void)state;
	struct js j;
	const char *good[] = { "{}", "{\"a\":[1,-2.5e3,\"x\\n\\u00e9\",true,false,null,{}]}\n" };
	const char *bad[] = { "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "[1,2", "{\"a\":01}", "{\"a\":\"\x01\"}" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		j = (struct js){ good[i], 0 };
		assert_true(js_value(&j));
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = (struct js){ bad[i], 0 };
		bool ok = js_value(&j);
		js_ws(&j);
		assert_false(ok && !*j.p);
	}
}

/* ---- /proc/buddyinfo ------------------------------------------------------------- */

/* frag_show_print(): "Node %d, zone %8s " then "%6lu " per order, '\n' */
static void check_buddyinfo_lines(struct fx *f)
{
	const struct machine *m = f->m;
	const char *text = render(f, view_buddyinfo, false);
	int line = 0;
	char buf[512], head[64];

	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->present)
			continue;
		assert_true(line_at(text, line++, buf, sizeof buf));
		snprintf(head, sizeof head, "Node %d, zone %8s ", 0, z->name);
		assert_memory_equal(buf, head, strlen(head));
		const char *p = buf + strlen(head);
		assert_int_equal(strlen(p), 7 * NR_ORDERS);
		for (int k = 0; k < NR_ORDERS; k++, p += 7) {
			char want[16];
			snprintf(want, sizeof want, "%6llu ", (ull)free_area_nr_free(&z->free_area[k]));
			assert_memory_equal(p, want, 7);
		}
	}
	assert_int_equal(count_lines(text), line);
}

static void buddyinfo__i386_1g__lines_follow_frag_show_print_with_the_models_nr_free(void **state)
{
	struct fx *f = *state;
	/* DMA, Normal and HighMem are all populated on a 1 GiB i386 */
	check_buddyinfo_lines(f);
	assert_int_equal(count_lines(f->o.buf), 3);
	assert_non_null(strstr(f->o.buf, "Node 0, zone  HighMem "));
}

static void buddyinfo__x86_64_1g__skips_the_unpopulated_zones(void **state)
{
	struct fx *f = *state;
	check_buddyinfo_lines(f);
	assert_null(strstr(f->o.buf, "Normal"));
	assert_null(strstr(f->o.buf, "Movable"));
}

static void buddyinfo__after_an_allocation__shows_the_new_counts(void **state)
{
	struct fx *f = *state;
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(f->m, gfp(f->m, "GFP_KERNEL"), 0, &pfn), 0);
	check_buddyinfo_lines(f);
}

/* ---- /proc/pagetypeinfo -------------------------------------------------------- */

static void check_pagetypeinfo(struct fx *f, bool cap)
{
	const struct machine *m = f->m;
	const struct kernel_profile *kp = m->kp;
	const char *text = render(f, view_pagetypeinfo, false);
	char buf[1024], want[1024];
	int line = 0;
	size_t w;

	snprintf(want, sizeof want, "Page block order: %d", (int)m->pageblock_order);
	assert_true(line_at(text, line++, buf, sizeof buf));
	assert_string_equal(buf, want);
	snprintf(want, sizeof want, "Pages per block:  %lu", 1ul << m->pageblock_order);
	assert_true(line_at(text, line++, buf, sizeof buf));
	assert_string_equal(buf, want);
	assert_true(line_at(text, line++, buf, sizeof buf));
	assert_string_equal(buf, "");

	w = (size_t)snprintf(want, sizeof want, "%-43s ", "Free pages count per migrate type at order");
	for (int k = 0; k < NR_ORDERS; k++)
		w += (size_t)snprintf(want + w, sizeof want - w, "%6d ", k);
	assert_true(line_at(text, line++, buf, sizeof buf));
	assert_string_equal(buf, want);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->present)
			continue;
		for (int mt = 0; mt < kp->nr_migratetypes; mt++) {
			w = (size_t)snprintf(want, sizeof want, "Node %4d, zone %8s, type %12s ", 0, z->name,
					     kp->mt_names[mt]);
			for (int k = 0; k < NR_ORDERS; k++) {
				unsigned long n = (unsigned long)z->free_area[k].nr_mt[mt];
				bool over = cap && n >= 100000;
				w += (size_t)snprintf(want + w, sizeof want - w, "%s%6lu ", over ? ">" : "",
						      over ? 100000ul : n);
			}
			assert_true(line_at(text, line++, buf, sizeof buf));
			assert_string_equal(buf, want);
		}
	}
	assert_true(line_at(text, line++, buf, sizeof buf));
	assert_string_equal(buf, "");
	w = (size_t)snprintf(want, sizeof want, "%-23s", "Number of blocks type ");
	for (int mt = 0; mt < kp->nr_migratetypes; mt++)
		w += (size_t)snprintf(want + w, sizeof want - w, "%12s ", kp->mt_names[mt]);
	assert_true(line_at(text, line++, buf, sizeof buf));
	assert_string_equal(buf, want);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->present)
			continue;
		w = (size_t)snprintf(want, sizeof want, "Node %d, zone %8s ", 0, z->name);
		for (int mt = 0; mt < kp->nr_migratetypes; mt++)
			w += (size_t)snprintf(want + w, sizeof want - w, "%12lu ",
					      (unsigned long)z->nr_pageblocks[mt]);
		assert_true(line_at(text, line++, buf, sizeof buf));
		assert_string_equal(buf, want);
	}
	assert_int_equal(count_lines(text), line);
}

static void pagetypeinfo__6_13__follows_pagetypeinfo_show_formats(void **state)
{
	struct fx *f = *state;
	check_pagetypeinfo(f, true);
	/* 6.13 migratetype_names[] without CMA */
	assert_non_null(strstr(f->o.buf, "Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"));
}

static void pagetypeinfo__2_6_32__lists_reserve_and_isolate_in_its_enum_order(void **state)
{
	struct fx *f = *state;
	check_pagetypeinfo(f, false);
	assert_non_null(strstr(f->o.buf, "Unmovable  Reclaimable      Movable      Reserve      Isolate \n"));
	assert_non_null(strstr(f->o.buf, "Page block order: 10\nPages per block:  1024\n"));
}

static void pagetypeinfo__6_13_1t__a_list_of_100000_or_more_prints_gt_100000(void **state)
{
	struct fx *f = *state;
	int z = f->m->zone_of_kind[ZK_NORMAL];
	assert_true(f->m->zones[z].free_area[MAX_ORDER_MODEL].nr_mt[f->m->kp->mt_movable] >= 100000);
	check_pagetypeinfo(f, true);
	assert_non_null(strstr(f->o.buf, " >100000 \n"));
}

static void pagetypeinfo__2_6_32_1t__counts_every_entry_without_a_cap(void **state)
{
	struct fx *f = *state;
	check_pagetypeinfo(f, false);
	assert_null(strstr(f->o.buf, ">"));
}

/* ---- /proc/zoneinfo -------------------------------------------------------------- */

static void zoneinfo__real_iomem__shows_the_real_machines_zone_geometry(void **state)
{
	struct fx *f = *state;
	static const struct { const char *zone; ull start, spanned, present; } want[] = {
		{ "DMA", 1, 4095, 3998 },
		{ "DMA32", 4096, 1044480, 782336 },
		{ "Normal", 1048576, 5505024, 5505024 },
	};
	const char *zi = render(f, view_zoneinfo, false);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *b = zone_block(zi, want[i].zone);
		assert_non_null(b);
		assert_int_equal(field_or_fail(b, "  start_pfn:           "), want[i].start);
		assert_int_equal(field_or_fail(b, "        spanned  "), want[i].spanned);
		assert_int_equal(field_or_fail(b, "        present  "), want[i].present);
	}
}

/* 6.13 __setup_per_zone_wmarks(), recomputed from min_free_kbytes: boot
 * set the marks before it freed its init sections, so a write of the
 * sysctl (which recomputes them, as the kernel does) brings them to the
 * managed pages of now */
static void zoneinfo__6_13__watermarks_follow_setup_per_zone_wmarks(void **state)
{
	struct fx *f = *state;
	char v[32];
	snprintf(v, sizeof v, "%u", f->m->min_free_kbytes);
	assert_int_equal(machine_sysctl_set(f->m, "vm.min_free_kbytes", v), 0);
	const struct machine *m = f->m;
	const char *zi = render(f, view_zoneinfo, false);
	ull pages_min = m->min_free_kbytes >> 2, lowmem = 0;

	for (int i = 0; i < m->nr_zones; i++)
		if (m->zones[i].kind != ZK_HIGHMEM && m->zones[i].kind != ZK_MOVABLE)
			lowmem += m->zones[i].managed;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		ull managed = z->managed, tmp = pages_min * managed / lowmem, min;
		if (z->kind == ZK_HIGHMEM || z->kind == ZK_MOVABLE) {
			min = managed / 1024;
			min = min < 32 ? 32 : min > 128 ? 128 : min;
		} else {
			min = tmp;
		}
		/* tmp = max(tmp >> 2, mult_frac(managed, watermark_scale_factor, 10000)) */
		ull step = tmp >> 2;
		ull wsf = managed / 10000 * m->watermark_scale_factor + managed % 10000 * m->watermark_scale_factor / 10000;
		if (wsf > step)
			step = wsf;
		const char *b = zone_block(zi, z->name);
		assert_non_null(b);
		assert_int_equal(field_or_fail(b, "        min      "), min);
		assert_int_equal(field_or_fail(b, "        low      "), min + step);
		assert_int_equal(field_or_fail(b, "        high     "), min + 2 * step);
		assert_int_equal(field_or_fail(b, "        promo    "), min + 3 * step);
		assert_int_equal(field_or_fail(b, "  pages free     "), z->free_pages);
		assert_int_equal(field_or_fail(b, "        managed  "), z->managed);
	}
}

static ull rounddown_pow2(ull x)
{
	ull r = 1;
	while (r * 2 <= x)
		r *= 2;
	return r;
}

static int fls_(ull x)
{
	int r = 0;
	for (; x; x >>= 1)
		r++;
	return r;
}

/* 6.13 zone_batchsize(), zone_highsize(), calculate_normal_threshold() */
static void zoneinfo__6_13__pagesets_follow_zone_batchsize_and_zone_highsize(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *zi = render(f, view_zoneinfo, false);

	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->present)
			continue;
		ull b = z->managed >> 10;
		if (b > 256)
			b = 256;
		b /= 4;
		if (b < 1)
			b = 1;
		long long batch = (long long)rounddown_pow2(b + b / 2) - 1;
		if (batch < 1)
			batch = 1;
		long long hmin = (long long)z->wmark[WMARK_LOW] / m->ncpus;
		long long hmax = (long long)(z->managed / 8) / m->ncpus;
		if (hmin < batch * 4)
			hmin = batch * 4;
		if (hmax < batch * 4)
			hmax = batch * 4;
		int t = 2 * fls_(m->ncpus) * (1 + fls_(z->managed >> 15));
		if (t > 125)
			t = 125;
		char want[512];
		snprintf(want, sizeof want,
			 "    cpu: %i\n"
			 "              count:    %i\n"
			 "              high:     %i\n"
			 "              batch:    %i\n"
			 "              high_min: %i\n"
			 "              high_max: %i\n"
			 "  vm stats threshold: %d\n",
			 /* high: 0 on a CPU that never used the zone's lists
			  * (6.13 per_cpu_pages_init() memsets the pcp;
			  * pageset_update() sets only batch, high_min and high_max;
			  * nr_pcp_alloc()/nr_pcp_high() clamp it on first use) */
			 (int)m->ncpus - 1, 0, 0, (int)batch, (int)hmin, (int)hmax, t);
		const char *blk = zone_block(zi, z->name);
		assert_non_null(blk);
		if (!strstr(blk, want))
			fail_msg("zone %s: pageset of the last cpu not found:\n%s\nin\n%s", z->name, want, blk);
	}
}

static void zoneinfo__6_13__an_unpopulated_zone_stops_after_protection(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *zi = render(f, view_zoneinfo, false);
	char want[256];
	int mv = m->zone_of_kind[ZK_MOVABLE];

	assert_true(mv >= 0 && !m->zones[mv].present);
	const char *b = zone_block(zi, "Movable");
	assert_non_null(b);
	size_t w = (size_t)snprintf(want, sizeof want, "        protection: (%ld", (long)m->zones[mv].lowmem_reserve[0]);
	for (int j = 1; j < m->nr_zones; j++)
		w += (size_t)snprintf(want + w, sizeof want - w, ", %ld", (long)m->zones[mv].lowmem_reserve[j]);
	snprintf(want + w, sizeof want - w, ")\n");
	size_t bl = strlen(b), wl = strlen(want);
	assert_true(bl > wl);
	assert_string_equal(b + bl - wl, want);
	/* all zones are listed in 6.13, Device too */
	assert_non_null(zone_block(zi, "Device"));
}

static void zoneinfo__6_13__per_node_stats_appear_once_under_the_first_populated_zone(void **state)
{
	struct fx *f = *state;
	const char *zi = render(f, view_zoneinfo, false);
	const char *p = strstr(zi, "\n  per-node stats\n");
	assert_non_null(p);
	assert_null(strstr(p + strlen("\n  per-node stats\n"), "per-node stats"));
	assert_true(strncmp(zi, "Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 0\n", 63) == 0);
	/* names printed "%-12s %lu": short names are padded */
	assert_non_null(strstr(zi, "\n      nr_mapped    0\n"));
	assert_non_null(strstr(zi, "\n      nr_mlock     0\n"));
}

/* 2.6.32 zoneinfo_show_print(), zone_batchsize(), setup_pageset(),
 * calculate_threshold(), calculate_zone_inactive_ratio() */
static void zoneinfo__2_6_32__uses_its_own_layout_and_pcp_formulas(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *zi = render(f, view_zoneinfo, false);

	assert_null(strstr(zi, "per-node stats"));
	assert_null(strstr(zi, "managed"));
	assert_null(strstr(zi, "Movable"));     /* unpopulated zones are skipped */
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->present)
			continue;
		const char *b = zone_block(zi, z->name);
		assert_non_null(b);
		ull batch = z->present / 1024;
		if (batch * 4096 > 512 * 1024)
			batch = 512 * 1024 / 4096;
		batch /= 4;
		if (batch < 1)
			batch = 1;
		batch = rounddown_pow2(batch + batch / 2) - 1;
		int t = 2 * fls_(m->ncpus) * (1 + fls_(z->present >> 15));
		ull gb = z->present >> 18;
		unsigned ratio = 1;
		if (gb)
			for (ratio = 1; (ull)(ratio + 1) * (ratio + 1) <= 10 * gb; ratio++)
				;
		char want[512];
		snprintf(want, sizeof want,
			 "  pagesets\n"
			 "    cpu: %i\n"
			 "              count: %i\n"
			 "              high:  %i\n"
			 "              batch: %i\n"
			 "  vm stats threshold: %d\n"
			 "  all_unreclaimable: %u\n"
			 "  prev_priority:     %i\n"
			 "  start_pfn:         %lu\n"
			 "  inactive_ratio:    %u\n",
			 0, 0, (int)(6 * batch), (int)(batch ? batch : 1), t > 125 ? 125 : t, 0u, 12,
			 (unsigned long)z->start_pfn, ratio);
		if (!strstr(b, want))
			fail_msg("zone %s: tail not found:\n%s\nin\n%s", z->name, want, b);
		assert_int_equal(field_or_fail(b, "        scanned  "), 0);
		assert_int_equal(field_or_fail(b, "        present  "), z->present);
		assert_int_equal(field_or_fail(b, "    nr_free_pages "), z->free_pages);
	}
	/* the DMA zone of ~4000 pages: batch 0 -> pcp high 0, batch 1 */
	const char *dma = zone_block(zi, "DMA");
	assert_non_null(strstr(dma, "              high:  0\n              batch: 1\n"));
}

/* ---- /proc/meminfo --------------------------------------------------------------- */

/* fs/proc/meminfo.c meminfo_proc_show() 6.13 (x86_64, no HIGHMEM, ZSWAP,
 * THP, HUGETLB; no CMA, UNACCEPTED_MEMORY, MEMORY_FAILURE), then
 * hugetlb_report_meminfo() and arch_report_meminfo() */
static const char *const meminfo_13_x86_64[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
	"Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
	"SwapTotal", "SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped",
	"Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
	"SecPageTables", "NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS",
	"VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu", "AnonHugePages", "ShmemHugePages",
	"ShmemPmdMapped", "FileHugePages", "FilePmdMapped", "HugePages_Total", "HugePages_Free",
	"HugePages_Rsvd", "HugePages_Surp", "Hugepagesize", "Hugetlb", "DirectMap4k", "DirectMap2M",
	"DirectMap1G", NULL,
};

/* 2.6.32 meminfo_proc_show() (i386, CONFIG_HIGHMEM), research notes B */
static const char *const meminfo_32_i386[] = {
	"MemTotal", "MemFree", "Buffers", "Cached", "SwapCached", "Active", "Inactive", "Active(anon)",
	"Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "HighTotal",
	"HighFree", "LowTotal", "LowFree", "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages",
	"Mapped", "Shmem", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
	"NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal",
	"VmallocUsed", "VmallocChunk", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
	"HugePages_Surp", "Hugepagesize", "DirectMap4k", "DirectMap4M", NULL,
};

/* Check labels, order and padding; return the value of `want` (kB or count). */
static void check_meminfo_layout(const char *text, const char *const *labels)
{
	char buf[256];
	int i = 0;
	for (; labels[i]; i++) {
		if (!line_at(text, i, buf, sizeof buf))
			fail_msg("meminfo ends before %s", labels[i]);
		size_t ll = strlen(labels[i]);
		if (strncmp(buf, labels[i], ll) || buf[ll] != ':')
			fail_msg("line %d is '%s', the kernel prints %s: here", i, buf, labels[i]);
		if (strncmp(labels[i], "HugePages_", 10) == 0) {
			/* "HugePages_Total:   %5lu" */
			assert_int_equal(strlen(buf), 24);
			assert_true(isdigit((unsigned char)buf[23]));
			for (size_t k = ll + 1; k < 19; k++)
				assert_int_equal(buf[k], ' ');
		} else {
			/* show_val_kb(): label padded to 16, "%8lu", " kB" — the value
			 * ends at column 24 */
			size_t l = strlen(buf);
			assert_true(l >= 27);
			assert_string_equal(buf + l - 3, " kB");
			assert_true(isdigit((unsigned char)buf[l - 4]));
			if (l == 27) {
				assert_int_equal(buf[15], ' ');
				assert_true(buf[16] == ' ' || isdigit((unsigned char)buf[16]));
			}
		}
	}
	assert_int_equal(count_lines(text), i);
}

static ull meminfo_value(const char *text, const char *label)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "%s:", label);
	const char *p = text;
	size_t pl = strlen(prefix);
	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, pl) == 0)
			return strtoull(p + pl, NULL, 10);
	fail_msg("no %s line", label);
	return 0;
}

static ull free_pages_total(const struct machine *m)
{
	ull f = 0;
	for (int i = 0; i < m->nr_zones; i++)
		f += m->zones[i].free_pages;
	return f;
}

static int setup_x86_64_61(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.1", .mem_bytes = 4ull << 30, .ncpus = 2 };
	return boot(state, &c);
}

/* 6.1 fs/proc/meminfo.c (CONFIG_MEMORY_FAILURE, as Debian builds it):
 * seq_printf(m, "HardwareCorrupted: %5lu kB\n", ...), not show_val_kb()'s
 * padding; both real Debian 6.1 machines' meminfo (real-kernels/\*,
 * meminfo.txt line 40 amd64, 44 i386) read "HardwareCorrupted:     0 kB" */
static void meminfo__6_1__hardware_corrupted_has_its_own_5_wide_field(void **state)
{
	struct fx *f = *state;
	const char *mi = render(f, view_meminfo, false);
	assert_non_null(strstr(mi, "\nPercpu:                0 kB\nHardwareCorrupted:     0 kB\nAnonHugePages:"));
}

static void meminfo__6_13__prints_the_kernels_lines_in_order_with_show_val_kb_padding(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *mi = render(f, view_meminfo, false);
	char want[64];

	check_meminfo_layout(mi, meminfo_13_x86_64);
	snprintf(want, sizeof want, "MemTotal:       %8lu kB\n", (unsigned long)m->totalram_pages * 4);
	assert_memory_equal(mi, want, strlen(want));
	assert_int_equal(meminfo_value(mi, "MemFree"), free_pages_total(m) * 4);
	/* vm_commit_limit(): totalram * overcommit_ratio 50 / 100, no swap */
	assert_int_equal(meminfo_value(mi, "CommitLimit"), m->totalram_pages * 50 / 100 * 4);
	assert_non_null(strstr(mi, "\nVmallocTotal:   34359738367 kB\n"));
	assert_non_null(strstr(mi, "\nHugepagesize:       2048 kB\n"));
	assert_non_null(strstr(mi, "\nHugePages_Total:       0\n"));
}

/* si_mem_available() with no page cache or reclaimable slab: NR_FREE_PAGES
 * minus totalreserve_pages (calculate_totalreserve_pages()) */
static void meminfo__6_13__memavailable_is_free_minus_totalreserve_pages(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *mi = render(f, view_meminfo, false);
	long long reserve = 0;

	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		ull max = 0;
		for (int j = i; j < m->nr_zones; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		max += z->wmark[WMARK_HIGH];
		if (max > z->managed)
			max = z->managed;
		reserve += (long long)max;
	}
	long long avail = (long long)free_pages_total(m) - reserve;
	assert_true(avail > 0);
	assert_int_equal(meminfo_value(mi, "MemAvailable"), (ull)avail * 4);
}

/* init_mem_mapping() on x86_64 maps every RAM page exactly once, and the
 * ISA range [0, 1 MiB) whole, holes included ("the ISA range is always
 * mapped regardless of memory holes"); the DirectMap lines now count the
 * real page tables (they used to be a formula that left the ISA holes out) */
static void meminfo__x86_64__directmap_sizes_add_up_to_the_ram(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *mi = render(f, view_meminfo, false);
	ull ram_kb = memmap_ram_pages(&m->memmap, 0, m->max_pfn) * 4;
	ull isa_holes_kb = 1024 - memmap_ram_pages(&m->memmap, 0, 256) * 4;
	ull k4 = meminfo_value(mi, "DirectMap4k"), m2 = meminfo_value(mi, "DirectMap2M");
	ull g1 = meminfo_value(mi, "DirectMap1G");
	assert_int_equal(k4 + m2 + g1, ram_kb + isa_holes_kb);
	assert_int_equal(m2 % 2048, 0);
	assert_int_equal(g1 % (1024 * 1024), 0);
	/* [1 MiB, 2 MiB) is a 4k head; 1 GiB pages cover the 1 GiB-aligned RAM */
	assert_true(k4 >= 1024);
	assert_true(g1 >= 1024 * 1024);
}

static void meminfo__2_6_32_i386__highmem_vmalloc_and_directmap_follow_the_kernel(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const char *mi = render(f, view_meminfo, false);
	ull freehigh = m->zones[m->zone_of_kind[ZK_HIGHMEM]].free_pages;

	check_meminfo_layout(mi, meminfo_32_i386);
	assert_null(strstr(mi, "MemAvailable"));
	assert_int_equal(meminfo_value(mi, "MemTotal"), m->totalram_pages * 4);
	assert_int_equal(meminfo_value(mi, "HighTotal"), m->totalhigh_pages * 4);
	assert_int_equal(meminfo_value(mi, "HighFree"), freehigh * 4);
	assert_int_equal(meminfo_value(mi, "LowTotal"), (m->totalram_pages - m->totalhigh_pages) * 4);
	assert_int_equal(meminfo_value(mi, "LowFree"), (free_pages_total(m) - freehigh) * 4);
	/* VMALLOC_END (0xff7fe000) - VMALLOC_START (high_memory + 8 MiB) */
	ull vstart = 0xC0000000ull + ((ull)m->max_low_pfn << 12) + (8ull << 20);
	assert_int_equal(meminfo_value(mi, "VmallocTotal"), (0xff7fe000ull - vstart) >> 10);
	/* VmallocChunk: the largest gap, after the boot's HPET ioremap (one
	 * page and its guard at VMALLOC_START) */
	assert_int_equal(meminfo_value(mi, "VmallocChunk"), (0xff7fe000ull - vstart - 8192) >> 10);
	assert_int_equal(meminfo_value(mi, "VmallocUsed"), 8);
	/* the first 4 MiB and the tail below max_low_pfn with 4k pages, 4M pages
	 * between; then mark_rodata_ro() (CONFIG_DEBUG_RODATA) makes [_text,
	 * _etext) read-only and splits the one 4M page that holds _etext
	 * (0xc14cb6ac: the text does not end on a 4 MiB boundary) into 1024 4k
	 * pages (__split_large_page()) */
	assert_int_equal(meminfo_value(mi, "DirectMap4k"), (1024 + m->max_low_pfn % 1024 + 1024) * 4);
	assert_int_equal(meminfo_value(mi, "DirectMap4M"), (m->max_low_pfn / 1024 - 1 - 1) * 4096);
	assert_non_null(strstr(mi, "\nHugepagesize:       4096 kB\n"));
}

static void meminfo__6_13_i386__has_the_highmem_lines_and_no_directmap1g(void **state)
{
	struct fx *f = *state;
	const char *mi = render(f, view_meminfo, false);
	const char *mlocked = strstr(mi, "\nMlocked:");
	const char *high = strstr(mi, "\nHighTotal:");
	const char *swap = strstr(mi, "\nSwapTotal:");
	assert_non_null(mlocked);
	assert_non_null(high);
	assert_non_null(swap);
	assert_true(mlocked < high && high < swap);
	assert_non_null(strstr(mi, "\nDirectMap4M:"));
	assert_null(strstr(mi, "DirectMap1G"));
	/* VMALLOC_END - VMALLOC_START: 1 GiB is past MAXMEM, so high_memory =
	 * VMALLOC_END - __VMALLOC_RESERVE (128M) and the area is 128M - the 8M
	 * VMALLOC_OFFSET hole = 120M, as Debian 6.1 i386 1G prints
	 * (real-kernels/i386-6.1-1G-2cpu/meminfo.txt: VmallocTotal: 122880 kB) */
	assert_non_null(strstr(mi, "\nVmallocTotal:     122880 kB\n"));
}

/* ---- /proc/iomem ------------------------------------------------------------------ */

/* kernel/resource.c r_show() printed REAL_IOMEM; the model's tree built
 * from it prints it back byte for byte */
static void iomem__real_iomem__prints_back_exactly_as_r_show_did(void **state)
{
	struct fx *f = *state;
	const char *io = render(f, view_iomem, false);
	assert_string_equal(io, REAL_IOMEM);
}

static void iomem__default_map__uses_width_8_and_two_spaces_per_level(void **state)
{
	struct fx *f = *state;
	const char *io = render(f, view_iomem, false);
	char buf[256];
	for (int i = 0; line_at(io, i, buf, sizeof buf); i++) {
		const char *p = buf;
		while (*p == ' ')
			p++;
		assert_int_equal((p - buf) % 2, 0);
		const char *dash = strchr(p, '-');
		assert_non_null(dash);
		assert_true(dash - p >= 8);
		assert_non_null(strstr(dash, " : "));
	}
	assert_non_null(strstr(io, "00100000-3fffffff : System RAM\n  01000000-"));
}

/* ---- the zone map ---------------------------------------------------------------- */

static void max_line_and_map_width(const char *text, size_t *max_len, size_t *map_len, int *maps)
{
	*max_len = 0;
	*map_len = 0;
	*maps = 0;
	for (const char *p = text; *p; ) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l > *max_len)
			*max_len = l;
		if (strncmp(p, "  |", 3) == 0) {
			if (*maps && l != *map_len)
				fail_msg("zone map lines differ in width");
			*map_len = l;
			(*maps)++;
		}
		p += l + (e ? 1 : 0);
	}
}

static void zones__output_width_does_not_depend_on_the_memory_size(void **state)
{
	(void)state;
	struct machine_config small = { .arch = "x86_64", .mem_bytes = 1ull << 30 };
	struct machine_config big = { .arch = "x86_64", .mem_bytes = 1ull << 40 };
	void *s1 = NULL, *s2 = NULL;
	assert_int_equal(boot(&s1, &small), 0);
	assert_int_equal(boot(&s2, &big), 0);
	const char *t1 = render(s1, view_zones, false);
	const char *t2 = render(s2, view_zones, false);
	size_t max1, max2, map1, map2;
	int n1, n2;
	max_line_and_map_width(t1, &max1, &map1, &n1);
	max_line_and_map_width(t2, &max2, &map2, &n2);
	assert_int_equal(n1, 2);        /* DMA, DMA32 */
	assert_int_equal(n2, 3);        /* DMA, DMA32, Normal */
	assert_int_equal(map1, map2);
	assert_int_equal(max1, max2);
	/* and every line of a zone's block has the same length in both */
	char a[512], b[512];
	for (int i = 0; line_at(t1, i, a, sizeof a); i++) {
		assert_true(line_at(t2, i, b, sizeof b));
		assert_int_equal(strlen(a), strlen(b));
	}
	teardown(&s1);
	teardown(&s2);
}

static const char *map_of(const char *text, const char *zone)
{
	static char map[256];
	const char *z = strstr(text, zone);
	assert_non_null(z);
	const char *p = strstr(z, "  |");
	assert_non_null(p);
	const char *e = strchr(p + 3, '|');
	assert_non_null(e);
	snprintf(map, sizeof map, "%.*s", (int)(e - p - 3), p + 3);
	return map;
}

static void zones__a_fresh_zone_is_free_and_allocations_show_up_in_their_column(void **state)
{
	struct fx *f = *state;
	const char *t = render(f, view_zones, false);
	const char *map = map_of(t, "\nDMA32 ");
	assert_int_equal(strlen(map), 64);
	assert_null(strchr(map, '#'));
	/* one column holds boot's one allocated page: vmalloc_init()'s
	 * vmap_area slab (6.13) */
	const char *o = strchr(map, 'o');
	assert_non_null(o);
	assert_null(strchr(o + 1, 'o'));
	assert_true(strchr(map, '.') != NULL);

	/* take the whole DMA zone: its columns become allocated */
	uint64_t pfn;
	gfp_t g = gfp(f->m, "GFP_DMA|__GFP_NOWARN");
	while (buddy_alloc_pages(f->m, g, 0, &pfn) == 0)
		;
	t = render(f, view_zones, false);
	map = map_of(t, "\nDMA ");
	assert_non_null(strchr(map, '#'));
	/* the first MiB is reserved by 6.13 and pfns 0x9f-0xff are a hole */
	assert_int_equal(map[0], 'R');
	assert_non_null(strchr(map, ' '));
}

static void zones__json_map_has_64_columns_per_zone(void **state)
{
	struct fx *f = *state;
	const char *t = render(f, view_zones, true);
	assert_json_object(t);
	assert_non_null(strstr(t, "\"columns\":64"));
}

/* ---- one page -------------------------------------------------------------------- */

static void page__allocated_page_names_its_block_and_gfp_flags(void **state)
{
	struct fx *f = *state;
	uint64_t pfn;
	gfp_t g = gfp(f->m, "GFP_KERNEL|__GFP_ZERO");
	assert_int_equal(buddy_alloc_pages(f->m, g, 3, &pfn), 0);
	out_init_buf(&f->o);
	view_page(&f->o, f->m, pfn + 1);
	char names[256], want[512];
	gfp_format(f->m->kp, g, names, sizeof names);
	snprintf(want, sizeof want, "allocated as part of the order-3 block at pfn 0x%llx, gfp %s\n", (ull)pfn, names);
	assert_non_null(strstr(f->o.buf, want));
	snprintf(want, sizeof want, "struct page 0x%llx\n", (ull)machine_page_ptr(f->m, pfn + 1));
	assert_non_null(strstr(f->o.buf, want));
	snprintf(want, sizeof want, "virtual   0x%llx (direct map)", (ull)machine_pfn_to_vaddr(f->m, pfn + 1));
	assert_non_null(strstr(f->o.buf, want));
}

static void page__free_page_names_its_block_and_list(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	const struct zone *z = &m->zones[m->zone_of_kind[ZK_NORMAL]];
	uint64_t pfn = z->start_pfn + z->spanned / 2 + 5;
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	assert_int_equal(pi.state, PS_FREE);
	out_init_buf(&f->o);
	view_page(&f->o, m, pfn);
	char want[256];
	snprintf(want, sizeof want, "free, in the order-%u block at pfn 0x%llx on the %s list", pi.order,
		 (ull)pi.block_pfn, view_mt_name(m, pi.mt));
	assert_non_null(strstr(f->o.buf, want));
}

static void page__highmem_page_has_no_kernel_mapping(void **state)
{
	struct fx *f = *state;
	out_init_buf(&f->o);
	view_page(&f->o, f->m, f->m->max_pfn - 1);
	assert_non_null(strstr(f->o.buf, "no kernel mapping (highmem)"));
	assert_non_null(strstr(f->o.buf, "zone      HighMem\n"));
	out_free(&f->o);
	out_init_buf(&f->o);
	view_page(&f->o, f->m, f->m->max_pfn);
	assert_non_null(strstr(f->o.buf, "beyond the end of memory"));
}

/* ---- free lists ---------------------------------------------------------------------- */

struct collect {
	uint64_t pfn[64];
	unsigned n;
};

static int collect_cb(void *arg, uint64_t pfn, unsigned order, int mt)
{
	struct collect *c = arg;
	(void)order;
	(void)mt;
	c->pfn[c->n++] = pfn;
	return c->n >= 64;
}

static void free_area__lists_the_first_32_blocks_in_list_order_then_how_many_more(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	int z = m->zone_of_kind[ZK_DMA32];
	int mt = m->kp->mt_movable;
	ull n = m->zones[z].free_area[10].nr_mt[mt];
	assert_true(n > 32);
	out_init_buf(&f->o);
	view_free_area(&f->o, m, z, 10);
	struct collect c = { .n = 0 };
	buddy_walk_list(m, z, 10, mt, 0, collect_cb, &c);
	const char *p = f->o.buf;
	for (unsigned i = 0; i < 32; i++) {
		char want[64];
		snprintf(want, sizeof want, "0x%llx-0x%llx", (ull)c.pfn[i], (ull)c.pfn[i] + 1023);
		const char *q = strstr(p, want);
		if (!q)
			fail_msg("block %u (%s) missing or out of list order", i, want);
		p = q + strlen(want);
	}
	char more[64];
	snprintf(more, sizeof more, "\xe2\x80\xa6 and %llu more\n", n - 32);
	assert_non_null(strstr(p, more));
	/* 6.13 frees boot memory to the tail: the list ascends */
	for (unsigned i = 1; i < c.n; i++)
		assert_true(c.pfn[i] > c.pfn[i - 1]);
}

/* ---- dmesg ----------------------------------------------------------------------------- */

static void dmesg__each_line_is_seconds_dot_micros_then_the_text(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	m->clock_us = 12345678901ull;
	dmesg_printf(m, "hello %d", 42);
	out_init_buf(&f->o);
	view_dmesg(&f->o, m, m->dmesg.start);
	char buf[1200], want[1200];
	size_t i = 0;
	for (size_t k = m->dmesg.start; k < m->dmesg.n; k++, i++) {
		const struct dmesg_line *l = &m->dmesg.v[k];
		snprintf(want, sizeof want, "[%5llu.%06llu] %s", (ull)(l->ts_us / 1000000), (ull)(l->ts_us % 1000000),
			 l->text);
		assert_true(line_at(f->o.buf, (int)i, buf, sizeof buf));
		assert_string_equal(buf, want);
	}
	assert_non_null(strstr(f->o.buf, "[12345.678901] hello 42\n"));
	assert_int_equal(count_lines(f->o.buf), (int)i);
}

/* ---- the change log -------------------------------------------------------------------- */

/* Parse "  buddyinfo ZONE: order K A->B, ..." lines against the snapshot. */
static void check_buddyinfo_delta(const struct machine *m, const struct nr_free_snapshot *before, const char *text)
{
	for (int z = 0; z < m->nr_zones; z++) {
		char head[64];
		snprintf(head, sizeof head, "  buddyinfo %s:", m->zones[z].name);
		const char *p = strstr(text, head);
		bool changed = false;
		for (int k = 0; k < NR_ORDERS; k++)
			changed |= before->nr_free[z][k] != free_area_nr_free(&m->zones[z].free_area[k]);
		if (!changed) {
			assert_null(p);
			continue;
		}
		assert_non_null(p);
		char line[1024];
		const char *e = strchr(p, '\n');
		snprintf(line, sizeof line, "%.*s", (int)(e - p), p);
		for (int k = 0; k < NR_ORDERS; k++) {
			char item[64];
			ull b = before->nr_free[z][k], a = free_area_nr_free(&m->zones[z].free_area[k]);
			snprintf(item, sizeof item, " order %d %llu->%llu", k, b, a);
			if (a != b)
				assert_non_null(strstr(line, item));
			else
				assert_null(strstr(line, item));
		}
	}
}

/* An Unmovable request that meets a zone with no Unmovable block yet: on
 * x86_64 6.13 Normal has boot's (vmalloc_init()'s vmap_area slab), DMA32
 * none */
/* a zone no boot allocation has touched: i386's Normal holds the tables
 * 2.6.32 takes after the buddy allocator is up (mnt_init(), inet_init()),
 * so DMA there */
static gfp_t fresh_kernel_gfp(struct machine *m)
{
	return gfp(m, m->arch->bits == 64 ? "GFP_KERNEL|GFP_DMA32" : "GFP_KERNEL|GFP_DMA");
}

static void changes__an_order_0_allocation_reports_the_take_each_split_and_the_buddyinfo_delta(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	struct nr_free_snapshot before;
	uint64_t pfn;

	view_snapshot(m, &before);
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, fresh_kernel_gfp(m), 0, &pfn), 0);
	out_init_buf(&f->o);
	view_changes(&f->o, m, &before, false);
	const char *t = f->o.buf;

	/* the take names the order it split from; one split line per halving */
	const char *take = strstr(t, ": took order-");
	assert_non_null(take);
	unsigned from = (unsigned)strtoul(take + strlen(": took order-"), NULL, 10);
	int splits = 0;
	for (const char *p = t; (p = strstr(p, ": split order-")); p++)
		splits++;
	assert_int_equal(splits, (int)from);
	char want[128];
	snprintf(want, sizeof want, ": allocated order-0 block at pfn 0x%llx (Unmovable)\n", (ull)pfn);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, ": split order-1 block at pfn 0x%llx: upper half 0x%llx -> order-0 ", (ull)pfn,
		 (ull)pfn + 1);
	assert_non_null(strstr(t, want));
	/* a fresh machine has no Unmovable blocks: the first one falls back */
	assert_non_null(strstr(t, ": fallback: Unmovable request took an order-"));
	char line[512];
	for (int i = 0; line_at(t, i, line, sizeof line); i++)
		assert_memory_equal(line, "  ", 2);
	check_buddyinfo_delta(m, &before, t);
}

static void changes__a_free_reports_each_merge_with_its_buddy(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	struct nr_free_snapshot before;
	uint64_t pfn;

	assert_int_equal(buddy_alloc_pages(m, fresh_kernel_gfp(m), 0, &pfn), 0);
	view_snapshot(m, &before);
	changelog_reset(m);
	assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
	out_init_buf(&f->o);
	view_changes(&f->o, m, &before, false);
	char want[128];
	snprintf(want, sizeof want, ": merged pfn 0x%llx with its buddy 0x%llx -> order 1\n", (ull)pfn,
		 (ull)(pfn ^ 1));
	assert_non_null(strstr(f->o.buf, want));
	snprintf(want, sizeof want, ": freeing order-0 block at pfn 0x%llx\n", (ull)pfn);
	assert_non_null(strstr(f->o.buf, want));
	assert_non_null(strstr(f->o.buf, ": put order-"));
	check_buddyinfo_delta(m, &before, f->o.buf);
}

static void changes__an_exhausted_zone_reports_the_watermark_numbers_and_the_slow_path(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	struct nr_free_snapshot before;
	uint64_t pfn;
	gfp_t g = gfp(m, "GFP_KERNEL|GFP_DMA|__GFP_NOWARN");
	int dma = m->zone_of_kind[ZK_DMA];

	while (buddy_alloc_pages(m, g, 0, &pfn) == 0)
		;
	view_snapshot(m, &before);
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), -ENOMEM);
	out_init_buf(&f->o);
	view_changes(&f->o, m, &before, false);
	const struct zone *z = &m->zones[dma];
	char want[160];
	snprintf(want, sizeof want, "  DMA: watermark check failed: free %llu <= low %llu + lowmem_reserve %llu\n",
		 (ull)z->free_pages, (ull)z->wmark[WMARK_LOW], (ull)z->lowmem_reserve[dma]);
	assert_non_null(strstr(f->o.buf, want));
	assert_non_null(strstr(f->o.buf, "  slow path: retrying with the min watermark"));
	snprintf(want, sizeof want, "  DMA: watermark check failed: free %llu <= min %llu + lowmem_reserve %llu\n",
		 (ull)z->free_pages, (ull)z->wmark[WMARK_MIN], (ull)z->lowmem_reserve[dma]);
	assert_non_null(strstr(f->o.buf, want));
	/* nothing on the LRU lists: direct reclaim scans nothing, and the OOM
	 * killer does not act below ZONE_NORMAL (__alloc_pages_may_oom()) */
	assert_non_null(strstr(f->o.buf, "  direct reclaim: priority 12 down to 0, scanned 0, reclaimed 0 pages"));
	assert_non_null(strstr(f->o.buf, "  slow path gives up: the OOM killer is not for this request\n"));
	/* nothing changed in the free lists */
	assert_null(strstr(f->o.buf, "buddyinfo"));
}

static void changes__explain_narrates_the_split_in_wrapped_sentences(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	struct nr_free_snapshot before;
	uint64_t pfn;

	/* the first Unmovable allocation of a fresh machine falls back to a
	 * Movable order-10 block and splits it down to order 0 */
	view_snapshot(m, &before);
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, fresh_kernel_gfp(m), 0, &pfn), 0);
	out_init_buf(&f->o);
	view_changes(&f->o, m, &before, true);
	const char *t = f->o.buf;
	assert_null(strstr(t, ": took order-"));        /* no event lines */
	/* the words may be wrapped anywhere: compare with the newlines and
	 * indentation folded to single spaces */
	char flat[8192];
	size_t n = 0;
	for (const char *p = t; *p && n < sizeof flat - 1; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			if (n && flat[n - 1] != ' ')
				flat[n++] = ' ';
			continue;
		}
		flat[n++] = *p;
	}
	flat[n] = '\0';
	assert_non_null(strstr(flat, "fell back"));
	assert_non_null(strstr(flat, "keeping the lower half each time"));
	assert_non_null(strstr(flat, "The caller gets the order-0 block"));
	assert_non_null(strstr(flat, "Free-list counts (/proc/buddyinfo) changed:"));
	assert_non_null(strstr(flat, "in half ten times"));
	char line[512];
	for (int i = 0; line_at(t, i, line, sizeof line); i++) {
		assert_true(strlen(line) <= 78);
		assert_memory_equal(line, "  ", 2);
	}
}

static void changes__dropped_events_are_counted(void **state)
{
	struct fx *f = *state;
	changelog_reset(f->m);
	f->m->log.dropped = 7;
	out_init_buf(&f->o);
	view_changes(&f->o, f->m, NULL, false);
	assert_non_null(strstr(f->o.buf, "(7 more events not shown"));
	out_free(&f->o);
	out_init_buf(&f->o);
	view_changes(&f->o, f->m, NULL, true);
	assert_non_null(strstr(f->o.buf, "7 more events"));
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void json_changes(struct fx *f, bool explain)
{
	struct nr_free_snapshot before;
	uint64_t pfn;
	view_snapshot(f->m, &before);
	changelog_reset(f->m);
	buddy_alloc_pages(f->m, gfp(f->m, "GFP_KERNEL"), 2, &pfn);
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = true;
	view_changes(&f->o, f->m, &before, explain);
	assert_json_object(f->o.buf);
	assert_non_null(strstr(f->o.buf, "\"changes\":[{\"kind\":"));
	assert_non_null(strstr(f->o.buf, "\"nr_free_changed\":[{\"zone\":"));
	if (explain)
		assert_non_null(strstr(f->o.buf, "\"explanation\":[\""));
}

static void json__every_renderer_produces_one_valid_object(void **state)
{
	struct fx *f = *state;
	void (*const fns[])(struct out *, const struct machine *) = {
		view_buddyinfo, view_pagetypeinfo, view_zoneinfo, view_meminfo, view_iomem,
		view_zones, view_machine,
	};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		assert_json_object(render(f, fns[i], true));

	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(f->m, gfp(f->m, "GFP_KERNEL"), 1, &pfn), 0);
	uint64_t pfns[] = { pfn, pfn + 1, 0, f->m->max_pfn - 1, f->m->max_pfn, f->m->max_pfn + 100 };
	for (size_t i = 0; i < sizeof pfns / sizeof pfns[0]; i++) {
		out_free(&f->o);
		out_init_buf(&f->o);
		f->o.json = true;
		view_page(&f->o, f->m, pfns[i]);
		assert_json_object(f->o.buf);
	}
	for (int z = 0; z < f->m->nr_zones; z++)
		for (int o = -1; o <= MAX_ORDER_MODEL; o++) {
			out_free(&f->o);
			out_init_buf(&f->o);
			f->o.json = true;
			view_free_area(&f->o, f->m, z, o);
			assert_json_object(f->o.buf);
		}
	dmesg_printf(f->m, "a \"quoted\" \\ line\twith\ttabs");
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = true;
	view_dmesg(&f->o, f->m, 0);
	assert_json_object(f->o.buf);
	json_changes(f, false);
	json_changes(f, true);
	/* buddyinfo's shape */
	const char *b = render(f, view_buddyinfo, true);
	assert_non_null(strstr(b, "{\"zones\":[{\"node\":0,\"zone\":\"DMA\",\"nr_free\":["));
}

/* ---- the result line of a step ------------------------------------------------------------ */

static const char *render_result(struct fx *f, const struct step_result *r, bool json)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = json;
	view_result(&f->o, f->m, r);
	return f->o.buf ? f->o.buf : "";
}

/* mm/page_alloc.c alloc_pages(GFP_KERNEL, 2) as values: the call, the
 * struct page pointer it returned, and the block's pfn, zone and order */
static void result__an_allocation_renders_call_value_and_block(void **state)
{
	struct fx *f = *state;
	uint64_t pfn;
	gfp_t g = gfp(f->m, "GFP_KERNEL");
	assert_int_equal(buddy_alloc_pages(f->m, g, 2, &pfn), 0);
	struct step_result r = { .value = { V_PAGE, machine_page_ptr(f->m, pfn) }, .kind = RESULT_BLOCK };
	step_call(&r, "alloc_pages");
	step_arg(&r, CA_GFP, g);
	step_arg(&r, CA_DEC, 2);
	r.u.block.pfn = pfn;
	r.u.block.order = 2;
	char want[256];
	snprintf(want, sizeof want, "alloc_pages(GFP_KERNEL, 2) = %#llx  [pfn %#llx, %s, order 2]\n",
		 (ull)machine_page_ptr(f->m, pfn), (ull)pfn, f->m->zones[machine_pfn_zone(f->m, pfn)].name);
	assert_string_equal(render_result(f, &r, false), want);
	const char *j = render_result(f, &r, true);
	assert_json_object(j);
	snprintf(want, sizeof want, "{\"call\":\"alloc_pages(GFP_KERNEL, 2)\",\"result\":\"%#llx\",\"kind\":\"page\",",
		 (ull)machine_page_ptr(f->m, pfn));
	assert_true(strncmp(j, want, strlen(want)) == 0);

	/* NULL with the model's reason; an argument that is a C string */
	struct step_result n = { .value = { V_ADDR, 0 }, .kind = RESULT_NO_PAGE, .reason = "no memory" };
	step_call(&n, "kmem_cache_create");
	step_arg_str(&n, CA_STRING, "a\"b");
	step_arg(&n, CA_HEX, 0);
	step_arg(&n, CA_HEX, 0x1f);
	assert_string_equal(render_result(f, &n, false), "kmem_cache_create(\"a\"b\", 0, 0x1f) = NULL  [no memory]\n");
	assert_json_object(render_result(f, &n, true));

	/* a step with no call renders nothing */
	struct step_result none = { .value = { V_NUM, 1 } };
	assert_string_equal(render_result(f, &none, false), "");
}

/* ---- names and the machine ----------------------------------------------------------- */

static void mt_name__gives_the_versions_names_and_a_question_mark_outside(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	for (int mt = 0; mt < m->kp->nr_migratetypes; mt++)
		assert_string_equal(view_mt_name(m, mt), m->kp->mt_names[mt]);
	assert_string_equal(view_mt_name(m, -1), "?");
	assert_string_equal(view_mt_name(m, m->kp->nr_migratetypes), "?");
}

static void machine__shows_page_offset_memmap_and_struct_page_size(void **state)
{
	struct fx *f = *state;
	const char *t = render(f, view_machine, false);
	char want[128];
	snprintf(want, sizeof want, "PAGE_OFFSET  0x%llx", (ull)machine_pfn_to_vaddr(f->m, 0));
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "sizeof(struct page) = %u\n", f->m->struct_page_size);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "at 0x%llx", (ull)machine_page_ptr(f->m, 0));
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "CPUs         %u\n", f->m->ncpus);
	assert_non_null(strstr(t, want));
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_checker__accepts_json_and_rejects_broken_text),
		T(buddyinfo__i386_1g__lines_follow_frag_show_print_with_the_models_nr_free, setup_i386_1g),
		T(buddyinfo__x86_64_1g__skips_the_unpopulated_zones, setup_x86_64_1g),
		T(buddyinfo__after_an_allocation__shows_the_new_counts, setup_x86_64_4g),
		T(pagetypeinfo__6_13__follows_pagetypeinfo_show_formats, setup_x86_64_4g),
		T(pagetypeinfo__2_6_32__lists_reserve_and_isolate_in_its_enum_order, setup_i386_1g),
		T(pagetypeinfo__6_13_1t__a_list_of_100000_or_more_prints_gt_100000, setup_x86_64_1t),
		T(pagetypeinfo__2_6_32_1t__counts_every_entry_without_a_cap, setup_x86_64_2632_1t),
		T(zoneinfo__real_iomem__shows_the_real_machines_zone_geometry, setup_x86_64_real),
		T(zoneinfo__6_13__watermarks_follow_setup_per_zone_wmarks, setup_x86_64_real),
		T(zoneinfo__6_13__watermarks_follow_setup_per_zone_wmarks, setup_x86_64_4g),
		T(zoneinfo__6_13__pagesets_follow_zone_batchsize_and_zone_highsize, setup_x86_64_real),
		T(zoneinfo__6_13__pagesets_follow_zone_batchsize_and_zone_highsize, setup_x86_64_1t),
		T(zoneinfo__6_13__an_unpopulated_zone_stops_after_protection, setup_x86_64_4g),
		T(zoneinfo__6_13__per_node_stats_appear_once_under_the_first_populated_zone, setup_x86_64_4g),
		T(zoneinfo__2_6_32__uses_its_own_layout_and_pcp_formulas, setup_i386_1g),
		T(meminfo__6_13__prints_the_kernels_lines_in_order_with_show_val_kb_padding, setup_x86_64_4g),
		T(meminfo__6_13__memavailable_is_free_minus_totalreserve_pages, setup_x86_64_real),
		T(meminfo__6_1__hardware_corrupted_has_its_own_5_wide_field, setup_x86_64_61),
		T(meminfo__x86_64__directmap_sizes_add_up_to_the_ram, setup_x86_64_real),
		T(meminfo__x86_64__directmap_sizes_add_up_to_the_ram, setup_x86_64_1t),
		T(meminfo__2_6_32_i386__highmem_vmalloc_and_directmap_follow_the_kernel, setup_i386_1g),
		T(meminfo__6_13_i386__has_the_highmem_lines_and_no_directmap1g, setup_i386_613),
		T(iomem__real_iomem__prints_back_exactly_as_r_show_did, setup_x86_64_real),
		T(iomem__default_map__uses_width_8_and_two_spaces_per_level, setup_i386_1g),
		cmocka_unit_test(zones__output_width_does_not_depend_on_the_memory_size),
		T(zones__a_fresh_zone_is_free_and_allocations_show_up_in_their_column, setup_x86_64_1g),
		T(zones__json_map_has_64_columns_per_zone, setup_i386_1g),
		T(page__allocated_page_names_its_block_and_gfp_flags, setup_x86_64_4g),
		T(page__free_page_names_its_block_and_list, setup_x86_64_4g),
		T(page__highmem_page_has_no_kernel_mapping, setup_i386_1g),
		T(free_area__lists_the_first_32_blocks_in_list_order_then_how_many_more, setup_x86_64_4g),
		T(dmesg__each_line_is_seconds_dot_micros_then_the_text, setup_i386_1g),
		T(changes__an_order_0_allocation_reports_the_take_each_split_and_the_buddyinfo_delta, setup_x86_64_4g),
		T(changes__an_order_0_allocation_reports_the_take_each_split_and_the_buddyinfo_delta, setup_i386_1g),
		T(changes__a_free_reports_each_merge_with_its_buddy, setup_x86_64_4g),
		T(changes__a_free_reports_each_merge_with_its_buddy, setup_i386_1g),
		T(changes__an_exhausted_zone_reports_the_watermark_numbers_and_the_slow_path, setup_x86_64_1g),
		T(changes__explain_narrates_the_split_in_wrapped_sentences, setup_x86_64_4g),
		T(changes__dropped_events_are_counted, setup_i386_1g),
		T(json__every_renderer_produces_one_valid_object, setup_x86_64_4g),
		T(result__an_allocation_renders_call_value_and_block, setup_x86_64_4g),
		T(result__an_allocation_renders_call_value_and_block, setup_i386_1g),
		T(json__every_renderer_produces_one_valid_object, setup_i386_1g),
		T(json__every_renderer_produces_one_valid_object, setup_x86_64_real),
		T(mt_name__gives_the_versions_names_and_a_question_mark_outside, setup_i386_1g),
		T(machine__shows_page_offset_memmap_and_struct_page_size, setup_x86_64_4g),
		T(machine__shows_page_offset_memmap_and_struct_page_size, setup_i386_1g),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
