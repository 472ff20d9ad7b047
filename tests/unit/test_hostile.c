/*
 * test_hostile.c - refused means unchanged, bounded means bounded (issue 14):
 * one regression test per defect found under hostile use.  Each of these
 * failed on the tree before the fix it names.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kmemsh/cli.h"
#include "kmemsh/buddy.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"

struct fixture {
	struct session s;
};

static int setup_cfg(void **state, struct machine_config cfg)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(session_init(&f->s, &cfg, err, sizeof err), 0);
	out_init_buf(&f->s.out);
	out_init_buf(&f->s.err);
	f->s.src_name = "test";
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_cfg(state, (struct machine_config){ .arch = "x86_64" });
}

static int setup_i386(void **state)
{
	return setup_cfg(state, (struct machine_config){ .arch = "i386" });
}

static int setup_slob(void **state)
{
	return setup_cfg(state, (struct machine_config){ .arch = "i386", .slab = "slob" });
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	session_free(&f->s);
	free(f);
	return 0;
}

static const char *errtext(struct fixture *f)
{
	return f->s.err.buf ? f->s.err.buf : "";
}

static void clear_out(struct fixture *f)
{
	f->s.out.len = f->s.err.len = 0;
	if (f->s.out.buf)
		f->s.out.buf[0] = '\0';
	if (f->s.err.buf)
		f->s.err.buf[0] = '\0';
}

static uint64_t total_free(const struct machine *m)
{
	uint64_t t = 0;
	for (int z = 0; z < m->nr_zones; z++)
		t += m->zones[z].free_pages;
	return t;
}

/* run TEXT (len bytes, may hold NULs) as a script through the stream reader */
static int run_text(struct fixture *f, const char *text, size_t len)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	assert_non_null(fp);
	int rc = session_run_stream(&f->s, fp, "t.kms");
	fclose(fp);
	return rc;
}

/* ---- 1. bounded input ----------------------------------------------------- */

static void reader__line_limit_counts_characters_not_the_newline(void **state)
{
	struct fixture *f = *state;
	size_t n = 4096;
	char *text = malloc(2 * n + 16);
	/* 4096 characters of comment, then a newline: accepted */
	text[0] = '#';
	memset(text + 1, 'a', n - 1);
	text[n] = '\n';
	assert_int_equal(run_text(f, text, n + 1), 0);
	assert_string_equal(errtext(f), "");
	/* without the newline: the same */
	assert_int_equal(run_text(f, text, n), 0);
	/* 4097 characters: refused, naming FILE:LINE, with one error */
	memset(text + 1, 'a', n);
	text[n + 1] = '\n';
	assert_int_equal(run_text(f, text, n + 2), -1);
	assert_string_equal(errtext(f), "t.kms:1: line too long (more than 4096 characters)\n");
	/* -c lines too: 4096 characters are fine */
	clear_out(f);
	f->s.status = 0;
	text[n] = '\0';
	assert_int_equal(session_run_line(&f->s, text), 0);
	free(text);
}

static void reader__discards_a_long_line_and_goes_on(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	/* a 1 MB line (no memory beyond the limit is kept), then a command */
	size_t big = 1u << 20;
	const char *tail = "\nx = alloc_page GFP_KERNEL\n";
	char *text = malloc(big + strlen(tail) + 1);
	memset(text, 'k', big);
	strcpy(text + big, tail);
	assert_int_equal(run_text(f, text, strlen(text)), -1);
	assert_string_equal(errtext(f), "t.kms:1: line too long (more than 4096 characters)\n");
	assert_non_null(var_get(&f->s, "x"));
	free(text);
}

static void reader__nul_bytes_refuse_the_line_only(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	static const char text[] = "x = alloc_page\0GFP_KERNEL\ny = alloc_page GFP_KERNEL\n";
	uint64_t before = total_free(f->s.m);
	assert_int_equal(run_text(f, text, sizeof text - 1), -1);
	assert_string_equal(errtext(f), "t.kms:1: line contains a NUL byte\n");
	assert_null(var_get(&f->s, "x"));
	assert_non_null(var_get(&f->s, "y"));
	assert_int_equal(total_free(f->s.m), before - 1);
}

static void source__refuses_directories_and_devices(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "source /tmp"), -1);
	assert_non_null(strstr(errtext(f), "'/tmp' is not a regular file or a pipe"));
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "source /dev/zero"), -1);
	assert_non_null(strstr(errtext(f), "'/dev/zero' is not a regular file or a pipe"));
	clear_out(f);
	/* a regular file that cannot be read: an error, not silent success */
	if (access("/proc/self/mem", R_OK) == 0) {
		assert_int_equal(session_run_line(&f->s, "source /proc/self/mem"), -1);
		assert_non_null(strstr(errtext(f), "read error"));
	}
}

static void source__reads_a_pipe_and_a_file(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/kmemsh-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/a.kms", dir);
	FILE *fp = fopen(path, "w");
	fputs("a = alloc_page GFP_KERNEL\n", fp);
	fclose(fp);
	char line[300];
	snprintf(line, sizeof line, "source %s", path);
	assert_int_equal(session_run_line(&f->s, line), 0);
	assert_non_null(var_get(&f->s, "a"));
	/* confined: only plain names in source_dir */
	f->s.source_dir = dir;
	assert_int_equal(session_run_line(&f->s, "source a.kms"), 0);
	assert_int_equal(session_run_line(&f->s, "source /etc/passwd"), -1);
	assert_non_null(strstr(errtext(f), "only files in"));
	assert_int_equal(session_run_line(&f->s, "source ../a.kms"), -1);
	f->s.source_dir = NULL;
	unlink(path);
	rmdir(dir);
}

/* ---- 2. NAME = COMMAND for a command with no value ------------------------ */

static void assign__is_refused_before_the_command_runs(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "k = kmalloc 64"), 0);
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "x = kfree $k"), -1);
	assert_non_null(strstr(errtext(f), "'kfree' gives no value to store in $x"));
	/* not freed: this kfree is the first, not a double free */
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "kfree $k"), 0);
	assert_null(strstr(f->s.out.buf ? f->s.out.buf : "", "double free"));
	(void)before;

	/* pages: free_pages and __free_pages are not run either */
	assert_int_equal(session_run_line(&f->s, "p = __get_free_pages GFP_KERNEL 1; q = alloc_pages GFP_KERNEL 0"), 0);
	before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "x = free_pages $p 1"), -1);
	assert_int_equal(session_run_line(&f->s, "x = __free_pages $q 0"), -1);
	assert_int_equal(total_free(f->s.m), before);

	/* a cache: shrink and free are not run (create gives the cache's
	 * struct kmem_cache *, a value) */
	assert_int_equal(session_run_line(&f->s, "cs = kmem_cache_create hostile 100; o = kmem_cache_alloc hostile"), 0);
	assert_int_equal(var_get(&f->s, "cs")->kind, V_ADDR);
	assert_int_equal(session_run_line(&f->s, "x = kmem_cache_free hostile $o"), -1);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free hostile $o"), 0);

	/* sysctl -w, cpu N, dmesg -C, reset: not run */
	uint64_t mfk = f->s.m->min_free_kbytes;
	assert_int_equal(session_run_line(&f->s, "x = sysctl -w vm.min_free_kbytes=5000"), -1);
	assert_int_equal(f->s.m->min_free_kbytes, mfk);
	assert_int_equal(session_run_line(&f->s, "alloc_pages GFP_KERNEL 11"), 0);   /* a warning in dmesg */
	size_t nd = f->s.m->dmesg.n;
	assert_true(nd > 0);
	assert_int_equal(session_run_line(&f->s, "x = dmesg -C"), -1);
	assert_int_equal(f->s.m->dmesg.n, nd);
	assert_int_equal(session_run_line(&f->s, "x = reset"), -1);
	assert_non_null(var_get(&f->s, "p"));
	assert_int_equal(session_run_line(&f->s, "x = cpu 0"), -1);
	assert_null(var_get(&f->s, "x"));
	/* cpu with no argument gives the CPU number */
	assert_int_equal(session_run_line(&f->s, "c = cpu"), 0);
	assert_int_equal(var_get(&f->s, "c")->kind, V_NUM);
}

/* every command the table says gives no value leaves $_ alone */
static void assign__table_agrees_with_what_commands_give(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "p = kmalloc 64; g = alloc_page GFP_KERNEL; "
						 "kmem_cache_create t 64"), 0);
	static const char *const lines[] = {
		"kfree $p", "__free_pages $g 0", "show meminfo", "cat /proc/buddyinfo", "check", "dmesg",
		"echo hi", "help kmalloc", "sysctl vm.min_free_kbytes",
		"kmem_cache_shrink t", "kmem_cache_destroy t", "context", "set show on", "vm_unmap_aliases",
		"preempt_disable", "preempt_enable", "spin_lock l", "spin_unlock l",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		f->s.last = (struct value){ V_NUM, 0x5a5a };
		assert_int_equal(session_run_line(&f->s, lines[i]), 0);
		char w[64];
		sscanf(lines[i], "%63s", w);
		const struct cmd *c = cmd_find(cmd_table, w, NULL);
		assert_non_null(c);
		assert_int_equal(c->yields, CMD_NO_VALUE);
		assert_true(f->s.last.kind == V_NUM && f->s.last.u == 0x5a5a);
	}
	/* and each command that gives one is marked so */
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (strcmp(c->name, "kmalloc") == 0 || strcmp(c->name, "alloc_page") == 0 ||
		    strcmp(c->name, "vmalloc") == 0 || strcmp(c->name, "virt_to_page") == 0 ||
		    strcmp(c->name, "kmem_cache_create") == 0)
			assert_int_equal(c->yields, CMD_VALUE);
}

