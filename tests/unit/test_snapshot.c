/*
 * test_snapshot.c - kmemsh --from: a real machine's /proc files loaded into
 * the model, checked against those same files.
 *
 * The snapshots in tests/data/snapshots/ are real: i386-6.1-1G-2cpu and
 * amd64-6.1-4G-2cpu are Debian 12 kernels under QEMU, read right after boot
 * (/work/shared/reference/real-kernels, laid out as DIR/proc/...);
 * x86_64-6.18-fc-24G-2cpu is the development machine, taken with
 * `kmemsh --snapshot`.  After loading, the model's own buddyinfo and
 * pagetypeinfo must be those files byte for byte, and its zoneinfo must show
 * the same spans, managed pages, watermarks and protection, and its
 * slabinfo the same rows, its vmallocinfo the same vmalloc areas.  Then commands
 * run on that state, and broken snapshots are refused with the file and line.
 * Run from the top of the repository (make check does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/snapshot.h"
#include "kmemsh/view.h"
#include "kmemsh/vmalloc.h"
#include "fixture.h"

#define DATA "tests/data/snapshots/"

static const char *const real[] = {
	DATA "i386-6.1-1G-2cpu", DATA "amd64-6.1-4G-2cpu", DATA "x86_64-6.18-fc-24G-2cpu",
	DATA "x86_64-6.18-fc-24G-2cpu-slab", DATA "x86_64-6.18-fc-24G-2cpu-user",
};

/* load dir (after edit, if given, has changed its texts); 0 or the error */
static int load(const char *dir, void (*edit)(struct snapshot *), struct snapshot *s, struct machine **m,
		char *err, size_t errlen)
{
	struct machine_config cfg = { 0 };
	int r = snapshot_read_dir(dir, s, err, errlen);
	assert_int_equal(r, 0);
	if (edit)
		edit(s);
	r = snapshot_configure(s, &cfg, err, errlen);
	if (!r)
		r = machine_create(&cfg, m, err, errlen);
	return r;
}

/* the lines of text that zoneinfo_show_print() prints for the zone's span,
 * managed pages, watermarks and protection, in order */
static void zone_fields(const char *text, char *out, size_t len)
{
	static const char *const keys[] = { "min ", "low ", "high ", "spanned ", "present ", "managed ",
					    "protection:", "start_pfn:" };
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = text; *p; ) {
		size_t n = strcspn(p, "\n");
		const char *q = p;
		while (*q == ' ')
			q++;
		bool keep = strncmp(p, "Node", 4) == 0;
		for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !keep; k++)
			keep = strncmp(q, keys[k], strlen(keys[k])) == 0;
		if (keep && o + (size_t)(p + n - q) + 2 < len) {
			/* the value, blanks squeezed (the model pads like 6.13) */
			for (const char *c = q; c < p + n; c++)
				if (*c != ' ' || (o && out[o - 1] != ' '))
					out[o++] = *c;
			out[o++] = '\n';
			out[o] = '\0';
		}
		p += n + (p[n] == '\n');
	}
}

/* the lines of a vmallocinfo text for vmalloc areas with pages */
static char *vmalloc_lines(const char *text)
{
	char *out = malloc(strlen(text) + 1);
	size_t o = 0;
	assert_non_null(out);
	for (const char *p = text; *p; ) {
		size_t n = strcspn(p, "\n");
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		if (strstr(line, " vmalloc") && strstr(line, " pages=") && !strstr(line, "ioremap")) {
			memcpy(out + o, p, n);
			o += n;
			out[o++] = '\n';
		}
		p += n + (p[n] == '\n');
	}
	out[o] = '\0';
	return out;
}

static void views_reproduce_the_real_proc_files(const char *dir)
{
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	int r = load(dir, NULL, &s, &m, err, sizeof err);
	if (r)
		fail_msg("%s: %s", dir, err);
	assert_int_equal(machine_check(m), 0);
	struct out o;
	out_init_buf(&o);
	view_buddyinfo(&o, m);
	assert_string_equal(o.buf, s.text[SF_BUDDYINFO]);
	out_free(&o);
	out_init_buf(&o);
	view_pagetypeinfo(&o, m);
	assert_string_equal(o.buf, s.text[SF_PAGETYPEINFO]);
	out_free(&o);
	out_init_buf(&o);
	view_zoneinfo(&o, m);
	static char want[16384], got[16384];
	zone_fields(s.text[SF_ZONEINFO], want, sizeof want);
	zone_fields(o.buf, got, sizeof got);
	assert_string_equal(got, want);
	out_free(&o);
	/* slabinfo: every row (name and all columns) as the file has it, in
	 * its order */
	out_init_buf(&o);
	view_slabinfo(&o, m);
	assert_string_equal(o.buf, s.text[SF_SLABINFO]);
	out_free(&o);
	/* vmallocinfo: the vmalloc areas (those with pages), at their
	 * addresses with their sizes and callers, unless the file's addresses
	 * are hashed */
	if (!strstr(s.notes, "hashed")) {
		out_init_buf(&o);
		view_vmallocinfo(&o, m);
		char *x = vmalloc_lines(o.buf), *y = vmalloc_lines(s.text[SF_VMALLOCINFO]);
		assert_true(strlen(y) > 0);
		assert_string_equal(x, y);
		free(x);
		free(y);
		out_free(&o);
	}
	machine_destroy(m);
	snapshot_free(&s);
}

static void from__i386_6_1__views_are_the_real_files(void **state)
{
	(void)state;
	views_reproduce_the_real_proc_files(real[0]);
}

static void from__amd64_6_1__views_are_the_real_files(void **state)
{
	(void)state;
	views_reproduce_the_real_proc_files(real[1]);
}

static void from__this_machine__views_are_the_real_files(void **state)
{
	(void)state;
	views_reproduce_the_real_proc_files(real[2]);
}

/* The i386 machine's Normal zone has one free order-4 Unmovable block
 * (pagetypeinfo); GFP_ATOMIC is Unmovable and finds it by
 * __rmqueue_smallest() without splitting anything. */
/* taken with --snapshot, sys/kernel/slab included */
static void from__this_machine_with_sysfs__views_are_the_real_files(void **state)
{
	(void)state;
	views_reproduce_the_real_proc_files(real[3]);
}

static void from__gfp_atomic_order_4__takes_the_real_unmovable_block(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512];
	assert_int_equal(load(real[0], NULL, &s, &m, err, sizeof err), 0);
	int nz = machine_zone_by_name(m, "Normal");
	int unmov = m->kp->mt_unmovable;
	assert_int_equal(m->zones[nz].free_area[4].nr_mt[unmov], 1);
	uint64_t before = m->zones[nz].free_pages, pfn;
	gfp_t g;
	size_t bad;
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC", &g, &bad), 0);
	assert_int_equal(buddy_alloc_pages(m, g, 4, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), nz);
	assert_int_equal(m->zones[nz].free_area[4].nr_mt[unmov], 0);
	assert_int_equal(m->zones[nz].free_pages, before - 16);
	assert_int_equal(buddy_free_pages(m, pfn, 4), 0);
	assert_int_equal(m->zones[nz].free_area[4].nr_mt[unmov], 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

/* min_free_kbytes missing: recovered from the zones' min watermarks as
 * __setup_per_zone_wmarks() makes them (42288 on the i386 machine, whose
 * file says 42288) */
static void drop_min_free(struct snapshot *s)
{
	free(s->text[SF_MIN_FREE_KBYTES]);
	s->text[SF_MIN_FREE_KBYTES] = NULL;
}

static void from__no_min_free_kbytes__derived_from_the_watermarks(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512];
	assert_int_equal(load(real[0], drop_min_free, &s, &m, err, sizeof err), 0);
	assert_int_equal(m->min_free_kbytes, 42288);
	assert_non_null(strstr(s.notes, "from the zones' min watermarks"));
	machine_destroy(m);
	snapshot_free(&s);
}

/* no pagetypeinfo (root only since 5.4): buddyinfo still exact, on the
 * Movable lists, and the notes say so */
static void drop_pagetypeinfo(struct snapshot *s)
{
	free(s->text[SF_PAGETYPEINFO]);
	s->text[SF_PAGETYPEINFO] = NULL;
	snprintf(s->why[SF_PAGETYPEINFO], sizeof s->why[SF_PAGETYPEINFO], "Permission denied");
}

static void from__no_pagetypeinfo__buddyinfo_exact_on_movable_lists(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512];
	assert_int_equal(load(real[1], drop_pagetypeinfo, &s, &m, err, sizeof err), 0);
	struct out o;
	out_init_buf(&o);
	view_buddyinfo(&o, m);
	assert_string_equal(o.buf, s.text[SF_BUDDYINFO]);
	out_free(&o);
	assert_non_null(strstr(s.notes, "proc/pagetypeinfo Permission denied: free blocks put on the Movable lists"));
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

/* ---- broken snapshots: one message naming the file and line, no machine ---- */

static void replace(char **text, const char *from, const char *to)
{
	char *p = strstr(*text, from);
	assert_non_null(p);
	size_t a = (size_t)(p - *text), fl = strlen(from), tl = strlen(to), n = strlen(*text);
	char *t = malloc(n - fl + tl + 1);
	assert_non_null(t);
	memcpy(t, *text, a);
	memcpy(t + a, to, tl);
	memcpy(t + a + tl, p + fl, n - a - fl + 1);
	free(*text);
	*text = t;
}

static void cut_zoneinfo(struct snapshot *s)
{
	/* the file ends inside the HighMem zone, before its "managed" line */
	char *p = strstr(s->text[SF_ZONEINFO], "zone  HighMem");
	assert_non_null(p);
	p = strstr(p, "        managed");
	*p = '\0';
}

static void drop_zoneinfo(struct snapshot *s)
{
	free(s->text[SF_ZONEINFO]);
	s->text[SF_ZONEINFO] = NULL;
	snprintf(s->why[SF_ZONEINFO], sizeof s->why[SF_ZONEINFO], "missing");
}

static void skew_buddyinfo(struct snapshot *s)
{
	/* Normal order 0: 2 free blocks in pagetypeinfo, 3 here */
	replace(&s->text[SF_BUDDYINFO], "zone   Normal      2", "zone   Normal      3");
}

static void cut_buddyinfo(struct snapshot *s)
{
	replace(&s->text[SF_BUDDYINFO], "3      4      3      1      3      1    199 \n", "3      4\n");
}

/* cut at the end of its first line: the Normal and HighMem lines gone */
static void buddyinfo_without_zones(struct snapshot *s)
{
	char *t = s->text[SF_BUDDYINFO];
	char *nl = strchr(t, '\n');
	assert_non_null(nl);
	nl[1] = '\0';
}

static void other_machine_zoneinfo(struct snapshot *s)
{
	replace(&s->text[SF_ZONEINFO], "present  220158", "present  220100");
}

static void bad_protection(struct snapshot *s)
{
	replace(&s->text[SF_ZONEINFO], "protection: (0, 816, 964, 964)", "protection: (0, 816, 964)");
}

static void too_many_free(struct snapshot *s)
{
	replace(&s->text[SF_BUDDYINFO], "zone      DMA      0      0      0      0      0      0      0      0      1      1      3",
		"zone      DMA      0      0      0      0      0      0      0      0      1      1      9");
	replace(&s->text[SF_PAGETYPEINFO], "type      Movable      0      0      0      0      0      0      0      0      0      0      3",
		"type      Movable      0      0      0      0      0      0      0      0      0      0      9");
}

static void cut_slabinfo(struct snapshot *s)
{
	/* the file ends in the middle of a row (dma-kmalloc-8k, line 90) */
	char *p = strstr(s->text[SF_SLABINFO], "kmalloc-8k");
	assert_non_null(p);
	p[20] = '\0';
}

static void cut_pagetypeinfo(struct snapshot *s)
{
	/* the file ends before the block counts */
	char *p = strstr(s->text[SF_PAGETYPEINFO], "Number of blocks type");
	assert_non_null(p);
	*p = '\0';
}

static void bad_min_free(struct snapshot *s)
{
	free(s->text[SF_MIN_FREE_KBYTES]);
	s->text[SF_MIN_FREE_KBYTES] = strdup("lots\n");
}

static void duplicate_zone(struct snapshot *s)
{
	/* Normal's lines again in place of the empty Movable zone: its managed
	 * pages were counted twice */
	char *n = strstr(s->text[SF_ZONEINFO], "Node 0, zone   Normal");
	char *h = strstr(s->text[SF_ZONEINFO], "Node 0, zone  HighMem");
	char *mv = strstr(s->text[SF_ZONEINFO], "Node 0, zone  Movable");
	assert_true(n && h && mv && n < h && h < mv);
	size_t a = (size_t)(mv - s->text[SF_ZONEINFO]), b = (size_t)(h - n);
	char *t = malloc(a + b + 1);
	assert_non_null(t);
	memcpy(t, s->text[SF_ZONEINFO], a);
	memcpy(t + a, n, b);
	t[a + b] = '\0';
	free(s->text[SF_ZONEINFO]);
	s->text[SF_ZONEINFO] = t;
}

static void duplicate_buddyinfo(struct snapshot *s)
{
	replace(&s->text[SF_BUDDYINFO], "Node 0, zone  HighMem",
		"Node 0, zone   Normal      3      3      0      0      3      4      3      1      3      1    199 \n"
		"Node 0, zone  HighMem");
}

static void long_buddyinfo_line(struct snapshot *s)
{
	/* a 12th count after 600 blanks: read cut at 511 bytes, the line had
	 * 11 counts and was taken */
	char to[700];
	snprintf(to, sizeof to, "    199 %600s\nNode 0, zone  HighMem", "7");
	replace(&s->text[SF_BUDDYINFO], "    199 \nNode 0, zone  HighMem", to);
}

static void huge_slabinfo_row(struct snapshot *s)
{
	/* a billion kmalloc-8 objects on a 1 GiB machine: loading took 15 s and
	 * 1.7 GB before running out of model memory */
	replace(&s->text[SF_SLABINFO], "fscrypt_info ",
		"kmalloc-8      1000000000 1000000000      8  512    1 : tunables    0    0    0 : "
		"slabdata 1953125 1953125      0\nfscrypt_info ");
}

static void huge_min_free(struct snapshot *s)
{
	/* was taken as 276447231 (cut to 32 bits) */
	free(s->text[SF_MIN_FREE_KBYTES]);
	s->text[SF_MIN_FREE_KBYTES] = strdup("99999999999999\n");
}

static void bad_last_vmalloc_line(struct snapshot *s)
{
	/* taken as a hashed file after its six areas were made: "no vmalloc
	 * area made", yet they were there */
	size_t n = strlen(s->text[SF_VMALLOCINFO]);
	const char *add = "0xf8000000-0xf8001000 8192 foo+0x0/0x10 pages=1 vmalloc\n";
	char *t = realloc(s->text[SF_VMALLOCINFO], n + strlen(add) + 1);
	assert_non_null(t);
	strcpy(t + n, add);
	s->text[SF_VMALLOCINFO] = t;
}

static void wrapping_free_counts(struct snapshot *s)
{
	/* 2^63 order-10 blocks on two lists add up to 0 = buddyinfo's count:
	 * loaded as none */
	replace(&s->text[SF_PAGETYPEINFO], "Normal, type    Unmovable      1      0      0      0      1      1      0      0      1      0      0 ",
		"Normal, type    Unmovable      1      0      0      0      1      1      0      0      1      0      9223372036854775808 ");
	replace(&s->text[SF_PAGETYPEINFO], "Normal, type  Reclaimable      0      0      0      0      1      1      1      0      1      0      0 ",
		"Normal, type  Reclaimable      0      0      0      0      1      1      1      0      1      0      9223372036854775808 ");
}

static void tiny_iomem(struct snapshot *s)
{
	/* 636 KiB of RAM: boot failed as "page tables: inconsistent mapping" */
	free(s->text[SF_IOMEM]);
	s->text[SF_IOMEM] = strdup("00000000-00000fff : Reserved\n00001000-0009ffff : System RAM\n");
}

static void iomem_without_bss(struct snapshot *s)
{
	/* code, rodata and data but no bss: on x86_64 boot failed as "page
	 * tables: inconsistent mapping" */
	replace(&s->text[SF_IOMEM], "  0be72000-0bee5fff : Kernel bss\n", "");
}

static void image_outside_ram(struct snapshot *s)
{
	/* the System RAM around the image gone: boot failed as "page tables:
	 * inconsistent mapping" */
	replace(&s->text[SF_IOMEM], "00100000-3ffdffff : System RAM\n", "");
}

static void drop_buddyinfo(struct snapshot *s)
{
	free(s->text[SF_BUDDYINFO]);
	s->text[SF_BUDDYINFO] = NULL;
	snprintf(s->why[SF_BUDDYINFO], sizeof s->why[SF_BUDDYINFO], "not a regular file");
}

static void empty_meminfo(struct snapshot *s)
{
	/* was loaded without a word: MemTotal was simply not compared */
	s->text[SF_MEMINFO][0] = '\0';
}

static void meminfo_first_line_only(struct snapshot *s)
{
	strchr(s->text[SF_MEMINFO], '\n')[1] = '\0';
}

static void meminfo_not_a_number(struct snapshot *s)
{
	replace(&s->text[SF_MEMINFO], "MemAvailable:     909476 kB", "MemAvailable:     lots kB");
}

static void meminfo_cut_in_a_name(struct snapshot *s)
{
	/* the file ends inside its third line's name */
	strstr(s->text[SF_MEMINFO], "MemAvailable:")[6] = '\0';
}

static void empty_slabinfo(struct snapshot *s)
{
	s->text[SF_SLABINFO][0] = '\0';
}

static void slabinfo_headers_only(struct snapshot *s)
{
	strstr(s->text[SF_SLABINFO], "\nfsverity_info")[1] = '\0';
}

static void zoneinfo_min_not_a_number(struct snapshot *s)
{
	replace(&s->text[SF_ZONEINFO], "        min      10381", "        min      x0381");
}

static void zoneinfo_cut_in_the_first_zone(struct snapshot *s)
{
	/* ends after DMA's watermarks: its span, managed and protection gone */
	strstr(s->text[SF_ZONEINFO], "        low      237\n")[20] = '\0';
}

static void buddyinfo_count_not_a_number(struct snapshot *s)
{
	replace(&s->text[SF_BUDDYINFO], "zone   Normal      2      3", "zone   Normal      2      x");
}

static void pagetypeinfo_extra_count(struct snapshot *s)
{
	/* a twelfth order on a Linux with eleven */
	replace(&s->text[SF_PAGETYPEINFO], "Movable      1      3      0      0      1      2      2      1      1      1    199 ",
		"Movable      1      3      0      0      1      2      2      1      1      1    199      0 ");
}

static void pagetypeinfo_extra_block_count(struct snapshot *s)
{
	replace(&s->text[SF_PAGETYPEINFO], "zone  HighMem            2           35            0            0            0 ",
		"zone  HighMem            2           35            0            0            0            7 ");
}

static void cpuinfo_processor_not_a_number(struct snapshot *s)
{
	replace(&s->text[SF_CPUINFO], "processor\t: 1", "processor\t: one");
}

static void refused(void (*edit)(struct snapshot *), const char *want)
{
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	assert_int_not_equal(load(real[0], edit, &s, &m, err, sizeof err), 0);
	assert_null(m);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_null(strchr(err, '\n'));
	snapshot_free(&s);
}

static void from__unreadable_buddyinfo__said_in_the_notes(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	/* a proc/buddyinfo that could not be read (a link to /dev/zero) was
	 * left out without a word when pagetypeinfo was there */
	assert_int_equal(load(real[0], drop_buddyinfo, &s, &m, err, sizeof err), 0);
	assert_non_null(strstr(s.notes, "proc/buddyinfo not a regular file: the free counts are proc/pagetypeinfo's alone\n"));
	machine_destroy(m);
	snapshot_free(&s);
}

/* A Linux 2.6.32 snapshot (synthetic, tests/data/snapshots/gen-i386-2.6.32.py:
 * the kernel's seq_file formats and formulas): zoneinfo without managed
 * lines and without the empty Movable zone, five migratetypes.  The model
 * prints its files back byte for byte, zoneinfo whole (the pagesets and
 * thresholds follow from the same spans). */
static void from__linux_2_6_32__views_are_its_files(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	if (load(DATA "i386-2.6.32-synthetic-1G-2cpu", NULL, &s, &m, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(m->kp->version, "2.6.32");
	assert_int_equal(machine_check(m), 0);
	static void (*const views[])(struct out *, const struct machine *) = {
		view_buddyinfo, view_pagetypeinfo, view_zoneinfo,
	};
	static const enum snapshot_file files[] = { SF_BUDDYINFO, SF_PAGETYPEINFO, SF_ZONEINFO };
	for (int v = 0; v < 3; v++) {
		struct out o;
		out_init_buf(&o);
		views[v](&o, m);
		assert_string_equal(o.buf, s.text[files[v]]);
		out_free(&o);
	}
	assert_int_equal(m->min_free_kbytes, 3798);
	assert_non_null(strstr(s.notes, "Linux 2.6.32-5-686: modelled as Linux 2.6.32, the nearest profile"));
	assert_null(strstr(s.notes, "watermark_scale_factor"));
	/* GFP_ATOMIC order 4 takes Normal's one free order-4 Unmovable block
	 * (the file's Unmovable row: 10 5 3 2 1 0 ...) without a split */
	gfp_t g;
	size_t bad;
	uint64_t pfn;
	int nz = machine_zone_by_name(m, "Normal");
	assert_int_equal(m->zones[nz].free_area[4].nr_mt[m->kp->mt_unmovable], 1);
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC", &g, &bad), 0);
	assert_int_equal(buddy_alloc_pages(m, g, 4, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), nz);
	assert_int_equal(m->zones[nz].free_area[4].nr_mt[m->kp->mt_unmovable], 0);
	assert_int_equal(m->zones[nz].free_area[3].nr_mt[m->kp->mt_unmovable], 2);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

static void version_6_1(struct snapshot *s)
{
	free(s->text[SF_VERSION]);
	s->text[SF_VERSION] = strdup("Linux version 6.1.0-50-686 (debian-kernel@lists.debian.org)\n");
}

static void from__2_6_32_zoneinfo_with_a_6_x_version__refused(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	assert_int_not_equal(load(DATA "i386-2.6.32-synthetic-1G-2cpu", version_6_1, &s, &m, err, sizeof err), 0);
	assert_null(m);
	assert_non_null(strstr(err, "proc/zoneinfo:1: zone DMA has no 'managed' line"));
	snapshot_free(&s);
}

/* ---- sys/kernel/slab ---------------------------------------------------------------- */

/* the names of the links to dir in a sys/kernel/slab text, in its order */
static unsigned links_to(const char *text, const char *dir, char names[][64], unsigned max)
{
	unsigned n = 0;
	for (const char *p = text; *p; ) {
		size_t len = strcspn(p, "\n");
		char line[512], a[64], b[64];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		if (sscanf(line, "%63s -> %63s", a, b) == 2 && !strcmp(b, dir)) {
			if (n < max)
				snprintf(names[n], 64, "%s", a);
			n++;
		}
		p += len + (p[len] == '\n');
	}
	return n;
}

/* Every merged cache of slabinfo has as many names merged into it as the
 * kernel's own count (its aliases attribute, refcount - 1); how many were
 * checked */
static unsigned aliases_are_the_kernels_count(const struct machine *m, const char *text)
{
	unsigned checked = 0;
	for (const char *p = text; *p; ) {
		size_t len = strcspn(p, "\n");
		char line[512], dir[64], names[16][64];
		unsigned al;
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		const char *a = strstr(line, " aliases=");
		if (line[0] != ':' || !a || sscanf(line, "%63s", dir) != 1 || sscanf(a, " aliases=%u", &al) != 1)
			continue;
		unsigned nl = links_to(text, dir, names, 16);
		int ci = -1;
		for (unsigned i = 0; i < nl && i < 16 && ci < 0; i++)
			ci = slab_cache_find(m, names[i]);
		if (ci < 0)
			continue;
		assert_int_equal(slab_cache_aliases(m, ci, NULL, 0), al);
		checked++;
	}
	return checked;
}

static void assert_aliases(const struct machine *m, const char *cache, const char *const *want, unsigned nwant)
{
	int ci = slab_cache_find(m, cache);
	assert_true(ci >= 0);
	const char *got[16];
	assert_int_equal(slab_cache_aliases(m, ci, got, 16), nwant);
	for (unsigned i = 0; i < nwant; i++) {
		assert_string_equal(got[i], want[i]);
		assert_int_equal(slab_alias_find(m, want[i]), ci);
	}
}

/* The real i386 kernel's sysfs (slab_sysfs.txt): UDP, PINGv6 and UDP-Lite
 * link to :A-0000896 (object_size 896, align 32, hwcache_align 1, aliases
 * 2), lsm_file_cache, audit_buffer and lsm_inode_cache to :0000016
 * (object_size 16, align 8, aliases 2); slabinfo lists UDP and
 * lsm_file_cache.  anon_vma is a directory of its own: object_size 52,
 * slab_size 56, align 8. */
static void from__sysfs__caches_get_object_size_align_and_merged_names(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	if (load(real[0], NULL, &s, &m, err, sizeof err))
		fail_msg("%s", err);
	const struct slab_state *st = m->slab;
	int udp = slab_cache_find(m, "UDP");
	assert_true(udp >= 0);
	assert_int_equal(st->caches[udp].g.object_size, 896);
	assert_int_equal(st->caches[udp].g.size, 896);
	assert_int_equal(st->caches[udp].g.align, 32);
	assert_true(st->caches[udp].flags & SLAB_HWCACHE_ALIGN_F);
	assert_aliases(m, "UDP", (const char *const[]){ "PINGv6", "UDP-Lite" }, 2);
	assert_aliases(m, "lsm_file_cache", (const char *const[]){ "audit_buffer", "lsm_inode_cache" }, 2);
	int av = slab_cache_find(m, "anon_vma");
	assert_true(av >= 0);
	assert_int_equal(st->caches[av].g.object_size, 52);
	assert_int_equal(st->caches[av].g.size, 56);
	assert_int_equal(st->caches[av].g.align, 8);
	assert_int_equal(slab_cache_aliases(m, av, NULL, 0), 0);
	assert_true(aliases_are_the_kernels_count(m, s.text[SF_SLAB_SYSFS]) >= 40);
	machine_destroy(m);
	snapshot_free(&s);
	if (load(real[3], NULL, &s, &m, err, sizeof err))
		fail_msg("%s", err);
	assert_true(aliases_are_the_kernels_count(m, s.text[SF_SLAB_SYSFS]) >= 40);
	machine_destroy(m);
	snapshot_free(&s);
	if (load(real[0], NULL, &s, &m, err, sizeof err))
		fail_msg("%s", err);
	st = m->slab;
	/* one struct kmem_cache: allocating by another name takes from it, and
	 * destroying it is refused (the kernel would drop one reference) */
	uint64_t before = st->caches[udp].active_objects, addr;
	gfp_t g;
	size_t bad;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL", &g, &bad), 0);
	assert_int_equal(slab_cache_alloc(m, slab_alias_find(m, "PINGv6"), g, &addr), 0);
	assert_int_equal(m->slab->caches[udp].active_objects, before + 1);
	assert_int_not_equal(slab_cache_destroy(m, udp), 0);
	assert_non_null(strstr(m->err, "UDP is one cache for 3 merged names"));
	assert_true(m->slab->caches[udp].live);
	int ci;
	assert_int_equal(slab_cache_create(m, "UDP-Lite", 64, 8, 0, &ci), -EEXIST);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

static void drop_slabinfo(struct snapshot *s)
{
	free(s->text[SF_SLABINFO]);
	s->text[SF_SLABINFO] = NULL;
	snprintf(s->why[SF_SLABINFO], sizeof s->why[SF_SLABINFO], "Permission denied");
}

static void assert_counts(const struct machine *m, const char *name, uint64_t active, uint64_t total, uint64_t slabs)
{
	int ci = slab_cache_find(m, name);
	assert_true(ci >= 0);
	assert_int_equal(m->slab->caches[ci].active_objects, active);
	assert_int_equal(m->slab->caches[ci].total_objects, total);
	assert_int_equal(m->slab->caches[ci].nr_slabs, slabs);
}

/* No proc/slabinfo: the rows are sysfs's, its objects, total_objects and
 * slabs (the real dump: anon_vma 146 146 2, kmalloc-16 1463 2816 11,
 * :0000016 11264 11264 44, named after its first link, audit_buffer) */
static void from__sysfs_without_slabinfo__caches_and_counts_from_sysfs(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	if (load(real[0], drop_slabinfo, &s, &m, err, sizeof err))
		fail_msg("%s", err);
	assert_counts(m, "anon_vma", 146, 146, 2);
	assert_counts(m, "kmalloc-16", 1463, 2816, 11);
	assert_counts(m, "audit_buffer", 11264, 11264, 44);
	assert_aliases(m, "audit_buffer", (const char *const[]){ "lsm_file_cache", "lsm_inode_cache" }, 2);
	assert_non_null(strstr(s.notes, "proc/slabinfo Permission denied: the caches and their counts are "
				       "sys/kernel/slab's"));
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

static void other_slab_size(struct snapshot *s)
{
	replace(&s->text[SF_SLAB_SYSFS], "anon_vma object_size=52 slab_size=56", "anon_vma object_size=52 slab_size=64");
}

static void dangling_alias(struct snapshot *s)
{
	replace(&s->text[SF_SLAB_SYSFS], "UDP -> :A-0000896", "UDP -> :A-0000897");
}

static void bad_sysfs_number(struct snapshot *s)
{
	replace(&s->text[SF_SLAB_SYSFS], "anon_vma object_size=52", "anon_vma object_size=5x");
}

static void two_rows_one_cache(struct snapshot *s)
{
	/* PINGv6 is UDP's other name: a row of its own cannot be */
	replace(&s->text[SF_SLABINFO], "UDP  ", "PINGv6                18     18    896   18    4 : tunables    0    0    0 : "
		"slabdata      1      1      0\nUDP  ");
}

static void from__sysfs_at_odds_with_slabinfo__refused_naming_the_line(void **state)
{
	(void)state;
	refused(other_slab_size, "anon_vma: slab_size 64, objs_per_slab 73, order 0, but proc/slabinfo:");
	refused(other_slab_size, "has 56, 73 and 1 pages (files from two machines?)");
	refused(dangling_alias, "sys/kernel/slab:");
	refused(dangling_alias, "UDP -> :A-0000897: no such cache directory");
	refused(bad_sysfs_number, "anon_vma: object_size=5x is not a number");
	refused(two_rows_one_cache, "are one cache in sys/kernel/slab (:A-0000896): two rows of one cache");
}

/* --snapshot writes sys/kernel/slab back as directories of one-line files
 * and links, and reads back the same */
static void snapshot_copy(const char *from)
{
	char dir[] = "/tmp/kmemsh-slabXXXXXX", p[512], got[64];
	assert_non_null(mkdtemp(dir));
	struct snapshot s, t;
	unsigned copied;
	char err[512];
	assert_int_equal(snapshot_write_dir(from, dir, &s, &copied, err, sizeof err), 0);
	assert_non_null(s.text[SF_SLAB_SYSFS]);
	assert_int_equal(snapshot_read_dir(dir, &t, err, sizeof err), 0);
	assert_non_null(t.text[SF_SLAB_SYSFS]);
	assert_string_equal(t.text[SF_SLAB_SYSFS], s.text[SF_SLAB_SYSFS]);
	/* the first link and the first directory of the text, as files */
	const char *l = strstr(s.text[SF_SLAB_SYSFS], " -> ");
	if (l) {
		const char *b = l;
		while (b > s.text[SF_SLAB_SYSFS] && b[-1] != '\n')
			b--;
		char name[64], tgt[64];
		assert_int_equal(sscanf(b, "%63s -> %63s", name, tgt), 2);
		snprintf(p, sizeof p, "%s/sys/kernel/slab/%s", dir, name);
		ssize_t k = readlink(p, got, sizeof got - 1);
		assert_true(k > 0);
		got[k] = '\0';
		assert_string_equal(got, tgt);
	}
	char name[64], val[64];
	assert_int_equal(sscanf(s.text[SF_SLAB_SYSFS], "%63s object_size=%63s", name, val), 2);
	snprintf(p, sizeof p, "%s/sys/kernel/slab/%s/object_size", dir, name);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	assert_non_null(fgets(got, sizeof got, f));
	fclose(f);
	strcat(val, "\n");
	assert_string_equal(got, val);
	snapshot_free(&s);
	snapshot_free(&t);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Not root: a cache directory's attributes unreadable (mode 0400 on
 * recent kernels).  Its bare name is kept, so the links to it still have
 * a target; here the directory is empty, which reads the same. */
/* Not root: /proc/iomem reads with every address zero (kernel/resource.c
 * r_show(): start and end are 0 unless the file was opened with
 * CAP_SYS_ADMIN).  --snapshot copies it all the same but
 * snapshot_iomem_loadable() says --from cannot use it; a real one passes */
static void snapshot__iomem_of_a_non_root_reader_is_flagged(void **state)
{
	(void)state;
	char from[] = "/tmp/kmemsh-iomaXXXXXX", to[] = "/tmp/kmemsh-iombXXXXXX", p[512];
	assert_non_null(mkdtemp(from));
	assert_non_null(mkdtemp(to));
	snprintf(p, sizeof p, "mkdir -p '%s/proc' && sed 's/^\\( *\\)[0-9a-f]*-[0-9a-f]* :/\\100000000-00000000 :/' "
		 DATA "i386-6.1-1G-2cpu/proc/iomem > '%s/proc/iomem' && cp " DATA "i386-6.1-1G-2cpu/proc/zoneinfo '%s/proc/'",
		 from, from, from);
	assert_int_equal(system(p), 0);
	struct snapshot s, t;
	unsigned copied;
	char err[512] = "";
	assert_int_equal(snapshot_write_dir(from, to, &s, &copied, err, sizeof err), 0);
	assert_int_equal(copied, 2);
	/* the message --from itself gives (snapshot.c map_source(), one rule) */
	assert_int_not_equal(snapshot_iomem_loadable(&s, err, sizeof err), 0);
	assert_non_null(strstr(err, "proc/iomem: every address is zero: the kernel shows them to root only, and "
				    "sys/firmware/memmap, which gives the RAM ranges to every user, is missing"));
	snapshot_free(&s);
	assert_int_equal(snapshot_read_dir(DATA "i386-6.1-1G-2cpu", &t, err, sizeof err), 0);
	assert_int_equal(snapshot_iomem_loadable(&t, err, sizeof err), 0);
	snapshot_free(&t);
	snprintf(p, sizeof p, "rm -rf '%s' '%s'", from, to);
	assert_int_equal(system(p), 0);
}

/* ---- not root: proc/iomem's addresses are zero, sys/firmware/memmap is not ---- */

/* each line of text is a line of file */
static void lines_in_file(const char *text, const char *file)
{
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	static char all[65536];
	size_t n = fread(all, 1, sizeof all - 1, f);
	fclose(f);
	all[n] = '\0';
	for (const char *p = text; *p; ) {
		size_t k = strcspn(p, "\n");
		char want[256];
		snprintf(want, sizeof want, "\n%.*s\n", (int)k, p);
		if (!strstr(all, want) && strncmp(all, want + 1, k + 1))
			fail_msg("'%.*s' is not a line of %s", (int)k, p, file);
		p += k + (p[k] == '\n');
	}
}

/* A snapshot as a user other than root would have taken it of the real
 * machine: src's files with every iomem address zero (kernel/resource.c
 * r_show()) and sys/firmware/memmap written from the same boot's
 * "BIOS-e820: [mem A-B] TYPE" lines (e820__memory_setup() prints the table
 * it copies into e820_table_firmware), e820_type_to_string()'s names. */
static void non_root_copy(const char *src, const char *dmesg, char *dir)
{
	char cmd[1024];
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "cp -r '%s/proc' '%s/' && sed -i 's/^\\( *\\)[0-9a-f]*-[0-9a-f]* :/\\100000000-00000000 :/' "
		 "'%s/proc/iomem'", src, dir, dir);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(dmesg, "r");
	assert_non_null(f);
	char line[512];
	int i = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long long a, b;
		char type[64], path[512];
		const char *p = strstr(line, "BIOS-e820: [mem ");
		if (!p || sscanf(p, "BIOS-e820: [mem %llx-%llx] %63[^\n]", &a, &b, type) != 3)
			continue;
		const char *name = !strcmp(type, "usable") ? "System RAM" : !strcmp(type, "reserved") ? "Reserved" : type;
		snprintf(cmd, sizeof cmd, "mkdir -p '%s/sys/firmware/memmap/%d'", dir, i);
		assert_int_equal(system(cmd), 0);
		const char *part[3] = { "start", "end", "type" };
		for (int k = 0; k < 3; k++) {
			snprintf(path, sizeof path, "%s/sys/firmware/memmap/%d/%s", dir, i, part[k]);
			FILE *o = fopen(path, "w");
			assert_non_null(o);
			if (k == 2)
				fprintf(o, "%s\n", name);
			else
				fprintf(o, "0x%llx\n", k ? b : a);
			fclose(o);
		}
		i++;
	}
	fclose(f);
	assert_true(i > 4);
}

static void rm_rf(const char *dir)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The real 6.1 machines so read load as they do from root's files: the
 * zones' start_pfn, spanned and present come out of the firmware map with
 * trim_bios_range()'s edits (snapshot_apply() refuses any other), the
 * views are the real files, and each range of the map is a line of the
 * real /proc/iomem */
static void from__zeroed_iomem__the_map_from_sys_firmware_memmap(void **state)
{
	(void)state;
	static const char *const dm[2] = { "tests/data/i386-6.1-qemu-1G.dmesg", "tests/data/amd64-6.1-qemu-4G.dmesg" };
	for (int i = 0; i < 2; i++) {
		char dir[] = "/tmp/kmemsh-nrootXXXXXX", iomem[256];
		non_root_copy(real[i], dm[i], dir);
		views_reproduce_the_real_proc_files(dir);
		struct snapshot s;
		struct machine *m = NULL;
		char err[512] = "";
		assert_int_equal(load(dir, NULL, &s, &m, err, sizeof err), 0);
		assert_non_null(strstr(s.notes, "proc/iomem: every address is zero (not read as root): RAM and reserved "
					       "ranges from sys/firmware/memmap"));
		assert_non_null(s.iomem_built);
		snprintf(iomem, sizeof iomem, "%s/proc/iomem", real[i]);
		lines_in_file(s.iomem_built, iomem);
		/* trim_bios_range(): the first page reserved, RAM from the second */
		assert_non_null(strstr(s.iomem_built, "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"));
		assert_int_equal(snapshot_iomem_loadable(&s, err, sizeof err), 1);
		machine_destroy(m);
		snapshot_free(&s);
		rm_rf(dir);
	}
}

/* This machine, taken with `kmemsh --snapshot` by a user other than root
 * (nobody): no pagetypeinfo, slabinfo or vmallocinfo, iomem all zeros; its
 * map is root's /proc/iomem's RAM and reserved lines (x86_64-6.18-fc-24G-2cpu,
 * the same machine read as root) */
static void from__this_machine_as_a_user__loads_with_the_firmware_map(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	int r = load(real[4], NULL, &s, &m, err, sizeof err);
	if (r)
		fail_msg("%s", err);
	assert_null(s.text[SF_PAGETYPEINFO]);
	lines_in_file(s.iomem_built, DATA "x86_64-6.18-fc-24G-2cpu/proc/iomem");
	struct out o;
	out_init_buf(&o);
	view_buddyinfo(&o, m);
	assert_string_equal(o.buf, s.text[SF_BUDDYINFO]);
	out_free(&o);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

static void fw_memmap_gone(struct snapshot *s)
{
	char *p = s->text[SF_IOMEM];
	for (char *l = p; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n')) {
		char *q = l + strspn(l, " ");
		if (strstr(q, " : ") && strchr(q, '-') < strstr(q, " : ")) {
			/* same length: every address digit a zero */
			for (char *c = q; c < strstr(q, " : "); c++)
				if (*c != '-')
					*c = '0';
		}
	}
	free(s->text[SF_FW_MEMMAP]);
	s->text[SF_FW_MEMMAP] = NULL;
	snprintf(s->why[SF_FW_MEMMAP], sizeof s->why[SF_FW_MEMMAP], "missing");
}

static void fw_memmap_bad_line(struct snapshot *s)
{
	fw_memmap_gone(s);
	s->text[SF_FW_MEMMAP] = strdup("0x0 0x9fbff System RAM\n0x100000 lots System RAM\n");
}

static void fw_memmap_overlap(struct snapshot *s)
{
	fw_memmap_gone(s);
	s->text[SF_FW_MEMMAP] = strdup("0x0 0x9fbff System RAM\n0x100000 0x3ffdffff System RAM\n"
				       "0x3ff00000 0x3fffffff Reserved\n");
}

/* drivers/firmware/memmap.c names each entry by a counter as it is added
 * (add_sysfs_fw_map_entry(): "%d", map_entries_nr++) and keeps them in that
 * order (firmware_map_add_entry(): list_add_tail()): the boot table's
 * entries come in address order, but memory hot-added later
 * (firmware_map_add_hotplug()) gets the next number wherever it lies, as
 * after removing and adding back two DIMMs in the other order.  Here the
 * RAM above 4 GiB is numbered before the reserved range below it. */
static void fw_memmap_hotplug_order(struct snapshot *s)
{
	free(s->text[SF_FW_MEMMAP]);
	s->text[SF_FW_MEMMAP] = strdup("0x0 0x9fbff System RAM\n0x9fc00 0xfffff Reserved\n"
				       "0x100000 0xbfffffff System RAM\n0x100000000 0x63fffffff System RAM\n"
				       "0xeec00000 0xfebfffff Reserved\n");
}

static void from__firmware_map_numbered_out_of_address_order__loads_as_the_kernel_lists_it(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512] = "";
	int r = load(real[4], fw_memmap_hotplug_order, &s, &m, err, sizeof err);
	if (r)
		fail_msg("%s", err);
	lines_in_file(s.iomem_built, DATA "x86_64-6.18-fc-24G-2cpu/proc/iomem");
	assert_non_null(strstr(s.iomem_built, "eec00000-febfffff : Reserved\n100000000-63fffffff : System RAM\n"));
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	snapshot_free(&s);
}

static void from__zeroed_iomem_without_a_firmware_map__says_root_is_needed(void **state)
{
	(void)state;
	refused(fw_memmap_gone, "i386-6.1-1G-2cpu/proc/iomem: every address is zero: the kernel shows them to root "
		"only, and sys/firmware/memmap, which gives the RAM ranges to every user, is missing; take the "
		"snapshot as root (sudo kmemsh --snapshot DIR)");
	refused(fw_memmap_bad_line, "sys/firmware/memmap:2: expected 'START END TYPE' (0x numbers)");
	refused(fw_memmap_overlap, "sys/firmware/memmap:3: entries overlapping (not a firmware memmap?)");
}

/* --snapshot copies sys/firmware/memmap (as N/start, N/end, N/type) and
 * reads back the same */
static void snapshot__copies_sys_firmware_memmap(void **state)
{
	(void)state;
	char to[] = "/tmp/kmemsh-fwmXXXXXX";
	assert_non_null(mkdtemp(to));
	struct snapshot s, t;
	unsigned copied;
	char err[512];
	assert_int_equal(snapshot_write_dir(real[4], to, &s, &copied, err, sizeof err), 0);
	assert_string_equal(s.text[SF_FW_MEMMAP], "0x0 0x9fbff System RAM\n0x9fc00 0xfffff Reserved\n"
			    "0x100000 0xbfffffff System RAM\n0xeec00000 0xfebfffff Reserved\n"
			    "0x100000000 0x63fffffff System RAM\n");
	assert_int_equal(snapshot_read_dir(to, &t, err, sizeof err), 0);
	assert_string_equal(t.text[SF_FW_MEMMAP], s.text[SF_FW_MEMMAP]);
	snapshot_free(&s);
	snapshot_free(&t);
	rm_rf(to);
}

static void snapshot__cache_without_attributes_keeps_its_directory(void **state)
{
	(void)state;
	char from[] = "/tmp/kmemsh-slabaXXXXXX", to[] = "/tmp/kmemsh-slabbXXXXXX", p[256];
	assert_non_null(mkdtemp(from));
	assert_non_null(mkdtemp(to));
	snprintf(p, sizeof p, "mkdir -p '%s/sys/kernel/slab/:0000016' && ln -s :0000016 '%s/sys/kernel/slab/foo'", from,
		 from);
	assert_int_equal(system(p), 0);
	struct snapshot s, t;
	unsigned copied;
	char err[512];
	assert_int_equal(snapshot_write_dir(from, to, &s, &copied, err, sizeof err), 0);
	assert_string_equal(s.text[SF_SLAB_SYSFS], ":0000016\nfoo -> :0000016\n");
	assert_int_equal(snapshot_read_dir(to, &t, err, sizeof err), 0);
	assert_string_equal(t.text[SF_SLAB_SYSFS], ":0000016\nfoo -> :0000016\n");
	snapshot_free(&s);
	snapshot_free(&t);
	snprintf(p, sizeof p, "rm -rf '%s' '%s'", from, to);
	assert_int_equal(system(p), 0);
}

static void snapshot__copies_sys_kernel_slab(void **state)
{
	(void)state;
	snapshot_copy(real[0]);
	/* this machine's own, when it has SLUB's sysfs */
	struct stat st;
	if (stat("/sys/kernel/slab", &st) == 0)
		snapshot_copy("/");
}

static void from__broken_snapshots__refused_naming_file_and_line(void **state)
{
	(void)state;
	refused(drop_zoneinfo, "i386-6.1-1G-2cpu/proc/zoneinfo: missing (this file is required)");
	refused(cut_zoneinfo, "proc/zoneinfo:113: zone HighMem has no 'managed' line (file cut short?)");
	refused(skew_buddyinfo, "proc/pagetypeinfo:10: zone Normal order 0: the types add up to 2 free blocks, "
		"proc/buddyinfo:2 has 3");
	refused(cut_buddyinfo, "proc/buddyinfo:2: zone Normal: 11 counts expected, 6 found (line cut short?)");
	refused(buddyinfo_without_zones, "proc/buddyinfo:1: zone Normal (220158 present pages in proc/zoneinfo) "
		"has no line (file cut short?)");
	refused(other_machine_zoneinfo, "proc/zoneinfo:78: zone Normal: start_pfn 4096, spanned 220158, present 220100, "
		"but proc/iomem gives i386 start_pfn 4096, spanned 220158, present 220158");
	refused(bad_protection, "proc/zoneinfo:53: protection has 3 values for 4 zones");
	refused(too_many_free, "zone DMA: 9984 free pages, more than its 3840 managed");
	refused(cut_slabinfo, "proc/slabinfo:90: expected NAME and 11 numbers in the 2.1 layout (line cut short?)");
	refused(cut_pagetypeinfo, "proc/pagetypeinfo: zone DMA has free counts but no block counts (file cut short?)");
	refused(bad_min_free, "proc/sys/vm/min_free_kbytes:1: expected a number from 0 to 2147483647");
	refused(huge_min_free, "proc/sys/vm/min_free_kbytes:1: expected a number from 0 to 2147483647");
	refused(long_buddyinfo_line, "proc/buddyinfo:2: line longer than 511 bytes");
	refused(huge_slabinfo_row, "proc/slabinfo:4: kmalloc-8: the slabs up to here take more than the zones' "
		"251178 managed pages (proc/zoneinfo)");
	refused(bad_last_vmalloc_line, "proc/vmallocinfo:12: 0xf8000000-0xf8001000 is not 8192 page-aligned bytes");
	refused(wrapping_free_counts, "proc/pagetypeinfo:10: zone Normal: 2^64 or more free pages, more than its 209480 managed");
	refused(tiny_iomem, "proc/iomem: 636 KiB of System RAM: i386 models 16M to 3G of RAM");
	refused(iomem_without_bss, "proc/iomem: no 'Kernel bss' line: the kernel image's code, data and bss come together");
	refused(image_outside_ram, "proc/iomem: the kernel image (0x");
	refused(duplicate_zone, "proc/zoneinfo:148: zone Normal again (first at line 78)");
	refused(duplicate_buddyinfo, "proc/buddyinfo:3: zone Normal again (first at line 2)");
	refused(empty_meminfo, "i386-6.1-1G-2cpu/proc/meminfo: no 'MemTotal:' line (empty file)");
	refused(meminfo_first_line_only, "i386-6.1-1G-2cpu/proc/meminfo: no 'MemFree:' line (file cut short?)");
	refused(meminfo_not_a_number, "proc/meminfo:3: expected 'NAME: NUMBER' or 'NAME: NUMBER kB'");
	refused(meminfo_cut_in_a_name, "proc/meminfo:3: expected 'NAME: NUMBER' or 'NAME: NUMBER kB'");
	refused(empty_slabinfo, "i386-6.1-1G-2cpu/proc/slabinfo: no cache rows (empty file)");
	refused(slabinfo_headers_only, "proc/slabinfo:2: no cache rows (file cut short?)");
	refused(zoneinfo_min_not_a_number, "proc/zoneinfo:81: 'min' is not followed by a number");
	refused(zoneinfo_cut_in_the_first_zone, "proc/zoneinfo:1: zone DMA has no 'high' line (file cut short?)");
	refused(buddyinfo_count_not_a_number, "proc/buddyinfo:2: zone Normal: 11 counts expected, 1 found");
	refused(pagetypeinfo_extra_count, "proc/pagetypeinfo:11: zone Normal type Movable: more than 11 counts");
	refused(pagetypeinfo_extra_block_count, "proc/pagetypeinfo:24: zone HighMem: more than 5 block counts");
	refused(cpuinfo_processor_not_a_number, "proc/cpuinfo:");
}

/* ---- round trip: a model machine's own views, loaded back ------------------------------ */

static void write_view(const char *dir, const char *rel, void (*view)(struct out *, const struct machine *),
		       const struct machine *m)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	struct out o;
	out_init_buf(&o);
	view(&o, m);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(o.buf, f);
	assert_int_equal(fclose(f), 0);
	out_free(&o);
}

static void round_trip(const char *arch, const char *kernel)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel };
	struct machine *a, *b;
	char err[512], dir[] = "/tmp/kmemsh-snapshot-XXXXXX", sub[600];
	assert_int_equal(machine_create(&cfg, &a, err, sizeof err), 0);
	/* fragment it: allocations of every order and type, every other freed */
	static const char *const gfps[] = { "GFP_KERNEL", "GFP_ATOMIC", "GFP_HIGHUSER_MOVABLE",
					    "GFP_KERNEL|__GFP_RECLAIMABLE", "GFP_DMA" };
	uint64_t pfn[200];
	unsigned ord[200];
	for (int i = 0; i < 200; i++) {
		gfp_t g;
		size_t bad;
		assert_int_equal(gfp_parse(a->kp, gfps[i % 5], &g, &bad), 0);
		ord[i] = (unsigned)(i * 7 % 11);
		if (buddy_alloc_pages(a, g, ord[i], &pfn[i]))
			pfn[i] = ~0ull;
	}
	for (int i = 0; i < 200; i += 2)
		if (pfn[i] != ~0ull)
			assert_int_equal(buddy_free_pages(a, pfn[i], ord[i]), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/proc", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_view(dir, "proc/iomem", view_iomem, a);
	write_view(dir, "proc/zoneinfo", view_zoneinfo, a);
	write_view(dir, "proc/buddyinfo", view_buddyinfo, a);
	write_view(dir, "proc/pagetypeinfo", view_pagetypeinfo, a);
	/* the release picks the profile (and 2.6.32's zoneinfo format) */
	snprintf(sub, sizeof sub, "%s/proc/version", dir);
	FILE *vf = fopen(sub, "w");
	assert_non_null(vf);
	fprintf(vf, "Linux version %s (kmemsh model) #1 SMP\n", kernel);
	assert_int_equal(fclose(vf), 0);

	struct snapshot s;
	int r = load(dir, NULL, &s, &b, err, sizeof err);
	if (r)
		fail_msg("%s %s: %s", arch, kernel, err);
	assert_int_equal(machine_check(b), 0);
	static const struct { void (*view)(struct out *, const struct machine *); } views[] = {
		{ view_buddyinfo }, { view_pagetypeinfo }, { view_zoneinfo },
	};
	for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
		struct out oa, ob;
		out_init_buf(&oa);
		out_init_buf(&ob);
		views[v].view(&oa, a);
		views[v].view(&ob, b);
		if (views[v].view == view_zoneinfo) {
			static char fa[16384], fb[16384];
			zone_fields(oa.buf, fa, sizeof fa);
			zone_fields(ob.buf, fb, sizeof fb);
			assert_string_equal(fb, fa);
		} else {
			assert_string_equal(ob.buf, oa.buf);
		}
		out_free(&oa);
		out_free(&ob);
	}
	/* recovered from the min watermarks and the managed pages the views
	 * show, which boot's frees after the watermarks (initmem, gaps) have
	 * raised, as on a real kernel: within a page per lowmem zone */
	long long dk = (long long)b->min_free_kbytes - (long long)(a->min_free_kbytes & ~3u);
	assert_true(dk >= -16 && dk <= 16);
	for (const char *const *f = (const char *const[]){ "iomem", "zoneinfo", "buddyinfo", "pagetypeinfo", "version", NULL };
	     *f; f++) {
		snprintf(sub, sizeof sub, "%s/proc/%s", dir, *f);
		unlink(sub);
	}
	snprintf(sub, sizeof sub, "%s/proc", dir);
	rmdir(sub);
	rmdir(dir);
	snapshot_free(&s);
	machine_destroy(a);
	machine_destroy(b);
}

