#!/usr/bin/env bash
# Builds the base image that Switchboard's container image is layered on, with neither a Docker engine nor a
# container registry: Debian bookworm (debootstrap, minbase, from Debian's package mirror) plus a Java runtime
# made by jlink from a local JDK 21+, written as a docker-archive tar (what `docker save` writes), which Jib takes
# as `tar://...`.
#
# Usage (as root: debootstrap needs it):  config/container/base-image.sh [output.tar]
# Default output: target/base-image/switchboard-base.tar, where the server's `image` profile looks for it.
# Where a registry is reachable, none of this is needed: Jib's default base (eclipse-temurin:21-jre) is used.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:-target/base-image/switchboard-base.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# what the server and its libraries use (jdeps --print-module-deps over the jar and server/target/libs), plus
# DNS for JNDI lookups and zipfs; a module not listed here fails at run time, which the image test would show
modules=java.base,java.compiler,java.instrument,java.logging,java.management,java.naming,java.net.http,java.sql
modules+=,java.xml,jdk.jfr,jdk.management,jdk.unsupported,jdk.naming.dns,jdk.zipfs,jdk.crypto.ec

jdk=""
for candidate in /usr/lib/jvm/*/; do
    release="$candidate/release"
    [[ -x "$candidate/bin/jlink" && -f "$release" ]] || continue
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    if [[ -n "$major" && "$major" -ge 21 ]]; then jdk=${candidate%/}; fi
done
[[ -n "$jdk" ]] || { echo "no JDK 21+ with jlink under /usr/lib/jvm" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "== Debian bookworm (minbase) from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" || {
    tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
       "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
echo "== Java runtime from $jdk"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$rootfs/opt/java"
"$rootfs/opt/java/bin/java" -version 2>&1 | head -1

echo "== docker-archive $out"
tar -C "$rootfs" --numeric-owner -cf "$work/layer.tar" .
python3 - "$work" <<'PY'
import hashlib, json, sys
work = sys.argv[1]
digest = hashlib.sha256()
with open(f"{work}/layer.tar", "rb") as layer:
    for block in iter(lambda: layer.read(1 << 20), b""):
        digest.update(block)
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {"Env": ["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=/opt/java", "LANG=C.UTF-8"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest.hexdigest()]},
}
with open(f"{work}/config.json", "w") as out:
    json.dump(config, out)
with open(f"{work}/manifest.json", "w") as out:
    json.dump([{"Config": "config.json", "RepoTags": ["switchboard-base:local"], "Layers": ["layer.tar"]}], out)
PY
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
ls -l "$out"
