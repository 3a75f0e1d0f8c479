// The server's public REST API, as the official UI calls it: ajax-api/2.0/mlflow/... relative to the page, so the
// UI works under any --static-prefix and against any server that speaks the protocol. Basic authentication, when the
// server asks for it, is the browser's own prompt: requests carry the credentials the browser already has.

const API_ROOT = 'ajax-api/2.0/mlflow/';

// A failed call: the server's MLflow error (error_code, message) or a network failure (status 0).
export class ApiError extends Error {
  constructor(status, errorCode, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) value.forEach((item) => search.append(key, String(item)));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function request(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', `The server could not be reached: ${error.message}`);
  }
  const text = await response.text();
  let data = {};
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (!response.ok) throw new ApiError(response.status, 'INTERNAL_ERROR', text.slice(0, 500));
      throw new ApiError(response.status, 'INTERNAL_ERROR', 'The server answered with something that is not JSON.');
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, data.error_code || 'INTERNAL_ERROR', data.message || response.statusText);
  }
  return data;
}

// GET ajax-api/2.0/mlflow/<path>?<params>; arrays become repeated parameters.
export function get(path, params) {
  return request('GET', API_ROOT + path + queryString(params));
}

// POST ajax-api/2.0/mlflow/<path> with a JSON body.
export function post(path, body) {
  return request('POST', API_ROOT + path, body || {});
}

// PATCH / DELETE with a JSON body (registry aliases and the like).
export function patch(path, body) {
  return request('PATCH', API_ROOT + path, body || {});
}
export function del(path, body) {
  return request('DELETE', API_ROOT + path, body || {});
}

// Reads every page of a paged search: `call(pageToken)` returns the answer, `field` names its list.
export async function allPages(call, field, limit = Infinity) {
  const items = [];
  let token;
  do {
    const answer = await call(token);
    items.push(...(answer[field] || []));
    token = answer.next_page_token;
  } while (token && items.length < limit);
  return items;
}

// The URL of a run's artifact file, as the official UI downloads it.
export function artifactUrl(runId, path) {
  return `get-artifact${queryString({ path, run_uuid: runId })}`;
}

// The URL of a model version's artifact file.
export function modelVersionArtifactUrl(name, version, path) {
  return `model-versions/get-artifact${queryString({ path, name, version })}`;
}

// The URL of a logged model's artifact file (MLflow 3), as the official UI downloads it.
export function loggedModelArtifactUrl(modelId, path) {
  return `${API_ROOT}logged-models/${encodeURIComponent(modelId)}/artifacts/files` +
    queryString({ artifact_file_path: path });
}
