// The API reference at /docs, drawn from /openapi.json on this server (no CDN, no inline script).

import { h, replace } from "./dom.js";

function schemaName(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.anyOf) return schema.anyOf.map(schemaName).filter((n) => n !== "null").join(" | ");
  if (schema.enum) return schema.enum.join(" | ");
  if (schema.type === "array") return `${schemaName(schema.items)}[]`;
  return schema.type || "";
}

function params(op) {
  const list = op.parameters || [];
  if (!list.length) return null;
  return h(
    "table",
    { class: "params" },
    h("thead", {}, h("tr", {}, ["Parameter", "In", "Type", "Default", "Description"].map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      list.map((p) =>
        h(
          "tr",
          {},
          h("td", {}, h("code", {}, p.name), p.required ? " (required)" : ""),
          h("td", {}, p.in),
          h("td", {}, schemaName(p.schema)),
          h("td", {}, p.schema && p.schema.default !== undefined ? JSON.stringify(p.schema.default) : ""),
          h("td", {}, p.description || (p.schema && p.schema.description) || ""),
        ),
      ),
    ),
  );
}

function responses(op) {
  return h(
    "ul",
    { class: "responses" },
    Object.entries(op.responses || {}).map(([code, r]) => {
      const content = r.content || {};
      const types = Object.entries(content).map(([type, c]) => `${type}: ${schemaName(c.schema)}`);
      return h("li", {}, h("code", {}, code), ` ${r.description || ""} `, types.length ? h("span", { class: "muted" }, types.join(", ")) : null);
    }),
  );
}

function operation(path, method, op) {
  const canTry = method === "get" && !path.includes("{");
  return h(
    "section",
    { class: "operation", id: op.operationId || `${method}-${path}` },
    h("h2", {}, h("span", { class: ["method", method] }, method.toUpperCase()), " ", h("code", {}, path)),
    op.summary ? h("p", {}, h("strong", {}, op.summary)) : null,
    op.description ? h("p", {}, op.description) : null,
    op.requestBody ? h("p", {}, "Body: ", Object.keys(op.requestBody.content || {}).join(", ")) : null,
    params(op),
    h("h3", {}, "Responses"),
    responses(op),
    canTry ? h("p", {}, h("a", { href: path }, `Try ${path}`)) : null,
  );
}

async function start() {
  const status = document.getElementById("docs-status");
  try {
    const response = await fetch("/openapi.json");
    const spec = await response.json();
    const sections = [];
    for (const [path, item] of Object.entries(spec.paths || {})) {
      for (const [method, op] of Object.entries(item)) sections.push(operation(path, method, op));
    }
    replace(
      document.getElementById("docs"),
      spec.info && spec.info.description ? h("p", {}, spec.info.description) : null,
      h("nav", { "aria-label": "Endpoints" }, h("ul", { class: "toc" }, sections.map((s) => h("li", {}, h("a", { href: `#${s.id}` }, s.querySelector("h2").textContent))))),
      sections,
    );
    status.textContent = `${sections.length} endpoints, from /openapi.json (OpenAPI ${spec.openapi}).`;
  } catch (err) {
    status.textContent = `Cannot read /openapi.json: ${err.message}`;
  }
}

start();
