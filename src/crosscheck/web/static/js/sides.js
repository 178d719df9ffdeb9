// Colours of sides, from the server's side_colours.toml (GET /api/meta), with a palette for new sides.

let named = new Map();
let palette = [];
let unattributed = "#8a8a8a";
let spare = 0;

export const NO_SIDE = "unattributed";
const NO_SIDE_NAMES = new Set([NO_SIDE, "unaligned", "none"]); // what the API calls claims with no side

export function setSides(meta) {
  named = new Map();
  for (const side of meta.sides || []) if (side.name) named.set(side.name, side.colour);
  palette = meta.palette || [];
  unattributed = meta.unattributed_colour || unattributed;
  spare = 0;
}

export function sideColour(side) {
  if (!side || NO_SIDE_NAMES.has(side)) return unattributed;
  if (!named.has(side)) {
    named.set(side, palette.length ? palette[spare % palette.length] : unattributed);
    spare += 1;
  }
  return named.get(side);
}

export function knownSides() {
  return [...named.keys()];
}

/** Sides of a place summary, most claims first, with the unattributed count last. */
export function sideCounts(place) {
  const rows = Object.entries(place.sides || {}).sort((a, b) => b[1] - a[1]);
  if (place.unattributed) rows.push([NO_SIDE, place.unattributed]);
  return rows;
}
