// Small DOM helpers shared by the pages: element creation, formatting, and the error and loading boxes.

// h('a', {href: '#/', class: 'link', onclick: fn}, 'text', child, ...): an element with attributes, properties
// (on* functions become listeners; `dataset`, `style` objects are applied) and children (strings become text).
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'style' && typeof value === 'object') Object.assign(element.style, value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

// The same for SVG elements.
export function svg(tag, attributes, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

// A local date and time, as MLflow's UI shows run start times.
export function formatTime(milliseconds) {
  if (milliseconds === undefined || milliseconds === null || milliseconds === '') return '';
  const date = new Date(Number(milliseconds));
  const pad = (value) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// "1.2s", "3.4min", "2.1h", "1.5d".
export function formatDuration(milliseconds) {
  if (milliseconds === undefined || milliseconds === null || Number.isNaN(milliseconds) || milliseconds < 0) return '';
  if (milliseconds < 60000) return `${(milliseconds / 1000).toFixed(1)}s`;
  if (milliseconds < 3600000) return `${(milliseconds / 60000).toFixed(1)}min`;
  if (milliseconds < 86400000) return `${(milliseconds / 3600000).toFixed(1)}h`;
  return `${(milliseconds / 86400000).toFixed(1)}d`;
}

// A metric value as people read it: up to 6 significant digits, NaN and infinities by name.
export function formatNumber(value) {
  if (typeof value !== 'number') {
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    return value === undefined || value === null ? '' : String(value);
  }
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(6)));
}

// An error shown in place: the server's error code and message.
export function errorBox(error) {
  const code = error && error.errorCode ? `${error.errorCode}: ` : '';
  return h('div', { class: 'error-box', role: 'alert' }, code + (error && error.message ? error.message : String(error)));
}

// Runs a change the user asked for (`action`), then `after` (usually a redraw); a failure shows the server's error
// in `messageBox` instead, so the page stays usable.
export async function applyChange(messageBox, action, after) {
  messageBox.replaceChildren();
  try {
    await action();
    if (after) after();
  } catch (error) {
    messageBox.replaceChildren(errorBox(error));
  }
}

export function loadingBox(text = 'Loading…') {
  return h('div', { class: 'loading', role: 'status' }, text);
}

// The hash link of a page; `query` values that are arrays or strings are JSON-encoded as the official UI does.
export function hashLink(path, query) {
  const parts = [];
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined) continue;
    parts.push(`${key}=${encodeURIComponent(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value))}`);
  }
  return `#${path}${parts.length ? `?${parts.join('&')}` : ''}`;
}

// Sets the document title as "<what> - MLflow".
export function setTitle(what) {
  document.title = what ? `${what} - MLflow` : 'MLflow';
}
