/*
 * test_trace.c - the ftrace text parser, buddy_alloc_pages_at() and the
 * replay on small traces.  The lines are the kernel's TP_printk() formats
 * of include/trace/events/kmem.h: 6.18 and 6.1 lines are copied from the
 * real captures (tests/data/), 2.6.32's follow its "call_site=%lx ptr=%p
 * bytes_req=%zu bytes_alloc=%zu gfp_flags=%s" and "page=%p pfn=%lu order=%d
 * migratetype=%d gfp_flags=%s".
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
#include "kmemsh/slab.h"
#include "kmemsh/trace.h"
#include "kmemsh/view.h"
#include "kmemsh/vmalloc.h"
#include "fixture.h"
#include <zlib.h>

#include "../fuzz/trace_parse_ref.c"

static void parse(const char *line, struct trace_event *ev)
{
	trace_parse_line(line, strlen(line), ev);
}

static bool str_is(struct trace_str s, const char *want)
{
	return s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

static void tracefs_6_18_lines__parse_every_field(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("          <...>-2333 [000] .....   142.724491: kmalloc: call_site=__get_vm_area_node+0x80/0x140 "
	      "ptr=00000000159d5506 bytes_req=72 bytes_alloc=96 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false",
	      &ev);
	assert_int_equal(ev.type, TEV_KMALLOC);
	assert_int_equal(ev.cpu, 0);
	assert_true(ev.ts_ns == 142724491000ull);
	assert_true(ev.ptr == 0x159d5506ull);
	assert_int_equal(ev.bytes_req, 72);
	assert_int_equal(ev.bytes_alloc, 96);
	assert_true(str_is(ev.gfp, "GFP_KERNEL|__GFP_ZERO"));
	assert_true(str_is(ev.site, "__get_vm_area_node+0x80/0x140"));

	parse("          <...>-2333 [000] .....   142.724489: kmem_cache_alloc: call_site=copy_process+0x18a/0x1c70 "
	      "ptr=00000000d4910a2c name=task_struct bytes_req=5840 bytes_alloc=5888 gfp_flags=GFP_KERNEL node=-1 "
	      "accounted=true", &ev);
	assert_int_equal(ev.type, TEV_CACHE_ALLOC);
	assert_true(str_is(ev.name, "task_struct"));
	assert_int_equal(ev.bytes_alloc, 5888);

	parse("          <...>-2335 [001] ...2.   142.725085: mm_page_free: page=00000000dbc624a4 pfn=0x119759 order=0",
	      &ev);
	assert_int_equal(ev.type, TEV_PAGE_FREE);
	assert_int_equal(ev.cpu, 1);
	assert_true(ev.pfn == 0x119759);
	assert_int_equal(ev.order, 0);

	parse("          <...>-2333 [000] .....   142.724546: mm_page_alloc: page=00000000d4d60073 pfn=0x104982 order=2 "
	      "migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP", &ev);
	assert_int_equal(ev.type, TEV_PAGE_ALLOC);
	assert_true(ev.pfn == 0x104982);
	assert_int_equal(ev.order, 2);

	parse("          <...>-2333 [000] .....   142.724549: kfree: call_site=ida_alloc_range+0x39b/0x400 "
	      "ptr=0000000000000000", &ev);
	assert_int_equal(ev.type, TEV_KFREE);
	assert_true(ev.ptr == 0);
	assert_true(ev.has & TF_PTR);
}

static void amd64_6_1_lines__raw_pointers_no_name_on_alloc(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("            init-1       [001] .....    20.516194: kmem_cache_alloc: call_site=alloc_inode+0x59/0xc0 "
	      "ptr=ffff88810133f400 bytes_req=632 bytes_alloc=640 gfp_flags=GFP_KERNEL node=-1 accounted=true", &ev);
	assert_int_equal(ev.type, TEV_CACHE_ALLOC);
	assert_true(ev.ptr == 0xffff88810133f400ull);
	assert_int_equal(ev.name.len, 0);
	assert_int_equal(ev.bytes_req, 632);
	parse("             cat-10104   [000] ...2.    20.518297: mm_page_free_batched: page=ffffea00040a3180 "
	      "pfn=0x1028c6 order=0", &ev);
	assert_int_equal(ev.type, TEV_PAGE_FREE_BATCHED);
	assert_true(ev.pfn == 0x1028c6);
	parse("            find-10106   [000] d..3.    20.530272: mm_page_alloc_zone_locked: page=ffffea0004048500 "
	      "pfn=0x101214 order=1 migratetype=2 percpu_refill=1", &ev);
	assert_int_equal(ev.type, TEV_PAGE_ALLOC_ZONE_LOCKED);
	assert_true(ev.pfn == 0x101214);
	assert_int_equal(ev.order, 1);
	assert_int_equal(ev.pg.percpu_refill, 1);
	/* the same fields in 2.6.32 (decimal pfn); extfrag's alloc_order is the order */
	parse("            bash-1234  [000]   103.220400: mm_page_pcpu_drain: page=c1a3b000 pfn=219648 order=2 "
	      "migratetype=1", &ev);
	assert_int_equal(ev.type, TEV_PAGE_PCPU_DRAIN);
	assert_true(ev.pfn == 219648);
	assert_int_equal(ev.order, 2);
	parse("            bash-1234  [000]   103.220401: mm_page_alloc_extfrag: page=c1a3b000 pfn=219648 alloc_order=0 "
	      "fallback_order=9 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 "
	      "change_ownership=1", &ev);
	assert_int_equal(ev.type, TEV_PAGE_ALLOC_EXTFRAG);
	assert_int_equal(ev.order, 0);
	assert_int_equal(ev.pg.fallback_order, 9);
	assert_int_equal(ev.pg.fragmenting, 0);
	assert_int_equal(ev.pg.change_ownership, 1);
	parse("            find-10106   [000] d..3.    20.530272: mm_page_alloc_zone_locked: page=ffffea0004048500 "
	      "pfn=0x101214 order=1 migratetype=2", &ev);
	assert_int_equal(ev.type, TEV_BAD);
}

static void v2_6_32_and_32_bit_lines__decimal_pfn_hex_call_site(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("            bash-1234  [000]   103.220193: kmalloc: call_site=c10a2b3c ptr=f6d3a2c0 bytes_req=100 "
	      "bytes_alloc=128 gfp_flags=GFP_KERNEL", &ev);
	assert_int_equal(ev.type, TEV_KMALLOC);
	assert_true(ev.ptr == 0xf6d3a2c0u);
	assert_true(str_is(ev.site, "c10a2b3c"));
	parse("            bash-1234  [000]   103.220200: mm_page_alloc: page=c1a3b000 pfn=219648 order=1 "
	      "migratetype=0 gfp_flags=GFP_KERNEL", &ev);
	assert_int_equal(ev.type, TEV_PAGE_ALLOC);
	assert_true(ev.pfn == 219648);
	parse("            bash-1234  [000]   103.220300: mm_page_free_direct: page=c1a3b000 pfn=219648 order=1", &ev);
	assert_int_equal(ev.type, TEV_PAGE_FREE);
	parse("            bash-1234  [000]   103.220301: mm_pagevec_free: page=c1a3b020 pfn=219649 order=0 cold=0",
	      &ev);
	assert_int_equal(ev.type, TEV_PAGE_FREE_BATCHED);
	parse("            bash-1234  [000]   103.220302: kfree: call_site=c10a2b3c ptr=(null)", &ev);
	assert_int_equal(ev.type, TEV_KFREE);
	assert_true(ev.ptr == 0 && (ev.has & TF_PTR));
}

/* 4.19 (include/trace/events/kmem.h of v4.19: call_site=%lx, hashed %p,
 * pfn=%lu, four flag columns, kmalloc_node with node=) and 5.4 (the same
 * with five flag columns; %pS call sites and pfn=0x%lx came in 5.x) */
static void v4_and_v5_lines__hex_call_site_decimal_pfn_kmalloc_node(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("            bash-1234  [001] ....   100.000002: kmalloc_node: call_site=ffffffff8120a7b2 "
	      "ptr=000000009b1e5c07 bytes_req=3000 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1", &ev);
	assert_int_equal(ev.type, TEV_KMALLOC_NODE);
	assert_int_equal(ev.cpu, 1);
	assert_true(ev.ptr == 0x9b1e5c07u);
	assert_true(str_is(ev.site, "ffffffff8120a7b2"));
	assert_int_equal(ev.bytes_req, 3000);
	assert_int_equal(ev.bytes_alloc, 4096);
	parse("            bash-1234  [000] ....   100.000003: kmem_cache_alloc_node: call_site=ffffffff81234567 "
	      "ptr=00000000deadbeef bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=0", &ev);
	assert_int_equal(ev.type, TEV_CACHE_ALLOC_NODE);
	assert_int_equal(ev.cpu, 0);
	assert_true(ev.ptr == 0xdeadbeefu);
	assert_int_equal(ev.bytes_alloc, 192);
	assert_int_equal(ev.name.len, 0);
	parse("            bash-1234  [001] d...   100.000004: mm_page_alloc: page=00000000abcd1234 pfn=1234567 "
	      "order=0 migratetype=0 gfp_flags=GFP_KERNEL", &ev);
	assert_int_equal(ev.type, TEV_PAGE_ALLOC);
	assert_int_equal(ev.cpu, 1);
	assert_true(ev.pfn == 1234567);
	parse("            bash-1234  [001] d...   100.000006: mm_page_free_batched: page=00000000abcd1235 "
	      "pfn=1234568 order=0", &ev);
	assert_int_equal(ev.type, TEV_PAGE_FREE_BATCHED);
	assert_true(ev.pfn == 1234568);
	parse("            bash-1234  [001] d....   100.000005: mm_page_free: page=00000000abcd1234 pfn=0x12d687 "
	      "order=2", &ev);
	assert_int_equal(ev.type, TEV_PAGE_FREE);
	assert_int_equal(ev.cpu, 1);
	assert_true(ev.pfn == 0x12d687);
	assert_int_equal(ev.order, 2);
}

static void trace_cmd_and_perf_script_lines__parse_too(void **state)
{
	(void)state;
	struct trace_event ev;
	/* trace-cmd report: no flags column, the event name padded */
	parse("            bash-4101  [001]  5227.123456: kmalloc:              call_site=load_elf_phdrs+0x49/0xa0 "
	      "ptr=0xffff888101234560 bytes_req=504 bytes_alloc=512 gfp_flags=GFP_KERNEL", &ev);
	assert_int_equal(ev.type, TEV_KMALLOC);
	assert_int_equal(ev.cpu, 1);
	assert_true(ev.ptr == 0xffff888101234560ull);
	assert_int_equal(ev.bytes_alloc, 512);
	/* perf script: SYSTEM:EVENT */
	parse("            bash  4101 [001]  5227.123456: kmem:kmalloc: call_site=load_elf_phdrs+0x49 "
	      "ptr=0xffff888101234560 bytes_req=504 bytes_alloc=512 gfp_flags=GFP_KERNEL", &ev);
	assert_int_equal(ev.type, TEV_KMALLOC);
	assert_int_equal(ev.bytes_req, 504);
	/* perf script prints a NULL %p as glibc does: "(nil)" (kfree(NULL)) */
	parse("       perf-exec  2654 [000]  5135.677115:            kmem:kfree: "
	      "call_site=ext4_fname_free_filename+0x12 ptr=(nil)", &ev);
	assert_int_equal(ev.type, TEV_KFREE);
	assert_true(ev.ptr == 0 && (ev.has & TF_PTR));
	parse("       perf-exec  2654 [000]  5135.677115:            kmem:kfree: call_site=f+0x12 ptr=(nil)x", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	/* trace-cmd report's preamble is header, not bad lines */
	parse("version = 6", &ev);
	assert_int_equal(ev.type, TEV_NONE);
	parse("cpus=2", &ev);
	assert_int_equal(ev.type, TEV_NONE);
	parse("CPU 1 is empty", &ev);
	assert_int_equal(ev.type, TEV_NONE);
	parse("cpus=two", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	parse("CPU 1 is full", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	/* a task name with blanks, colons and brackets */
	parse("  kworker/u4:1 [x]-45    [000] .....    1.000001: kfree: call_site=f+0x1/0x2 ptr=ffff888100001000", &ev);
	assert_int_equal(ev.type, TEV_KFREE);
	assert_true(ev.ptr == 0xffff888100001000ull);
}

static void bad_and_other_lines__are_told_apart(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("# tracer: nop", &ev);
	assert_int_equal(ev.type, TEV_NONE);
	parse("", &ev);
	assert_int_equal(ev.type, TEV_NONE);
	parse("garbage here", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	assert_non_null(ev.why);
	/* cut in the middle */
	parse("          <...>-2339 [001] .....   142.740148: kmem_cache_alloc: call_site=mas_prealloc", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	parse("          <...>-2339 [001] .....   142.74", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	parse("          <...>-2339 [001] .....   142.740148: sched_switch: prev_comm=a", &ev);
	assert_int_equal(ev.type, TEV_OTHER);
	assert_true(str_is(ev.event, "sched_switch"));
	/* a bad pointer makes the event unusable, not a crash */
	parse("          <...>-1 [001] .....   1.5: kfree: call_site=x ptr=zzzz", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	/* not NUL-terminated: only len bytes are read */
	const char cut[] = "          <...>-1 [001] .....   1.5: kfree: call_site=x ptr=ffff888100000040XYZ";
	trace_parse_line(cut, sizeof cut - 4, &ev);
	assert_int_equal(ev.type, TEV_KFREE);
	assert_true(ev.ptr == 0xffff888100000040ull);
}

/* ---- buddy_alloc_pages_at ---------------------------------------------- */

static struct machine *boot(const char *arch, uint64_t mem)
{
	struct machine_config cfg = { .arch = arch, .mem_bytes = mem };
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	return boot_cfg(&cfg);
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

static int setup_x86_64(void **state)
{
	*state = boot("x86_64", 4ull << 30);
	return 0;
}

static int setup_i386_613(void **state)
{
	struct machine_config cfg = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30 };
	struct machine *m;
	char err[256];
	/* pure buddy, as boot() above: the i386 test counts the free pages
	 * the replay took, and a pcp refill takes a batch (added at the merge
	 * of the pcp lists) */
	cfg.pcp_off = true;
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	*state = m;
	return 0;
}

static int setup_x86_64_61(void **state, const char *slab)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.1", .slab = slab, .mem_bytes = 4ull << 30 };
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	*state = m;
	return 0;
}

static int setup_x86_64_61_slab(void **state)
{
	return setup_x86_64_61(state, "slab");
}

static int setup_x86_64_61_slub(void **state)
{
	return setup_x86_64_61(state, NULL);
}

static int setup_i386_2632(void **state)
{
	struct machine_config cfg = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 1ull << 30 };
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	*state = m;
	return 0;
}

/* a hashed %p printed before the kernel's hash key was set (lib/vsprintf.c
 * ptr_to_id(): "(ptrval)" on 32-bit, "(____ptrval____)" on 64-bit); the
 * first line is from tests/data/kmem-i386-6.1-ptrval-head2k.txt.gz */
static void ptrval_pointers__parse_as_a_pointer_not_printed(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("            init-1       [001] .....    17.956950: kmalloc: call_site=alloc_pipe_info+0x53/0x1f0 "
	      "ptr=(ptrval) bytes_req=108 bytes_alloc=128 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true",
	      &ev);
	assert_int_equal(ev.type, TEV_KMALLOC);
	assert_true((ev.has & (TF_PTR | TF_PTRVAL)) == (TF_PTR | TF_PTRVAL));
	assert_true(ev.ptr == 0);
	assert_int_equal(ev.bytes_req, 108);
	assert_int_equal(ev.bytes_alloc, 128);
	parse("          <...>-2333 [000] .....   142.724371: kmem_cache_free: call_site=__fput+0x141/0x2a0 "
	      "ptr=(____ptrval____) name=lsm_file_cache", &ev);
	assert_int_equal(ev.type, TEV_CACHE_FREE);
	assert_true(ev.has & TF_PTRVAL);
	assert_true(str_is(ev.name, "lsm_file_cache"));
	/* NULL prints raw before the key as after it */
	parse("            init-1       [001] .....    17.957000: kfree: call_site=f+0x1/0x2 ptr=00000000", &ev);
	assert_int_equal(ev.type, TEV_KFREE);
	assert_false(ev.has & TF_PTRVAL);
	/* not the token: "(ptrval)x", "(ptrva)" */
	parse("            init-1       [001] .....    17.957000: kfree: call_site=f+0x1/0x2 ptr=(ptrval)x", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	parse("            init-1       [001] .....    17.957000: kfree: call_site=f+0x1/0x2 ptr=(ptrva)", &ev);
	assert_int_equal(ev.type, TEV_BAD);
}

static void alloc_pages_at__takes_that_block_and_frees_it_back(void **state)
{
	struct machine *m = *state;
	gfp_t gfp = 0xcc0;      /* GFP_KERNEL, 6.13 include/linux/gfp_types.h */
	struct page_info pi;
	uint64_t pfn = 0x104982 & ~3ull;
	assert_int_equal(buddy_alloc_pages_at(m, gfp, pfn, 2), 0);
	buddy_page_info(m, pfn, &pi);
	assert_int_equal(pi.state, PS_ALLOCATED);
	assert_true(pi.block_pfn == pfn);
	assert_int_equal(pi.order, 2);
	/* its neighbours are free blocks of the orders the split left */
	buddy_page_info(m, pfn + 4, &pi);
	assert_int_equal(pi.state, PS_FREE);
	assert_int_equal(machine_check(m), 0);
	/* taken: the same pfn again is refused, nothing changes */
	assert_int_equal(buddy_alloc_pages_at(m, gfp, pfn, 0), -EBUSY);
	assert_int_equal(buddy_alloc_pages_at(m, gfp, pfn + 1, 1), -EINVAL);   /* not aligned */
	assert_int_equal(buddy_alloc_pages_at(m, gfp, m->max_pfn, 0), -ERANGE);
	assert_int_equal(machine_check(m), 0);
	assert_int_equal(buddy_free_pages(m, pfn, 2), 0);
	assert_int_equal(machine_check(m), 0);
	buddy_page_info(m, pfn, &pi);
	assert_int_equal(pi.state, PS_FREE);
	assert_int_equal(pi.order, 10);     /* merged back to MAX_ORDER */
}

/* include/trace/events/vmalloc.h: lines of our own 6.18 capture
 * (tests/data/vmalloc-x86_64-6.18-purge.txt.gz) */
static void vmalloc_6_18_lines__decimal_va_start_size_range_lazy_purge(void **state)
{
	(void)state;
	struct trace_event ev;
	parse("   run-golden.sh-9834    [001] ..... 63871.400546: alloc_vmap_area: va_start: 18446683600607100928 "
	      "size=20480 align=16384 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0", &ev);
	assert_int_equal(ev.type, TEV_ALLOC_VMAP_AREA);
	assert_true(ev.ptr == 0xffffc9000235c000ull);   /* %lu: all 20 digits */
	assert_int_equal(ev.va.size, 20480);
	assert_int_equal(ev.va.align, 16384);
	assert_true(ev.va.vstart == 0xffffc90000000000ull && ev.va.vend == 0xffffe8ffffffffffull);
	assert_true(ev.has & TF_VA_RANGE);
	assert_int_equal(ev.va.failed, 0);
	parse("     kworker/1:1-24821   [001] ..... 63871.496514: free_vmap_area_noflush: va_start=0xffffc9000134c000 "
	      "nr_lazy=16385 nr_lazy_max=16384", &ev);
	assert_int_equal(ev.type, TEV_FREE_VMAP_AREA_NOFLUSH);
	assert_true(ev.ptr == 0xffffc9000134c000ull);
	assert_int_equal(ev.va.nr_lazy, 16385);
	assert_int_equal(ev.va.nr_lazy_max, 16384);
	parse("    kworker/u8:0-12      [001] ..... 63871.496935: purge_vmap_area_lazy: start=0xffffc9000004c000 "
	      "end=0xffffc90008055000 num_purged=3277", &ev);
	assert_int_equal(ev.type, TEV_PURGE_VMAP_AREA_LAZY);
	assert_true(ev.ptr == 0xffffc9000004c000ull && ev.va.end == 0xffffc90008055000ull);
	assert_int_equal(ev.va.num_purged, 3277);
	/* cut short, or a va_start past 2^64: not replayable */
	parse("   sh-1 [001] ..... 63871.400546: alloc_vmap_area: va_start: 18446683600607100928 size=20480", &ev);
	assert_int_equal(ev.type, TEV_BAD);
	parse("   sh-1 [001] ..... 63871.400546: alloc_vmap_area: va_start: 98446683600607100928 size=20480 "
	      "align=4096 vstart=0x0 vend=0x1 failed=0", &ev);
	assert_int_equal(ev.type, TEV_BAD);
}

/* ---- replay ---------------------------------------------------------------- */

static struct replay_report *replay_text(struct machine *m, const char *text, bool exact)
{
	char path[] = "/tmp/kmemsh-test-trace.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct trace_reader *r;
	char err[256];
	assert_int_equal(trace_reader_open(&r, path, err, sizeof err), 0);
	struct replay_opts o = { .exact_pfn = exact };
	struct replay_report *rep;
	assert_int_equal(replay_run(m, r, &o, &rep, err, sizeof err), 0);
	trace_reader_close(r);
	unlink(path);
	return rep;
}

#define L(ts, ev) "            cat-1     [000] .....    20.0000" ts ": " ev "\n"

static void replay__maps_pointers_and_counts_preexisting_frees(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		"# tracer: nop\n"
		L("01", "kmalloc: call_site=f+0x1/0x2 ptr=ffff888100000040 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		L("02", "kmalloc: call_site=f+0x1/0x2 ptr=ffff888100000080 bytes_req=20000 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		L("02", "kmalloc: call_site=f+0x1/0x2 ptr=ffff8881000000c0 bytes_req=100 bytes_alloc=96 gfp_flags=GFP_KERNEL")
		L("03", "kmem_cache_alloc: call_site=g+0x1/0x2 ptr=ffff888100000100 name=task_struct bytes_req=5840 bytes_alloc=5888 gfp_flags=GFP_KERNEL")
		L("04", "kfree: call_site=h+0x1/0x2 ptr=ffff888100000040")
		L("05", "kfree: call_site=h+0x1/0x2 ptr=ffff888100abcdef")
		L("06", "mm_page_alloc: page=ffffea0004000000 pfn=0x104000 order=1 migratetype=0 gfp_flags=GFP_KERNEL")
		L("07", "mm_page_free: page=ffffea0004000000 pfn=0x104000 order=1")
		L("08", "mm_page_free_batched: page=ffffea0004000000 pfn=0x104000 order=0"), false);
	assert_int_equal(rep->ev[TEV_KMALLOC].replayed, 3);
	/* 100 bytes go to kmalloc-128, so a trace saying 96 is a mismatch */
	assert_int_equal(rep->size_checked, 3);
	assert_int_equal(rep->size_mismatch, 1);
	assert_int_equal(rep->mismatch[0].line, 4);
	/* 20000 bytes: __kmalloc_large_node(), PAGE_SIZE << get_order(20000) = 32768 */
	assert_int_equal(rep->order_checked, 1);
	assert_int_equal(rep->order_mismatch, 0);
	assert_int_equal(rep->ev[TEV_CACHE_ALLOC].replayed, 1);
	assert_int_equal(rep->ev[TEV_KFREE].replayed, 1);
	assert_int_equal(rep->ev[TEV_KFREE].preexisting, 1);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].replayed, 1);
	assert_int_equal(rep->ev[TEV_PAGE_FREE].replayed, 1);
	assert_int_equal(rep->pages_companion, 1);
	assert_int_equal(rep->live_objects, 3);
	/* the traced cache exists in the model with the traced size; the booted
	 * kernel's own task_struct (boot_caches.c: 6208 bytes, Debian 6.1
	 * amd64's) holds the name, so it is NAME-SIZE, as replay names a name
	 * taken with another size */
	int c = slab_cache_find(m, "task_struct-5888");
	assert_true(c >= 0);
	assert_int_equal(m->slab->caches[c].g.size, 5888);
	assert_int_equal(m->slab->caches[slab_cache_find(m, "task_struct")].g.size, 6208);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

#define LC(cpu, ts, ev) "            cat-1     [00" cpu "] .....    20.0000" ts ": " ev "\n"

static uint64_t free_pages(const struct machine *m)
{
	uint64_t n = 0;
	for (int z = 0; z < m->nr_zones; z++)
		n += m->zones[z].free_pages;
	return n;
}

static uint64_t slab_pages(const struct machine *m)
{
	return m->slab->reclaimable_pages + m->slab->unreclaimable_pages;
}

/*
 * Raw pointers (no_hash_pointers): a large kmalloc at the first pfn of the
 * order-3 __GFP_COMP block its CPU allocated last (mm/slab_common.c
 * __kmalloc_large_node()), and a dentry inside the order-0 page its CPU
 * allocated last (mm/slub.c allocate_slab()), are the slab layer's pages:
 * the model's slab layer allocates its own, so the traced blocks are given
 * back and their mm_page_free is not replayed.  A dentry outside the page
 * its CPU allocated last (a page cache page) pairs with nothing.
 */
static void replay_raw_pointers__large_kmalloc_and_slab_pages__counted_once(void **state)
{
	struct machine *m = *state;
	uint64_t free0 = free_pages(m), slab0 = slab_pages(m);
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=ffffea0004100000 pfn=0x104000 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "02", "kmalloc: call_site=f+0x1/0x2 ptr=ffff888100000040 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "03", "kmalloc: call_site=f+0x1/0x2 ptr=ffff888104000000 bytes_req=20000 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		LC("1", "04", "mm_page_alloc: page=ffffea0004140000 pfn=0x105000 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("1", "05", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff888105000100 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL")
		LC("0", "06", "mm_page_alloc: page=ffffea0004180000 pfn=0x106000 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE")
		LC("0", "07", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff888105000300 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL")
		LC("0", "08", "kfree: call_site=h+0x1/0x2 ptr=ffff888104000000")
		LC("0", "09", "mm_page_free: page=ffffea0004100000 pfn=0x104000 order=3")
		LC("1", "10", "mm_page_free: page=ffffea0004140000 pfn=0x105000 order=0")
		LC("1", "11", "mm_page_free_batched: page=ffffea0004140000 pfn=0x105000")
		LC("0", "12", "mm_page_free: page=ffffea0004180000 pfn=0x106000 order=0"), false);
	assert_int_equal(rep->paired_large, 1);
	assert_int_equal(rep->paired_large_pages, 8);
	assert_int_equal(rep->paired_slab, 1);
	assert_int_equal(rep->paired_slab_pages, 1);
	assert_int_equal(rep->paired_frees, 2);
	assert_int_equal(rep->pages_companion, 1);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].replayed, 1);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].skipped, 2);
	assert_int_equal(rep->ev[TEV_PAGE_FREE].replayed, 1);
	assert_int_equal(rep->ev[TEV_PAGE_FREE].skipped, 2);
	assert_int_equal(rep->ev[TEV_PAGE_FREE].preexisting, 0);
	assert_int_equal(rep->live_pages, 0);
	/* every page that left the free lists is a slab page of the model's, once */
	assert_true(slab_pages(m) > slab0);
	assert_int_equal(free0 - free_pages(m), slab_pages(m) - slab0);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * Hashed pointers say nothing of the page: a large kmalloc pairs only with
 * the __GFP_COMP block of its order allocated by the event just before it
 * on its CPU, a slab object only with a block of new_slab()'s gfp_flags
 * (__GFP_NORETRY, no __GFP_ZERO / __GFP_ACCOUNT / zone bits) just before it.
 */
static void replay_hashed_pointers__large_kmalloc_pairs_only_right_after_its_page(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=00000000d4d60073 pfn=0x104000 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "02", "kmalloc: call_site=f+0x1/0x2 ptr=000000008c0a3a96 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "03", "kmalloc: call_site=f+0x1/0x2 ptr=00000000159d5506 bytes_req=20000 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		LC("0", "04", "mm_page_alloc: page=00000000705af021 pfn=0x108000 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("0", "05", "kmalloc: call_site=f+0x1/0x2 ptr=00000000c2d4339b bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "06", "kmalloc: call_site=f+0x1/0x2 ptr=00000000e942bac8 bytes_req=20000 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		LC("1", "07", "mm_page_alloc: page=00000000e416426d pfn=0x110000 order=3 migratetype=0 gfp_flags=GFP_KERNEL")
		LC("1", "08", "kmalloc: call_site=f+0x1/0x2 ptr=0000000065915fe4 bytes_req=20000 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		LC("1", "09", "mm_page_alloc: page=00000000d4910a2c pfn=0x118000 order=2 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "10", "kmalloc: call_site=f+0x1/0x2 ptr=0000000012345679 bytes_req=20000 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		LC("0", "11", "mm_page_alloc: page=000000001a2b3c4d pfn=0x112000 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("0", "12", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=0000000022222223 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL"),
		false);
	assert_int_equal(rep->ev[TEV_KMALLOC].replayed, 6);
	assert_int_equal(rep->paired_large, 1);
	assert_int_equal(rep->paired_large_pages, 8);
	/* line 11, GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY, then line 12 on CPU 0 */
	assert_int_equal(rep->paired_slab, 1);
	assert_int_equal(rep->paired_slab_ordered, 1);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].replayed, 3);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].skipped, 2);
	assert_int_equal(rep->live_pages, 8 + 8 + 4);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * SLAB (--kernel 6.1 --slab slab), hashed pointers: mm/slab.c
 * cache_grow_begin() -> kmem_getpages() allocates the new slab with the
 * caller's flags & (GFP_CONSTRAINT_MASK|GFP_RECLAIM_MASK) | __GFP_COMP
 * (allocflags), and on NUMA gfp_exact_node()'s __GFP_THISNODE|__GFP_NOWARN
 * without __GFP_RECLAIM; its order is the cache's gfporder.  Worked by hand
 * (2.6.32's calculate_slab_order(), slab_break_gfp_order 1 above 32 MiB):
 * size-128 and the 192-byte cache hold their objects in order 0, size-8192
 * (kmalloc(5000)) one object in order 1, size-32 order 0.
 *   01/02 exact-node page, kmalloc(100, GFP_KERNEL): paired
 *   03/04 GFP_KERNEL|__GFP_COMP, kmem_cache_zalloc: paired, ambiguous (plain)
 *   05/06 order 0 before kmalloc(5000) (order 1): not paired, unfit
 *   07/08 GFP_KERNEL|__GFP_COMP before a GFP_ATOMIC kmalloc: unfit
 *   09/10 order 1 exact-node, kmalloc(5000): paired
 *   11/12 SLUB's look (__GFP_NORETRY, no __GFP_COMP): not SLAB's, nothing
 *   13/14/15 order 1 page, the off-slab freelist (cache_grow_begin+), the
 *            object: freelist passed over, object paired
 *   16/17/18/19 order 1 page, the freelist cache's own new slab (order 0),
 *            the freelist, the object: both paired, inner first
 *   20/21/22/23 two plain pages, an object, another object: the second page
 *            pairs (ambiguous); the first is no slab's, the second object
 *            pairs with nothing
 * Pairs 7 (01 03 09 13 16 17 21), pages 1+1+2+2+2+1+1 = 10, plain 2 (03
 * 21), unfit 2 (05 07); page events 11, of which 7 paired and 4 replayed.
 */
static void replay_slab_hashed__new_slab_is_the_page_of_its_cache_order_and_flags(void **state)
{
	struct machine *m = *state;
	uint64_t free0 = free_pages(m), slab0 = slab_pages(m);
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=00000000aaaa0001 pfn=0x104000 order=0 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE")
		LC("0", "02", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "03", "mm_page_alloc: page=00000000aaaa0003 pfn=0x105000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "04", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000bbbb0003 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL|__GFP_ZERO")
		LC("0", "05", "mm_page_alloc: page=00000000aaaa0005 pfn=0x106000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("0", "06", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0005 bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL")
		LC("1", "07", "mm_page_alloc: page=00000000aaaa0007 pfn=0x107000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "08", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0007 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_ATOMIC")
		LC("0", "09", "mm_page_alloc: page=00000000aaaa0009 pfn=0x108000 order=1 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE")
		LC("0", "10", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0009 bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL")
		LC("1", "11", "mm_page_alloc: page=00000000aaaa0011 pfn=0x109000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("1", "12", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0011 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "13", "mm_page_alloc: page=00000000aaaa0013 pfn=0x10a000 order=1 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE")
		LC("0", "14", "kmalloc: call_site=cache_grow_begin+0x1/0x2 ptr=00000000bbbb0013 bytes_req=2 bytes_alloc=32 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN")
		LC("0", "15", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0015 bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL")
		LC("1", "16", "mm_page_alloc: page=00000000aaaa0016 pfn=0x10c000 order=1 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE")
		LC("1", "17", "mm_page_alloc: page=00000000aaaa0017 pfn=0x10e000 order=0 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE")
		LC("1", "18", "kmalloc: call_site=cache_grow_begin+0x1/0x2 ptr=00000000bbbb0017 bytes_req=2 bytes_alloc=32 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN")
		LC("1", "19", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0019 bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL")
		LC("0", "20", "mm_page_alloc: page=00000000aaaa0020 pfn=0x110000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("0", "21", "mm_page_alloc: page=00000000aaaa0021 pfn=0x111000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("0", "22", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0021 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "23", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0023 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL"),
		false);
	assert_true(rep->slab_classic);
	assert_int_equal(rep->paired_large, 0);
	assert_int_equal(rep->paired_slab, 7);
	assert_int_equal(rep->paired_slab_pages, 10);
	assert_int_equal(rep->paired_slab_ordered, 7);
	assert_int_equal(rep->slab_classic_plain, 2);
	assert_int_equal(rep->slab_classic_unfit, 2);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].replayed, 4);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].skipped, 7);
	/* 05 07 11 20 each one page, 09's and 13's order 1 pairs: 0x106000,
	 * 0x107000, 0x109000, 0x110000 stay traced pages */
	assert_int_equal(rep->live_pages, 4);
	/* what left the free lists: those 4 pages and the model's slab pages */
	assert_int_equal(free0 - free_pages(m), 4 + slab_pages(m) - slab0);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/* the same lines replayed with SLUB (6.1's default) follow SLUB's rule:
 * only 11's __GFP_NORETRY page pairs (with 12), and SLAB's counts stay 0 */
static void replay_slub_hashed__slab_lines_pair_by_new_slab_flags_only(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=00000000aaaa0001 pfn=0x104000 order=0 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE")
		LC("0", "02", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "03", "mm_page_alloc: page=00000000aaaa0003 pfn=0x105000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "04", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000bbbb0003 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL|__GFP_ZERO")
		LC("1", "11", "mm_page_alloc: page=00000000aaaa0011 pfn=0x109000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("1", "12", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0011 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL"),
		false);
	assert_false(rep->slab_classic);
	assert_int_equal(rep->paired_slab, 1);
	assert_int_equal(rep->paired_slab_ordered, 1);
	assert_int_equal(rep->slab_classic_plain, 0);
	assert_int_equal(rep->slab_classic_unfit, 0);
	assert_int_equal(rep->live_pages, 2);
	replay_report_free(rep);
}

/*
 * SLAB of 2.6.32 (i386, its default allocator), made-up hashed pointers (a
 * 2.6.32 kernel prints raw ones; the rule is the same): kmem_getpages()
 * adds no __GFP_COMP there (cachep->gfpflags: GFP_DMA only; __GFP_COMP only
 * without an MMU), and NUMA's GFP_THISNODE is __GFP_THISNODE|__GFP_NOWARN|
 * __GFP_NORETRY, cache_alloc_refill()'s cache_grow(cachep, flags |
 * GFP_THISNODE, ...).  size-128 is order 0 (worked as above).
 *   1/2 GFP_KERNEL page, kmalloc(100, GFP_KERNEL): paired, ambiguous
 *   3/4 GFP_KERNEL|__GFP_COMP: not SLAB's in 2.6.32, nothing
 *   5/6 GFP_KERNEL|GFP_THISNODE's three bits: paired
 *   7/8 GFP_NOFS page before a GFP_KERNEL kmalloc: lacks __GFP_FS, which
 *       2.6.32 never drops: not paired
 */
static void replay_slab_2_6_32__no_comp_and_gfp_thisnode(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=aaaa0001 pfn=0x4000 order=0 migratetype=0 gfp_flags=GFP_KERNEL")
		LC("0", "02", "kmalloc: call_site=f+0x1/0x2 ptr=bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "03", "mm_page_alloc: page=aaaa0003 pfn=0x4001 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("0", "04", "kmalloc: call_site=f+0x1/0x2 ptr=bbbb0003 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "05", "mm_page_alloc: page=aaaa0005 pfn=0x4002 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_THISNODE")
		LC("1", "06", "kmalloc: call_site=f+0x1/0x2 ptr=bbbb0005 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "07", "mm_page_alloc: page=aaaa0007 pfn=0x4003 order=0 migratetype=0 gfp_flags=GFP_NOFS")
		LC("1", "08", "kmalloc: call_site=f+0x1/0x2 ptr=bbbb0007 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL"),
		false);
	assert_true(rep->slab_classic);
	assert_int_equal(rep->paired_slab, 2);
	assert_int_equal(rep->paired_slab_ordered, 2);
	assert_int_equal(rep->slab_classic_plain, 1);
	assert_int_equal(rep->slab_classic_unfit, 1);
	assert_int_equal(rep->live_pages, 2);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * SLAB of 2.6.32 (i386), raw pointers, as a 2.6.32 kernel prints them: the
 * address decides, and a page is no object's but the one inside it, so
 * "not paired (the object after them is of another order or flags)"
 * counts none of the pages here.  01/02: kmalloc(5000) (size-8192, order
 * 1) at 0xc5000000, outside the order-0 page at pfn 0x4000; 03/04: a
 * kmalloc inside its page (0xc4001040, pfn 0x4001): paired by address;
 * 05/06 as 01/02.  The order of events never pairs a raw i386 pointer
 * (PAGE_OFFSET does not move), so neither 01 nor 05 is a page it left
 * unpaired, before the first pair by address or after it.
 */
static void replay_slab_2_6_32_raw_pointers__the_address_decides_and_nothing_is_unfit(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=c1000000 pfn=0x4000 order=0 migratetype=0 gfp_flags=GFP_KERNEL")
		LC("0", "02", "kmalloc: call_site=c0123456 ptr=c5000000 bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL")
		LC("0", "03", "mm_page_alloc: page=c1000020 pfn=0x4001 order=0 migratetype=0 gfp_flags=GFP_KERNEL")
		LC("0", "04", "kmalloc: call_site=c0123456 ptr=c4001040 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "05", "mm_page_alloc: page=c1000040 pfn=0x4002 order=0 migratetype=0 gfp_flags=GFP_KERNEL")
		LC("0", "06", "kmalloc: call_site=c0123456 ptr=c5100000 bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL"),
		false);
	assert_true(rep->slab_classic);
	assert_int_equal(rep->paired_slab, 1);
	assert_int_equal(rep->paired_slab_ordered, 0);
	assert_int_equal(rep->slab_classic_plain, 0);
	assert_int_equal(rep->slab_classic_unfit, 0);
	assert_int_equal(rep->live_pages, 2);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * SLAB (6.1 --slab slab), hashed pointers, a kernel with cpusets in use:
 * 6.1 mm/page_alloc.c __alloc_pages() traces alloc_gfp, to which
 * prepare_alloc_pages() adds __GFP_HARDWALL when cpusets_enabled() (the
 * fast path; the slow path traces the flags without it).  So a new slab's
 * page may have __GFP_HARDWALL that its caller's flags lack:
 *   01/02 gfp_exact_node(GFP_KERNEL) | __GFP_COMP | __GFP_HARDWALL before
 *         kmalloc(100, GFP_KERNEL): paired
 *   03/04 GFP_KERNEL | __GFP_COMP | __GFP_HARDWALL (no NUMA pinning) before
 *         kmalloc(100, GFP_KERNEL): paired, ambiguous (the caller's own
 *         alloc_pages(GFP_KERNEL | __GFP_COMP) would get __GFP_HARDWALL too)
 */
static void replay_slab_hashed__cpuset_hardwall_on_the_page_still_pairs(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=00000000aaaa0001 pfn=0x104000 order=0 migratetype=0 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_HARDWALL|__GFP_THISNODE")
		LC("0", "02", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "03", "mm_page_alloc: page=00000000aaaa0003 pfn=0x105000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP|__GFP_HARDWALL")
		LC("1", "04", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0003 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL"),
		false);
	assert_true(rep->slab_classic);
	assert_int_equal(rep->paired_slab, 2);
	assert_int_equal(rep->paired_slab_ordered, 2);
	assert_int_equal(rep->slab_classic_plain, 1);
	assert_int_equal(rep->slab_classic_unfit, 0);
	assert_int_equal(rep->live_pages, 0);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/* 2.6.32's __alloc_pages_nodemask() traces the gfp_mask it was given
 * (__GFP_HARDWALL goes only to get_page_from_freelist()): a slab page of
 * GFP_KERNEL | __GFP_HARDWALL is not a GFP_KERNEL kmalloc's */
static void replay_slab_2_6_32__hardwall_is_the_callers_only(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=aaaa0001 pfn=0x4000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|GFP_HARDWALL")
		LC("0", "02", "kmalloc: call_site=f+0x1/0x2 ptr=bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL"),
		false);
	assert_true(rep->slab_classic);
	assert_int_equal(rep->paired_slab, 0);
	assert_int_equal(rep->slab_classic_unfit, 1);
	assert_int_equal(rep->live_pages, 1);
	replay_report_free(rep);
}

/*
 * SLAB (6.1 --slab slab), hashed pointers: "ambiguous" counts pairs, so a
 * page of the caller's flags and __GFP_COMP that another CPU freed before
 * the object came (01, 02 on CPU 1, 03) pairs with nothing and is not
 * ambiguous either: no pair, nothing ambiguous, no traced page left live.
 */
static void replay_slab_hashed__page_freed_before_its_object_is_not_counted_ambiguous(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=00000000aaaa0001 pfn=0x104000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("1", "02", "mm_page_free: page=00000000aaaa0001 pfn=0x104000 order=0")
		LC("0", "03", "kmalloc: call_site=f+0x1/0x2 ptr=00000000bbbb0001 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL"),
		false);
	assert_true(rep->slab_classic);
	assert_int_equal(rep->paired_slab, 0);
	assert_int_equal(rep->paired_slab_ordered, 0);
	assert_int_equal(rep->slab_classic_plain, 0);
	assert_int_equal(rep->live_pages, 0);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * Hashed pointers, slab pages by the order of events (mm/slub.c
 * allocate_slab()): the obj_exts kmalloc (alloc_slab_obj_exts()) between a
 * slab's page and its object is passed over; two slab pages in a row are
 * the obj_exts kmalloc's own new slab inside the outer one's allocate_slab();
 * readahead's __GFP_MOVABLE, __GFP_ZERO, another CPU's page and an event in
 * between do not pair.
 */
static void replay_hashed_pointers__slab_page_pairs_with_the_object_right_after_it(void **state)
{
	struct machine *m = *state;
	uint64_t free0 = free_pages(m), slab0 = slab_pages(m);
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=0000000011111111 pfn=0x104000 order=2 migratetype=1 gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_RECLAIMABLE")
		LC("0", "02", "kmalloc: call_site=alloc_slab_obj_exts+0x58/0x1a0 ptr=00000000aaaa0001 bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "03", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa0002 name=ino bytes_req=1100 bytes_alloc=1128 gfp_flags=GFP_NOFS node=-1 accounted=false")
		LC("0", "04", "mm_page_alloc: page=0000000011111112 pfn=0x105000 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "05", "mm_page_alloc: page=0000000011111113 pfn=0x105001 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("0", "06", "kmalloc: call_site=alloc_slab_obj_exts+0x58/0x1a0 ptr=00000000aaaa0003 bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "07", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa0005 name=dent bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "08", "mm_page_alloc: page=0000000011111114 pfn=0x106000 order=0 migratetype=1 gfp_flags=GFP_NOFS|__GFP_HIGHMEM|__GFP_MOVABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL")
		LC("0", "09", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa0007 name=dent bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "10", "mm_page_alloc: page=0000000011111115 pfn=0x107000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_ZERO|__GFP_NORETRY")
		LC("0", "11", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa0009 name=dent bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("1", "12", "mm_page_alloc: page=0000000011111116 pfn=0x108000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("0", "13", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa000b name=dent bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("1", "14", "kfree: call_site=h+0x1/0x2 ptr=00000000aaaa0001")
		LC("1", "15", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa000d name=dent bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "16", "mm_page_alloc: page=0000000011111117 pfn=0x109000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("0", "17", "kmalloc: call_site=alloc_slab_obj_exts+0x58/0x1a0 ptr=00000000aaaa000f bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "18", "kfree: call_site=h+0x1/0x2 ptr=00000000aaaa0003")
		LC("0", "19", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=00000000aaaa0011 name=dent bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false"),
		false);
	/* 0x104000 (order 2) with line 3, 0x105001 with line 6, 0x105000 with line 7 */
	assert_int_equal(rep->paired_slab, 3);
	assert_int_equal(rep->paired_slab_pages, 4 + 1 + 1);
	assert_int_equal(rep->paired_slab_ordered, 3);
	assert_int_equal(rep->direct_map_base, 0);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].replayed, 4);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].skipped, 3);
	assert_int_equal(rep->live_pages, 4);      /* 0x106000, 0x107000, 0x108000, 0x109000 */
	assert_int_equal(free0 - free_pages(m), (slab_pages(m) - slab0) + 4);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * Raw pointers with the direct map moved by KASLR (page_offset_base
 * 0xffff9a2bc0000000, 1 GiB aligned): the first slab pages pair by the
 * order of events, each a vote for the base (object less pfn * 4096,
 * rounded down to 1 GiB); an object that no such base puts in the page
 * before it does not pair; after BASE_VOTES (4) votes, pairing goes by
 * address: an event in between no longer matters, and a page of
 * new_slab()'s gfp_flags just before an object elsewhere does not pair.
 */
static void replay_kaslr_raw_pointers__direct_map_base_found_from_the_trace(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=ffffea0004100000 pfn=0x104000 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "02", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc4000040 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "03", "mm_page_alloc: page=ffffea0004104000 pfn=0x104100 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "04", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc4405100 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "05", "mm_page_alloc: page=ffffea0004108000 pfn=0x104200 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "06", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc42001c0 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "07", "mm_page_alloc: page=ffffea000410c000 pfn=0x104300 order=1 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_RECLAIMABLE")
		LC("0", "08", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc4300100 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "09", "mm_page_alloc: page=ffffea0004114000 pfn=0x104500 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "10", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc4500200 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "11", "mm_page_alloc: page=ffffea0004118000 pfn=0x104600 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "12", "kmem_cache_free: call_site=e+0x1/0x2 ptr=ffff9a2cc4000040 name=dentry")
		LC("0", "13", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc4600040 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false")
		LC("0", "14", "mm_page_alloc: page=ffffea000411c000 pfn=0x104700 order=0 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE")
		LC("0", "15", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=ffff9a2cc4100080 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false"),
		false);
	/* lines 2, 6, 8, 10 by order (4 votes), 13 by address; not 4 (0x305100
	 * past its page's start) nor 15 (in 0x104100, not 0x104700) */
	assert_int_equal(rep->paired_slab, 5);
	assert_int_equal(rep->paired_slab_pages, 1 + 1 + 2 + 1 + 1);
	assert_int_equal(rep->paired_slab_ordered, 4);
	assert_int_equal(rep->direct_map_base, 0xffff9a2bc0000000ull);
	assert_int_equal(rep->ev[TEV_PAGE_ALLOC].replayed, 2);
	assert_int_equal(rep->live_pages, 2);      /* 0x104100, 0x104700 */
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/* 32-bit raw pointers: the direct map at PAGE_OFFSET 0xc0000000 */
static void replay_i386_raw_pointers__pair_by_address_from_page_offset(void **state)
{
	struct machine *m = *state;
	uint64_t free0 = free_pages(m), slab0 = slab_pages(m);
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "mm_page_alloc: page=f5000000 pfn=0x1000 order=2 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP")
		LC("0", "02", "kmalloc: call_site=f+0x1/0x2 ptr=c1000000 bytes_req=10000 bytes_alloc=16384 gfp_flags=GFP_KERNEL")
		LC("1", "03", "mm_page_alloc: page=f5000040 pfn=0x2000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("1", "04", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=c2000040 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL")
		LC("1", "05", "mm_page_alloc: page=f5000080 pfn=0x3000 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
		LC("1", "06", "kmem_cache_alloc: call_site=d+0x1/0x2 ptr=c2000080 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL"),
		false);
	assert_int_equal(rep->order_checked, 1);
	assert_int_equal(rep->order_mismatch, 0);
	assert_int_equal(rep->paired_large, 1);
	assert_int_equal(rep->paired_large_pages, 4);
	assert_int_equal(rep->paired_slab, 1);
	assert_int_equal(rep->paired_slab_pages, 1);
	assert_int_equal(rep->live_pages, 1);        /* pfn 0x3000: the dentry is in 0x2000 */
	/* the slab's pages, the large kmalloc's 4 among them (6.x __kmalloc_large_node()
	 * counts them in NR_SLAB_UNRECLAIMABLE_B), once each; and the unpaired page */
	assert_true(slab_pages(m) - slab0 >= 4 + 1);
	assert_int_equal(free0 - free_pages(m), (slab_pages(m) - slab0) + 1);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * kfree(ZERO_SIZE_PTR): kmalloc(0) is never traced, kfree() traces it
 * (replay.c zero_size_ptr()).  Raw it is 00000010; hashed, the pointer
 * kfree'd a second time that no allocation returned.  Lines as in the i386
 * 6.1 captures (tests/data/kmem-i386-6.1-*.txt.gz).
 */
static void replay_zero_size_ptr__raw_0x10_and_hashed_freed_twice_never_allocated(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		LC("0", "01", "kfree: call_site=proc_pid_attr_write+0xf0/0x150 ptr=00000010")
		LC("0", "02", "kfree: call_site=proc_pid_attr_write+0xf0/0x150 ptr=00000010")
		LC("0", "03", "kfree: call_site=kfree_link+0xd/0x10 ptr=c180a030"), false);
	assert_int_equal(rep->kfree_zero, 2);
	assert_int_equal(rep->kfree_null, 0);
	assert_int_equal(rep->ev[TEV_KFREE].skipped, 2);
	assert_int_equal(rep->ev[TEV_KFREE].preexisting, 1);
	assert_int_equal(rep->dup_frees, 0);
	replay_report_free(rep);

	/* hashed: 12d7f44c is kfree'd three times and never allocated; the
	 * kmalloc's 64fb5ec0 (not 4-aligned: hashed) is freed once, live */
	rep = replay_text(m,
		LC("0", "01", "kmalloc: call_site=alloc_pipe_info+0x53/0x1f0 ptr=789bdb72 bytes_req=108 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "02", "kfree: call_site=kfree_link+0xd/0x10 ptr=1e5c7dd0")
		LC("0", "03", "kfree: call_site=proc_pid_attr_write+0xf0/0x150 ptr=12d7f44c")
		LC("0", "04", "kfree: call_site=proc_pid_attr_write+0xf0/0x150 ptr=12d7f44c")
		LC("0", "05", "kfree: call_site=proc_pid_attr_write+0xf0/0x150 ptr=12d7f44c")
		LC("0", "06", "kfree: call_site=f+0x1/0x2 ptr=789bdb72"), false);
	assert_int_equal(rep->kfree_zero, 3);
	assert_int_equal(rep->ev[TEV_KFREE].skipped, 3);
	assert_int_equal(rep->ev[TEV_KFREE].preexisting, 1);        /* 1e5c7dd0 */
	assert_int_equal(rep->ev[TEV_KFREE].replayed, 1);
	assert_int_equal(rep->dup_frees, 0);
	replay_report_free(rep);

	/* a second kmem_cache_free (kmem_cache_alloc_bulk's objects) is not it */
	rep = replay_text(m,
		LC("0", "01", "kmalloc: call_site=alloc_pipe_info+0x53/0x1f0 ptr=789bdb72 bytes_req=108 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("0", "02", "kmem_cache_free: call_site=mas_destroy+0xed/0x1d0 ptr=5a5a5a5b name=maple_node")
		LC("0", "03", "kmem_cache_free: call_site=mas_destroy+0xed/0x1d0 ptr=5a5a5a5b name=maple_node"), false);
	assert_int_equal(rep->kfree_zero, 0);
	assert_int_equal(rep->dup_frees, 1);
	assert_int_equal(rep->ev[TEV_CACHE_FREE].preexisting, 2);
	replay_report_free(rep);
	assert_int_equal(machine_check(m), 0);
}

/* "(ptrval)": kmallocs have their size class checked and the model's
 * object given back; nothing stays live; other slab events are skipped */
static void replay_ptrval__kmalloc_checked_nothing_followed(void **state)
{
	struct machine *m = *state;
	uint64_t free0 = free_pages(m);
	struct replay_report *rep = replay_text(m,
		LC("1", "01", "kmalloc: call_site=alloc_pipe_info+0x53/0x1f0 ptr=(ptrval) bytes_req=108 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "02", "kmalloc: call_site=kvmalloc_node+0x1d/0xb0 ptr=(ptrval) bytes_req=16385 bytes_alloc=32768 gfp_flags=GFP_KERNEL")
		LC("1", "03", "kmalloc: call_site=f+0x1/0x2 ptr=(ptrval) bytes_req=65 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "04", "kmem_cache_alloc: call_site=__d_alloc+0x27/0x190 ptr=(ptrval) bytes_req=128 bytes_alloc=128 gfp_flags=GFP_KERNEL")
		LC("1", "05", "kfree: call_site=f+0x1/0x2 ptr=(ptrval)")
		LC("1", "06", "kfree: call_site=f+0x1/0x2 ptr=00000000"), false);
	assert_int_equal(rep->ptrval, 5);
	assert_int_equal(rep->ev[TEV_KMALLOC].skipped, 3);
	assert_int_equal(rep->ev[TEV_KMALLOC].replayed, 0);
	assert_int_equal(rep->ev[TEV_CACHE_ALLOC].skipped, 1);
	assert_int_equal(rep->kfree_null, 1);
	/* 65 bytes: kmalloc-96 on i386 6.x, so the traced 128 is a mismatch */
	assert_int_equal(rep->size_checked, 3);
	assert_int_equal(rep->size_mismatch, 1);
	assert_int_equal(rep->mismatch[0].line, 3);
	/* 16385: __kmalloc_large_node(), PAGE_SIZE << get_order(16385) */
	assert_int_equal(rep->order_checked, 1);
	assert_int_equal(rep->order_mismatch, 0);
	assert_int_equal(rep->live_objects, 0);
	assert_true(free_pages(m) <= free0);    /* slabs may stay, as SLUB keeps them */
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

static void replay__a_cache_name_taken_with_another_size__gets_its_own_cache(void **state)
{
	struct machine *m = *state;
	/* kmalloc-64 holds the vm_structs of the boot's vmap areas already */
	uint64_t allocs0 = m->slab->caches[slab_cache_find(m, "kmalloc-64")].allocs;
	struct replay_report *rep = replay_text(m,
		L("01", "kmem_cache_alloc: call_site=f+0x1/0x2 ptr=ffff888100000040 name=kmalloc-64 bytes_req=100 bytes_alloc=104 gfp_flags=GFP_KERNEL")
		L("02", "kmem_cache_alloc: call_site=f+0x1/0x2 ptr=ffff888100000080 name=ab\033cd bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL")
		L("03", "kmem_cache_alloc: call_site=f+0x1/0x2 ptr=ffff8881000000c0 name=kmalloc-64 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL"),
		false);
	assert_int_equal(rep->ev[TEV_CACHE_ALLOC].replayed, 3);
	int c = slab_cache_find(m, "kmalloc-64-104");
	assert_true(c >= 0);
	assert_int_equal(m->slab->caches[c].g.size, 104);
	assert_true(slab_cache_find(m, "ab?cd") >= 0);      /* no control bytes in names */
	/* the same name with the kmalloc cache's own size is that cache */
	assert_int_equal(m->slab->caches[slab_cache_find(m, "kmalloc-64")].allocs - allocs0, 1);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/* A traced name that SLUB merged into another cache of the booted model
 * (boot_caches.c: fs_cache is a name of anon_vma_chain's 64-byte cache, as
 * on Debian 6.1 amd64) is that cache, not a new one */
static void replay__a_merged_cache_name_is_the_cache_it_merged_into(void **state)
{
	struct machine *m = *state;
	int target = slab_alias_find(m, "fs_cache");
	assert_true(target >= 0);
	uint32_t before = m->slab->nr_live_caches;
	struct replay_report *rep = replay_text(m,
		L("01", "kmem_cache_alloc: call_site=f+0x1/0x2 ptr=ffff888100000040 name=fs_cache bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL"),
		false);
	assert_int_equal(rep->ev[TEV_CACHE_ALLOC].replayed, 1);
	assert_int_equal(m->slab->nr_live_caches, before);
	assert_int_equal(m->slab->caches[target].allocs, 1);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

static void replay_exact_pfn__puts_pages_where_the_trace_says(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		L("01", "mm_page_alloc: page=x pfn=0x104002 order=1 migratetype=0 gfp_flags=GFP_KERNEL")
		L("02", "mm_page_alloc: page=x pfn=0x900000 order=0 migratetype=0 gfp_flags=GFP_KERNEL"), true);
	assert_int_equal(rep->pfn_exact, 1);
	assert_int_equal(rep->pfn_outside, 1);
	struct page_info pi;
	buddy_page_info(m, 0x104002, &pi);
	assert_int_equal(pi.state, PS_ALLOCATED);
	assert_int_equal(pi.order, 1);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

static void replay__vmalloc_events_take_lazily_free_and_purge_model_areas(void **state)
{
	struct machine *m = *state;
	struct replay_report *rep = replay_text(m,
		L("01", "alloc_vmap_area: va_start: 18446683600607100928 size=20480 align=16384 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0")
		L("02", "alloc_vmap_area: va_start: 18446683600607133696 size=8192 align=4096 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0")
		L("03", "alloc_vmap_area: va_start: 0 size=8192 align=4096 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=1")
		L("04", "alloc_vmap_area: va_start: 4096 size=8192 align=4096 vstart=0x1000 vend=0x9000 failed=0")
		L("05", "free_vmap_area_noflush: va_start=0xffffc9000235c000 nr_lazy=5 nr_lazy_max=16384")
		L("06", "free_vmap_area_noflush: va_start=0xffffc90000001000 nr_lazy=10 nr_lazy_max=16384"), false);
	assert_int_equal(rep->ev[TEV_ALLOC_VMAP_AREA].replayed, 3);
	assert_int_equal(rep->ev[TEV_ALLOC_VMAP_AREA].skipped, 1);      /* failed=1 */
	assert_int_equal(rep->trace_failed_allocs, 1);
	assert_int_equal(rep->vmap_checked, 3);
	assert_int_equal(rep->vmap_size_mismatch, 0);
	assert_int_equal(rep->vmap_range_model, 1);     /* [0x1000, 0x9000) is no vmalloc range */
	assert_int_equal(rep->ev[TEV_FREE_VMAP_AREA_NOFLUSH].replayed, 1);
	assert_int_equal(rep->ev[TEV_FREE_VMAP_AREA_NOFLUSH].preexisting, 1);
	/* mm/vmalloc.c lazy_max_pages() = fls(num_online_cpus()) * 8192: the
	 * traced 16384 on 2 or 3 CPUs only */
	unsigned fls = 0;
	for (unsigned n = m->ncpus ? m->ncpus : 1; n; n >>= 1)
		fls++;
	assert_int_equal(rep->vmap_lazy_max_model, fls * 8192);
	assert_int_equal(rep->vmap_lazy_checked, 2);
	assert_int_equal(rep->vmap_lazy_max_mismatch, fls == 2 ? 0 : 2);
	/* the freed area (5 pages with its guard) waits for the purge */
	assert_int_equal(vmap_lazy_nr(m), 5);
	assert_int_equal(rep->live_vmaps, 2);
	assert_int_equal(rep->live_vmap_bytes, 8192 + 8192);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
	rep = replay_text(m, L("07", "purge_vmap_area_lazy: start=0xffffc9000235c000 end=0xffffc90002361000 num_purged=1"),
			  false);
	assert_int_equal(rep->ev[TEV_PURGE_VMAP_AREA_LAZY].replayed, 1);
	assert_int_equal(rep->vmap_purged_traced, 1);
	assert_int_equal(rep->vmap_purged_model, 1);
	assert_int_equal(vmap_lazy_nr(m), 0);
	assert_int_equal(machine_check(m), 0);
	replay_report_free(rep);
}

/*
 * The one-pass parser against the one it replaced (tests/fuzz/trace_parse_ref.c),
 * field by field: every line of the shipped slices of real traces, and
 * every prefix (each truncation) of made-up lines that reach the corners:
 * tokens without values, values that are not numbers, overlong numbers,
 * "(null)", "-1" pfns, perf's SYSTEM:EVENT, timestamps in task names.
 */
static void one_pass_parser__parses_every_line_as_the_reference_does(void **state)
{
	(void)state;
	static const char *const files[] = { "tests/data/kmem-x86_64-6.18-head20k.txt.gz",
					     "tests/data/kmem-amd64-6.1-head15k.txt.gz",
					     "tests/data/vmalloc-x86_64-6.18-purge.txt.gz",
					     "tests/data/kmem-i386-6.1-raw.txt.gz",
					     "tests/data/kmem-i386-6.1-ptrval-head2k.txt.gz" };
	static char buf[1 << 16];
	unsigned long compared = 0;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		gzFile gz = gzopen(files[f], "rb");
		assert_non_null(gz);
		unsigned long lines = 0;
		while (gzgets(gz, buf, sizeof buf)) {
			size_t len = strlen(buf);
			if (len && buf[len - 1] == '\n')
				len--;
			if (!trace_parse_same_as_ref(buf, len))
				fail_msg("%s: parsed differently: %s", files[f], buf);
			lines++;
		}
		gzclose(gz);
		assert_true(lines > 600);
		compared += lines;
	}
	static const char *const made[] = {
		"          <...>-2333 [000] .....   142.724491: kmalloc: call_site=__get_vm_area_node+0x80/0x140 "
		"ptr=00000000159d5506 bytes_req=72 bytes_alloc=96 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false",
		"kworker/u4:2 1.5: x-12 [001] d..3. 5.000000001: kmem_cache_alloc: call_site=a ptr=0x10000000000000000 "
		"name= bytes_req=1x bytes_alloc=12345678901234567890 gfp_flags= ptr=0Xfff order=64 order=3",
		"bash-1234  [000]   103.220302: kfree: call_site=c10a2b3c ptr=(null)x ptr=(null) ptr=",
		"perf 10 [003] 1.1234567891234: kmem:mm_page_alloc: page=c1 pfn=-1 order=0 pfn=0x pfn=12 pfn=-12 order",
		"  x [1] 2.3: kmem::  y: a=b ",
		"a]1.2: mm_page_free: pfn=99999999999999999999 pfn=0x00000000000000001 pfn=77 = =x ptr=  bytes_req=5",
		"t-1 [000] .... 9.9: alloc_vmap_area: va_start: 18446683600607100928 size=20480 align=16384 "
		"vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0 va_start=0x10 start=zz end=0x5",
		"t-1 [000] .... 9.9: free_vmap_area_noflush: va_start=0xffffc90000010000 nr_lazy=4 nr_lazy_max=16384 size=",
		"t-1 [000] .... 9.9: purge_vmap_area_lazy: start=0xffffc90000000000 end=0xffffc90000400000 num_purged=3",
		"t-1 [000] .... 9.9: alloc_vmap_area: va_start: 184467440737095516160 size=18446744073709551616",
		"t-1 [12345678901234567890] 9.9: kmalloc: ptr=1 bytes_req=1 bytes_alloc=8",
		"t-1 [000] .... 19.: kmalloc: ptr=1",
		"# t-1 [000] .... 9.9: kmalloc:",
		/* the six-digit fraction and "[NNN]" CPU fast paths, tabs in 16-byte blocks */
		"[123] 7.123456: kfree: ptr=1",
		"x [00a] ..... 1.123456: kfree: call_site=a_very_long_function_name_here+0x10/0x20 ptr=2",
		"x [01] 1.1234567: kfree: ptr=1 name=abcdefghijklmnopqrstuvwxyz0123456789",
		"x [0001] 1.12345a: kfree: ptr=1",
		"x [999] 12:34.123456: kfree: ptr=1",
		"x 1 .123456: kfree: ptr=1",
		/* hex tokens shorter than eight digits, some not ended by a blank */
		"x [000] ..... 1.000001: mm_page_free: pfn=0x1 order=0 pfn=0xABCDEF0 ptr=abc ptr=0x1234567g pfn=0x12\t"
		"ptr=ffffffff ptr=0x123456789 ptr=\xc3\xa9" "12 pfn=0x",
		"t-1\t[001]\t.....\t5.654321:\tkmalloc:\tcall_site=alloc_pipe_info+0xd7/0x220\tptr=ffff888100a05c00"
		"\tbytes_req=640\tbytes_alloc=1024\tgfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO\tnode=-1",
		/* the fast path's six events in their TP_printk() order (6.18 and 6.1), and
		 * each way out of it: empty values, two blanks, fields after the last
		 * expected one, pointers of 15 and 17 digits, pfns of 8 digits, big orders */
		"          <...>-2333 [000] .....   142.724489: kmem_cache_alloc: call_site=copy_process+0x18a/0x1c70 "
		"ptr=00000000d4910a2c name=task_struct bytes_req=5840 bytes_alloc=5888 gfp_flags=GFP_KERNEL node=-1 "
		"accounted=true",
		"            init-1       [001] .....    20.516194: kmem_cache_alloc: call_site=alloc_inode+0x59/0xc0 "
		"ptr=ffff88810133f400 bytes_req=632 bytes_alloc=640 gfp_flags=GFP_KERNEL node=-1 accounted=true ptr=1",
		"          <...>-2333 [000] .....   142.724371: kmem_cache_free: call_site=__fput+0x141/0x2a0 "
		"ptr=00000000e416426d name=lsm_file_cache bytes_req=3 order=2",
		"          <...>-2333 [000] .....   142.724549: kfree: call_site=ida_alloc_range+0x39b/0x400 "
		"ptr=0000000000000000 ptr=00000000000000AB",
		"          <...>-2333 [000] .....   142.724546: mm_page_alloc: page=00000000d4d60073 pfn=0x104982 "
		"order=0 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP pfn=0x5",
		"          <...>-2335 [001] ...2.   142.725085: mm_page_free: page=00000000dbc624a4 pfn=0x119759 order=0 "
		"order=1",
		"x [000] ..... 1.000001: kmalloc: call_site= ptr=0000000000000001 bytes_req=1 bytes_alloc=8 gfp_flags= "
		"node= accounted= name=n",
		"x [000] ..... 1.000001: kmalloc: call_site=f  ptr=0000000000000001  bytes_req=1 bytes_alloc=8x "
		"bytes_alloc=16 gfp_flags=G node=0  accounted=true",
		"x [000] ..... 1.000001: kmalloc: call_site=f ptr=000000000000001 bytes_req=12345678901234567890 "
		"bytes_alloc=8",
		"x [000] ..... 1.000001: kmalloc: call_site=f ptr=00000000000000012 bytes_req=2 bytes_alloc=8",
		"x [000] ..... 1.000001: kmalloc: call_site=f ptr=000000000000001g bytes_req=2 bytes_alloc=8 ptr=(null)",
		"x [000] ..... 1.000001: kmalloc: call_site=f ptr=(ptrval)x bytes_req=2 bytes_alloc=8 ptr=(ptrval) ptr=(p",
		"x [000] ..... 1.000001: kfree: call_site=f ptr=1 ptr=(____ptrval____) ptr=(____ptrval___)",
		"x [000] ..... 1.000001: kmem_cache_alloc: call_site=f ptr=0000000000000001 name= bytes_req=1 "
		"bytes_alloc=8 gfp_flags=G node=-1 accounted=true bytes_req=7",
		"x [000] ..... 1.000001: kmem_cache_free: call_site=f ptr=0000000000000002 name=a  name=b",
		"x [000] ..... 1.000001: kfree: call_site=f ptr=ffffffff",
		"x [000] ..... 1.000001: mm_page_alloc: page=0000000000000001 pfn=0x12345678 order=64 migratetype= "
		"gfp_flags=",
		"x [000] ..... 1.000001: mm_page_alloc: page=0000000000000001 pfn=0X1234 order=3 migratetype=1 gfp_flags=A",
		"x [000] ..... 1.000001: mm_page_alloc: page=(null) pfn=0x1234 order=3 migratetype=1 gfp_flags=A",
		"x [000] ..... 1.000001: mm_page_free: page=0000000000000001 pfn=0x1234x order=1",
		"x [000] ..... 1.000001: mm_page_free: page=0000000000000001 pfn=0x12 order=99 ",
		"x [000] ..... 1.000001: mm_page_free: page=0000000000000001 pfn=-1 order=1",
		"x [000] ..... 1.000001: kmem_cache_allocx call_site=f ptr=0000000000000001 bytes_alloc=8",
		"x [000] ..... 1.000001: mm_page_freeze: page=0000000000000001 pfn=0x12 order=1",
		"x [000] ..... 1.000001: kmalloc: call_site=f ptr=0000000000000001 bytes_req=1 bytes_alloc=8 gfp_flags=G"
		" node=-1 ptr=0123456789",
		"x [000] ..... 1.000001: kmalloc: call_site=f ptr=0000000000000001 bytes_req=1 bytes_alloc=8 gfp_flags=G"
		" node=-1 accounted=true ",
		/* seconds read eight bytes at a time: 7, 8 and 9 digits, after a ']', after a
		 * byte that ends no timestamp, after a non-ASCII byte; blanks read back
		 * eight at a time: runs of 8 and more before the seconds and the flags */
		"  abc-1 [001] ..... 1234567.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [001] ..... 12345678.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [001] ..... 123456789.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [001] .....]42.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [001] .....x42.000001: kfree: 7.5: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [001] ....\xc3\xa9" "42.000001: kfree: 7.5: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [002] .....          42.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [003]          .....  42.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [004]         42.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [05]         42.000001: kfree: call_site=f ptr=0000000000000001",
		"  abc-1 [5]  ab  42.000001: kfree: call_site=f ptr=0000000000000001",
		"                                    abc-1 [006] ..... 42.000001: kfree: ptr=0000000000000001",
		/* fuzz finds (CI): seconds of 65 and more digits, where the digit loop's
		 * multiplier wraps to 0 (it stopped the loop: "no timestamp"), and
		 * an empty event name after "ts: " */
		"  find-1 [000] d..3. 2999999999999999999999999999999999999999999999999999999999999999999"
		"9999999999999999999.530381: mm_page_alloc_zone_locked: page=ffffea000404b280 pfn=0x1012ca order=1",
		"  find-1 [000] ..... 299999999999999999999999999999999999999999999999999999999999999999.5: kfree: ptr=1",
		"            init-1       [001] .....    20.516261: : kmem_cache_free: call_site=ffk",
	};
	for (size_t k = 0; k < sizeof made / sizeof made[0]; k++) {
		size_t n = strlen(made[k]);
		for (size_t len = 0; len <= n; len++) {
			/* each prefix in its own buffer of that size (nothing to read past) */
			char *line = malloc(len ? len : 1);
			assert_non_null(line);
			memcpy(line, made[k], len);
			if (!trace_parse_same_as_ref(line, len))
				fail_msg("parsed differently: %.*s", (int)len, made[k]);
			free(line);
			compared++;
		}
	}
	printf("# %lu lines parsed the same by both parsers\n", compared);
}

/* the progress line (C locale: the msgid), worked by hand: half the input
 * in 2 s at 1000000 events is 0.50M events/s, 15 of 30 marks and 2 s to
 * go; without a size, no bar; the \r is outside the msgid, and a buffer
 * too small for it holds "" */
static void replay_progress__bar_rate_and_eta(void **state)
{
	(void)state;
	char buf[160];
	view_replay_progress(buf, sizeof buf, 1000000, 50, 100, 2.0);
	assert_string_equal(buf, "\rreplay [###############...............]  50% 1000000 events, 0.50M events/s, ETA 2 s ");
	view_replay_progress(buf, sizeof buf, 1000000, 50, 0, 2.0);
	assert_string_equal(buf, "\rreplay 1000000 events, 0.50M events/s ");
	view_replay_progress(buf, 1, 1000000, 50, 100, 2.0);
	assert_string_equal(buf, "");
	view_replay_progress(buf, 8, 1000000, 50, 0, 2.0);
	assert_string_equal(buf, "\rreplay");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tracefs_6_18_lines__parse_every_field),
		cmocka_unit_test(amd64_6_1_lines__raw_pointers_no_name_on_alloc),
		cmocka_unit_test(v2_6_32_and_32_bit_lines__decimal_pfn_hex_call_site),
		cmocka_unit_test(v4_and_v5_lines__hex_call_site_decimal_pfn_kmalloc_node),
		cmocka_unit_test(trace_cmd_and_perf_script_lines__parse_too),
		cmocka_unit_test(bad_and_other_lines__are_told_apart),
		cmocka_unit_test(vmalloc_6_18_lines__decimal_va_start_size_range_lazy_purge),
		cmocka_unit_test(one_pass_parser__parses_every_line_as_the_reference_does),
		cmocka_unit_test(ptrval_pointers__parse_as_a_pointer_not_printed),
		cmocka_unit_test_setup_teardown(replay_zero_size_ptr__raw_0x10_and_hashed_freed_twice_never_allocated,
						setup_i386_613, teardown),
		cmocka_unit_test_setup_teardown(replay_ptrval__kmalloc_checked_nothing_followed, setup_i386_613, teardown),
		cmocka_unit_test_setup_teardown(alloc_pages_at__takes_that_block_and_frees_it_back, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(replay__maps_pointers_and_counts_preexisting_frees, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(replay__a_merged_cache_name_is_the_cache_it_merged_into, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(replay__a_cache_name_taken_with_another_size__gets_its_own_cache, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(replay_exact_pfn__puts_pages_where_the_trace_says, setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(replay_raw_pointers__large_kmalloc_and_slab_pages__counted_once, setup_x86_64,
						teardown),
		cmocka_unit_test_setup_teardown(replay_hashed_pointers__large_kmalloc_pairs_only_right_after_its_page,
						setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(replay_hashed_pointers__slab_page_pairs_with_the_object_right_after_it,
						setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(replay_slab_hashed__new_slab_is_the_page_of_its_cache_order_and_flags,
						setup_x86_64_61_slab, teardown),
		cmocka_unit_test_setup_teardown(replay_slab_2_6_32__no_comp_and_gfp_thisnode, setup_i386_2632, teardown),
		cmocka_unit_test_setup_teardown(replay_slab_hashed__page_freed_before_its_object_is_not_counted_ambiguous,
						setup_x86_64_61_slab, teardown),
		cmocka_unit_test_setup_teardown(replay_slab_hashed__cpuset_hardwall_on_the_page_still_pairs,
						setup_x86_64_61_slab, teardown),
		cmocka_unit_test_setup_teardown(replay_slab_2_6_32__hardwall_is_the_callers_only, setup_i386_2632, teardown),
		cmocka_unit_test_setup_teardown(replay_slab_2_6_32_raw_pointers__the_address_decides_and_nothing_is_unfit,
						setup_i386_2632, teardown),
		cmocka_unit_test_setup_teardown(replay_slub_hashed__slab_lines_pair_by_new_slab_flags_only,
						setup_x86_64_61_slub, teardown),
		cmocka_unit_test_setup_teardown(replay_kaslr_raw_pointers__direct_map_base_found_from_the_trace,
						setup_x86_64, teardown),
		cmocka_unit_test_setup_teardown(replay_i386_raw_pointers__pair_by_address_from_page_offset, setup_i386_613,
						teardown),
		cmocka_unit_test(replay_progress__bar_rate_and_eta),
		cmocka_unit_test_setup_teardown(replay__vmalloc_events_take_lazily_free_and_purge_model_areas, setup_x86_64,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
