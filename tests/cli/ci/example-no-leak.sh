# samples/ci/run.sh --no-leak: both runs clean, both checks pass: exit 0.
for tool in java javac jcmd; do
	command -v $tool > /dev/null || { echo "no $tool: skipped" >&2; exit 77; }
done
. "$(dirname "$0")/assert.inc"
HEAPSCAN=$HS sh s/ci/run.sh --no-leak > out 2> err
same "$?" 0 "run.sh --no-leak exit status ($(tail -3 err))"
same "$(grep -c '^=> exit status 0: every rule holds$' out)" 2 "checks that pass"
hasx out 'check current.hprof: 7 rules, 7 held, 0 violated'
expect 2 sh s/ci/run.sh --frob
hasx err 'usage: sh samples/ci/run.sh [--no-leak]'
finish
