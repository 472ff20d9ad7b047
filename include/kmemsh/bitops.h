/*
 * bitops.h - include/linux/bitops.h's fls() for the model and the views.
 */
#ifndef KMEMSH_BITOPS_H
#define KMEMSH_BITOPS_H

/* fls64(): the 1-based index of the most significant set bit, 0 for 0 */
static inline unsigned kmemsh_fls64(unsigned long long x)
{
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
}

#endif
