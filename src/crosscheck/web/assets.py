"""The web UI's third-party files, copied from npm's ``node_modules`` into ``static/vendor``.

The versions are pinned by ``package.json``/``package-lock.json`` at the repository root; ``make assets``
runs ``npm ci`` and then ``python -m crosscheck.web.assets``. The vendor folder is not versioned, so
the app checks it (``missing``) and says how to fill it when it is empty.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from crosscheck.errors import ConfigError

VENDOR = Path(__file__).parent / "static" / "vendor"
HINT = "run `make assets` (npm ci, then python -m crosscheck.web.assets) in the crosscheck checkout"

# (file under node_modules, file under static/vendor)
FILES: tuple[tuple[str, str], ...] = (
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images/layers.png", "leaflet/images/layers.png"),
    ("leaflet/dist/images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("leaflet/dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("leaflet/dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("leaflet/dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"),
    ("topojson-client/LICENSE", "topojson-client/LICENSE"),
    ("world-atlas/countries-50m.json", "world-atlas/countries-50m.json"),
    ("world-atlas/LICENSE", "world-atlas/LICENSE"),
)

# What the pages load; the rest (licences, unused images) is copied but not required.
REQUIRED = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "topojson-client/topojson-client.min.js",
    "world-atlas/countries-50m.json",
)


def missing(vendor: Path = VENDOR) -> list[str]:
    """The required vendor files that are not there (empty when the UI has everything)."""
    return [name for name in REQUIRED if not (vendor / name).is_file()]


def find_node_modules(start: Path | None = None) -> Path | None:
    """``node_modules`` in ``start`` (default: the working folder) or in the checkout this package lives in."""
    candidates = [(start or Path.cwd()) / "node_modules"]
    candidates += [parent / "node_modules" for parent in Path(__file__).resolve().parents]
    return next((c for c in candidates if c.is_dir()), None)


def copy_assets(node_modules: Path, vendor: Path = VENDOR) -> list[Path]:
    """Copy every file of ``FILES`` from ``node_modules`` into ``vendor``; returns the files written.

    ConfigError names every file that npm did not install, before anything is copied.
    """
    absent = [src for src, _ in FILES if not (node_modules / src).is_file()]
    if absent:
        raise ConfigError(f"{node_modules}: missing {', '.join(absent)} (run `npm ci` in the crosscheck checkout)")
    written = []
    for src, dest in FILES:
        target = vendor / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / src, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crosscheck.web.assets", description=__doc__)
    parser.add_argument("--node-modules", type=Path, help="npm's node_modules folder (default: found)")
    parser.add_argument("--vendor", type=Path, default=VENDOR, help="where to copy (default: %(default)s)")
    args = parser.parse_args(argv)
    node_modules = args.node_modules or find_node_modules()
    if node_modules is None:
        print("error: no node_modules folder found; run `npm ci` in the crosscheck checkout first", file=sys.stderr)
        return 2
    try:
        written = copy_assets(node_modules, args.vendor)
    except (ConfigError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"copied {len(written)} files from {node_modules} to {args.vendor}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
