"""Which guwah a benchmark measured: printed at the top of every benchmark's output."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


def code_version() -> str:
    """The commit, and a hash of the sources as they are now (uncommitted edits show)."""
    import guwah

    src = Path(guwah.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(src.rglob("*.py")):
        digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes())
    try:
        commit = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return f"guwah {guwah.__version__}, commit {commit or '?'}, sources {digest.hexdigest()[:12]}"