/* ---- 3. SLOB krealloc of a cache object; check counts SLOB ------------------ */

static void slob_krealloc__of_a_cache_object_is_refused_before_allocating(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create foo 100; o = kmem_cache_alloc foo"), 0);
	uint64_t before = total_free(f->s.m);
	uint64_t blocks = f->s.m->nr_alloc_blocks;
	assert_int_equal(session_run_line(&f->s, "krealloc $o 300"), -1);
	assert_non_null(strstr(errtext(f), "was allocated from cache foo"));
	assert_int_equal(total_free(f->s.m), before);
	assert_int_equal(f->s.m->nr_alloc_blocks, blocks);
	assert_int_equal(machine_check(f->s.m), 0);
	/* the object is still the cache's */
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free foo $o"), 0);
	assert_int_equal(machine_check(f->s.m), 0);
}

static void slob_check__counts_blocks_against_the_caches(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create foo 100; o = kmem_cache_alloc foo"), 0);
	assert_int_equal(machine_check(f->s.m), 0);
	int ci = -1;
	for (uint32_t i = 0; i < f->s.m->slab->nr_caches; i++)
		if (f->s.m->slab->caches[i].live && strcmp(f->s.m->slab->caches[i].name, "foo") == 0)
			ci = (int)i;
	assert_true(ci >= 0);
	/* a block the cache no longer counts: a leak, caught */
	f->s.m->slab->caches[ci].active_objects--;
	assert_int_equal(machine_check(f->s.m), -EUCLEAN);
	assert_non_null(strstr(f->s.m->err, "SLOB cache foo"));
	f->s.m->slab->caches[ci].active_objects++;
	assert_int_equal(machine_check(f->s.m), 0);
}

/* ---- 4. all-or-nothing sysctl -w; destroy's flush is said ------------------- */

static void sysctl__refused_line_writes_nothing(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	unsigned mfk = f->s.m->min_free_kbytes;
	assert_true(mfk != 5000);
	assert_int_equal(session_run_line(&f->s, "sysctl -w vm.min_free_kbytes=5000 vm.nosuch=1"), -1);
	assert_int_equal(f->s.m->min_free_kbytes, mfk);
	assert_int_equal(session_run_line(&f->s, "sysctl -w vm.min_free_kbytes=5000 vm.watermark_scale_factor=0"), -1);
	assert_int_equal(f->s.m->min_free_kbytes, mfk);
	int ratio[MAX_NR_ZONES_MODEL];
	memcpy(ratio, f->s.m->lowmem_reserve_ratio, sizeof ratio);
	assert_int_equal(session_run_line(&f->s, "sysctl -w vm.lowmem_reserve_ratio=1 2 x"), -1);
	assert_memory_equal(ratio, f->s.m->lowmem_reserve_ratio, sizeof ratio);
	/* every argument good: all written */
	assert_int_equal(session_run_line(&f->s, "sysctl -w vm.min_free_kbytes=5000 vm.watermark_scale_factor=20"), 0);
	assert_int_equal(f->s.m->min_free_kbytes, 5000);
	assert_int_equal(f->s.m->watermark_scale_factor, 20);
}

static void destroy__with_objects_says_what_was_flushed(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create foo 100; o = kmem_cache_alloc foo"), 0);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_destroy foo"), -1);
	assert_non_null(strstr(errtext(f), "foo still has 1 objects: not destroyed (its per-CPU objects were flushed"));
	assert_int_equal(machine_check(f->s.m), 0);
}

/* ---- 5. destroyed caches are freed ------------------------------------------------ */

static void cache_destroy__frees_the_slot_for_the_next_create(void **state)
{
	struct fixture *f = *state;
	struct slab_state *st = f->s.m->slab;
	uint32_t slots = st->nr_caches;
	char line[128];
	/* the old tree grew nr_caches by one per cycle (and 235 MB per 100k) */
	for (unsigned i = 0; i < 5000; i++) {
		snprintf(line, sizeof line, "kmem_cache_create c%u 100; kmem_cache_destroy c%u", i, i);
		assert_int_equal(session_run_line(&f->s, line), 0);
	}
	assert_int_equal(st->nr_caches, slots + 1);
	/* the destroyed cache's per-CPU part is released with it */
	assert_false(st->caches[slots].live);
	assert_null(st->caches[slots].cpu);
	assert_null(st->caches[slots].shared.entry);
	/* its name still says what it was until the slot is reused */
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_alloc c4999"), -1);
	assert_non_null(strstr(errtext(f), "cache 'c4999' was destroyed"));
	/* found by name among many live caches; check walks them all */
	for (unsigned i = 0; i < 300; i++) {
		snprintf(line, sizeof line, "kmem_cache_create live%u %u", i, 8 + i);
		assert_int_equal(session_run_line(&f->s, line), 0);
	}
	assert_int_equal(st->nr_caches, slots + 300);
	assert_int_equal(slab_cache_find(f->s.m, "live0"), (int)slots);
	assert_int_equal(st->caches[slab_cache_find(f->s.m, "live299")].g.object_size, 307);
	assert_int_equal(session_run_line(&f->s, "o = kmem_cache_alloc live17"), 0);
	assert_int_equal(machine_check(f->s.m), 0);
	/* a cache named by a slab that is not its own is caught */
	int c = slab_cache_find(f->s.m, "live17");
	struct object_info oi;
	slab_object_info(f->s.m, var_get(&f->s, "o")->u, &oi);
	assert_true(oi.found && !oi.large);
	uint32_t id = oi.slab;
	st->slabs[id].cache = (uint32_t)slab_cache_find(f->s.m, "live18");
	assert_int_equal(machine_check(f->s.m), -EUCLEAN);
	st->slabs[id].cache = (uint32_t)c;
	assert_int_equal(machine_check(f->s.m), 0);
}

