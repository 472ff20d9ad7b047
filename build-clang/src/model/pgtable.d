build-clang/src/model/pgtable.o: src/model/pgtable.c \
  include/kmemsh/buddy.h include/kmemsh/machine.h include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h include/kmemsh/pgtable.h

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/pgtable.h:
