"""OCR with the Tesseract program from Debian's packages (``tesseract-ocr`` and one
``tesseract-ocr-LANG`` package per language).

The page image is given to ``tesseract`` on its standard input and the text read from its
standard output: nothing is written to disk. The languages are those of the archive's
sources that are installed, English first (Tesseract's first language leads).
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from typing import Any

from guwah.model.errors import InvalidInput

WANTED = ("eng", "rus", "kaz", "uig", "chi_sim")
INSTALL_HINT = (
    "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz "
    "tesseract-ocr-uig tesseract-ocr-chi-sim"
)
MAX_PAGE_SECONDS = 120


class OcrUnavailable(Exception):
    """Tesseract, or every language it could use, is missing."""


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages OCR uses: those of ``WANTED`` that Tesseract has (English first)."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable(f"Tesseract is not installed ({INSTALL_HINT})")
    try:
        listed = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract does not run ({type(exc).__name__})") from None
    installed = {line.strip() for line in listed.splitlines()[1:]}
    chosen = tuple(lang for lang in WANTED if lang in installed)
    if not chosen:
        raise OcrUnavailable(f"Tesseract has none of the languages {', '.join(WANTED)}")
    return chosen


def ocr_image(name: str, image: Any, dpi: int, seconds: float, langs: tuple[str, ...]) -> str:
    """The text Tesseract reads in ``langs`` in a Pillow ``image`` rendered at ``dpi``,
    given at most ``seconds`` (the rest of the file's time, at most MAX_PAGE_SECONDS)."""
    program = shutil.which("tesseract") or "tesseract"
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PNG")
    timeout = max(min(seconds, MAX_PAGE_SECONDS), 1.0)
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "-l", "+".join(langs), "--dpi", str(dpi)],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InvalidInput(
            f"{name}: refused, OCR of one page took more than {timeout:.0f} s "
            "(GUWAH_INGEST_MAX_SECONDS)"
        ) from None
    except OSError as exc:
        raise OcrUnavailable(f"Tesseract does not run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InvalidInput(f"{name}: OCR failed ({problem[-1] if problem else 'no message'})")
    return done.stdout.decode("utf-8", "replace")
