"""Uploaded files on S3-compatible object storage (SLUSS_S3_BUCKET), for real: django-storages'
S3 backend with boto3 over HTTP against moto's standalone server. The files go to the
bucket, never to the local disk, and the permission-checked views still stream them
(they read through `storage.open`, never a path on disk).

moto is a test-time option, not a dependency of the project (its server pulls in Flask
and more): `.venv/bin/pip install "moto[server]"` to run these tests; without it they are
skipped, saying so.
"""

import socket

import pytest
from django.urls import reverse

from apps.core.tests.matrix import submit_with_file
from sluss.settings import uploaded_files_storage

moto_server = pytest.importorskip(
    "moto.server",
    reason='S3 storage tests need moto\'s server: .venv/bin/pip install "moto[server]"',
)
boto3 = pytest.importorskip("boto3", reason="the s3 extra (boto3) is not installed")

BUCKET = "sluss-uploads"
REGION = "eu-north-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the project configured for it as an operator would:
    through the environment variables, read by the same function the settings use."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": uploaded_files_storage(
            {
                "SLUSS_S3_BUCKET": BUCKET,
                "SLUSS_S3_ENDPOINT_URL": s3_endpoint,
                "SLUSS_S3_REGION": REGION,
                "SLUSS_S3_ACCESS_KEY_ID": "test-key",
                "SLUSS_S3_SECRET_ACCESS_KEY": "test-secret",
                "SLUSS_S3_ADDRESSING_STYLE": "path",
                "SLUSS_S3_PREFIX": "sluss/",
            }
        ),
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_without_a_bucket_files_stay_on_local_disk():
    assert uploaded_files_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = uploaded_files_storage({"SLUSS_S3_BUCKET": "b"})["OPTIONS"]
    # Never a public address for a file.
    assert options["custom_domain"] is None
    assert options["querystring_auth"] is True
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False


def test_an_uploaded_file_goes_to_the_bucket_and_the_views_stream_it(
    bucket, world, client, settings
):
    idea = submit_with_file(world.skovde, unit=world.skovde_unit)
    attachment = idea.attachments.get()
    assert keys(bucket) == [f"sluss/{attachment.file.name}"]
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    # The object is private: nobody but the keys' owner may read it.
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=f"sluss/{attachment.file.name}")
    assert not [g for g in acl["Grants"] if "AllUsers" in g["Grantee"].get("URI", "")]

    # A coach of the municipality downloads it through the permission-checked view.
    client.force_login(world.coach)
    response = client.get(
        reverse(
            "ideas:attachment",
            kwargs={"reference": idea.reference, "attachment_id": attachment.pk},
        )
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"En plan.\n"
    assert response["Content-Length"] == "9"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "plan.txt" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    # The coach of another municipality gets 404, as on local disk.
    client.force_login(world.other_coach)
    response = client.get(
        reverse(
            "ideas:attachment",
            kwargs={"reference": idea.reference, "attachment_id": attachment.pk},
        )
    )
    assert response.status_code == 404

    # The submitter, through the private link.
    client.logout()
    token = idea.submitters.get(is_primary=True).access_token
    response = client.get(
        reverse(
            "ideas:submitter_attachment",
            kwargs={"token": token, "attachment_id": attachment.pk},
        )
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"En plan.\n"
