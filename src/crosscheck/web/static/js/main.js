// The single-page app: a filter bar and navigation over views chosen by the URL hash.

import { ApiError, getJSON } from "./api.js";
import { h, replace } from "./dom.js";
import { renderIngest } from "./ingest.js";
import { leaveMap, renderMap } from "./map.js";
import { current, FILTERS, filters, go, href } from "./route.js";
import { setSides } from "./sides.js";
import { renderTimeline } from "./timeline.js";
import { renderClaim, renderClaims, renderContested } from "./views.js";

let meta = null;

const VIEWS = {
  map: "Map",
  claims: "Claims",
  contested: "Contested",
  timeline: "Timeline",
  ingest: "Ingest",
};

function option(value, label, selected) {
  return h("option", { value, selected: selected === value }, label);
}

function filterBar(params) {
  const f = filters(params);
  const sides = meta ? meta.sides.filter((s) => s.name).map((s) => s.name) : [];
  const input = (name, label, attrs) =>
    h("div", { class: "field" }, h("label", { for: `f-${name}` }, label), h("input", { id: `f-${name}`, name, value: f[name] || "", ...attrs }));
  const select = (name, label, values) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: `f-${name}` }, label),
      h("select", { id: `f-${name}`, name }, option("", "any", f[name] || ""), values.map((v) => option(v, v, f[name]))),
    );
  const active = Object.keys(f).length;
  const wide = window.matchMedia("(min-width: 821px)").matches;
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter claims",
      onsubmit: (ev) => {
        ev.preventDefault();
        const data = new FormData(ev.target);
        const next = { ...current().params };
        for (const key of FILTERS) next[key] = String(data.get(key) || "").trim();
        delete next.offset;
        const { view, arg } = current();
        go(arg ? "claims" : view, next);
      },
    },
    input("q", "Search", { type: "search", placeholder: "words in the claim" }),
    select("side", "Side", sides),
    input("claimant", "Claimant", {}),
    input("outlet", "Outlet", {}),
    input("event_type", "Event type", {}),
    select("status", "Status", ["asserted", "corroborated", "contested", "disputed"]),
    select("mode", "Mode", ["direct", "indirect", "mixed", "according_to", "headline", "unattributed"]),
    input("since", "Since", { type: "date" }),
    input("until", "Until", { type: "date" }),
    h(
      "div",
      { class: "field buttons" },
      h("button", { type: "submit", class: "primary" }, "Apply"),
      h("a", { href: href(current().view === "claim" ? "claims" : current().view, {}), class: "button" }, "Clear"),
    ),
  );
  // folded on phones, so the view comes first; the summary says how many filters apply
  return h(
    "details",
    { class: "filter-details", open: wide },
    h("summary", {}, active ? `Filters (${active} active)` : "Filters"),
    form,
  );
}

function nav(view) {
  return h(
    "nav",
    { class: "main-nav", "aria-label": "Views" },
    Object.entries(VIEWS).map(([key, label]) => {
      const params = key === "ingest" ? {} : filters(current().params);
      return h("a", { href: href(key, params), "aria-current": key === view ? "page" : null }, label);
    }),
    h("a", { href: "/docs" }, "API"),
  );
}

function showError(main, err) {
  const needsToken = err instanceof ApiError && (err.status === 401 || err.status === 403);
  replace(
    main,
    h(
      "div",
      { class: "error", role: "alert" },
      h("p", {}, err.message),
      needsToken ? h("p", {}, "Give the API token on the ", h("a", { href: "#/ingest" }, "Ingest page"), ", then come back.") : null,
    ),
  );
}

async function route() {
  const { view, arg, params } = current();
  const main = document.getElementById("main");
  replace(document.getElementById("nav"), nav(view));
  replace(document.getElementById("filter-bar"), view === "ingest" ? [] : filterBar(params));
  if (view !== "map") leaveMap();
  try {
    if (view === "map") await renderMap(main, params);
    else if (view === "claims") await renderClaims(main, params);
    else if (view === "claim" && arg) await renderClaim(main, arg);
    else if (view === "contested") await renderContested(main, params);
    else if (view === "timeline") await renderTimeline(main, params);
    else if (view === "ingest") renderIngest(main, meta);
    else replace(main, h("p", {}, "No such view. ", h("a", { href: "#/map" }, "Go to the map.")));
  } catch (err) {
    console.error(err);
    showError(main, err);
  }
  document.title = `${VIEWS[view] || "Claim"} — crosscheck`;
}

async function start() {
  try {
    meta = await getJSON("/api/meta");
    setSides(meta);
    const counts = document.getElementById("counts");
    if (counts) counts.textContent = `${meta.documents.toLocaleString("en")} documents · ${meta.claims.toLocaleString("en")} claims`;
  } catch (err) {
    meta = null;
    console.error(err);
  }
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "true";
}

start();
