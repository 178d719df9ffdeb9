// The list of claims, one claim with its evidence, and the contested subjects side by side.

import { download, getJSON } from "./api.js";
import { claimDetail, claimList, sideColumns } from "./cards.js";
import { h, plural, replace } from "./dom.js";
import { filters, go, href } from "./route.js";

const PAGE = 50;

export function exportButtons(params) {
  const f = filters(params);
  if (params.place) f.place = params.place;
  const button = (format, label) =>
    h(
      "button",
      {
        type: "button",
        class: "export",
        "aria-label": `Export the matching claims as ${label}`,
        onclick: () => download("/api/export", { ...f, format }, `crosscheck.${format}`).catch((err) => window.alert(err.message)),
      },
      label,
    );
  return h("div", { class: "exports", role: "group", "aria-label": "Export" }, "Export: ", button("jsonl", "JSON Lines"), button("csv", "CSV"), button("geojson", "GeoJSON"));
}

export async function renderClaims(main, params) {
  const f = filters(params);
  if (params.place) f.place = params.place;
  const offset = Math.max(0, parseInt(params.offset || "0", 10) || 0);
  const order = params.order || "-stated_at";
  replace(main, h("h1", {}, "Claims"), h("p", { class: "muted", role: "status" }, "Loading…"));
  const page = await getJSON("/api/claims", { ...f, limit: PAGE, offset, order });
  const nav = h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    offset > 0 ? h("a", { href: href("claims", { ...params, offset: Math.max(0, offset - PAGE) }), class: "button" }, "← Newer") : null,
    h("span", {}, page.total ? `${offset + 1}–${offset + page.items.length} of ${page.total.toLocaleString("en")}` : "none"),
    offset + PAGE < page.total ? h("a", { href: href("claims", { ...params, offset: offset + PAGE }), class: "button" }, "Older →") : null,
  );
  const orderSelect = h(
    "select",
    {
      id: "order",
      "aria-label": "Order",
      onchange: (ev) => go("claims", { ...params, order: ev.target.value, offset: 0 }),
    },
    [
      ["-stated_at", "newest statements first"],
      ["stated_at", "oldest statements first"],
      ["-event_start", "latest events first"],
      ["event_start", "earliest events first"],
      ["-added", "latest ingested first"],
    ].map(([value, label]) => h("option", { value, selected: value === order }, label)),
  );
  replace(
    main,
    h("h1", {}, "Claims"),
    h("div", { class: "toolbar" }, h("label", { for: "order" }, "Order "), orderSelect, exportButtons(params)),
    params.place ? h("p", {}, "At place ", h("strong", {}, params.place), " ", h("a", { href: href("claims", { ...filters(params) }) }, "(any place)")) : null,
    nav,
    claimList(page.items),
    nav.cloneNode(true),
  );
}

export async function renderClaim(main, id) {
  replace(main, h("p", { class: "muted", role: "status" }, "Loading the claim…"));
  const claim = await getJSON(`/api/claims/${encodeURIComponent(id)}`);
  const back = h("button", { type: "button", class: "link-button", onclick: () => window.history.back() }, "← Back");
  replace(main, h("p", {}, back, " · ", h("a", { href: "#/claims" }, "All claims")), claimDetail(claim));
  const heading = main.querySelector("h2");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
}

function conflictBlock(conflict) {
  const claims = Object.values(conflict.sides).flat();
  const order = Object.keys(conflict.sides);
  return h(
    "article",
    { class: "conflict" },
    h(
      "header",
      {},
      h("h2", {}, conflict.subject),
      conflict.topic ? h("p", { class: "topic" }, `on: ${conflict.topic}`) : null,
      h(
        "p",
        { class: "muted" },
        [
          conflict.first || conflict.last ? `${conflict.first || "…"} – ${conflict.last || "…"}` : null,
          conflict.outlets.length ? `outlets: ${conflict.outlets.join(", ")}` : null,
          `score ${conflict.score.toFixed(2)}`,
        ]
          .filter(Boolean)
          .join(" · "),
      ),
      h("p", { class: "explanation" }, conflict.explanation),
      h(
        "nav",
        { class: "actions" },
        h("a", { href: href("timeline", { subject: conflict.subject }), class: "button" }, "Timeline"),
        conflict.place && conflict.place.geonames_id
          ? h("a", { href: href("map", { at: String(conflict.place.geonames_id), name: conflict.place.name }), class: "button" }, "On the map")
          : null,
      ),
    ),
    sideColumns(claims, { order }),
    conflict.relations.length
      ? h(
          "details",
          {},
          h("summary", {}, plural(conflict.relations.length, "relation")),
          h(
            "ul",
            { class: "related" },
            conflict.relations.map((r) => h("li", {}, h("span", { class: ["rel-type", `rel-${r.type}`] }, r.type), " ", r.explanation)),
          ),
        )
      : null,
  );
}

export async function renderContested(main, params) {
  const f = filters(params);
  const form = h(
    "form",
    {
      class: "inline-form",
      "aria-label": "Contested subjects",
      onsubmit: (ev) => {
        ev.preventDefault();
        const data = new FormData(ev.target);
        go("contested", { ...f, place: data.get("place"), actor: data.get("actor") });
      },
    },
    h("label", { for: "c-place" }, "Place "),
    h("input", { id: "c-place", name: "place", value: params.place || "" }),
    h("label", { for: "c-actor" }, " actor "),
    h("input", { id: "c-actor", name: "actor", value: params.actor || "" }),
    " ",
    h("button", { type: "submit" }, "Find"),
  );
  const out = h("div", { "aria-live": "polite" }, h("p", { class: "muted", role: "status" }, "Looking for contested subjects…"));
  replace(main, h("h1", {}, "Contested subjects"), form, out);
  const page = await getJSON("/api/conflicts", {
    place: params.place,
    actor: params.actor || f.claimant,
    side: f.side,
    since: f.since,
    until: f.until,
    limit: 50,
  });
  replace(
    out,
    h("p", {}, `${plural(page.total, "contested subject")}; each side’s claims side by side.`),
    page.items.length ? page.items.map(conflictBlock) : h("p", { class: "muted" }, "Nothing contested matches."),
  );
}