static void slabinfo__lists_caches_newest_first_when_slots_are_reused(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create a 64; kmem_cache_create b 64; "
					  "kmem_cache_destroy a; kmem_cache_create c 64"), 0);
	/* c took a's slot, yet it is the newest: listed first, as the kernel's
	 * slab_caches list (list_add() at the head in create_cache()) */
	assert_int_equal(slab_cache_find(f->s.m, "c") < slab_cache_find(f->s.m, "b"), true);
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "cat /proc/slabinfo"), 0);
	const char *out = f->s.out.buf;
	const char *pc = strstr(out, "\nc "), *pb = strstr(out, "\nb ");
	assert_non_null(pc);
	assert_non_null(pb);
	assert_true(pc < pb);
	assert_null(strstr(out, "\na "));
}

static void slob_destroy__with_leaked_blocks_keeps_the_slot(void **state)
{
	struct fixture *f = *state;
	struct slab_state *st = f->s.m->slab;
	/* SLOB's kmem_cache_destroy() does not look for objects: they leak,
	 * and still name the cache, so its slot is not handed out again */
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create foo 100; o = kmem_cache_alloc foo; "
					  "kmem_cache_destroy foo"), 0);
	int old = -1;
	for (uint32_t i = 0; i < st->nr_caches; i++)
		if (strcmp(st->caches[i].name, "foo") == 0)
			old = (int)i;
	assert_true(old >= 0 && st->caches[old].zombie);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create bar 100"), 0);
	assert_true(slab_cache_find(f->s.m, "bar") != old);
	assert_int_equal(machine_check(f->s.m), 0);
	/* an empty one's slot is */
	assert_int_equal(session_run_line(&f->s, "kmem_cache_destroy bar; kmem_cache_create baz 100"), 0);
	assert_int_equal(machine_check(f->s.m), 0);
	/* the leaked object: a new cache of the old name is another cache, and the
	 * refusal says the object's own cache was destroyed, not "use kfree" */
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create foo 100"), 0);
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free foo $o"), -1);
	assert_non_null(strstr(errtext(f), "destroyed since with this object still in it"));
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "kfree $o"), -1);
	assert_non_null(strstr(errtext(f), "destroyed since with this object still in it"));
	assert_int_equal(machine_check(f->s.m), 0);
}

/* ---- 6. --check: what the step touched, the whole model every Nth ------------------ */

static void check_each__checks_the_slab_a_step_touches_at_once(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create foo 100; o = kmem_cache_alloc foo; "
					  "p = kmem_cache_alloc foo"), 0);
	f->s.check_each = true;
	struct object_info oi;
	slab_object_info(f->s.m, var_get(&f->s, "o")->u, &oi);
	struct slab *sl = &f->s.m->slab->slabs[oi.slab];
	sl->inuse++;
	/* a step elsewhere does not look at that slab ... */
	assert_int_equal(session_run_line(&f->s, "g = alloc_page GFP_KERNEL"), 0);
	/* ... one that touches it does, right away */
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free foo $p"), -1);
	assert_non_null(strstr(errtext(f), "model inconsistent after 'kmem_cache_free': foo: slab at pfn"));
	sl = &f->s.m->slab->slabs[oi.slab];
	sl->inuse--;
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free foo $o"), 0);
	assert_string_equal(errtext(f), "");
}

static void check_each__checks_zone_counters_every_step(void **state)
{
	struct fixture *f = *state;
	f->s.check_each = true;
	int z = f->s.m->nr_zones - 1;
	f->s.m->zones[z].free_pages++;
	assert_int_equal(session_run_line(&f->s, "echo hi"), -1);
	assert_non_null(strstr(errtext(f), "model inconsistent after 'echo': zone"));
	f->s.m->zones[z].free_pages--;
}

