/*
 * core.c - the machine's state: what every layer above reads and writes,
 * and nothing that allocates from the model.
 *
 * The page store (struct pages per touched chunk, synthesized for the
 * rest, as SPARSEMEM keeps memmaps only for present sections), the
 * pageblock migratetypes (include/linux/pageblock-flags.h), the dmesg ring
 * (kernel/printk/printk.c), the change log, the taint flags
 * (kernel/panic.c), the address conversions of the modelled kernel
 * (__va, __pa, page_to_pfn through mem_map or vmemmap), memparse()
 * (lib/cmdline.c) and int_sqrt() (lib/math/int_sqrt.c).
 *
 * Layer 2 of the model (DESIGN.md): it calls only the profiles and the
 * physical map (memmap.c), never the page or slab allocator.  boot.c fills
 * it in; buddy.c owns the free lists the page store's chunks sit on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kmemsh/cmdline.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"

/* ---- sizes ----------------------------------------------------------- */

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	/* the common case, a plain decimal of at most 19 digits (no overflow),
	 * without strtoull's locale and base handling; a leading 0 is octal
	 * there, so it takes the general way */
	if (*s >= '1' && *s <= '9') {
		uint64_t d = 0;
		const char *p = s;
		for (; *p >= '0' && *p <= '9' && p - s < 19; p++)
			d = d * 10 + (uint64_t)(*p - '0');
		if (!*p) {
			*out = d;
			return 0;
		}
	}
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s)
		return -EINVAL;
	/* a decimal fraction (3.5G) where it makes whole bytes */
	uint64_t frac = 0, scale = 1;
	if (*end == '.' && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) {
		end++;
		if (!isdigit((unsigned char)*end))
			return -EINVAL;
		for (; isdigit((unsigned char)*end); end++) {
			if (scale > UINT64_MAX / 10 / 1024)
				return -EINVAL;     /* more digits than any suffix can make whole */
			frac = frac * 10 + (uint64_t)(*end - '0');
			scale *= 10;
		}
		if (!strchr("kKmMgGtT", *end) || !*end)
			return -EINVAL;     /* a fraction of a byte */
	}
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -EINVAL;
	}
	if (shift && (*end == 'B' || *end == 'b'))
		end++;
	else if (shift && (*end == 'i') && (end[1] == 'B'))
		end += 2;
	if (*end)
		return -EINVAL;
	if (shift && v > (~0ull >> shift))
		return -ERANGE;
	uint64_t part = 0;
	if (scale > 1) {
		/* frac/scale of 2^shift bytes: exact only if scale divides frac << shift */
		if (frac > (~0ull >> shift) || ((frac << shift) % scale))
			return -EINVAL;
		part = (frac << shift) / scale;
		if (((uint64_t)v << shift) > UINT64_MAX - part)
			return -ERANGE;
	}
	*out = ((uint64_t)v << shift) + part;
	return 0;
}

/* ---- the one-line error of a failure ----------------------------------- */

/* fmt is a msgid: gettext() looks it up in the user's catalogue (the
 * explanatory layer, kmemsh/i18n.h) and the arguments are formatted into it.
 * A lookup is not output: the model still prints nothing. */
static int err_vformat(struct machine *m, size_t at, const char *fmt, va_list ap)
{
	if (at >= sizeof m->err)
		return 0;
	return vsnprintf(m->err + at, sizeof m->err - at, _(fmt), ap);
}

int model_err(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = err_vformat(m, 0, fmt, ap);
	va_end(ap);
	return n;
}

int model_err_buf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, _(fmt), ap);
	va_end(ap);
	return n;
}

int model_err_cat(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = err_vformat(m, strlen(m->err), fmt, ap);
	va_end(ap);
	return n;
}

/* ---- dmesg and change log ------------------------------------------- */

bool machine_ratelimit(struct machine *m, struct model_ratelimit *rs, uint64_t interval_us, unsigned burst,
		       const char *func)
{
	bool old = m->kp->kv == KV_2_6_32;
	if (!rs->begun) {                       /* if (!rs->begin) rs->begin = jiffies; */
		rs->begun = true;
		rs->begin_us = m->clock_us;
	}
	/* time_is_before_jiffies(rs->begin + rs->interval): now is past it */
	if (m->clock_us > rs->begin_us + interval_us) {
		if (rs->missed)
			dmesg_printf(m, "%s: %u callbacks suppressed", func, rs->missed);
		rs->missed = 0;
		rs->printed = 0;
		/* 2.6.32: rs->begin = 0 (the next call starts the interval);
		 * 6.x: rs->begin = jiffies */
		rs->begun = !old;
		rs->begin_us = m->clock_us;
	}
	if (burst > rs->printed) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}


void dmesg_printf(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);

	/* the slots grow to DMESG_RING, then the ring wraps: a million
	 * failing allocations keep 4096 lines, not a million slots */
	struct dmesg *d = &m->dmesg;
	if (d->n == d->cap && d->cap < DMESG_RING) {
		size_t nc = d->cap ? d->cap * 2 : 256;
		struct dmesg_line *nv = realloc(d->v, nc * sizeof *nv);
		if (!nv)
			return;
		d->v = nv;
		d->cap = nc;
	}
	char *t = strdup(buf);
	if (!t)
		return;
	/* the oldest line gives its slot to the new one */
	if (d->n - d->start == DMESG_RING) {
		free(dmesg_slot(d, d->start)->text);
		dmesg_slot(d, d->start)->text = NULL;
		d->start++;
		if (d->seen < d->start)
			d->seen = d->start;
	}
	dmesg_slot(d, d->n)->ts_us = m->clock_us;
	dmesg_slot(d, d->n)->text = t;
	d->n++;
}

void changelog_reset(struct machine *m)
{
	m->log.n = 0;
	m->log.dropped = 0;
}

void changelog_add(struct machine *m, const struct change *c)
{
	struct changelog *l = &m->log;
	if (!l->enabled)
		return;
	if (l->n == l->cap) {
		if (l->cap >= 65536) {
			l->dropped++;
			return;
		}
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct change *nv = realloc(l->v, nc * sizeof *nv);
		if (!nv) {
			l->dropped++;
			return;
		}
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = *c;
}

/* ---- page descriptors ------------------------------------------------ */

/* the zone of every pfn of [base, base + n), as machine_pfn_zone() gives
 * it, or -2 when they differ */
static int span_zone(const struct machine *m, uint64_t base, uint64_t n)
{
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		uint64_t zs = z->start_pfn, ze = z->start_pfn + z->spanned;
		if (!z->spanned || ze <= base || zs >= base + n)
			continue;
		return zs <= base && ze >= base + n ? i : -2;
	}
	return -1;
}

static void init_chunk(const struct machine *m, struct page *pg, uint64_t chunk)
{
	uint64_t base = chunk << CHUNK_SHIFT;
	int zone = span_zone(m, base, CHUNK_PAGES);
	if (zone != -2 && memmap_pfns_plain_ram(&m->memmap, base, CHUNK_PAGES)) {
		/* one zone, all RAM, nothing reserved: the loop below, at once */
		for (unsigned i = 0; i < CHUNK_PAGES; i++) {
			struct page *p = &pg[i];
			p->next = p->prev = NODE_NIL;
			p->gfp = 0;
			p->order = 0;
			p->mt = 0;
			p->zone = (uint8_t)(zone < 0 ? 0xff : zone);
			p->flags = 0;
		}
		return;
	}
	for (unsigned i = 0; i < CHUNK_PAGES; i++) {
		uint64_t pfn = base + i;
		struct page *p = &pg[i];
		p->next = p->prev = NODE_NIL;
		p->gfp = 0;
		p->order = 0;
		p->mt = 0;
		int z = machine_pfn_zone(m, pfn);
		p->zone = (uint8_t)(z < 0 ? 0xff : z);
		if (!memmap_pfn_is_ram(&m->memmap, pfn))
			p->flags = PG_hole | PG_reserved;
		else if (memmap_pfn_is_reserved(&m->memmap, pfn))
			p->flags = PG_reserved;
		else
			p->flags = 0;
	}
}

struct page *page_touched(struct machine *m, uint64_t pfn)
{
	uint64_t c = pfn >> CHUNK_SHIFT;
	if (pfn >= m->max_pfn || c >= m->nr_chunks || !m->chunk[c])
		return NULL;
	return &m->chunk[c][pfn & (CHUNK_PAGES - 1)];
}

/* Look at a page without materializing; untouched chunks are synthesized
 * into *tmp. */
const struct page *page_peek(const struct machine *m, uint64_t pfn, struct page *tmp)
{
	uint64_t c = pfn >> CHUNK_SHIFT;
	if (pfn >= m->max_pfn || c >= m->nr_chunks)
		return NULL;
	if (m->chunk[c])
		return &m->chunk[c][pfn & (CHUNK_PAGES - 1)];
	memset(tmp, 0, sizeof *tmp);
	tmp->next = tmp->prev = NODE_NIL;
	int z = machine_pfn_zone(m, pfn);
	tmp->zone = (uint8_t)(z < 0 ? 0xff : z);
	if (!memmap_pfn_is_ram(&m->memmap, pfn)) {
		tmp->flags = PG_hole | PG_reserved;
	} else if (memmap_pfn_is_reserved(&m->memmap, pfn)) {
		tmp->flags = PG_reserved;
	} else if ((pfn & (CHUNK_PAGES - 1)) == 0) {
		/* head of an untouched free MAX_ORDER block */
		tmp->flags = PG_buddy;
		tmp->order = MAX_ORDER_MODEL;
		tmp->mt = (uint8_t)get_pageblock_mt(m, pfn);
	}
	return tmp;
}

