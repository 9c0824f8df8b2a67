# OpenJDK 11, gzip, heap dump segments: 14,080,024 bytes uncompressed (MAT's
# notes); the HEAP_DUMP_SEGMENT records counted again by
# tests/support/hprof-ref.py
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
f=$SHARED/openjdk_jdk11_04_x64.hprof.gz
"$HS" info --fast --json "$f" > info.json || exit 1
grep -E '"(bytes|compression)"' info.json
want=$(python3 "$(dirname "$0")/../../support/hprof-ref.py" "$f" records | sed -n 's/^0x1C //p')
got=$(sed -n 's/^    {"record":"HEAP_DUMP_SEGMENT","count":\([0-9]*\)},*$/\1/p' info.json)
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	echo "HEAP_DUMP_SEGMENT records: as many as in the file"
else
	echo "HEAP_DUMP_SEGMENT records: heapscan $got, the file $want"
fi
