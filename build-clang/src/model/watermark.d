build-clang/src/model/watermark.o: src/model/watermark.c \
  include/kmemsh/buddy.h include/kmemsh/machine.h include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:
