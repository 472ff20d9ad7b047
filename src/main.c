/*
 * main.c - kmemsh: options, then a prompt, a script, or -c commands.
 *
 * Exit status: 0 when every command succeeded, 1 when one failed, 2 for a
 * usage error (bad option, unreadable file, impossible machine).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kmemsh/cli.h"
#include "kmemsh/i18n.h"
#include "kmemsh/snapshot.h"

#define MAX_C_OPTS 64

static void usage(FILE *f)
{
	fputs(_(
		"usage: kmemsh [options] [script]\n"
		"       kmemsh [options] replay TRACE|- [replay options]\n"
		"\n"
		"  -a, --arch NAME       machine: i386 (default), i386-pae, x86_64 or x86_64-la57\n"
		"      --pae             i386 with PAE page tables (--arch i386-pae)\n"
		"      --la57            x86_64 with 5-level page tables (--arch x86_64-la57)\n"
		"      --vmalloc SIZE    i386: the vmalloc= boot option (moves the end of lowmem)\n"
		"      --nogbpages       x86_64: no 1 GiB pages in the direct map (the nogbpages option)\n"
		"      --kaslr[=SEED]    x86_64 6.x: randomise the direct map, vmalloc and vmemmap bases\n"
		"      --kasan           x86_64 6.x built with KASAN: bad accesses get KASAN's reports\n"
		"      --thp MODE        6.x transparent_hugepage=: always (default, as Debian), madvise or never\n"
		"  -m, --mem SIZE        RAM, e.g. 512M, 4G, 1T (i386: 16M-3G, i386-pae: to 63G, x86_64: 64M-4T)\n"
		"      --iomem FILE      build the physical map from a real /proc/iomem\n"
		"      --cmdline 'TEXT'  the kernel command line (log_buf_len=, mem=, hugepages=, vmalloc= (i386)\n"
		"                        are followed; on 6.x also crashkernel=, transparent_hugepage=, hugepagesz=;\n"
		"                        with SLUB slub_debug=; on x86_64 6.13 numa=fake=N)\n"
		"      --initrd SIZE     an initramfs of SIZE, reserved at boot and freed after\n"
		"      --image LIST      6.x: the kernel image's sizes, e.g. code=14M,init=3M (also rwdata=,\n"
		"                        rodata=, bss=, smp_locks=)\n"
		"      --from DIR        start from a real machine's state: DIR/proc/zoneinfo, buddyinfo, ...\n"
		"                        (a snapshot, or / for this machine)\n"
		"      --snapshot DIR    copy this machine's /proc files that --from reads into DIR and exit\n"
		"      --cpus N          number of CPUs (default 1)\n"
		"      --nodes N[:D,...] x86_64 6.13: N NUMA nodes as numa=fake=N makes them (CPUs round robin);\n"
		"                        D,...: the N*N node distances (default: 10, as fake nodes get)\n"
		"      --slab NAME       slab allocator: slub, slab or slob (those two not on 6.13); default SLAB\n"
		"                        on 2.6.32, SLUB on 6.1 and 6.13\n"
		"      --slub-debug[=FZPU] SLUB debugging: F checks, Z red zones, P poison, U owner tracking\n"
		"      --debug-slab      SLAB built with CONFIG_DEBUG_SLAB: red zones, poison, last user\n"
		"      --pcp on|off      the per-CPU page lists (default on); off: pure buddy, as set pcp off\n"
		"  -k, --kernel VERSION  kernel behaviour: 2.6.32, 6.1 or 6.13 (default: i386 2.6.32, x86_64 6.13)\n"
		"  -c 'CMD; CMD'         run these commands and exit (repeatable: one line each)\n"
		"  -q, --quiet           print only what commands are asked to show, and errors\n"
		"      --json            results and views as JSON\n"
		"      --color=WHEN      auto, always or never (NO_COLOR is honoured)\n"
		"  -i                    interactive prompt even when stdin is not a terminal\n"
		"      --check           run the invariant checker after every command\n"
		"      --keep-going      do not stop a script at the first failed command\n"
		"      --list-commands   list the commands and exit\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n"
		"\n"
		"With no script and a terminal on stdin, kmemsh starts a prompt; otherwise it\n"
		"reads commands from the script or stdin.  See kmemsh(1) and kmemsh(7).\n"), f);
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
		if (len + 1 >= cap) {
			if (cap >= 16u << 20) {
				snprintf(err, errlen, "%s: file too large", path);
				free(buf);
				buf = NULL;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf) {
		buf[len] = '\0';
		if (memchr(buf, '\0', len)) {
			snprintf(err, errlen, "%s: binary file", path);
			free(buf);
			return NULL;
		}
	} else if (!*err) {
		snprintf(err, errlen, "%s: out of memory", path);
	}
	return buf;
}

/* "3G", "64M", "4T": the largest unit that divides the size */
static void size_words(uint64_t b, char *buf, size_t len)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	int u = 0;
	while (u < 4 && b && !(b & 1023)) {
		b >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)b, units[u]);
}

