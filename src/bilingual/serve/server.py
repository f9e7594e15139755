"""Running the application: the listening socket, the host names it answers to, uvicorn."""

from __future__ import annotations

import errno
import socket
import threading
import webbrowser
from collections.abc import Callable

from ..errors import BilingualError
from .app import Session, create_app
from .security import LOOPBACK_HOSTS, is_loopback

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (port 0: any free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise BilingualError(
                f"{host}:{port} is in use; choose another port with --port (0: any free one)"
            ) from None
        raise BilingualError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    return sock


def address(sock: socket.socket) -> str:
    """The address a browser opens for ``sock``."""
    host, port = sock.getsockname()[:2]
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def host_names(host: str) -> list[str]:
    """The names a request may give in its ``Host`` header: loopback, and the bound host
    (for a wildcard host, this machine's names and addresses)."""
    names = [*LOOPBACK_HOSTS]
    if host in WILDCARD_HOSTS:
        names += [socket.gethostname(), socket.getfqdn()]
        try:
            names += socket.gethostbyname_ex(socket.gethostname())[2]
        except OSError:
            pass
    elif not is_loopback(host):
        names.append(host)
    return names


def run(
    session: Session,
    sock: socket.socket,
    open_browser: bool = False,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve ``session`` on ``sock`` until interrupted (Ctrl+C), then write what is waiting."""
    import uvicorn

    url = address(sock)
    host = sock.getsockname()[0]

    def started() -> None:
        if announce is not None:
            announce(url)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    app = create_app(session, host_names(host), on_start=started)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, proxy_headers=False, server_header=False
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly, then raises Ctrl+C again for the caller
    finally:
        session.close()
        sock.close()
