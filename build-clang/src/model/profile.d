build-clang/src/model/profile.o: src/model/profile.c \
  include/kmemsh/profile.h

include/kmemsh/profile.h:
