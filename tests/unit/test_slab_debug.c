/*
 * test_slab_debug.c - slab memory contents and SLUB's debug checks
 * (6.13 mm/slub.c with slub_debug).  Offsets and byte values follow the
 * kernel's rules, cited per test: kmalloc-64 is aligned to 64
 * (create_boot_cache()), so with SLAB_RED_ZONE its left red zone is
 * ALIGN(sizeof(void *), 64) = 64 bytes and object 0 starts 64 bytes into
 * the slab (calculate_sizes(), fixup_red_left()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"
#include "fixture.h"

#define G13_KERNEL 0xcc0u
#define G13_ZERO 0x100u

static struct machine *boot(const char *debug)
{
	struct machine_config cfg = { .arch = "x86_64", .ncpus = 1, .slub_debug = debug };
	return boot_cfg(&cfg);
}

static int setup_fzpu(void **state)
{
	*state = boot("FZPU");
	return 0;
}

static int setup_zp(void **state)
{
	*state = boot("ZP");
	return 0;
}

static int setup_pu(void **state)
{
	*state = boot("PU");
	return 0;
}

static int setup_plain(void **state)
{
	*state = boot(NULL);
	return 0;
}

static int setup_debug_slab(void **state)
{
	struct machine_config cfg = { .arch = "i386", .ncpus = 1, .debug_slab = true };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("%s", err);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

/* the first dmesg line at or after `from` containing needle, or -1 */
static long find_line(const struct machine *m, size_t from, const char *needle)
{
	for (size_t i = from; i < m->dmesg.n; i++)
		if (strstr(m->dmesg.v[i].text, needle))
			return (long)i;
	return -1;
}

/* kmalloc(size), write len bytes of c at offset off, kfree(): SLUB must
 * refuse the free; returns the first dmesg line the kfree() wrote */
static size_t damage_then_free(struct machine *m, size_t size, long off, int c, size_t len, uint64_t *addr)
{
	assert_int_equal(slab_kmalloc(m, size, G13_KERNEL, addr), 0);
	assert_int_equal(slab_memset(m, (uint64_t)((int64_t)*addr + off), c, len), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, *addr), -EINVAL);
	return from;
}

/* kfree() succeeds and SLUB reports nothing */
static void quiet_free(struct machine *m, uint64_t addr)
{
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, addr), 0);
	assert_true(find_line(m, from, "overwritten") < 0);
	assert_int_equal(machine_check(m), 0);
}

/* a's offset from its slab's start: kmalloc-64's slab holds the boot's
 * two vm_structs (CPU 0's IRQ stack, the HPET: boot_vmap.c) first, so a
 * freshly allocated object is the third (index 2) */
static uint64_t third_in_slab(const struct machine *m, uint64_t a)
{
	struct object_info oi;
	slab_object_info(m, a, &oi);
	assert_true(oi.found);
	assert_int_equal(oi.index, 2);
	return a - (m->direct_map + (oi.slab_pfn << 12));
}

static bool allocated(const struct machine *m, uint64_t addr)
{
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	return oi.found && oi.allocated && oi.object_addr == addr;
}

/* init_object(): an allocated kmalloc(60) object of kmalloc-64 holds
 * 0x6b x 59, 0xa5, then 0xcc over the kmalloc red zone [60, 64) and the
 * right red zone [64, 72); the left red zone is 0xcc too */
static void alloc__poisons_and_red_zones_the_object(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 60, G13_KERNEL, &a), 0);
	uint8_t b[64 + 72];
	assert_int_equal(slab_read(m, a - 64, b, sizeof b), 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(b[i], 0xcc);
	for (int i = 0; i < 59; i++)
		assert_int_equal(b[64 + i], 0x6b);
	assert_int_equal(b[64 + 59], 0xa5);
	for (int i = 60; i < 72; i++)
		assert_int_equal(b[64 + i], 0xcc);
	/* after kfree: 0xbb red zones, 0x6b x 63 + 0xa5 */
	assert_int_equal(slab_kfree(m, a), 0);
	assert_int_equal(slab_read(m, a - 64, b, sizeof b), 0);
	assert_int_equal(b[0], 0xbb);
	assert_int_equal(b[64 + 62], 0x6b);
	assert_int_equal(b[64 + 63], 0xa5);
	assert_int_equal(b[64 + 64], 0xbb);
	assert_int_equal(b[64 + 71], 0xbb);
}