static void check_each__runs_the_full_check_every_nth_command_and_at_the_end(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "k = kmalloc 100"), 0);
	f->s.check_each = true;
	/* damage no step looks at: an allocated slab's struct names a
	 * pfn the map does not know, found only by walking every slab */
	struct object_info oi;
	slab_object_info(f->s.m, var_get(&f->s, "k")->u, &oi);
	f->s.m->slab->slabs[oi.slab].leaked++;
	f->s.m->slab->slabs[oi.slab].inuse++;
	unsigned failed_at = 0;
	for (unsigned i = 1; i <= CHECK_FULL_EVERY && !failed_at; i++)
		if (session_run_line(&f->s, "g = alloc_page GFP_KERNEL; __free_page $g"))
			failed_at = i;
	/* two commands a line: the full check comes within CHECK_FULL_EVERY commands */
	assert_true(failed_at > 0 && failed_at <= CHECK_FULL_EVERY / 2);
	assert_non_null(strstr(errtext(f), "the full check every 1000 commands"));
	/* and after the last command of a run */
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "echo one more"), 0);
	assert_int_equal(session_check_end(&f->s), -1);
	assert_non_null(strstr(errtext(f), "model inconsistent (the full check at the end)"));
	assert_int_equal(session_check_end(&f->s), 0);   /* nothing ran since */
	f->s.m->slab->slabs[oi.slab].leaked--;
	f->s.m->slab->slabs[oi.slab].inuse--;
	assert_int_equal(machine_check(f->s.m), 0);
}

/* the program itself, next to this test (build/tests/test_hostile ->
 * build/kmemsh): run it with stdout to out_path, stderr into err */
