// The JSON API, with the bearer token the person gave (kept for the tab, or on this device if asked).

const KEY = "crosscheck.token";

export function getToken() {
  return window.sessionStorage.getItem(KEY) || window.localStorage.getItem(KEY) || "";
}

export function setToken(token, remember) {
  window.sessionStorage.removeItem(KEY);
  window.localStorage.removeItem(KEY);
  if (!token) return;
  (remember ? window.localStorage : window.sessionStorage).setItem(KEY, token);
}

export class ApiError extends Error {
  constructor(status, message, param) {
    super(message);
    this.status = status;
    this.param = param || null;
  }
}

function headers() {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** "/api/claims" + {side: "x", limit: 10} -> "/api/claims?side=x&limit=10" (empty values left out). */
export function apiUrl(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = (body && body.error) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, body && body.param);
  }
  return body;
}

export async function getJSON(path, params) {
  const response = await fetch(apiUrl(path, params), { headers: headers(), credentials: "same-origin" });
  return answer(response);
}

export async function postForm(path, form) {
  const response = await fetch(path, { method: "POST", body: form, headers: headers(), credentials: "same-origin" });
  return answer(response);
}

/** Download an export: a plain link when no token is needed, else fetched with the token and saved. */
export async function download(path, params, filename) {
  const url = apiUrl(path, params);
  const token = getToken();
  const a = document.createElement("a");
  a.download = filename;
  if (!token) {
    a.href = url;
    a.click();
    return;
  }
  const response = await fetch(url, { headers: headers(), credentials: "same-origin" });
  if (!response.ok) await answer(response);
  const blob = await response.blob();
  a.href = URL.createObjectURL(blob);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
