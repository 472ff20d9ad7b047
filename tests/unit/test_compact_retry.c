/*
 * test_compact_retry.c - 6.13 should_compact_retry() (mm/page_alloc.c):
 * the retries and compact_priority escalation the slow path follows after
 * a direct compaction that did not give the page, counted here from the
 * kernel's rules (MAX_COMPACT_RETRIES 16, a quarter for costly orders;
 * MIN_COMPACT_PRIORITY sync full, MIN_COMPACT_COSTLY_PRIORITY sync light).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "kmemsh/compaction.h"
#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"

static int setup(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 1 };
	struct machine *m;
	char err[256];
	if (machine_create(&c, &m, err, sizeof err))
		return -1;
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

static int top(const struct machine *m)
{
	int z = m->nr_zones - 1;
	while (z > 0 && !m->zones[z].present)
		z--;
	return z;
}

/* how many times should_compact_retry() says yes in a row */
static int yes_in_a_row(const struct machine *m, unsigned order, struct compact_retry *cr)
{
	int n = 0;
	while (n < 1000 && vmscan_should_compact_retry(m, order, top(m), cr))
		n++;
	return n;
}

static void order_0__never_retries_for_compaction(void **state)
{
	struct compact_retry cr = { COMPACT_SUCCESS, COMPACT_PRIO_SYNC_LIGHT, 0 };
	assert_false(vmscan_should_compact_retry(*state, 0, top(*state), &cr));
	assert_int_equal(cr.retries, 0);
}

static void success__order_2__16_retries_then_sync_full_then_16_more(void **state)
{
	/* DEFAULT_COMPACT_PRIORITY: 16 retries, the 17th raises the priority
	 * to sync full (retries reset, yes), 16 more, then no */
	struct compact_retry cr = { COMPACT_SUCCESS, COMPACT_PRIO_SYNC_LIGHT, 0 };
	assert_int_equal(yes_in_a_row(*state, 2, &cr), 16 + 1 + 16);
	assert_int_equal(cr.prio, COMPACT_PRIO_SYNC_FULL);
	assert_int_equal(cr.retries, 17);
}

static void success__costly_order__a_quarter_and_no_further_than_sync_light(void **state)
{
	/* from INIT_COMPACT_PRIORITY (async): 4, raise to sync light, 4, then no */
	struct compact_retry cr = { COMPACT_SUCCESS, COMPACT_PRIO_ASYNC, 0 };
	assert_int_equal(yes_in_a_row(*state, 4, &cr), 4 + 1 + 4);
	assert_int_equal(cr.prio, COMPACT_PRIO_SYNC_LIGHT);
}

static void failure__raises_the_priority_each_time_down_to_the_minimum(void **state)
{
	struct compact_retry cr = { COMPACT_COMPLETE, COMPACT_PRIO_ASYNC, 5 };
	assert_true(vmscan_should_compact_retry(*state, 3, top(*state), &cr));
	assert_int_equal(cr.prio, COMPACT_PRIO_SYNC_LIGHT);
	assert_int_equal(cr.retries, 0);
	assert_true(vmscan_should_compact_retry(*state, 3, top(*state), &cr));
	assert_int_equal(cr.prio, COMPACT_PRIO_SYNC_FULL);
	assert_false(vmscan_should_compact_retry(*state, 3, top(*state), &cr));
	/* a costly order stops at sync light */
	struct compact_retry c2 = { COMPACT_COMPLETE, COMPACT_PRIO_SYNC_LIGHT, 0 };
	assert_false(vmscan_should_compact_retry(*state, 9, top(*state), &c2));
}

static void skipped__retries_while_free_plus_reclaimable_pass_compaction_suitable(void **state)
{
	struct machine *m = *state;
	struct compact_retry cr = { COMPACT_SKIPPED, COMPACT_PRIO_SYNC_LIGHT, 0 };
	/* a fresh machine: plenty free above min + compact_gap(2) = min + 8 */
	assert_true(vmscan_should_compact_retry(m, 2, top(m), &cr));
	assert_int_equal(cr.prio, COMPACT_PRIO_SYNC_LIGHT);
	/* each zone exactly at min + 8 for order 2 (the check is free > mark
	 * + lowmem_reserve): no; one page more in the top zone: yes */
	uint64_t saved[8];
	for (int z = 0; z < m->nr_zones && z < 8; z++) {
		saved[z] = m->zones[z].free_pages;
		m->zones[z].free_pages = m->zones[z].wmark[WMARK_MIN] + 8;
	}
	assert_false(vmscan_should_compact_retry(m, 2, top(m), &cr));
	m->zones[top(m)].free_pages++;
	assert_true(vmscan_should_compact_retry(m, 2, top(m), &cr));
	/* a costly order wants the low watermark */
	m->zones[top(m)].free_pages = m->zones[top(m)].wmark[WMARK_LOW] + (2u << 4);
	assert_false(vmscan_should_compact_retry(m, 4, top(m), &cr));
	m->zones[top(m)].free_pages++;
	assert_true(vmscan_should_compact_retry(m, 4, top(m), &cr));
	for (int z = 0; z < m->nr_zones && z < 8; z++)
		m->zones[z].free_pages = saved[z];
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(order_0__never_retries_for_compaction),
		T(success__order_2__16_retries_then_sync_full_then_16_more),
		T(success__costly_order__a_quarter_and_no_further_than_sync_light),
		T(failure__raises_the_priority_each_time_down_to_the_minimum),
		T(skipped__retries_while_free_plus_reclaimable_pass_compaction_suitable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
