/*
 * cmd_io.c - device memory: request_mem_region/release_mem_region, the
 * ioremap family and iounmap, and the MMIO accessors (readb..writeq,
 * ioread32/iowrite32, memcpy_fromio, memcpy_toio, memset_io).
 */
#include <string.h>

#include "kmemsh/iomem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/memstore.h"
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
	if (e == -ENOMEM || e == -EPERM) {     /* -EPERM: BUG_ON(in_interrupt()), the task died */
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

/* ---- ioremap and iounmap ---------------------------------------------------------- */

/* The cache mode of each ioremap variant; 2.6.32 has no ioremap_uc or
 * ioremap_wt (they came with 4.1 and 4.2), and its ioremap() is
 * ioremap_nocache(), UC- as in 6.13, which no longer has that name (5.6). */
static const struct {
	const char *name;
	enum page_cache_mode pcm;
	bool in_2_6_32;
} variants[] = {
	{ "ioremap", PCM_UC_MINUS, true },
	{ "ioremap_nocache", PCM_UC_MINUS, true },
	{ "ioremap_uc", PCM_UC, false },
	{ "ioremap_wc", PCM_WC, true },
	{ "ioremap_wt", PCM_WT, false },
	{ "ioremap_cache", PCM_WB, true },
};

/* ioremap PHYS SIZE, and the variants */
int cmd_ioremap(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	size_t v = 0;
	while (v < sizeof variants / sizeof variants[0] && strcmp(variants[v].name, argv[0]))
		v++;
	if (v == sizeof variants / sizeof variants[0])
		v = 0;
	if (s->m->kp->kv != KV_2_6_32 && variants[v].pcm == PCM_UC_MINUS && v) {
		session_error(s, "ioremap_nocache was removed in Linux 5.6: ioremap() is UC- already");
		return -1;
	}
	if (s->m->kp->kv == KV_2_6_32 && !variants[v].in_2_6_32) {
		session_error(s, "%s does not exist in Linux 2.6.32 (it came with 4.%c)", variants[v].name,
			      variants[v].pcm == PCM_UC ? '1' : '2');
		return -1;
	}
	uint64_t phys, size, va;
	if (arg_phys(s, 1, argv[1], &phys) || arg_size(s, 2, argv[2], &size))
		return -1;
	const struct ioremap_area *a;
	int e = ioremap_caller(s->m, phys, size, variants[v].pcm, &va, &a);
	step_call(r, variants[v].name);
	step_arg(r, CA_HEX, phys);
	step_arg(r, CA_HEX, size);
	r->kind = RESULT_IO;
	r->u.io = (struct io_result){ .op = IO_IOREMAP, .start = phys, .end = phys + size - 1,
				      .pcm = variants[v].pcm };
	if (e == -ENOMEM || e == -EPERM) {     /* -EPERM: BUG_ON(in_interrupt()), the task died */
		session_error(s, "%s", s->m->err);
		return -1;
	}
	if (e) {
		r->value = (struct value){ V_ADDR, 0 };
		r->kind = RESULT_NO_PAGE;
		r->reason = s->m->err;
		return 0;
	}
	r->value = (struct value){ V_ADDR, va };
	r->u.io.start = a->phys;
	r->u.io.end = a->phys + a->size - 1;
	r->u.io.va = a->va;
	r->u.io.va_end = a->va + (a->area_size ? a->area_size : a->size);
	r->u.io.pcm = a->pcm;
	r->u.io.req = variants[v].pcm;
	r->u.io.direct = !a->area_size;
	return 0;
}

/* iounmap ADDR */
int cmd_iounmap(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	struct ioremap_area was;
	s->m->err[0] = '\0';
	if (ioremap_iounmap(s->m, addr, &was)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "iounmap");
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_NONE, 0 };
	if (!was.size) {
		r->kind = RESULT_VALID;
		r->reason = s->m->err[0] ? s->m->err : NULL;
		return 0;
	}
	r->kind = RESULT_IO;
	r->u.io = (struct io_result){ .op = IO_IOUNMAP, .start = was.phys, .end = was.phys + was.size - 1,
				      .va = was.va, .va_end = was.va + (was.area_size ? was.area_size : was.size),
				      .pcm = was.pcm, .req = was.req, .direct = !was.area_size };
	return 0;
}

/* ---- the accessors ------------------------------------------------------------------ */

/* readb..readq, ioread8..ioread32 and their write counterparts, by name */
static const struct {
	const char *name;
	unsigned size;
	bool write;
	bool x86_64_only;
} accessors[] = {
	{ "readb", 1, false, false }, { "readw", 2, false, false }, { "readl", 4, false, false },
	{ "readq", 8, false, true },
	{ "writeb", 1, true, false }, { "writew", 2, true, false }, { "writel", 4, true, false },
	{ "writeq", 8, true, true },
	{ "ioread8", 1, false, false }, { "ioread16", 2, false, false }, { "ioread32", 4, false, false },
	{ "iowrite8", 1, true, false }, { "iowrite16", 2, true, false }, { "iowrite32", 4, true, false },
};

static void fill_mmio(struct session *s, struct step_result *r, uint64_t addr, uint64_t phys, unsigned size,
		      bool write)
{
	r->kind = RESULT_IO;
	r->u.io = (struct io_result){ .op = IO_MMIO, .phys = phys, .size = size, .write = write };
	const struct mmio_device *d = iomem_device_at(s->m, phys);
	(void)addr;
	if (d) {
		r->u.io.dev = iomem_device_name(d);
		r->u.io.dev_off = phys - iomem_device_base(d);
		r->u.io.reg = iomem_reg_name(s->m, phys);
	}
}

/* readX ADDR / writeX VALUE ADDR (the kernel's argument order) */
int cmd_mmio(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	size_t k = 0;
	while (k < sizeof accessors / sizeof accessors[0] && strcmp(accessors[k].name, argv[0]))
		k++;
	if (k == sizeof accessors / sizeof accessors[0])
		return -1;
	unsigned size = accessors[k].size;
	if (accessors[k].x86_64_only && s->m->arch->bits != 64) {
		session_error(s, "%s exists only on 64-bit kernels (i386 has no 8-byte MMIO accessor)", argv[0]);
		return -1;
	}
	uint64_t addr, val = 0, phys;
	int ai = accessors[k].write ? 2 : 1;
	if (accessors[k].write) {
		if (arg_u64(s, 1, argv[1], "a value", size == 8 ? UINT64_MAX : (1ull << (size * 8)) - 1, &val))
			return -1;
	}
	if (arg_addr(s, ai, argv[ai], &addr))
		return -1;
	int e = accessors[k].write ? ioremap_write(s->m, addr, size, val, &phys)
				   : ioremap_read(s->m, addr, size, &val, &phys);
	if (e) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, argv[0]);
	if (accessors[k].write)
		step_arg(r, CA_HEX, val);
	step_arg(r, CA_HEX, addr);
	r->value = accessors[k].write ? (struct value){ V_NONE, 0 } : (struct value){ V_NUM, val };
	fill_mmio(s, r, addr, phys, size, accessors[k].write);
	r->u.io.val = val;
	return 0;
}

/* memcpy_fromio DST SRC N / memcpy_toio DST SRC N: x86's __memcpy_fromio()
 * and __memcpy_toio() (ioremap_memcpy()) */
int cmd_memcpy_io(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	bool toio = strcmp(argv[0], "memcpy_toio") == 0;
	uint64_t dst, src, n, phys = 0, done = 0;
	if (arg_addr(s, 1, argv[1], &dst) || arg_addr(s, 2, argv[2], &src) || arg_size(s, 3, argv[3], &n))
		return -1;
	if (ioremap_memcpy(s->m, dst, src, n, toio, &phys, &done)) {
		session_error(s, "at byte %llu: %s", (unsigned long long)done, s->m->err);
		return -1;
	}
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, dst);
	step_arg(r, CA_HEX, src);
	step_arg(r, CA_DEC, n);
	r->value = (struct value){ V_NONE, 0 };
	fill_mmio(s, r, toio ? dst : src, phys, (unsigned)(n > 8 ? 8 : n), toio);
	r->u.io.len = n;
	return 0;
}

/* memset_io ADDR C N: byte stores (x86's memset_io is memset()) */
int cmd_memset_io(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr, c, n, phys = 0;
	if (arg_addr(s, 1, argv[1], &addr) || arg_u64(s, 2, argv[2], "a byte value", 255, &c) ||
	    arg_size(s, 3, argv[3], &n))
		return -1;
	uint64_t done;
	if (ioremap_memset(s->m, addr, (uint8_t)c, n, &phys, &done)) {
		session_error(s, "at byte %llu: %s", (unsigned long long)done, s->m->err);
		return -1;
	}
	step_call(r, "memset_io");
	step_arg(r, CA_HEX, addr);
	step_arg(r, CA_HEX, c);
	step_arg(r, CA_DEC, n);
	r->value = (struct value){ V_NONE, 0 };
	fill_mmio(s, r, addr, phys, 1, true);
	r->u.io.len = n;
	return 0;
}

/* read/write/memset/dump of an __iomem address: refused (cmd_vm.c asks) */
int cmd_refuse_iomem(struct session *s, uint64_t addr, uint64_t len, const char *what)
{
	const struct ioremap_area *io = ioremap_find_range(s->m, addr, len);
	if (!io)
		return 0;
	/* readq()/writeq(): 64-bit kernels only (the accessors refuse them on i386) */
	if (s->m->arch->bits == 64)
		session_error(s, "%#llx is an __iomem address (ioremap of phys %#llx): %s does not reach device "
			      "registers; use readl()/writel() (readb/readw/readq, memcpy_fromio, memset_io) as "
			      "drivers must", (unsigned long long)addr, (unsigned long long)io->phys, what);
	else
		session_error(s, "%#llx is an __iomem address (ioremap of phys %#llx): %s does not reach device "
			      "registers; use readl()/writel() (readb/readw, memcpy_fromio, memset_io) as "
			      "drivers must", (unsigned long long)addr, (unsigned long long)io->phys, what);
	return -1;
}
