/*
 * hugetlb.c - the huge page sizes a 6.x kernel registers at boot and the
 * pools the command line asks it to fill (mm/hugetlb.c,
 * arch/x86/mm/hugetlbpage.c; Linux 6.1, which 6.13 follows here).
 *
 * An hstate is one huge page size with its pool.  x86 has the PMD size
 * (2 MiB, 4 MiB on i386 without PAE) and, with the CPU's 1 GiB pages, the
 * PUD size; HUGE_MAX_HSTATE is 2.  parse_args() runs the __setup
 * handlers in the command line's order: hugepagesz= registers a size (and
 * the hugepages= after it counts for that size), hugepages= before any
 * size counts for the default one, default_hugepagesz= names the default.
 * Then gigantic_pages_init() (arch_initcall) registers the PUD size and
 * hugetlb_init() (subsys_initcall) the PMD size, settles the default,
 * fills the pools of the sizes the buddy allocator can give
 * (alloc_pool_huge_page(): one page of order 9 at a time, node after
 * node) and reports each size.  Gigantic pages (above MAX_ORDER) come
 * from memblock at parse time and join their pool in hugetlb_init()
 * (gather_bootmem_prealloc()), managed pages again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/cmdline.h"
#include "kmemsh/gfp.h"
#include "kmemsh/hugetlb.h"
#include "kmemsh/machine.h"
#include "kmemsh/memblock.h"

#define PUD_ORDER 18                    /* x86_64 PUD_SHIFT - PAGE_SHIFT */

void hugetlb_size_string(uint64_t bytes, char *buf, size_t len)
{
	/* lib/string_helpers.c string_get_size(): three significant digits */
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned i = 0;
	uint64_t rem = 0;
	while (bytes >= 1024 && i + 1 < sizeof units / sizeof units[0]) {
		rem = bytes & 1023;
		bytes >>= 10;
		i++;
	}
	unsigned dec = bytes >= 100 ? 0 : bytes >= 10 ? 1 : 2;
	if (!i)
		dec = 0;
	unsigned frac = (unsigned)(rem * 1000 >> 10);   /* three digits, cut to dec below */
	if (dec == 2)
		snprintf(buf, len, "%llu.%02u %s", (unsigned long long)bytes, frac / 10, units[i]);
	else if (dec == 1)
		snprintf(buf, len, "%llu.%u %s", (unsigned long long)bytes, frac / 100, units[i]);
	else
		snprintf(buf, len, "%llu %s", (unsigned long long)bytes, units[i]);
}

static gfp_t gfp_bit(const struct machine *m, const char *name)
{
	gfp_t g;
	return gfp_parse(m->kp, name, &g, NULL) ? 0 : g;
}

static uint64_t page_bytes(unsigned order)
{
	return 4096ull << order;
}

/* hstate_is_gigantic(): above what the buddy allocator gives (6.1
 * order >= MAX_ORDER 11, 6.13 order > MAX_PAGE_ORDER 10) */
static bool gigantic(unsigned order)
{
	return order > 10;
}

/* the kernel's unsigned long: what a 64-bit value stored in one keeps */
static uint64_t to_ulong(const struct machine *m, uint64_t v)
{
	return m->arch->bits == 64 ? v : (uint32_t)v;
}

/* arch_hugetlb_valid_size(): PMD_SIZE, or PUD_SIZE with X86_FEATURE_GBPAGES;
 * the size is (unsigned long)memparse() (hugepagesz_setup()) */
static int valid_order(const struct machine *m, uint64_t size)
{
	size = to_ulong(m, size);
	if (size == page_bytes(m->arch->pageblock_order))
		return (int)m->arch->pageblock_order;
	if (m->gbpages && size == page_bytes(PUD_ORDER))
		return PUD_ORDER;
	return -1;
}

static int find_hstate(const struct hugetlb_state *hs, unsigned order)
{
	for (unsigned i = 0; i < hs->nr_hstates; i++)
		if (hs->h[i].order == order)
			return (int)i;
	return -1;
}

/* hugetlb_add_hstate(): a size already there is left as it is; else the
 * next slot, which becomes parsed_hstate */
static int add_hstate(struct hugetlb_state *hs, unsigned order, int *parsed)
{
	int i = find_hstate(hs, order);
	if (i >= 0 || hs->nr_hstates == HUGE_MAX_HSTATE)
		return i;
	i = (int)hs->nr_hstates++;
	memset(&hs->h[i], 0, sizeof hs->h[i]);
	hs->h[i].order = order;
	if (parsed)
		*parsed = i;
	return i;
}

/* the word's value, up to the next space */
static void word_value(const char *p, size_t n, char *val, size_t len)
{
	size_t vl = n < len - 1 ? n : len - 1;
	memcpy(val, p, vl);
	val[vl] = '\0';
}

/* hugetlb_hstate_alloc_pages() for a gigantic size, from hugepages_setup()
 * or default_hugepagesz_setup(): alloc_bootmem_huge_page() takes each
 * page from memblock (memblock_alloc_try_nid_raw(size, size, 0,
 * MEMBLOCK_ALLOC_ACCESSIBLE, node): top-down, aligned to its size), kept on
 * huge_boot_pages until gather_bootmem_prealloc().  The node is the next
 * in turn (__alloc_bootmem_huge_page(): for_each_node_mask_to_alloc over
 * N_MEMORY); memblock_alloc_range_nid() looks in that node's RAM first and,
 * not exact_nid, in all RAM after, so only a machine without a free
 * aligned page anywhere fails. */
static uint64_t alloc_bootmem_huge_page(struct machine *m, struct hstate_m *h, uint64_t size)
{
	unsigned nodes = m->nr_nodes ? m->nr_nodes : 1;
	unsigned nid = h->next_nid_to_alloc % nodes;
	h->next_nid_to_alloc = (nid + 1) % nodes;
	uint64_t at = ~0ull;
	if (nodes > 1)
		at = memblock_alloc_range(m, size, size, m->node[nid].node_start_pfn << 12,
					  m->node[nid].node_end_pfn << 12, true, "hugetlb");
	if (at == ~0ull)
		at = memblock_alloc_range(m, size, size, 0, m->max_pfn << 12, true, "hugetlb");
	return at;
}

/* hugetlb_hstate_alloc_pages() for a gigantic size: its pages one by one,
 * the kernel's warning when memblock has no more */
static int alloc_gigantic_boot(struct machine *m, int hi, char *err, size_t errlen)
{
	struct hugetlb_state *hs = &m->hugetlb;
	struct hstate_m *h = &hs->h[hi];
	uint64_t size = page_bytes(h->order), i;
	/* a count above what RAM holds is the kernel's warning below, not
	 * an error: the loop ends at memblock's first failure */
	for (i = 0; i < h->max_huge_pages; i++) {
		uint64_t at = alloc_bootmem_huge_page(m, h, size);
		if (at == ~0ull)
			break;
		if (hs->nr_boot == HUGETLB_BOOT_MAX) {  /* more 1 GiB pages than the model's RAM can have */
			model_err_buf(err, errlen, "--cmdline: hugepages=%llu: at most %u boot-time gigantic pages are modelled",
				      (unsigned long long)h->max_huge_pages, HUGETLB_BOOT_MAX);
			return -EINVAL;
		}
		hs->boot_hstate[hs->nr_boot] = (unsigned)hi;
		hs->boot_pfn[hs->nr_boot++] = at >> 12;
	}
	if (i < h->max_huge_pages) {
		char buf[32];
		hugetlb_size_string(size, buf, sizeof buf);
		dmesg_printf(m, "HugeTLB: allocating %llu of page size %s failed.  Only allocated %llu hugepages.",
			     (unsigned long long)h->max_huge_pages, buf, (unsigned long long)i);
		h->max_huge_pages = i;
	}
	return 0;
}

int hugetlb_parse_args(struct machine *m, char *err, size_t errlen)
{
	struct hugetlb_state *hs = &m->hugetlb;
	bool parsed_valid = true;       /* parsed_valid_hugepagesz */
	int parsed = -1;                /* parsed_hstate */
	int last_mhp = -2;              /* last_mhp: -1 the default's count, i hstate i's */
	const char *p = m->cfg.cmdline;
	memset(hs, 0, sizeof *hs);
	if (!p)
		return 0;
	struct cmdline_iter it;
	char *word, *value;
	size_t namelen;
	cmdline_iter_init(&it, p, m->kp->kv != KV_2_6_32);
	while (cmdline_next(&it, &word, &namelen, &value)) {
		p = word;
		size_t n = strlen(p);
		char val[64];
		const char *end;
		if (n >= 11 && strncmp(p, "hugepagesz=", 11) == 0) {
			/* hugepagesz_setup() */
			word_value(p + 11, n - 11, val, sizeof val);
			parsed_valid = false;
			int order = valid_order(m, memblock_memparse(val, &end));
			if (order < 0) {
				dmesg_printf(m, "HugeTLB: unsupported hugepagesz=%s", val);
			} else if (find_hstate(hs, (unsigned)order) >= 0) {
				int i = find_hstate(hs, (unsigned)order);
				/* allowed only for the default size with no count yet */
				if (!hs->parsed_default || i != hs->default_idx || hs->h[i].max_huge_pages) {
					dmesg_printf(m, "HugeTLB: hugepagesz=%s specified twice, ignoring", val);
				} else {
					parsed = i;
					parsed_valid = true;
				}
			} else {
				add_hstate(hs, (unsigned)order, &parsed);
				parsed_valid = true;
			}
		} else if (n >= 19 && strncmp(p, "default_hugepagesz=", 19) == 0) {
			/* default_hugepagesz_setup() */
			word_value(p + 19, n - 19, val, sizeof val);
			parsed_valid = false;
			int order = valid_order(m, memblock_memparse(val, &end));
			if (hs->parsed_default) {
				dmesg_printf(m, "HugeTLB: default_hugepagesz previously specified, ignoring %s", val);
			} else if (order < 0) {
				dmesg_printf(m, "HugeTLB: unsupported default_hugepagesz=%s", val);
			} else {
				add_hstate(hs, (unsigned)order, &parsed);
				parsed_valid = true;
				hs->parsed_default = true;
				hs->default_idx = find_hstate(hs, (unsigned)order);
				if (hs->default_max_param) {
					hs->h[hs->default_idx].max_huge_pages = hs->default_max_param;
					if (gigantic((unsigned)order) && alloc_gigantic_boot(m, hs->default_idx, err, errlen))
						return -EINVAL;
					hs->default_max_param = 0;
				}
			}
		} else if (n >= 10 && strncmp(p, "hugepages=", 10) == 0) {
			/* hugepages_setup() */
			word_value(p + 10, n - 10, val, sizeof val);
			int mhp = hs->nr_hstates ? parsed : -1;
			/* sscanf(p, "%lu%n"): base 10, simple_strntoull()
			 * wrapping past 64 bits, kept in an unsigned long */
			unsigned long long cnt = 0;
			int used = 0;
			while (val[used] >= '0' && val[used] <= '9')
				cnt = cnt * 10 + (unsigned)(val[used++] - '0');
			cnt = to_ulong(m, cnt);
			if (!parsed_valid) {
				dmesg_printf(m, "HugeTLB: hugepages=%s does not follow a valid hugepagesz, ignoring", val);
				parsed_valid = true;
			} else if (mhp == last_mhp) {
				dmesg_printf(m, "HugeTLB: hugepages= specified twice without interleaving hugepagesz=, "
					     "ignoring hugepages=%s", val);
			} else if (!val[0]) {
				last_mhp = mhp;         /* nothing to parse: the count stays */
			} else if (!(val[0] >= '0' && val[0] <= '9')) {
				dmesg_printf(m, "HugeTLB: Invalid hugepages parameter %s", val);
			} else if (val[used] == ':') {
				model_err_buf(err, errlen, "--cmdline: hugepages=%s: a count per node is not modelled", val);
				return -EINVAL;
			} else {
				if (mhp < 0)
					hs->default_max_param = cnt;
				else
					hs->h[mhp].max_huge_pages = cnt;
				/* gigantic pages are taken from memblock here */
				if (mhp >= 0 && gigantic(hs->h[mhp].order) && alloc_gigantic_boot(m, mhp, err, errlen))
					return -EINVAL;
				last_mhp = mhp;
			}
		}
	}
	return 0;
}

/* alloc_pool_huge_page(): the next node in turn (for_each_node_mask_to_alloc),
 * each tried once; alloc_buddy_huge_page() asks htlb_alloc_mask()
 * (GFP_HIGHUSER_MOVABLE: the PMD size can migrate) | __GFP_THISNODE |
 * __GFP_COMP | __GFP_NOWARN, and __GFP_RETRY_MAYFAIL unless that node
 * failed before (node_alloc_noretry) */
static bool alloc_pool_huge_page(struct machine *m, struct hstate_m *h, unsigned *next_nid, bool *noretry)
{
	gfp_t gfp = gfp_bit(m, "GFP_HIGHUSER_MOVABLE") | gfp_bit(m, "__GFP_THISNODE") | gfp_bit(m, "__GFP_COMP") |
		    gfp_bit(m, "__GFP_NOWARN");
	unsigned nodes = m->nr_nodes ? m->nr_nodes : 1;
	for (unsigned k = 0; k < nodes; k++) {
		unsigned nid = *next_nid;
		*next_nid = (nid + 1) % nodes;
		bool hard = !noretry[nid];
		uint64_t pfn;
		int r = buddy_alloc_pages_node(m, (int)nid, gfp | (hard ? gfp_bit(m, "__GFP_RETRY_MAYFAIL") : 0),
					       h->order, &pfn);
		if (!r && !hard)
			noretry[nid] = false;
		if (r && hard)
			noretry[nid] = true;
		if (r) {
			m->hugetlb.buddy_alloc_fail++;
			continue;
		}
		m->hugetlb.buddy_alloc_success++;
		h->nr_huge_pages++;
		h->free_huge_pages++;
		h->nr_node[nid]++;
		h->free_node[nid]++;
		return true;
	}
	return false;
}

void hugetlb_init(struct machine *m)
{
	struct hugetlb_state *hs = &m->hugetlb;
	/* gigantic_pages_init() (arch/x86/mm/hugetlbpage.c, CONFIG_CONTIG_ALLOC) */
	if (m->gbpages)
		add_hstate(hs, PUD_ORDER, NULL);
	/* hugetlb_init(): HUGETLB_PAGE_ORDER's hstate always exists */
	add_hstate(hs, m->arch->pageblock_order, NULL);
	if (!hs->parsed_default) {
		hs->default_idx = find_hstate(hs, m->arch->pageblock_order);
		struct hstate_m *d = &hs->h[hs->default_idx];
		if (hs->default_max_param) {
			if (d->max_huge_pages) {
				char buf[32];
				hugetlb_size_string(page_bytes(d->order), buf, sizeof buf);
				dmesg_printf(m, "HugeTLB: Ignoring hugepages=%llu associated with %s page size",
					     (unsigned long long)d->max_huge_pages, buf);
				dmesg_printf(m, "HugeTLB: Using hugepages=%llu for number of default huge pages",
					     (unsigned long long)hs->default_max_param);
			}
			d->max_huge_pages = hs->default_max_param;
		}
	}
	/* hugetlb_init_hstates() → hugetlb_hstate_alloc_pages() for the sizes
	 * the buddy allocator gives */
	for (unsigned i = 0; i < hs->nr_hstates; i++) {
		struct hstate_m *h = &hs->h[i];
		if (gigantic(h->order))
			continue;
		bool noretry[MAX_NUMNODES_MODEL] = { false };
		uint64_t n = 0;
		while (n < h->max_huge_pages && alloc_pool_huge_page(m, h, &h->next_nid_to_alloc, noretry))
			n++;
		if (n < h->max_huge_pages) {
			char buf[32];
			hugetlb_size_string(page_bytes(h->order), buf, sizeof buf);
			dmesg_printf(m, "HugeTLB: allocating %llu of page size %s failed.  Only allocated %llu hugepages.",
				     (unsigned long long)h->max_huge_pages, buf, (unsigned long long)n);
			h->max_huge_pages = n;
		}
	}
	/* gather_bootmem_prealloc(): each gigantic page memblock gave joins
	 * its pool, its pages managed again (adjust_managed_page_count()),
	 * GFP_HIGHUSER (a gigantic size cannot migrate) | __GFP_COMP */
	gfp_t ggfp = gfp_bit(m, "GFP_HIGHUSER") | gfp_bit(m, "__GFP_COMP");
	for (unsigned i = 0; i < hs->nr_boot; i++) {
		struct hstate_m *h = &hs->h[hs->boot_hstate[i]];
		uint64_t pfn = hs->boot_pfn[i];
		if (buddy_adopt_reserved_range(m, pfn, pfn + (1ull << h->order), ggfp))
			continue;
		int z = machine_pfn_zone(m, pfn);
		unsigned nid = z >= 0 ? (unsigned)m->zones[z].nid : 0;
		h->nr_huge_pages++;
		h->free_huge_pages++;
		h->nr_node[nid]++;
		h->free_node[nid]++;
	}
	/* report_hugepages(): hugetlb_vmemmap_optimizable_size() is the
	 * huge page's struct pages less the one page kept
	 * (HUGETLB_VMEMMAP_RESERVE_SIZE), x86_64 only (HVO needs
	 * SPARSEMEM_VMEMMAP; sizeof(struct page) 64, a power of two) */
	for (unsigned i = 0; i < hs->nr_hstates; i++) {
		const struct hstate_m *h = &hs->h[i];
		char buf[32];
		hugetlb_size_string(page_bytes(h->order), buf, sizeof buf);
		dmesg_printf(m, "HugeTLB: registered %s page size, pre-allocated %llu pages", buf,
			     (unsigned long long)h->free_huge_pages);
		uint64_t hvo = m->arch->bits == 64 ? ((1ull << h->order) * 64 - 4096) >> 10 : 0;
		dmesg_printf(m, "HugeTLB: %llu KiB vmemmap can be freed for a %s page", (unsigned long long)hvo, buf);
	}
}

const struct hstate_m *hugetlb_default_hstate(const struct machine *m)
{
	const struct hugetlb_state *hs = &m->hugetlb;
	return hs->nr_hstates ? &hs->h[hs->default_idx] : NULL;
}

uint64_t hugetlb_total_kb(const struct machine *m)
{
	uint64_t kb = 0;
	for (unsigned i = 0; i < m->hugetlb.nr_hstates; i++)
		kb += m->hugetlb.h[i].nr_huge_pages * (page_bytes(m->hugetlb.h[i].order) >> 10);
	return kb;
}

/* ---- 2.6.32 ------------------------------------------------------------------
 *
 * 2.6.32's mm/hugetlb.c has no hugetlb_add_hstate() at parse time on
 * i386: hugepagesz= is arch/x86/mm/hugetlbpage.c's setup_hugepagesz(),
 * under CONFIG_X86_64 only, so every hugepages= counts for the default
 * hstate (default_hstate_max_huge_pages), and default_hugepagesz= of any
 * size but HPAGE_SIZE is undone by hugetlb_init() (the only hstate is
 * HUGETLB_PAGE_ORDER's).  The pool is filled from the buddy allocator at
 * module_init time, without a line for a shortfall.
 */

/*
 * hugetlb_nrpages_setup() (2.6.32), the __setup("hugepages=") handler:
 * a second hugepages= for the same count is warned about and ignored;
 * sscanf("%lu") of no number leaves 0 (the kernel's vsscanf() takes no
 * sign for %lu), and a number too large wraps as simple_strtoul() lets it.
 */
int hugetlb_parse_args_2_6_32(struct machine *m, char *err, size_t errlen)
{
	struct hugetlb_state *hs = &m->hugetlb;
	const char *p = m->cfg.cmdline;
	bool seen = false;              /* last_mhp == &default_hstate_max_huge_pages */
	memset(hs, 0, sizeof *hs);
	if (!p)
		return 0;
	struct cmdline_iter it;
	char *word, *value;
	size_t namelen;
	cmdline_iter_init(&it, p, m->kp->kv != KV_2_6_32);
	while (cmdline_next(&it, &word, &namelen, &value)) {
		p = word;
		size_t n = strlen(p);
		if (n >= 11 && strncmp(p, "hugepagesz=", 11) == 0 && m->arch->bits == 64) {
			model_err_buf(err, errlen, "--cmdline: hugepagesz=: 2.6.32's x86_64 setup_hugepagesz() "
				      "is not modelled (use --kernel 6.1 or 6.13)");
			return -EINVAL;
		}
		if (n >= 10 && strncmp(p, "hugepages=", 10) == 0) {
			char val[64];
			word_value(p + 10, n - 10, val, sizeof val);
			if (seen) {
				dmesg_printf(m, "hugepages= specified twice without interleaving hugepagesz=, ignoring");
			} else {
				/* simple_strtoul(): the digits wrap in an
				 * unsigned long long, cut to unsigned long */
				uint64_t cnt = 0;
				for (const char *d = val; *d >= '0' && *d <= '9'; d++)
					cnt = cnt * 10 + (uint64_t)(*d - '0');
				if (m->arch->bits == 32)
					cnt &= 0xffffffffull;
				hs->default_max_param = cnt;
				seen = true;
			}
		}
	}
	return 0;
}

/*
 * hugetlb_init() (2.6.32, module_init): the HUGETLB_PAGE_ORDER hstate
 * (4 MiB without PAE, 2 MiB with it) becomes the default and takes
 * default_hstate_max_huge_pages; hugetlb_hstate_alloc_pages() calls
 * alloc_fresh_huge_page() until one fails and keeps what it got as
 * max_huge_pages; each try is alloc_pages_exact_node(nid,
 * htlb_alloc_mask (GFP_HIGHUSER: hugepages_treat_as_movable is 0) |
 * __GFP_COMP | __GFP_THISNODE | __GFP_REPEAT | __GFP_NOWARN, order),
 * node after node from hstate_next_node_to_alloc(), counted in
 * HTLB_BUDDY_PGALLOC(_FAIL) once per alloc_fresh_huge_page().  Then
 * report_hugepages(): "HugeTLB registered %s page size, pre-allocated
 * %ld pages" with memfmt() ("%lu MB").
 */
void hugetlb_init_2_6_32(struct machine *m)
{
	struct hugetlb_state *hs = &m->hugetlb;
	int hi = add_hstate(hs, m->arch->pageblock_order, NULL);
	hs->default_idx = hi;
	struct hstate_m *h = &hs->h[hi];
	h->max_huge_pages = hs->default_max_param;
	gfp_t gfp = gfp_bit(m, "GFP_HIGHUSER") | gfp_bit(m, "__GFP_COMP") | gfp_bit(m, "__GFP_THISNODE") |
		    gfp_bit(m, "__GFP_REPEAT") | gfp_bit(m, "__GFP_NOWARN");
	unsigned nodes = m->nr_nodes ? m->nr_nodes : 1, next_nid = 0;
	uint64_t i;
	for (i = 0; i < h->max_huge_pages; i++) {
		bool got = false;
		for (unsigned k = 0; k < nodes && !got; k++) {
			unsigned nid = next_nid;
			uint64_t pfn;
			next_nid = (nid + 1) % nodes;
			if (buddy_alloc_pages_node(m, (int)nid, gfp, h->order, &pfn))
				continue;
			got = true;
			h->nr_huge_pages++;
			h->free_huge_pages++;
			h->nr_node[nid]++;
			h->free_node[nid]++;
		}
		if (got)
			hs->buddy_alloc_success++;
		else
			hs->buddy_alloc_fail++;
		if (!got)
			break;
	}
	h->max_huge_pages = i;
	dmesg_printf(m, "HugeTLB registered %llu MB page size, pre-allocated %llu pages",
		     (unsigned long long)(page_bytes(h->order) >> 20), (unsigned long long)h->free_huge_pages);
}
