/*
 * ptdump.c - `show pgtable`: the kernel's page tables as its page-table
 * dump prints them (arch/x86/mm/dump_pagetables.c).
 *
 * 6.13 prints /sys/kernel/debug/page_tables/kernel with the generic walker
 * of mm/ptdump.c: walk_page_range_novma() (mm/pagewalk.c) over each of
 * ptdump_walk_pgd_level_core()'s ranges calls note_page() for every leaf,
 * every empty entry (pte_hole() at real_depth()) and every pte, then
 * ptdump_walk_pgd() flushes with note_page(st, 0, -1, 0).  x86_64 walks
 * [0, PTRS_PER_PGD * PGD_LEVEL_MULT / 2) and [GUARD_HOLE_END_ADDR, ~0UL),
 * skipping the 16 top entries of the hypervisor guard hole; x86_32 walks
 * [0, ~0UL).  note_page() compares val & PTE_FLAGS_MASK (so a large page's
 * _PAGE_PAT_LARGE, bit 12, never shows) and the effective protection.
 * Configuration assumed for the #ifdefs of the marker tables: x86_64
 * CONFIG_MODIFY_LDT_SYSCALL=y, CONFIG_KASAN=n, CONFIG_X86_ESPFIX64=y,
 * CONFIG_EFI=y; x86_32 CONFIG_MODIFY_LDT_SYSCALL=y and CONFIG_HIGHMEM as
 * the profile says.
 *
 * 2.6.32 prints /sys/kernel/debug/kernel_page_tables with the file's own
 * walker: walk_pgd_level() notes every top entry (level 1, "pgd", even a
 * 4M page of 2-level i386), then pud 2, pmd 3, pte 4 where those levels are
 * real, and flushes at normalize_addr(PTRS_PER_PGD * PGD_LEVEL_MULT), which
 * is 0; it prints sizes from delta >> 10 with "KMGTPE", a 26-column
 * protection ("pat" at the pte level instead of PSE), and has no effective
 * protection and no line limit.
 *
 * note_page() groups entries into runs and prints the run so far when the
 * next entry differs in protection, effective protection or level, or lies
 * at or beyond the next address marker; a break advances at most one
 * marker, so a run that crosses several markers is printed under the
 * first.  A marker with max_lines (6.13's ESPfix Area: 16) prints only
 * that many runs and then "... N entries skipped ...".
 *
 * The walk always covers the whole address space, as the kernel's does,
 * so runs merge exactly as in the kernel's file; a range [start, end)
 * only selects the lines whose run meets it, each shown under its
 * marker's header.  The cost is one visit per entry of each materialised
 * table, whatever the size of RAM.
 */
#include <stddef.h>
#include <stdio.h>

#include "kmemsh/pgtable.h"
#include "view_int.h"

/* ---- the address markers -------------------------------------------------- */

struct marker {
	uint64_t start;
	const char *name;
	unsigned long max_lines;
};

/* A row of a kernel's address_markers[]: its start is a constant or a
 * field of struct kernel_layout. */
#define NO_FIELD ((size_t)-1)
#define ONLY_HIGHMEM 1u                 /* # ifdef CONFIG_HIGHMEM */
struct marker_def {
	const char *name;
	size_t field;                   /* offsetof(struct kernel_layout, ...) */
	uint64_t value;                 /* when field is NO_FIELD */
	unsigned long max_lines;
	unsigned only;
};

#define F(member) offsetof(struct kernel_layout, member), 0
#define V(v) NO_FIELD, (v)

/* 6.13 x86_64 (KASAN shadow markers left out: CONFIG_KASAN=n) */
static const struct marker_def markers_64_613[] = {
	{ "User Space", V(0), 0, 0 },
	{ "Kernel Space", V(1ull << 63), 0, 0 },
	{ "LDT remap", F(ldt_base), 0, 0 },
	{ "Low Kernel Mapping", F(page_offset), 0, 0 },
	{ "vmalloc() Area", F(vmalloc_start), 0, 0 },
	{ "Vmemmap", F(vmemmap_base), 0, 0 },
	{ "CPU entry Area", F(cpu_entry_area_base), 0, 0 },
	{ "ESPfix Area", V(0xffffff0000000000ull), 16, 0 },     /* ESPFIX_PGD_ENTRY (-2) << P4D_SHIFT */
	{ "EFI Runtime Services", V(0xffffffef00000000ull), 0, 0 }, /* EFI_VA_END: -68 GiB */
	{ "High Kernel Mapping", F(start_kernel_map), 0, 0 },
	{ "Modules", F(modules_vaddr), 0, 0 },
	{ "End Modules", F(modules_end), 0, 0 },
	{ "Fixmap Area", F(fixaddr_start), 0, 0 },
	{ NULL, V(0), 0, 0 },
};

/* 6.13 x86_32 */
static const struct marker_def markers_32_613[] = {
	{ "User Space", V(0), 0, 0 },
	{ "Kernel Mapping", F(page_offset), 0, 0 },
	{ "vmalloc() Area", F(vmalloc_start), 0, 0 },
	{ "vmalloc() End", F(vmalloc_end), 0, 0 },
	{ "Persistent kmap() Area", F(pkmap_base), 0, ONLY_HIGHMEM },
	{ "LDT remap", F(ldt_base), 0, 0 },
	{ "CPU entry area", F(cpu_entry_area_base), 0, 0 },
	{ "Fixmap area", F(fixaddr_start), 0, 0 },
	{ NULL, V(0), 0, 0 },
};

/* 2.6.32 x86_64 */
static const struct marker_def markers_64_2632[] = {
	{ "User Space", V(0), 0, 0 },
	{ "Kernel Space", V(1ull << 63), 0, 0 },
	{ "Low Kernel Mapping", F(page_offset), 0, 0 },
	{ "vmalloc() Area", F(vmalloc_start), 0, 0 },
	{ "Vmemmap", F(vmemmap_base), 0, 0 },
	{ "High Kernel Mapping", F(start_kernel_map), 0, 0 },
	{ "Modules", F(modules_vaddr), 0, 0 },
	{ "End Modules", F(modules_end), 0, 0 },
	{ NULL, V(0), 0, 0 },
};

/* 2.6.32 x86_32 ("Persisent" is the kernel's spelling) */
static const struct marker_def markers_32_2632[] = {
	{ "User Space", V(0), 0, 0 },
	{ "Kernel Mapping", F(page_offset), 0, 0 },
	{ "vmalloc() Area", F(vmalloc_start), 0, 0 },
	{ "vmalloc() End", F(vmalloc_end), 0, 0 },
	{ "Persisent kmap() Area", F(pkmap_base), 0, ONLY_HIGHMEM },
	{ "Fixmap Area", F(fixaddr_start), 0, 0 },
	{ NULL, V(0), 0, 0 },
};

#undef F
#undef V

#define MAX_MARKERS 20

/* ---- note_page() ------------------------------------------------------------- */

struct pg_state {
	struct out *o;
	const struct pt_geometry *g;
	bool old;                       /* 2.6.32 */
	uint64_t word;                  /* unsigned long: 32 or 64 bits */
	int width;                      /* sizeof(unsigned long) * 2 */
	uint64_t flags_mask;            /* PTE_FLAGS_MASK */
	int none;                       /* the level of "nothing noted yet" */
	/* the kernel's struct pg_state */
	int level;
	uint64_t current_prot, effective_prot;
	uint64_t start_address;
	const struct marker *marker;
	unsigned long lines;
	struct marker markers[MAX_MARKERS];
	/* the lines shown: runs meeting [lo, hi] */
	uint64_t lo, hi;
	const char *header;             /* the current marker's header */
	bool header_shown;
	uint64_t skipped_from;          /* first run not printed under this marker */
};

static const char *level_name(const struct pg_state *st, int level)
{
	static const char *const names_613[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	static const char *const names_2632[] = { "cr3", "pgd", "pud", "pmd", "pte" };
	if (level < 0 || level > 4)
		return "?";
	return st->old ? names_2632[level] : names_613[level];
}

/* 2.6.32 numbers its levels 1 (pgd) to 4 (pte); it had no p4d */
static int level_2632(enum pt_level l)
{
	static const int num[PTL_NR] = { [PTL_PGD] = 1, [PTL_P4D] = 1, [PTL_PUD] = 2, [PTL_PMD] = 3, [PTL_PTE] = 4 };
	return num[l];
}

/* printk_prot(): which columns are set (blank: the not-present filler) */
struct prot_cols {
	bool blank, usr, rw, pwt, pcd, pse, pat, glb, nx;
};

static struct prot_cols prot_columns(const struct pg_state *st, uint64_t pr, int level)
{
	struct prot_cols c = { .blank = true };
	if (st->old ? !pr : !(pr & _PAGE_PRESENT))
		return c;
	c.blank = false;
	c.usr = pr & _PAGE_USER;
	c.rw = pr & _PAGE_RW;
	c.pwt = pr & _PAGE_PWT;
	c.pcd = pr & _PAGE_PCD;
	if (st->old) {
		/* "Bit 9 has a different meaning on level 3 vs 4" */
		c.pse = level <= 3 && (pr & _PAGE_PSE);
		c.pat = level > 3 && (pr & _PAGE_PAT);
	} else {
		c.pse = level <= 3 && (pr & _PAGE_PSE);
		c.pat = (level == 4 && (pr & _PAGE_PAT)) ||
			((level == 3 || level == 2) && (pr & _PAGE_PAT_LARGE));
	}
	c.glb = pr & _PAGE_GLOBAL;
	c.nx = pr & _PAGE_NX;
	return c;
}

static void print_prot(struct pg_state *st, uint64_t pr, int level)
{
	struct out *o = st->o;
	struct prot_cols c = prot_columns(st, pr, level);
	if (c.blank) {
		out_printf(o, "%*s", st->old ? 26 : 30, "");
	} else {
		out_puts(o, c.usr ? "USR " : "    ");
		out_puts(o, c.rw ? "RW " : "ro ");
		out_puts(o, c.pwt ? "PWT " : "    ");
		out_puts(o, c.pcd ? "PCD " : "    ");
		if (st->old && level > 3)
			out_puts(o, c.pat ? "pat " : "    ");
		else
			out_puts(o, c.pse ? "PSE " : "    ");
		if (!st->old)
			out_puts(o, c.pat ? "PAT " : "    ");
		out_puts(o, c.glb ? "GLB " : "    ");
		out_puts(o, c.nx ? "NX " : "x  ");
	}
	out_printf(o, "%s\n", level_name(st, level));
}

/* the columns' words, single-spaced, for JSON */
static void prot_words(const struct pg_state *st, uint64_t pr, int level, char *buf, size_t len)
{
	struct prot_cols c = prot_columns(st, pr, level);
	buf[0] = '\0';
	if (c.blank)
		return;
	snprintf(buf, len, "%s%s %s%s%s%s%s%s", c.usr ? "USR " : "", c.rw ? "RW" : "ro",
		 c.pwt ? "PWT " : "", c.pcd ? "PCD " : "", c.pse ? "PSE " : "",
		 c.pat ? (st->old ? "pat " : "PAT ") : "", c.glb ? "GLB " : "", c.nx ? "NX" : "x");
}

static bool meets(const struct pg_state *st, uint64_t from, uint64_t to)
{
	uint64_t last = (to - 1) & st->word;    /* to 0: the run reaches the top */
	return from <= st->hi && last >= st->lo && from <= last;
}

static void show_header(struct pg_state *st)
{
	if (st->header_shown || st->o->json)
		return;
	st->header_shown = true;
	out_printf(st->o, "---[ %s ]---\n", st->header);
}

static void new_header(struct pg_state *st)
{
	st->header = st->marker->name;
	st->header_shown = false;
}

/* The run [start_address, addr): printed unless the marker's lines are
 * used up (6.13), shown if it meets the range. */
static void flush_run(struct pg_state *st, uint64_t addr)
{
	struct out *o = st->o;
	bool printed = !st->marker->max_lines || st->lines < st->marker->max_lines;
	uint64_t delta = (addr - st->start_address) & st->word;

	if (!printed && st->lines == st->marker->max_lines)
		st->skipped_from = st->start_address;
	st->lines++;
	if (!meets(st, st->start_address, addr))
		return;
	if (o->json) {
		char words[64];
		prot_words(st, st->current_prot, st->level, words, sizeof words);
		out_puts(o, "{\"area\":");
		out_json_str(o, st->marker->name);
		out_puts(o, ",\"start\":");
		view_json_hex(o, st->start_address);
		out_puts(o, ",\"end\":");
		view_json_hex(o, addr);
		out_printf(o, ",\"size\":%llu,\"level\":\"%s\",\"prot\":", (ull)delta, level_name(st, st->level));
		view_json_hex(o, st->current_prot);
		out_puts(o, ",\"flags\":");
		out_json_str(o, words);
		if (!printed)
			out_puts(o, ",\"suppressed\":true");
		out_puts(o, "}\n");
		return;
	}
	if (!printed)
		return;
	show_header(st);
	out_printf(o, "0x%0*llx-0x%0*llx   ", st->width, (ull)st->start_address, st->width, (ull)addr);
	const char *unit = st->old ? "KMGTPE" : "BKMGTPE";
	if (st->old)
		delta >>= 10;
	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	out_printf(o, "%9llu%c ", (ull)delta, *unit);
	print_prot(st, st->current_prot, st->level);
}

/* addr is at or beyond the next marker: say how many runs were not
 * printed (6.13), then the next marker's header */
static void next_marker(struct pg_state *st, uint64_t addr)
{
	if (st->marker->max_lines && st->lines > st->marker->max_lines) {
		unsigned long nskip = st->lines - st->marker->max_lines;
		if (!st->o->json && meets(st, st->skipped_from, addr)) {
			show_header(st);
			out_printf(st->o, "... %lu entr%s skipped ... \n", nskip, nskip == 1 ? "y" : "ies");
		}
	}
	st->marker++;
	st->lines = 0;
	new_header(st);
}

static void note_page(struct pg_state *st, uint64_t addr, int level, uint64_t val, uint64_t eff)
{
	uint64_t new_prot = val & st->flags_mask;
	uint64_t new_eff = val ? eff : 0;

	if (st->level == st->none) {
		/* first entry */
		st->current_prot = new_prot;
		st->effective_prot = new_eff;
		st->level = level;
		st->marker = st->markers;
		st->lines = 0;
		new_header(st);
	} else if (new_prot != st->current_prot || (!st->old && new_eff != st->effective_prot) ||
		   level != st->level || addr >= st->marker[1].start) {
		flush_run(st, addr);
		if (addr >= st->marker[1].start)
			next_marker(st, addr);
		st->start_address = addr;
		st->current_prot = new_prot;
		st->effective_prot = new_eff;
		st->level = level;
	}
}

/* ---- the walk ------------------------------------------------------------------ */

static void note_entry(void *arg, const struct pt_dump_entry *e)
{
	struct pg_state *st = arg;
	const struct pt_geometry *g = st->g;
	enum pt_level name = g->name[e->depth];

	if (st->old) {
		/* walk_*_level(): every entry that is not a table is noted */
		note_page(st, e->addr, level_2632(name), e->entry, 0);
	} else if (!e->entry) {
		note_page(st, e->addr, (int)g->hole_name[e->depth], 0, 0);     /* ptdump_hole() */
	} else if (e->leaf) {
		note_page(st, e->addr, (int)g->leaf_name[e->depth], e->entry, e->eff);
	} else if (name == PTL_PGD || name == PTL_P4D) {
		/* neither present nor a leaf: p4d_none_or_clear_bad() clears
		 * it as bad and reports a hole */
		note_page(st, e->addr, (int)g->hole_name[e->depth], 0, 0);
	}
	/* else a pud/pmd that is neither present nor a leaf: its _entry()
	 * callback notes nothing and the walk does not descend */
}

static int build_markers(const struct machine *m, bool old, struct marker *mk, uint64_t word)
{
	const struct marker_def *d = m->arch->bits == 64 ? (old ? markers_64_2632 : markers_64_613)
							  : (old ? markers_32_2632 : markers_32_613);
	int n = 0;
	for (; d->name && n < MAX_MARKERS - 2; d++) {
		if ((d->only & ONLY_HIGHMEM) && !m->arch->highmem)
			continue;
		uint64_t v = d->value;
		if (d->field != NO_FIELD)
			v = *(const uint64_t *)(const void *)((const char *)&m->layout + d->field);
		mk[n++] = (struct marker){ v & word, d->name, d->max_lines };
	}
	/* { -1, NULL }, twice so that marker[1] is always readable */
	mk[n] = (struct marker){ word, NULL, 0 };
	mk[n + 1] = mk[n];
	return n;
}

void view_ptdump(struct out *o, const struct machine *m, uint64_t start, uint64_t end)
{
	if (!m->pt)
		return;
	const struct pt_geometry *g = &m->pt->g;
	struct pg_state st = {
		.o = o, .g = g, .old = m->kp->kv == KV_2_6_32,
		.word = m->arch->bits == 64 ? ~0ull : 0xffffffffull,
		.width = m->arch->bits == 64 ? 16 : 8,
	};
	/* PTE_FLAGS_MASK: ~PTE_PFN_MASK, in unsigned long for 2-level i386 */
	st.flags_mask = ~g->addr_mask & (g->entry_bytes == 4 ? 0xffffffffull : ~0ull);
	st.none = st.old ? 0 : -1;
	st.level = st.none;
	st.lo = start & st.word;
	st.hi = end ? (end - 1) & st.word : st.word;
	build_markers(m, st.old, st.markers, st.word);

	if (st.old) {
		pgtable_dump_walk(m, 0, 0, note_entry, &st);
	} else if (m->arch->bits == 64) {
		/* ptdump_walk_pgd_level_core(): { 0, PTRS_PER_PGD * PGD_LEVEL_MULT / 2 },
		 * { GUARD_HOLE_END_ADDR, ~0UL } */
		unsigned s = g->shift[0];
		uint64_t guard_hole_end = ((uint64_t)-256 << s) + (16ull << s);
		pgtable_dump_walk(m, 0, 1ull << (g->va_bits - 1), note_entry, &st);
		pgtable_dump_walk(m, guard_hole_end, ~0ull, note_entry, &st);
	} else {
		pgtable_dump_walk(m, 0, 0xffffffffull, note_entry, &st);       /* { 0, ~0UL } */
	}
	/* flush out the last page: 6.13 note_page(st, 0, -1, 0); 2.6.32 at
	 * normalize_addr(PTRS_PER_PGD * PGD_LEVEL_MULT), 0 after the wrap,
	 * with level 0 */
	note_page(&st, 0, st.old ? 0 : -1, 0, 0);
}
