from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

FIXTURE = Path(__file__).parent / "fixtures" / "site.xml"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Imported images are stored under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def media_dir(tmp_path) -> Path:
    """A copy of wp-content/uploads holding the one image the fixture's attachment 10 names,
    and a file just outside it that attachment 12 tries to reach with ../."""
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    Image.new("RGB", (640, 420), "navy").save(uploads / "2024" / "03" / "tanker.png")
    Image.new("RGB", (10, 10), "red").save(tmp_path / "outside.png")
    return uploads


def run_import(*args: str) -> tuple[str, str]:
    """Run `import_wxr` with `args`; returns (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("import_wxr", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
