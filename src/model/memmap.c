/*
 * memmap.c - physical memory map and the /proc/iomem resource tree.
 *
 * The firmware (e820 on x86) says which physical ranges are RAM; the boot
 * allocator (bootmem in 2.6.32, memblock in 6.13) then reserves parts of
 * that RAM (kernel image, memmap, firmware pages) before everything else
 * is handed to the buddy allocator.  kernel/resource.c keeps a tree of
 * named ranges that /proc/iomem prints.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/i18n.h"
#include "kmemsh/memmap.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)

void memmap_init(struct memmap *mm)
{
	memset(mm, 0, sizeof *mm);
	mm->root.start = 0;
	mm->root.end = ~0ull;
}

static void free_tree(struct resource *r)
{
	while (r) {
		struct resource *next = r->sibling;
		free_tree(r->child);
		free(r->name);
		free(r);
		r = next;
	}
}

void memmap_free(struct memmap *mm)
{
	free(mm->ram);
	free(mm->resv);
	free_tree(mm->root.child);
	memset(mm, 0, sizeof *mm);
}

/* Insert [start,end) into a sorted disjoint array, merging overlaps. */
static int range_insert(struct phys_range **v, size_t *n, size_t *cap,
			uint64_t start, uint64_t end, const char *name)
{
	if (start >= end)
		return 0;
	if (*n + 1 > *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct phys_range *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	size_t i = 0;
	while (i < *n && (*v)[i].end < start)
		i++;
	/* merge with every range that overlaps or touches [start, end) */
	size_t j = i;
	while (j < *n && (*v)[j].start <= end) {
		if ((*v)[j].start < start)
			start = (*v)[j].start;
		if ((*v)[j].end > end)
			end = (*v)[j].end;
		if (!name)
			name = (*v)[j].name;
		j++;
	}
	if (j > i) {
		(*v)[i].start = start;
		(*v)[i].end = end;
		memmove(&(*v)[i + 1], &(*v)[j], (*n - j) * sizeof **v);
		*n -= j - i - 1;
		return 0;
	}
	memmove(&(*v)[i + 1], &(*v)[i], (*n - i) * sizeof **v);
	(*v)[i] = (struct phys_range){ start, end, name };
	(*n)++;
	return 0;
}

int memmap_add_ram(struct memmap *mm, uint64_t start, uint64_t end)
{
	/* partially covered pages are not usable: PFN_UP / PFN_DOWN */
	start = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	end &= ~(PAGE_SIZE - 1);
	return range_insert(&mm->ram, &mm->nram, &mm->cap_ram, start, end, "System RAM");
}

int memmap_reserve(struct memmap *mm, uint64_t start, uint64_t end, const char *why)
{
	return range_insert(&mm->resv, &mm->nresv, &mm->cap_resv, start, end, why);
}

static struct resource *new_res(uint64_t start, uint64_t end, const char *name)
{
	struct resource *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->name = strdup(name);
	if (!r->name) {
		free(r);
		return NULL;
	}
	r->start = start;
	r->end = end;
	return r;
}

/* kernel/resource.c: insert_resource() — find the deepest parent that
 * contains the range, adopt the siblings it contains. */
struct resource *memmap_add_resource(struct memmap *mm, uint64_t start, uint64_t end, const char *name)
{
	struct resource *parent = &mm->root;

	if (end < start)
		return NULL;
	for (;;) {
		struct resource *c;
		for (c = parent->child; c; c = c->sibling)
			if (c->start <= start && c->end >= end)
				break;
		if (!c)
			break;
		parent = c;
	}
	/* refuse a partial overlap with a sibling before changing anything */
	for (struct resource *c = parent->child; c; c = c->sibling) {
		bool disjoint = c->end < start || c->start > end;
		bool inside = c->start >= start && c->end <= end;
		if (!disjoint && !inside)
			return NULL;
	}
	struct resource *r = new_res(start, end, name);
	if (!r)
		return NULL;
	r->parent = parent;
	/* siblings inside [start, end] become r's children, in order */
	struct resource **pp = &parent->child, **tail = &r->child, **ins = NULL;
	while (*pp) {
		struct resource *c = *pp;
		if (c->end < start) {
			pp = &c->sibling;
			continue;
		}
		if (c->start > end)
			break;
		*pp = c->sibling;
		c->sibling = NULL;
		c->parent = r;
		*tail = c;
		tail = &c->sibling;
	}
	ins = pp;
	r->sibling = *ins;
	*ins = r;
	return r;
}

static int is_kernel_image(const char *name)
{
	return strcmp(name, "Kernel code") == 0 || strcmp(name, "Kernel rodata") == 0 ||
	       strcmp(name, "Kernel data") == 0 || strcmp(name, "Kernel bss") == 0;
}

int memmap_parse_iomem(struct memmap *mm, const char *text, char *err, size_t errlen)
{
	const char *p = text;
	unsigned line = 0;
	int nram = 0;
	uint64_t img_start = ~0ull, img_end = 0;
	/* setup_arch() registers code, data and bss together (rodata from
	 * 2.6.25 on): with only some, boot placed an image of the file's
	 * sizes and of the profile's and failed as "page tables:
	 * inconsistent mapping" */
	static const char *const img_parts[3] = { "Kernel code", "Kernel data", "Kernel bss" };
	unsigned img_seen = 0;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512];
		line++;
		if (n >= sizeof buf) {
			snprintf(err, errlen, _("line %u: line too long"), line);
			return -EINVAL;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		p += n + (eol ? 1 : 0);

		char *s = buf;
		while (*s == ' ')
			s++;
		if (!*s)
			continue;
		char *dash = strchr(s, '-');
		char *colon = strstr(s, " : ");
		if (!dash || !colon || dash > colon) {
			snprintf(err, errlen, _("line %u: expected 'START-END : NAME'"), line);
			return -EINVAL;
		}
		*dash = '\0';
		*colon = '\0';
		char *e1, *e2;
		errno = 0;
		unsigned long long start = strtoull(s, &e1, 16);
		unsigned long long end = strtoull(dash + 1, &e2, 16);
		if (errno || *e1 || *e2 || e1 == s || e2 == dash + 1 || end < start) {
			snprintf(err, errlen, _("line %u: bad address range"), line);
			return -EINVAL;
		}
		const char *name = colon + 3;
		if (start == 0 && end == 0 && nram == 0 && strcmp(name, "System RAM") == 0) {
			snprintf(err, errlen, _("line %u: addresses are all zero (read /proc/iomem as root)"), line);
			return -EINVAL;
		}
		if (!memmap_add_resource(mm, start, end, name)) {
			snprintf(err, errlen, _("line %u: range overlaps another one partially"), line);
			return -EINVAL;
		}
		if (strcmp(name, "System RAM") == 0) {
			/* PFN_UP / PFN_DOWN: only whole pages are RAM */
			uint64_t s_pfn = (start + PAGE_SIZE - 1) >> PAGE_SHIFT;
			uint64_t e_pfn = (end + 1) >> PAGE_SHIFT;
			if (e_pfn > s_pfn)
				memmap_add_ram(mm, s_pfn << PAGE_SHIFT, e_pfn << PAGE_SHIFT);
			nram++;
		} else if (is_kernel_image(name)) {
			for (int i = 0; i < 3; i++)
				if (!strcmp(name, img_parts[i]))
					img_seen |= 1u << i;
			if (start < img_start)
				img_start = start;
			if (end + 1 > img_end)
				img_end = end + 1;
		}
	}
	if (nram == 0) {
		snprintf(err, errlen, _("no 'System RAM' ranges found"));
		return -EINVAL;
	}
	if (img_seen && img_seen != 7) {
		for (int i = 0; i < 3; i++)
			if (!(img_seen >> i & 1)) {
				snprintf(err, errlen, _("no '%s' line: the kernel image's code, data and bss come together"),
					 img_parts[i]);
				return -EINVAL;
			}
	}
	/* the image is loaded into RAM: one outside it failed at boot as
	 * "page tables: inconsistent mapping" */
	uint64_t ispfn = img_start >> PAGE_SHIFT, iepfn = (img_end + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (img_end && memmap_ram_pages(mm, ispfn, iepfn) != iepfn - ispfn) {
		snprintf(err, errlen, _("the kernel image (0x%llx-0x%llx) is not all in System RAM"),
			 (unsigned long long)img_start, (unsigned long long)img_end - 1);
		return -EINVAL;
	}
	/* memblock_reserve(_text, _end - _text): the whole image, init
	 * sections between data and bss included */
	if (img_end)
		memmap_reserve(mm, img_start & ~(PAGE_SIZE - 1), (img_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1),
			       "kernel image");
	return 0;
}

/* Cut the "System RAM" resources (and what they hold) at limit. */
static void cut_ram_resources(struct resource **pp, uint64_t limit, bool in_ram)
{
	while (*pp) {
		struct resource *r = *pp;
		bool ram = in_ram || strcmp(r->name, "System RAM") == 0;
		if (ram && r->start >= limit) {
			*pp = r->sibling;
			r->sibling = NULL;
			free_tree(r);
			continue;
		}
		if (ram && r->end >= limit)
			r->end = limit - 1;
		cut_ram_resources(&r->child, limit, ram);
		pp = &r->sibling;
	}
}

int memmap_remove_ram_above(struct memmap *mm, uint64_t limit)
{
	uint64_t plimit = limit & ~(PAGE_SIZE - 1);      /* PFN_DOWN of the new end */
	for (size_t i = 0; i < mm->nresv; i++)
		if (mm->resv[i].end > plimit)
			return -EINVAL;
	size_t n = 0;
	for (size_t i = 0; i < mm->nram; i++) {
		if (mm->ram[i].start >= plimit)
			continue;
		mm->ram[n] = mm->ram[i];
		if (mm->ram[n].end > plimit)
			mm->ram[n].end = plimit;
		n++;
	}
	mm->nram = n;
	cut_ram_resources(&mm->root.child, limit, false);
	return 0;
}

/* Count pages of [spfn, epfn) covered by the ranges in v. */
static uint64_t count_pages(const struct phys_range *v, size_t n, uint64_t spfn, uint64_t epfn)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t a = v[i].start >> PAGE_SHIFT, b = v[i].end >> PAGE_SHIFT;
		if (a < spfn)
			a = spfn;
		if (b > epfn)
			b = epfn;
		if (b > a)
			total += b - a;
	}
	return total;
}

