#!/usr/bin/env bash
# Two jars started in turn as the image starts one in 512 MiB (its JAVA_TOOL_OPTIONS, -XX:MaxRAM=512m), against a
# kinesalite: per start, the ms to the first 200 from /observe/health, VmRSS then, and VmHWM after 200 requests of
# the real Prometheus body (docs/benchmarks.md, "Compact"). Run from the project root after mvn package:
#   src/test/bench/start-memory.sh BEFORE.jar AFTER.jar RUNS
set -u
cd "$(dirname "$0")/../.."
export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 CBOR_ENABLED=false
KP=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
node src/test/node/kinesalite.js $KP "$(mktemp -d)" >/dev/null 2>&1 & K=$!
sleep 1.5
export KINESIS_ENDPOINT=http://127.0.0.1:$KP
java -cp "$1" io.github.promkinesis.tools.StreamTool create ready 2 >/dev/null 2>&1
BODY=src/test/resources/fixtures/prometheus-2.42-self-scrape.snappy
for run in $(seq "$3"); do
  for jar in "$1" "$2"; do
    HP=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    start=$(date +%s%N)
    JAVA_TOOL_OPTIONS="-XX:+UseG1GC -XX:G1HeapRegionSize=2m -XX:MaxRAMPercentage=50 -Djava.io.tmpdir=/tmp -XX:MaxRAM=512m" \
      STREAM_NAME=ready HTTP_HOST=127.0.0.1 HTTP_PORT=$HP \
      "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$jar" >/dev/null 2>&1 & A=$!
    until curl -fs 127.0.0.1:$HP/observe/health >/dev/null 2>&1; do sleep 0.02; done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    rss=$(awk '/VmRSS/{print $2}' /proc/$A/status)
    for i in $(seq 200); do curl -s -o /dev/null -X POST --data-binary @$BODY -H 'Content-Encoding: snappy' \
      -H 'Content-Type: application/x-protobuf' 127.0.0.1:$HP/receive; done
    hwm=$(awk '/VmHWM/{print $2}' /proc/$A/status)
    kill $A; wait $A 2>/dev/null
    echo "$(basename $jar) ready_ms=$ms rss_ready_kB=$rss hwm_after_200_kB=$hwm"
  done
done
kill $K
