#!/usr/bin/env bash
# Runs the whole path on this machine with no AWS account: kinesalite as the local Kinesis, the stream, the
# adapter, and a source of remote writes: Debian's Prometheus scraping itself where it is installed, otherwise
# a sample Prometheus request posted every 2 s. Prints the JSON lines as they arrive in the stream. Ctrl-C stops
# everything; the logs stay in target/local-run/.
#
#   deploy/local/run.sh                 # until Ctrl-C
#   RUN_SECONDS=30 deploy/local/run.sh  # stop by itself after 30 s
#
# Ports are free ones picked at start; set HTTP_PORT, KINESALITE_PORT or PROMETHEUS_PORT to choose them.
set -euo pipefail
cd "$(dirname "$0")/../.."

STREAM_NAME=${STREAM_NAME:-metrics-archive}
JAR=target/prometheus-remote-kinesis.jar
SAMPLE=src/test/resources/fixtures/prometheus-2.42-self-scrape.snappy
LOGS=$(pwd)/target/local-run
work=$(mktemp -d)
pids=()
cleanup() {
  # Prometheus and the sender first: Prometheus can hang on SIGTERM once its receiver is gone
  for pid in $(printf '%s\n' "${pids[@]}" | tac); do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  echo "logs kept in $LOGS" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "run.sh: $*" >&2; }
fail() { say "$*"; exit 1; }
for tool in java mvn node npm curl; do
  command -v "$tool" >/dev/null || fail "$tool is needed (Java 17 or later, Maven, Node.js with npm, curl)"
done
# Started as the image starts it: from Java 24 on, Netty's and protobuf's use of sun.misc.Unsafe is allowed
# (else the JDK warns at start)
java_flags=()
[[ $(java -version 2>&1) =~ version\ \"(2[4-9]|[3-9][0-9]) ]] && java_flags=(--sun-misc-unsafe-memory-access=allow)

# A port given by the user must be free; otherwise take one the system says is free.
port() {
  local name=$1 wanted=${!1:-}
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  ' "${wanted:-0}" || fail "$name=$wanted: port $wanted on 127.0.0.1 is in use; choose another or leave $name unset"
}
HTTP_PORT=$(port HTTP_PORT)
KINESALITE_PORT=$(port KINESALITE_PORT)
PROMETHEUS_PORT=$(port PROMETHEUS_PORT)

mkdir -p "$LOGS"
if [ ! -d src/test/node/node_modules ]; then
  say "installing kinesalite (npm ci in src/test/node)"
  (cd src/test/node && npm ci --no-audit --no-fund >"$LOGS/npm.log" 2>&1) || fail "npm ci failed: see $LOGS/npm.log"
fi
if [ ! -f "$JAR" ]; then
  say "building $JAR (about a minute the first time)"
  mvn -B -ntp -DskipTests -DskipITs package 2>&1 | tee "$LOGS/build.log" | grep -E '^\[INFO\] (Building |--- |BUILD)' >&2 \
    || true
  [ -f "$JAR" ] || fail "the build failed: see $LOGS/build.log"
fi

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
export KINESIS_ENDPOINT=http://127.0.0.1:$KINESALITE_PORT
# kinesalite answers CBOR badly: the AWS SDK speaks JSON to it
export CBOR_ENABLED=false

node src/test/node/kinesalite.js "$KINESALITE_PORT" "$work/kinesalite" >"$LOGS/kinesalite.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$LOGS/kinesalite.log" && break; sleep 0.1; done
java -cp "$JAR" io.github.promkinesis.tools.StreamTool create "$STREAM_NAME" 2 || fail "cannot create the stream"
say "stream $STREAM_NAME created in kinesalite at $KINESIS_ENDPOINT"

STREAM_NAME=$STREAM_NAME HTTP_HOST=127.0.0.1 HTTP_PORT=$HTTP_PORT java "${java_flags[@]}" -jar "$JAR" \
  >"$LOGS/adapter.log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do
  curl -fs "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null || { tail -n 30 "$LOGS/adapter.log" >&2; fail "the adapter did not get ready"; }
say "adapter ready: remote_write url http://127.0.0.1:$HTTP_PORT/receive (log: $LOGS/adapter.log)"

if command -v prometheus >/dev/null 2>&1; then
  cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PROMETHEUS_PORT']
remote_write:
  - url: http://127.0.0.1:$HTTP_PORT/receive
YAML
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$LOGS/prometheus.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1 && break
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1 \
    || { tail -n 30 "$LOGS/prometheus.log" >&2; fail "Prometheus did not come up (log: $LOGS/prometheus.log)"; }
  say "Prometheus on 127.0.0.1:$PROMETHEUS_PORT scrapes itself every 5 s and remote-writes to the adapter"
else
  say "Prometheus is not installed (apt-get install prometheus): posting a sample Prometheus request ($SAMPLE) every 2 s instead"
  (while true; do
     curl -s -o /dev/null -X POST -H 'Content-Encoding: snappy' -H 'Content-Type: application/x-protobuf' \
       --data-binary "@$SAMPLE" "http://127.0.0.1:$HTTP_PORT/receive" || true
     sleep 2
   done) &
  pids+=($!)
fi

say "JSON lines arriving in $STREAM_NAME:"
java -cp "$JAR" io.github.promkinesis.tools.StreamTool tail "$STREAM_NAME" &
pids+=($!)
if [ -n "${RUN_SECONDS:-}" ]; then sleep "$RUN_SECONDS"; else wait; fi
