from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An anonymous API client (JSON answers: `.json()`)."""
    return APIClient()
