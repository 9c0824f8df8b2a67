# Invalid option values of threads and suspects fail before the dump is
# read (a missing dump would be another message): exit 2, one message on
# stderr, nothing on stdout.
for args in "threads --top x" "threads --top -1" "threads --group-by stack" \
	    "suspects --threshold 101" "suspects --threshold 0" "suspects --threshold x%" \
	    "suspects --max-threads 1.5"; do
	# shellcheck disable=SC2086
	"$HS" $args no-such.hprof > out 2> err
	rc=$?
	[ $rc = 2 ] && [ ! -s out ] && [ "$(wc -l < err)" = 1 ] && ! grep -q no-such err ||
		{ echo "$args: exit $rc, stdout $(wc -c < out) bytes, stderr: $(cat err)"; exit 1; }
	cat err
done
exit 2
