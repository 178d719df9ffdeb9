// Claim cards: a compact one for lists and columns, the full one with its evidence.

import { externalLink, fmtInterval, fmtQuantity, h } from "./dom.js";
import { href } from "./route.js";
import { NO_SIDE, sideColour } from "./sides.js";

const MARK_LABELS = {
  claim: "claim",
  cue: "cue",
  claimant: "claimant",
  via: "via",
  place: "place",
  quantity: "number",
  time: "time",
};

export function sideBadge(side) {
  const name = side || NO_SIDE;
  return h(
    "span",
    { class: "side-badge", style: { "--side": sideColour(side) }, title: `side: ${name}` },
    h("span", { class: "swatch", "aria-hidden": "true" }),
    name,
  );
}

function claimantName(claim) {
  return claim.claimant ? claim.claimant.name : "the outlet itself (unattributed)";
}

function when(claim) {
  return fmtInterval(claim.event_time) || claim.stated_at || (claim.source && claim.source.published) || null;
}

function statusBadge(status) {
  if (!status) return null;
  return h("span", { class: ["status", `status-${status}`] }, status);
}

/** A claim in a list: who, through which outlet, when, what; links to its evidence. */
export function claimCard(claim) {
  const source = claim.source || {};
  const via = (claim.via || []).map((v) => v.name).join(" → ");
  return h(
    "article",
    { class: "claim-card", style: { "--side": sideColour(claim.side) }, dataset: { claimId: claim.id } },
    h(
      "header",
      {},
      h("strong", { class: "claimant" }, claimantName(claim)),
      " ",
      sideBadge(claim.side),
      " ",
      statusBadge(claim.status),
    ),
    h("p", { class: "claim-text" }, claim.text),
    h(
      "p",
      { class: "claim-meta" },
      [via ? `via ${via}` : null, source.outlet ? `in ${source.outlet}` : null, when(claim), claim.event_type]
        .filter(Boolean)
        .join(" · "),
    ),
    h(
      "a",
      { href: href("claim", {}, claim.id), class: "evidence-link", "aria-label": `Evidence for: ${claim.text}` },
      "Evidence →",
    ),
  );
}

export function claimList(claims) {
  if (!claims.length) return h("p", { class: "muted" }, "No claims match.");
  return h(
    "ul",
    { class: "claim-list" },
    claims.map((c) => h("li", {}, claimCard(c))),
  );
}

/** Claims in one column per side, side by side (the sides with most claims first, unattributed last). */
export function sideColumns(claims, { order } = {}) {
  const groups = new Map();
  for (const claim of claims) {
    const key = claim.side || NO_SIDE;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(claim);
  }
  let keys = [...groups.keys()];
  keys.sort((a, b) => (a === NO_SIDE) - (b === NO_SIDE) || groups.get(b).length - groups.get(a).length);
  if (order) keys = order.filter((k) => groups.has(k)).concat(keys.filter((k) => !order.includes(k)));
  return h(
    "div",
    { class: "side-columns", role: "list" },
    keys.map((key) =>
      h(
        "section",
        {
          class: "side-column",
          role: "listitem",
          style: { "--side": sideColour(key === NO_SIDE ? null : key) },
          dataset: { side: key },
          "aria-label": `Claims by ${key}`,
        },
        h("h3", {}, `${key} `, h("span", { class: "count" }, `(${groups.get(key).length})`)),
        claimList(groups.get(key)),
      ),
    ),
  );
}

function sentence(segments) {
  return h(
    "blockquote",
    { class: "sentence" },
    segments.map((seg) =>
      seg.marks.length
        ? h(
            "mark",
            { class: seg.marks.map((m) => `m-${m}`), title: seg.marks.map((m) => MARK_LABELS[m] || m).join(", ") },
            seg.text,
          )
        : seg.text,
    ),
  );
}

function legend() {
  return h(
    "p",
    { class: "legend", "aria-label": "Highlight legend" },
    Object.entries(MARK_LABELS).map(([kind, label]) => h("mark", { class: `m-${kind}` }, label)),
  );
}

function chain(links) {
  return h(
    "ol",
    { class: "chain", "aria-label": "Attribution chain" },
    links.map((link) =>
      h(
        "li",
        { class: `chain-${link.role}` },
        h("span", { class: "role" }, link.role),
        " ",
        link.role === "outlet" && link.url
          ? externalLink(link.url, link.name || "source")
          : h("span", { class: "name" }, link.name || (link.role === "claimant" ? "(unattributed)" : "?")),
        link.side ? [" ", sideBadge(link.side)] : null,
        link.mention && link.mention !== link.name ? h("span", { class: "mention" }, ` “${link.mention}”`) : null,
      ),
    ),
  );
}

function facts(claim) {
  const rows = [
    ["Mode", claim.mode],
    ["Cue", claim.cue],
    ["Event", claim.event_type],
    ["Event time", fmtInterval(claim.event_time) && `${fmtInterval(claim.event_time)}${claim.event_time.text ? ` (“${claim.event_time.text}”)` : ""}`],
    ["Stated", claim.stated_at],
    ["Status", claim.status],
    ["Confidence", claim.confidence === null || claim.confidence === undefined ? null : claim.confidence.toFixed(2)],
    ["Hedged", claim.hedged ? "yes" : null],
    ["Negated", claim.negated ? "yes" : null],
  ].filter(([, v]) => v);
  return h(
    "dl",
    { class: "facts" },
    rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

function numbers(quantities) {
  if (!quantities.length) return null;
  return h(
    "section",
    {},
    h("h3", {}, "Numbers"),
    h(
      "ul",
      { class: "numbers" },
      quantities.map((q) => h("li", {}, h("strong", {}, fmtQuantity(q)), h("span", { class: "muted" }, ` from “${q.text}”`))),
    ),
  );
}

function placesList(places) {
  if (!places.length) return null;
  return h(
    "section",
    {},
    h("h3", {}, "Places"),
    h(
      "ul",
      { class: "places" },
      places.map((p) => {
        const key = p.geonames_id !== null && p.geonames_id !== undefined ? String(p.geonames_id) : `name:${p.name.toLowerCase()}`;
        const where = p.lat !== null && p.lat !== undefined ? ` (${p.lat.toFixed(3)}, ${p.lon.toFixed(3)})` : "";
        return h(
          "li",
          {},
          h("a", { href: href("map", { at: key, name: p.name }) }, p.name),
          `${p.country ? ", " + p.country : ""}${where}`,
          p.relation ? h("span", { class: "muted" }, ` — ${p.relation}`) : null,
        );
      }),
    ),
  );
}

function related(relations, selfId) {
  if (!relations.length) return h("section", {}, h("h3", {}, "Related claims"), h("p", { class: "muted" }, "None found."));
  return h(
    "section",
    {},
    h("h3", {}, "Related claims"),
    h(
      "ul",
      { class: "related" },
      relations.map((rel) => {
        const other = (rel.claim_records || []).find((c) => c && c.id !== selfId);
        return h(
          "li",
          { class: ["relation", `relation-${rel.type}`] },
          h("p", {}, h("span", { class: ["rel-type", `rel-${rel.type}`] }, rel.type), " ", rel.explanation),
          other ? claimCard(other) : null,
        );
      }),
    ),
  );
}

/** The full card: the sentence with claim, claimant, cue, places, numbers and time highlighted, the chain
 * claimant -> via -> outlet, normalised numbers and times, the source link, related claims. */
export function claimDetail(claim) {
  const doc = claim.document || {};
  return h(
    "article",
    { class: "claim-detail", style: { "--side": sideColour(claim.side) } },
    h("h2", {}, claimantName(claim), " ", sideBadge(claim.side), " ", statusBadge(claim.status)),
    h("p", { class: "claim-text big" }, claim.text),
    h("section", {}, h("h3", {}, "Evidence"), sentence(claim.segments || []), legend()),
    h("section", {}, h("h3", {}, "Attribution"), chain(claim.chain || [])),
    h(
      "section",
      { class: "source" },
      h("h3", {}, "Source"),
      h(
        "p",
        {},
        doc.title ? h("span", { class: "doc-title" }, doc.title) : null,
        doc.title ? " — " : null,
        doc.outlet || "unknown outlet",
        doc.published ? `, ${doc.published}` : "",
        doc.byline ? ` (by ${doc.byline})` : "",
      ),
      h("p", {}, externalLink(doc.url, doc.url ? "Open the source article ↗" : "The source has no URL")),
    ),
    facts(claim),
    numbers(claim.quantities || []),
    placesList(claim.places || []),
    related(claim.relations || [], claim.id),
  );
}
