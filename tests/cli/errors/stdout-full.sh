# Standard output is the answer: a failed write or flush of it (a full
# disk here, a closed descriptor) is an error, exit status 2 and one line on
# stderr naming it, whatever the command's status would have been.
[ -w /dev/full ] || { echo "no writable /dev/full" >&2; exit 77; }
"$MKDUMP" small d.hprof || exit 1
fails=0
full() {
	"$@" > /dev/full 2> err
	rc=$?
	if [ $rc -ne 2 ] || [ "$(cat err)" != "heapscan: standard output: cannot write: No space left on device" ]; then
		echo "FAIL: $* > /dev/full: exit $rc, stderr: $(head -3 err)" >&2
		fails=$((fails + 1))
	fi
}
full "$HS" histogram --top 0 d.hprof
full "$HS" histogram --top 0 --csv d.hprof
full "$HS" histogram --top 0 --live --json d.hprof
full "$HS" info --json d.hprof
full "$HS" dominators --json d.hprof
full "$HS" dominators d.hprof
full "$HS" top-retained d.hprof
full "$HS" suspects d.hprof
full "$HS" threads d.hprof
full "$HS" diff d.hprof d.hprof
full "$HS" check --max-heap 1GB d.hprof      # would be 0: every rule holds
full "$HS" check --max-heap 1B d.hprof       # would be 1: a rule is violated
full "$HS" check --json --max-heap 1GB d.hprof
full "$HS" --help
full "$HS" --version
full "$HS" histogram --top 0 --help
# a closed standard output
"$HS" histogram --top 0 d.hprof >&- 2> err
rc=$?
if [ $rc -ne 2 ] || ! grep -qx "heapscan: standard output: cannot write: .*" err; then
	echo "FAIL: closed stdout: exit $rc, stderr: $(head -3 err)" >&2
	fails=$((fails + 1))
fi
# an error of the command itself stays the one line
"$HS" histogram --top 0 nothing.hprof > /dev/full 2> err
[ $? -eq 2 ] && [ "$(cat err)" = "heapscan: nothing.hprof: cannot open: No such file or directory" ] || {
	echo "FAIL: a failed command: $(cat err)" >&2
	fails=$((fails + 1))
}
[ $fails -eq 0 ]
