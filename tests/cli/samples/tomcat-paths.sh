# Paths take what holds an object for its lifetime, not what holds it for
# a moment.  Each producer thread runs its Sender (Thread.target) and is
# parked on it (Thread.parkBlocker): the path goes through .target.  The
# queue the waiting workers park on is held by the pool, and only for the
# wait by the threads' parkBlocker: its path does not go through that.
d=$SAMPLES/tomcat-server.hprof.zst
"$HS" suspects --quiet "$d" > out.txt || exit 1
grep -q '^    "kafka-producer-network-thread | producer-[0-9]*" (Thread) \.target -> Sender \.accumulator -> RecordAccumulator \.batches -> ' out.txt ||
	{ cat out.txt >&2; exit 1; }
"$HS" suspects --quiet --json "$d" > s.json || exit 1
id=$(sed -n 's/.*"waits_on": {"id":"\(0x[0-9a-f]*\)".*/\1/p' s.json)
[ -n "$id" ] || exit 1
"$HS" path --quiet "$d" "$id" > p.txt || exit 1
grep -q 'SynchronousQueue$TransferQueue @ '"$id" p.txt || { cat p.txt >&2; exit 1; }
! grep -q parkBlocker p.txt || { cat p.txt >&2; exit 1; }
# the headline names the application's holders on that path, with their
# fields (samples/tomcat/webapp: Sender.accumulator, a RecordAccumulator
# whose ArrayDeque batches holds a ProducerBatch, whose buffer is the byte[])
grep -q '^Suspect [0-9]*: [0-9,]* threads "kafka-producer-network-thread | producer-\*" each hold a byte\[\] through Sender\.accumulator -> RecordAccumulator\.batches -> ProducerBatch\.buffer: ' out.txt ||
	{ cat out.txt >&2; exit 1; }
