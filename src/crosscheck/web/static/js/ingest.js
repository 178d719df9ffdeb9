// The ingest page: paste text, upload a file, or give a URL or feed; then follow the job to its report.

import { getJSON, getToken, postForm, setToken } from "./api.js";
import { h, replace } from "./dom.js";
import { href } from "./route.js";

const POLL_MS = 700;

function field(id, label, input, hint) {
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", { class: "muted" }, hint) : null);
}

function jobView(job) {
  const report = job.report;
  return h(
    "div",
    { class: ["job", `job-${job.status}`] },
    h("p", {}, h("strong", {}, `Job ${job.status}`), ` — ${job.sources.join(", ")}`),
    h("p", {}, `read ${job.read}, stored ${job.stored}, failed ${job.failed}`),
    job.message ? h("p", { class: "job-message" }, job.message) : null,
    report && report.errors.length
      ? h("ul", { class: "errors" }, report.errors.map((e) => h("li", {}, e)))
      : null,
    job.status === "done" ? h("p", {}, h("a", { href: href("claims", { order: "-added" }) }, "See the latest claims →")) : null,
  );
}

async function follow(out, job) {
  replace(out, jobView(job));
  while (job.status === "queued" || job.status === "running") {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = await getJSON(`/api/ingest/${encodeURIComponent(job.id)}`);
    replace(out, jobView(job));
  }
}

export function renderIngest(main, meta) {
  const out = h("div", { class: "ingest-out", role: "status", "aria-live": "polite" });
  const token = h("input", { id: "token", name: "token", type: "password", autocomplete: "off", value: getToken() });
  const remember = h("input", { id: "remember", type: "checkbox" });
  const form = h(
    "form",
    {
      class: "ingest-form",
      "aria-label": "Ingest articles",
      onsubmit: async (ev) => {
        ev.preventDefault();
        setToken(token.value.trim(), remember.checked);
        const data = new FormData(ev.target);
        data.delete("token");
        const file = data.get("file");
        if (file && typeof file === "object" && !file.name && !file.size) data.delete("file");
        for (const key of ["text", "title", "outlet", "published", "source_url", "url", "feed"]) {
          if (!String(data.get(key) || "").trim()) data.delete(key);
        }
        replace(out, h("p", {}, "Sending…"));
        try {
          await follow(out, await postForm("/api/ingest", data));
        } catch (err) {
          replace(out, h("p", { class: "error" }, err.message));
        }
      },
    },
    meta && !meta.writes_enabled
      ? h(
          "p",
          { class: "warning" },
          "Writes are disabled on this server: set CROSSCHECK_API_TOKEN (or api_token in the config file) and restart crosscheck serve.",
        )
      : null,
    h(
      "fieldset",
      {},
      h("legend", {}, "API token"),
      field("token", "Token", token, "Sent as “Authorization: Bearer …”; kept for this tab only unless remembered."),
      h("div", { class: "field check" }, remember, h("label", { for: "remember" }, "Remember on this device")),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Paste an article"),
      field("text", "Text", h("textarea", { id: "text", name: "text", rows: 10 })),
      h(
        "div",
        { class: "field-row" },
        field("title", "Title", h("input", { id: "title", name: "title" })),
        field("outlet", "Outlet", h("input", { id: "outlet", name: "outlet" })),
        field("published", "Published", h("input", { id: "published", name: "published", type: "date" })),
      ),
      field("source_url", "Source URL", h("input", { id: "source_url", name: "source_url", type: "url" })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Or upload a file"),
      field("file", "File", h("input", { id: "file", name: "file", type: "file", accept: ".txt,.md,.html,.htm,.xml,.rss,.atom,.jsonl,.ndjson,.csv,.json" }), ".txt, .html, a feed (.xml), or a corpus (.jsonl, .csv)"),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Or fetch"),
      field("url", "Article URL", h("input", { id: "url", name: "url", type: "url", placeholder: "https://…" })),
      field("feed", "Feed URL (RSS/Atom)", h("input", { id: "feed", name: "feed", type: "url", placeholder: "https://…/feed.xml" })),
    ),
    h("button", { type: "submit", class: "primary" }, "Ingest"),
  );
  replace(main, h("h1", {}, "Ingest"), form, out);
}
