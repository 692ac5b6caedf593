"""A real S3 API on loopback for the tests: moto's standalone server, in a thread.

`s3_server` starts it once per test session (on a free port; nothing leaves the machine);
`s3_media` gives a test a fresh bucket as Django's default storage, exactly as
MEDIA_STORAGE_URL configures it in production (config/storage_url.py); `s3_down` points the
default storage at a port where nothing listens.
"""

from __future__ import annotations

import json
import socket
import uuid
from dataclasses import dataclass

import pytest

from config import storage_url

# moto accepts any credentials; boto3 still insists on having some.
ACCESS_KEY, SECRET_KEY = "dossier-test", "dossier-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self, prefix: str = "media") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        # As docs/deployment.md asks of a production bucket: anyone may read its objects.
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read(name)))
        return name

    def url(self, bucket: str) -> str:
        """The MEDIA_STORAGE_URL naming `bucket` on this server."""
        return f"s3://{ACCESS_KEY}:{SECRET_KEY}@{bucket}?endpoint_url={self.endpoint}&region_name={REGION}"

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@dataclass
class Bucket:
    server: S3Server
    name: str

    @property
    def base_url(self) -> str:
        return f"{self.server.endpoint}/{self.name}/"

    def keys(self) -> list[str]:
        return self.server.keys(self.name)


def public_read(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield S3Server(endpoint=f"http://{host}:{port}")
    server.stop()


def use_storage(settings, url: str) -> None:
    """Make `url` Django's media storage for this test, as settings.py would from the env."""
    from botocore.config import Config

    options = storage_url.parse(url)
    client_config = Config(connect_timeout=1, read_timeout=5, retries={"total_max_attempts": 1})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": storage_url.S3_BACKEND,
            "OPTIONS": {**options, "client_config": client_config},
        },
    }
    settings.MEDIA_URL = storage_url.base_url(options)


@pytest.fixture
def s3_media(s3_server, settings) -> Bucket:
    bucket = s3_server.new_bucket()
    use_storage(settings, s3_server.url(bucket))
    return Bucket(server=s3_server, name=bucket)


@pytest.fixture
def s3_down(settings) -> str:
    """Media storage on a port nothing listens on: every call is refused at once."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    use_storage(
        settings,
        f"s3://{ACCESS_KEY}:{SECRET_KEY}@media?endpoint_url={endpoint}&region_name={REGION}",
    )
    return endpoint