/* slab_post_alloc_hook(): with a kmalloc red zone only orig_size bytes
 * are zeroed */
static void kzalloc__zeroes_the_requested_bytes_only(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 20, G13_KERNEL | G13_ZERO, &a), 0);
	uint8_t b[40];
	assert_int_equal(slab_read(m, a, b, sizeof b), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(b[i], 0);
	for (int i = 20; i < 40; i++)   /* kmalloc-32: kmalloc red zone + 8 bytes of right red zone */
		assert_int_equal(b[i], 0xcc);
}

/* check_object(SLUB_RED_ACTIVE) on free: the damaged right red zone is
 * reported with check_bytes_and_report()'s format, restored, and the
 * object is not freed; a second kfree then succeeds */
static void kfree__reports_an_overwritten_red_zone_and_keeps_the_object(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	size_t from = damage_then_free(m, 64, 64, 0x41, 2, &a);
	assert_true(allocated(m, a));
	long bug = find_line(m, from, "BUG kmalloc-64 (Not tainted): Right Redzone overwritten");
	assert_true(bug >= 0);
	char want[128];
	/* offset from the slab start: a's own (2 * s->size + the 64-byte left
	 * red zone) + 64 (the object) */
	snprintf(want, sizeof want, "0x%016llx-0x%016llx @offset=%llu. First byte 0x41 instead of 0xcc",
		 (unsigned long long)(a + 64), (unsigned long long)(a + 65),
		 (unsigned long long)third_in_slab(m, a) + 64);
	assert_true(find_line(m, from, want) > bug);
	snprintf(want, sizeof want, "FIX kmalloc-64: Restoring Right Redzone 0x%016llx-0x%016llx=0xcc",
		 (unsigned long long)(a + 64), (unsigned long long)(a + 65));
	assert_true(find_line(m, from, want) > bug);
	snprintf(want, sizeof want, "FIX kmalloc-64: Object at 0x%016llx not freed", (unsigned long long)a);
	assert_true(find_line(m, from, want) > bug);
	/* print_trailer()'s hex dump of the object: 16 bytes a row */
	snprintf(want, sizeof want, "Object   %016llx: 6b 6b", (unsigned long long)a);
	assert_true(find_line(m, from, want) > bug);
	assert_int_equal(machine_check(m), 0);
	/* the tainted kernel says so in the next report */
	assert_int_equal(slab_memset(m, a - 1, 0, 1), 0);
	from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, a), -EINVAL);
	assert_true(find_line(m, from, "BUG kmalloc-64 (Tainted: G    B             ): Left Redzone overwritten") >= 0);
	/* repaired: now it is freed */
	assert_int_equal(slab_kfree(m, a), 0);
	assert_false(allocated(m, a));
	assert_int_equal(machine_check(m), 0);
}

/* krealloc() that moves an object whose red zone was overwritten: the
 * kfree() at its end is refused by the checks ("not freed"), but kfree()
 * is void and krealloc() returns the new object (it used to fail after
 * allocating it: a refusal that changed the model) */
static void krealloc__old_object_kept_by_the_checks__returns_the_new_one(void **state)
{
	struct machine *m = *state;
	uint64_t a, n = 0;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	assert_int_equal(slab_memset(m, a + 64, 0x41, 2), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_krealloc(m, a, 200, G13_KERNEL, &n), 0);
	assert_true(n != 0 && n != a);
	assert_true(allocated(m, n));
	assert_true(allocated(m, a));           /* kept by the failed check */
	char want[128];
	snprintf(want, sizeof want, "FIX kmalloc-64: Object at 0x%016llx not freed", (unsigned long long)a);
	assert_true(find_line(m, from, want) >= 0);
	assert_int_equal(machine_check(m), 0);
}

/* kmalloc(60): bytes 60..63 are the kmalloc red zone (orig_size) */
static void kfree__reports_writes_past_the_requested_size(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	size_t from = damage_then_free(m, 60, 60, 0, 4, &a);
	assert_true(find_line(m, from, "kmalloc Redzone overwritten") >= 0);
	assert_true(find_line(m, from, "Right Redzone") < 0);
	assert_true(find_line(m, from, "First byte 0x0 instead of 0xcc") >= 0);
}

/* check_object(SLUB_RED_INACTIVE) on alloc: a write into a freed object
 * is found when the object is handed out again; the slab is given up
 * ("Marking all objects used") and the allocation comes from a new slab */
