build-clang/src/model/layout.o: src/model/layout.c \
  include/kmemsh/layout.h include/kmemsh/profile.h \
  include/kmemsh/machine.h include/kmemsh/gfp.h include/kmemsh/memmap.h

include/kmemsh/layout.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/memmap.h:
