// Nested runs: a run whose parent (tag mlflow.parentRunId) is on the same page is shown under it, indented; a child
// whose parent is elsewhere is shown as a top-level row. The server's order is kept among siblings.
import { parentRunId } from './runs_columns.js';

// The rows in display order: { run, depth, childCount, parentId } with parentId set only for a parent on the page.
export function nestRuns(runs) {
  const byId = new Map(runs.map((run) => [run.info.run_id, run]));
  const children = new Map();
  const roots = [];
  for (const run of runs) {
    const parent = parentRunId(run);
    if (parent && parent !== run.info.run_id && byId.has(parent)) {
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(run);
    } else {
      roots.push(run);
    }
  }
  const rows = [];
  const placed = new Set();
  const place = (run, depth, parentId) => {
    if (placed.has(run.info.run_id)) return;
    placed.add(run.info.run_id);
    const own = children.get(run.info.run_id) || [];
    rows.push({ run, depth, childCount: own.length, parentId });
    own.forEach((child) => place(child, depth + 1, run.info.run_id));
  };
  roots.forEach((run) => place(run, 0, undefined));
  // Runs in a parent cycle have no root on the page: they are shown at the top level rather than lost.
  runs.forEach((run) => place(run, 0, undefined));
  return rows;
}

// The rows left visible when the runs in `collapsed` hide their descendants.
export function visibleRows(rows, collapsed) {
  const hidden = new Set();
  return rows.filter((row) => {
    if (row.parentId && (hidden.has(row.parentId) || collapsed.has(row.parentId))) {
      hidden.add(row.run.info.run_id);
      return false;
    }
    return true;
  });
}
