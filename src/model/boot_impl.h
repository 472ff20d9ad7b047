/*
 * boot_impl.h - boot_early.c's part of machine_create() (boot.c only).
 */
#ifndef KMEMSH_BOOT_IMPL_H
#define KMEMSH_BOOT_IMPL_H

#include <stddef.h>

struct machine;

/* linux_banner, "Command line:" (x86_64), "BIOS-provided physical RAM
 * map:" and its BIOS-e820 lines */
void early_boot_messages(struct machine *m);
/* after parse_early_param(): mem='s removal and "user-defined physical
 * RAM map:"; 0 or -EINVAL with err */
int e820_finish_early_params(struct machine *m, char *err, size_t errlen);
/* trim_bios_range()'s lines and "last_pfn = ..." */
void e820_trim_messages(struct machine *m);
/* --cmdline, else with --from the snapshot's proc/cmdline: the line the
 * kernel printed (in buf when it is proc/cmdline's) */
const char *printed_cmdline(const struct machine *m, char *buf, size_t len);
/* unknown_bootoption() over line: "init" or "env" with the word in at when
 * the kernel would panic "Too many boot %s vars at `%s'", else NULL; argv
 * and envp (COMMAND_LINE_SIZE each, or NULL) get " word" per word */
const char *unknown_bootoptions(const struct machine *m, const char *line, char *argv, char *envp, char *at,
				size_t atlen);
/* 6.x: "Unknown kernel command line parameters ..." */
void print_unknown_bootoptions(struct machine *m);

#endif
