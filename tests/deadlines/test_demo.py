"""The demo data set of dossiers: deterministic, idempotent, and telling as of 05/10/2020."""

import datetime as dt
from collections import Counter

import pytest

from dondoc.deadlines import demo, queries
from dondoc.deadlines.models import Dossier
from dondoc.domain import sla

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 10, 5)


def test_demo_dossiers(reference):
    assert demo.load(as_of=AS_OF) == ["demo dossiers: 80 created, 80 in all"]
    assert demo.load(as_of=AS_OF) == ["demo dossiers: 0 created, 80 in all"]
    by_agency = Counter(Dossier.objects.values_list("agency__code", "type__code"))
    assert set(by_agency) == {("SKHDT", "appraisal"), ("STC", "appraisal"), ("SGTVTXD", "appraisal"), ("KBNN", "payment")}
    states = Counter(r.state for r in queries.evaluate(Dossier.objects.all(), AS_OF))
    assert states[sla.OVERDUE] >= 2 and states[sla.PAUSED] >= 1 and states[sla.DUE_SOON] >= 1
    assert states[sla.LATE] > 0 and states[sla.ON_TIME] > states[sla.LATE]
    assert Dossier.objects.filter(pauses__isnull=False).distinct().count() >= 10
    assert not Dossier.objects.filter(received_on__gt=AS_OF).exists()
    assert not Dossier.objects.filter(completed_on__gt=AS_OF).exists()


def test_demo_through_the_year(reference):
    demo.load(as_of=dt.date(2020, 12, 31))
    assert Dossier.objects.filter(received_on__month=12).exists()
    assert Dossier.objects.filter(received_on__year=2021).count() == 0


def test_the_monthly_report_gets_a_time_limit_section(reference):
    import datetime as dt

    from dondoc.deadlines import demo, report

    demo.load(as_of=dt.date(2020, 10, 5))
    sec = report.section(start=dt.date(2020, 9, 1), end=dt.date(2020, 9, 30), as_of=dt.date(2020, 10, 5))
    done = sum(int(r[2]) for r in sec.tables[0].rows)
    on_time = sum(int(r[3]) for r in sec.tables[0].rows)
    assert f"đã giải quyết {done} hồ sơ" in sec.paragraphs[0] and f"trong đó {on_time} hồ sơ đúng thời hạn" in \
        sec.paragraphs[0]
    assert done > 0 and on_time <= done
    assert report.section(start=dt.date(2019, 1, 1), end=dt.date(2019, 1, 31), as_of=dt.date(2019, 2, 1)) is None