static void alloc__finds_use_after_free_and_gives_up_the_slab(void **state)
{
	struct machine *m = *state;
	uint64_t a, b, c;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &c), 0);
	assert_int_equal(slab_kfree(m, a), 0);
	assert_int_equal(slab_memset(m, a + 8, 0, 4), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &b), 0);
	assert_true(b != 0 && b != a);
	assert_true(find_line(m, from, "BUG kmalloc-64 (Not tainted): Poison overwritten") >= 0);
	assert_true(find_line(m, from, "First byte 0x0 instead of 0x6b") >= 0);
	assert_true(find_line(m, from, "FIX kmalloc-64: Marking all objects used") >= 0);
	uint64_t pa = 0, pb = 0;
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pa, NULL), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, b, &pb, NULL), 0);
	assert_true(pa != pb);
	/* slabinfo: the abandoned slab counts all 16 objects as active */
	int k = slab_cache_find(m, "kmalloc-64");
	struct slabinfo_row row;
	slab_cache_slabinfo(m, k, &row);
	assert_int_equal(row.num_objs, 32);
	assert_int_equal(row.active_objs, 17);
	assert_int_equal(machine_check(m), 0);
	/* the slab is frozen: check_slab() refuses even c's free (6.13) */
	from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, c), -EINVAL);
	assert_true(allocated(m, c));
	assert_true(find_line(m, from, "Slab disabled since SLUB metadata consistency check failed") >= 0);
	char want[96];
	snprintf(want, sizeof want, "FIX kmalloc-64: Object at 0x%016llx not freed", (unsigned long long)c);
	assert_true(find_line(m, from, want) >= 0);
	assert_int_equal(machine_check(m), 0);
}

/*
 * slab_pad_check() in check_slab(): kmalloc-96 with FZPU is 224 bytes a
 * slot (96, +8 red zone = inuse 104, +8 free pointer, +2 * 32 tracks, +4
 * orig_size, +8 padding word, +32 left red zone (aligned to 32) = 220,
 * aligned to 32), so an order-0 slab ends in 4096 % 224 = 64 bytes of
 * POISON_INUSE from offset 4032.
 */
static void alloc__checks_the_slab_padding(void **state)
{
	struct machine *m = *state;
	uint64_t p, q;
	assert_int_equal(slab_kmalloc(m, 96, G13_KERNEL, &p), 0);
	uint64_t start = p - 32;   /* object 0 after its left red zone */
	assert_int_equal(slab_memset(m, start + 4040, 0x41, 2), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kmalloc(m, 96, G13_KERNEL, &q), 0);
	char want[128];
	snprintf(want, sizeof want, "BUG kmalloc-96 (Not tainted): Padding overwritten. 0x%016llx-0x%016llx @offset=4040",
		 (unsigned long long)(start + 4040), (unsigned long long)(start + 4041));
	assert_true(find_line(m, from, want) >= 0);
	snprintf(want, sizeof want, "Padding %016llx: 5a 5a 5a 5a 5a 5a 5a 5a 41 41 5a", (unsigned long long)(start + 4032));
	assert_true(find_line(m, from, want) >= 0);
	assert_true(find_line(m, from, "FIX kmalloc-96: Restoring slab padding") >= 0);
	uint8_t b[2];
	assert_int_equal(slab_read(m, start + 4040, b, 2), 0);
	assert_int_equal(b[0], 0x5a);
	assert_int_equal(machine_check(m), 0);
}

/* free_slab(): an emptied slab's objects are checked before the pages go
 * back (kmem_cache_shrink gives an empty slab back at once) */
static void discard__checks_every_free_object(void **state)
{
	struct machine *m = *state;
	int c;
	uint64_t a;
	assert_int_equal(slab_cache_create(m, "uaf", 100, 0, 0, &c), 0);
	assert_int_equal(slab_cache_alloc(m, c, G13_KERNEL, &a), 0);
	assert_int_equal(slab_cache_free(m, c, a), 0);
	assert_int_equal(slab_memset(m, a + 99, 0, 1), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_cache_shrink(m, c), 0);
	assert_true(find_line(m, from, "BUG uaf (Not tainted): End Poison overwritten") >= 0);
	assert_int_equal(m->slab->caches[c].nr_slabs, 0);
	assert_int_equal(machine_check(m), 0);
}

/* free_consistency_checks(): check_valid_pointer() fails for a pointer
 * into the middle of an object: slab_err() and "not freed" */
static void kfree__of_a_pointer_inside_an_object_is_an_invalid_pointer(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, a + 8), -EINVAL);
	char want[96];
	snprintf(want, sizeof want, "BUG kmalloc-64 (Not tainted): Invalid object pointer 0x%016llx",
		 (unsigned long long)(a + 8));
	long bug = find_line(m, from, want);
	assert_true(bug >= 0);
	assert_true(find_line(m, (size_t)bug, "Slab 0x") > bug);
	snprintf(want, sizeof want, "FIX kmalloc-64: Object at 0x%016llx not freed", (unsigned long long)(a + 8));
	assert_true(find_line(m, from, want) > bug);
	assert_true(allocated(m, a));
	assert_int_equal(machine_check(m), 0);
}

/* with SLAB_POISON the free pointer lives after the red zone (s->offset =
 * inuse = 72 for kmalloc-64); overwriting it is "Freepointer corrupt":
 * object_err() with its own trailer, then check_object()'s trailer, and
 * the pointer is cleared */
static void kfree__reports_a_corrupt_free_pointer(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	size_t from = damage_then_free(m, 64, 72, 0x41, 8, &a);
	long bug = find_line(m, from, "BUG kmalloc-64 (Not tainted): Freepointer corrupt");
	assert_true(bug >= 0);
	char want[96];
	uint64_t off = third_in_slab(m, a);
	snprintf(want, sizeof want, "Object 0x%016llx @offset=%llu fp=0x4141414141414141", (unsigned long long)a,
		 (unsigned long long)off);
	assert_true(find_line(m, (size_t)bug, want) > bug);
	snprintf(want, sizeof want, "Object 0x%016llx @offset=%llu fp=0x0000000000000000", (unsigned long long)a,
		 (unsigned long long)off);
	assert_true(find_line(m, (size_t)bug, want) > bug);
	assert_int_equal(slab_kfree(m, a), 0);   /* a NULL free pointer is valid */
	assert_int_equal(machine_check(m), 0);
}

/* 6.13 __do_krealloc(): in place, the new size becomes orig_size (so the
 * bytes up to it are the object's, the rest kmalloc red zone); moving,
 * orig_size bytes are copied */
static void krealloc__moves_the_kmalloc_red_zone_and_copies_the_bytes(void **state)
{
	struct machine *m = *state;
	uint64_t p, q, r;
	assert_int_equal(slab_kmalloc(m, 40, G13_KERNEL, &p), 0);
	assert_int_equal(slab_memset(m, p, 0x41, 40), 0);
	assert_int_equal(slab_krealloc(m, p, 64, G13_KERNEL, &q), 0);
	assert_int_equal(q, p);
	assert_int_equal(slab_memset(m, q + 40, 0x42, 24), 0);   /* now inside the object */
	assert_int_equal(slab_krealloc(m, q, 20, G13_KERNEL, &q), 0);
	uint8_t b[64];
	assert_int_equal(slab_read(m, q, b, 64), 0);
	assert_int_equal(b[19], 0x41);
	assert_int_equal(b[20], 0xcc);   /* red zone again past the new size */
	assert_int_equal(b[63], 0xcc);
	assert_int_equal(slab_krealloc(m, q, 100, G13_KERNEL, &r), 0);   /* to kmalloc-128 */
	assert_true(r != q);
	assert_int_equal(slab_read(m, r, b, 21), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(b[i], 0x41);
	assert_int_equal(b[20], 0x6b);   /* the new object's poison after the 20 copied bytes */
	quiet_free(m, r);
}

/* ksize() calls skip_orig_size_check(): the caller may use the whole
 * object, so the kmalloc red zone is no longer checked */
static void ksize__gives_the_whole_object_to_the_caller(void **state)
{
	struct machine *m = *state;
	uint64_t p;
	size_t ks;
	assert_int_equal(slab_kmalloc(m, 60, G13_KERNEL, &p), 0);
	assert_int_equal(slab_ksize(m, p, &ks), 0);
	assert_int_equal(ks, 64);
	assert_int_equal(slab_memset(m, p + 60, 0x41, 4), 0);
	quiet_free(m, p);
}

/* slab_post_alloc_hook(): a kmalloc cache with SLAB_STORE_USER or
 * SLAB_RED_ZONE zeroes only the requested bytes (here P and U only) */
static void kzalloc__with_store_user_zeroes_the_request_only(void **state)
{
	struct machine *m = *state;
	uint64_t p;
	assert_int_equal(slab_kmalloc(m, 40, G13_KERNEL | G13_ZERO, &p), 0);
	uint8_t b[64];
	assert_int_equal(slab_read(m, p, b, 64), 0);
	assert_int_equal(b[39], 0);
	assert_int_equal(b[40], 0x6b);
	assert_int_equal(b[63], 0xa5);
}

/* 6.13 __do_krealloc() in place with __GFP_ZERO: without orig_size the
 * bytes from the new size to the object's end are zeroed */
static void krealloc__in_place_with_gfp_zero_zeroes_the_spare_bytes(void **state)
{
	struct machine *m = *state;
	uint64_t p, q;
	assert_int_equal(slab_kmalloc(m, 40, G13_KERNEL, &p), 0);
	assert_int_equal(slab_memset(m, p, 0x41, 64), 0);
	assert_int_equal(slab_krealloc(m, p, 60, G13_KERNEL | G13_ZERO, &q), 0);
	assert_int_equal(q, p);
	uint8_t b[64];
	assert_int_equal(slab_read(m, p, b, 64), 0);
	assert_int_equal(b[59], 0x41);
	assert_int_equal(b[60], 0);
	assert_int_equal(b[63], 0);
	/* a range far past the slab is described up to the slab's end only */
	char buf[512];
	view_slab_range(m, p, (uint64_t)1 << 40, buf, sizeof buf);
	assert_non_null(strstr(buf, "kmalloc-64:"));
	assert_int_equal(slab_memset(m, p, 0, (size_t)1 << 40), -EINVAL);
}

/* without F (SLAB_CONSISTENCY_CHECKS) nothing is checked */
static void without_f__damage_goes_unreported(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	assert_int_equal(slab_memset(m, a + 64, 0x41, 8), 0);
	quiet_free(m, a);
}

/* without debugging the bytes are implied: zeros, and a free object's
 * free pointer in its middle (s->offset = ALIGN_DOWN(64 / 2, 8) = 32) */
static void plain_slab__shows_free_pointers_and_takes_writes(void **state)
{
	struct machine *m = *state;
	uint64_t a, b;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &b), 0);
	assert_int_equal(slab_kfree(m, a), 0);
	uint8_t p[8];
	assert_int_equal(slab_read(m, a + 32, p, 8), 0);
	uint64_t fp = 0;
	for (int i = 7; i >= 0; i--)
		fp = fp << 8 | p[i];
	assert_int_equal(fp, b + 64);   /* the cpu freelist: a, then the object after b */
	assert_int_equal(slab_memset(m, b, 0x5a, 64), 0);
	assert_int_equal(slab_read(m, b + 63, p, 1), 0);
	assert_int_equal(p[0], 0x5a);
	assert_int_equal(slab_kfree(m, b), 0);
	assert_int_equal(machine_check(m), 0);
}

/* memset only inside one slab; the model is unchanged by a refusal */
static void memset__refuses_memory_without_contents(void **state)
{
	struct machine *m = *state;
	uint64_t a, page;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	assert_int_equal(slab_memset(m, a, 0, 0), -EINVAL);
	assert_int_equal(slab_memset(m, a, 0, 8192), -EINVAL);   /* past the slab's one page */
	assert_non_null(strstr(m->err, "runs past the end of the slab"));
	assert_int_equal(slab_kmalloc(m, 16384, G13_KERNEL, &page), 0);
	assert_int_equal(slab_memset(m, page, 0, 8), -EINVAL);
	assert_non_null(strstr(m->err, "large kmalloc"));
	assert_int_equal(slab_memset(m, m->direct_map, 0, 8), -EINVAL);
	assert_int_equal(machine_check(m), 0);
}

/* lib/hexdump.c: groupsize 1, rowsize 16, the ASCII column at 49 */
static void hex_line__matches_print_hex_dump(void **state)
{
	(void)state;
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(0x41 + i);
	b[15] = 0xa5;
	char out[160];
	slab_hex_line(out, sizeof out, "Object   ", 0xffff888100000040ull, b, 16, 16);
	assert_string_equal(out, "Object   ffff888100000040: 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f a5  "
				 "ABCDEFGHIJKLMNO.");
	slab_hex_line(out, sizeof out, "Redzone  ", 0xc1234560ull, b, 3, 8);
	assert_string_equal(out, "Redzone  c1234560: 41 42 43                                         ABC");
}

/* ---- SLAB with CONFIG_DEBUG_SLAB (2.6.32) ---- */

#define G32_KERNEL 0xd0u

/* kmem_cache_create() under FORCED_DEBUG on i386 (BYTES_PER_WORD 4,
 * REDZONE_ALIGN 8): size-32 gets red zone words and the last user word,
 * 32 + 2 * 8 + 8 = 56 bytes a slot, the object 8 bytes in; an on-slab
 * order-0 slab holds (4096 - 28) / (56 + 4) = 67 of them; the per-CPU
 * limit is capped at 32 (batchcount 16) */
static void debug_slab__sizes_slots_as_kmem_cache_create_does(void **state)
{
	struct machine *m = *state;
	int c = slab_cache_find(m, "size-32");
	assert_true(c >= 0);
	const struct slab_geometry *g = &m->slab->caches[c].g;
	assert_int_equal(g->size, 56);
	assert_int_equal(g->object_size, 32);
	assert_int_equal(g->red_left_pad, 8);
	assert_int_equal(g->objects, 67);
	assert_int_equal(g->limit, 32);
	assert_int_equal(g->batchcount, 16);
	/* large objects: red zones would cross the next power of two, poison only */
	c = slab_cache_find(m, "size-4096");
	assert_int_equal(m->slab->caches[c].g.size, 4096);
	assert_int_equal(m->slab->caches[c].g.debug_flags, SLAB_POISON_F);
}

/* cache_free_debugcheck(): a damaged red zone 2 is reported by
 * verify_redzone_free() and the object is freed anyway */
static void debug_slab__free_reports_an_overwritten_red_zone_and_frees(void **state)
{
	struct machine *m = *state;
	uint64_t p;
	assert_int_equal(slab_kmalloc(m, 20, G32_KERNEL, &p), 0);
	assert_int_equal(slab_memset(m, p + 32, 0x41, 2), 0);   /* the low bytes of red zone 2 */
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, p), 0);
	assert_false(allocated(m, p));
	assert_true(find_line(m, from, "slab error in verify_redzone_free(): cache `size-32': memory outside object "
				       "was overwritten") >= 0);
	char want[128];
	/* RED_ACTIVE 0xD84156C5635688C0 with its two low bytes written */
	snprintf(want, sizeof want, "%08llx: redzone 1:0xd84156c5635688c0, redzone 2:0xd84156c563564141.",
		 (unsigned long long)(p - 8));
	assert_true(find_line(m, from, want) >= 0);
	assert_int_equal(machine_check(m), 0);
}

/* a second free finds both red zones RED_INACTIVE: "double free detected" */
static void debug_slab__double_free_is_detected(void **state)
{
	struct machine *m = *state;
	uint64_t p;
	assert_int_equal(slab_kmalloc(m, 20, G32_KERNEL, &p), 0);
	assert_int_equal(slab_kfree(m, p), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kfree(m, p), -EINVAL);
	assert_true(find_line(m, from, "slab error in verify_redzone_free(): cache `size-32': double free detected") >= 0);
	assert_true(find_line(m, from, "redzone 1:0x9f911029d74e35b, redzone 2:0x9f911029d74e35b.") >= 0);
	assert_int_equal(machine_check(m), 0);
}

/* check_poison_obj() when a freed object is handed out again */
static void debug_slab__alloc_reports_slab_corruption(void **state)
{
	struct machine *m = *state;
	uint64_t p, q;
	assert_int_equal(slab_kmalloc(m, 20, G32_KERNEL, &p), 0);
	assert_int_equal(slab_kfree(m, p), 0);
	assert_int_equal(slab_memset(m, p + 4, 0, 1), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_kmalloc(m, 20, G32_KERNEL, &q), 0);
	assert_int_equal(q, p);   /* LIFO array cache: the same object comes back */
	char want[96];
	snprintf(want, sizeof want, "Slab corruption: size-32 start=%08llx, len=32", (unsigned long long)p);
	assert_true(find_line(m, from, want) >= 0);
	assert_true(find_line(m, from, "000: 6b 6b 6b 6b 00 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b") >= 0);
	assert_true(find_line(m, from, "Last user: [<c1000000>]") >= 0);
	/* then POISON_INUSE: 0x5a ... 0xa5 */
	uint8_t b[32];
	assert_int_equal(slab_read(m, q, b, sizeof b), 0);
	assert_int_equal(b[4], 0x5a);
	assert_int_equal(b[31], 0xa5);
	assert_int_equal(machine_check(m), 0);
}

