# OpenJDK 11, gzip, heap dump segments: 14,080,024 bytes uncompressed (MAT's notes)
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
"$HS" info --fast --json "$SHARED/openjdk_jdk11_04_x64.hprof.gz" | grep -E '"(bytes|compression|HEAP_DUMP_SEGMENT)"'
