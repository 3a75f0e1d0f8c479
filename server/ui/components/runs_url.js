// Keeps a page's state (filter, order, view) in the hash's query without re-rendering the page: the app renders on
// hashchange, and replaceState does not fire one, so tokens and selections kept in memory survive.

// Writes `#<path>?<values>`; empty, undefined and default values are left out.
export function replaceQuery(path, values) {
  // encodeURIComponent rather than URLSearchParams: spaces become %20, not "+", which every reader decodes alike.
  const parts = Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  history.replaceState(null, '', `#${path}${parts.length ? `?${parts.join('&')}` : ''}`);
}

// The official UI's lifecycle filter values and the view types of the search APIs.
export const LIFECYCLE_VIEWS = [
  { value: 'Active', label: 'Active', viewType: 'ACTIVE_ONLY' },
  { value: 'Deleted', label: 'Deleted', viewType: 'DELETED_ONLY' },
  { value: 'All', label: 'All', viewType: 'ALL' },
];

export function lifecycleView(value) {
  const wanted = String(value || '').toLowerCase();
  return LIFECYCLE_VIEWS.find((view) => view.value.toLowerCase() === wanted) || LIFECYCLE_VIEWS[0];
}
