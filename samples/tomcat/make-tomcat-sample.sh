#!/bin/sh
# Make samples/tomcat-server.hprof.zst: a heap dump of a real Tomcat 10.1
# (Debian's tomcat10-user and libtomcat10-java) serving a small webapp,
# /payments (webapp/ here), that has the three problems of the incident
# at small scale (samples/README.md, "tomcat-server"):
#
#  1. TraceFilter keeps a trace HashMap per request in a ThreadLocal
#     HashMap of its worker thread that is never reset;
#  2. Producer starts a new thread per send, "kafka-producer-network-thread
#     | producer-N", each keeping a byte[] through Sender.accumulator ->
#     ProducerBatch, parked with the Sender as its blocker;
#  3. a HikariCP pool of 2 connections (H2 in memory) that slow reports
#     hold, so that the other reports wait in HikariPool.getConnection.
#
# It creates a Tomcat instance (tomcat10-instance-create) on 127.0.0.1
# with a shared Executor whose threads are "http-nio-PORT-exec-N", deploys
# the webapp, drives it with ab, and while reports are waiting on the pool
# writes, from the running JVM:
#   samples/tomcat-server.stats.txt  the webapp's own counts (/payments/stats):
#                                    each worker's trace map size, producer
#                                    threads started, pool waiting/active
#   samples/tomcat-server.histo.txt  jcmd GC.class_histogram
#   samples/tomcat-server.hprof.zst  jcmd GC.heap_dump, zstd -19
#
#   sh samples/tomcat/make-tomcat-sample.sh
#
# Run as root on Debian 12: missing packages are installed with apt-get.
# Re-runnable: everything but the three outputs lives in a temporary
# directory; the JVM and the clients are killed on exit.  PORT (default 18080) is
# part of the thread names the tests expect; PAYS (default 10000) pay
# requests, at CONCURRENCY (default 10), start PAYS / 8 producer threads.
# KEEP=1 keeps the temporary directory (the instance and its logs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
samples=$(dirname "$here")
PORT=${PORT:-18080}
PAYS=${PAYS:-10000}
CONCURRENCY=${CONCURRENCY:-10}
REPORTS=8          # concurrent slow reports: 2 hold the pool, 6 wait
TIMEOUT=${TIMEOUT:-120}
name=tomcat-server

die() {
	echo "make-tomcat-sample: $*" >&2
	exit 1
}

pkgs="tomcat10-user libtomcat10-java libhikaricp-java libh2-java libslf4j-java apache2-utils openjdk-17-jdk-headless zstd curl"
missing=""
for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root to install them)"
	echo "installing$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing > /dev/null 2>&1 || {
		apt-get update -q > /dev/null   # a fresh machine: no package lists yet
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing > /dev/null
	}
fi
for tool in java javac jcmd zstd ab curl tomcat10-instance-create timeout; do
	command -v $tool > /dev/null || die "$tool not found"
done
CATALINA_HOME=/usr/share/tomcat10
jars=/usr/share/java

work=$(mktemp -d "${TMPDIR:-/tmp}/heapscan-tomcat.XXXXXX")
jvm="" clients=""
cleanup() {
	for p in $clients; do
		kill "$p" 2> /dev/null || true
	done
	[ -z "$jvm" ] || kill -9 "$jvm" 2> /dev/null || true
	[ -z "$jvm" ] || wait "$jvm" 2> /dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$work" "$samples"/.$name.*.tmp
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The instance: Debian's skeleton, then our server.xml: one HTTP connector
# on 127.0.0.1 whose requests run on a shared Executor (namePrefix keeps
# the thread names "http-nio-PORT-exec-N"), no shutdown port.
inst=$work/instance
tomcat10-instance-create -p "$PORT" -c "$((PORT + 1))" "$inst" > /dev/null
cat > "$inst/conf/server.xml" << EOF
<?xml version="1.0" encoding="UTF-8"?>
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
  <Service name="Catalina">
    <Executor name="tomcatThreadPool" namePrefix="http-nio-$PORT-exec-"
              maxThreads="40" minSpareThreads="10" />
    <Connector executor="tomcatThreadPool" address="127.0.0.1" port="$PORT"
               protocol="HTTP/1.1" connectionTimeout="20000" />
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />
    </Engine>
  </Service>
</Server>
EOF
cat >> "$inst/bin/setenv.sh" << 'EOF'
CATALINA_OPTS="-Xmx96m -Xms96m"
EOF

# The webapp, exploded in webapps/payments: its classes compiled against
# Tomcat's servlet API and HikariCP, its libraries in WEB-INF/lib.
app=$inst/webapps/payments
mkdir -p "$app/WEB-INF/classes" "$app/WEB-INF/lib"
cp "$here/webapp/WEB-INF/web.xml" "$app/WEB-INF/"
javac -d "$app/WEB-INF/classes" -cp "$CATALINA_HOME/lib/servlet-api.jar:$jars/HikariCP.jar" \
	"$here"/webapp/src/com/example/payments/*.java
for j in HikariCP h2 slf4j-api slf4j-nop; do
	cp "$(readlink -f "$jars/$j.jar")" "$app/WEB-INF/lib/"
done

echo "starting Tomcat on 127.0.0.1:$PORT"
CATALINA_BASE=$inst CATALINA_HOME=$CATALINA_HOME \
	"$CATALINA_HOME/bin/catalina.sh" run > "$work/catalina.out" 2>&1 &
jvm=$!    # catalina.sh run execs the JVM
url=http://127.0.0.1:$PORT/payments
ticks=0
until curl -sf "$url/stats" > /dev/null 2>&1; do
	kill -0 "$jvm" 2> /dev/null || { cat "$work/catalina.out" >&2; die "Tomcat exited"; }
	ticks=$((ticks + 1))
	[ $ticks -le $((TIMEOUT * 5)) ] || { cat "$work/catalina.out" >&2; die "no /payments after $TIMEOUT s"; }
	sleep 0.2
done

echo "load: $PAYS pay requests, $CONCURRENCY at a time"
ab -q -n "$PAYS" -c "$CONCURRENCY" "$url/api/pay" > "$work/ab-pay.txt" 2>&1 ||
	{ cat "$work/ab-pay.txt" >&2; die "ab failed"; }
grep -q '^Failed requests: *0$' "$work/ab-pay.txt" && ! grep -q '^Non-2xx' "$work/ab-pay.txt" || { cat "$work/ab-pay.txt" >&2; die "pay requests failed"; }

echo "$REPORTS slow reports on a pool of 2"
# (curl, not ab: ab sends nothing more until its first answer comes)
i=0
while [ $i -lt $REPORTS ]; do
	curl -s -m 700 "$url/api/report?holdMs=600000" > /dev/null 2>&1 &
	clients="$clients $!"
	i=$((i + 1))
done
want=$((REPORTS - 2))
ticks=0
until curl -sf "$url/stats" > "$work/stats" && grep -qx "pool-waiting	$want" "$work/stats" &&
	grep -qx "pool-active	2" "$work/stats"; do
	ticks=$((ticks + 1))
	[ $ticks -le $((TIMEOUT * 5)) ] || { cat "$work/stats" >&2; die "no $want reports waiting on the pool"; }
	sleep 0.2
done
sleep 1    # the waiting threads parked in ConcurrentBag.borrow
curl -sf "$url/stats" > "$work/stats"

echo "histogram and dump of JVM $jvm"
timeout "$TIMEOUT" jcmd "$jvm" GC.class_histogram > "$work/histo" 2>&1 || { cat "$work/histo" >&2; die "jcmd GC.class_histogram failed"; }
grep -q '^Total ' "$work/histo" || { cat "$work/histo" >&2; die "no histogram"; }
timeout "$TIMEOUT" jcmd "$jvm" GC.heap_dump "$work/$name.hprof" > "$work/dump.log" 2>&1 &&
	grep -q 'Heap dump file created' "$work/dump.log" || { cat "$work/dump.log" >&2; die "jcmd GC.heap_dump failed"; }
# the state the dump shows is the state /stats told before it
curl -sf "$url/stats" > "$work/stats.after"
cmp -s "$work/stats" "$work/stats.after" || { diff "$work/stats" "$work/stats.after" >&2; die "the webapp changed during the dump"; }

timeout "$TIMEOUT" zstd -19 -q -f "$work/$name.hprof" -o "$samples/.$name.hprof.zst.tmp"
chmod 644 "$samples/.$name.hprof.zst.tmp"
cp "$work/histo" "$samples/.$name.histo.txt.tmp"
cp "$work/stats" "$samples/.$name.stats.txt.tmp"
for f in hprof.zst histo.txt stats.txt; do
	mv -f "$samples/.$name.$f.tmp" "$samples/$name.$f"
done
echo "$name.hprof.zst: $(wc -c < "$work/$name.hprof") bytes of HPROF, $(wc -c < "$samples/$name.hprof.zst") stored"
cat "$samples/$name.stats.txt"