/* Allocate and initialise descriptors for chunk c (no list changes).  An
 * untouched free chunk sits inside a segment on a free list: buddy.c, which
 * owns the lists, splits the segment around it (buddy_materialize()). */
uint64_t machine_touched_from(const struct machine *m, uint64_t c)
{
	uint64_t lo = 0, hi = m->materialized;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (m->touched[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct page *machine_new_chunk(struct machine *m, uint64_t c)
{
	if (m->materialized == m->cap_touched) {
		uint64_t nc = m->cap_touched ? m->cap_touched * 2 : 64;
		uint64_t *nt = realloc(m->touched, nc * sizeof *nt);
		if (!nt)
			return NULL;
		m->touched = nt;
		m->cap_touched = nc;
	}
	struct page *pg = malloc(CHUNK_PAGES * sizeof *pg);
	if (!pg)
		return NULL;
	init_chunk(m, pg, c);
	m->chunk[c] = pg;
	/* kept sorted: chunks are made far less often than they are walked */
	uint64_t at = machine_touched_from(m, c);
	memmove(m->touched + at + 1, m->touched + at, (m->materialized - at) * sizeof *m->touched);
	m->touched[at] = c;
	m->materialized++;
	return pg;
}

void set_pageblock_mt(struct machine *m, uint64_t pfn, int mt)
{
	uint64_t i = pfn >> m->pageblock_order;
	if (i >= m->nr_pb)
		return;
	int old = get_pageblock_mt(m, pfn);
	if (old == mt)
		return;
	m->pb_mt[i] = (uint8_t)(mt + 1);
	/* pageblock counts for /proc/pagetypeinfo, per zone the block starts in */
	int z = machine_pfn_zone(m, pfn);
	if (z >= 0) {
		struct zone *zn = &m->zones[z];
		if (zn->nr_pageblocks[old])
			zn->nr_pageblocks[old]--;
		zn->nr_pageblocks[mt]++;
	}
	struct change c = { .kind = CH_RETYPE, .zone = (uint8_t)(z < 0 ? 0 : z),
			    .pfn = i << m->pageblock_order, .mt = (uint8_t)old, .mt2 = (uint8_t)mt };
	changelog_add(m, &c);
}

/* ---- addresses -------------------------------------------------------- */

uint64_t machine_page_ptr(const struct machine *m, uint64_t pfn)
{
	if (m->layout.vmemmap_base)
		return m->layout.vmemmap_base + pfn * m->struct_page_size;
	/* FLATMEM: mem_map[] is a lowmem array, addressed through the direct map */
	return m->direct_map + m->mem_map_phys + pfn * m->struct_page_size;
}

int machine_page_ptr_to_pfn(const struct machine *m, uint64_t ptr, uint64_t *pfn)
{
	uint64_t base = machine_page_ptr(m, 0);
	if (ptr < base)
		return -EFAULT;
	uint64_t off = ptr - base;
	if (off % m->struct_page_size)
		return -EINVAL;
	uint64_t p = off / m->struct_page_size;
	if (p >= m->max_pfn)
		return -EFAULT;
	*pfn = p;
	return 0;
}

bool machine_pfn_has_vaddr(const struct machine *m, uint64_t pfn)
{
	return pfn < m->max_low_pfn;
}

int machine_pfn_zone(const struct machine *m, uint64_t pfn)
{
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->spanned && pfn >= z->start_pfn && pfn < z->start_pfn + z->spanned)
			return i;
	}
	return -1;
}

/* "Normal", or with nodes "1:Normal" (the zone of node 1); a bare name on
 * a machine with nodes is the first node's populated zone of that name */
int machine_zone_by_name(const struct machine *m, const char *name)
{
	if (m->nr_nodes > 1) {
		for (int i = 0; i < m->nr_zones; i++)
			if (strcasecmp(m->zones[i].label, name) == 0)
				return i;
		for (int i = 0; i < m->nr_zones; i++)
			if (m->zones[i].present && strcasecmp(m->zones[i].name, name) == 0)
				return i;
	}
	for (int i = 0; i < m->nr_zones; i++)
		if (strcasecmp(m->zones[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- numbers and taint ------------------------------------------------ */

/* lib/math/int_sqrt.c */
uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0, b = 1ull << 62;
	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

/*
 * print_tainted() (kernel/panic.c): "Tainted: " and one character per
 * taint flag in bit order, the flag's letter when set, else its blank
 * ('G' for TAINT_PROPRIETARY_MODULE); "Not tainted" when none is set.
 * 2.6.32's tnts[] has 11 flags (P/G F S R M B U D A W C); 6.13's
 * taint_flags[] has TAINT_FLAGS_COUNT = 19 (… C I O E L K X T N).  The
 * model sets B (bad page, KASAN/slab debug reports), D (an oops: BUG(),
 * BUG_ON(), die()) and W (WARN()).  The string is overwritten by the next
 * call, as the kernel's is; it holds no model state.
 */
const char *machine_print_tainted(const struct machine *m)
{
	static const char letters_2_6_32[] = "PFSRMBUDAWC";
	static const char letters_6_13[] = "PFSRMBUDAWCIOELKXTN";
	static _Thread_local char buf[sizeof "Tainted: " + sizeof letters_6_13];
	const char *letters = m->kp->kv == KV_2_6_32 ? letters_2_6_32 : letters_6_13;
	unsigned long known = (1ul << strlen(letters)) - 1;
	if (!(m->taint & known))
		return "Not tainted";
	char *s = buf + sprintf(buf, "Tainted: ");
	for (unsigned i = 0; letters[i]; i++)
		*s++ = m->taint & (1ul << i) ? letters[i] : i == 0 ? 'G' : ' ';
	*s = '\0';
	return buf;
}

/*
 * 6.13 lib/dump_stack.c dump_stack_print_info(): "CPU: N UID: 0 PID: 1
 * Comm: kmemsh <print_tainted()> 6.13.7 #1", then, when tainted,
 * print_tainted_verbose(): "Tainted: [B]=BAD_PAGE, [D]=DIE, [W]=WARN"
 * (each set flag's letter and TAINT_FLAG() name, in bit order).
 */
void machine_dump_stack_info(struct machine *m, unsigned cpu)
{
	machine_dump_stack_info_task(m, cpu, 1, "kmemsh");
}

void machine_dump_stack_info_task(struct machine *m, unsigned cpu, int pid, const char *comm)
{
	static const char *const names[] = { "PROPRIETARY_MODULE", "FORCED_MODULE", "CPU_OUT_OF_SPEC",
		"FORCED_RMMOD", "MACHINE_CHECK", "BAD_PAGE", "USER", "DIE", "OVERRIDDEN_ACPI_TABLE", "WARN" };
	static const char letters[] = "PFSRMBUDAW";
	if (m->kp->kv == KV_6_1) {
		/* 6.1 lib/dump_stack.c: no UID, the Debian build's release and
		 * LINUX_PACKAGE_ID (the real machines' uname), and no
		 * print_tainted_verbose() line */
		const char *rel = m->arch->bits == 64 ? "6.1.0-50-amd64" : m->arch->pae ? "6.1.0-50-686-pae" : "6.1.0-50-686";
		dmesg_printf(m, "CPU: %u PID: %d Comm: %.15s %s %s #1 Debian 6.1.176-1", cpu, pid, comm,
			     machine_print_tainted(m), rel);
		return;
	}
	dmesg_printf(m, "CPU: %u UID: 0 PID: %d Comm: %.15s %s 6.13.7 #1", cpu, pid, comm, machine_print_tainted(m));
	char buf[160] = "Tainted: ";
	size_t n = strlen(buf);
	const char *sep = "";
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(m->taint & (1ul << i)))
			continue;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s[%c]=%s", sep, letters[i], names[i]);
		sep = ", ";
		if (n >= sizeof buf)
			break;
	}
	if (*sep)
		dmesg_printf(m, "%s", buf);
}

int machine_set_cpu(struct machine *m, unsigned cpu)
{
	if (cpu >= m->ncpus) {
		model_err(m, "CPU %u does not exist (this machine has %u)", cpu, m->ncpus);
		return -EINVAL;
	}
	m->this_cpu = cpu;
	return 0;
}

/* ---- host memory -------------------------------------------------------- */

size_t machine_host_bytes(const struct machine *m)
{
	return (size_t)(m->materialized * CHUNK_PAGES * sizeof(struct page) +
			m->nr_chunks * sizeof(struct page *) + m->cap_seg * sizeof(struct segment) + m->nr_pb +
			m->cap_touched * sizeof *m->touched);
}

bool machine_cmdline_any(const struct machine *m, bool (*fn)(void *arg, const char *word, size_t len), void *arg)
{
	struct cmdline_iter it;
	char *p, *v;
	size_t k;
	cmdline_iter_init(&it, m->cfg.cmdline, m->kp->kv != KV_2_6_32);
	while (cmdline_next(&it, &p, &k, &v))
		if (fn(arg, p, strlen(p)))
			return true;
	return false;
}

static bool is_word(void *arg, const char *w, size_t len)
{
	const char *word = arg;
	return len == strlen(word) && !strncmp(w, word, len);
}

bool machine_cmdline_word(const struct machine *m, const char *word)
{
	return machine_cmdline_any(m, is_word, (void *)word);
}
