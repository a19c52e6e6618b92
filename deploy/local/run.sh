#!/usr/bin/env bash
# Runs the whole path on this machine with no AWS account: kinesalite as the local Kinesis, the stream,
# the adapter, and (where Debian's prometheus is installed) a Prometheus that scrapes itself and remote-writes
# to the adapter. Prints the JSON lines as they arrive in the stream. Ctrl-C stops everything.
#
#   deploy/local/run.sh                 # until Ctrl-C
#   RUN_SECONDS=30 deploy/local/run.sh  # stop by itself after 30 s
set -euo pipefail
cd "$(dirname "$0")/../.."

STREAM_NAME=${STREAM_NAME:-metrics-archive}
HTTP_PORT=${HTTP_PORT:-9501}
KINESALITE_PORT=${KINESALITE_PORT:-4567}
PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
JAR=target/prometheus-remote-kinesis.jar
work=$(mktemp -d)
pids=()
cleanup() {
  # Prometheus first: it can hang on SIGTERM once its receiver is gone
  for pid in $(printf '%s\n' "${pids[@]}" | tac); do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -d src/test/node/node_modules ] || (cd src/test/node && npm ci --no-audit --no-fund >/dev/null)
[ -f "$JAR" ] || mvn -B -q -DskipTests -DskipITs package

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
export KINESIS_ENDPOINT=http://127.0.0.1:$KINESALITE_PORT
# kinesalite answers CBOR badly: the AWS SDK speaks JSON to it
export CBOR_ENABLED=false

node src/test/node/kinesalite.js "$KINESALITE_PORT" "$work/kinesalite" >"$work/kinesalite.log" 2>&1 &
pids+=($!)
sleep 1
java -cp "$JAR" io.github.promkinesis.tools.StreamTool create "$STREAM_NAME" 2
echo "stream $STREAM_NAME created in kinesalite at $KINESIS_ENDPOINT" >&2

STREAM_NAME=$STREAM_NAME HTTP_HOST=127.0.0.1 HTTP_PORT=$HTTP_PORT java -jar "$JAR" >"$work/adapter.log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do
  curl -fs "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null || { cat "$work/adapter.log"; exit 1; }
echo "adapter ready: remote_write url http://127.0.0.1:$HTTP_PORT/receive (log: $work/adapter.log)" >&2

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
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$work/prometheus.log" 2>&1 &
  pids+=($!)
  echo "prometheus scraping itself every 5 s and remote-writing to the adapter" >&2
else
  echo "prometheus is not installed (apt-get install prometheus): point your own remote_write at the adapter" >&2
fi

echo "JSON lines arriving in $STREAM_NAME:" >&2
java -cp "$JAR" io.github.promkinesis.tools.StreamTool tail "$STREAM_NAME" &
pids+=($!)
if [ -n "${RUN_SECONDS:-}" ]; then sleep "$RUN_SECONDS"; else wait; fi
