build-clang/src/model/init_mapping.o: src/model/init_mapping.c \
  include/kmemsh/init_mapping.h include/kmemsh/machine.h \
  include/kmemsh/gfp.h include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h include/kmemsh/pgtable.h

include/kmemsh/init_mapping.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/pgtable.h:
