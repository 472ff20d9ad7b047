/*
 * view_fixture.h - the fixture test_view.c and test_slabview.c share: a
 * booted machine and an output buffer to render into.  Include after
 * <cmocka.h> and the kmemsh headers.
 */
#ifndef KMEMSH_TEST_VIEW_FIXTURE_H
#define KMEMSH_TEST_VIEW_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "kmemsh/machine.h"
#include "kmemsh/view.h"

struct fx {
	struct machine *m;
	struct out o;
	char flat[16384];       /* explain text with its line wrapping undone */
};

static int boot(void **state, const struct machine_config *cfg)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];
	if (!f)
		return -1;
	/* pure buddy (set pcp off): the views' expectations assume immediate
	 * merging; test_pcp.c covers the per-CPU lists */
	struct machine_config pure = *cfg;
	pure.pcp_off = true;
	if (machine_create(&pure, &f->m, err, sizeof err)) {
		fprintf(stderr, "machine_create: %s\n", err);
		free(f);
		return -1;
	}
	out_init_buf(&f->o);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	out_free(&f->o);
	machine_destroy(f->m);
	free(f);
	return 0;
}

#endif
