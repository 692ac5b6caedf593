"""Object storage for media (and optionally static) files, configured by one URL each.

    MEDIA_STORAGE_URL=s3://[KEY:SECRET@]BUCKET[/PREFIX][?option=value&…]

read like DATABASE_URL: the bucket, an optional key prefix, and django-storages' S3 options
(https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html) as query parameters:
`endpoint_url` (any S3-compatible service: MinIO, Ceph, R2, Scaleway…), `region_name`,
`custom_domain` (a CDN or the bucket's public host name), `url_protocol`, `addressing_style`,
`signature_version`, `default_acl`. Credentials come from the URL or, as boto3 reads them, from
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role).

Without a URL, the usual django-storages variables do the same: AWS_STORAGE_BUCKET_NAME,
AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_S3_CUSTOM_DOMAIN, AWS_LOCATION.

Kept free of Django and boto3 imports: settings.py reads it before either is set up.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, unquote, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
S3_STATIC_BACKEND = "storages.backends.s3.S3ManifestStaticStorage"

# The options a URL may set, each as django-storages names it.
URL_OPTIONS = {
    "endpoint_url",
    "region_name",
    "custom_domain",
    "url_protocol",
    "addressing_style",
    "signature_version",
    "default_acl",
}
# The usual environment variables, for those who configure django-storages that way.
ENV_OPTIONS = {
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_S3_CUSTOM_DOMAIN": "custom_domain",
    "AWS_S3_URL_PROTOCOL": "url_protocol",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
    "AWS_DEFAULT_ACL": "default_acl",
}


class StorageUrlError(ValueError):
    pass


def parse(url: str) -> dict:
    """The OPTIONS for django-storages' S3Storage that `url` names."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise StorageUrlError(f"storage URL must start with s3://, not {url.split(':')[0]}://")
    if not parts.hostname:
        raise StorageUrlError("storage URL names no bucket (s3://BUCKET/…)")
    options: dict = {"bucket_name": parts.hostname}
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    prefix = parts.path.strip("/")
    if prefix:
        options["location"] = prefix
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in URL_OPTIONS:
            known = ", ".join(sorted(URL_OPTIONS))
            raise StorageUrlError(f"unknown storage URL option {name!r} (known: {known})")
        options[name] = value
    return with_defaults(options)


def from_environment(environ=os.environ) -> dict | None:
    """S3 options from AWS_STORAGE_BUCKET_NAME and its companions, or None without a bucket."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return None
    options: dict = {"bucket_name": bucket}
    if environ.get("AWS_LOCATION"):
        options["location"] = environ["AWS_LOCATION"].strip("/")
    for variable, name in ENV_OPTIONS.items():
        if environ.get(variable):
            options[name] = environ[variable]
    return with_defaults(options)


def with_defaults(options: dict) -> dict:
    return {
        # Public, unsigned URLs: pages, feeds and kept page parts are stored for a day or more,
        # and a signed URL would stop working an hour after the page was rendered. The bucket
        # (or the CDN in front of it) must let anyone read its objects; docs/deployment.md.
        "querystring_auth": False,
        # django-storages overwrites by default: two "photo.jpg" uploads in one month would be
        # one object. Django's own rule instead: a taken name gets a random suffix.
        "file_overwrite": False,
        # A browser-side cache for a year: a replaced image always gets a new name.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        **options,
    }


def base_url(options: dict) -> str:
    """Where the storage's objects are read from: MEDIA_URL or STATIC_URL, for what needs
    the origin (the CSP's img-src) or to know media is not served from this host."""
    location = options.get("location", "")
    suffix = f"{location}/" if location else ""
    protocol = options.get("url_protocol", "https:")
    if options.get("custom_domain"):
        return f"{protocol}//{options['custom_domain']}/{suffix}"
    bucket = options["bucket_name"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        return f"{endpoint.rstrip('/')}/{bucket}/{suffix}"
    region = options.get("region_name")
    host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    return f"https://{bucket}.{host}/{suffix}"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
