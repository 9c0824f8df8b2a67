# a healthy heap: no suspect, exit 0; check with a suspect rule holds
"$HS" suspects --quiet "$SAMPLES/healthy.hprof.zst" | tail -1
"$HS" check --quiet --max-suspect 10 "$SAMPLES/healthy.hprof.zst" > /dev/null; echo "check exit $?"
"$HS" check --quiet --max-suspect 10 "$SAMPLES/threadlocal-leak.hprof.zst" > /dev/null; echo "check exit $?"
