"""The outbox: idempotent enqueue, the deadline sweeper, and send_outbox against a real SMTP server."""

import datetime as dt
import email
import socket
from email import policy

import pytest
from django.core.management import call_command

from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.deadlines import actions as deadline_actions
from dondoc.deadlines.models import Dossier, DossierType
from dondoc.outbox import actions
from dondoc.outbox.models import Message

pytestmark = pytest.mark.django_db
D = dt.date
SUBJECT = "[dondoc] Hồ sơ TĐ-01/2020 quá hạn — Sở Tài chính"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; the messages it received are in the returned list."""
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield received
    controller.stop()


def test_enqueue_is_idempotent_by_rule_key(reference):
    stc = Agency.objects.get(code="STC")
    m1, created1 = actions.enqueue(rule_key="test:1", recipient="a@example.invalid", subject=SUBJECT, body="x", agency=stc, at=clock.now())
    m2, created2 = actions.enqueue(rule_key="test:1", recipient="b@example.invalid", subject="other", body="y", at=clock.now())
    assert (created1, created2, m1.pk == m2.pk, Message.objects.count()) == (True, False, True, 1)
    assert m1.state == "pending" and m1.agency == stc
    assert AuditEvent.objects.filter(kind="outbox.enqueue").count() == 1
    alert, _c = actions.enqueue(rule_key="test:2", recipient="STC", subject="s", body="", channel="alert", at=clock.now())
    assert alert.state == "sent" and alert.sent_at is not None  # in-app: delivered on creation


def test_send_outbox_through_a_real_smtp_server(reference, smtp, capsys):
    actions.enqueue(rule_key="test:1", recipient="stc@example.invalid", subject=SUBJECT,
                    body="Hồ sơ quá hạn 5 ngày làm việc.", at=clock.now())
    actions.enqueue(rule_key="test:alert", recipient="STC", subject="alert", body="", channel="alert", at=clock.now())
    call_command("send_outbox")
    assert capsys.readouterr().out.strip() == "sent 1, failed 0, skipped 0"
    assert len(smtp) == 1
    envelope = smtp[0]
    assert envelope.rcpt_tos == ["stc@example.invalid"]
    parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert parsed["Subject"].strip() == SUBJECT  # Django folds long encoded subjects onto a second line
    assert parsed.get_content().strip() == "Hồ sơ quá hạn 5 ngày làm việc."
    m = Message.objects.get(rule_key="test:1")
    assert (m.state, m.attempts, m.last_error) == ("sent", 1, "") and m.sent_at is not None
    call_command("send_outbox")
    assert len(smtp) == 1  # nothing sent twice


def test_failures_keep_the_error_and_are_retried_up_to_the_limit(reference, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2  # nobody listens
    m, _c = actions.enqueue(rule_key="test:1", recipient="stc@example.invalid", subject=SUBJECT, body="x", at=clock.now())
    assert actions.send_pending(at=clock.now()) == {"sent": 0, "failed": 1, "skipped": 0}
    m.refresh_from_db()
    assert (m.state, m.attempts) == ("failed", 1) and "Connection" in m.last_error
    for _ in range(actions.MAX_ATTEMPTS + 2):
        actions.send_pending(at=clock.now())
    m.refresh_from_db()
    assert (m.state, m.attempts) == ("failed", actions.MAX_ATTEMPTS)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert actions.send_pending(at=clock.now()) == {"sent": 0, "failed": 0, "skipped": 0}  # given up: an operator looks at it


def test_a_failed_message_is_sent_on_the_next_run(reference, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    actions.enqueue(rule_key="test:1", recipient="stc@example.invalid", subject=SUBJECT, body="x", at=clock.now())
    actions.send_pending(at=clock.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert actions.send_pending(at=clock.now())["sent"] == 1
    assert [m.subject for m in mailoutbox] == [SUBJECT]
    assert Message.objects.get().state == "sent"


# --- check_deadlines -------------------------------------------------------------------------------------


@pytest.fixture
def late_dossiers(reference):
    stc = Agency.objects.get(code="STC")
    stc.email = "stc@example.invalid"
    stc.save()
    appraisal, payment = DossierType.objects.get(code="appraisal"), DossierType.objects.get(code="payment")
    make = deadline_actions.create_dossier
    return {
        "overdue": make(actor=None, type=appraisal, agency=stc, reference="TĐ-01", subject="a", received_on=D(2020, 9, 21)),
        "soon": make(actor=None, type=appraisal, agency=stc, reference="TĐ-02", subject="b", received_on=D(2020, 9, 30)),
        "calm": make(actor=None, type=appraisal, agency=stc, reference="TĐ-03", subject="c", received_on=D(2020, 10, 5)),
        "kbnn": make(actor=None, type=payment, agency=Agency.objects.get(code="KBNN"), reference="TT-01", subject="d",
                     received_on=D(2020, 9, 24)),
    }


def test_check_deadlines_is_idempotent(late_dossiers, capsys):
    call_command("check_deadlines", "--as-of", "2020-10-05")
    out = capsys.readouterr().out
    assert "2 overdue, 1 due soon; 3 alert(s) and 2 e-mail(s) created" in out and "KBNN" in out  # KBNN has no e-mail
    emails = Message.objects.filter(channel="email")
    assert sorted(emails.values_list("recipient", flat=True)) == ["stc@example.invalid"] * 2
    overdue = emails.get(rule_key__contains=f"dossier:{late_dossiers['overdue'].pk}:")
    assert overdue.rule_key == f"deadlines.overdue:dossier:{late_dossiers['overdue'].pk}:2020-09-28:email"
    assert "TĐ-01" in overdue.subject and "28/09/2020" in overdue.body and overdue.agency.code == "STC"
    call_command("check_deadlines", "--as-of", "2020-10-05")
    assert "0 alert(s) and 0 e-mail(s) created" in capsys.readouterr().out
    assert Message.objects.count() == 5


def test_a_moved_due_date_alerts_again_and_completed_dossiers_never(late_dossiers):
    call_command("check_deadlines", "--as-of", "2020-10-05", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = Message.objects.count()
    deadline_actions.complete_dossier(actor=None, dossier=late_dossiers["overdue"], on=D(2020, 10, 6))
    deadline_actions.pause_dossier(actor=None, dossier=late_dossiers["soon"], on=D(2020, 10, 1))
    deadline_actions.resume_dossier(actor=None, dossier=late_dossiers["soon"], on=D(2020, 10, 5))
    call_command("check_deadlines", "--as-of", "2020-10-08", stdout=open("/dev/null", "w"))  # noqa: SIM115
    new = Message.objects.exclude(pk__in=list(Message.objects.order_by("id").values_list("pk", flat=True)[:before]))
    soon_pk = late_dossiers["soon"].pk
    assert {m.rule_key.rsplit(":", 2)[0] for m in new} == {
        f"deadlines.due_soon:dossier:{soon_pk}",  # its due date moved from 07/10 to 09/10
        f"deadlines.due_soon:dossier:{late_dossiers['calm'].pk}",
    }
    assert not new.filter(rule_key__contains=f"dossier:{late_dossiers['overdue'].pk}:").exists()
    assert Dossier.objects.count() == 4
