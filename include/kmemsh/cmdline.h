/*
 * cmdline.h - the kernel command line split as the kernel splits it:
 * lib/cmdline.c next_arg() under kernel/params.c parse_args().
 */
#ifndef KMEMSH_CMDLINE_H
#define KMEMSH_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* arch/x86/include/uapi/asm/setup.h; the boot protocol's cmdline_size is
 * COMMAND_LINE_SIZE - 1 (arch/x86/boot/header.S) */
#define COMMAND_LINE_SIZE 2048

/*
 * One pass of parse_args() over a copy of the line (at most
 * COMMAND_LINE_SIZE - 1 bytes of it).  cmdline_next() is next_arg(): words
 * end at any isspace() outside double quotes; the first '=' past the
 * word's first byte splits name from value; a value's leading quote and the
 * word's last quote are dropped.  *param is the word as unknown_bootoption()
 * sees it after repair_env_string(): "name" or "name=value" with the quote
 * taken out, namelen the name's length, *val the value (NULL without '=').
 * With v6 (6.x's parse_args()), a bare "--" ends the pass ("Stop at --",
 * since 3.15): cmdline_next() returns false and sets dashes; called again
 * it goes on with the words after it, as start_kernel()'s second
 * parse_args() ("Setting init args").  Without it, 2.6.32's: "--" is a
 * word, and a word that starts with a quote loses its last quote only when
 * it has an '=' (2.6.32 kernel/params.c next_arg() tests quoted inside
 * its "else" for a value).
 */
struct cmdline_iter {
	char buf[COMMAND_LINE_SIZE];
	char *next;
	bool dashes, v6;
};

void cmdline_iter_init(struct cmdline_iter *it, const char *cmdline, bool v6);
bool cmdline_next(struct cmdline_iter *it, char **param, size_t *namelen, char **val);

#endif
