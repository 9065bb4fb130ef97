"""With a read replica configured, an anonymous visitor's directory reads come from it and everything
else from the primary. Two real databases: a resource that exists only in the stand-in replica is
found by the public pages and the API, and never by a signed-in member of staff, whose edits always go
to the primary."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from renkei.core.models import Municipality, PublicDataVersion, Region
from renkei.core.replica import public_reads
from renkei.directory.catalog import Category
from renkei.directory.models import Facility

pytestmark = pytest.mark.django_db(databases=["default", "replica"])

REPLICA_ONLY = "レプリカだけの訪問看護ステーション"
PRIMARY_ONLY = "プライマリだけの訪問看護ステーション"


def _facility(alias: str, name: str) -> Facility:
    facility = Facility(
        name=name,
        name_kana="ほうもんかんごすてーしょん",
        category=Category.VISITING_NURSE_STATION,
        municipality=Municipality.objects.using(alias).get(code="022039"),
        address="青森県八戸市湊町1-1",
        latitude=40.53,
        longitude=141.52,
    )
    facility.set_search_fields(["130"])
    facility.save(using=alias)
    return facility


def _replicate_region() -> None:
    """What streaming replication would have copied: the region and its municipalities (the replica's
    test database is migrated but, unlike the primary, not seeded by the suite's fixtures)."""
    for model in (Region, Municipality):
        for row in model.objects.using("default").all():
            row.save(using="replica")


@pytest.fixture
def two_databases(region_data):
    _replicate_region()
    return {"replica": _facility("replica", REPLICA_ONLY), "primary": _facility("default", PRIMARY_ONLY)}


@override_settings(RENKEI_READ_REPLICA="replica")
def test_anonymous_search_page_reads_the_replica(client, two_databases):
    page = client.get("/facilities/", {"q": "訪問看護"}).content.decode()
    assert REPLICA_ONLY in page
    assert PRIMARY_ONLY not in page


@override_settings(RENKEI_READ_REPLICA="replica")
def test_anonymous_api_geojson_and_facility_page_read_the_replica(client, two_databases):
    listed = client.get("/api/v1/facilities", {"q": "訪問看護"}).json()
    assert [row["name"] for row in listed["results"]] == [REPLICA_ONLY]
    features = client.get("/api/v1/facilities.geojson", {"q": "訪問看護"}).json()["features"]
    assert [feature["properties"]["name"] for feature in features] == [REPLICA_ONLY]
    replica_pk = two_databases["replica"].pk
    assert client.get(f"/api/v1/facilities/{replica_pk}").json()["name"] == REPLICA_ONLY
    assert REPLICA_ONLY in client.get(f"/facilities/{replica_pk}/").content.decode()


@override_settings(RENKEI_READ_REPLICA="replica")
def test_signed_in_staff_read_the_primary(client, two_databases, bob):
    client.force_login(bob)
    with CaptureQueriesContext(connections["replica"]) as replica_queries:
        page = client.get("/facilities/", {"q": "訪問看護"}).content.decode()
    assert PRIMARY_ONLY in page
    assert REPLICA_ONLY not in page
    assert len(replica_queries) == 0


def test_without_a_replica_every_read_goes_to_the_primary(client, two_databases):
    with CaptureQueriesContext(connections["replica"]) as replica_queries:
        page = client.get("/facilities/", {"q": "訪問看護"}).content.decode()
    assert PRIMARY_ONLY in page
    assert REPLICA_ONLY not in page
    assert len(replica_queries) == 0


@override_settings(RENKEI_READ_REPLICA="replica")
def test_a_write_during_a_public_read_goes_to_the_primary(two_databases):
    with public_reads():
        written = _facility("default", "書き込みの訪問看護ステーション")
        written.name = "書き込み後の訪問看護ステーション"
        written.save()
        assert Facility.objects.filter(name="書き込み後の訪問看護ステーション").count() == 0  # read: replica
    assert Facility.objects.filter(name="書き込み後の訪問看護ステーション").count() == 1  # primary


def _replicate_version() -> None:
    """What replication would have copied: the primary's data version."""
    for row in PublicDataVersion.objects.using("default").all():
        row.save(using="replica")


@override_settings(RENKEI_READ_REPLICA="replica")
def test_cached_public_pages_move_on_when_the_replica_does(client, two_databases):
    late = "遅れて届いた訪問看護ステーション"

    def search_page() -> str:
        return client.get("/facilities/", {"q": "訪問看護"}).content.decode()

    assert late not in search_page()
    _facility("default", late)  # written on the primary; the replica has not received it yet
    assert late not in search_page()
    primary_version = PublicDataVersion.objects.get(name="directory").version
    _facility("replica", late)  # replication arrives
    # Saving on the stand-in replica raised the primary's version too; replication would not have.
    PublicDataVersion.objects.filter(name="directory").update(version=primary_version)
    _replicate_version()
    assert late in search_page()
