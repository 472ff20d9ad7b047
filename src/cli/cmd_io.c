/*
 * cmd_io.c - device memory: request_mem_region/release_mem_region, the
 * ioremap family and iounmap, and the MMIO accessors (readb..writeq,
 * ioread32/iowrite32, memcpy_fromio, memcpy_toio, memset_io).
 */
#include <string.h>

#include "kmemsh/iomem.h"
#include "cmd_int.h"

/* a physical address argument: a number, or a value of kind phys */
static int arg_phys(struct session *s, int idx, const char *text, uint64_t *out)
{
	struct value v;
	if (arg_value(s, idx, text, &v))
		return -1;
	if (v.kind == V_ADDR || v.kind == V_PAGE || v.kind == V_PFN) {
		session_error(s, "argument %d '%s' is %s, not a physical address", idx, text,
			      v.kind == V_ADDR ? "a kernel virtual address" : v.kind == V_PAGE ? "a struct page pointer"
			      : "a pfn");
		return -1;
	}
	*out = v.u;
	return 0;
}

/* request_mem_region START N NAME */
int cmd_request_mem_region(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t start, n;
	if (arg_phys(s, 1, argv[1], &start) || arg_size(s, 2, argv[2], &n))
		return -1;
	const struct resource *res, *conflict;
	int e = iomem_request_mem_region(s->m, start, n, argv[3], &res, &conflict);
	step_call(r, "request_mem_region");
	step_arg(r, CA_HEX, start);
	step_arg(r, CA_HEX, n);
	step_arg_str(r, CA_STRING, argv[3]);
	r->kind = RESULT_IO;
	r->u.io = (struct io_result){ .op = IO_REQUEST, .start = start, .end = start + n - 1 };
	if (e == -ENOMEM) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	if (e) {
		r->value = (struct value){ V_ADDR, 0 };
		r->reason = s->m->err;
		return 0;
	}
	/* the kernel returns the struct resource *; its address is not modelled */
	r->value = (struct value){ V_PHYS, start };
	r->u.io.name = res->parent && res->parent->name ? res->parent->name : NULL;
	return 0;
}

/* release_mem_region START N */
int cmd_release_mem_region(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t start, n;
	if (arg_phys(s, 1, argv[1], &start) || arg_size(s, 2, argv[2], &n))
		return -1;
	if (iomem_release_mem_region(s->m, start, n)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "release_mem_region");
	step_arg(r, CA_HEX, start);
	step_arg(r, CA_HEX, n);
	r->value = (struct value){ V_NONE, 0 };
	r->kind = RESULT_IO;
	r->u.io = (struct io_result){ .op = IO_RELEASE, .start = start, .end = start + n - 1 };
	return 0;
}
