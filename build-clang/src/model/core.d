build-clang/src/model/core.o: src/model/core.c include/kmemsh/machine.h \
  include/kmemsh/gfp.h include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:
