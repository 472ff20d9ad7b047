/*
 * test_cli.c - the command language: statements, variables, typed
 * arguments, errors that name the argument, scripts that stop at the first
 * failure, and garbage input that must neither crash nor change the model.
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

#include "kmemsh/cli.h"
#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"

struct fixture {
	struct session s;
};

static int setup_with(void **state, const char *arch)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct machine_config cfg = { .arch = arch };
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
	return setup_with(state, "x86_64");
}

static int setup_i386(void **state)
{
	return setup_with(state, "i386");
}

static int setup_i386_613(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct machine_config cfg = { .arch = "i386", .kernel = "6.13" };
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(session_init(&f->s, &cfg, err, sizeof err), 0);
	out_init_buf(&f->s.out);
	out_init_buf(&f->s.err);
	f->s.src_name = "test";
	*state = f;
	return 0;
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

static uint64_t total_free(const struct machine *m)
{
	uint64_t t = 0;
	for (int z = 0; z < m->nr_zones; z++)
		t += m->zones[z].free_pages;
	return t;
}

static void variables__carry_results_between_commands(void **state)
{
	struct fixture *f = *state;
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "p = __get_free_pages GFP_KERNEL 2"), 0);
	const struct value *p = var_get(&f->s, "p");
	assert_non_null(p);
	assert_int_equal(p->kind, V_ADDR);
	assert_int_equal(total_free(f->s.m), before - 4);
	assert_int_equal(var_get(&f->s, "_")->u, p->u);
	assert_int_equal(session_run_line(&f->s, "free_pages $p 2"), 0);
	assert_int_equal(total_free(f->s.m), before);
	assert_int_equal(f->s.status, 0);
}

static void statements__split_on_semicolons_and_stop_at_comments(void **state)
{
	struct fixture *f = *state;
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "a = alloc_page GFP_KERNEL; b = alloc_pages 'GFP_KERNEL | __GFP_ZERO' 1 # b = x"), 0);
	assert_non_null(var_get(&f->s, "a"));
	assert_int_equal(var_get(&f->s, "b")->kind, V_PAGE);
	assert_int_equal(total_free(f->s.m), before - 3);
	assert_int_equal(session_run_line(&f->s, "__free_pages $b 1 ; __free_page $a"), 0);
	assert_int_equal(total_free(f->s.m), before);
	/* GFP expression written with blanks around '|' without quotes */
	assert_int_equal(session_run_line(&f->s, "c = alloc_pages GFP_KERNEL | __GFP_NOWARN 0; __free_pages $c 0"), 0);
}

static void assignment__accepts_the_equals_sign_without_blanks(void **state)
{
	struct fixture *f = *state;
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "a=alloc_pages GFP_KERNEL 1; b= alloc_page GFP_KERNEL; c =alloc_page GFP_KERNEL"), 0);
	assert_int_equal(var_get(&f->s, "a")->kind, V_PAGE);
	assert_int_equal(var_get(&f->s, "b")->kind, V_PAGE);
	assert_int_equal(var_get(&f->s, "c")->kind, V_PAGE);
	assert_int_equal(total_free(f->s.m), before - 4);
	assert_int_equal(session_run_line(&f->s, "__free_pages $a 1; __free_page $b; __free_page $c"), 0);
	assert_int_equal(total_free(f->s.m), before);
	/* A bad name is still refused, and nothing ran. */
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "1x=alloc_page GFP_KERNEL"), -1);
	assert_non_null(strstr(errtext(f), "'1x' is not a variable name"));
	assert_int_equal(session_run_line(&f->s, "x="), -1);
	assert_int_equal(total_free(f->s.m), before);
}

/* the page API must not free the slab layer's pages (the kernel's
 * free_pages_prepare() would find PG_slab and report Bad page state) */
static void page_api__refuses_to_free_slab_pages(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "a = kmalloc 64; p = virt_to_page $a; b = kmalloc 20000"), 0);
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "__free_pages $p 0"), -1);
	assert_non_null(strstr(errtext(f), "is a slab of kmalloc-64"));
	assert_int_equal(session_run_line(&f->s, "free_pages $b 3"), -1);   /* get_order(20000) = 3 */
	assert_non_null(strstr(errtext(f), "is a large kmalloc of 20000 bytes"));
	assert_int_equal(total_free(f->s.m), before);
	assert_int_equal(session_run_line(&f->s, "kfree $a; kfree $b; check"), 0);
}

/* a page table the kernel took from the buddy allocator after boot (as
 * vmalloc() will) is an allocated order-0 block, but no block the page API
 * may free: the entries above it would point at a free page */
static void page_api__refuses_to_free_page_table_pages(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->s.m;
	/* the pte below stands for no vmap area: without the vmap allocator
	 * (its boot state dropped) `check` looks for none */
	vmap_destroy(m);
	size_t nt = m->pt->nt;
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, 0xcc0, 0, &pfn), 0);
	/* 8 MiB into the vmalloc space, away from the boot's HPET area: a
	 * pte table of its own */
	assert_int_equal(pgtable_set_pte(m, m->layout.vmalloc_start + (8 << 20),
					 pgtable_mk_pte(m, pfn, 0x8000000000000163ull)), 0);
	assert_true(m->pt->nt > nt);
	uint64_t table = m->pt->t[m->pt->nt - 1].pfn;       /* the new pte table */
	char line[128];
	uint64_t before = total_free(m);
	snprintf(line, sizeof line, "free_pages %#llx 0", (unsigned long long)machine_pfn_to_vaddr(m, table));
	assert_int_equal(session_run_line(&f->s, line), -1);
	assert_non_null(strstr(errtext(f), "page-table page"));
	snprintf(line, sizeof line, "__free_pages %#llx 0", (unsigned long long)machine_page_ptr(m, table));
	assert_int_equal(session_run_line(&f->s, line), -1);
	assert_int_equal(total_free(m), before);
	assert_int_equal(session_run_line(&f->s, "check"), 0);
}

static void typed_arguments__refuse_a_page_where_an_address_is_wanted(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "p = alloc_pages GFP_KERNEL 0"), 0);
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "free_pages $p 0"), -1);
	assert_non_null(strstr(errtext(f), "test:0: free_pages: argument 1 '$p' is a struct page pointer"));
	assert_int_equal(total_free(f->s.m), before);
	assert_int_equal(f->s.status, 1);
}

static void errors__name_the_argument_and_suggest(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "alloc_pages GFP_KERNAL 0"), -1);
	assert_non_null(strstr(errtext(f), "unknown GFP flag 'GFP_KERNAL' in 6.13 (did you mean GFP_KERNEL?)"));
	assert_int_equal(session_run_line(&f->s, "aloc_pages GFP_KERNEL 0"), -1);
	assert_non_null(strstr(errtext(f), "unknown command 'aloc_pages' (did you mean alloc_pages?)"));
	assert_int_equal(session_run_line(&f->s, "alloc_pages GFP_KERNEL"), -1);
	assert_non_null(strstr(errtext(f), "missing argument (usage: alloc_pages GFP ORDER)"));
	assert_int_equal(session_run_line(&f->s, "alloc_pages GFP_KERNEL 1 2"), -1);
	assert_non_null(strstr(errtext(f), "too many arguments: '2'"));
	assert_int_equal(session_run_line(&f->s, "alloc_pages GFP_KERNEL -1"), -1);
	assert_non_null(strstr(errtext(f), "negative"));
	/* drop_caches' range is the sysctl's (1 to 4 on 6.13: SYSCTL_ONE,
	 * SYSCTL_FOUR), said once, in words */
	assert_int_equal(session_run_line(&f->s, "drop_caches 5"), -1);
	assert_non_null(strstr(errtext(f), "argument 1 '5': drop_caches takes 1 to 4 (1 page cache, 2 slab, 3 both, 4 quiet)"));
	assert_int_equal(session_run_line(&f->s, "echo 7 > /proc/sys/vm/drop_caches"), -1);
	assert_non_null(strstr(errtext(f), "argument 1 '7': drop_caches takes 1 to 4"));
	/* memalloc_noreclaim_restore takes what _save returned: 0 or PF_MEMALLOC */
	assert_int_equal(session_run_line(&f->s, "memalloc_noreclaim_restore 1"), -1);
	assert_non_null(strstr(errtext(f), "flags 0x1: memalloc_noreclaim_save() returns 0 or PF_MEMALLOC (0x800)"));
	assert_false(f->s.m->ctx.pf_memalloc);
	assert_int_equal(session_run_line(&f->s, "alloc_pages GFP_KERNEL 99999999999999999999999"), -1);
	assert_non_null(strstr(errtext(f), "too large"));
	assert_int_equal(session_run_line(&f->s, "free_pages $nothing 0"), -1);
	assert_non_null(strstr(errtext(f), "no variable '$nothing'"));
	assert_int_equal(session_run_line(&f->s, "show nonsense"), -1);
	assert_non_null(strstr(errtext(f), "try help show"));
	assert_int_equal(session_run_line(&f->s, "x = check"), -1);
	/* every error is exactly one line */
	size_t lines = 0;
	for (const char *p = errtext(f); *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 12);
}

static void scripts__stop_at_the_first_failure_unless_keep_going(void **state)
{
	struct fixture *f = *state;
	char text[] = "a = alloc_page GFP_KERNEL\nbogus\nb = alloc_page GFP_KERNEL\n";
	FILE *in = fmemopen(text, strlen(text), "r");
	assert_int_equal(session_run_stream(&f->s, in, "s.kms"), -1);
	fclose(in);
	assert_non_null(strstr(errtext(f), "s.kms:2: unknown command 'bogus'"));
	assert_non_null(var_get(&f->s, "a"));
	assert_null(var_get(&f->s, "b"));
	f->s.keep_going = true;
	in = fmemopen(text, strlen(text), "r");
	assert_int_equal(session_run_stream(&f->s, in, "s.kms"), -1);
	fclose(in);
	assert_non_null(var_get(&f->s, "b"));
}

/* irq { } / softirq { }: the statements run in that context and the one
 * before comes back at the '}', also when a statement fails and the script
 * stops there; a line whose braces do not pair runs nothing */
/* memalloc_noreclaim_save gives the PF_MEMALLOC bit as it was, to hand back:
 * nested saves keep the flag until the outermost restore */
static void memalloc_noreclaim__save_returns_the_bit_and_restore_puts_it_back(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "f = memalloc_noreclaim_save; g = memalloc_noreclaim_save"), 0);
	assert_int_equal(var_get(&f->s, "f")->u, 0);
	assert_int_equal(var_get(&f->s, "g")->u, 0x800);       /* include/linux/sched.h PF_MEMALLOC */
	assert_int_equal(session_run_line(&f->s, "memalloc_noreclaim_restore $g"), 0);
	assert_true(f->s.m->ctx.pf_memalloc);
	assert_int_equal(session_run_line(&f->s, "memalloc_noreclaim_restore $f"), 0);
	assert_false(f->s.m->ctx.pf_memalloc);
}

static void blocks__run_in_their_context_and_restore_it_also_on_error(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->s.m;
	assert_int_equal(session_run_line(&f->s, "softirq { irq { a = kmalloc 64 GFP_ATOMIC }; b = kmalloc 64 GFP_ATOMIC }"), 0);
	assert_non_null(var_get(&f->s, "a"));
	assert_non_null(var_get(&f->s, "b"));
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(m->ctx.preempt_count, 0);
	assert_false(m->ctx.irqs_disabled);
	/* the failing kfree stops the script inside both blocks */
	assert_int_equal(session_run_line(&f->s, "softirq { irq { kfree 0x1234; c = kmalloc 8 GFP_ATOMIC } }"), -1);
	assert_null(var_get(&f->s, "c"));
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(m->ctx.preempt_count, 0);
	assert_false(m->ctx.irqs_disabled);
	assert_int_equal(f->s.ctx_blocks, 0);
	/* refused before anything runs */
	assert_int_equal(session_run_line(&f->s, "d = kmalloc 8 GFP_KERNEL; irq { kfree $a"), -1);
	assert_non_null(strstr(errtext(f), "without its '}'"));
	assert_null(var_get(&f->s, "d"));
	assert_int_equal(session_run_line(&f->s, "d = kmalloc 8 GFP_KERNEL; }"), -1);
	assert_null(var_get(&f->s, "d"));
	assert_int_equal(session_run_line(&f->s, "kfree { $a }"), -1);
	assert_non_null(strstr(errtext(f), "only after irq or softirq"));
	/* inside a block `context` cannot leave it; a quoted brace is a word */
	assert_int_equal(session_run_line(&f->s, "irq { context process }"), -1);
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(session_run_line(&f->s, "echo '{'"), 0);
	assert_int_equal(session_run_line(&f->s, "kfree $a; kfree $b; check"), 0);
}

/* run a line as line number n of the script "test" */
static int line_at(struct fixture *f, unsigned n, const char *line)
{
	f->s.src_line = n;
	return session_run_line(&f->s, line);
}

/* A '{' that ends a line opens a block over the lines that follow: nothing
 * of it runs before its '}', then each statement runs with its own line
 * number in the block's context, and the context before comes back. */
static void block_over_lines__runs_at_its_brace_with_each_lines_number(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->s.m;
	int depth = 0;
	assert_int_equal(line_at(f, 10, "irq {"), 0);
	assert_string_equal(session_block_pending(&f->s, &depth), "irq");
	assert_int_equal(depth, 1);
	assert_int_equal(line_at(f, 11, "  a = kmalloc 64 GFP_ATOMIC"), 0);
	assert_null(var_get(&f->s, "a"));
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(line_at(f, 12, "  softirq {"), 0);
	assert_string_equal(session_block_pending(&f->s, &depth), "softirq");
	assert_int_equal(depth, 2);
	assert_int_equal(line_at(f, 13, "    echo a softirq does not run inside a hardirq"), 0);
	assert_int_equal(line_at(f, 14, "  }; b = kmalloc 64 GFP_ATOMIC"), 0);
	assert_int_equal(f->s.err.len, 0);
	/* keep going: the refused softirq block and the failing kfree are
	 * errors of their own lines, the statements after them still run */
	f->s.keep_going = true;
	assert_int_equal(line_at(f, 15, "  kfree 0x1234"), 0);
	assert_int_equal(line_at(f, 16, "}"), -1);
	assert_null(session_block_pending(&f->s, NULL));
	assert_non_null(strstr(errtext(f), "test:12: softirq: "));
	assert_non_null(strstr(errtext(f), "test:15: kfree: "));
	assert_non_null(var_get(&f->s, "a"));
	assert_non_null(var_get(&f->s, "b"));
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(m->ctx.preempt_count, 0);
	assert_false(m->ctx.irqs_disabled);
	assert_int_equal(f->s.ctx_blocks, 0);
	assert_int_equal(f->s.src_line, 16);
	assert_int_equal(session_run_line(&f->s, "kfree $a; kfree $b; check"), 0);
}

