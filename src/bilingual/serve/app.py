"""The web application of ``bilingual serve`` (Starlette): its routes and how they reach the texts.

Pages::

    GET  /                       the texts, their progress, a link to continue each
    GET  /texts/{name}           a text's reading page, editable
    GET  /files/{file}           a file of the output folder (the static page, TMX, XLIFF...)

The JSON API (every POST needs the session token, from this server's pages only: see
:mod:`bilingual.serve.security`)::

    GET  /api/texts                               progress of every text
    GET  /api/texts/{name}                        its progress, and the edit undo would take back
    GET  /api/texts/{name}/segments/{n}           one segment: text, version, findings, row
    POST /api/texts/{name}/segments/{n}           {"target", "version"}: store an edit
    POST /api/texts/{name}/segments/{n}/accept    {"version"}: take the memory's suggestion
    POST /api/texts/{name}/segments/{n}/review    {"version", "reviewed"}: mark it (not) reviewed
    POST /api/texts/{name}/undo                   {"operation"}: undo the text's last edit
    GET  /api/glossary                            the entries
    POST /api/glossary                            {"source", "target", "status", "note", "text"}
    POST /api/glossary/replace                    {"source", "target", "entry": {...}, "text"}
    POST /api/glossary/remove                     {"source", "target", "text"}
    GET  /api/outputs[?wait=1]                    are the outputs written? (wait: write them now)

A change answers with the segments to show again (``segments``: each with its new ``row``), the
text's ``progress`` and ``last_edit``; a stale edit gets 409 with the current ``segment``.

The workspace belongs to one worker thread (:class:`Session`): every handler hands its work to
it, so edits are applied one at a time and the memory is used from the thread that opened it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..document import Document
from ..errors import BilingualError, GlossaryError, TranslationMemoryError
from ..export.html import PageAdditions, read_asset
from ..glossary import Entry, make_entry
from ..inline import coded_source, coded_target
from ..pipeline import BuildConfig, Reporter
from .pages import editor_additions, policy_header, render_index, render_text_page, segment_row
from .security import (
    ApiError,
    Guard,
    error_response,
    folder_file,
    new_token,
    read_json,
    text_field,
)
from .workspace import (
    Change,
    EditRefused,
    NotFound,
    StaleVersion,
    Workspace,
    segment_version,
)
from .writer import OutputWriter

logger = logging.getLogger(__name__)

Result = TypeVar("Result")

#: Files of the output folder served for download rather than shown.
_SHOWN_SUFFIXES = (".html",)


class Session:
    """A workspace, the one thread it runs on, and the writer of its outputs."""

    def __init__(self, workspace: Workspace, actor: ThreadPoolExecutor, token: str) -> None:
        self.workspace = workspace
        self.actor = actor
        self.token = token
        self.writer: OutputWriter[list[Any]] = OutputWriter(
            lambda: actor.submit(workspace.take_changes).result(), workspace.write_outputs
        )

    @classmethod
    def build(
        cls, paths: Sequence[Path], config: BuildConfig, reporter: Reporter | None = None
    ) -> Session:
        """Build ``paths`` (see :meth:`Workspace.build`) on the session's own thread."""
        actor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bilingual-workspace")
        try:
            workspace = actor.submit(Workspace.build, paths, config, reporter).result()
        except BaseException:
            actor.shutdown()
            raise
        return cls(workspace, actor, new_token())

    async def run(self, work: Callable[[], Result]) -> Result:
        """Run ``work`` on the workspace's thread; library errors become API errors."""
        return await asyncio.get_running_loop().run_in_executor(
            self.actor, partial(self._api, work)
        )

    def _api(self, work: Callable[[], Result]) -> Result:
        try:
            return work()
        except NotFound as error:
            raise ApiError(404, str(error)) from None
        except StaleVersion as error:
            document = self.workspace.document(error.text)
            raise ApiError(409, str(error), segment=segment_json(document, error.number)) from None
        except (EditRefused, GlossaryError) as error:
            raise ApiError(422, str(error)) from None
        except TranslationMemoryError as error:
            raise ApiError(503, str(error)) from None
        except BilingualError as error:
            raise ApiError(422, str(error)) from None

    def close(self) -> None:
        """Write what is waiting, then close the memory."""
        self.writer.close()
        self.actor.submit(self.workspace.close).result()
        self.actor.shutdown()


def segment_json(document: Document, number: int) -> dict[str, object]:
    """What the page needs of segment ``number``: its texts (coded where it has inline markup),
    state, version, findings, suggestion, and its row as the served page has it."""
    unit = document.units[number - 1]
    return {
        "number": number,
        "source": coded_source(unit),
        "target": coded_target(unit),
        "origin": unit.origin.value,
        "reviewed": unit.reviewed,
        "version": segment_version(unit),
        "findings": [finding.to_json() for finding in unit.findings],
        "suggestion": unit.suggestion.to_json() if unit.suggestion is not None else None,
        "row": segment_row(document, number),
    }


def entry_json(entry: Entry) -> dict[str, object]:
    return {
        "source": entry.source,
        "target": entry.target,
        "status": entry.kind.value,
        "note": entry.comment,
        "variants": list(entry.variants),
        "line": entry.line,
    }


def create_app(
    session: Session, hosts: Iterable[str], on_start: Callable[[], None] | None = None
) -> Starlette:
    """The application serving ``session`` to requests naming one of ``hosts``."""
    workspace = session.workspace

    def change_json(change: Change) -> dict[str, object]:
        """What a client needs after a change (run on the workspace's thread)."""
        session.writer.schedule()
        return {
            "text": change.text,
            "operation": change.operation.to_json() if change.operation else None,
            "segments": [segment_json(workspace.document(change.text), n) for n in change.segments],
            **text_state(change.text),
        }

    def text_state(name: str) -> dict[str, object]:
        last = workspace.last_operation(name)
        return {
            "progress": workspace.progress(name).to_json(),
            "last_edit": last.id if last is not None else None,
        }

    def segment_number(request: Request) -> tuple[str, int]:
        return str(request.path_params["name"]), int(request.path_params["number"])

    async def index(request: Request) -> Response:
        def gather() -> tuple[list[Any], dict[str, dict[str, str]]]:
            names = list(workspace.documents)
            return [workspace.progress(n) for n in names], {n: workspace.files(n) for n in names}

        texts, files = await session.run(gather)
        additions = PageAdditions(style=read_asset("editor.css"))
        page = render_index(texts, files, additions)
        return HTMLResponse(page, headers=policy_header(additions, script=False))

    async def text_page(request: Request) -> Response:
        name = str(request.path_params["name"])

        def gather() -> tuple[Any, int | None]:
            if workspace.refresh(name):
                session.writer.schedule()
            last = workspace.last_operation(name)
            return workspace.snapshot([name])[0], last.id if last is not None else None

        document, last_edit = await session.run(gather)
        glossary = str(workspace.glossary_path) if workspace.glossary_path else None
        additions = editor_additions(session.token, name, last_edit, glossary)
        page = await anyio.to_thread.run_sync(render_text_page, document, additions)
        return HTMLResponse(page, headers=policy_header(additions))

    async def folder_files(request: Request) -> Response:
        path = folder_file(workspace.output_dir, str(request.path_params["file"]))
        if path.suffix in _SHOWN_SUFFIXES:
            # A page of the folder runs sandboxed: whatever it holds, it cannot act as ours.
            return FileResponse(path, headers={"Content-Security-Policy": "sandbox allow-scripts"})
        return FileResponse(path, content_disposition_type="attachment", filename=path.name)

    async def texts(request: Request) -> Response:
        def gather() -> list[dict[str, object]]:
            return [workspace.progress(name).to_json() for name in workspace.documents]

        return JSONResponse({"texts": await session.run(gather)})

    async def text(request: Request) -> Response:
        name = str(request.path_params["name"])
        return JSONResponse(await session.run(lambda: text_state(name)))

    async def segment(request: Request) -> Response:
        name, number = segment_number(request)

        def one() -> dict[str, object]:
            workspace.unit(name, number)  # NotFound past the last segment
            return segment_json(workspace.document(name), number)

        return JSONResponse(await session.run(one))

    async def save(request: Request) -> Response:
        name, number = segment_number(request)
        data = await read_json(request)
        target, version = text_field(data, "target"), text_field(data, "version")
        return JSONResponse(
            await session.run(lambda: change_json(workspace.edit(name, number, target, version)))
        )

    async def accept(request: Request) -> Response:
        name, number = segment_number(request)
        version = text_field(await read_json(request), "version")
        return JSONResponse(
            await session.run(
                lambda: change_json(workspace.accept_suggestion(name, number, version))
            )
        )

    async def review(request: Request) -> Response:
        name, number = segment_number(request)
        data = await read_json(request)
        version = text_field(data, "version")
        reviewed = data.get("reviewed", True)
        if not isinstance(reviewed, bool):
            raise ApiError(400, "'reviewed' must be true or false")
        return JSONResponse(
            await session.run(
                lambda: change_json(workspace.review(name, number, version, reviewed))
            )
        )

    async def undo(request: Request) -> Response:
        name = str(request.path_params["name"])
        operation = (await read_json(request)).get("operation")
        if operation is not None and (
            not isinstance(operation, int) or isinstance(operation, bool)
        ):
            raise ApiError(400, "'operation' must be the number of an edit, or null")
        return JSONResponse(await session.run(lambda: change_json(workspace.undo(name, operation))))

    async def glossary(request: Request) -> Response:
        entries = await session.run(workspace.glossary_entries)
        return JSONResponse({"entries": [entry_json(entry) for entry in entries]})

    def glossary_change(
        text: str, edit: Callable[[], dict[str, tuple[int, ...]]]
    ) -> dict[str, object]:
        changed = edit()
        session.writer.schedule()
        answer: dict[str, object] = {
            "entries": [entry_json(entry) for entry in workspace.glossary_entries()]
        }
        if text:
            answer["segments"] = [
                segment_json(workspace.document(text), n) for n in changed.get(text, ())
            ]
            answer.update(text_state(text))
        return answer

    async def add_term(request: Request) -> Response:
        data = await read_json(request)
        entry = _entry_from(data)
        text = _text_name(data)
        return JSONResponse(
            await session.run(lambda: glossary_change(text, lambda: workspace.add_term(entry)))
        )

    async def replace_term(request: Request) -> Response:
        data = await read_json(request)
        source, target = text_field(data, "source"), text_field(data, "target")
        new = data.get("entry")
        if not isinstance(new, dict):
            raise ApiError(400, "the request needs the new 'entry' as an object")
        entry = _entry_from(new)
        text = _text_name(data)
        return JSONResponse(
            await session.run(
                lambda: glossary_change(text, lambda: workspace.replace_term(source, target, entry))
            )
        )

    async def remove_term(request: Request) -> Response:
        data = await read_json(request)
        source, target = text_field(data, "source"), text_field(data, "target")
        text = _text_name(data)
        return JSONResponse(
            await session.run(
                lambda: glossary_change(text, lambda: workspace.remove_term(source, target))
            )
        )

    async def outputs(request: Request) -> Response:
        if request.query_params.get("wait"):
            await anyio.to_thread.run_sync(session.writer.flush, 60.0)
        return JSONResponse(session.writer.status().to_json())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_start is not None:
            on_start()
        yield
        await anyio.to_thread.run_sync(session.writer.flush, 60.0)

    routes = [
        Route("/", index),
        Route("/texts/{name}", text_page),
        Route("/files/{file}", folder_files),
        Route("/api/texts", texts),
        Route("/api/texts/{name}", text),
        Route("/api/texts/{name}/segments/{number:int}", segment),
        Route("/api/texts/{name}/segments/{number:int}", save, methods=["POST"]),
        Route("/api/texts/{name}/segments/{number:int}/accept", accept, methods=["POST"]),
        Route("/api/texts/{name}/segments/{number:int}/review", review, methods=["POST"]),
        Route("/api/texts/{name}/undo", undo, methods=["POST"]),
        Route("/api/glossary", glossary),
        Route("/api/glossary", add_term, methods=["POST"]),
        Route("/api/glossary/replace", replace_term, methods=["POST"]),
        Route("/api/glossary/remove", remove_term, methods=["POST"]),
        Route("/api/outputs", outputs),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=session.token, hosts=hosts)],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )


def _entry_from(data: dict[str, Any]) -> Entry:
    status = text_field(data, "status", optional=True)
    note = text_field(data, "note", optional=True)
    try:
        return make_entry(
            text_field(data, "source"),
            text_field(data, "target", optional=True),
            note,
            {"status": status} if status else {},
            path="the new entry",
        )
    except GlossaryError as error:
        raise ApiError(422, str(error)) from None


def _text_name(data: dict[str, Any]) -> str:
    return text_field(data, "text", optional=True)


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return error.response()


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = {404: "no such page", 405: "this address does not take that method"}.get(
        error.status_code, str(error.detail)
    )
    return error_response(error.status_code, message)


async def _server_error(request: Request, error: Exception) -> Response:
    logger.error("%s %s failed", request.method, request.url.path, exc_info=error)
    return error_response(500, "internal error; the server's log says more")