static int run_kmemsh(const char *const *args, const char *out_path, char *err, size_t errlen)
{
	char self[4096], bin[4200];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -2;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(bin, sizeof bin, "%s/../kmemsh", self);
	if (access(bin, X_OK))
		return -2;
	char errfile[] = "/tmp/kmemsh-test-err-XXXXXX";
	int efd = mkstemp(errfile);
	assert_true(efd >= 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *o = freopen(out_path, "w", stdout);
		if (!o || dup2(efd, 2) < 0)
			_exit(99);
		const char *argv[16] = { bin };
		for (int i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		execv(bin, (char *const *)argv);
		_exit(98);
	}
	int st;
	waitpid(pid, &st, 0);
	ssize_t k = pread(efd, err, errlen - 1, 0);
	err[k > 0 ? k : 0] = '\0';
	close(efd);
	unlink(errfile);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void program__write_errors_and_mem_0_fail(void **state)
{
	(void)state;
	char err[1024];
	/* output that cannot be written is a failure, with a message */
	if (access("/dev/full", W_OK) == 0) {
		const char *args[] = { "-c", "show meminfo", NULL };
		int rc = run_kmemsh(args, "/dev/full", err, sizeof err);
		if (rc == -2)
			skip();
		assert_int_equal(rc, 1);
		assert_non_null(strstr(err, "write error on standard output"));
	}
	/* --mem 0, 0M, 0x0: refused, echoing what was typed */
	static const char *const zeros[] = { "0", "0M", "0x0" };
	for (size_t i = 0; i < 3; i++) {
		const char *args[] = { "--mem", zeros[i], "-c", "echo booted", NULL };
		int rc = run_kmemsh(args, "/dev/null", err, sizeof err);
		if (rc == -2)
			skip();
		assert_true(rc > 0);
		char want[64];
		snprintf(want, sizeof want, "--mem %s: no RAM", zeros[i]);
		assert_non_null(strstr(err, want));
	}
}

/* ---- refused means unchanged: a property test ------------------------------------- */

/* what a user can see of the model: the /proc views */
static char *observe(const struct machine *m)
{
	struct out o;
	out_init_buf(&o);
	view_buddyinfo(&o, m);
	view_pagetypeinfo(&o, m);
	view_zoneinfo(&o, m);
	view_slabinfo(&o, m);
	view_meminfo(&o, m);
	view_vmallocinfo(&o, m);
	return o.buf;
}

/* a tiny deterministic generator (xorshift64*) */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dull;
}

/*
 * Random statements, many of them wrong (a bad argument, a wrong order, a
 * double free, an unknown name, NAME = a command with no value, a sysctl
 * with one bad setting).  After every one that is refused the views are
 * byte for byte what they were before it.  kmem_cache_destroy of a cache
 * with objects is the one documented exception (the per-CPU flush stays
 * done, as in the kernel): it is run but not compared.
 */
static void refused__statements_leave_every_view_unchanged(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	static const char *const sizes[] = { "0", "8", "100", "200", "4096", "9000", "64K", "5M", "1G", "-1", "x" };
	static const char *const gfps[] = { "GFP_KERNEL", "GFP_ATOMIC", "GFP_KERNEL|__GFP_ZERO", "GFP_DMA",
					    "GFP_NOWAIT", "GFP_BOGUS", "GFP_HIGHUSER", "0" };
	static const char *const orders[] = { "0", "1", "3", "10", "11", "64", "-1" };
	uint64_t x = 0x9e3779b97f4a7c15ull ^ (uint64_t)f->s.m->arch->bits;
	unsigned refused = 0, steps = 1500;
	for (unsigned step = 0; step < steps; step++) {
		char line[256];
		unsigned v = (unsigned)(rnd(&x) % 6), w = (unsigned)(rnd(&x) % 6), c = (unsigned)(rnd(&x) % 3);
		const char *sz = sizes[rnd(&x) % (sizeof sizes / sizeof sizes[0])];
		const char *gfp = gfps[rnd(&x) % (sizeof gfps / sizeof gfps[0])];
		const char *ord = orders[rnd(&x) % (sizeof orders / sizeof orders[0])];
		bool compare = true;
		switch (rnd(&x) % 22) {
		case 0: snprintf(line, sizeof line, "v%u = kmalloc %s %s", v, sz, gfp); break;
		case 1: snprintf(line, sizeof line, "kfree $v%u", v); break;
		case 2: snprintf(line, sizeof line, "v%u = alloc_pages %s %s", v, gfp, ord); break;
		case 3: snprintf(line, sizeof line, "__free_pages $v%u %s", v, ord); break;
		case 4: snprintf(line, sizeof line, "v%u = __get_free_pages %s %s", v, gfp, ord); break;
		case 5: snprintf(line, sizeof line, "free_pages $v%u %s", v, ord); break;
		case 6: snprintf(line, sizeof line, "v%u = vmalloc %s", v, sz); break;
		case 7: snprintf(line, sizeof line, "vfree $v%u", v); break;
		case 8: snprintf(line, sizeof line, "kmem_cache_create c%u %s", c, sz); break;
		case 9: snprintf(line, sizeof line, "v%u = kmem_cache_alloc c%u %s", v, c, gfp); break;
		case 10: snprintf(line, sizeof line, "kmem_cache_free c%u $v%u", c, v); break;
		case 11:
			snprintf(line, sizeof line, "kmem_cache_destroy c%u", c);
			compare = false;
			break;
		case 12: snprintf(line, sizeof line, "v%u = krealloc $v%u %s %s", v, w, sz, gfp); break;
		case 13: snprintf(line, sizeof line, "x = kfree $v%u", v); break;
		case 14: snprintf(line, sizeof line, "x = __free_pages $v%u 0", v); break;
		case 15: snprintf(line, sizeof line, "sysctl -w vm.min_free_kbytes=%s vm.nosuch=1", sz); break;
		case 16: snprintf(line, sizeof line, "sysctl -w vm.lowmem_reserve_ratio=1 2 %s", sz); break;
		case 17: snprintf(line, sizeof line, "v%u = kzalloc %s", v, sz); break;
		case 18: snprintf(line, sizeof line, "kmem_cache_shrink c%u", c); break;
		case 19: snprintf(line, sizeof line, "v%u = kmalloc_array %s %s", v, sz, sz); break;
		case 20: snprintf(line, sizeof line, "kfree $v%u+8", v); break;
		default: snprintf(line, sizeof line, "kmem_cache_free c%u 0x1000", c); break;
		}
		char *before = observe(f->s.m);
		clear_out(f);
		int rc = session_run_line(&f->s, line);
		if (rc && compare) {
			char *after = observe(f->s.m);
			if (strcmp(before, after) != 0)
				fail_msg("step %u: refused '%s' (%s) changed the views", step, line, errtext(f));
			free(after);
			refused++;
		}
		free(before);
		if (step % 100 == 99)
			assert_int_equal(machine_check(f->s.m), 0);
	}
	/* the sequence exercised refusals, and not only them */
	assert_true(refused > steps / 4 && refused < steps);
}

/* ---- 7. smaller ones ----------------------------------------------------------- */

/* every row of /proc/slabinfo has the header's 16 columns */
static void slabinfo__names_with_blanks_keep_the_columns(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create '' 64; kmem_cache_create 'a b' 100; "
					  "kmem_cache_create 'tab\tc\\d' 32"), 0);
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "cat /proc/slabinfo"), 0);
	char *text = strdup(f->s.out.buf), *save = NULL;
	unsigned rows = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "slabinfo", 8) == 0 || l[0] == '#')
			continue;
		unsigned fields = 0;
		char *s2 = NULL;
		for (char *w = strtok_r(l, " \t", &s2); w; w = strtok_r(NULL, " \t", &s2))
			fields++;
		assert_int_equal(fields, 16);
		rows++;
	}
	free(text);
	assert_true(rows > 3);
	/* the names, written as /proc/mounts writes mount points */
	assert_non_null(strstr(f->s.out.buf, "\na\\040b "));
	assert_non_null(strstr(f->s.out.buf, "\ntab\\011c\\134d "));
	assert_non_null(strstr(f->s.out.buf, "\n\"\" "));
}