uint64_t memmap_ram_pages(const struct memmap *mm, uint64_t spfn, uint64_t epfn)
{
	return count_pages(mm->ram, mm->nram, spfn, epfn);
}

/* reserved pages that are also RAM: every page a reservation touches, once
 * (memblock's small allocations share pages: memblock_free_all() frees
 * PFN_UP(start)..PFN_DOWN(end) of each free range) */
uint64_t memmap_reserved_pages(const struct memmap *mm, uint64_t spfn, uint64_t epfn)
{
	uint64_t total = 0, done = 0;
	for (size_t i = 0; i < mm->nresv; i++) {
		uint64_t a = mm->resv[i].start >> PAGE_SHIFT;
		uint64_t b = (mm->resv[i].end + PAGE_SIZE - 1) >> PAGE_SHIFT;
		if (a < done)
			a = done;       /* the page the previous one ends in */
		done = b;
		if (a < spfn)
			a = spfn;
		if (b > epfn)
			b = epfn;
		if (b > a)
			total += memmap_ram_pages(mm, a, b);
	}
	return total;
}

static int find_in(const struct phys_range *v, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid].end <= addr)
			lo = mid + 1;
		else if (v[mid].start > addr)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

int memmap_pfn_is_ram(const struct memmap *mm, uint64_t pfn)
{
	return find_in(mm->ram, mm->nram, pfn << PAGE_SHIFT);
}

int memmap_pfns_plain_ram(const struct memmap *mm, uint64_t pfn, uint64_t n)
{
	uint64_t a = pfn << PAGE_SHIFT, e = (pfn + n) << PAGE_SHIFT;
	size_t lo = 0, hi = mm->nram;
	while (lo < hi) {                       /* the RAM range holding a */
		size_t mid = (lo + hi) / 2;
		if (mm->ram[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == mm->nram || mm->ram[lo].start > a || mm->ram[lo].end < e)
		return 0;
	for (size_t i = 0; i < mm->nresv; i++)
		if (mm->resv[i].start < e && mm->resv[i].end > a)
			return 0;
	return 1;
}

int memmap_pfn_is_reserved(const struct memmap *mm, uint64_t pfn)
{
	/* a page is reserved if any byte of it is */
	uint64_t a = pfn << PAGE_SHIFT;
	for (size_t i = 0; i < mm->nresv; i++)
		if (mm->resv[i].start < a + PAGE_SIZE && mm->resv[i].end > a)
			return 1;
	return 0;
}

uint64_t memmap_min_pfn(const struct memmap *mm)
{
	return mm->nram ? mm->ram[0].start >> PAGE_SHIFT : 0;
}

uint64_t memmap_max_pfn(const struct memmap *mm)
{
	return mm->nram ? mm->ram[mm->nram - 1].end >> PAGE_SHIFT : 0;
}

const struct resource *memmap_find_resource(const struct memmap *mm, uint64_t phys)
{
	const struct resource *best = NULL, *r = mm->root.child;
	while (r) {
		if (r->start <= phys && r->end >= phys) {
			best = r;
			r = r->child;
			continue;
		}
		r = r->sibling;
	}
	return best;
}

/* memblock_phys_free(): give [start, end) back, splitting the reservations
 * it cuts (a range wholly inside one splits it in two). */
int memmap_unreserve(struct memmap *mm, uint64_t start, uint64_t end)
{
	if (start >= end)
		return 0;
	for (size_t i = 0; i < mm->nresv; i++) {
		struct phys_range *r = &mm->resv[i];
		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			/* a hole in the middle: keep the head here, insert the tail */
			uint64_t tail = r->end;
			r->end = start;
			return range_insert(&mm->resv, &mm->nresv, &mm->cap_resv, end, tail, mm->resv[i].name);
		}
		if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {
			memmove(r, r + 1, (mm->nresv - i - 1) * sizeof *r);
			mm->nresv--;
			i--;
		}
	}
	return 0;
}
