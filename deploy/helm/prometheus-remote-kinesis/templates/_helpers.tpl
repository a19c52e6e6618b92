{{- define "prk.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "prk.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "prk.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "prk.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "prk.selectorLabels" -}}
app.kubernetes.io/name: {{ include "prk.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "prk.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "prk.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "prk.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "prk.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "prk.secretName" -}}
{{- default (include "prk.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "prk.compactionServiceAccountName" -}}
{{- if .Values.compaction.serviceAccount.create }}
{{- default (printf "%s-compact" (include "prk.fullname" .) | trunc 63 | trimSuffix "-") .Values.compaction.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.compaction.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The pod of the compaction CronJob and of the backfill Job: one `compact` of the day the shell expression .day
gives, with the image's java, routes (restore/ and compact/, which the adapter's ConfigMap does not hold) and
settings; AWS_REGION as the adapter's unless compaction.env sets it.
*/}}
{{- define "prk.compactionPod" -}}
{{- $root := .root -}}
{{- $values := $root.Values.compaction -}}
metadata:
  labels:
    # not the adapter's selector labels: its Service, PodDisruptionBudget and HPA must not count these pods
    app.kubernetes.io/name: {{ include "prk.name" $root }}-compact
    app.kubernetes.io/instance: {{ $root.Release.Name }}
    app.kubernetes.io/component: compaction
spec:
  serviceAccountName: {{ include "prk.compactionServiceAccountName" $root }}
  # a failed try is a new pod: its log stays, and its spill files go with its emptyDir
  restartPolicy: Never
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: compact
      image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}"
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      # a shell for the day's date (the image is Ubuntu's, with GNU date); java as the image's ENTRYPOINT runs it
      command: ["/bin/sh", "-c"]
      args:
        - |
          set -eu
          day={{ .day }}
          exec java --sun-misc-unsafe-memory-access=allow -jar /app/prometheus-remote-kinesis.jar compact --from {{ required "compaction.from: s3://BUCKET/PREFIX/ of Firehose's objects" $values.from | squote }} --to {{ required "compaction.to: s3://BUCKET/PREFIX/ of the compacted days" $values.to | squote }} --day "$day" --tmp-dir /tmp
      env:
        {{- range $name, $value := merge (dict) $values.env (pick $root.Values.env "AWS_REGION") }}
        - name: {{ $name }}
          value: {{ $value | toString | quote }}
        {{- end }}
      resources:
        {{- toYaml $values.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    # the sort's runs, the day's Parquet file before its PUT, and snappy-java's native library
    - name: tmp
      emptyDir:
        sizeLimit: {{ $values.tmpDir.sizeLimit }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* The archive reader's objects: the release's full name and -archive-reader, within 63 characters. */}}
{{- define "prk.archiveReaderName" -}}
{{- printf "%s-archive-reader" (include "prk.fullname" . | trunc 48 | trimSuffix "-") }}
{{- end }}

{{/* Not the adapter's selector labels: its Service, PodDisruptionBudget and HPA must not count these pods. */}}
{{- define "prk.archiveReaderSelectorLabels" -}}
app.kubernetes.io/name: {{ include "prk.name" . }}-archive-reader
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: archive-reader
{{- end }}

{{- define "prk.archiveReaderServiceAccountName" -}}
{{- if .Values.archiveReader.serviceAccount.create }}
{{- default (include "prk.archiveReaderName" .) .Values.archiveReader.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.archiveReader.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "prk.archiveReaderSecretName" -}}
{{- default (include "prk.archiveReaderName" .) .Values.archiveReader.existingSecret }}
{{- end }}
