"""The API against its own OpenAPI document, with inputs schemathesis makes up (valid and
invalid, any script, NUL characters, huge numbers): never a server error, and every
answer as documented (status, content type, headers, body schema).

Every operation is called with an editor's token (the role that may use every endpoint),
over a fresh copy of the demo archive; the review queues are filled first so that the
review endpoints have real items to list and decide.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guwah.secure.policy import Role
from guwah.services import accounts
from guwah.services.accounts import Credentials
from guwah.services.archive import open_archive
from guwah.services.ingest import ingest_files
from guwah.services.review import find_duplicates
from tests.conftest import PASSPHRASE
from tests.web.conftest import PASSWORD, USERS, Web
from tests.web.test_api import ARTICLE

# Examples per operation and mode: about 600 requests on SQLite, fewer on PostgreSQL where
# each request costs about twice as much (GUWAH_SCHEMATHESIS_EXAMPLES=500 for a deep run).
EXAMPLES = {"sqlite": 25, "postgres": 15}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def editor_token(web: Web, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An editor's token, with duplicates and ingest proposals waiting for review."""
    if backend == "postgres":  # a PostgreSQL archive keeps originals in a folder
        monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(tmp_path / "evidence"))
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    archive = open_archive(web.location, PASSPHRASE, "tester")
    try:
        accounts.sign_in(archive, Credentials(USERS[Role.ADMIN], PASSWORD))
        find_duplicates(archive)
        assert ingest_files(archive, [article])[0].ok
        return accounts.create_token(archive, USERS[Role.EDITOR], None)[1]
    finally:
        archive.close()


def test_api_keeps_to_its_openapi_document(web: Web, editor_token: str, backend: str) -> None:
    # Operations are walked here rather than with schemathesis' pytest plugin, whose
    # fixture-based schemas do not run under pytest 9 (they rename the test node).
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web.client.app)
    headers = {"Authorization": f"Bearer {editor_token}"}
    schema.config.update(headers=headers)  # every call signed in: auth is tested elsewhere
    schema.config.generation.update(with_security_parameters=False)
    examples = int(os.environ.get("GUWAH_SCHEMATHESIS_EXAMPLES", EXAMPLES[backend]))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            call()