static void json__escapes_bytes_that_are_not_utf8(void **state)
{
	struct fixture *f = *state;
	struct out o;
	out_init_buf(&o);
	/* 0xff: no UTF-8; é passes; U+009B (C1 CSI) and 0x01 escaped; a
	 * truncated sequence (0xe2 0x82) is two bad bytes */
	out_json_str(&o, "\xff" "a\xc3\xa9\xc2\x9b\x01\xe2\x82" "b\xed\xa0\x80");
	assert_string_equal(o.buf, "\"\\ufffda\xc3\xa9\\u009b\\u0001\\ufffd\\ufffdb\\ufffd\\ufffd\\ufffd\"");
	out_free(&o);
	/* a cache's name in slabinfo and in the step's call */
	f->s.json = f->s.out.json = true;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create '\xfe\xc3\xa9' 64"), 0);
	assert_int_equal(session_run_line(&f->s, "show slabinfo"), 0);
	for (const unsigned char *p = (const unsigned char *)f->s.out.buf; *p; ) {
		uint32_t cp;
		size_t n = out_utf8_seq(p, &cp);
		assert_true(n > 0);
		p += n;
	}
	assert_non_null(strstr(f->s.out.buf, "{\"name\":\"\\ufffd\xc3\xa9\""));
}

static void echo__in_json_mode_emits_json(void **state)
{
	struct fixture *f = *state;
	f->s.json = f->s.out.json = true;
	assert_int_equal(session_run_line(&f->s, "n = kmalloc 0; echo say 'a \"b' $n"), 0);
	/* JSON, not the plain words; the quote escaped, $n's value given */
	const char *l = strstr(f->s.out.buf, "\"echo\"");
	assert_non_null(l);
	assert_null(strstr(f->s.out.buf, "say a \"b"));
	assert_non_null(strstr(l, "a \\\"b"));
	assert_non_null(strstr(l, "0x10"));
}

static void dmesg__is_a_ring_of_bounded_size(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->s.m;
	for (unsigned i = 0; i < 3 * DMESG_RING + 17; i++)
		dmesg_printf(m, "line %u", i);
	/* the slots never outgrow the ring; the newest DMESG_RING lines are kept */
	assert_true(m->dmesg.cap <= DMESG_RING);
	assert_int_equal(m->dmesg.n - m->dmesg.start, DMESG_RING);
	assert_string_equal(dmesg_slot(&m->dmesg, m->dmesg.n - 1)->text, "line 12304");
	assert_string_equal(dmesg_slot(&m->dmesg, m->dmesg.start)->text, "line 8209");
	/* dmesg prints them oldest first */
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "dmesg -c"), 0);
	const char *out = f->s.out.buf;
	assert_non_null(strstr(out, "line 8209\n"));
	assert_true(strstr(out, "line 8209\n") < strstr(out, "line 12304\n"));
	assert_null(strstr(out, "line 8208\n"));
	assert_int_equal(m->dmesg.start, m->dmesg.n);
	dmesg_printf(m, "after clear");
	assert_string_equal(dmesg_slot(&m->dmesg, m->dmesg.n - 1)->text, "after clear");
}

static void errors__escape_control_and_non_utf8_bytes(void **state)
{
	struct fixture *f = *state;
	/* 0x9b is CSI to an 8-bit terminal; U+009B encoded in UTF-8 too; 0xff is no UTF-8 */
	/* the size hint names fractional sizes since --mem/SIZE accept 3.5G (issue 12) */
	assert_int_equal(session_run_line(&f->s, "kmalloc \x9b[31m\xff\xc3\xa9\xc2\x9b"), -1);
	assert_string_equal(errtext(f), "test:0: kmalloc: argument 1 '\\x9b[31m\\xff\xc3\xa9\\xc2\\x9b': "
			    "not a size (write e.g. 200, 4K, 1M, 3.5G)\n");
	for (const unsigned char *p = (const unsigned char *)errtext(f); *p; p++)
		assert_true(*p != 0x9b && *p != 0xff && (*p >= 0x20 || *p == '\n'));
}

/*
 * Names the user typed are printed in result lines and change logs as they
 * are (kmem_cache_create("a\x9bb", ...)): the output to a file or terminal
 * writes a byte that is not UTF-8 or a C1 control as \xNN, as errors do, and
 * lets UTF-8 through, also when a write ends inside a sequence.
 */
static void output__escapes_c1_and_non_utf8_bytes_of_typed_names(void **state)
{
	(void)state;
	FILE *tf = tmpfile();
	assert_non_null(tf);
	struct out o;
	out_init_file(&o, tf);
	out_puts(&o, "kmem_cache_create(\"a\x9b" "b\xc2\x9b\xe9\xa1\xb5\xff\", 100, 0)\n");
	out_write(&o, "\xe9\xa1", 2); /* the rest of this character comes next */
	out_write(&o, "\xb5\n", 2);
	out_puts(&o, "\x1b[1mplain\x1b[0m\n"); /* our own colour codes pass */
	fflush(tf);
	rewind(tf);
	char buf[256] = { 0 };
	size_t n = fread(buf, 1, sizeof buf - 1, tf);
	fclose(tf);
	buf[n] = '\0';
	assert_string_equal(buf, "kmem_cache_create(\"a\\x9bb\\xc2\\x9b\xe9\xa1\xb5\\xff\", 100, 0)\n"
			    "\xe9\xa1\xb5\n\x1b[1mplain\x1b[0m\n");
}

