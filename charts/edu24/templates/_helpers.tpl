{{/*
Chart name, truncated to the 63 characters of a DNS label.
*/}}
{{- define "edu24.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified release name. A release named "edu24" yields "edu24".
*/}}
{{- define "edu24.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "edu24.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of one service's objects, e.g. "edu24-identity". Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.componentName" -}}
{{- printf "%s-%s" (include "edu24.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels of one service. Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.selectorLabels" -}}
app.kubernetes.io/name: {{ include "edu24.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Common labels of one service. Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.labels" -}}
helm.sh/chart: {{ include "edu24.chart" .root }}
{{ include "edu24.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: edu24
{{- end }}

{{- define "edu24.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Fails the render clearly when a template names a service that values.yaml lacks.
Takes (dict "root" $ "name" "<service>"); renders nothing.
*/}}
{{- define "edu24.requireService" -}}
{{- if not (hasKey .root.Values.services .name) }}
{{- fail (printf "services.%s is not defined in values.yaml" .name) }}
{{- end }}
{{- end }}

{{/*
EDU24_DATABASE_URL from the service's Secret, when the service has a database.
Takes the service's values entry.
*/}}
{{- define "edu24.databaseEnv" -}}
{{- with .databaseUrlSecret -}}
- name: EDU24_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "databaseUrlSecret.name is required" .name | quote }}
      key: {{ .key | default "url" | quote }}
{{- end -}}
{{- end }}

{{/*
Logging and tracing variables. Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.telemetryEnv" -}}
{{- $g := .root.Values.global.env -}}
- name: EDU24_LOG
  value: {{ $g.log | default "info" | quote }}
- name: EDU24_LOG_FORMAT
  value: {{ $g.logFormat | default "json" | quote }}
{{- with $g.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "edu24-%s" $.name | quote }}
{{- end }}
{{- end }}

{{/*
Environment of a service's main container: global settings, listen addresses, the gRPC
URLs of the other enabled services (EDU24_IDENTITY_URL, EDU24_CATALOGUE_URL, ...), the
database URL, then global and per-service extraEnv. Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.env" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := index $root.Values.services $name -}}
{{- $g := $root.Values.global.env -}}
{{ include "edu24.telemetryEnv" . }}
- name: EDU24_NATS_URL
  value: {{ required "global.env.natsUrl is required" $g.natsUrl | quote }}
- name: EDU24_PUBLIC_URL
  value: {{ required "global.env.publicUrl is required" $g.publicUrl | quote }}
- name: EDU24_COOKIE_SECURE
  value: {{ $g.cookieSecure | default false | toString | quote }}
- name: EDU24_HTTP_ADDR
  value: {{ printf "0.0.0.0:%d" (int $svc.ports.http) | quote }}
{{- if $svc.ports.grpc }}
- name: EDU24_GRPC_ADDR
  value: {{ printf "0.0.0.0:%d" (int $svc.ports.grpc) | quote }}
{{- end }}
{{- range $other, $o := $root.Values.services }}
{{- if and (ne $other $name) $o.enabled $o.ports.grpc }}
- name: {{ printf "EDU24_%s_URL" (upper $other) }}
  value: {{ printf "http://%s:%d" (include "edu24.componentName" (dict "root" $root "name" $other)) (int $o.ports.grpc) | quote }}
{{- end }}
{{- end }}
{{- if $svc.databaseUrlSecret }}
{{ include "edu24.databaseEnv" $svc }}
{{- end }}
{{- with $root.Values.global.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Deployment of one service: `edu24 serve <name>`, plus an `edu24 migrate` init container
when the service has a database. Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.deployment" -}}
{{- include "edu24.requireService" . -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := index $root.Values.services $name -}}
{{- $image := include "edu24.image" $root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "edu24.componentName" . }}
  labels:
    {{- include "edu24.labels" . | nindent 4 }}
spec:
  replicas: {{ ternary $svc.replicas 1 (hasKey $svc "replicas") }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "edu24.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "edu24.labels" . | nindent 8 }}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $svc.ports.http | int | quote }}
        prometheus.io/path: /metrics
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      automountServiceAccountToken: false
      # Service links would inject EDU24_<NAME>_PORT and similar into the EDU24_ namespace.
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds | default 30 }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- if $svc.databaseUrlSecret }}
      initContainers:
        - name: migrate
          image: {{ $image }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["migrate"]
          env:
            - name: EDU24_SERVICE
              value: {{ $name | quote }}
            {{- include "edu24.databaseEnv" $svc | nindent 12 }}
            {{- include "edu24.telemetryEnv" . | nindent 12 }}
          resources:
            {{- toYaml $root.Values.migrate.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      {{- end }}
      containers:
        - name: {{ $name }}
          image: {{ $image }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            {{- toYaml (default (list "serve" $name) $svc.args) | nindent 12 }}
          ports:
            {{- if $svc.ports.grpc }}
            - name: grpc
              containerPort: {{ $svc.ports.grpc | int }}
              protocol: TCP
            {{- end }}
            - name: http
              containerPort: {{ $svc.ports.http | int }}
              protocol: TCP
          env:
            {{- include "edu24.env" . | nindent 12 }}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 3
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/*
Service of one service: grpc and http for backend services, http only for the gateway.
Takes (dict "root" $ "name" "<service>").
*/}}
{{- define "edu24.service" -}}
{{- include "edu24.requireService" . -}}
{{- $svc := index .root.Values.services .name -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "edu24.componentName" . }}
  labels:
    {{- include "edu24.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "edu24.selectorLabels" . | nindent 4 }}
  ports:
    {{- if $svc.ports.grpc }}
    - name: grpc
      port: {{ $svc.ports.grpc | int }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    {{- end }}
    - name: http
      port: {{ $svc.ports.http | int }}
      targetPort: http
      protocol: TCP
      appProtocol: http
{{- end }}
