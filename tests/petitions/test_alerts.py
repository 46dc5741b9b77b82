"""The sweeper: outbox rows for petitions overdue or due soon; idempotent; `dondoc check_petitions`."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.outbox.models import Channel, Message
from dondoc.petitions import actions, alerts

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tet(make_petition, settings):
    settings.DONDOC_TODAY = "2021-03-31"
    Agency.objects.filter(code="STC").update(email="stc@example.invalid")
    return make_petition(received=D(2021, 2, 1), routed=D(2021, 2, 3), days=5)  # due 17/02/2021


def test_no_alert_inside_tet_then_due_soon_then_overdue(tet):
    assert alerts.check(D(2021, 2, 5)) == 0  # 3 working days left (08, 09, 17): not yet "due soon"
    assert alerts.check(D(2021, 2, 12)) == 2  # in Tết: 1 working day left → due soon, alert + e-mail
    assert alerts.check(D(2021, 2, 16)) == 0  # the same fact again: nothing new
    assert alerts.check(D(2021, 2, 17)) == 0  # due today: still the same "due soon" fact
    assert alerts.check(D(2021, 2, 18)) == 2  # overdue: new alert + e-mail
    assert alerts.check(D(2021, 2, 19)) == 0
    rows = Message.objects.order_by("id")
    assert [(m.channel, m.recipient) for m in rows] == [
        (Channel.ALERT, "STC"), (Channel.EMAIL, "stc@example.invalid"),
        (Channel.ALERT, "STC"), (Channel.EMAIL, "stc@example.invalid")]
    overdue = rows[2]
    assert tet.reference in overdue.subject and "17/02/2021" in overdue.body
    assert "Kim Thành" not in overdue.body and "0912" not in overdue.body  # no personal data in alerts


def test_answered_or_rerouted(personas, coordinator, tet):
    actions.route(actor=personas.admin, petition=tet, lead=Agency.objects.get(code="CT"), on=D(2021, 2, 18),
                  reason="Thuộc thẩm quyền Cục Thuế", at=clock.now())
    tet.refresh_from_db()
    assert tet.due_on == D(2021, 3, 4)  # 5 working days from 18/02
    assert alerts.check(D(2021, 3, 4)) == 1  # a new agency, a new deadline: new alert (CT has no e-mail here)
    actions.answer(actor=coordinator, petition=tet, text="Cục Thuế trả lời", on=D(2021, 3, 5), at=clock.now())  # CT leads now
    assert alerts.check(D(2021, 3, 10)) == 0  # answered (late): nothing waiting any more


def test_command(tet):
    out = io.StringIO()
    call_command("check_petitions", "--as-of", "2021-02-18", stdout=out)
    assert out.getvalue().strip() == "as of 2021-02-18: 1 overdue, 0 due soon; 2 outbox message(s) created"
    out = io.StringIO()
    call_command("check_petitions", "--as-of", "18/02/2021", stdout=out)
    assert "0 outbox message(s) created" in out.getvalue()
    with pytest.raises(CommandError) as exc:
        call_command("check_petitions", "--as-of", "yesterday")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command("check_petitions", "--as-of", "2050-01-01")  # outside the working calendar
    assert exc.value.returncode == 1
