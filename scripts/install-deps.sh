#!/bin/sh
# Install what heapscan needs to build and test on Debian 12, as root.
# Safe to run again: apt-get skips what is installed.  HS_WITH_JDK=1 adds
# the JDK (the tests that compile and dump Java programs), HS_WITH_VISUALVM=1
# VisualVM (tests/cli/reference/visualvm.sh), HS_WITH_BROWSER=1 Chromium
# (tests/cli/report/browser.sh opens the HTML report in it headless);
# .ci/run sets all three.
set -eu
pkgs="build-essential autoconf automake libtool pkg-config libzstd-dev zlib1g-dev
      uthash-dev libjudy-dev check zstd gzip python3"
[ "${HS_WITH_JDK:-0}" = 1 ] && pkgs="$pkgs openjdk-17-jdk-headless"
[ "${HS_WITH_VISUALVM:-0}" = 1 ] && pkgs="$pkgs openjdk-17-jdk-headless visualvm"
[ "${HS_WITH_BROWSER:-0}" = 1 ] && pkgs="$pkgs chromium"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
