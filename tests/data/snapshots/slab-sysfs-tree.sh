#!/bin/sh
# slab-sysfs-tree.sh DUMP DIR: rebuild a /sys/kernel/slab directory under
# DIR/sys/kernel/slab from a real kernel's slab_sysfs.txt dump (one line per
# entry: "NAME attr=VALUE ..." for a cache directory, "NAME -> TARGET" for a
# merged cache's link), one file per attribute holding its value, one
# symlink per link.  Nothing is added or changed: the dump's values only.
set -eu
dump=$1
top=$2/sys/kernel/slab
mkdir -p "$top"
while read -r name rest; do
	case $rest in
	'-> '*) ln -sfn "${rest#-> }" "$top/$name" ;;
	*)
		mkdir -p "$top/$name"
		for kv in $rest; do
			printf '%s\n' "${kv#*=}" > "$top/$name/${kv%%=*}"
		done ;;
	esac
done < "$dump"
