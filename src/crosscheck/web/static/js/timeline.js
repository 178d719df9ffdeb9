// The timeline of a place or actor: one lane per side (or outlet); each claim a bar over its event
// time and a diamond at the day it was stated, joined by a dashed line. Drawn as SVG, no library.

import { getJSON } from "./api.js";
import { h, plural, replace, s } from "./dom.js";
import { filters, go, href } from "./route.js";
import { NO_SIDE, sideColour } from "./sides.js";

const DAY = 86400000;
const LANE = 46;
const LEFT = 150;
const RIGHT = 24;
const TOP = 30;

function toTime(date) {
  if (!date) return null;
  const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

function ticks(min, max, width) {
  const count = Math.max(2, Math.min(8, Math.floor(width / 110)));
  const out = [];
  for (let i = 0; i <= count; i += 1) out.push(min + ((max - min) * i) / count);
  return out;
}

function label(t, span) {
  const d = new Date(t);
  return span > 400 * DAY ? d.toISOString().slice(0, 7) : d.toISOString().slice(0, 10);
}

function draw(entries, by, width) {
  const laneOf = (e) => (by === "outlet" ? e.outlet || "unknown outlet" : e.side || NO_SIDE);
  const lanes = [...new Set(entries.map(laneOf))].sort((a, b) => (a === NO_SIDE) - (b === NO_SIDE) || a.localeCompare(b));
  const times = entries.flatMap((e) => [toTime(e.event_start), toTime(e.event_end), toTime(e.stated_at)]).filter((t) => t !== null);
  if (!times.length) return h("p", { class: "muted" }, "None of these claims is dated.");
  let min = Math.min(...times);
  let max = Math.max(...times);
  if (max - min < 7 * DAY) {
    min -= 3 * DAY;
    max += 3 * DAY;
  }
  const plot = width - LEFT - RIGHT;
  const x = (t) => LEFT + ((t - min) / (max - min)) * plot;
  const height = TOP + lanes.length * LANE + 10;
  const svg = s("svg", {
    class: "timeline-svg",
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": `Timeline of ${plural(entries.length, "claim")} in ${plural(lanes.length, "lane")} by ${by}`,
  });
  for (const t of ticks(min, max, plot)) {
    svg.append(
      s("line", { x1: x(t), x2: x(t), y1: TOP - 6, y2: height - 6, class: "tick" }),
      s("text", { x: x(t), y: TOP - 12, class: "tick-label", "text-anchor": "middle" }, label(t, max - min)),
    );
  }
  const perLane = new Map();
  lanes.forEach((lane, i) => {
    const y = TOP + i * LANE;
    svg.append(
      s("rect", { x: 0, y, width, height: LANE, class: i % 2 ? "lane odd" : "lane" }),
      s("text", { x: 8, y: y + LANE / 2 + 4, class: "lane-label" }, lane.length > 22 ? lane.slice(0, 21) + "…" : lane),
    );
    perLane.set(lane, 0);
  });
  for (const e of entries) {
    const lane = laneOf(e);
    const row = perLane.get(lane);
    perLane.set(lane, row + 1);
    const y = TOP + lanes.indexOf(lane) * LANE + 10 + (row % 4) * 8;
    const colour = sideColour(e.side);
    const start = toTime(e.event_start);
    const end = toTime(e.event_end);
    const stated = toTime(e.stated_at);
    const who = e.claim.claimant ? e.claim.claimant.name : "unattributed";
    const link = s(
      "a",
      { href: href("claim", {}, e.claim.id), class: "tl-entry", "aria-label": `${who}: ${e.claim.text}` },
      s("title", {}, `${who}${e.outlet ? " in " + e.outlet : ""} — event ${e.event_start || "?"}…${e.event_end || "?"}, stated ${e.stated_at || "?"}: ${e.claim.text}`),
    );
    const a = start ?? end;
    const b = end ?? start;
    if (a !== null) {
      const x1 = x(a);
      const x2 = Math.max(x(b), x1 + 3);
      link.append(s("rect", { x: x1, y: y - 3, width: x2 - x1, height: 6, rx: 3, class: "tl-event", style: { fill: colour } }));
    }
    if (stated !== null) {
      const xs = x(stated);
      if (a !== null) link.append(s("line", { x1: x(b), x2: xs, y1: y, y2: y, class: "tl-join", style: { stroke: colour } }));
      link.append(s("path", { d: `M${xs} ${y - 5} L${xs + 5} ${y} L${xs} ${y + 5} L${xs - 5} ${y} Z`, class: "tl-stated", style: { fill: colour } }));
    }
    svg.append(link);
  }
  return svg;
}

function entryTable(entries) {
  return h(
    "table",
    { class: "timeline-table" },
    h("caption", {}, "The same claims as a table"),
    h("thead", {}, h("tr", {}, ["Event", "Stated", "Side", "Outlet", "Claim"].map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      entries.map((e) =>
        h(
          "tr",
          {},
          h("td", {}, e.event_start ? `${e.event_start}${e.event_end && e.event_end !== e.event_start ? " – " + e.event_end : ""}` : "—"),
          h("td", {}, e.stated_at || "—"),
          h("td", {}, e.side || NO_SIDE),
          h("td", {}, e.outlet || "—"),
          h("td", {}, h("a", { href: href("claim", {}, e.claim.id) }, e.claim.text)),
        ),
      ),
    ),
  );
}

export async function renderTimeline(main, params) {
  const f = filters(params);
  const by = params.by === "outlet" ? "outlet" : "side";
  const subject = params.subject || "";
  const form = h(
    "form",
    {
      class: "inline-form",
      role: "search",
      "aria-label": "Timeline subject",
      onsubmit: (ev) => {
        ev.preventDefault();
        const data = new FormData(ev.target);
        go("timeline", { ...f, subject: data.get("subject"), by: data.get("by") });
      },
    },
    h("label", { for: "tl-subject" }, "Place or actor "),
    h("input", { id: "tl-subject", name: "subject", value: subject, required: true, placeholder: "e.g. a town or a spokesman" }),
    h("label", { for: "tl-by" }, " lanes by "),
    h(
      "select",
      { id: "tl-by", name: "by" },
      h("option", { value: "side", selected: by === "side" }, "side"),
      h("option", { value: "outlet", selected: by === "outlet" }, "outlet"),
    ),
    " ",
    h("button", { type: "submit" }, "Show"),
  );
  const out = h("div", { class: "timeline-out", "aria-live": "polite" });
  replace(main, h("h1", {}, "Timeline"), form, out);
  if (!subject) {
    replace(out, h("p", { class: "muted" }, "Give a place or an actor to see its claims by event time and statement time."));
    return;
  }
  replace(out, h("p", { class: "muted", role: "status" }, "Loading…"));
  const page = await getJSON("/api/timeline", { subject, since: f.since, until: f.until, limit: 1000 });
  if (!page.items.length) {
    replace(out, h("p", { class: "muted" }, `No claims about “${subject}”.`));
    return;
  }
  const width = Math.max(520, Math.min(1400, out.clientWidth || main.clientWidth || 900));
  replace(
    out,
    h("p", {}, `${plural(page.total, "claim")} about “${page.subject}”: bars are event times, diamonds the days they were stated.`),
    h("div", { class: "svg-scroll" }, draw(page.items, by, width)),
    entryTable(page.items),
  );
}
