/*
 * fixture.h - the setup the unit tests share: booting a machine (the test
 * fails with the model's message when it cannot boot), reading a data
 * file, GFP text to bits, finding dmesg lines (through dmesg_slot(), so
 * a wrapped ring reads right) and change-log events, and a NUMA node's
 * pages and counters.  Include after
 * <cmocka.h> and the kmemsh headers; every helper is static inline, so a
 * test takes only what it uses.
 */
#ifndef KMEMSH_TEST_FIXTURE_H
#define KMEMSH_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"

/* machine_create(cfg), or the test fails with its error */
static inline struct machine *boot_cfg(const struct machine_config *cfg)
{
	struct machine *m;
	char err[256];
	if (machine_create(cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	return m;
}

/* a file of the repository (tests run from its top), up to 1 MiB, as a
 * string the caller frees */
static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open", path);
	char *buf = calloc(1, 1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* "GFP_KERNEL|__GFP_ZERO" in the machine's kernel, or the test fails */
static inline gfp_t gfp(const struct machine *m, const char *text)
{
	gfp_t g = 0;
	assert_int_equal(gfp_parse(m->kp, text, &g, NULL), 0);
	return g;
}

/* the text of dmesg line i (m->dmesg.start <= i < m->dmesg.n) */
static inline const char *dmesg_text(const struct machine *m, size_t i)
{
	return dmesg_slot(&m->dmesg, i)->text;
}

/* the first dmesg line that contains part, or -1 */
static inline long dmesg_find(const struct machine *m, const char *part)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strstr(dmesg_text(m, i), part))
			return (long)i;
	return -1;
}

/* the first dmesg line that is line, or -1 */
static inline long dmesg_find_line(const struct machine *m, const char *line)
{
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strcmp(dmesg_text(m, i), line) == 0)
			return (long)i;
	return -1;
}

static inline bool dmesg_has(const struct machine *m, const char *part)
{
	return dmesg_find(m, part) >= 0;
}

static inline bool dmesg_has_line(const struct machine *m, const char *line)
{
	return dmesg_find_line(m, line) >= 0;
}

/* how many dmesg lines contain part */
static inline size_t dmesg_count(const struct machine *m, const char *part)
{
	size_t n = 0;
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		n += strstr(dmesg_text(m, i), part) != NULL;
	return n;
}

/* the change log's last event of kind k, or NULL */
static inline const struct change *last_event(const struct machine *m, enum change_kind k)
{
	for (size_t i = m->log.n; i-- > 0;)
		if (m->log.v[i].kind == k)
			return &m->log.v[i];
	return NULL;
}

/* the node of the zone that holds pfn */
static inline int pfn_nid(const struct machine *m, uint64_t pfn)
{
	int z = machine_pfn_zone(m, pfn);
	assert_true(z >= 0);
	return m->zones[z].nid;
}

/* zone numa_stat[item] summed over node nid's zones */
static inline uint64_t node_stat(const struct machine *m, int nid, int item)
{
	uint64_t sum = 0;
	for (int z = nid * m->nr_node_zones; z < (nid + 1) * m->nr_node_zones; z++)
		sum += m->zones[z].numa_stat[item];
	return sum;
}

#endif
