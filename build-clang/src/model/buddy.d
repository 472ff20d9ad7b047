build-clang/src/model/buddy.o: src/model/buddy.c include/kmemsh/buddy.h \
  include/kmemsh/machine.h include/kmemsh/gfp.h include/kmemsh/profile.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h \
  include/kmemsh/memstore.h

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/memstore.h:
