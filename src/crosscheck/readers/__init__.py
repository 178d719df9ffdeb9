"""Input readers: files, folders and URLs in; ``Document`` records (or InputErrors) out.

``read_inputs`` is the one entry point; the modules beside it are one reader each
(``text``, ``html``, ``feeds``, ``corpus``), plus ``decode`` (bytes to text), ``fetch``
(guarded HTTP), ``dates`` and ``outlets`` (who published it, from the source registry).
"""

from __future__ import annotations

from crosscheck.readers.inputs import read_inputs, walk_folder

__all__ = ["read_inputs", "walk_folder"]
