# path --all: one path per referrer, nearest the roots first, 5,000
# referrers each at another depth.  Then a target that is a GC root and
# has other referrers too (the primitive mirror of boolean): its first
# path is the root itself.
"$MKDUMP" referrers d.hprof 5000 && "$HS" path --all 3 d.hprof 0x8000 &&
	"$HS" path --all 1000 d.hprof 0x8000 | grep -c "^Path" &&
	"$HS" path --all 20 --class java.lang.Class "$SAMPLES/basic.hprof.zst" | grep "^Path"
