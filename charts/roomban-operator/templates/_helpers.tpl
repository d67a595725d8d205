{{/* Names, labels and the operator's command line, shared by every template. */}}

{{- define "roomban-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or the release name when it already contains the chart name; 63 chars max. */}}
{{- define "roomban-operator.fullname" -}}
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

{{- define "roomban-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "roomban-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "roomban-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "roomban-operator.labels" -}}
helm.sh/chart: {{ include "roomban-operator.chart" . }}
{{ include "roomban-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: roomban-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "roomban-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "roomban-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "roomban-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" when the operator runs with --leader-elect: asked for, or needed by replicaCount > 1. */}}
{{- define "roomban-operator.leaderElect" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{- define "roomban-operator.leaderElectionNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace }}
{{- end }}

{{- define "roomban-operator.leaseName" -}}
{{- default (include "roomban-operator.fullname" .) .Values.leaderElection.id }}
{{- end }}

{{/* "true" in namespace-scoped mode (watchNamespaces set). */}}
{{- define "roomban-operator.namespaced" -}}
{{- if .Values.watchNamespaces }}true{{ end }}
{{- end }}

{{/*
The container args: the `operator` subcommand and one flag per setting, so `kubectl get deploy -o
yaml` shows exactly how the operator runs. Flags left at the operator's default are still passed
when the chart owns the value (ports, concurrency, log level), and omitted when unset.
*/}}
{{- define "roomban-operator.args" -}}
- operator
- --concurrency={{ .Values.concurrency }}
- --log-level={{ .Values.logLevel }}
- --health-probe-bind-address=:{{ .Values.health.port }}
{{- if .Values.metrics.enabled }}
- --metrics-bind-address=:{{ .Values.metrics.port }}
{{- else }}
- --metrics-bind-address=0
{{- end }}
{{- with .Values.watchNamespaces }}
- --namespaces={{ join "," . }}
{{- end }}
{{- if include "roomban-operator.leaderElect" . }}
- --leader-elect
- --leader-election-id={{ include "roomban-operator.leaseName" . }}
{{- with .Values.leaderElection.namespace }}
- --leader-election-namespace={{ . }}
{{- end }}
{{- end }}
{{- with .Values.allowedEndpointHosts }}
- --allowed-endpoint-hosts={{ join "," . }}
{{- end }}
{{- if .Values.allowCustomEndpoints }}
- --allow-custom-endpoints
{{- end }}
{{- with .Values.kubeconfig }}
- --kubeconfig={{ . }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}

{{/* Rules for what the operator does with RoomBans and RoomProviders in one scope. */}}
{{- define "roomban-operator.namespacedRules" -}}
# Read RoomBans and RoomProviders; write only their status, by update (never spec, never delete).
- apiGroups: [roomban.io]
  resources: [roombans, roomproviders]
  verbs: [get, list, watch]
- apiGroups: [roomban.io]
  resources: [roombans/status, roomproviders/status]
  verbs: [get, update]
# The finalizer roomban.io/unban (bans lifted before a RoomBan goes): a merge patch of
# metadata.finalizers only, carrying the resourceVersion. RBAC cannot narrow patch to one field.
- apiGroups: [roomban.io]
  resources: [roombans]
  verbs: [patch]
# A status write after a vendor call is a JSON Patch of what changed (resourceVersion precondition).
- apiGroups: [roomban.io]
  resources: [roombans/status]
  verbs: [patch]
- apiGroups: [roomban.io]
  resources: [roombans/finalizers]
  verbs: [update]
# Vendor credentials named by RoomProviders.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
# Events on RoomBan transitions (Removed with RequestId, Stalled with reason): core/v1, created only.
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end }}

{{- define "roomban-operator.clusterRoomProviderRules" -}}
# ClusterRoomProviders are cluster-scoped: reading them needs a ClusterRole in every mode.
- apiGroups: [roomban.io]
  resources: [clusterroomproviders]
  verbs: [get, list, watch]
- apiGroups: [roomban.io]
  resources: [clusterroomproviders/status]
  verbs: [get, update]
{{- end }}

{{- define "roomban-operator.namespaceRules" -}}
# Namespace labels, which ClusterRoomProviders' spec.namespaceSelector reads. Namespace-scoped mode
# lists and watches only the watched namespaces (by metadata.name field selector, which RBAC
# authorizes against resourceNames).
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list, watch]
  {{- with .Values.watchNamespaces }}
  resourceNames:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
