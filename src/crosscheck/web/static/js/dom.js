// Building the page from data without ever parsing data as HTML.
// Every string goes in through textContent or setAttribute; innerHTML is never used.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (key === "text") el.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") {
      // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
      for (const [prop, v] of Object.entries(value)) if (v !== null && v !== undefined) el.style.setProperty(prop, v);
    }
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  return el;
}

/** h("a", {href: "#/x", class: "link"}, "text", child, ...): an element with text and children. */
export function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  return append(clear(el), children);
}

/** ``url`` when it is an http(s) address, else null: a javascript: or data: link never reaches an href. */
export function safeUrl(url) {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link out of the app: opened in a new tab, without a referrer or a handle on this page. */
export function externalLink(url, label) {
  const href = safeUrl(url);
  if (!href) return h("span", { class: "muted" }, label || "no link");
  return h("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", class: "external" }, label || href);
}

export function fmtInterval(interval) {
  if (!interval || (!interval.start && !interval.end)) return null;
  const { start, end } = interval;
  if (start && end && start === end) return start;
  return `${start || "…"} – ${end || "…"}`;
}

function fmtNumber(n) {
  return Number.isInteger(n) ? n.toLocaleString("en") : String(n);
}

/** A quantity as a normalised number: "≈ 300 killed", "15+ civilians", "10–20 drones". */
export function fmtQuantity(q) {
  let value = null;
  if (q.value !== null && q.value !== undefined) value = fmtNumber(q.value);
  else if (q.low !== null && q.low !== undefined && q.high !== null && q.high !== undefined)
    value = `${fmtNumber(q.low)}–${fmtNumber(q.high)}`;
  else if (q.low !== null && q.low !== undefined) value = `${fmtNumber(q.low)}+`;
  else if (q.high !== null && q.high !== undefined) value = `≤ ${fmtNumber(q.high)}`;
  if (value === null) return q.text;
  return [q.approximate ? "≈" : "", value, q.unit || ""].filter(Boolean).join(" ");
}

export function plural(n, word, many) {
  return `${Number(n).toLocaleString("en")} ${n === 1 ? word : many || word + "s"}`;
}
