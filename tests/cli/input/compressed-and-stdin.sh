# the same dump as .hprof, .gz, .zst (detected by content, whatever the name), stdin and segments
"$MKDUMP" small d.hprof && "$MKDUMP" segments s.hprof || exit 1
gzip -c d.hprof > d.gz && zstd -q -c d.hprof > d.bin || exit 1
"$HS" histogram --top 0 --csv d.hprof > plain.csv || exit 1
for f in d.gz d.bin s.hprof; do
	"$HS" histogram --top 0 --csv "$f" > x.csv || exit 1
	cmp plain.csv x.csv || { echo "differs: $f"; exit 1; }
done
"$HS" histogram --top 0 --csv - < d.hprof > x.csv && cmp plain.csv x.csv || exit 1
cat d.gz | "$HS" histogram --top 0 --csv - > x.csv && cmp plain.csv x.csv || exit 1
# the graph also works from a pipe (spooled)
cat d.hprof | "$HS" dominators --json - > /dev/null || exit 1
cat plain.csv
