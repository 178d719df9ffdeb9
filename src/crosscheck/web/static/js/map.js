// The map: an offline basemap (world-atlas countries drawn as a GeoJSON layer, no tile server) with
// one circle per place, coloured by the side with most claims there, contested places ringed.
// Beside it, the same places as a list of buttons (reachable by keyboard), and the chosen place's
// claims in one column per side.

import { getJSON } from "./api.js";
import { sideColumns } from "./cards.js";
import { h, plural, replace } from "./dom.js";
import { filters, go, href } from "./route.js";
import { NO_SIDE, sideColour, sideCounts } from "./sides.js";

const ATLAS = "/static/vendor/world-atlas/countries-50m.json";
const CONTESTED_RING = "#f59e0b";

let map = null;
let basemap = null;
let markers = null;
let lastFilterKey = null;
let placesByKey = new Map();

function vendorMissing() {
  return typeof window.L === "undefined" || typeof window.topojson === "undefined";
}

// world-atlas is made for spherical projections: a ring that crosses the antimeridian jumps from
// +180 to -180 and would be drawn across the whole flat map. Keep such rings continuous instead
// (longitudes past 180), except rings that reach a pole, which do span every longitude.
function unwrapRing(ring) {
  if (ring.some(([, lat]) => Math.abs(lat) >= 85)) return ring;
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i > 0) {
      const prev = ring[i - 1][0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

function unwrap(geometry) {
  if (!geometry) return geometry;
  if (geometry.type === "Polygon") return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
  if (geometry.type === "MultiPolygon")
    return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrapRing)) };
  return geometry;
}

async function loadBasemap() {
  const response = await fetch(ATLAS);
  if (!response.ok) throw new Error(`basemap ${ATLAS}: ${response.status}`);
  const topo = await response.json();
  const countries = window.topojson.feature(topo, topo.objects.countries);
  countries.features = countries.features.map((f) => ({ ...f, geometry: unwrap(f.geometry) }));
  return window.L.geoJSON(countries, {
    interactive: false,
    style: { color: "#9aa5b1", weight: 0.6, fillColor: "#eef1f4", fillOpacity: 1 },
  });
}

function radius(n) {
  return Math.min(28, 5 + 2.5 * Math.sqrt(n));
}

function dominantSide(place) {
  const rows = sideCounts(place).filter(([side]) => side !== NO_SIDE);
  return rows.length ? rows[0][0] : null;
}

function tooltip(place) {
  return h(
    "div",
    { class: "place-tip" },
    h("strong", {}, place.name),
    place.contested ? h("span", { class: "badge contested-badge" }, "contested") : null,
    h("br"),
    plural(place.claims, "claim"),
    h(
      "ul",
      {},
      sideCounts(place).map(([side, n]) => h("li", {}, `${side}: ${n}`)),
    ),
  );
}

function ensureMap(container) {
  if (map && map.getContainer() === container) return;
  if (map) map.remove();
  const L = window.L;
  map = L.map(container, {
    worldCopyJump: true,
    minZoom: 2,
    maxZoom: 12,
    attributionControl: true,
    preferCanvas: false,
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth via world-atlas");
  map.setView([48.5, 35], 5);
  markers = L.layerGroup().addTo(map);
  lastFilterKey = null;
  if (basemap) basemap.addTo(map);
  else
    loadBasemap()
      .then((layer) => {
        basemap = layer;
        if (map) {
          layer.addTo(map);
          layer.bringToBack();
        }
      })
      .catch((err) => console.error(err));
}

function drawMarkers(places, params) {
  const L = window.L;
  markers.clearLayers();
  const f = filters(params);
  for (const place of places) {
    const side = dominantSide(place);
    const colour = side ? sideColour(side) : sideColour(null);
    const r = radius(place.claims);
    const selected = params.at === place.key;
    if (place.contested) {
      L.circleMarker([place.lat, place.lon], {
        radius: r + 5,
        color: CONTESTED_RING,
        weight: 3,
        fill: false,
        interactive: false,
        className: "contested-ring",
      }).addTo(markers);
    }
    const marker = L.circleMarker([place.lat, place.lon], {
      radius: r,
      color: selected ? "#000" : place.contested ? "#7c2d12" : "#ffffff",
      weight: selected ? 3 : place.contested ? 2.5 : 1,
      fillColor: colour,
      fillOpacity: 0.85,
      className: `place-marker place-${place.key.replace(/[^A-Za-z0-9_-]/g, "_")}`,
    });
    marker.bindTooltip(tooltip(place), { direction: "top" });
    marker.on("click", () => go("map", { ...f, at: place.key, name: place.name }));
    marker.addTo(markers);
  }
}

function placeList(places, params) {
  const f = filters(params);
  return h(
    "ol",
    { class: "place-list", "aria-label": "Places, most claims first" },
    places.slice(0, 200).map((place) =>
      h(
        "li",
        {},
        h(
          "a",
          {
            href: href("map", { ...f, at: place.key, name: place.name }),
            class: ["place-link", place.contested ? "contested" : null, params.at === place.key ? "selected" : null],
            "aria-current": params.at === place.key ? "true" : null,
            dataset: { place: place.key },
          },
          h("span", { class: "dot", style: { "--side": sideColour(dominantSide(place)) }, "aria-hidden": "true" }),
          h("span", { class: "name" }, place.name),
          " ",
          h("span", { class: "count" }, plural(place.claims, "claim")),
          place.contested ? h("span", { class: "badge contested-badge" }, "contested") : null,
        ),
      ),
    ),
  );
}

async function placePanel(panel, params) {
  const f = filters(params);
  const place = placesByKey.get(params.at);
  const name = (place && place.name) || params.name || params.at;
  const query = params.at.startsWith("name:") ? name : params.at;
  replace(panel, h("p", { class: "muted", role: "status" }, `Loading claims about ${name}…`));
  const page = await getJSON("/api/claims", { ...f, place: query, limit: 500, order: "-stated_at" });
  const heading = h(
    "header",
    { class: "place-head" },
    h("h2", { id: "place-title", tabindex: "-1" }, name),
    place && place.contested ? h("span", { class: "badge contested-badge" }, "contested") : null,
    h("p", { class: "muted" }, `${plural(page.total, "claim")}${page.total > page.items.length ? `, the ${page.items.length} latest shown` : ""}`),
    h(
      "nav",
      { class: "actions", "aria-label": `Views of ${name}` },
      h("a", { href: href("timeline", { ...f, subject: name }), class: "button" }, "Timeline"),
      h("a", { href: href("contested", { ...f, place: name }), class: "button" }, "Contested subjects"),
      h("a", { href: href("claims", { ...f, place: query }), class: "button" }, "All claims"),
    ),
  );
  replace(panel, heading, sideColumns(page.items));
  panel.querySelector("#place-title").focus({ preventScroll: true });
}

export async function renderMap(main, params) {
  const f = filters(params);
  const mapBox = h("div", { id: "map", role: "region", "aria-label": "Map of claimed places" });
  const listBox = h("div", { class: "places-box" }, h("p", { class: "muted" }, "Loading places…"));
  const panel = h(
    "div",
    { class: "place-panel", "aria-live": "polite" },
    h("p", { class: "muted" }, "Choose a place on the map or in the list to see each side’s claims about it."),
  );
  const existing = main.querySelector("#map");
  if (existing && map) {
    // keep the map (and its zoom) when only the selection or filters change
    replace(main.querySelector(".places-box"), listBox.firstChild);
    replace(main.querySelector(".place-panel"), panel.firstChild);
  } else {
    replace(main, h("div", { class: "map-layout" }, h("div", { class: "map-col" }, mapBox, listBox), panel));
  }
  const mapEl = main.querySelector("#map");
  const listEl = main.querySelector(".places-box");
  const panelEl = main.querySelector(".place-panel");
  if (vendorMissing()) {
    replace(mapEl, h("p", { class: "warning" }, "The map files are missing on this server: run `make assets`. The list of places still works."));
  } else {
    ensureMap(mapEl);
  }
  const page = await getJSON("/api/places", { ...f, limit: 1000 });
  placesByKey = new Map(page.items.map((p) => [p.key, p]));
  const key = JSON.stringify(f);
  if (map && !vendorMissing()) {
    drawMarkers(page.items, params);
    if (key !== lastFilterKey && page.items.length && !params.at) {
      // frame the busiest places (the list is most claimed first), not every outlier
      const busiest = page.items.slice(0, 5).map((p) => [p.lat, p.lon]);
      map.fitBounds(window.L.latLngBounds(busiest).pad(0.3), { maxZoom: 7 });
    }
    lastFilterKey = key;
    setTimeout(() => map && map.invalidateSize(), 0);
  }
  replace(
    listEl,
    h("h2", { class: "small-heading" }, `${plural(page.total, "place")}${page.total > page.items.length ? " (top 1000 on the map)" : ""}`),
    page.items.length ? placeList(page.items, params) : h("p", { class: "muted" }, "No located claims match."),
  );
  if (params.at) {
    const place = placesByKey.get(params.at);
    if (place && map) map.setView([place.lat, place.lon], Math.max(map.getZoom(), 7), { animate: false });
    await placePanel(panelEl, params);
  }
}

export function leaveMap() {
  if (map) {
    map.remove();
    map = null;
  }
}
