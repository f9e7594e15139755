"""What keeps a local editing server safe when a hostile page runs in the same browser.

- **Host**: every request must name this server by a host it answers to (``127.0.0.1``,
  ``localhost``, ``[::1]``, or the ``--host`` given). A page of ``evil.example`` whose name was
  rebound to 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
- **Origin**: a request that changes anything must come from this server's own pages: an
  ``Origin`` (or ``Sec-Fetch-Site``) header naming another site is refused.
- **Session token**: a request that changes anything must carry the token made when the server
  started (:data:`TOKEN_HEADER`); only the server's own pages hold it (in a ``<meta>``), and no
  other origin can read them.
- **Bodies**: JSON only (a form another site can post is not JSON), at most :data:`MAX_BODY`
  bytes, an object.
- **Files**: only plain file names of the served folder, resolved inside it.

Every refusal is a :class:`ApiError`: a status and one sentence, sent as JSON.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_HEADER = "X-Bilingual-Token"
#: The largest request body accepted: an edit is a sentence, a glossary entry a line.
MAX_BODY = 256 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD"})

#: Sent with every response: no sniffing, no framing, no referrer, nothing cached (pages carry
#: the session token), nothing readable from another origin.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class ApiError(Exception):
    """A request refused: ``status``, a message that says what to do, and ``details`` for the
    page (the current segment of a stale edit...)."""

    def __init__(self, status: int, message: str, **details: object) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details

    def response(self) -> JSONResponse:
        return error_response(self.status, self.message, **self.details)


def error_response(status: int, message: str, **details: object) -> JSONResponse:
    return JSONResponse({"error": message, **details}, status_code=status)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without its port, in lower case.

    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """The checks above, as ASGI middleware around the application."""

    def __init__(self, app: ASGIApp, token: str, hosts: Iterable[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = frozenset(host_name(host) for host in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self.check(scope)
        except ApiError as refusal:
            await refusal.response()(scope, receive, _with_headers(send))
            return
        await self.app(scope, receive, _with_headers(send))

    def check(self, scope: Scope) -> None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if host_name(host) not in self.hosts:
            raise ApiError(
                421,
                f"this server does not answer to the host {host!r}; "
                "open the address bilingual serve printed",
            )
        if scope["method"] in SAFE_METHODS:
            return
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            raise ApiError(403, f"refused: a request from another site ({origin})")
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise ApiError(403, "refused: a request from another site")
        token = headers.get(TOKEN_HEADER.lower(), "")
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            raise ApiError(
                403, "refused: no valid session token; reload the page from bilingual serve"
            )


def _with_headers(send: Send) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in SECURITY_HEADERS.items()
                if name.lower().encode("latin-1") not in present
            ]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers


async def read_json(request: Request, limit: int = MAX_BODY) -> dict[str, Any]:
    """The request's JSON object, read at most ``limit`` bytes far."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ApiError(415, "send the request body as JSON (Content-Type: application/json)")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise ApiError(413, f"request body over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"request body over {limit} bytes")
    try:
        data = json.loads(bytes(body).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, f"the request body is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return data


def text_field(data: dict[str, Any], name: str, *, optional: bool = False) -> str:
    """A string field of a request body."""
    value = data.get(name)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise ApiError(400, f"the request needs a text field {name!r}")
    return value


def folder_file(folder: Path, name: str) -> Path:
    """The file ``name`` of ``folder``: a plain, visible file name that resolves inside it.

    >>> folder_file(Path("/srv/out"), "../etc/passwd")
    Traceback (most recent call last):
    ...
    bilingual.serve.security.ApiError: no file '../etc/passwd' here
    """
    refused = ApiError(404, f"no file {name!r} here")
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name:
        raise refused
    root = folder.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise refused
    return path
