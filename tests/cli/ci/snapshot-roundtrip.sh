# A snapshot keeps what check and diff need: on the snapshot they give the
# numbers they give on the dump.  Its class rows are those of histogram
# --live (classes of one name from several loaders summed: one row), its
# totals those of the dump.
. "$(dirname "$0")/assert.inc"
command -v zstd > /dev/null || { echo "no zstd" >&2; exit 77; }
cat > all.rules <<'EOR'
heap <= 1GB
threads <= 10000
suspect <= 99%
thread-held <= 1GB
thread-held entries <= 1000000
* <= 1GB
java.util.* <= 1GB
java.lang.String* count <= 1000000
byte[] shallow <= 1GB
java.util.HashMap$Node[] <= 1GB
LeakedPlugin <= 1GB
total +1000%
class java.* +1000%
class java.util.HashMap* +1GB
EOR
for name in healthy static-cache threadlocal-leak classloader-leak; do
	d=s/$name.hprof.zst
	expect 0 "$HS" snapshot "$d" -o $name.snap
	has err "^heapscan: wrote $name\.snap: [0-9,]+ classes, [0-9,]+ threads?, [0-9,]+ suspects?; reachable heap "
	[ "$(wc -c < $name.snap)" -lt 20000 ] || fail "$name.snap is $(wc -c < $name.snap) bytes"
	zstd -dcq $name.snap > snap.txt || fail "$name.snap is not zstd"
	same "$(head -1 snap.txt)" "$(printf 'heapscan-snapshot\t2')" "$name.snap: first line"
	# totals and class rows against histogram --live
	"$HS" histogram --top 0 --live --quiet --csv "$d" |
		awk -F, 'NR > 1 { c = $1; sub(/[+\/]0x[0-9a-f]+$/, "", c); n[c] += $2; b[c] += $3 }
			END { for (c in n) print c "," n[c] "," b[c] }' |
		sort > histo.csv
	# (classes several loaders define have a row per loader: summed by name)
	awk -F'\t' '$1 == "class" { c = $2; sub(/ \(loader .*\)$/, "", c); n[c] += $3; b[c] += $4 }
		END { for (c in n) print c "," n[c] "," b[c] }' snap.txt | sort > snap.csv
	cmp -s histo.csv snap.csv || fail "$name.snap: class rows differ from histogram --live:
$(diff histo.csv snap.csv | head -5)"
	same "$(awk -F'\t' '$1 == "total" { print $2 }' snap.txt)" "$(reachable "$d")" "$name.snap: reachable bytes"
	# check: the same rules give the same report, --json included
	for out in text json; do
		flag=""
		[ $out = json ] && flag=--json
		"$HS" check $flag --rules all.rules --baseline s/healthy.hprof.zst "$d" > dump.$out 2>&1
		echo "status $?" >> dump.$out
		"$HS" check $flag --rules all.rules --baseline healthy.snap $name.snap > snap.$out 2>&1
		echo "status $?" >> snap.$out
		sed -i -e "s|$d|DUMP|" -e "s|$name.snap|DUMP|" -e 's|s/healthy.hprof.zst|BASE|' \
			-e 's|healthy.snap|BASE|' dump.$out snap.$out
		cmp -s dump.$out snap.$out || fail "$name: check --rules all.rules differs on the snapshot:
$(diff dump.$out snap.$out | head -6)"
	done
	has dump.json '"rule":"class java.util.HashMap\* \+1GB"'
	# diff: dump against its own snapshot, nothing changed
	expect 0 "$HS" diff --csv --top 0 "$d" $name.snap
	same "$(awk -F, 'NR > 1 && ($4 != 0 || $7 != 0 || $10 != 0)' out | head -3)" "" "$name: diff of a dump and its snapshot"
	same "$(($(wc -l < out) - 1))" "$(awk -F'\t' '$1 == "class"' snap.txt | wc -l)" "$name: diff rows"
	expect 0 "$HS" diff --json "$d" $name.snap
	hasx out '  "delta_reachable_bytes": 0,'
	hasx out '  "delta_reachable_objects": 0,'
	hasx out '  "delta_threads": 0,'
	hasx out '  "suspects": [],'
done
# the top dominators with the shape of what they hold: each worker thread
# of threadlocal-leak holds a HashMap of 2,000 entries through its
# ThreadLocalMap (samples/README.md)
zstd -dcq threadlocal-leak.snap | awk -F'\t' '$1 == "dominator"' > doms
same "$(wc -l < doms)" 50 "dominator rows"
same "$(awk -F'\t' 'NF != 6' doms | head -1)" "" "dominator fields"
same "$(grep -cxF "$(printf 'dominator\tjava.lang.Thread\t736296\t368\t20011\tjava.lang.Thread > java.lang.ThreadLocal$ThreadLocalMap > java.lang.ThreadLocal$ThreadLocalMap$Entry[] > java.lang.ThreadLocal$ThreadLocalMap$Entry > java.util.HashMap (size=2000)')" doms)" 8 \
	"threadlocal-leak: the workers' dominator rows"
# the other commands want a dump
expect 2 "$HS" histogram --top 0 healthy.snap
finish
