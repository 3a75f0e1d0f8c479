// Metric histories for the charts, fetched down-sampled through metrics/get-history-bulk-interval: at most
// `maxResults` steps per run over the whole history or over a step range, never every point of a long history.

import { get } from '../lib/api.js';

// The server's limits for one call (MLflow's handler): 100 runs, 1..2500 steps per run.
export const MAX_RUNS_PER_CALL = 100;
export const MAX_RESULTS_LIMIT = 2500;

export function clampMaxResults(count) {
  return Math.max(1, Math.min(MAX_RESULTS_LIMIT, Math.round(count)));
}

function chunks(items, size) {
  const result = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/**
 * The sampled history of `metricKey` for each run: Map(runId -> [{step, value, timestamp}]).
 * `stepRange` [start, end] limits it to those steps (inclusive), for the detail of a zoomed chart.
 */
export async function fetchSampledHistories(runIds, metricKey, maxResults, stepRange = null) {
  const histories = new Map(runIds.map((runId) => [runId, []]));
  const params = { metric_key: metricKey, max_results: clampMaxResults(maxResults) };
  if (stepRange) Object.assign(params, { start_step: stepRange[0], end_step: stepRange[1] });
  const answers = await Promise.all(chunks(runIds, MAX_RUNS_PER_CALL)
    .map((batch) => get('metrics/get-history-bulk-interval', { ...params, run_ids: batch })));
  for (const answer of answers) {
    for (const metric of answer.metrics || []) {
      const point = { step: Number(metric.step), value: metric.value, timestamp: metric.timestamp };
      histories.get(metric.run_id)?.push(point);
    }
  }
  return histories;
}

// The overview's points outside [start, end] with the detail's points inside: the chart keeps its context while
// showing the zoomed range at full resolution.
export function mergeDetail(overview, detail, [start, end]) {
  const outside = overview.filter((point) => point.step < start || point.step > end);
  return [...outside, ...detail].sort((a, b) => a.step - b.step);
}

// The runs (runs/get), in the order asked; a run that cannot be read becomes an error naming it.
export async function fetchRuns(runIds) {
  const settled = await Promise.allSettled(runIds.map((runId) => get('runs/get', { run_id: runId })));
  const runs = [];
  const errors = [];
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') runs.push(result.value.run);
    else errors.push(Object.assign(result.reason, { message: `Run ${runIds[index]}: ${result.reason.message}` }));
  });
  return { runs, errors };
}