/* Without keep-going the first failure stops the block, and the context
 * before it comes back. */
static void block_over_lines__stops_at_a_failure_and_restores_the_context(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->s.m;
	assert_int_equal(line_at(f, 1, "softirq {"), 0);
	assert_int_equal(line_at(f, 2, "irq {"), 0);
	assert_int_equal(line_at(f, 3, "kfree 0x1234"), 0);
	assert_int_equal(line_at(f, 4, "c = kmalloc 8 GFP_ATOMIC }"), 0);
	assert_int_equal(line_at(f, 5, "d = kmalloc 8 GFP_ATOMIC }"), -1);
	assert_non_null(strstr(errtext(f), "test:3: kfree: "));
	assert_null(var_get(&f->s, "c"));
	assert_null(var_get(&f->s, "d"));
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(m->ctx.preempt_count, 0);
	assert_int_equal(f->s.ctx_blocks, 0);
}

/* A brace error in a block, an unclosed block at the end of the input and
 * an abandoned block (Ctrl-C) run nothing of the block and leave the
 * model as it was. */
static void block_over_lines__unclosed_bad_or_abandoned_runs_nothing(void **state)
{
	struct fixture *f = *state;
	struct machine *m = f->s.m;
	uint64_t free0 = total_free(m);
	/* a brace error: reported at its line, the block read to its '}' */
	assert_int_equal(line_at(f, 1, "irq {"), 0);
	assert_int_equal(line_at(f, 2, "a = kmalloc 64 GFP_ATOMIC"), 0);
	assert_int_equal(line_at(f, 3, "kfree { 1 }"), -1);
	assert_non_null(strstr(errtext(f), "test:3: '{' opens a block only after irq or softirq"));
	assert_int_equal(line_at(f, 4, "}"), -1);
	assert_null(session_block_pending(&f->s, NULL));
	assert_null(var_get(&f->s, "a"));
	/* unclosed at the end: one error naming the line where it opened */
	out_free(&f->s.err);
	out_init_buf(&f->s.err);
	assert_int_equal(line_at(f, 7, "softirq {"), 0);
	assert_int_equal(line_at(f, 8, "irq {"), 0);
	assert_int_equal(line_at(f, 9, "b = kmalloc 64 GFP_ATOMIC }"), 0);
	assert_int_equal(session_end_input(&f->s), -1);
	assert_string_equal(errtext(f), "test:7: the block opened here has no '}' before the end of the input; "
			    "nothing of it was run\n");
	assert_int_equal(f->s.src_line, 9);
	assert_null(var_get(&f->s, "b"));
	assert_int_equal(session_end_input(&f->s), 0);
	/* abandoned: the next '}' closes nothing */
	assert_int_equal(line_at(f, 10, "irq {"), 0);
	assert_int_equal(line_at(f, 11, "c = kmalloc 64 GFP_ATOMIC"), 0);
	session_block_abandon(&f->s);
	assert_null(session_block_pending(&f->s, NULL));
	assert_int_equal(line_at(f, 12, "}"), -1);
	assert_non_null(strstr(errtext(f), "test:12: '}' closes no block"));
	assert_null(var_get(&f->s, "c"));
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
	assert_int_equal(total_free(m), free0);
	/* a block may not grow without bound: past its line limit it is
	 * refused, read to its '}' without keeping its lines */
	out_free(&f->s.err);
	out_init_buf(&f->s.err);
	assert_int_equal(line_at(f, 20, "irq {"), 0);
	for (unsigned i = 0; i < 10000; i++)
		line_at(f, 21 + i, "c = kmalloc 64 GFP_ATOMIC");
	assert_non_null(strstr(errtext(f), "test:10020: a block over more than 10000 lines"));
	assert_non_null(session_block_pending(&f->s, NULL));
	assert_int_equal(line_at(f, 10021, "}"), -1);
	assert_null(session_block_pending(&f->s, NULL));
	assert_null(var_get(&f->s, "c"));
	assert_int_equal(total_free(m), free0);
	/* a '{' in the middle of a line does not go on to the next one */
	assert_int_equal(line_at(f, 13, "irq { c = kmalloc 64 GFP_ATOMIC"), -1);
	assert_null(session_block_pending(&f->s, NULL));
}

/* A script read from a stream: a block over its lines, and one left open
 * at its end (an error at the line where it opened; the lines before it
 * ran). */
static void block_over_lines__in_a_stream(void **state)
{
	struct fixture *f = *state;
	char text[] = "irq {\n"
		      "  a = kmalloc 64 GFP_ATOMIC\n"
		      "}\n"
		      "b = kmalloc 64 GFP_KERNEL\n"
		      "softirq {\n"
		      "  c = kmalloc 64 GFP_ATOMIC\n";
	FILE *in = fmemopen(text, strlen(text), "r");
	assert_int_equal(session_run_stream(&f->s, in, "blocks.kms"), -1);
	fclose(in);
	assert_string_equal(errtext(f), "blocks.kms:5: the block opened here has no '}' before the end of the input; "
			    "nothing of it was run\n");
	assert_non_null(var_get(&f->s, "a"));
	assert_non_null(var_get(&f->s, "b"));
	assert_null(var_get(&f->s, "c"));
	assert_null(session_block_pending(&f->s, NULL));
	assert_int_equal(f->s.m->ctx.kind, CTX_PROCESS);
}

static void overlong_and_binary_lines__are_refused(void **state)
{
	struct fixture *f = *state;
	char *big = malloc(10000);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	assert_int_equal(session_run_line(&f->s, big), -1);
	assert_non_null(strstr(errtext(f), "line too long"));
	free(big);
	assert_int_equal(session_run_line(&f->s, "alloc_page \x01GFP_KERNEL"), -1);
	assert_non_null(strstr(errtext(f), "control character 0x01"));
}

