# The same program dumped with and without compressed oops (identical file
# sizes): the layout comes from the dump's object addresses.
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
for f in sun_jdk6_30_x64_compressedOops.hprof sun_jdk6_30_x64_nocompressedOops.hprof sun_jdk5_13_x32.hprof openjdk_jdk11_04_x64.hprof.gz; do
	echo "$f: $("$HS" info --fast --json "$SHARED/$f" | sed -n 's/^  "layout": {"name":"\([^"]*\)".*/\1/p')"
done
