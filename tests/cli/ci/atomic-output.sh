# snapshot -o FILE and check --junit FILE replace FILE all or nothing: a
# write that fails (a file size limit here, as a full disk would) or a dump
# that cannot be read leaves the old file as it was, not empty or cut, and
# no temporary file behind; the new file keeps the old one's permissions,
# and a symbolic link stays one.
. "$(dirname "$0")/assert.inc"
d=s/basic.hprof.zst
expect 0 "$HS" snapshot s/healthy.hprof.zst -o base.snap
chmod 640 base.snap
old=$(cksum < base.snap)
expect 0 "$HS" check --max-heap 1GB --junit j.xml $d
oldj=$(cksum < j.xml)
unchanged() {
	same "$(cksum < base.snap)" "$old" "base.snap after $1"
	same "$(cksum < j.xml)" "$oldj" "j.xml after $1"
	same "$(ls -A | grep -c '^\.\(base\.snap\|j\.xml\)\.')" 0 "temporary files left after $1"
}
# a dump that errors out
expect 2 "$HS" snapshot s/no-such.hprof -o base.snap
expect 2 "$HS" check --max-heap 1GB --junit j.xml s/no-such.hprof
unchanged "a missing dump"
# no byte may be written to a file (SIGXFSZ ignored: the write fails);
# stderr goes through a pipe, which the limit does not touch
limited() {
	( trap '' XFSZ; ulimit -f 0; "$@" ) 2>&1 > /dev/null | cat > err
}
limited "$HS" snapshot $d -o base.snap
hasx err "heapscan: base.snap: cannot write: File too large"
limited "$HS" check --max-heap 1GB --junit j.xml $d
hasx err "heapscan: j.xml: cannot write: File too large"
unchanged "a failed write"
# (the status, without the pipe)
( trap '' XFSZ; ulimit -f 0; "$HS" snapshot --quiet $d -o base.snap 2> /dev/null > /dev/null )
same $? 2 "exit status of a failed snapshot"
unchanged "a failed write"
# a good write: replaced, same permissions; through a link, the target
expect 0 "$HS" snapshot $d -o base.snap
[ "$(cksum < base.snap)" != "$old" ] || fail "base.snap not replaced"
same "$(stat -c %a base.snap)" 640 "permissions of base.snap"
ln -s base.snap link.snap
expect 0 "$HS" snapshot s/healthy.hprof.zst -o link.snap
[ -L link.snap ] || fail "link.snap is no longer a link"
same "$(cksum < base.snap)" "$old" "base.snap written through link.snap"
# what is no regular file, or under /dev, is written in place
"$HS" check --max-heap 1GB --junit /dev/stdout $d | cat > out
has out '^<testsuite name="heapscan check" tests="1"'
has out '^check s/basic.hprof.zst: 1 rule, 1 held, 0 violated$'
# a folder that cannot be written (root may write anyway)
if [ "$(id -u)" != 0 ]; then
	mkdir ro && cp base.snap ro/ && chmod a-w ro
	expect 2 "$HS" snapshot $d -o ro/base.snap
	same "$(cksum < ro/base.snap)" "$old" "ro/base.snap"
	chmod u+w ro
fi
finish
