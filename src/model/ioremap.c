/*
 * ioremap.c - mapping device memory: cache modes and their PTE bits.
 *
 * arch/x86/mm/pat/memtype.c (6.13) programs the PAT MSR with
 * PAT_VALUE(WB, WC, UC_MINUS, UC, WB, WP, UC_MINUS, WT) and a 4 KiB PTE
 * selects slot PAT<<2 | PCD<<1 | PWT; 2.6.32 (arch/x86/mm/pat.c) programs
 * WB WC UC- UC WB WC UC- UC and knows no WT or WP (kernel-facts §7.2).
 */
#include "kmemsh/ioremap.h"
#include "kmemsh/pgtable.h"

static const char *const pcm_names[NR_PCM] = {
	[PCM_WB] = "WB", [PCM_WC] = "WC", [PCM_UC_MINUS] = "UC-", [PCM_UC] = "UC", [PCM_WT] = "WT", [PCM_WP] = "WP",
};

const char *ioremap_pcm_name(unsigned pcm)
{
	return pcm < NR_PCM ? pcm_names[pcm] : "?";
}

/* the PAT slot of each mode, as (PAT, PCD, PWT) bits of a 4 KiB pte */
static const uint64_t pcm_bits_613[NR_PCM] = {
	[PCM_WB] = 0,
	[PCM_WC] = _PAGE_PWT,
	[PCM_UC_MINUS] = _PAGE_PCD,
	[PCM_UC] = _PAGE_PCD | _PAGE_PWT,
	[PCM_WP] = _PAGE_PAT | _PAGE_PWT,
	[PCM_WT] = _PAGE_PAT | _PAGE_PCD | _PAGE_PWT,
};

uint64_t ioremap_cachemode2protval(const struct machine *m, enum page_cache_mode pcm)
{
	if (pcm >= NR_PCM)
		return 0;
	if (m->kp->kv == KV_2_6_32 && (pcm == PCM_WT || pcm == PCM_WP))
		pcm = PCM_UC_MINUS;
	return pcm_bits_613[pcm];
}
