"""The source page: passages highlighted, the testifier only for those who may see them."""

from __future__ import annotations

import re

from guwah.secure.policy import Role
from guwah.services.archive import open_archive
from guwah.services.sources import show_source
from guwah.web.routes.sources import highlight
from tests.conftest import PASSPHRASE
from tests.web.conftest import Web


def _testimony_with_quotes(location: str) -> tuple[str, str, str]:
    """(source id, testifier id, a quoted claim id) of a demo testimony."""
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        for number in range(1, 80):
            detail = show_source(archive, f"S-{number:06d}")
            text = detail.source.original_text or ""
            quoted = [c for c in detail.claims if c.quote and c.quote in text]
            if detail.testifier and quoted:
                return detail.source.id, detail.testifier.id, quoted[0].id
    finally:
        archive.close()
    raise AssertionError("no demo testimony with a testifier and quoted claims")


def test_passages_are_marked_and_testifier_shown_to_editor(web: Web) -> None:
    source, testifier, claim = _testimony_with_quotes(web.location)
    client = web.login(Role.EDITOR)
    page = client.get(f"/sources/{source}")
    assert page.status_code == 200
    assert re.search(rf'<mark class="passage" id="{claim}"', page.text)
    assert f'href="/persons/{testifier}"' in page.text


def test_researcher_does_not_see_a_testifier_without_consent(web: Web) -> None:
    source, testifier, _claim = _testimony_with_quotes(web.location)
    client = web.login(Role.RESEARCHER)
    page = client.get(f"/sources/{source}")
    if page.status_code == 200:
        assert f'href="/persons/{testifier}"' not in page.text
    else:  # a restricted source: answered as if it did not exist
        assert page.status_code == 404


def test_unknown_and_malformed_sources(web: Web) -> None:
    client = web.login(Role.EDITOR)
    assert client.get("/sources/S-999999").status_code == 404
    assert client.get("/sources/X").status_code == 400


def test_highlight_escapes_nothing_itself_and_merges_overlaps() -> None:
    from guwah.model.records import Claim
    from guwah.model.vocab import ClaimKind, ClaimStatus

    def claim(cid: str, quote: str) -> Claim:
        return Claim(cid, "P-000001", "S-000001", ClaimKind.DETAINED, {}, ClaimStatus.ACCEPTED,
                     quote=quote)  # fmt: skip

    text = "She was taken in 2017 <b>to a camp</b> near Ghulja."
    pieces, missing = highlight(
        text, [claim("C-1", "taken in 2017"), claim("C-2", "2017 <b>to a camp"), claim("C-3", "x")]
    )
    assert "".join(p.text for p in pieces) == text
    marked = [p for p in pieces if p.claims]
    assert len(marked) == 1 and marked[0].claims == ("C-1", "C-2")
    assert [c.id for c in missing] == ["C-3"]
