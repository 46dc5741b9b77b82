import datetime as dt
import email
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command

from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.outbox.models import Message
from dondoc.reporting import actions, reminders
from tests.outbox.test_outbox import smtp  # noqa: F401 - the real SMTP server fixture

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def emails(reference):
    for agency in Agency.objects.all():
        agency.email = f"{agency.code.lower()}@example.invalid"
        agency.save()


def test_reminders_follow_the_schedule_and_are_idempotent(obligation, emails, personas):
    # September 2020, due 24/09: D−5 = 17/09, D−2 = 22/09, D+1 = 25/09, escalation D+3 = 29/09.
    expected = len({a.agency_id for a in obligation.program.versions.get().tasks.get(section="2.1", item="b")
                    .assignments.all()})
    assert reminders.queue(as_of=D(2020, 9, 16))["before"] == 0
    first = reminders.queue(as_of=D(2020, 9, 17))
    assert first["before"] >= expected
    again = reminders.queue(as_of=D(2020, 9, 17))
    assert again["before"] == 0 and again["already_queued"] == first["before"]
    # STC reports; it gets no more reminders for September.
    report = actions.open_report(actor=personas.head, obligation=obligation, agency=personas.own_agency,
                                 period=D(2020, 9, 1))
    actions.submit(actor=personas.head, report=report, on=D(2020, 9, 21), at=clock.now())
    reminders.queue(as_of=D(2020, 9, 22))
    stc = Message.objects.filter(recipient="stc@example.invalid", rule_key__contains=":2020-09:")
    assert sorted(m.rule_key.rsplit(":", 1)[1] for m in stc) == ["before5"]
    late = reminders.queue(as_of=D(2020, 9, 25))
    assert late["after"] == first["before"] - 1
    personas.make("t_kbnn_ld", "KBNN", "agency_head")
    escalations = reminders.queue(as_of=D(2020, 9, 29))
    assert escalations["escalate"] == 1  # the one agency with a head account; the others are counted
    assert escalations["no_address"] > 0
    escalation = Message.objects.get(rule_key__contains=":2020-09:KBNN:escalate")
    assert escalation.recipient == "t_kbnn_ld@example.invalid"
    assert "chưa gửi báo cáo kỳ 09/2020" in Message.objects.filter(rule_key__contains=":escalate").first().body


def test_a_due_day_in_tet_rolls_and_so_do_the_reminders(obligation, emails):
    # "Before the 12th" of 02/2021: the 11th is inside Tết (10–16/02/2021), so the due day is Wednesday 17/02;
    # D−2 working days is Monday 08/02 (counted back over Tết).
    obligation.due_day = 12
    obligation.save()
    assert reminders.queue(as_of=D(2021, 2, 5))["before"] > 0  # D−5
    queued = reminders.queue(as_of=D(2021, 2, 8))
    assert queued["before"] > 0
    body = Message.objects.filter(rule_key__contains=":2021-02:").first().body
    assert "17/02/2021" in body
    assert reminders.queue(as_of=D(2021, 2, 17))["after"] == 0  # the due day itself is still in time
    assert reminders.queue(as_of=D(2021, 2, 18))["after"] > 0


def test_send_reminders_through_a_real_smtp_server(obligation, emails, smtp, capsys):  # noqa: F811
    call_command("send_reminders", as_of="2020-09-17")
    sent = Message.objects.filter(state="sent").count()
    assert sent > 0 and len(smtp) == sent
    msg = email.message_from_bytes(smtp[0].content)
    subject = str(make_header(decode_header(msg["Subject"])))
    assert subject.startswith("[dondoc] Nhắc báo cáo 07/CTr-UBND kỳ 09/2020: hạn 24/09/2020")
    call_command("send_reminders", as_of="2020-09-17")
    assert len(smtp) == sent  # nothing sent twice
