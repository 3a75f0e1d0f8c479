// What the pages showing MLflow 3 logged models share: their addresses, their status, their latest metrics and the
// registered model versions they were registered as.
import { h } from '../lib/dom.js';

// Logged-model states shown in the colours of the run states they resemble.
const STATUS_CLASSES = {
  LOGGED_MODEL_READY: 'status-FINISHED',
  LOGGED_MODEL_PENDING: 'status-RUNNING',
  LOGGED_MODEL_UPLOAD_FAILED: 'status-FAILED',
};

// The tag MLflow writes on a logged model when it is registered: JSON [{"name": ..., "version": ...}].
const MODEL_VERSIONS_TAG = 'mlflow.modelVersions';

// The official UI's address of a logged model's page (and of one of its tabs).
export function loggedModelPath(experimentId, modelId, tabName) {
  const base = `/experiments/${encodeURIComponent(experimentId)}/models/${encodeURIComponent(modelId)}`;
  return tabName ? `${base}/${encodeURIComponent(tabName)}` : base;
}

export function runPath(experimentId, runId) {
  return `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
}

// "READY" for LOGGED_MODEL_READY, in the colour of its kind.
export function statusBadge(status) {
  const text = (status || '').replace(/^LOGGED_MODEL_/, '');
  return h('span', { class: STATUS_CLASSES[status] || '' }, text);
}

// A metric's name with the dataset it was computed on, when there is one: "accuracy (eval_set)".
export function metricLabel(metric) {
  return metric.dataset_name ? `${metric.key} (${metric.dataset_name})` : metric.key;
}

// The latest value of each metric (by step, then time) per dataset, as {label, key, value, step, ...} sorted by label.
export function latestMetrics(model) {
  const latest = new Map();
  for (const metric of model.data?.metrics || []) {
    const label = metricLabel(metric);
    const seen = latest.get(label);
    const [step, seenStep] = [Number(metric.step || 0), Number(seen?.step || 0)];
    const newer = !seen || step > seenStep ||
      (step === seenStep && Number(metric.timestamp || 0) >= Number(seen.timestamp || 0));
    if (newer) latest.set(label, { ...metric, label });
  }
  return [...latest.values()].sort((a, b) => a.label.localeCompare(b.label));
}

export function modelTag(model, key) {
  const tag = (model.info?.tags || []).find((item) => item.key === key);
  return tag ? tag.value : undefined;
}

// The registered model versions the model was registered as ([] when none, or when the tag is not readable).
export function registeredVersions(model) {
  try {
    const versions = JSON.parse(modelTag(model, MODEL_VERSIONS_TAG) || '[]');
    return Array.isArray(versions) ? versions.filter((item) => item && item.name && item.version !== undefined) : [];
  } catch {
    return [];
  }
}

// Links to the registry pages of those versions.
export function registeredVersionLinks(model) {
  return registeredVersions(model).map((item) => h('a', {
    href: `#/models/${encodeURIComponent(item.name)}/versions/${encodeURIComponent(item.version)}`,
    class: 'model-version-link',
  }, `${item.name} v${item.version}`));
}