/* Random garbage: no crash, no change to the model, consistent after. */
static void garbage_lines__never_crash_or_change_the_model(void **state)
{
	struct fixture *f = *state;
	f->s.keep_going = true;
	f->s.quiet = true;
	static const char *const words[] = {
		"alloc_pages", "free_pages", "__free_pages", "show", "page", "GFP_KERNEL", "|", "0x", "$p",
		"$_", "=", ";", "#", "'", "\"", "-1", "11", "0xffffffffffffffff", "sysctl", "vm.min_free_kbytes=",
		"free_area", "Normal", "99999", "help", "set", "show", "check", "GFP_DMA|__GFP_HIGHMEM", "\xff\xfe",
		"page_address", "pfn_to_page", "reset", "source", "/nonexistent", "zones",
	};
	uint64_t rng = 12345;
	uint64_t before = total_free(f->s.m);
	for (int i = 0; i < 20000; i++) {
		char line[256] = "";
		int n = 1 + (int)(rng % 6);
		for (int k = 0; k < n; k++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			const char *w = words[(rng >> 33) % (sizeof words / sizeof words[0])];
			if (strcmp(w, "reset") == 0 || strcmp(w, "source") == 0)
				continue;
			strncat(line, w, sizeof line - strlen(line) - 2);
			strcat(line, " ");
		}
		/* never allocate: drop alloc commands whose args could succeed */
		if (strstr(line, "alloc_pages") || strstr(line, "vm.min_free_kbytes="))
			continue;
		session_run_line(&f->s, line);
		f->s.err.len = 0;
	}
	assert_int_equal(total_free(f->s.m), before);
	assert_int_equal(machine_check(f->s.m), 0);
	assert_false(f->s.quit);
}

static void i386_get_free_pages__refuses_highmem_as_2_6_32_does(void **state)
{
	struct fixture *f = *state;
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "__get_free_pages GFP_HIGHUSER 0"), -1);
	assert_non_null(strstr(errtext(f), "__GFP_HIGHMEM is not allowed"));
	assert_int_equal(total_free(f->s.m), before);
	/* alloc_pages may return a highmem page, which has no kernel address */
	assert_int_equal(session_run_line(&f->s, "p = alloc_pages GFP_HIGHUSER 0; a = page_address $p"), 0);
	assert_int_equal(var_get(&f->s, "a")->u, 0);
}

/* kmem_cache_free(s, NULL) is a no-op: its result line has no note, not
 * the message of an earlier failure */
static void kmem_cache_free_null__has_no_note(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "x = alloc_pages GFP_KERNEL 12; kmem_cache_create foo 64"), 0);
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free foo 0"), 0);
	assert_non_null(strstr(f->s.out.buf, "kmem_cache_free(foo, 0) = void\n"));
}

/* kmem_cache_create() returns struct kmem_cache *: the struct the kernel
 * took for the cache (6.x create_cache(): kmem_cache_zalloc(kmem_cache,
 * GFP_KERNEL); 2.6.32 SLAB kmem_cache_zalloc(&cache_cache, gfp); SLOB
 * slob_alloc(sizeof(struct kmem_cache))): that object's address, as text
 * and in JSON, under SLUB, SLAB and SLOB */
static void kmem_cache_create__returns_the_struct_kmem_cache(void **state)
{
	(void)state;
	static const struct machine_config cfgs[] = {
		{ .arch = "x86_64" }, { .arch = "i386" }, { .arch = "i386", .slab = "slob" },
	};
	for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
		struct session s;
		char err[256];
		struct machine_config cfg = cfgs[i];
		cfg.pcp_off = true;
		assert_int_equal(session_init(&s, &cfg, err, sizeof err), 0);
		out_init_buf(&s.out);
		out_init_buf(&s.err);
		assert_int_equal(session_run_line(&s, "kmem_cache_create foo 64"), 0);
		const char *p = strstr(s.out.buf, "kmem_cache_create(\"foo\", 64, 0) = 0x");
		assert_non_null(p);
		uint64_t a = strtoull(strchr(p, '=') + 2, NULL, 16);
		struct object_info oi;
		slab_object_info(s.m, a, &oi);
		assert_true(oi.found && oi.allocated);
		assert_int_equal(oi.object_addr, a);
		/* it is a value: NAME = kmem_cache_create keeps it */
		assert_int_equal(session_run_line(&s, "c = kmem_cache_create baz 16"), 0);
		slab_object_info(s.m, var_get(&s, "c")->u, &oi);
		assert_true(oi.found && oi.allocated && oi.object_addr == var_get(&s, "c")->u);
		if (!oi.slob)
			assert_string_equal(s.m->slab->caches[oi.cache].name, "kmem_cache");
		/* the pointer names the cache to the other calls, as in C */
		assert_int_equal(session_run_line(&s, "o = kmem_cache_alloc $c GFP_KERNEL"), 0);
		slab_object_info(s.m, var_get(&s, "o")->u, &oi);
		assert_true(oi.found && oi.allocated);
		assert_string_equal(s.m->slab->caches[oi.cache].name, "baz");
		assert_int_equal(session_run_line(&s, "kmem_cache_free $c $o; kmem_cache_destroy $c"), 0);
		assert_true(slab_cache_find(s.m, "baz") < 0);
		size_t before = s.err.len;
		assert_int_equal(session_run_line(&s, "kmem_cache_alloc $c GFP_KERNEL"), -1);
		assert_non_null(strstr(s.err.buf + before, "is not the struct kmem_cache of a live cache"));
		s.json = s.out.json = true;
		assert_int_equal(session_run_line(&s, "kmem_cache_create bar 32"), 0);
		p = strstr(s.out.buf, "\"call\":\"kmem_cache_create(\\\"bar\\\", 32, 0)\",\"result\":\"0x");
		assert_non_null(p);
		assert_non_null(strstr(p, "\"kind\":\"address\""));
		session_free(&s);
	}
	/* 2.6.32 SLUB kmallocs its struct kmem_cache, which the model does not
	 * keep: no value rather than a NULL that reads as a failure */
	struct session s;
	char err[256];
	struct machine_config cfg = { .arch = "i386", .kernel = "2.6.32", .slab = "slub", .pcp_off = true };
	assert_int_equal(session_init(&s, &cfg, err, sizeof err), 0);
	out_init_buf(&s.out);
	out_init_buf(&s.err);
	assert_int_equal(session_run_line(&s, "kmem_cache_create foo 64"), 0);
	assert_non_null(strstr(s.out.buf, "kmem_cache_create(\"foo\", 64, 0) = void"));
	assert_null(strstr(s.out.buf, "= NULL"));
	session_free(&s);
}

/* a unique prefix runs the command it names: kzal is kzalloc, with
 * __GFP_ZERO, and kmem_cache_d destroys rather than shrinks */
static void prefixes__run_the_command_they_name(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "a = kzal 100; kmem_cache_create foo 64; b = kmem_cache_z foo"), 0);
	assert_non_null(strstr(f->s.out.buf, "kzalloc(100, GFP_KERNEL) = "));
	assert_non_null(strstr(f->s.out.buf, "kmem_cache_zalloc(foo, GFP_KERNEL|__GFP_ZERO) = "));
	assert_int_equal(session_run_line(&f->s, "kmem_cache_free foo $b; kmem_cache_d foo"), 0);
	assert_non_null(strstr(f->s.out.buf, "kmem_cache_destroy(foo) = void"));
	assert_true(slab_cache_find(f->s.m, "foo") < 0);
}

/* Results are values: -q renders nothing, yet every variable gets the same
 * value as with the result lines shown as text or as JSON. */
static void results__are_the_same_values_quiet_shown_and_json(void **state)
{
	(void)state;
	static const char *const script[] = {
		"a = alloc_pages GFP_KERNEL 2", "b = kmalloc 200", "c = page_to_pfn $a", "d = ksize $b",
		"e = kcalloc 4 64 GFP_ATOMIC", "g = __get_free_page GFP_KERNEL", "h = virt_to_page $g",
		"i = kmalloc_array 0x100000000 0x100000000", "kfree $b", "free_page $g", "__free_pages $a 2",
	};
	static const char *const vars[] = { "a", "b", "c", "d", "e", "g", "h", "i" };
	enum { QUIET, SHOWN, JSON, NMODES };
	uint64_t got[NMODES][sizeof vars / sizeof vars[0]];
	for (int mode = 0; mode < NMODES; mode++) {
		struct session s;
		struct machine_config cfg = { .arch = "x86_64" };
		char err[256];
		cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
		assert_int_equal(session_init(&s, &cfg, err, sizeof err), 0);
		out_init_buf(&s.out);
		out_init_buf(&s.err);
		s.quiet = mode == QUIET;
		s.json = s.out.json = mode == JSON;
		if (mode == SHOWN) {
			s.show = false;
			assert_int_equal(session_run_line(&s, "set show on"), 0);
			out_free(&s.out);
		}
		for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
			assert_int_equal(session_run_line(&s, script[i]), 0);
		for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
			got[mode][i] = var_get(&s, vars[i])->u;
			/* the addresses and page pointers are printed as they were stored */
			char hex[32];
			snprintf(hex, sizeof hex, "%#llx", (unsigned long long)got[mode][i]);
			if (mode != QUIET && got[mode][i] > 0xffff)
				assert_non_null(strstr(s.out.buf, hex));
		}
		if (mode == QUIET)
			assert_null(s.out.buf);
		else
			assert_non_null(strstr(s.out.buf, mode == JSON ? "{\"call\":\"kfree(" : "\nkfree("));
		assert_null(s.err.buf);
		session_free(&s);
	}
	assert_memory_equal(got[QUIET], got[SHOWN], sizeof got[0]);
	assert_memory_equal(got[QUIET], got[JSON], sizeof got[0]);
}

/* The lexer: quotes anywhere in a word, empty words, ';' and '#' inside
 * quotes, tabs and carriage returns as blanks, '|' joining GFP words. */
static void lexer__words_quotes_and_joins(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "echo a'b c'd \"\" '' e;echo \"x;y\" '#z'\t1\r # echo no"), 0);
	assert_string_equal(f->s.out.buf, "ab cd   e\nx;y #z 1\n");
	out_free(&f->s.out);
	/* a word starting with '|' or after one ending with '|' is joined */
	assert_int_equal(session_run_line(&f->s, "echo x '|' y| z | w"), 0);
	assert_string_equal(f->s.out.buf, "x|y|z|w\n");
	uint64_t before = total_free(f->s.m);
	assert_int_equal(session_run_line(&f->s, "a = alloc_pages GFP_KERNEL |__GFP_ZERO| __GFP_NOWARN 1"), 0);
	assert_non_null(strstr(f->s.out.buf, "alloc_pages(GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO, 1)"));
	assert_int_equal(total_free(f->s.m), before - 2);
	/* an unterminated quote fails its statement; those before it ran */
	f->s.keep_going = true;
	assert_int_equal(session_run_line(&f->s, "__free_pages $a 1; echo 'x;y"), -1);
	assert_non_null(strstr(errtext(f), "test:0: unterminated quote\n"));
	assert_int_equal(total_free(f->s.m), before);
	/* a control character in a comment refuses the whole line */
	assert_int_equal(session_run_line(&f->s, "b = alloc_page GFP_KERNEL # \x01"), -1);
	assert_non_null(strstr(errtext(f), "control character 0x01 at column 29"));
	assert_null(var_get(&f->s, "b"));
	assert_int_equal(total_free(f->s.m), before);
}

/* The lexer cuts words in place, writing each word's NUL over the
 * character that ended it: a ';', '#', '{' or '}' right after a word must
 * still act, and a quoted word joined to the one before it must move. */
static void lexer__separators_right_after_a_word_still_act(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "echo ab;echo cd"), 0);
	assert_int_equal(session_run_line(&f->s, "echo a#b"), 0);
	assert_int_equal(session_run_line(&f->s, "echo x |'y z'| w"), 0);
	assert_int_equal(session_run_line(&f->s, "irq{echo a}"), 0);
	assert_int_equal(session_run_line(&f->s, "echo 'a'b\"c\"d e;echo f"), 0);
	assert_int_equal(session_run_line(&f->s, "echo p|'|'q"), 0);
	assert_string_equal(f->s.out.buf, "ab\ncd\na\nx|y z|w\na\nabcd e\nf\np||q\n");
}

/* More than 256 statements on a line: refused, and none of them runs
 * (they were dropped silently before); empty statements do not count. */
static void statements__more_than_256_are_refused(void **state)
{
	struct fixture *f = *state;
	char line[4097];
	size_t n = 0;
	for (int i = 0; i < 257; i++) {
		assert_true(n + 16 < sizeof line);
		n += (size_t)snprintf(line + n, sizeof line - n, "x=alloc_page 0;");
	}
	uint64_t before = total_free(f->s.m);
	unsigned commands = f->s.commands;
	assert_int_equal(session_run_line(&f->s, line), -1);
	assert_string_equal(errtext(f), "test:0: too many statements on one line (at most 256); nothing was run\n");
	assert_int_equal(f->s.commands, commands);
	assert_int_equal(total_free(f->s.m), before);
	assert_null(var_get(&f->s, "x"));
	/* 256 run, however many empty ones surround them */
	f->s.quiet = true;
	char *last = strrchr(line, 'x');
	memcpy(last, ";;;;", 5);
	assert_true(strlen(line) < 4096);
	assert_int_equal(session_run_line(&f->s, line), 0);
	assert_int_equal(f->s.commands, commands + 256);
	assert_int_equal(total_free(f->s.m), before - 256);
}

/* a linear scan, as the table's lookup was: what the index must agree with */
static const struct cmd *find_linear(const struct cmd *table, const char *name, const struct cmd **amb)
{
	const struct cmd *prefix = NULL;
	int nprefix = 0;
	size_t len = strlen(name);
	*amb = NULL;
	for (const struct cmd *c = table; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
		if (len >= 2 && strncmp(c->name, name, len) == 0) {
			if (nprefix == 1)
				*amb = c;
			if (!prefix)
				prefix = c;
			nprefix++;
		}
	}
	return nprefix == 1 ? prefix : NULL;
}

/* cmd_find() by hash and bisection finds what a scan of the table finds,
 * for every prefix of every command and show subcommand, and a few
 * names that are none */
static void cmd_find__agrees_with_a_scan_of_the_table(void **state)
{
	(void)state;
	const struct cmd *tables[] = { cmd_table, show_table };
	unsigned checked = 0, ambiguous = 0;
	for (size_t t = 0; t < 2; t++)
		for (const struct cmd *c = tables[t]; c->name; c++) {
			char buf[128];
			size_t len = strlen(c->name);
			assert_true(len < sizeof buf - 2);
			for (size_t k = 0; k <= len + 1; k++) {
				memcpy(buf, c->name, len + 1);
				if (k <= len)
					buf[k] = '\0';
				else
					memcpy(buf + len, "z", 2);
				const struct cmd *amb1, *amb2;
				const struct cmd *want = find_linear(tables[t], buf, &amb1);
				assert_ptr_equal(cmd_find(tables[t], buf, &amb2), want);
				assert_ptr_equal(amb2, amb1);
				checked++;
				ambiguous += amb1 != NULL;
			}
		}
	assert_true(checked > 500);
	assert_true(ambiguous > 10);
	const struct cmd *amb;
	assert_null(cmd_find(cmd_table, "", &amb));
	assert_null(cmd_find(cmd_table, "~", &amb));
	assert_null(cmd_find(cmd_table, "0", &amb));
	assert_string_equal(cmd_find(cmd_table, "kmalloc", &amb)->name, "kmalloc");
	assert_null(amb);
}

/* the variables: a hash table with a stated cap */
static void variables__are_capped_with_a_clear_error(void **state)
{
	struct fixture *f = *state;
	char name[32];
	for (int i = 0; i < SESSION_MAX_VARS; i++) {
		snprintf(name, sizeof name, "v%d", i);
		assert_int_equal(var_set(&f->s, name, (struct value){ V_NUM, (uint64_t)i }), 0);
	}
	assert_int_equal(var_set(&f->s, "one_more", (struct value){ V_NUM, 1 }), -ENOSPC);
	/* an existing name may still be set */
	assert_int_equal(var_set(&f->s, "v7", (struct value){ V_NUM, 70 }), 0);
	for (int i = 0; i < SESSION_MAX_VARS; i += 9973) {
		snprintf(name, sizeof name, "v%d", i);
		assert_int_equal(var_get(&f->s, name)->u, i == 7 ? 70u : (uint64_t)i);
	}
	assert_int_equal(var_get(&f->s, "v7")->u, 70);
	f->s.quiet = true;
	assert_int_equal(session_run_line(&f->s, "one_more = page_to_pfn 0xffffea0000000040"), -1);
	assert_non_null(strstr(errtext(f), "page_to_pfn: too many variables (at most 1048576); reuse a name\n"));
	assert_null(var_get(&f->s, "one_more"));
	assert_int_equal(session_run_line(&f->s, "v1 = echo"), -1);   /* gives no value: as before */
	assert_int_equal(session_run_line(&f->s, "v1 = page_to_pfn 0xffffea0000000040"), 0);
	assert_int_equal(var_get(&f->s, "v1")->u, 1);
}

/* completion words from the model: the live areas each command takes back */
struct words {
	char w[16][24];
	size_t n;
};

static void collect(void *arg, const char *word)
{
	struct words *ws = arg;
	if (ws->n < 16)
		snprintf(ws->w[ws->n++], sizeof ws->w[0], "%s", word);
}

static bool has_word(const struct words *ws, const char *w)
{
	for (size_t i = 0; i < ws->n; i++)
		if (!strcmp(ws->w[i], w))
			return true;
	return false;
}

static struct words words_of(struct fixture *f, const char *cmd, char kind)
{
	struct words ws = { .n = 0 };
	cli_complete_words(&f->s, cmd, kind, collect, &ws);
	return ws;
}

static void completion__live_areas_and_km_types_come_from_the_model(void **state)
{
	struct fixture *f = *state;
	char line[96];
	struct words ws = words_of(f, "kmap_atomic", 'm');        /* i386 2.6.32: enum km_type */
	assert_true(has_word(&ws, "KM_USER0") && has_word(&ws, "KM_IRQ1"));
	assert_int_equal(words_of(f, "vfree", 'a').n, 0);
	assert_int_equal(session_run_line(&f->s, "set show off; v = vmalloc 8K; p = alloc_page GFP_KERNEL; "
					  "w = vmap $p VM_MAP; i = ioremap 0xfebc0010 4K; h = alloc_page GFP_HIGHUSER; "
					  "k = kmap_atomic $h KM_USER0"), 0);
	snprintf(line, sizeof line, "0x%llx", (unsigned long long)var_get(&f->s, "v")->u);
	ws = words_of(f, "vfree", 'a');
	assert_int_equal(ws.n, 1);
	assert_string_equal(ws.w[0], line);
	snprintf(line, sizeof line, "0x%llx", (unsigned long long)var_get(&f->s, "w")->u);
	ws = words_of(f, "vunmap", 'a');
	assert_int_equal(ws.n, 1);
	assert_string_equal(ws.w[0], line);
	snprintf(line, sizeof line, "0x%llx", (unsigned long long)(var_get(&f->s, "i")->u & ~0xfffull));
	ws = words_of(f, "iounmap", 'a');
	assert_int_equal(ws.n, 2);              /* the boot's HPET mapping, then i */
	assert_string_equal(ws.w[1], line);
	snprintf(line, sizeof line, "0x%llx", (unsigned long long)var_get(&f->s, "k")->u);
	ws = words_of(f, "kunmap_atomic", 'a');
	assert_int_equal(ws.n, 1);
	assert_string_equal(ws.w[0], line);
	/* gone once given back */
	assert_int_equal(session_run_line(&f->s, "vfree $v; iounmap $i; kunmap_atomic $k KM_USER0"), 0);
	assert_int_equal(words_of(f, "vfree", 'a').n, 0);
	assert_int_equal(words_of(f, "iounmap", 'a').n, 1);     /* the HPET's */
	assert_int_equal(words_of(f, "kunmap_atomic", 'a').n, 0);
	assert_int_equal(words_of(f, "vunmap", 'a').n, 1);
}

static void completion__6_13_kmap_atomic_has_no_km_type(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(words_of(f, "kmap_atomic", 'm').n, 0);
	assert_int_equal(session_run_line(&f->s, "set show off; p = alloc_page GFP_KERNEL; k = kmap_local_page $p"), 0);
	/* a lowmem page: page_address(), no slot to give back */
	assert_int_equal(words_of(f, "kunmap_local", 'a').n, 0);
}

/* A plain line (words and spaces only) is lexed 32 characters at a time
 * (lex_plain); any other line by the full loop.  The same line with " #"
 * after it (a comment: the full loop's) must do exactly what the plain one
 * does: two sessions in step, the one given the plain lines and the other
 * the commented ones, print the same, fail the same and end in the same
 * state.  Once line by line (session_run_line), once as scripts read from
 * regular files, where a plain line is lexed in the reader's block. */
static const char *const plain_lines[] = {
	"", " ", "                                 ", "echo a", "  echo   a  b  ", "echo a ",
	"x = echo a", "x=echo a", "x =echo a", "x= echo a", "x = = y", "= x", "x =", "==", "x == y",
	"_ = alloc_page GFP_KERNEL", "9x = alloc_page GFP_KERNEL", "p1 = alloc_pages GFP_KERNEL 2",
	"__free_pages $p1 2", "p = alloc_pages GFP_KERNEL 0", "q=alloc_pages GFP_KERNEL 1", "__free_pages $q 1",
	"k = kmalloc 64 GFP_KERNEL", "kfree $k", "k= kmalloc 1000", "x = kfree $k", "kfree $k+8", "kfree $k-8",
	"kmalloc 12345678901234567890", "kmalloc 0x40", "kmalloc 0064", "kmalloc 4K", "kmalloc 1234567890123456789",
	"al GFP_KERNEL", "alloc_p GFP_KERNEL 0", "nosuchcommand a b", "__free_pages $nosuch 0", "__free_pages $_ 0",
	"echo aaaaaaaaaaaaaaa", "echo aaaaaaaaaaaaaaaaaaaaaaaaaa", "echo aaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"           echo b           c                           d            e                      f",
	"v = vmalloc 8K", "vfree $v", "p = alloc_pages GFP_KERNEL 0", "free_pages $p 0", "set show off",
	"k = kmalloc 32", "kfree $k", "set show on",
};

