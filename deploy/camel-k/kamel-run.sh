#!/bin/sh
# The same Integration as integration.yaml, made by the kamel CLI (Camel K 2.x). The routes and settings
# ConfigMap and the ServiceAccount come first:
#   kubectl apply -f deploy/kubernetes/serviceaccount.yaml -f deploy/kubernetes/configmap.yaml
# --image makes it a self-managed build (Camel K 2.5 or later): no source is sent, the operator runs the
# adapter's image as it is, so the traits it cannot work out without sources are all given here.
# Then: kubectl scale it prometheus-remote-kinesis --replicas=2
set -eu
IMAGE=${IMAGE:-ghcr.io/example/prometheus-remote-kinesis:0.1.0}
STREAM_NAME=${STREAM_NAME:-metrics-archive}
AWS_REGION=${AWS_REGION:-eu-west-1}

exec kamel run --name prometheus-remote-kinesis --image "$IMAGE" \
  --service-account prometheus-remote-kinesis \
  --annotation prometheus.io/scrape=true \
  --annotation prometheus.io/port=9501 \
  --annotation prometheus.io/path=/observe/metrics \
  --pod-template "$(dirname "$0")/pod-template.yaml" \
  -t camel.runtime-version=3.15.x \
  -t container.port=9501 \
  -t container.port-name=http \
  -t container.service-port=9501 \
  -t container.service-port-name=http \
  -t container.request-cpu=500m \
  -t container.limit-cpu=2 \
  -t container.request-memory=512Mi \
  -t container.limit-memory=512Mi \
  -t container.run-as-non-root=true \
  -t container.run-as-user=10001 \
  -t deployment.strategy=RollingUpdate \
  -t deployment.rolling-update-max-unavailable=0 \
  -t deployment.rolling-update-max-surge=1 \
  -t environment.vars="STREAM_NAME=$STREAM_NAME" \
  -t environment.vars="AWS_REGION=$AWS_REGION" \
  -t environment.vars=HTTP_PORT=9501 \
  -t health.enabled=true \
  -t health.readiness-probe-enabled=true \
  -t health.readiness-probe=/observe/health/ready \
  -t health.readiness-port=9501 \
  -t health.readiness-period=10 \
  -t health.readiness-failure-threshold=3 \
  -t health.liveness-probe-enabled=true \
  -t health.liveness-probe=/observe/health/live \
  -t health.liveness-port=9501 \
  -t health.liveness-initial-delay=20 \
  -t health.liveness-period=20 \
  -t health.liveness-failure-threshold=3 \
  -t mount.resources=configmap:prometheus-remote-kinesis/answers.yaml@/app/routes/answers.yaml \
  -t mount.resources=configmap:prometheus-remote-kinesis/remote-write.yaml@/app/routes/remote-write.yaml \
  -t mount.resources=configmap:prometheus-remote-kinesis/transform.yaml@/app/routes/transform.yaml \
  -t mount.resources=configmap:prometheus-remote-kinesis/application.properties@/app/application.properties \
  -t mount.empty-dirs=tmp:/tmp \
  -t owner.target-annotations=prometheus.io/scrape \
  -t owner.target-annotations=prometheus.io/port \
  -t owner.target-annotations=prometheus.io/path \
  -t pdb.enabled=true \
  -t pdb.min-available=1 \
  -t service.enabled=true \
  -t service.auto=false \
  -t service.type=ClusterIP \
  "$@"
