# getrandom: getrandom(buf, 16, 0), which blocks until the kernel's random
# number generator is ready (6.1 drivers/char/random.c wait_for_random_bytes()
# makes jitter entropy meanwhile).  %p hashing waits for the same moment
# (lib/vsprintf.c vsprintf_init_hashval()): before it, 32-bit kernels print
# every hashed pointer as "(ptrval)", also in the trace file.
	.globl _start
	.text
_start:
	movl $355, %eax          # getrandom (arch/x86/entry/syscalls/syscall_32.tbl)
	movl $buf, %ebx
	movl $16, %ecx
	xorl %edx, %edx
	int $0x80
	movl $1, %eax            # exit(0)
	xorl %ebx, %ebx
	int $0x80
	.bss
buf:	.skip 16