/*
 * A machine booted with mem=, snapshot by a user other than root: its
 * proc/iomem reads as zeros and sys/firmware/memmap is e820_table_firmware,
 * which mem= never touched (parse_memopt() cuts e820_table:
 * e820__range_remove(mem_size, ULLONG_MAX - mem_size, E820_TYPE_RAM, 1)).
 * The map must lose the RAM from the limit up as the kernel's did, from
 * proc/cmdline's mem= (the smallest of several; after "--" it is init's);
 * without proc/cmdline the firmware's 5 GiB of RAM cannot be the 2 GiB
 * machine its zoneinfo shows, and --from says so.
 */
static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void from__non_root_snapshot_of_a_mem_limited_boot__takes_mem_from_proc_cmdline(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30,
				      .cmdline = "mem=3G mem=2G" };
	struct machine *a, *b = NULL;
	char err[512] = "", dir[] = "/tmp/kmemsh-memXXXXXX", cmd[700];
	assert_int_equal(machine_create(&cfg, &a, err, sizeof err), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/proc' '%s/sys/firmware/memmap'", dir, dir);
	assert_int_equal(system(cmd), 0);
	write_view(dir, "proc/zoneinfo", view_zoneinfo, a);
	write_view(dir, "proc/buddyinfo", view_buddyinfo, a);
	write_view(dir, "proc/pagetypeinfo", view_pagetypeinfo, a);
	write_view(dir, "proc/iomem", view_iomem, a);
	snprintf(cmd, sizeof cmd, "sed -i 's/^\\( *\\)[0-9a-f]*-[0-9a-f]* :/\\100000000-00000000 :/' '%s/proc/iomem'", dir);
	assert_int_equal(system(cmd), 0);
	write_file(dir, "proc/version", "Linux version 6.13 (kmemsh model) #1 SMP\n");
	/* the firmware's table of the model's 4 GiB PC (before mem=) */
	static const char *const fw[][3] = {
		{ "0x0", "0x9fbff", "System RAM" }, { "0x9fc00", "0x9ffff", "Reserved" },
		{ "0xf0000", "0xfffff", "Reserved" }, { "0x100000", "0xbfffffff", "System RAM" },
		{ "0xfffc0000", "0xffffffff", "Reserved" }, { "0x100000000", "0x13fffffff", "System RAM" },
	};
	for (int i = 0; i < 6; i++) {
		static const char *const part[3] = { "start", "end", "type" };
		char rel[64], text[64];
		snprintf(rel, sizeof rel, "sys/firmware/memmap/%d", i);
		snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s'", dir, rel);
		assert_int_equal(system(cmd), 0);
		for (int k = 0; k < 3; k++) {
			snprintf(rel, sizeof rel, "sys/firmware/memmap/%d/%s", i, part[k]);
			snprintf(text, sizeof text, "%s\n", fw[i][k]);
			write_file(dir, rel, text);
		}
	}
	struct snapshot s;
	/* no proc/cmdline: the firmware's RAM up to 5 GiB, refused */
	assert_int_equal(load(dir, NULL, &s, &b, err, sizeof err), -EINVAL);
	assert_null(b);
	assert_non_null(strstr(s.notes, "proc/cmdline missing: a mem= the machine was booted with is not known"));
	assert_non_null(strstr(err, "proc/zoneinfo:"));
	assert_non_null(strstr(err, "booted with mem=? proc/cmdline, which would say, is missing"));
	snapshot_free(&s);
	/* with it: the kernel's 2 GiB; a mem= after "--" is init's */
	write_file(dir, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=\"/dev/sda1\" mem=3G quiet mem=2G -- mem=1G\n");
	int r = load(dir, NULL, &s, &b, err, sizeof err);
	if (r)
		fail_msg("%s", err);
	assert_non_null(strstr(s.iomem_built, "00100000-7fffffff : System RAM\n"));
	assert_null(strstr(s.iomem_built, "100000000-"));
	assert_non_null(strstr(s.notes, "proc/cmdline: mem=2097152K: the RAM from there up taken out"));
	struct out oa, ob;
	out_init_buf(&oa);
	out_init_buf(&ob);
	view_buddyinfo(&oa, a);
	view_buddyinfo(&ob, b);
	assert_string_equal(ob.buf, oa.buf);
	out_free(&oa);
	out_free(&ob);
	assert_int_equal(machine_check(b), 0);
	/* --snapshot's check of the same files agrees: loadable from the
	 * firmware map */
	assert_int_equal(snapshot_iomem_loadable(&s, err, sizeof err), 1);
	machine_destroy(b);
	snapshot_free(&s);
	machine_destroy(a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void from__round_trip__model_views_load_back_identical(void **state)
{
	(void)state;
	round_trip("x86_64", "6.13");
	round_trip("i386", "6.13");
	/* 2.6.32's zoneinfo: no managed line, populated zones only */
	round_trip("i386", "2.6.32");
}

static void from__not_a_directory__says_so(void **state)
{
	(void)state;
	struct snapshot s;
	char err[512];
	assert_int_not_equal(snapshot_read_dir(DATA "no-such-snapshot", &s, err, sizeof err), 0);
	assert_string_equal(err, DATA "no-such-snapshot: No such file or directory");
	snapshot_free(&s);
}

static void from__fifo_and_device_files__not_read(void **state)
{
	(void)state;
	char dir[] = "/tmp/kmemsh-snapXXXXXX", p[128];
	struct snapshot s;
	char err[512];
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/proc", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/proc/zoneinfo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);   /* opening it waited for a writer for ever */
	snprintf(p, sizeof p, "%s/proc/buddyinfo", dir);
	assert_int_equal(symlink("/dev/zero", p), 0);
	snprintf(p, sizeof p, "%s/proc/iomem", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	alarm(20);
	assert_int_equal(snapshot_read_dir(dir, &s, err, sizeof err), 0);
	alarm(0);
	assert_null(s.text[SF_ZONEINFO]);
	assert_string_equal(s.why[SF_ZONEINFO], "not a regular file");
	assert_null(s.text[SF_BUDDYINFO]);
	assert_string_equal(s.why[SF_BUDDYINFO], "not a regular file");
	assert_null(s.text[SF_IOMEM]);
	assert_string_equal(s.why[SF_IOMEM], "Is a directory");
	snapshot_free(&s);
	for (const char *f = "zoneinfo"; f; f = strcmp(f, "zoneinfo") == 0 ? "buddyinfo" : NULL) {
		snprintf(p, sizeof p, "%s/proc/%s", dir, f);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/proc/iomem", dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/proc", dir);
	rmdir(p);
	rmdir(dir);
}

/* --snapshot runs as root: a link left in DIR is never written through */
static void snapshot__does_not_write_through_links(void **state)
{
	(void)state;
	char dir[] = "/tmp/kmemsh-snapXXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[256], victim[256];
	snprintf(p, sizeof p, "%s/proc", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	snprintf(p, sizeof p, "%s/proc/zoneinfo", dir);
	assert_int_equal(symlink(victim, p), 0);
	struct snapshot s;
	unsigned copied;
	char err[512];
	memset(&s, 0, sizeof s);
	assert_true(snapshot_write_dir(DATA "i386-6.1-1G-2cpu", dir, &s, &copied, err, sizeof err) != 0);
	snapshot_free(&s);
	struct stat st;
	assert_int_equal(lstat(victim, &st), -1); /* nothing written through the link */
	/* a linked directory below DIR is refused too */
	unlink(p);
	snprintf(p, sizeof p, "%s/proc", dir);
	char sub[300], rm[400];
	snprintf(sub, sizeof sub, "%s/sys", p);
	snprintf(rm, sizeof rm, "rm -rf '%s'", sub); /* the first run made it */
	assert_int_equal(system(rm), 0);
	assert_int_equal(symlink(victim, sub), 0);
	memset(&s, 0, sizeof s);
	assert_true(snapshot_write_dir(DATA "i386-6.1-1G-2cpu", dir, &s, &copied, err, sizeof err) != 0);
	assert_non_null(strstr(err, "not a directory"));
	snapshot_free(&s);
	assert_int_equal(lstat(victim, &st), -1);
	/* tidy up */
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* the real amd64 6.1 machine's cmdline.txt as its proc/cmdline */
static void with_real_cmdline(struct snapshot *s)
{
	free(s->text[SF_CMDLINE]);
	s->text[SF_CMDLINE] = strdup("console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 log_buf_len=4M "
				     "transparent_hugepage=never nokaslr\n");
}

/* --from without --cmdline: the boot log's command-line lines are
 * proc/cmdline's, as the real dmesg.txt's lines 2, 110 and 111 */
static void from__root_snapshot__command_lines_are_proc_cmdline(void **state)
{
	(void)state;
	struct snapshot s;
	struct machine *m = NULL;
	char err[512];
	if (load(DATA "amd64-6.1-4G-2cpu", with_real_cmdline, &s, &m, err, sizeof err))
		fail_msg("%s", err);
	const char *cl = "console=ttyS0 panic=-1 no_hash_pointers mminit_loglevel=4 log_buf_len=4M "
			 "transparent_hugepage=never nokaslr";
	char want[256];
	snprintf(want, sizeof want, "Command line: %s", cl);
	assert_true(dmesg_find_line(m, want) >= 0);
	snprintf(want, sizeof want, "Kernel command line: %s", cl);
	assert_true(dmesg_find_line(m, want) >= 0);
	assert_true(dmesg_find_line(m, "Unknown kernel command line parameters \"nokaslr\", will be passed to user "
				       "space.") >= 0);
	machine_destroy(m);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from__i386_6_1__views_are_the_real_files),
		cmocka_unit_test(from__amd64_6_1__views_are_the_real_files),
		cmocka_unit_test(from__this_machine__views_are_the_real_files),
		cmocka_unit_test(from__this_machine_with_sysfs__views_are_the_real_files),
		cmocka_unit_test(from__gfp_atomic_order_4__takes_the_real_unmovable_block),
		cmocka_unit_test(from__no_min_free_kbytes__derived_from_the_watermarks),
		cmocka_unit_test(from__no_pagetypeinfo__buddyinfo_exact_on_movable_lists),
		cmocka_unit_test(from__unreadable_buddyinfo__said_in_the_notes),
		cmocka_unit_test(from__broken_snapshots__refused_naming_file_and_line),
		cmocka_unit_test(from__linux_2_6_32__views_are_its_files),
		cmocka_unit_test(from__2_6_32_zoneinfo_with_a_6_x_version__refused),
		cmocka_unit_test(from__sysfs__caches_get_object_size_align_and_merged_names),
		cmocka_unit_test(from__sysfs_without_slabinfo__caches_and_counts_from_sysfs),
		cmocka_unit_test(from__sysfs_at_odds_with_slabinfo__refused_naming_the_line),
		cmocka_unit_test(snapshot__copies_sys_kernel_slab),
		cmocka_unit_test(snapshot__iomem_of_a_non_root_reader_is_flagged),
		cmocka_unit_test(snapshot__cache_without_attributes_keeps_its_directory),
		cmocka_unit_test(from__zeroed_iomem__the_map_from_sys_firmware_memmap),
		cmocka_unit_test(from__this_machine_as_a_user__loads_with_the_firmware_map),
		cmocka_unit_test(from__zeroed_iomem_without_a_firmware_map__says_root_is_needed),
		cmocka_unit_test(from__firmware_map_numbered_out_of_address_order__loads_as_the_kernel_lists_it),
		cmocka_unit_test(snapshot__copies_sys_firmware_memmap),
		cmocka_unit_test(from__round_trip__model_views_load_back_identical),
		cmocka_unit_test(from__non_root_snapshot_of_a_mem_limited_boot__takes_mem_from_proc_cmdline),
		cmocka_unit_test(from__root_snapshot__command_lines_are_proc_cmdline),
		cmocka_unit_test(from__not_a_directory__says_so),
		cmocka_unit_test(from__fifo_and_device_files__not_read),
		cmocka_unit_test(snapshot__does_not_write_through_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
