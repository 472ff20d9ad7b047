build-clang/src/model/gfp.o: src/model/gfp.c include/kmemsh/gfp.h \
  include/kmemsh/profile.h

include/kmemsh/gfp.h:

include/kmemsh/profile.h:
