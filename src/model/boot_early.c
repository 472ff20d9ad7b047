/*
 * boot_early.c - the boot log's first lines and the e820 table they print:
 * the part of setup_arch() and start_kernel() before the memory
 * allocators, grouped as the kernel groups it.
 *
 * arch/x86/kernel/e820.c: the table as the machine's map holds it
 * (e820_table()), e820__print_table(), e820__finish_early_params() (mem='s
 * "user-defined physical RAM map:"), trim_bios_range()'s update/remove
 * lines and e820_end_pfn()'s "last_pfn =", and the table counts
 * memblock_setup_arch_resources() sizes (boot_e820_counts()).
 *
 * init/main.c and init/version.c: linux_banner, setup_arch()'s "Command
 * line:", unknown_bootoption() with its MAX_INIT_ARGS/MAX_INIT_ENVS limits
 * and print_unknown_bootoptions(), over the words of cmdline.c.
 *
 * Called from boot.c only (boot_impl.h); the model never prints, so each
 * line goes to the machine's dmesg ring.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "boot_impl.h"
#include "kmemsh/cmdline.h"
#include "kmemsh/machine.h"
#include "kmemsh/memblock.h"
#include "kmemsh/snapshot.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)

/* ---- arch/x86/kernel/e820.c ------------------------------------------- */

/* e820_print_type(): the /proc/iomem names e820__reserve_resources()
 * gives each e820 type (e820_type_to_string()) */
static const struct { const char *iomem, *e820; } e820_types[] = {
	{ "System RAM", "usable" }, { "Reserved", "reserved" }, { "Soft Reserved", "soft reserved" },
	{ "ACPI Tables", "ACPI data" }, { "ACPI Non-volatile Storage", "ACPI NVS" },
	{ "Unusable memory", "unusable" }, { "Persistent Memory", "persistent (type 7)" },
	{ "Persistent Memory (legacy)", "persistent (type 12)" },
};

struct e820_entry_m {
	uint64_t start, end;            /* inclusive */
	const char *type;
};

/* The e820 table as the resource tree holds it, in address order, the
 * adjacent entries of one type merged (e820__update_table()). */
static void e820_collect(const struct resource *r, bool old, struct e820_entry_m *v, size_t *n, size_t cap)
{
	for (; r; r = r->sibling) {
		const char *type = NULL;
		for (size_t i = 0; i < sizeof e820_types / sizeof e820_types[0]; i++)
			if (strcmp(r->name, e820_types[i].iomem) == 0)
				type = e820_types[i].e820;
		/* 2.6.32 e820_reserve_resources() names E820_RESERVED "reserved" */
		if (old && strcmp(r->name, "reserved") == 0)
			type = "reserved";
		if (!type) {
			e820_collect(r->child, old, v, n, cap);
			continue;
		}
		if (*n && v[*n - 1].type == type && v[*n - 1].end + 1 == r->start)
			v[*n - 1].end = r->end;
		else if (*n < cap)
			v[(*n)++] = (struct e820_entry_m){ r->start, r->end, type };
	}
}

/*
 * The e820 table as setup_arch() holds it before trim_bios_range(): the
 * resource tree's e820 entries (e820_collect()), with a reserved first
 * page (6.x's trim_bios_range() makes it so; the firmware reports it
 * usable) given back to the usable range after it.  2.6.32's reserved first 64 KiB
 * stays: the model has the firmware map mark it (kmemsh.7, BOOT).
 */
static void e820_table(const struct machine *m, struct e820_entry_m *v, size_t *n, size_t cap)
{
	*n = 0;
	e820_collect(m->memmap.root.child, m->kp->kv == KV_2_6_32, v, n, cap);
	if (*n > 1 && v[0].start == 0 && v[0].end == PAGE_SIZE - 1 && strcmp(v[0].type, "reserved") == 0 &&
	    strcmp(v[1].type, "usable") == 0 && v[1].start == PAGE_SIZE) {
		v[1].start = 0;
		memmove(v, v + 1, --*n * sizeof v[0]);
	}
}

/*
 * e820__print_table(who) (6.x): "WHO: [mem 0x%016Lx-0x%016Lx] TYPE";
 * 2.6.32 e820_print_map(who): " WHO: %016Lx - %016Lx " (the end
 * exclusive), then e820_print_type() in parentheses.
 */
static void e820_print_table(struct machine *m, const char *who, const struct e820_entry_m *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m->kp->kv == KV_2_6_32)
			dmesg_printf(m, " %s: %016llx - %016llx (%s)", who, (unsigned long long)v[i].start,
				     (unsigned long long)(v[i].end + 1), v[i].type);
		else
			dmesg_printf(m, "%s: [mem 0x%016llx-0x%016llx] %s", who, (unsigned long long)v[i].start,
				     (unsigned long long)v[i].end, v[i].type);
	}
}

/*
 * e820__finish_early_params(): with userdef, the RAM mem= took out goes
 * (e820__range_remove() of parse_memopt(), done here once the map is
 * there), then "user-defined physical RAM map:" and e820__print_table("user").
 * The table is the one of that moment: trim_bios_range() turns page 0 to
 * reserved only later in setup_arch(), so the map's reserved first page
 * prints with the usable range after it.
 */
int e820_finish_early_params(struct machine *m, char *err, size_t errlen)
{
	uint64_t lim = m->boot.mem_limit;
	if (lim && memmap_remove_ram_above(&m->memmap, lim)) {
		model_err_buf(err, errlen, "--cmdline: mem=%lluK: below the end of the kernel image",
			      (unsigned long long)(lim >> 10));
		return -EINVAL;
	}
	m->mem_bytes = memmap_ram_pages(&m->memmap, 0, ~0ull >> PAGE_SHIFT) << PAGE_SHIFT;
	if (m->mem_bytes < m->arch->min_mem) {
		model_err_buf(err, errlen, "--cmdline: mem=%lluK leaves %llu KiB of System RAM: %s models %lluM to %lluG of RAM",
			      (unsigned long long)(lim >> 10), (unsigned long long)(m->mem_bytes >> 10), m->arch->name,
			      (unsigned long long)(m->arch->min_mem >> 20), (unsigned long long)(m->arch->max_mem >> 30));
		return -EINVAL;
	}
	struct e820_entry_m v[128];         /* E820_MAX_ENTRIES_ZEROPAGE */
	size_t n;
	e820_table(m, v, &n, sizeof v / sizeof v[0]);
	dmesg_printf(m, "user-defined physical RAM map:");
	e820_print_table(m, "user", v, n);
	return 0;
}

/*
 * e820_end_pfn() (6.x e820.c; 2.6.32 the same): the end of the last RAM
 * entry that starts below limit_pfn (limit_pfn itself when it runs past
 * it), at most MAX_ARCH_PFN, and "last_pfn = %#lx max_arch_pfn = %#lx".
 */
static uint64_t e820_end_pfn(struct machine *m, const struct e820_entry_m *v, size_t n, uint64_t limit_pfn,
			     uint64_t max_arch_pfn)
{
	uint64_t last_pfn = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].type, "usable"))
			continue;
		uint64_t start_pfn = v[i].start >> PAGE_SHIFT, end_pfn = (v[i].end + 1) >> PAGE_SHIFT;
		if (start_pfn >= limit_pfn)
			continue;
		if (end_pfn > limit_pfn) {
			last_pfn = limit_pfn;
			break;
		}
		if (end_pfn > last_pfn)
			last_pfn = end_pfn;
	}
	if (last_pfn > max_arch_pfn)
		last_pfn = max_arch_pfn;
	dmesg_printf(m, "last_pfn = %#llx max_arch_pfn = %#llx", (unsigned long long)last_pfn,
		     (unsigned long long)max_arch_pfn);
	return last_pfn;
}

/*
 * setup_arch() after the command line: 6.x trim_bios_range() (page 0 to
 * reserved, the PC BIOS area 640K-1M out of RAM; e820__range_update() and
 * e820__range_remove() log whether or not they change anything; 2.6.32
 * has no trim_bios_range()), then max_pfn = e820__end_of_ram_pfn() and,
 * on x86_64 with RAM above 4 GiB, max_low_pfn = e820__end_of_low_ram_pfn().
 * MAX_ARCH_PFN: 1 << (32 - PAGE_SHIFT) on i386, 1 << (36 - PAGE_SHIFT)
 * with PAE, MAXMEM >> PAGE_SHIFT on x86_64 (MAX_PHYSMEM_BITS 46, 52 with
 * 5-level paging).
 */
void e820_trim_messages(struct machine *m)
{
	if (m->kp->kv != KV_2_6_32) {
		dmesg_printf(m, "e820: update [mem 0x%08llx-0x%08llx] usable ==> reserved", 0ull,
			     (unsigned long long)(PAGE_SIZE - 1));
		dmesg_printf(m, "e820: remove [mem 0x%08llx-0x%08llx] usable", 0xa0000ull, 0xfffffull);
	}
	const struct arch_profile *a = m->arch;
	unsigned physmem_bits = a->bits == 32 ? (a->pae ? 36 : 32) : (a->pgtable_levels == 5 ? 52 : 46);
	uint64_t max_arch_pfn = 1ull << (physmem_bits - PAGE_SHIFT);
	struct e820_entry_m v[128];
	size_t n;
	e820_table(m, v, &n, sizeof v / sizeof v[0]);
	uint64_t max_pfn = e820_end_pfn(m, v, n, max_arch_pfn, max_arch_pfn);
	if (a->bits == 64 && max_pfn > (1ull << (32 - PAGE_SHIFT)))
		e820_end_pfn(m, v, n, 1ull << (32 - PAGE_SHIFT), max_arch_pfn);
}

/* resources named "NAME N" (HPET 0, IOAPIC 0, ...) in the map */
static unsigned count_numbered(const struct resource *r, const char *name)
{
	unsigned n = 0;
	size_t len = strlen(name);
	for (; r; r = r->sibling) {
		if (r->name && strncmp(r->name, name, len) == 0 && r->name[len] == ' ' &&
		    r->name[len + 1] >= '0' && r->name[len + 1] <= '9')
			n++;
		n += count_numbered(r->child, name);
	}
	return n;
}

/* register_nosave_region(): a new region unless it extends the last one */
static void nosave_region(uint64_t s, uint64_t e, uint64_t *last_end, unsigned *n)
{
	if (s >= e)
		return;
	if (!*n || *last_end != s)
		(*n)++;
	*last_end = e;
}

/*
 * The tables memblock_setup_arch_resources() sizes, from the machine's map:
 * e820_table as the map holds it (after trim_bios_range() made page 0
 * reserved); e820_table_firmware, the firmware's, before that (page 0
 * still part of the first usable entry); the nosave regions of
 * e820__register_nosave_regions(max_pfn) (arch/x86/kernel/e820.c):
 *  - 6.1 (6.1.176, as the 2025 fix for sub-page regions left it, which its
 *    memblock=debug log shows): the gaps before each RAM entry (PFN_DOWN
 *    of the last RAM end to PFN_UP of the entry) and after the last up to
 *    max_pfn;
 *  - 6.13.0 (the loop from 4.12's e820 rework until the fix, in 6.15-rc3
 *    and stable backports): for each entry, the gap from pfn to
 *    its PFN_UP start, then pfn = PFN_DOWN of its end and, unless it is
 *    RAM, the entry itself [PFN_UP start, pfn); stopping once pfn reaches
 *    max_pfn.  On the usual maps (page-aligned RAM, the firmware's
 *    sub-page entries next to RAM) both make the same regions: 2 on the
 *    reference i386 machine, 3 on the amd64 one.
 */
void boot_e820_counts(const struct machine *m, struct e820_counts *c)
{
	struct e820_entry_m v[128];         /* E820_MAX_ENTRIES_ZEROPAGE */
	size_t n = 0;
	memset(c, 0, sizeof *c);
	e820_table(m, v, &n, sizeof v / sizeof v[0]);
	c->firmware = (unsigned)n;
	n = 0;
	e820_collect(m->memmap.root.child, m->kp->kv == KV_2_6_32, v, &n, sizeof v / sizeof v[0]);
	c->e820 = (unsigned)n;
	uint64_t last_end = 0;
	if (m->kp->kv >= KV_6_13) {
		uint64_t pfn = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t up = (v[i].start + PAGE_SIZE - 1) >> PAGE_SHIFT;
			if (pfn < up)
				nosave_region(pfn, up, &last_end, &c->nosave);
			pfn = (v[i].end + 1) >> PAGE_SHIFT;
			if (strcmp(v[i].type, "usable"))
				nosave_region(up, pfn, &last_end, &c->nosave);
			if (pfn >= m->max_pfn)
				break;
		}
	} else {
		uint64_t last = 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(v[i].type, "usable"))
				continue;
			if (last < v[i].start)
				nosave_region(last >> PAGE_SHIFT, (v[i].start + PAGE_SIZE - 1) >> PAGE_SHIFT, &last_end,
					      &c->nosave);
			last = v[i].end + 1;
		}
		nosave_region(last >> PAGE_SHIFT, m->max_pfn, &last_end, &c->nosave);
	}
	c->hpet = count_numbered(m->memmap.root.child, "HPET");
	c->ioapics = count_numbered(m->memmap.root.child, "IOAPIC");
}

/* ---- init/main.c ------------------------------------------------------ */

/*
 * The words parse_args() hands to unknown_bootoption() that it keeps
 * (obsolete_checksetup(): a __setup() or early_param() of that name) or
 * that are kernel parameters (core_param, a built-in's module_param), so
 * that init never sees them: those the model reads, and the boot loader's
 * and console's usual ones (each a __setup, early_param or core_param of
 * 6.1 and 6.13; "panic" a core_param).  Some exist in one build only:
 * "vmalloc" on 32-bit (arch/x86/mm/pgtable_32.c), "numa" and "nogbpages"
 * on x86_64 (CONFIG_NUMA, arch/x86/mm/init_64.c), "nohugevmalloc" with
 * CONFIG_HAVE_ARCH_HUGE_VMALLOC (x86_64), "slub_debug" with SLUB
 * (mm/slub.c).  Not known on x86: "nokaslr" (only the decompressor reads
 * it).
 */
static bool known_bootoption(const struct machine *m, const char *p, size_t n)
{
	static const struct { const char *name; int bits; /* 0: any */ } known[] = {
		{ "log_buf_len", 0 }, { "transparent_hugepage", 0 }, { "mem", 0 }, { "crashkernel", 0 },
		{ "hugepages", 0 }, { "hugepagesz", 0 }, { "default_hugepagesz", 0 }, { "nohugeiomap", 0 },
		{ "nohpet", 0 }, { "hpet", 0 }, { "vmalloc", 32 }, { "numa", 64 }, { "nogbpages", 64 },
		{ "nohugevmalloc", 64 }, { "console", 0 }, { "earlycon", 0 }, { "earlyprintk", 0 },
		{ "loglevel", 0 }, { "quiet", 0 }, { "debug", 0 }, { "ignore_loglevel", 0 }, { "panic", 0 },
		{ "root", 0 }, { "rootfstype", 0 }, { "rootflags", 0 }, { "rootwait", 0 }, { "ro", 0 }, { "rw", 0 },
		{ "init", 0 }, { "rdinit", 0 }, { "initrd", 0 }, { "no_hash_pointers", 0 }, { "mminit_loglevel", 0 },
	};
	if (n == 10 && strncmp(p, "slub_debug", 10) == 0)
		return !m->cfg.slab || strcmp(m->cfg.slab, "slub") == 0;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].name) == n && strncmp(p, known[i].name, n) == 0)
			return !known[i].bits || known[i].bits == (int)m->arch->bits;
	return false;
}

