"""The audit page: date filters on local days (Asia/Ho_Chi_Minh), keyset pages by (at, id) that walk the whole
log without gaps or repeats, and queries that do not grow with the log."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dondoc.core import audit
from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def record(kind, at, note=""):
    with transaction.atomic():
        return audit.record(actor=None, kind=kind, at=at, note=note)


def kinds_shown(text):
    return re.findall(r"<code>(test\.[a-z0-9_.]+)</code>", text)


def test_dates_are_local_days(client_for, personas):
    # 31/03/2018 23:30 in Hanoi is 16:30 UTC; 01/04/2018 00:10 in Hanoi is 31/03 17:10 UTC.
    record("test.last_minute", dt.datetime(2018, 3, 31, 23, 30, tzinfo=HCM))
    record("test.next_day", dt.datetime(2018, 4, 1, 0, 10, tzinfo=HCM))
    record("test.first_minute", dt.datetime(2018, 3, 1, 0, 0, tzinfo=HCM))
    record("test.day_before", dt.datetime(2018, 2, 28, 23, 59, 59, tzinfo=HCM))
    c = client_for("admin")
    shown = kinds_shown(c.get("/audit/", {"since": "01/03/2018", "until": "31/03/2018"}).text)
    assert sorted(shown) == ["test.first_minute", "test.last_minute"]
    assert kinds_shown(c.get("/audit/", {"since": "01/04/2018", "until": "01/04/2018"}).text) == ["test.next_day"]
    assert kinds_shown(c.get("/audit/", {"until": "28/02/2018"}).text) == ["test.day_before"]


def test_keyset_pages_walk_the_log_without_gaps_or_repeats(client_for, personas, settings):
    base = dt.datetime(2020, 1, 6, 8, 0, tzinfo=HCM)
    for i in range(120):  # pairs of events at the same moment: the id breaks the tie
        record(f"test.e{i}", base + dt.timedelta(minutes=i // 2))
    expected = list(AuditEvent.objects.filter(kind__startswith="test.").order_by("-at", "-id")
                    .values_list("kind", flat=True))
    c = client_for("admin")
    url, seen, pages = "/audit/?since=06/01/2020&until=06/01/2020", [], []
    counts = []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            text = c.get(url).text
        counts.append(len(ctx))
        assert re.search(r'<p class="muted">120 ', text)
        page = kinds_shown(text)
        pages.append(page)
        seen += page
        older = re.search(r'href="\?([^"]*older=[0-9.]+)"', text)
        url = "/audit/?" + older.group(1).replace("&amp;", "&") if older else None
    assert seen == expected and [len(p) for p in pages] == [50, 50, 20]
    assert len(set(counts)) == 1  # a deep page costs the queries of the first
    # and back: "newer" from the last page gives the middle page, then the first one
    newer = re.search(r'href="\?([^"]*newer=[0-9.]+)"', text).group(1).replace("&amp;", "&")
    middle = c.get("/audit/?" + newer).text
    assert kinds_shown(middle) == pages[1]
    newer = re.search(r'href="\?([^"]*newer=[0-9.]+)"', middle).group(1).replace("&amp;", "&")
    first = c.get("/audit/?" + newer).text
    assert kinds_shown(first) == pages[0] and 'rel="prev"' not in first


def test_a_bad_cursor_shows_the_first_page(client_for, personas):
    record("test.one", dt.datetime(2020, 1, 6, 8, 0, tzinfo=HCM))
    assert "test.one" in client_for("admin").get("/audit/", {"older": "x.y", "kind": "test.one"}).text


def test_the_count_is_capped_and_the_kind_list_is_every_kind_recorded(client_for, personas, monkeypatch):
    from dondoc.core import audit_log

    at = dt.datetime(2019, 5, 2, 9, 0, tzinfo=HCM)
    for i in range(7):
        record(f"test.kind{i % 3}", at + dt.timedelta(minutes=i))
    c = client_for("admin")
    expected_kinds = sorted(set(AuditEvent.objects.values_list("kind", flat=True)))
    r = c.get("/audit/")
    assert list(r.context["kinds"]) == expected_kinds
    assert not r.context["more"] and r.context["count"] == AuditEvent.objects.count()
    monkeypatch.setattr(audit_log, "COUNT_CAP", 5)
    monkeypatch.setattr(audit_log.capped_count, "__defaults__", (5,))
    r = c.get("/audit/")
    assert r.context["more"] and r.context["count"] == 5
    assert "hơn 5 sự kiện" in r.text
    r = c.get("/audit/", {"kind": "test.kind1"})
    assert not r.context["more"] and r.context["count"] == 2