static void run_pair(struct fixture *a, struct fixture *b, const char *line)
{
	char with_comment[4200];
	snprintf(with_comment, sizeof with_comment, "%s #", line);
	int ra = session_run_line(&a->s, line), rb = session_run_line(&b->s, with_comment);
	assert_int_equal(ra, rb);
	assert_int_equal(a->s.out.len, b->s.out.len);
	assert_int_equal(a->s.err.len, b->s.err.len);
	if (a->s.out.len)
		assert_memory_equal(a->s.out.buf, b->s.out.buf, a->s.out.len);
	if (a->s.err.len)
		assert_memory_equal(a->s.err.buf, b->s.err.buf, a->s.err.len);
}

static void lexer__a_plain_line_does_what_the_full_loop_does(void **state)
{
	struct fixture *a = *state, *b;
	setup((void **)&b);
	char line[4000];
	for (size_t i = 0; i < sizeof plain_lines / sizeof plain_lines[0]; i++)
		run_pair(a, b, plain_lines[i]);
	/* words ending around each 32-character block, the MAX_ARGS limit */
	for (int n = 0; n < 100; n++) {
		int k = snprintf(line, sizeof line, "echo");
		for (int w = 0; w < n && k < 3900; w++)
			k += snprintf(line + k, sizeof line - (size_t)k, "%*s%.*s", 1 + w % 3, "", 1 + (n + w) % 40,
				      "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww");
		run_pair(a, b, line);
	}
	assert_int_equal(a->s.status, b->s.status);
	assert_int_equal(total_free(a->s.m), total_free(b->s.m));
	teardown((void **)&b);
}

static void lexer__a_script_of_plain_lines_reads_as_with_comments(void **state)
{
	struct fixture *a = *state, *b;
	setup((void **)&b);
	FILE *fa = tmpfile(), *fb = tmpfile();
	assert_non_null(fa);
	assert_non_null(fb);
	/* enough lines that some cross the reader's 64 KiB blocks */
	for (int r = 0; r < 60; r++)
		for (size_t i = 0; i < sizeof plain_lines / sizeof plain_lines[0]; i++) {
			fprintf(fa, "%s\n", plain_lines[i]);
			fprintf(fb, "%s #\n", plain_lines[i]);
		}
	fputs("echo the last line has no newline", fa);
	fputs("echo the last line has no newline #", fb);
	rewind(fa);
	rewind(fb);
	a->s.keep_going = b->s.keep_going = true;
	assert_int_equal(session_run_stream(&a->s, fa, "script"), session_run_stream(&b->s, fb, "script"));
	assert_int_equal(a->s.out.len, b->s.out.len);
	assert_memory_equal(a->s.out.buf, b->s.out.buf, a->s.out.len);
	assert_int_equal(a->s.err.len, b->s.err.len);
	assert_memory_equal(a->s.err.buf, b->s.err.buf, a->s.err.len);
	assert_true(a->s.err.len > 0);  /* the bad lines were reported */
	fclose(fa);
	fclose(fb);
	teardown((void **)&b);
}

/* vmalloc_32() wants 32-bit addressable pages: i386 2.6.32 passes
 * GFP_KERNEL (no __GFP_HIGHMEM), 6.13 GFP_DMA32 | GFP_KERNEL, which keeps
 * __vmalloc_area_node() from adding __GFP_HIGHMEM: Normal, never HighMem */
static void vmalloc_32__i386__takes_no_highmem_page(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "set show off; v = vmalloc_32 64K"), 0);
	const struct vm_struct *vm = vmap_find_area(f->s.m, var_get(&f->s, "v")->u);
	assert_non_null(vm);
	assert_int_equal(vm->nr_mapped, 16);
	for (unsigned i = 0; i < vm->nr_mapped; i++)
		assert_string_equal(f->s.m->zones[machine_pfn_zone(f->s.m, vm->pages[i])].name, "Normal");
}

/* kmap_local_page()/kunmap_local() came with 5.11: 2.6.32 refuses them
 * by name, even for a lowmem page, and changes nothing */
static void kmap_local__is_not_in_2_6_32(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "p = alloc_page GFP_KERNEL"), 0);
	size_t before = f->s.err.len;
	assert_int_not_equal(session_run_line(&f->s, "kmap_local_page $p"), 0);
	assert_non_null(strstr(f->s.err.buf + before, "kmap_local_page() is not in Linux 2.6.32 (added in 5.11"));
	assert_int_not_equal(session_run_line(&f->s, "kunmap_local 0xfffb7000"), 0);
	assert_non_null(strstr(f->s.err.buf + before, "kunmap_local() is not in Linux 2.6.32 (added in 5.11"));
	assert_int_equal(f->s.m->ctx.preempt_count, 0);
}

/* 2.6.32 has no memalloc_noreclaim_save(): its code sets the flag itself,
 * current->flags |= PF_MEMALLOC, and clears it with &= ~PF_MEMALLOC;
 * any other flag or operator is refused and changes nothing */
static void current_flags__sets_and_clears_pf_memalloc_on_2_6_32(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "current->flags |= PF_MEMALLOC"), 0);
	assert_true(f->s.m->ctx.pf_memalloc);
	size_t before = f->s.err.len;
	assert_int_equal(session_run_line(&f->s, "current->flags |= PF_KSWAPD"), -1);
	assert_non_null(strstr(f->s.err.buf + before, "current->flags: kmemsh models only PF_MEMALLOC"));
	/* the command's name once (session_error() puts it first) */
	assert_null(strstr(f->s.err.buf + before, "current->flags: current->flags:"));
	assert_int_equal(session_run_line(&f->s, "current->flags = PF_MEMALLOC"), -1);
	assert_int_equal(session_run_line(&f->s, "current->flags &= PF_MEMALLOC"), -1);
	assert_true(f->s.m->ctx.pf_memalloc);
	assert_int_equal(session_run_line(&f->s, "current->flags &= ~PF_MEMALLOC"), 0);
	assert_false(f->s.m->ctx.pf_memalloc);
	/* C written without spaces */
	assert_int_equal(session_run_line(&f->s, "current->flags|=PF_MEMALLOC"), 0);
	assert_true(f->s.m->ctx.pf_memalloc);
	assert_int_equal(session_run_line(&f->s, "current->flags&=~PF_MEMALLOC"), 0);
	assert_false(f->s.m->ctx.pf_memalloc);
}

/* 2.6.32 has no list_lru (3.12) and no nr_deferred (3.12's per-node
 * counters): its struct shrinker (include/linux/mm.h) has a shrink(int
 * nr_to_scan, gfp_t) callback over the cache's own LRU list and "long nr;
 * objs pending delete", which shrink_slab() keeps; the texts use those */
