/*
 * hugetlb.h - the huge page sizes a 6.x kernel registers at boot and the
 * pools hugepages= asks it to fill (mm/hugetlb.c).
 *
 * The state lives in struct machine (machine.h, struct hugetlb_state);
 * these are the boot steps that fill it and what the views read.
 */
#ifndef KMEMSH_HUGETLB_H
#define KMEMSH_HUGETLB_H

#include <stddef.h>
#include <stdint.h>

struct machine;

/* string_get_size(size, 1, STRING_UNITS_2, buf, len): "2.00 MiB" */
void hugetlb_size_string(uint64_t bytes, char *buf, size_t len);

/* parse_args()'s __setup handlers hugepagesz=, hugepages= and
 * default_hugepagesz=, in the command line's order, with their messages.
 * -EINVAL (err set) for what the model does not follow: a node list
 * (hugepages=N:M) or a count of gigantic pages (boot-time memblock
 * pages). */
int hugetlb_parse_args(struct machine *m, char *err, size_t errlen);

/* gigantic_pages_init() (arch_initcall) and hugetlb_init()
 * (subsys_initcall): the PUD and PMD sizes registered, the default size
 * settled, the pools of the non-gigantic sizes allocated from the buddy
 * allocator, and report_hugepages()'s lines. */
void hugetlb_init(struct machine *m);

/* The default hstate, or NULL when none is registered. */
const struct hstate_m *hugetlb_default_hstate(const struct machine *m);

/* hugetlb_report_meminfo()'s "Hugetlb:": every size's pages, in kB */
uint64_t hugetlb_total_kb(const struct machine *m);

/* 2.6.32's hugetlb_nrpages_setup() for each hugepages= of the command
 * line (at parse_args() time), and its hugetlb_init() (module_init): the
 * PMD size's pool from the buddy allocator and the "HugeTLB registered"
 * line.  0 or -EINVAL with the message in err. */
int hugetlb_parse_args_2_6_32(struct machine *m, char *err, size_t errlen);
void hugetlb_init_2_6_32(struct machine *m);

#endif