/*
 * The command line the kernel printed: --cmdline, else with --from the
 * snapshot's proc/cmdline (saved_command_line, its first line), so that a
 * snapshot's boot log says what its kernel was booted with.  The model
 * applies only --cmdline (the snapshot's state already has the rest).
 */
const char *printed_cmdline(const struct machine *m, char *buf, size_t len)
{
	const struct snapshot *s = m->cfg.snapshot;
	if (m->cfg.cmdline || !s || !s->text[SF_CMDLINE])
		return m->cfg.cmdline ? m->cfg.cmdline : "";
	const char *t = s->text[SF_CMDLINE];
	snprintf(buf, len, "%.*s", (int)strcspn(t, "\n"), t);
	return buf;
}

/*
 * init/main.c unknown_bootoption() for each word parse_args() passes it
 * (after repair_env_string(): "name=value", quotes out), then
 * set_init_arg() for those after "--": argv_init[] ("init" first) takes
 * the words without '=', envp_init[] ("HOME=/", "TERM=linux" first) those
 * with one (one per name, the last one given, in the place of the first);
 * a '.' in the name is an unused module parameter.  MAX_INIT_ARGS and
 * MAX_INIT_ENVS (CONFIG_INIT_ENV_ARG_LIMIT, 32): the word that would take
 * slot 32 sets panic_later, and start_kernel() panics "Too many boot %s
 * vars at `%s'" (2.6.32's text is the same).  Returns that word's kind
 * ("init" or "env") with the word in *at, or NULL; fills argv[] and envp[]
 * (COMMAND_LINE_SIZE each, unless NULL) with " word" for each of the words
 * before "--".
 */
#define MAX_INIT_ARGS 32
#define MAX_INIT_ENVS 32
const char *unknown_bootoptions(const struct machine *m, const char *line, char *argv, char *envp, char *at,
				size_t atlen)
{
	struct cmdline_iter it;
	char *words[MAX_INIT_ENVS + 2];
	size_t nw[MAX_INIT_ENVS + 2];       /* the name's length of each envp word */
	unsigned na = 1, ne = 2;            /* argv_init[0]; envp_init[0], [1] */
	char *p, *v;
	size_t k;
	bool after = false;
	if (argv)
		*argv = *envp = '\0';
	cmdline_iter_init(&it, line, m->kp->kv != KV_2_6_32);
	for (;;) {
		if (!cmdline_next(&it, &p, &k, &v)) {
			if (!it.dashes || after)
				break;
			after = true;           /* start_kernel(): parse_args("Setting init args") */
			continue;
		}
		if (!after) {
			if (memchr(p, '.', k) || known_bootoption(m, p, k))
				continue;
			if (v && ((k == 4 && strncmp(p, "HOME", 4) == 0) || (k == 4 && strncmp(p, "TERM", 4) == 0)))
				continue;       /* envp_init[0], [1]: replaced, never printed */
		}
		if (v && !after) {
			unsigned i = 2;
			while (i < ne && !(nw[i] == k && strncmp(words[i], p, k + 1) == 0))
				i++;
			if (i == MAX_INIT_ENVS) {
				snprintf(at, atlen, "%s", p);
				return "env";
			}
			words[i] = p;
			nw[i] = k;
			if (i == ne)
				ne++;
		} else {
			if (na == MAX_INIT_ARGS) {
				snprintf(at, atlen, "%s", p);
				return "init";
			}
			if (!after && argv) {
				size_t l = strlen(argv);
				snprintf(argv + l, COMMAND_LINE_SIZE - l, " %s", p);
			}
			na++;
		}
	}
	for (unsigned i = 2; i < ne && envp; i++) {
		size_t l = strlen(envp);
		snprintf(envp + l, COMMAND_LINE_SIZE - l, " %s", words[i]);
	}
	return NULL;
}

/* 6.x init/main.c print_unknown_bootoptions(), after parse_args(): the
 * words unknown_bootoption() passed on to init, argv_init[]'s then
 * envp_init[]'s past HOME= and TERM=.  2.6.32 has no such line. */
void print_unknown_bootoptions(struct machine *m)
{
	char argv[COMMAND_LINE_SIZE], envp[COMMAND_LINE_SIZE], line[COMMAND_LINE_SIZE], at[8];
	if (m->kp->kv == KV_2_6_32 ||
	    unknown_bootoptions(m, printed_cmdline(m, line, sizeof line), argv, envp, at, sizeof at) ||
	    (!*argv && !*envp))
		return;
	dmesg_printf(m, "Unknown kernel command line parameters \"%s%s\", will be passed to user space.",
		     *argv ? argv + 1 : envp + 1, *argv ? envp : "");
}

/*
 * start_kernel()'s first line, linux_banner (init/version.c, 6.x
 * init/version-timestamp.c): "Linux version " UTS_RELEASE " ("
 * LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") (" LINUX_COMPILER ") "
 * UTS_VERSION.  With --from, the snapshot's proc/version, which is the
 * same text (linux_proc_banner).  6.1: the Debian 12 builds the profile
 * follows (the dmesg.txt of each /work/shared/reference/real-kernels
 * machine; the 686-pae flavour named as Debian names it); 6.13 and
 * 2.6.32: the model's own stated build, with the release dump_stack()
 * names (kmemsh.7, BOOT).
 */
static void linux_banner(struct machine *m)
{
	const struct snapshot *s = m->cfg.snapshot;
	const char *ver = s ? s->text[SF_VERSION] : NULL;
	if (ver && strncmp(ver, "Linux version ", 14) == 0) {
		dmesg_printf(m, "%.*s", (int)strcspn(ver, "\n"), ver);
		return;
	}
	if (m->kp->kv == KV_6_1) {
		const char *rel = m->arch->bits == 64 ? "6.1.0-50-amd64" : m->arch->pae ? "6.1.0-50-686-pae" : "6.1.0-50-686";
		dmesg_printf(m, "Linux version %s (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) "
			     "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 "
			     "(2026-07-02)", rel);
	} else if (m->kp->kv == KV_2_6_32) {
		/* 2.6.32's LINUX_COMPILER is `gcc -v`'s last line, with its
		 * trailing space; its UTS_VERSION has no PREEMPT_DYNAMIC */
		dmesg_printf(m, "Linux version 2.6.32 (kmemsh@kmemsh) (gcc version 4.4.3 (GCC) ) #1 SMP "
			     "Thu Dec 3 00:00:00 UTC 2009");
	} else {
		dmesg_printf(m, "Linux version 6.13.7 (kmemsh@kmemsh) (gcc (GCC) 14.2.0, GNU ld (GNU Binutils) 2.43) "
			     "#1 SMP PREEMPT_DYNAMIC Thu Mar 13 00:00:00 UTC 2025");
	}
}

/*
 * The lines before the command line is parsed: the banner; setup_arch()'s
 * "Command line:" (x86_64 only: the #else of its CONFIG_X86_32 block, in
 * 2.6.32 as in 6.x); e820__memory_setup() (2.6.32 setup_memory_map()):
 * "BIOS-provided physical RAM map:" and e820__print_table("BIOS-e820").
 */
void early_boot_messages(struct machine *m)
{
	linux_banner(m);
	char line[COMMAND_LINE_SIZE];
	if (m->arch->bits == 64)
		dmesg_printf(m, "Command line: %s", printed_cmdline(m, line, sizeof line));
	struct e820_entry_m v[128];         /* E820_MAX_ENTRIES_ZEROPAGE */
	size_t n;
	e820_table(m, v, &n, sizeof v / sizeof v[0]);
	dmesg_printf(m, "BIOS-provided physical RAM map:");
	e820_print_table(m, "BIOS-e820", v, n);
}
