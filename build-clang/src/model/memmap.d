build-clang/src/model/memmap.o: src/model/memmap.c \
  include/kmemsh/memmap.h

include/kmemsh/memmap.h:
