// Keeps a page's state (filter, order, view) in the hash's query without re-rendering the page: the app renders on
// hashchange, and replaceState does not fire one, so tokens and selections kept in memory survive.

// Writes `#<path>?<values>`; empty, undefined and default values are left out.
export function replaceQuery(path, values) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  history.replaceState(null, '', `#${path}${text ? `?${text}` : ''}`);
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
