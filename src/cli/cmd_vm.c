/*
 * cmd_vm.c - the address space: translation (virt_to_phys/__pa,
 * phys_to_virt/__va, pfn_to_virt, virt_to_page, virt_addr_valid), `walk`,
 * `whatis`, and loads and stores into the memory the model has handed out
 * (read, write, and memset/dump beyond slab objects).
 */
#include <stdlib.h>
#include <string.h>

#include "kmemsh/memstore.h"
#include "kmemsh/memview.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/physaddr.h"
#include "kmemsh/whatis.h"
#include "cmd_int.h"

/* A refusal: the model's one line (its dmesg, a BUG for instance, is
 * shown with the step). */
static int refused(struct session *s)
{
	session_error(s, "%s", s->m->err);
	return -1;
}

static bool in_image_mapping(const struct machine *m, uint64_t va)
{
	return m->layout.start_kernel_map && va >= m->layout.start_kernel_map;
}

/* virt_to_phys ADDR, __pa ADDR */
int cmd_virt_to_phys(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t va, pa;
	if (arg_addr(s, 1, argv[1], &va))
		return -1;
	if (vm_virt_to_phys(s->m, va, &pa))
		return refused(s);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, va);
	r->value = (struct value){ V_PHYS, pa };
	r->kind = RESULT_TRANSLATE;
	r->u.xlate.va = va;
	r->u.xlate.phys = pa;
	r->u.xlate.image = in_image_mapping(s->m, va);
	return 0;
}

/* phys_to_virt PHYS, __va PHYS */
int cmd_phys_to_virt(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pa, va;
	struct value v;
	if (arg_value(s, 1, argv[1], &v))
		return -1;
	if (v.kind == V_ADDR || v.kind == V_PAGE || v.kind == V_PFN) {
		session_error(s, "argument 1 '%s' is %s, not a physical address%s", argv[1],
			      v.kind == V_ADDR ? "a kernel virtual address" : v.kind == V_PAGE ? "a struct page pointer"
			      : "a pfn", v.kind == V_ADDR ? " (use virt_to_phys)" : v.kind == V_PFN ? " (use pfn_to_virt)" : "");
		return -1;
	}
	pa = v.u;
	if (vm_phys_to_virt(s->m, pa, &va))
		return refused(s);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, pa);
	r->value = (struct value){ V_ADDR, va };
	r->kind = RESULT_TRANSLATE;
	r->u.xlate.va = va;
	r->u.xlate.phys = pa;
	return 0;
}

/* pfn_to_virt PFN: __va(PFN_PHYS(pfn)) */
int cmd_pfn_to_virt(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pfn, va;
	if (arg_pfn(s, 1, argv[1], &pfn))
		return -1;
	if (vm_phys_to_virt(s->m, pfn << 12, &va)) {
		session_error(s, "pfn %#llx: %s", (unsigned long long)pfn, s->m->err);
		return -1;
	}
	step_call(r, "pfn_to_virt");
	step_arg(r, CA_HEX, pfn);
	r->value = (struct value){ V_ADDR, va };
	r->kind = RESULT_TRANSLATE;
	r->u.xlate.va = va;
	r->u.xlate.phys = pfn << 12;
	return 0;
}

/* virt_to_page ADDR: pfn_to_page(__pa(addr) >> PAGE_SHIFT) */
int cmd_virt_to_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr, pfn;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	if (vm_virt_to_pfn(s->m, addr, &pfn))
		return refused(s);
	step_call(r, "virt_to_page");
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_PAGE, machine_page_ptr(s->m, pfn) };
	r->kind = RESULT_VIRT_TO_PAGE;
	r->u.block.pfn = pfn;
	return 0;
}

/* virt_addr_valid ADDR: 1 or 0, and why */
int cmd_virt_addr_valid(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t va;
	if (arg_addr(s, 1, argv[1], &va))
		return -1;
	bool ok = vm_virt_addr_valid(s->m, va);
	struct vm_region region = vm_region_of(s->m, va);
	const struct vm_region *reg = &region;
	step_call(r, "virt_addr_valid");
	step_arg(r, CA_HEX, va);
	r->value = (struct value){ V_NUM, ok };
	r->kind = RESULT_VALID;
	if (ok && reg->kind == VR_KERNEL_TEXT)
		r->reason = "the kernel image mapping, and pfn_valid()";
	else if (ok && reg->kind == VR_DIRECT)
		r->reason = "a direct-map address whose pfn has a struct page";
	else if (ok)
		r->reason = "passes __virt_addr_valid()'s tests (above PAGE_OFFSET, not vmalloc, below FIXADDR_START, "
			    "pfn_valid() of va - PAGE_OFFSET), though it is not in the direct map";
	else if (reg->kind == VR_DIRECT || reg->kind == VR_DIRECT_SPARE)
		r->reason = "in the direct map's range, but pfn_valid() is false there";
	else
		r->reason = reg->what;
	return 0;
}

/* walk ADDR: the page-table walk, level by level */
int cmd_walk(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t va;
	if (arg_addr(s, 1, argv[1], &va))
		return -1;
	struct pt_walk w;
	pgtable_walk(s->m, va, &w);
	view_walk(&s->out, s->m, va, &w);
	r->value = (struct value){ V_NUM, w.end == WALK_MAPPED ? w.phys : 0 };
	return 0;
}

/* whatis ADDR | whatis pfn PFN: what any address is */
int cmd_whatis(struct session *s, int argc, char **argv, struct step_result *r)
{
	struct whatis w;
	if (argc == 3) {
		uint64_t pfn;
		if (strcmp(argv[1], "pfn")) {
			session_error(s, "argument 1 '%s': expected an address, or 'pfn' and a page frame number",
				      argv[1]);
			return -1;
		}
		if (arg_pfn(s, 2, argv[2], &pfn))
			return -1;
		vm_whatis_pfn(s->m, pfn, &w);
	} else {
		struct value v;
		if (arg_value(s, 1, argv[1], &v))
			return -1;
		if (v.kind == V_PFN || v.kind == V_PHYS) {
			uint64_t pfn = v.kind == V_PFN ? v.u : v.u >> 12;
			if (pfn >= s->m->max_pfn) {
				session_error(s, "argument 1 '%s': beyond the end of memory", argv[1]);
				return -1;
			}
			vm_whatis_pfn(s->m, pfn, &w);
		} else {
			vm_whatis(s->m, v.u, &w);
		}
	}
	view_whatis(&s->out, s->m, &w);
	r->value = (struct value){ V_ADDR, w.addr };
	return 0;
}

static int arg_access_size(struct session *s, int idx, const char *text, unsigned *size)
{
	uint64_t v;
	if (arg_u64(s, idx, text, "an access size", 8, &v))
		return -1;
	if (v != 1 && v != 2 && v != 4 && v != 8) {
		session_error(s, "argument %d '%s': the size of a load or store is 1, 2, 4 or 8 bytes", idx, text);
		return -1;
	}
	*size = (unsigned)v;
	return 0;
}

/* read ADDR [SIZE] */
int cmd_read(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, val;
	unsigned size = s->m->arch->bits / 8;
	if (arg_addr(s, 1, argv[1], &addr) || (argc > 2 && arg_access_size(s, 2, argv[2], &size)) ||
	    cmd_refuse_iomem(s, addr, size, "a plain load"))
		return -1;
	struct mem_access_result res;
	if (memstore_read(s->m, addr, size, &val, &res))
		return refused(s);
	view_mem_read(&s->out, s->m, addr, size, val, &res);
	r->value = (struct value){ V_NUM, val };
	return 0;
}

/* write ADDR VALUE [SIZE] */
int cmd_write(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, val;
	unsigned size = s->m->arch->bits / 8;
	if (arg_addr(s, 1, argv[1], &addr) || arg_u64(s, 2, argv[2], "a value", UINT64_MAX, &val) ||
	    (argc > 3 && arg_access_size(s, 3, argv[3], &size)))
		return -1;
	if (cmd_refuse_iomem(s, addr, size, "a plain store"))
		return -1;
	if (size < 8 && (val >> (size * 8))) {
		session_error(s, "argument 2 '%s': does not fit in %u byte%s", argv[2], size, size == 1 ? "" : "s");
		return -1;
	}
	step_call(r, "write");
	step_arg(r, CA_HEX, addr);
	step_arg(r, CA_HEX, val);
	step_arg(r, CA_DEC, size);
	if (memstore_write(s->m, addr, val, size, &r->u.mem.res))
		return refused(s);
	r->value = (struct value){ V_NONE, 0 };
	r->kind = RESULT_MEM;
	r->u.mem.addr = addr;
	r->u.mem.len = size;
	return 0;
}

/* memset ADDR C N: any handed-out memory; in slab memory it may run past
 * objects, as the kernel's memset does, for the debug checks to find */
int cmd_memset(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr, c, n;
	if (arg_addr(s, 1, argv[1], &addr) || arg_u64(s, 2, argv[2], "a byte value", 255, &c) ||
	    arg_size(s, 3, argv[3], &n) || cmd_refuse_iomem(s, addr, n, "memset"))
		return -1;
	struct mem_access_result res;
	if (mem_memset(s->m, addr, (int)c, n, &res))
		return refused(s);
	step_call(r, "memset");
	step_arg(r, CA_HEX, addr);
	step_arg(r, CA_HEX, c);
	step_arg(r, CA_DEC, n);
	r->value = (struct value){ V_ADDR, addr };
	if (res.kind == MEM_SLAB) {
		/* which objects and regions the bytes are in */
		r->kind = RESULT_SLAB_RANGE;
		r->u.range.addr = addr;
		r->u.range.len = n;
	} else {
		r->kind = RESULT_MEM;
		r->u.mem.addr = addr;
		r->u.mem.len = n;
		r->u.mem.res = res;
	}
	return 0;
}

/* dump ADDR [LEN]: print_hex_dump(DUMP_PREFIX_ADDRESS) of handed-out memory,
 * as a debugger sees it (no KASAN check) */
int cmd_dump(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, n = 64;
	if (arg_addr(s, 1, argv[1], &addr) || (argc > 2 && arg_size(s, 2, argv[2], &n)) ||
	    cmd_refuse_iomem(s, addr, n, "dump"))
		return -1;
	if (n > 65536) {
		session_error(s, "argument 2 '%s': dump shows at most 64K bytes", argv[2]);
		return -1;
	}
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf) {
		session_error(s, "out of memory");
		return -1;
	}
	if (mem_peek(s->m, addr, buf, n, NULL)) {
		free(buf);
		return refused(s);
	}
	view_mem_dump(&s->out, s->m, addr, buf, n);
	free(buf);
	r->value = (struct value){ V_ADDR, addr };
	return 0;
}
