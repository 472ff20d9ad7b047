build-clang/src/model/pagestore.o: src/model/pagestore.c \
  src/model/memstore_impl.h include/kmemsh/memstore.h \
  include/kmemsh/gfp.h include/kmemsh/profile.h include/kmemsh/machine.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h

src/model/memstore_impl.h:

include/kmemsh/memstore.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:
