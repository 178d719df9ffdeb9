"""Settings are declared once, documented in default.cfg, and overridable by file and environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.config import SETTINGS, data_files, load_settings
from crosscheck.errors import ConfigError

DEFAULT_CFG = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "default.cfg"


def test_every_setting_is_documented_in_default_cfg() -> None:
    text = DEFAULT_CFG.read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"# {s.name} = " in text, f"{s.name} missing from default.cfg"
        assert s.help in text


def test_environment_overrides_file_and_file_overrides_defaults(tmp_path: Path, monkeypatch) -> None:
    cfg = tmp_path / "c.cfg"
    cfg.write_text("[crosscheck]\nfetch_timeout = 3.5\nbatch_size = 7\n", encoding="utf-8")
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(cfg))
    monkeypatch.setenv("CROSSCHECK_BATCH_SIZE", "9")
    s = load_settings()
    assert s["fetch_timeout"] == 3.5
    assert s["batch_size"] == 9
    assert load_settings(batch_size=11)["batch_size"] == 11


def test_bad_values_name_the_setting(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CROSSCHECK_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match="batch_size"):
        load_settings()
    monkeypatch.delenv("CROSSCHECK_BATCH_SIZE")
    cfg = tmp_path / "c.cfg"
    cfg.write_text("[crosscheck]\nno_such_thing = 1\n", encoding="utf-8")
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="no_such_thing"):
        load_settings()


def test_user_data_files_extend_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "actors.toml").write_text("", encoding="utf-8")
    files = data_files("actors.toml", data_dir=str(tmp_path))
    assert files[0].name == "actors.toml" and files[-1] == tmp_path / "actors.toml" and len(files) == 2