/* --mem: RAM the arch models, in whole pages; errors echo what was typed */
static int check_mem(const char *text, uint64_t bytes, const char *arch_name)
{
	const struct arch_profile *a = arch_find(arch_name);
	if (!a)
		return 0;       /* machine_create() names the unknown arch */
	char lo[32], hi[32];
	size_words(a->min_mem, lo, sizeof lo);
	size_words(a->max_mem, hi, sizeof hi);
	if (bytes == 0) {
		fprintf(stderr, _("kmemsh: --mem %s: no RAM (%s models %s to %s; leave --mem out for the default)\n"),
			text, a->name, lo, hi);
		return -1;
	}
	if (bytes < a->min_mem || bytes > a->max_mem) {
		fprintf(stderr, _("kmemsh: --mem %s: %s models %s to %s of RAM\n"), text, a->name, lo, hi);
		return -1;
	}
	if (bytes % 4096) {
		fprintf(stderr, _("kmemsh: --mem %s: not a whole number of 4K pages\n"), text);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_IOMEM = 256, O_CPUS, O_JSON, O_COLOR, O_CHECK, O_KEEP, O_LIST, O_SLAB, O_SLUB_DEBUG, O_DEBUG_SLAB,
	       O_PAE, O_LA57, O_VMALLOC, O_NOGBPAGES, O_KASLR, O_KASAN, O_FROM, O_SNAPSHOT, O_THP, O_CMDLINE, O_INITRD,
	       O_IMAGE, O_NODES, O_PCP };
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "mem", required_argument, NULL, 'm' },
		{ "iomem", required_argument, NULL, O_IOMEM },
		{ "cpus", required_argument, NULL, O_CPUS },
		{ "kernel", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, O_JSON },
		{ "color", optional_argument, NULL, O_COLOR },
		{ "colour", optional_argument, NULL, O_COLOR },
		{ "check", no_argument, NULL, O_CHECK },
		{ "keep-going", no_argument, NULL, O_KEEP },
		{ "list-commands", no_argument, NULL, O_LIST },
		{ "slab", required_argument, NULL, O_SLAB },
		{ "slub-debug", optional_argument, NULL, O_SLUB_DEBUG },
		{ "debug-slab", no_argument, NULL, O_DEBUG_SLAB },
		{ "pae", no_argument, NULL, O_PAE },
		{ "la57", no_argument, NULL, O_LA57 },
		{ "vmalloc", required_argument, NULL, O_VMALLOC },
		{ "nogbpages", no_argument, NULL, O_NOGBPAGES },
		{ "kaslr", optional_argument, NULL, O_KASLR },
		{ "kasan", no_argument, NULL, O_KASAN },
		{ "thp", required_argument, NULL, O_THP },
		{ "pcp", required_argument, NULL, O_PCP },
		{ "from", required_argument, NULL, O_FROM },
		{ "snapshot", required_argument, NULL, O_SNAPSHOT },
		{ "cmdline", required_argument, NULL, O_CMDLINE },
		{ "initrd", required_argument, NULL, O_INITRD },
		{ "image", required_argument, NULL, O_IMAGE },
		{ "nodes", required_argument, NULL, O_NODES },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct machine_config cfg = { 0 };
	const char *cmd_lines[MAX_C_OPTS];
	int ncmd = 0;
	const char *commands = NULL, *color = "auto", *iomem_path = NULL, *mem_text = NULL;
	const char *from_dir = NULL, *snapshot_dir = NULL, *machine_opt = NULL;
	bool quiet = false, json = false, force_i = false, check = false, keep = false;
	int opt;
	/* Not a terminal: the session's output keeps its text in 64 KiB blocks
	 * of its own (out_hold(), flushed at prompts, errors, reads and exit in
	 * session.c) and hands each to stdio whole; an unbuffered stdout
	 * passes a block to write(2) as it is instead of copying it into a
	 * buffer of its own first (a scripted page step with its change log is
	 * about 1 KiB).  The few lines written before the session (usage) go
	 * out a printf at a time. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IONBF, 0);
	i18n_init();

	/* `replay TRACE [its options]`: getopt stops before the word replay,
	 * so that the replay's own options stay its own */
	int nargs = argc, replay_at = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || !a[1]) {
			if (strcmp(a, "replay") == 0)
				nargs = replay_at = i;
			break;
		}
		if (a[1] != '-') {
			/* -a NAME, -m SIZE, -k VERSION, -c CMD take the next word unless attached */
			if (strchr("amkc", a[1]) && !a[2])
				i++;
			continue;
		}
		static const char *const with_arg[] = { "--arch", "--mem", "--iomem", "--cpus", "--kernel",
							"--slab", "--vmalloc", "--cmdline", "--initrd",
							"--image", "--nodes", "--pcp" };
		for (size_t k = 0; k < sizeof with_arg / sizeof with_arg[0]; k++)
			if (strcmp(a, with_arg[k]) == 0)
				i++;
	}
	while ((opt = getopt_long(nargs, argv, "a:m:k:c:qihV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			machine_opt = "--arch";
			cfg.arch = optarg;
			if (!arch_find(optarg)) {
				fprintf(stderr, _("kmemsh: --arch %s: unknown architecture (known: %s)\n"), optarg,
					arch_names());
				return 2;
			}
			break;
		case 'm': {
			machine_opt = "--mem";
			int r = parse_size(optarg, &cfg.mem_bytes);
			if (r) {
				fprintf(stderr, _("kmemsh: --mem %s: %s (write e.g. 512M, 3.5G, 1T)\n"), optarg,
					r == -ERANGE ? _("too large") : _("not a size"));
				return 2;
			}
			mem_text = optarg;
			break;
		}
		case O_IOMEM:
			machine_opt = "--iomem";
			iomem_path = optarg;
			break;
		case O_CPUS: {
			machine_opt = "--cpus";
			char *end;
			errno = 0;
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || errno || n < 1 || n > 4096) {
				fprintf(stderr, _("kmemsh: --cpus %s: expected a number from 1 to 4096\n"), optarg);
				return 2;
			}
			cfg.ncpus = (unsigned)n;
			break;
		}
		case O_NODES: {
			/* numa=fake=N[:d,d,...] (mm/numa_emulation.c numa_emulation()) */
			static uint8_t dist[MAX_NUMNODES_MODEL * MAX_NUMNODES_MODEL];
			machine_opt = "--nodes";
			char *end;
			errno = 0;
			long n = strtol(optarg, &end, 10);
			if (end == optarg || errno || n < 1 || n > MAX_NUMNODES_MODEL || (*end && *end != ':')) {
				fprintf(stderr, _("kmemsh: --nodes %s: expected a number from 1 to %d\n"), optarg,
					MAX_NUMNODES_MODEL);
				return 2;
			}
			cfg.nr_nodes = (unsigned)n;
			if (*end == ':') {
				long k = 0;
				const char *p = end + 1;
				while (*p && k < n * n) {
					long d = strtol(p, &end, 10);
					if (end == p || d < 10 || d > 255 || ((k / n == k % n) != (d == 10)) ||
					    (*end && *end != ','))
						break;
					dist[k++] = (uint8_t)d;
					p = *end ? end + 1 : end;
				}
				if (k != n * n || *p) {
					fprintf(stderr, _("kmemsh: --nodes %s: expected %ld distances from 10 to 255, "
							  "10 exactly from a node to itself and only there\n"),
						optarg, n * n);
					return 2;
				}
				cfg.numa_dist = dist;
			}
			break;
		}
		case 'k':
			machine_opt = "--kernel";
			cfg.kernel = optarg;
			if (!kernel_find(optarg)) {
				fprintf(stderr, _("kmemsh: --kernel %s: unknown kernel version (known: %s)\n"), optarg,
					kernel_names());
				return 2;
			}
			break;
		case 'c':
			if (ncmd == MAX_C_OPTS) {
				fprintf(stderr, _("kmemsh: -c: at most %d -c options\n"), MAX_C_OPTS);
				return 2;
			}
			cmd_lines[ncmd++] = commands = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case O_JSON:
			json = true;
			break;
		case O_COLOR:
			color = optarg ? optarg : "always";
			if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
				fprintf(stderr, _("kmemsh: --color=%s: expected auto, always or never\n"), color);
				return 2;
			}
			break;
		case 'i':
			force_i = true;
			break;
		case O_CHECK:
			check = true;
			break;
		case O_KEEP:
			keep = true;
			break;
		case O_SLAB:
			if (strcmp(optarg, "slub") && strcmp(optarg, "slab") && strcmp(optarg, "slob")) {
				fprintf(stderr, _("kmemsh: --slab %s: expected slub, slab or slob\n"), optarg);
				return 2;
			}
			cfg.slab = optarg;
			break;
		case O_SLUB_DEBUG: {
			unsigned f;
			cfg.slub_debug = optarg ? optarg : "";
			if (machine_parse_slub_debug(cfg.slub_debug, &f)) {
				fprintf(stderr, _("kmemsh: --slub-debug=%s: expected letters of F Z P U\n"), cfg.slub_debug);
				return 2;
			}
			break;
		}
		case O_DEBUG_SLAB:
			cfg.debug_slab = true;
			break;
		case O_PCP:
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				fprintf(stderr, _("kmemsh: --pcp %s: expected on or off\n"), optarg);
				return 2;
			}
			cfg.pcp_off = strcmp(optarg, "off") == 0;
			break;
		case O_PAE:
			machine_opt = "--pae";
			cfg.arch = "i386-pae";
			break;
		case O_LA57:
			machine_opt = "--la57";
			cfg.arch = "x86_64-la57";
			break;
		case O_VMALLOC: {
			int r = parse_size(optarg, &cfg.vmalloc_size);
			if (r || !cfg.vmalloc_size) {
				fprintf(stderr, _("kmemsh: --vmalloc %s: %s (write e.g. 256M)\n"), optarg,
					r == -ERANGE ? _("too large") : _("not a size"));
				return 2;
			}
			break;
		}
		case O_NOGBPAGES:
			cfg.nogbpages = true;
			break;
		case O_IMAGE:
			machine_opt = "--image";
			cfg.image = optarg;
			break;
		case O_CMDLINE:
			machine_opt = "--cmdline";
			cfg.cmdline = optarg;
			break;
		case O_INITRD: {
			machine_opt = "--initrd";
			int r = parse_size(optarg, &cfg.initrd_size);
			if (r || !cfg.initrd_size) {
				fprintf(stderr, _("kmemsh: --initrd %s: %s (write e.g. 16M)\n"), optarg,
					r == -ERANGE ? _("too large") : _("not a size"));
				return 2;
			}
			break;
		}
		case O_KASAN:
			cfg.kasan = true;
			break;
		case O_THP:
			if (strcmp(optarg, "always") == 0) {
				cfg.thp = THP_ALWAYS;
			} else if (strcmp(optarg, "madvise") == 0) {
				cfg.thp = THP_MADVISE;
			} else if (strcmp(optarg, "never") == 0) {
				cfg.thp = THP_NEVER;
			} else {
				fprintf(stderr, _("kmemsh: --thp %s: expected always, madvise or never\n"), optarg);
				return 2;
			}
			break;
		case O_KASLR: {
			cfg.kaslr = true;
			cfg.kaslr_seed = 1;
			if (optarg) {
				char *end;
				errno = 0;
				unsigned long long v = strtoull(optarg, &end, 0);
				if (*end || end == optarg || errno) {
					fprintf(stderr, _("kmemsh: --kaslr=%s: expected a number (the seed)\n"), optarg);
					return 2;
				}
				cfg.kaslr_seed = v;
			}
			break;
		}
		case O_FROM:
			from_dir = optarg;
			break;
		case O_SNAPSHOT:
			snapshot_dir = optarg;
			break;
		case O_LIST:
			cli_list_commands(stdout);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("kmemsh %s (models Linux 2.6.32 on i386, 6.13 on x86_64, and 6.1 on both)\n", KMEMSH_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (mem_text && check_mem(mem_text, cfg.mem_bytes, cfg.arch ? cfg.arch : "i386"))
		return 2;
	/* kmemsh [options] replay TRACE [replay options]: the replay command
	 * as one -c line, its words quoted */
	char replay_line[8192];
	if (replay_at) {
		if (commands) {
			fprintf(stderr, _("kmemsh: give either -c or replay, not both\n"));
			return 2;
		}
		optind = replay_at;
		size_t pos = 0;
		for (int i = optind; i < argc && pos < sizeof replay_line; i++) {
			const char *q = strchr(argv[i], '\'') ? "\"" : "'";
			if (strchr(argv[i], '\'') && strchr(argv[i], '"')) {
				fprintf(stderr, _("kmemsh: replay: '%s': a word with both kinds of quote\n"), argv[i]);
				return 2;
			}
			pos += (size_t)snprintf(replay_line + pos, sizeof replay_line - pos, "%s%s%s%s",
						i > optind ? " " : "", q, argv[i], q);
		}
		if (pos >= sizeof replay_line) {
			fprintf(stderr, _("kmemsh: replay: arguments too long\n"));
			return 2;
		}
		cmd_lines[ncmd++] = commands = replay_line;
		optind = argc;
	}
	if (argc - optind > 1) {
		fprintf(stderr, _("kmemsh: too many arguments: '%s' (one script at most)\n"), argv[optind + 1]);
		return 2;
	}
	const char *script = optind < argc ? argv[optind] : NULL;
	if (script && commands) {
		fprintf(stderr, _("kmemsh: give either -c or a script, not both\n"));
		return 2;
	}
	char err[512] = "";
	if (snapshot_dir) {
		/* --snapshot DIR: this machine's files, copied; nothing else runs */
		struct snapshot snap;
		unsigned n;
		int r = snapshot_write_dir("/", snapshot_dir, &snap, &n, err, sizeof err);
		if (r) {
			fprintf(stderr, _("kmemsh: --snapshot %s\n"), err);
			snapshot_free(&snap);
			return 2;
		}
		printf(_("kmemsh: %u files of this machine in %s\n"), n, snapshot_dir);
		for (int f = 0; f < SF_COUNT; f++)
			if (!snap.text[f])
				printf("  %s: %s\n", snapshot_paths[f], snap.why[f]);
		/* what was read only in part (sys/kernel/slab's attributes) */
		for (const char *p = snap.notes; *p; ) {
			size_t k = strcspn(p, "\n");
			printf("  %.*s\n", (int)k, p);
			p += k + (p[k] == '\n');
		}
		/* --from needs proc/iomem's addresses, which the kernel shows
		 * only to root (as zeros to other users, kernel/resource.c
		 * r_show()), or sys/firmware/memmap's, which every user reads:
		 * say now what --from will make of it */
		int rc = 0, l = snap.text[SF_IOMEM] ? snapshot_iomem_loadable(&snap, err, sizeof err) : 0;
		if (l < 0) {
			fprintf(stderr, _("kmemsh: --snapshot %s: %s; --from cannot load this snapshot\n"), snapshot_dir,
				err);
			rc = 1;
		} else if (l > 0) {
			fprintf(stderr, _("kmemsh: --snapshot %s: proc/iomem: every address is zero (not root): --from "
					  "will take the RAM ranges from sys/firmware/memmap and put the kernel image "
					  "where the profile puts it\n"), snapshot_dir);
		}
		snapshot_free(&snap);
		return rc;
	}
	struct snapshot snap = { 0 };
	if (from_dir) {
		if (machine_opt || iomem_path) {
			fprintf(stderr, _("kmemsh: --from takes the machine from the snapshot; leave out %s\n"),
				machine_opt ? machine_opt : "--iomem");
			return 2;
		}
		if (snapshot_read_dir(from_dir, &snap, err, sizeof err) ||
		    snapshot_configure(&snap, &cfg, err, sizeof err)) {
			fprintf(stderr, _("kmemsh: --from %s\n"), err);
			snapshot_free(&snap);
			return 2;
		}
	}
	char *iomem = NULL;
	if (iomem_path) {
		iomem = read_file(iomem_path, err, sizeof err);
		if (!iomem) {
			fprintf(stderr, _("kmemsh: --iomem %s\n"), err);
			snapshot_free(&snap);
			return 2;
		}
		cfg.iomem_text = iomem;
	}
	FILE *sf = NULL;
	if (script) {
		sf = fopen(script, "r");
		if (!sf) {
			fprintf(stderr, _("kmemsh: %s: %s\n"), script, strerror(errno));
			free(iomem);
			snapshot_free(&snap);
			return 2;
		}
		struct stat st;
		if (fstat(fileno(sf), &st) == 0 && S_ISDIR(st.st_mode)) {
			fprintf(stderr, _("kmemsh: %s: %s\n"), script, strerror(EISDIR));
			fclose(sf);
			free(iomem);
			snapshot_free(&snap);
			return 2;
		}
	}

	struct session s;
	if (session_init(&s, &cfg, err, sizeof err)) {
		/* a snapshot's own errors name their file; boot's get the directory */
		if (from_dir)
			fprintf(stderr, _("kmemsh: --from %s%s%s\n"), strncmp(err, from_dir, strlen(from_dir)) ? from_dir : "",
				strncmp(err, from_dir, strlen(from_dir)) ? ": " : "", err);
		else
			fprintf(stderr, _("kmemsh: %s\n"), err);
		session_free(&s);
		snapshot_free(&snap);
		free(iomem);
		if (sf)
			fclose(sf);
		return 2;
	}
	free(iomem);
	if (from_dir && !quiet) {
		/* what the snapshot lacked and what was made of it: said once */
		for (const char *p = snap.notes; *p; ) {
			size_t n = strcspn(p, "\n");
			fprintf(stderr, _("kmemsh: --from %s: %.*s\n"), from_dir, (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	bool tty_in = isatty(STDIN_FILENO);
	/* auto: colour only for an interactive prompt on a terminal */
	bool interactive = !commands && !script && (tty_in || force_i);
	bool use_color = strcmp(color, "always") == 0 ||
			 (strcmp(color, "auto") == 0 && interactive && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
			  !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0));
	if (getenv("NO_COLOR") && strcmp(color, "always") != 0)
		use_color = false;
	s.quiet = quiet;
	s.json = json;
	s.out.json = json;
	s.check_each = check;
	s.keep_going = keep;
	s.out.color = s.err.color = use_color && !json;
	/* not a terminal: the results are written in 64 KiB blocks (session.c
	 * flushes them before an error, a prompt, a read and at the end) */
	if (!isatty(STDOUT_FILENO))
		out_hold(&s.out);

	int rc = 0;
	if (commands) {
		/* The -c options are the lines of a script, in order, each cut at
		 * its newlines (a block may go on over them): errors say -c:N,
		 * N counting the lines from the first -c. */
		s.src_name = "-c";
		/* kmemsh replay TRACE: its errors read as the options' do */
		s.from_argv = replay_at != 0;
		for (int i = 0; i < ncmd && !s.quit && !(rc && !s.keep_going); i++) {
			char *copy = strdup(cmd_lines[i]);
			if (!copy) {
				fprintf(stderr, "kmemsh: out of memory\n");
				s.status = 1;
				break;
			}
			for (char *p = copy, *nl; p && !s.quit; p = nl) {
				nl = strchr(p, '\n');
				if (nl)
					*nl++ = '\0';
				s.src_line++;
				rc = session_run_line(&s, p);
				if (rc && !s.keep_going)
					break;
			}
			free(copy);
		}
		if (!(rc && !s.keep_going) && !s.quit)
			rc = session_end_input(&s);
	} else if (script) {
		rc = session_run_stream(&s, sf, script);
		fclose(sf);
	} else if (tty_in || force_i) {
		s.interactive = true;
		s.keep_going = true;
		/* at a terminal a step shows its result, a line per zone and dmesg
		 * (set show full for every event) */
		s.brief = isatty(STDOUT_FILENO);
		struct winsize ws;
		if (s.brief)
			s.width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 ? ws.ws_col : 80;
		session_repl(&s);
	} else {
		rc = session_run_stream(&s, stdin, "<stdin>");
	}
	(void)rc;
	session_check_end(&s);
	int status = s.status;
	session_free(&s);
	snapshot_free(&snap);
	/* output that could not be written is a failure (kmemsh ... >/dev/full) */
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		fprintf(stderr, _("kmemsh: write error on standard output: %s\n"), strerror(errno));
		status = 1;
	}
	return status ? 1 : 0;
}
