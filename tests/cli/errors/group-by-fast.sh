# A bad option value is refused before the dump is read: --group-by thread
# on the biggest sample fails at once (exit 2, the choices named, nothing
# on stdout), as do the other typed options of dominators and path.
d=$SAMPLES/tomcat-server.hprof.zst
check() { # check MESSAGE heapscan-args...
	msg=$1
	shift
	"$HS" "$@" > out 2> err
	rc=$?
	[ $rc = 2 ] || { echo "heapscan $*: exit $rc"; exit 1; }
	[ ! -s out ] || { echo "heapscan $*: stdout: $(head -3 out)"; exit 1; }
	[ "$(cat err)" = "heapscan: $msg" ] || { echo "heapscan $*: $(cat err)"; exit 1; }
	# refused before the dump was read: no index was written for it
	[ -z "$(ls "$HEAPSCAN_INDEX_DIR" 2>/dev/null | grep tomcat-server-fast)" ] || { echo "an index was written"; exit 1; }
}
ln -s "$d" tomcat-server-fast.hprof.zst
export HEAPSCAN_INDEX_DIR=$T/idx
start=$(date +%s)
check "--group-by takes one of class|classloader|package|loader, not 'thread'" dominators --group-by thread tomcat-server-fast.hprof.zst
check "--depth takes a whole number from 0 to 1000, not '1001'" dominators --depth 1001 tomcat-server-fast.hprof.zst
check "--min-retained takes a size (10M) or a percentage of the heap (2%), not '5 apples'" dominators --min-retained '5 apples' tomcat-server-fast.hprof.zst
check "--from takes an object id in hex (0x1a2b), not '0xzz'" dominators --from 0xzz tomcat-server-fast.hprof.zst
check "--top takes a whole number from 0 to 4294967295, not '-1'" dominators --top -1 tomcat-server-fast.hprof.zst
check "--all takes a whole number from 0 to 1000, not 'many'" path --all many tomcat-server-fast.hprof.zst 0x1
check "choose one of --include-weak and --exclude-weak" path --include-weak --exclude-weak tomcat-server-fast.hprof.zst 0x1
[ $(($(date +%s) - start)) -le 5 ] || { echo "refusing took $(($(date +%s) - start)) s"; exit 1; }
echo ok
