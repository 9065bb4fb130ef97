"""The anonymous directory pages are answered from the worker's cache until the next write to the
directory, and nobody with anything personal (a session, an API token) is ever answered from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.tokens import issue_token
from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from renkei.freshness.models import FreshnessPolicy

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "renkei" / "directory" / "data" / "samples"
SEARCH = "/facilities/?q=%E3%81%BF%E3%81%AA%E3%81%A8"  # みなと
PUBLIC_URLS = [SEARCH, "/api/v1/facilities?q=みなと", "/api/v1/facilities.geojson?q=みなと"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_repeated_anonymous_request_reads_only_the_version(
    client, directory, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the version of the directory's data, nothing else
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_the_facility_page_is_cached_too(client, directory, django_assert_num_queries):
    url = f"/facilities/{directory['minato_nurse'].pk}/"
    first = client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content


def test_a_saved_facility_shows_at_once(client, directory):
    station = directory["minato_nurse"]
    assert "0178-00-0001" in client.get(f"/facilities/{station.pk}/").content.decode()
    station.phone = "0178-11-2222"
    station.save()
    page = client.get(f"/facilities/{station.pk}/").content.decode()
    assert "0178-11-2222" in page and "0178-00-0001" not in page


def test_a_deleted_facility_leaves_the_search_at_once(client, directory):
    assert "みなと訪問看護ステーション" in client.get(SEARCH).content.decode()
    Facility.objects.filter(pk=directory["minato_nurse"].pk).delete()
    assert "みなと訪問看護ステーション" not in client.get(SEARCH).content.decode()


def test_an_import_shows_at_once(client, db):
    url = "/api/v1/facilities?municipality=022039&page_size=5"
    assert client.get(url).json()["count"] == 0
    assert run_import("kaigo", [SAMPLES / "kaigo_sample_hachinohe.csv"]).added > 0
    after = client.get(url).json()["count"]
    caches["public"].clear()
    assert after == client.get(url).json()["count"] > 0


def test_a_changed_freshness_policy_moves_the_cache_on(client, directory):
    from renkei.core.public_cache import current_version

    before = current_version()
    FreshnessPolicy.objects.create(region=directory["minato_nurse"].municipality.region)
    assert current_version() == before + 1


def test_a_signed_in_person_never_gets_the_anonymous_page(client, directory, carol):
    anonymous = client.get(SEARCH).content.decode()
    client.force_login(carol)
    signed_in = client.get(SEARCH).content.decode()
    assert signed_in != anonymous
    assert "ログアウト" in signed_in and "ログアウト" not in anonymous


def test_an_api_token_never_gets_the_anonymous_answer(client, directory, carol):
    url = "/api/v1/facilities?q=みなと"

    def liaison(**headers) -> object:
        return client.get(url, headers=headers).json()["results"][0]["professional"]

    assert liaison() is None
    _, token = issue_token(carol, "テスト")
    assert liaison(Authorization=f"Bearer {token}")["liaison_contact"] == "連携担当 山田"
    assert liaison() is None  # and the professional answer was not kept for the next visitor


def test_an_error_answer_is_not_kept(client, directory):
    url = "/facilities/?municipality=999999"
    assert client.get(url).status_code == 400
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 400
    assert len(queries) > 1  # rendered again, not answered from the cache