/* ksize() is obj_size, without the debug words; a moving krealloc()
 * copies all of it, even past 8 KiB */
static void debug_slab__ksize_and_krealloc(void **state)
{
	struct machine *m = *state;
	uint64_t p, q;
	size_t ks;
	assert_int_equal(slab_kmalloc(m, 20, G32_KERNEL, &p), 0);
	assert_int_equal(slab_ksize(m, p, &ks), 0);
	assert_int_equal(ks, 32);
	assert_int_equal(slab_kmalloc(m, 10000, G32_KERNEL, &p), 0);
	assert_int_equal(slab_memset(m, p + 9000, 0x41, 16), 0);
	assert_int_equal(slab_krealloc(m, p, 20000, G32_KERNEL, &q), 0);
	assert_true(q != p);
	uint8_t b[16];
	assert_int_equal(slab_read(m, q + 9000, b, 16), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(b[i], 0x41);
	assert_int_equal(machine_check(m), 0);
}

/* s_show() with STATS: "(statistics)", globalstat with the four tabs the
 * source's backslash-newline leaves in the format, cpustat */
static void debug_slab__slabinfo_has_the_statistics_columns(void **state)
{
	struct machine *m = *state;
	uint64_t p;
	assert_int_equal(slab_kmalloc(m, 20, G32_KERNEL, &p), 0);
	assert_int_equal(slab_kfree(m, p), 0);
	struct slabinfo_row r;
	slab_cache_slabinfo(m, slab_cache_find(m, "size-32"), &r);
	assert_true(r.stats);
	/* the boot's HPET area took size-32's first object (its 32-byte
	 * vm_struct): a miss and one refill of batchcount 16 from the new
	 * slab; the test's kmalloc is then a hit */
	assert_int_equal(r.listallocs, 16);
	assert_int_equal(r.maxobjs, 16);
	assert_int_equal(r.grown, 1);
	assert_int_equal(r.allocmiss, 1);
	assert_int_equal(r.allochit, 1);
	assert_int_equal(r.freehit, 1);
}

/*
 * STATS of a CONFIG_DEBUG_SLAB build: ____cache_alloc() counts a hit when
 * the array has an object and a miss when it refills; __cache_free() a
 * hit when the array has room, a miss when cache_flusharray() must make
 * some.  size-2048 has limit 24 and batchcount 12 (enable_cpucache():
 * objects above 1024 bytes).
 */
static void debug_slab__stats_count_array_hits_and_misses(void **state)
{
	struct machine *m = *state;
	uint64_t p[128];
	unsigned n = 0;
	assert_int_equal(slab_kmalloc(m, 2000, G32_KERNEL, &p[n++]), 0);
	struct kmem_cache *c = &m->slab->caches[slab_cache_find(m, "size-2048")];
	const struct slab_cpu *ac = &c->cpu[0];
	assert_int_equal(c->g.limit, 24);
	assert_int_equal(c->g.batchcount, 12);
	assert_int_equal(c->counters.allocmiss, 1);
	assert_int_equal(c->counters.allochit, 0);
	/* the refill brought what one new slab holds, not batchcount: a
	 * debug size-2048 object is 2048 + 2 * 8 (red zones) + 8 (last user,
	 * REDZONE_ALIGN) = 2072 bytes, calculate_slab_order() stops at order 1
	 * (slab_break_gfp_order, BREAK_GFP_ORDER_HI above 32 MiB) with
	 * 8192 / 2072 = 3 objects; the allocation took one, 2 are left */
	assert_int_equal(c->g.size, 2072);
	assert_int_equal(c->g.order, 1);
	assert_int_equal(c->g.objects, 3);
	assert_int_equal(ac->avail, 2);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(slab_kmalloc(m, 2000, G32_KERNEL, &p[n++]), 0);
	assert_int_equal(c->counters.allochit, 2);
	assert_int_equal(c->counters.allocmiss, 1);
	/* the array is empty: the next allocation is a miss */
	assert_int_equal(slab_kmalloc(m, 2000, G32_KERNEL, &p[n++]), 0);
	assert_int_equal(c->counters.allocmiss, 2);
	/* enough objects, then an empty array */
	while (n < 30 || ac->avail)
		assert_int_equal(slab_kmalloc(m, 2000, G32_KERNEL, &p[n++]), 0);
	assert_true(n < 128);
	uint64_t hit = c->counters.freehit, miss = c->counters.freemiss;
	/* 24 frees fill the array; the 25th flushes 12 first */
	for (unsigned i = 0; i < 25; i++)
		assert_int_equal(slab_kfree(m, p[i]), 0);
	assert_int_equal(c->counters.freehit, hit + 24);
	assert_int_equal(c->counters.freemiss, miss + 1);
	assert_int_equal(ac->avail, 24 - 12 + 1);
	/* a cache with no debug flags still counts: 8192-byte RCU objects get
	 * no poison (SLAB_DESTROY_BY_RCU) and no red zone (it would push them
	 * past 8192), but the build has STATS.  One object per slab. */
	int rc;
	assert_int_equal(slab_cache_create(m, "rcu", 8192, 0, SLAB_TYPESAFE_BY_RCU_F, &rc), 0);
	c = &m->slab->caches[rc];
	assert_int_equal(c->g.debug_flags, 0);
	uint64_t a, b, x;
	assert_int_equal(slab_cache_alloc(m, rc, G32_KERNEL, &a), 0);
	assert_int_equal(slab_cache_alloc(m, rc, G32_KERNEL, &b), 0);
	assert_int_equal(c->counters.allocmiss, 2);
	assert_int_equal(c->counters.allochit, 0);
	assert_int_equal(slab_cache_free(m, rc, a), 0);
	assert_int_equal(c->counters.freehit, 1);
	assert_int_equal(slab_cache_alloc(m, rc, G32_KERNEL, &x), 0);
	assert_int_equal(x, a);
	assert_int_equal(c->counters.allochit, 1);
	assert_int_equal(machine_check(m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alloc__poisons_and_red_zones_the_object, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(kzalloc__zeroes_the_requested_bytes_only, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(kfree__reports_an_overwritten_red_zone_and_keeps_the_object, setup_fzpu,
						teardown),
		cmocka_unit_test_setup_teardown(krealloc__old_object_kept_by_the_checks__returns_the_new_one, setup_fzpu,
						teardown),
		cmocka_unit_test_setup_teardown(kfree__reports_writes_past_the_requested_size, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(alloc__finds_use_after_free_and_gives_up_the_slab, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(alloc__checks_the_slab_padding, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(discard__checks_every_free_object, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(kfree__of_a_pointer_inside_an_object_is_an_invalid_pointer, setup_fzpu,
						teardown),
		cmocka_unit_test_setup_teardown(kfree__reports_a_corrupt_free_pointer, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(krealloc__moves_the_kmalloc_red_zone_and_copies_the_bytes, setup_fzpu,
						teardown),
		cmocka_unit_test_setup_teardown(ksize__gives_the_whole_object_to_the_caller, setup_fzpu, teardown),
		cmocka_unit_test_setup_teardown(kzalloc__with_store_user_zeroes_the_request_only, setup_pu, teardown),
		cmocka_unit_test_setup_teardown(krealloc__in_place_with_gfp_zero_zeroes_the_spare_bytes, setup_plain,
						teardown),
		cmocka_unit_test_setup_teardown(without_f__damage_goes_unreported, setup_zp, teardown),
		cmocka_unit_test_setup_teardown(plain_slab__shows_free_pointers_and_takes_writes, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(memset__refuses_memory_without_contents, setup_plain, teardown),
		cmocka_unit_test(hex_line__matches_print_hex_dump),
		cmocka_unit_test_setup_teardown(debug_slab__sizes_slots_as_kmem_cache_create_does, setup_debug_slab,
						teardown),
		cmocka_unit_test_setup_teardown(debug_slab__free_reports_an_overwritten_red_zone_and_frees,
						setup_debug_slab, teardown),
		cmocka_unit_test_setup_teardown(debug_slab__double_free_is_detected, setup_debug_slab, teardown),
		cmocka_unit_test_setup_teardown(debug_slab__alloc_reports_slab_corruption, setup_debug_slab, teardown),
		cmocka_unit_test_setup_teardown(debug_slab__ksize_and_krealloc, setup_debug_slab, teardown),
		cmocka_unit_test_setup_teardown(debug_slab__slabinfo_has_the_statistics_columns, setup_debug_slab,
						teardown),
		cmocka_unit_test_setup_teardown(debug_slab__stats_count_array_hits_and_misses, setup_debug_slab, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
