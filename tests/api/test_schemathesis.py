"""schemathesis (property-based testing of OpenAPI APIs) against the running site: requests
generated from /api/v1/schema/, valid and invalid, sent to the deployed WSGI application (the
page cache's front and Django). No answer may be a 5xx, and every answer must conform to the
schema: its status is documented, its Content-Type is the documented one, its body matches.

Examples per endpoint are kept modest (MAX_EXAMPLES) so the run stays within a minute or so on
two cores; schemathesis also tries the schema's boundary values and the site's real slugs.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    RelatedLinkFactory,
    TopicFactory,
)
from tests.wsgi import keep_test_transaction

MAX_EXAMPLES = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected, from the site itself: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.generation.update(max_examples=MAX_EXAMPLES)


@pytest.fixture
def content(db, settings):
    """A site with content in every resource, read through the deployed application inside
    the test's transaction (tests/wsgi.py)."""
    settings.API = {**settings.API, "RATE_LIMIT": None}  # thousands of requests, one address
    main = TopicFactory(slug="main", name="Main")
    sub = TopicFactory(slug="sub", name="Sub", parent=main)
    author = AuthorFactory(slug="writer")
    AuthorLinkFactory(author=author)
    expert = ExpertFactory(slug="expert")
    first = ArticleFactory(slug="first", primary_topic=main, topics=[sub], authors=[author],
                           tags=["oil", "Иран"], body="## One\n\n[[quote:q]]\n")  # fmt: skip
    second = ArticleFactory(slug="second", primary_topic=sub, authors=[author], tags=["oil"],
                            body="See [the first](article:first).")  # fmt: skip
    ExpertQuoteFactory(article=first, expert=expert, key="q")
    RelatedLinkFactory(from_article=second, to_article=first)
    with keep_test_transaction():
        yield


@schema.parametrize()
# The content is read, never changed, so one set serves every generated request.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_the_api_answers_every_request_as_its_schema_says(content, case):
    cache.clear()  # no answer served from another example's stored page
    # The WSGI test client does not undo gzip, which a real client does: ask for none.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
