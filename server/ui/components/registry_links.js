// Hash links of the registry pages and of a model version's source run.
import { get } from '../lib/api.js';
import { h } from '../lib/dom.js';

export function modelPath(name) {
  return `#/models/${encodeURIComponent(name)}`;
}

export function versionPath(name, version) {
  return `#/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}

/**
 * Links to runs' pages, which need each run's experiment: one runs/get per distinct run. A run that cannot be read
 * (deleted for good, or not readable) gets its id as plain text.
 * @returns {Promise<(runId: string) => HTMLElement>} makes a new link (or text) for a run each time it is called
 */
export async function runLinks(runIds) {
  const distinct = [...new Set(runIds.filter(Boolean))];
  const entries = await Promise.all(distinct.map(async (runId) => {
    try {
      const { run } = await get('runs/get', { run_id: runId });
      const href = `#/experiments/${encodeURIComponent(run.info.experiment_id)}/runs/${encodeURIComponent(runId)}`;
      return [runId, { href, name: run.info.run_name || runId }];
    } catch {
      return [runId, null];
    }
  }));
  const known = new Map(entries);
  return (runId) => {
    const run = known.get(runId);
    return run ? h('a', { href: run.href }, run.name) : h('span', { class: 'mono' }, runId);
  };
}
