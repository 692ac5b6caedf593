"""MEDIA_STORAGE_URL and the AWS_* variables, read into django-storages' options
(config/storage_url.py), and the settings they produce."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config import storage_url


def test_a_url_names_bucket_prefix_credentials_and_options():
    options = storage_url.parse(
        "s3://AKIA%2Fkey:s%40cret@media-bucket/site/uploads"
        "?endpoint_url=https://minio.internal:9000&region_name=eu-west-1"
    )

    assert options["bucket_name"] == "media-bucket"
    assert options["location"] == "site/uploads"
    assert (options["access_key"], options["secret_key"]) == ("AKIA/key", "s@cret")
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "eu-west-1"
    # Kept pages name image URLs for a day: they must never be signed and expire.
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://bucket/x", "must start with s3://"),
        ("s3:///prefix", "names no bucket"),
        ("s3://bucket?querystring_auth=1", "unknown storage URL option 'querystring_auth'"),
    ],
)
def test_a_bad_url_is_refused_with_a_reason(url, message):
    with pytest.raises(storage_url.StorageUrlError, match=message):
        storage_url.parse(url)


def test_the_usual_aws_variables_work_without_a_url():
    options = storage_url.from_environment(
        {
            "AWS_STORAGE_BUCKET_NAME": "media",
            "AWS_LOCATION": "/site/",
            "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
        }
    )

    assert options["bucket_name"] == "media"
    assert options["location"] == "site"
    assert storage_url.base_url(options) == "https://media.example.org/site/"
    assert storage_url.from_environment({}) is None


@pytest.mark.parametrize(
    ("options", "base"),
    [
        ({"bucket_name": "b", "endpoint_url": "http://127.0.0.1:9000/"}, "http://127.0.0.1:9000/b/"),
        ({"bucket_name": "b", "region_name": "eu-west-1"}, "https://b.s3.eu-west-1.amazonaws.com/"),
        ({"bucket_name": "b", "custom_domain": "cdn.example.org", "location": "m"},
         "https://cdn.example.org/m/"),
    ],
)  # fmt: skip
def test_base_url_is_where_objects_are_read_from(options, base):
    assert storage_url.base_url(options) == base


def settings_with(**env: str) -> str:
    """Settings read in a fresh process with `env`: the media storage, MEDIA_URL and img-src."""
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND']);print(s.MEDIA_URL);"
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_STOR"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def test_settings_put_media_in_the_bucket_when_a_url_is_given():
    out = settings_with(MEDIA_STORAGE_URL="s3://media?endpoint_url=http://10.0.0.7:9000")

    assert "storages.backends.s3.S3Storage" in out
    assert "http://10.0.0.7:9000/media/" in out
    assert "'http://10.0.0.7:9000'" in out  # the CSP lets pages show its images


def test_settings_keep_media_on_disk_by_default_and_refuse_a_bad_url():
    assert "FileSystemStorage" in settings_with()
    out = settings_with(MEDIA_STORAGE_URL="ftp://media")
    assert "ImproperlyConfigured" in out
    assert "MEDIA_STORAGE_URL / STATIC_STORAGE_URL: storage URL must start with s3://" in out
