"""The web application: the JSON API, the single-page UI and its static files, behind strict headers.

``create_app`` opens the ledger named by ``db`` (or the ``db`` setting) unless given a ``store``; the app
closes a store it opened when it shuts down. Every response carries a Content-Security-Policy that
allows scripts, styles and data from this server only, and no inline script at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosscheck import __version__
from crosscheck.config import load_settings
from crosscheck.errors import CrosscheckError, InputError, NotFound, StorageError
from crosscheck.storage import Store, open_store
from crosscheck.web import api
from crosscheck.web.assets import HINT as ASSETS_HINT
from crosscheck.web.assets import missing as missing_assets
from crosscheck.web.jobs import IngestJobs
from crosscheck.web.mapindex import MapIndex
from crosscheck.web.params import NOT_BLANK, ApiError
from crosscheck.web.queries import AggregateCache
from crosscheck.web.state import Colours, WebState

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response (a plain ASGI middleware, so streaming is untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error(status: int, message: str, *, param: str | None = None, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(
        {"error": message, "param": param, "status": status}, status_code=status, headers=dict(headers or {})
    )


def _validation_message(err: RequestValidationError) -> tuple[str, str | None]:
    parts, first = [], None
    for item in err.errors():
        loc = [str(x) for x in item.get("loc", ()) if x not in ("query", "path", "body", "header")]
        name = loc[0] if loc else None
        first = first or name
        msg = item.get("msg", "is not valid")
        if item.get("type") == "string_pattern_mismatch" and (item.get("ctx") or {}).get("pattern") == NOT_BLANK:
            msg = "is empty: give a value that is not only spaces"
        parts.append(f"{'.'.join(loc) or 'request'}: {msg}")
    return "; ".join(parts) or "the request is not valid", first


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error(exc.status, exc.message, param=exc.param, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        message, param = _validation_message(exc)
        return error(422, message, param=param)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error(404, str(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return error(422, str(exc), param=exc.where)

    @app.exception_handler(StorageError)
    async def storage_error(request: Request, exc: StorageError) -> Response:
        log.error("storage error: %s", exc)
        return error(503, f"the ledger cannot be read just now: {exc}")

    @app.exception_handler(CrosscheckError)
    async def other_error(request: Request, exc: CrosscheckError) -> Response:
        return error(400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404:
            message = f"no such page or endpoint: {request.url.path} (the API is listed at /docs)"
        return error(exc.status_code, message, headers=exc.headers)


def _pages(app: FastAPI) -> None:
    templates = Jinja2Templates(directory=str(TEMPLATES))  # autoescape is on for .html templates

    def render(request: Request, name: str) -> HTMLResponse:
        absent = missing_assets()
        context: dict[str, Any] = {"version": __version__, "missing_assets": absent, "assets_hint": ASSETS_HINT}
        response = templates.TemplateResponse(request, name, context)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        return render(request, "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return render(request, "docs.html")


def _warm(web: WebState) -> None:
    try:
        web.map_index.sync()
    except CrosscheckError as err:  # the first request will say what is wrong
        log.warning("could not load the map index: %s", err)


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document, with the token marked optional on reads (``public_read`` decides at run time)."""
    reads = {(r.path, m.lower()) for r in api.router.routes if isinstance(r, APIRoute) for m in r.methods or ()}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            for path, item in schema.get("paths", {}).items():
                for method, operation in item.items():
                    if (path, method) in reads and operation.get("security"):
                        operation["security"] = [{}, *operation["security"]]
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def create_app(
    *, db: str | None = None, store: Store | None = None, settings: Mapping[str, Any] | None = None
) -> FastAPI:
    """The crosscheck web app over ``store``, or over the ledger at ``db`` (default: the ``db`` setting).

    ``settings`` are laid over the loaded ones (``config.load_settings``): ``api_token``, ``public_read``,
    ``model``, ``allow_private_urls`` ... StorageError when the ledger cannot be opened.
    """
    conf = load_settings(db=db)
    conf.update({k: v for k, v in (settings or {}).items() if v is not None})
    owns = store is None
    st = store if store is not None else open_store(conf["db"])
    cache = AggregateCache()
    web = WebState(
        store=st,
        settings=conf,
        jobs=IngestJobs(st, conf, on_done=lambda job: cache.clear()),
        colours=Colours.load(data_dir=conf.get("data_dir")),
        map_index=MapIndex(st),
        cache=cache,
        owns_store=owns,
    )
    absent = missing_assets()
    if absent:
        log.warning("the web UI's map files are missing (%s): %s", ", ".join(absent), ASSETS_HINT)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # fill the map's index in the background, so the first map request does not wait for it
        threading.Thread(target=_warm, args=(web,), name="crosscheck-map-index", daemon=True).start()
        try:
            yield
        finally:
            web.jobs.shutdown()
            if web.owns_store:
                web.store.close()

    app = FastAPI(
        title="crosscheck",
        version=__version__,
        description=(
            "A ledger of attributed claims from conflict news: who claims what, through whom, about which place "
            "and time, and which claims corroborate, contradict or dispute each other. Lists are pages "
            "(`limit`, `offset`, `total`). Writes need `Authorization: Bearer <api_token>`."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.web = web
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    _install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(api.write_router)
    _pages(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=1)  # cheap: JSON still shrinks ~4x
    app.add_middleware(SecurityHeaders)
    return app
