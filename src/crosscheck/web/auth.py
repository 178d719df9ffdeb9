"""Who may read and write: a bearer token compared with the ``api_token`` setting.

Writes need the token, and are refused outright (403) while no token is set. Reads are public unless
``public_read`` is false, when they need the token too.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crosscheck.web.params import ApiError

bearer = HTTPBearer(auto_error=False, description="The api_token setting (CROSSCHECK_API_TOKEN).")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

NO_TOKEN_HINT = (
    "set CROSSCHECK_API_TOKEN (or api_token in the [crosscheck] section of the config file) "
    "and restart crosscheck serve"
)


def _check(request: Request, credentials: HTTPAuthorizationCredentials | None, *, action: str) -> None:
    token = str(request.app.state.web.settings.get("api_token") or "")
    if not token:
        raise ApiError(403, f"{action} is disabled on this server: no API token is set; {NO_TOKEN_HINT}")
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ApiError(
            401, f"{action} needs a token: send the header 'Authorization: Bearer <token>'", headers=challenge
        )
    if not hmac.compare_digest(credentials.credentials.encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "the bearer token is not this server's API token", headers=challenge)


def require_read(request: Request, credentials: Credentials) -> None:
    """Lets a read through when reads are public, or when the right token comes with it."""
    if request.app.state.web.settings.get("public_read", True):
        return
    _check(request, credentials, action="reading (public_read is off)")


def require_write(request: Request, credentials: Credentials) -> None:
    """Lets a write through only with the right token."""
    _check(request, credentials, action="writing")
