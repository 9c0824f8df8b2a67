# Thread names of JDK 5-7 dumps, where Thread.name is a char[]: every
# thread has a name, each name is in the dump as UTF-16 (found by brute
# force in the file's bytes, not by reading it as HPROF), and the threads
# every HotSpot JVM starts are there: main, Finalizer, Reference Handler,
# Signal Dispatcher.
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
for f in sun_jdk5_13_x32.hprof sun_jdk6_18_x32.hprof sun_jdk6_30_x64_compressedOops.hprof \
	 sun_jdk6_30_x64_nocompressedOops.hprof oracle_jdk7_21_hprofagent.hprof; do
	"$HS" threads --quiet --json --no-stacks --top 0 "$SHARED/$f" > t.json || exit 1
	python3 - "$SHARED/$f" t.json <<'PY' || exit 1
import json, os, sys
data = open(sys.argv[1], 'rb').read()
names = [t['thread'] for t in json.load(open(sys.argv[2]))['threads']]
bad = [n for n in names if n.encode('utf-16-be') not in data]
missing = [n for n in ('main', 'Finalizer', 'Reference Handler', 'Signal Dispatcher') if n not in names]
print('%s: %d names not in the dump, missing: %s' % (
    os.path.basename(sys.argv[1]), len(bad), ', '.join(missing) or 'none'))
for n in bad:
    print('  not in the dump: %r' % n)
sys.exit(1 if bad or missing else 0)
PY
done