/* `repeat 1000000 source f` with f holding `repeat 1000000 ...` would be a
 * million million steps: the repeat in the sourced file is refused as a
 * repeat inside repeat is, and the outer one stops at that failure */
static void repeat_of_source__a_repeat_in_the_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/kmemsh-test-repeat-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char body[] = "repeat 1000000 x = kmalloc 8 GFP_KERNEL\n";
	assert_int_equal(write(fd, body, sizeof body - 1), (ssize_t)(sizeof body - 1));
	close(fd);
	char line[128];
	snprintf(line, sizeof line, "repeat 1000000 source %s", path);
	unsigned before = f->s.commands;
	assert_int_equal(session_run_line(&f->s, line), -1);
	unlink(path);
	assert_non_null(strstr(errtext(f), "repeat inside repeat is refused"));
	assert_true(f->s.commands - before < 10);
	assert_null(var_get(&f->s, "x"));
	/* the refusal leaves no trace: a repeat afterwards runs */
	assert_int_equal(session_run_line(&f->s, "repeat 3 x = kmalloc 8 GFP_KERNEL"), 0);
	assert_non_null(var_get(&f->s, "x"));
}

/* Ctrl-C at the prompt stops a long repeat between two runs, with an error */
static void repeat__stops_when_interrupted(void **state)
{
	struct fixture *f = *state;
	repl_set_interrupted(1);
	clear_out(f);
	assert_int_equal(session_run_line(&f->s, "repeat 1000000 kmalloc 8"), -1);
	repl_set_interrupted(0);
	assert_non_null(strstr(errtext(f), "interrupted (Ctrl-C) after 0 of 1000000 runs"));
	assert_int_equal(session_run_line(&f->s, "repeat 3 kmalloc 8"), 0);
	assert_int_equal(machine_check(f->s.m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reader__line_limit_counts_characters_not_the_newline, setup, teardown),
		cmocka_unit_test_setup_teardown(reader__discards_a_long_line_and_goes_on, setup, teardown),
		cmocka_unit_test_setup_teardown(reader__nul_bytes_refuse_the_line_only, setup, teardown),
		cmocka_unit_test_setup_teardown(source__refuses_directories_and_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(source__reads_a_pipe_and_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(assign__is_refused_before_the_command_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(assign__table_agrees_with_what_commands_give, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(slob_krealloc__of_a_cache_object_is_refused_before_allocating, setup_slob, teardown),
		cmocka_unit_test_setup_teardown(slob_check__counts_blocks_against_the_caches, setup_slob, teardown),
		cmocka_unit_test_setup_teardown(sysctl__refused_line_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(destroy__with_objects_says_what_was_flushed, setup, teardown),
		cmocka_unit_test_setup_teardown(cache_destroy__frees_the_slot_for_the_next_create, setup, teardown),
		cmocka_unit_test_setup_teardown(cache_destroy__frees_the_slot_for_the_next_create, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(slabinfo__lists_caches_newest_first_when_slots_are_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(slob_destroy__with_leaked_blocks_keeps_the_slot, setup_slob, teardown),
		cmocka_unit_test_setup_teardown(slabinfo__names_with_blanks_keep_the_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(slabinfo__names_with_blanks_keep_the_columns, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(json__escapes_bytes_that_are_not_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(echo__in_json_mode_emits_json, setup, teardown),
		cmocka_unit_test_setup_teardown(check_each__checks_the_slab_a_step_touches_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(check_each__checks_the_slab_a_step_touches_at_once, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(check_each__checks_zone_counters_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(check_each__runs_the_full_check_every_nth_command_and_at_the_end, setup, teardown),
		cmocka_unit_test(program__write_errors_and_mem_0_fail),
		cmocka_unit_test_setup_teardown(refused__statements_leave_every_view_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(refused__statements_leave_every_view_unchanged, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(refused__statements_leave_every_view_unchanged, setup_slob, teardown),
		cmocka_unit_test_setup_teardown(dmesg__is_a_ring_of_bounded_size, setup, teardown),
		cmocka_unit_test_setup_teardown(errors__escape_control_and_non_utf8_bytes, setup, teardown),
		cmocka_unit_test(output__escapes_c1_and_non_utf8_bytes_of_typed_names),
		cmocka_unit_test_setup_teardown(repeat__stops_when_interrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(repeat_of_source__a_repeat_in_the_file_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
