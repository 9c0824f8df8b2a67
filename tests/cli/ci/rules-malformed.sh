# A rules file with a line that is not a rule: exit 2 and one line on
# stderr naming the file and the line, nothing checked.
ln -s "$SAMPLES" s
cat > ci.rules <<'EOR'
# nightly heap rules
heap <= 64MB

total +10
EOR
"$HS" check --rules ci.rules --baseline s/healthy.hprof.zst s/static-cache.hprof.zst
