"""``crosscheck serve``: a JSON API and a web UI over the ledger (FastAPI on uvicorn).

``create_app`` builds the ASGI app; ``serve`` runs it. The UI's map files come from npm
(``make assets``); the API works without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crosscheck.web.app import create_app

__all__ = ["create_app", "serve"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so ``python -m crosscheck.web.assets`` does not load the app first.
    if name == "create_app":
        from crosscheck.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def serve(*, db: str | None = None, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Serve the ledger at ``db`` on ``host``:``port`` until interrupted (uvicorn does the logging).

    StorageError when the ledger cannot be opened, before anything listens.
    """
    import uvicorn

    from crosscheck.web.app import create_app

    uvicorn.run(create_app(db=db), host=host, port=port, log_level=log_level)
