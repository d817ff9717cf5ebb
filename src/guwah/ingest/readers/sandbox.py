"""Reading a PDF in a child process with a memory limit and a hard time limit.

pdfminer (under pdfplumber) unpacks a PDF's compressed streams whole and can be made to
loop; rendering a page for OCR takes memory in proportion to its size. So a PDF is read
by a fresh Python process (``python -m guwah.ingest.readers.sandbox``) whose address space
is capped (``MAX_MEMORY``) and which is killed when the file's time is up: a hostile PDF
costs a refused file, never the documenter's machine. The child gets its input on stdin
and answers in JSON on stdout (never a pickle: the parent trusts nothing it says beyond
plain strings). Starting it costs about half a second.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import asdict
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.readers.limits import Budget
from guwah.model.errors import InvalidInput

MAX_MEMORY = 2 * 1024**3  # address space of the child (a 300 dpi page needs ~100 MB)
GRACE_SECONDS = 10.0  # to start the child, and for it to report its own time-out


def read_pdf_in_child(
    budget: Budget, data: bytes, max_pages: int, langs: tuple[str, ...] | str, memory: int
) -> Document:
    """``pdf.read_pdf_here`` in a child process limited to ``memory`` bytes and the time
    left in ``budget``."""
    name = budget.name
    header = {
        "name": name,
        "seconds": budget.seconds,
        "remaining": budget.remaining(),
        "max_pages": max_pages,
        "langs": list(langs) if isinstance(langs, tuple) else langs,
        "memory": memory,
    }
    payload = json.dumps(header).encode() + b"\n" + data
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "guwah.ingest.readers.sandbox"],
            input=payload,
            capture_output=True,
            timeout=budget.remaining() + GRACE_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InvalidInput(
            f"{name}: refused, reading took more than {budget.seconds} s (GUWAH_INGEST_MAX_SECONDS)"
        ) from None
    except OSError as exc:  # no Python to run (an embedded interpreter): say so, do not crash
        raise InvalidInput(f"{name}: cannot start the PDF reader ({exc.strerror})") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):  # the child died without a word (a crash, a kill)
        raise InvalidInput(
            f"{name}: not a readable PDF (its reader stopped, exit code {done.returncode})"
        )
    if "error" in answer:
        raise InvalidInput(" ".join(str(answer["error"]).split()))
    return _document(answer["document"])


def _document(fields: dict[str, Any]) -> Document:
    def text(key: str) -> str | None:
        value = fields.get(key)
        return str(value) if value is not None else None

    return Document(
        text=str(fields["text"]),
        sha256=str(fields["sha256"]),
        media_type=str(fields["media_type"]),
        filename=str(fields["filename"]),
        title=text("title"),
        date=text("date"),
        language=text("language"),
        kind=text("kind"),
        byline=text("byline"),
        section=text("section"),
        url=text("url"),
        ocr=fields.get("ocr") is True,
        notes=tuple(str(note) for note in fields.get("notes", ())),
    )


def _child() -> None:
    """Read the PDF given on stdin and print its Document (or the error) as JSON."""
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    memory = int(header["memory"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    name = str(header["name"])
    try:
        from guwah.ingest.readers.pdf import read_pdf_here

        data = stdin.read()
        budget = Budget(name, seconds=int(header["seconds"]))
        budget.started -= budget.seconds - float(header["remaining"])
        langs = header["langs"]
        document = read_pdf_here(
            name,
            data,
            budget,
            int(header["max_pages"]),
            tuple(langs) if isinstance(langs, list) else str(langs),
        )
        answer: dict[str, object] = {"document": asdict(document)}
    except InvalidInput as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        answer = {
            "error": f"{name}: refused, reading it needs more than {memory >> 20} MB of memory"
        }
    except Exception as exc:  # a damaged file the reader did not foresee
        answer = {"error": f"{name}: not a readable PDF ({type(exc).__name__})"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _child()
