"""The agency list and the pending alias proposals: sorted and paged by the database, the same order as the
Vietnamese dictionary key (domain.text.sort_key), queries independent of the number of agencies."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dondoc.accounts import actions
from dondoc.accounts.models import Agency, AliasProposal, name_sort_key, rebuild_name_keys
from dondoc.domain.text import sort_key

pytestmark = pytest.mark.django_db
NAMES = ["Sở Y tế", "Sở Xây dựng", "Đài Phát thanh", "Sở Tài chính", "Sở Tư pháp", "Ủy ban nhân dân", "Sở Ngoại vụ",
         "Ban Dân tộc", "Sở Á", "Sở A", "Sở À", "Sở Ả B", "Sở 1", "Sở", "Ưu tiên", "Uỷ thác"]


def codes(text):
    return re.findall(r'class="code"><a href="/agencies/([^/]+)/', text)


def test_the_stored_key_sorts_as_the_dictionary_does():
    assert sorted(NAMES, key=name_sort_key) == sorted(NAMES, key=sort_key)


def test_name_sort_and_pages_in_the_database(client_for, personas):
    for i, name in enumerate(NAMES + [f"Phòng {k}" for k in range(10)]):  # 32 of the registry + 26: two pages
        actions.create_agency(actor=personas.admin, code=f"ZZ{i:02d}", name=name)
    expected = [a.code for a in sorted(Agency.objects.all(), key=lambda a: (sort_key(a.name), a.code))]
    c = client_for("admin")
    shown, page = [], 1
    while True:
        text = c.get("/agencies/", {"sort": "name", "page": page}).text
        shown += codes(text)
        if "»</a>" not in text:
            break
        page += 1
    assert page == 2
    assert shown == expected


def test_rebuild_fills_keys_of_bulk_created_agencies():
    Agency.objects.bulk_create([Agency(code="ZB", name="Sở Bulk")])
    assert rebuild_name_keys() == 1 and rebuild_name_keys() == 0
    a = Agency.objects.get(code="ZB")
    assert (a.search_name, a.sort_name) == ("so bulk", name_sort_key("Sở Bulk"))


def test_list_queries_do_not_grow(client_for, personas):
    c = client_for("admin")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx)

    AliasProposal.objects.create(agency=Agency.objects.get(code="STC"), alias="Sở TC", proposed_by=personas.admin,
                                 proposed_at=timezone.make_aware(dt.datetime(2019, 1, 1, 8)))
    before = [count("/agencies/"), count("/agencies/?sort=name"), count("/agencies/alias-proposals/")]
    for i in range(60):
        a = Agency.objects.create(code=f"ZQ{i:02d}", name=f"Sở thử {i}")
        AliasProposal.objects.create(agency=a, alias=f"bí danh {i}", proposed_by=personas.admin,
                                     proposed_at=timezone.make_aware(dt.datetime(2020, 1, 1, 8, i)))
    assert [count("/agencies/"), count("/agencies/?sort=name"), count("/agencies/alias-proposals/")] == before
    text = c.get("/agencies/alias-proposals/").text
    assert text.count("bí danh") == 50 and "bí danh 59" in text  # newest first, 50 a page
