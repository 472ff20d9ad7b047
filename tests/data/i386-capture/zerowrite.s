# zerowrite: write(fd, buf, 0) three times to /proc/self/attr/current.
# proc_pid_attr_write() (fs/proc/base.c) does memdup_user(buf, 0): kmalloc(0)
# is ZERO_SIZE_PTR, untraced; its kfree(ZERO_SIZE_PTR) is traced.
	.globl _start
	.text
_start:
	movl $5, %eax            # open(path, O_WRONLY)
	movl $path, %ebx
	movl $1, %ecx
	xorl %edx, %edx
	int $0x80
	testl %eax, %eax
	js 2f
	movl %eax, %esi
	movl $3, %edi
1:	movl $4, %eax            # write(fd, path, 0)
	movl %esi, %ebx
	movl $path, %ecx
	xorl %edx, %edx
	int $0x80
	decl %edi
	jnz 1b
	movl $6, %eax            # close(fd)
	movl %esi, %ebx
	int $0x80
2:	movl $1, %eax            # exit(0)
	xorl %ebx, %ebx
	int $0x80
	.data
path:	.asciz "/proc/self/attr/current"
