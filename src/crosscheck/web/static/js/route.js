// Where the page is: everything (view, filters, selection) lives in the URL hash, so links can be shared.
// "#/map?side=Russia&at=704422" -> {view: "map", arg: null, params: {side: "Russia", at: "704422"}}

export const FILTERS = ["q", "side", "claimant", "outlet", "event_type", "status", "mode", "since", "until"];

export function current() {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [path, query] = hash.split("?", 2);
  const [view, ...rest] = (path || "map").split("/");
  const params = Object.fromEntries(new URLSearchParams(query || ""));
  return { view: view || "map", arg: rest.length ? decodeURIComponent(rest.join("/")) : null, params };
}

export function href(view, params, arg) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
  }
  const path = arg ? `${view}/${encodeURIComponent(arg)}` : view;
  const qs = query.toString();
  return `#/${path}${qs ? "?" + qs : ""}`;
}

export function go(view, params, arg) {
  window.location.hash = href(view, params, arg);
}

/** The filter part of ``params`` (what the filter bar sets and every view applies). */
export function filters(params) {
  const out = {};
  for (const key of FILTERS) if (params[key]) out[key] = params[key];
  return out;
}
