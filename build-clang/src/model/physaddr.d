build-clang/src/model/physaddr.o: src/model/physaddr.c \
  include/kmemsh/layout.h include/kmemsh/profile.h \
  include/kmemsh/machine.h include/kmemsh/gfp.h include/kmemsh/memmap.h \
  include/kmemsh/physaddr.h

include/kmemsh/layout.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/memmap.h:

include/kmemsh/physaddr.h:
