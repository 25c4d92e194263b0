"""A local S3-compatible server (moto's, in a thread) and the STORAGES setting that points the media at it."""

import contextlib
import uuid

import boto3

ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "us-east-1"


@contextlib.contextmanager
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name=REGION)


def new_bucket(endpoint) -> str:
    name = f"portal-media-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def storages_for(endpoint, bucket) -> dict:
    """What settings.py builds from AWS_STORAGE_BUCKET_NAME and friends."""
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, "access_key": ACCESS_KEY,
                        "secret_key": SECRET_KEY, "region_name": REGION, "addressing_style": "path",
                        "signature_version": "s3v4", "default_acl": None, "file_overwrite": False},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def keys(endpoint, bucket) -> list[str]:
    listing = client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))