static void shrinkable__2_6_32_says_lru_list_and_nr(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "kmem_cache_create dentry 192 SLAB_RECLAIM_ACCOUNT; "
						 "shrinkable dentry 100; show reclaim"), 0);
	const char *o = f->s.out.buf;
	assert_non_null(strstr(o, "shrinkable dentry: 100 objects added to its shrinker's LRU list (100 there); "));
	assert_non_null(strstr(o, "shrinker dentry: 100 objects on its LRU list, nr 0\n"));
	assert_null(strstr(o, "list_lru"));
	assert_null(strstr(o, "nr_deferred"));
}

/* 6.13: vfree() in an irq block only queues the area (vfree_atomic());
 * the block's '}' is irq_exit(), after which delayed_vfree_work() frees
 * it.  That is shown as a step of its own: the work, the cleared PTEs */
static void irq_block__its_end_shows_the_deferred_vfree(void **state)
{
	struct fixture *f = *state;
	f->s.check_each = true;
	assert_int_equal(session_run_line(&f->s, "v = vmalloc 8K"), 0);
	size_t before = f->s.out.len;
	assert_int_equal(session_run_line(&f->s, "irq { vfree $v }"), 0);
	const char *o = f->s.out.buf + before;
	const char *queued = strstr(o, "added to CPU 0's vfree_deferred llist");
	assert_non_null(queued);
	const char *work = strstr(o, "delayed_vfree_work() runs in process context");
	assert_non_null(work);
	assert_true(work > queued);
	assert_non_null(strstr(work, "cleared (was 0x"));
	assert_int_equal(vmap_deferred_count(f->s.m), 0);
	assert_null(vmap_find_area(f->s.m, var_get(&f->s, "v")->u));
}

/* VM_NO_GUARD came with 4.0: 2.6.32 names it as missing, maps nothing */
static void vmap__vm_no_guard_is_not_in_2_6_32(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "p = alloc_page GFP_KERNEL"), 0);
	size_t before = f->s.err.len;
	assert_int_not_equal(session_run_line(&f->s, "vmap $p VM_NO_GUARD"), 0);
	assert_non_null(strstr(f->s.err.buf + before, "VM_NO_GUARD() is not in Linux 2.6.32 (added in 4.0)"));
	/* the boot's HPET ioremap is the only area: 2.6.32's first fit would
	 * have put the vmap one page past its end */
	const struct vm_struct *vm = vmap_find_area(f->s.m, f->s.m->layout.vmalloc_start);
	assert_true(vm && (vm->flags & VM_IOREMAP));
	assert_null(vmap_find_area(f->s.m, f->s.m->layout.vmalloc_start + 0x3000));
}

/* vmap() maps the pages it is given: a HighMem and a Normal page are
 * from two zones, so the result names no single zone for them */
static void vmap__of_pages_from_two_zones_names_no_single_zone(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(session_run_line(&f->s, "h = alloc_page GFP_HIGHUSER; n = alloc_page GFP_KERNEL"), 0);
	assert_int_equal(session_run_line(&f->s, "v = vmap $h $n"), 0);
	const char *o = strstr(f->s.out.buf, "vmap(");
	assert_non_null(o);
	assert_non_null(strstr(o, "2 pages at pfn "));
	assert_null(strstr(o, "(HighMem)"));
	assert_null(strstr(o, "(Normal)"));
	assert_non_null(strstr(o, "physically scattered"));
	assert_int_equal(session_run_line(&f->s, "w = vmap $h"), 0);
	assert_non_null(strstr(strstr(f->s.out.buf, "vmap(") + 1, "vmap("));
	assert_non_null(strstr(strstr(strstr(f->s.out.buf, "vmap(") + 1, "vmap("), "(HighMem)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(variables__carry_results_between_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(vmap__of_pages_from_two_zones_names_no_single_zone, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(kmap_local__is_not_in_2_6_32, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(current_flags__sets_and_clears_pf_memalloc_on_2_6_32, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(shrinkable__2_6_32_says_lru_list_and_nr, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(vmap__vm_no_guard_is_not_in_2_6_32, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(irq_block__its_end_shows_the_deferred_vfree, setup, teardown),
		cmocka_unit_test_setup_teardown(statements__split_on_semicolons_and_stop_at_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(assignment__accepts_the_equals_sign_without_blanks, setup, teardown),
		cmocka_unit_test_setup_teardown(page_api__refuses_to_free_slab_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(page_api__refuses_to_free_page_table_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(typed_arguments__refuse_a_page_where_an_address_is_wanted, setup, teardown),
		cmocka_unit_test_setup_teardown(errors__name_the_argument_and_suggest, setup, teardown),
		cmocka_unit_test_setup_teardown(scripts__stop_at_the_first_failure_unless_keep_going, setup, teardown),
		cmocka_unit_test_setup_teardown(blocks__run_in_their_context_and_restore_it_also_on_error, setup, teardown),
		cmocka_unit_test_setup_teardown(memalloc_noreclaim__save_returns_the_bit_and_restore_puts_it_back, setup, teardown),
		cmocka_unit_test_setup_teardown(block_over_lines__runs_at_its_brace_with_each_lines_number, setup, teardown),
		cmocka_unit_test_setup_teardown(block_over_lines__stops_at_a_failure_and_restores_the_context, setup,
						teardown),
		cmocka_unit_test_setup_teardown(block_over_lines__unclosed_bad_or_abandoned_runs_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(block_over_lines__in_a_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(overlong_and_binary_lines__are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(garbage_lines__never_crash_or_change_the_model, setup, teardown),
		cmocka_unit_test_setup_teardown(i386_get_free_pages__refuses_highmem_as_2_6_32_does, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(kmem_cache_free_null__has_no_note, setup, teardown),
		cmocka_unit_test_setup_teardown(prefixes__run_the_command_they_name, setup, teardown),
		cmocka_unit_test(results__are_the_same_values_quiet_shown_and_json),
		cmocka_unit_test(kmem_cache_create__returns_the_struct_kmem_cache),
		cmocka_unit_test_setup_teardown(lexer__words_quotes_and_joins, setup, teardown),
		cmocka_unit_test_setup_teardown(lexer__separators_right_after_a_word_still_act, setup, teardown),
		cmocka_unit_test_setup_teardown(lexer__a_plain_line_does_what_the_full_loop_does, setup, teardown),
		cmocka_unit_test_setup_teardown(lexer__a_script_of_plain_lines_reads_as_with_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(statements__more_than_256_are_refused, setup, teardown),
		cmocka_unit_test(cmd_find__agrees_with_a_scan_of_the_table),
		cmocka_unit_test_setup_teardown(variables__are_capped_with_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(completion__live_areas_and_km_types_come_from_the_model, setup_i386,
						teardown),
		cmocka_unit_test_setup_teardown(completion__6_13_kmap_atomic_has_no_km_type, setup, teardown),
		cmocka_unit_test_setup_teardown(vmalloc_32__i386__takes_no_highmem_page, setup_i386, teardown),
		cmocka_unit_test_setup_teardown(vmalloc_32__i386__takes_no_highmem_page, setup_i386_613, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
