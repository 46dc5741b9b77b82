"""`dondoc generate`: the synthetic data set at a tiny scale — sizes, reproducibility, coherence, pages."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum

from dondoc.accounts.models import Agency
from dondoc.core.models import AuditEvent
from dondoc.deadlines import actions as deadlines_actions
from dondoc.deadlines.models import Dossier
from dondoc.home import generate
from dondoc.investment.models import Disbursement, ImportBatch, PlanLine, Project
from dondoc.petitions.actions import compute_deadline
from dondoc.petitions.models import Petition
from dondoc.programs.models import ActionProgram, Assignment, Extension, Task
from dondoc.reporting.models import Report, ReportState

from ..layers import shared

TINY = generate.SCALES["tiny"]


@shared
def generated(demo):
    return generate.generate(scale="tiny", seed=7, write=lambda line: None)


def fingerprint() -> dict:
    """What the generator wrote, by natural keys (ids differ between runs on PostgreSQL)."""
    return {
        "agencies": sorted(Agency.objects.values_list("code", "name", "kind")),
        "tasks": sorted(Task.objects.values_list("version__program__number", "position", "deadline")),
        "assignments": sorted(Assignment.objects.values_list(
            "task__version__program__number", "task__position", "agency__code", "role", "deadline", "completed_on")),
        "dossiers": sorted(Dossier.objects.values_list("reference", "received_on", "completed_on")),
        "petitions": sorted(Petition.objects.filter(reference__regex=r"-\d{4}$").values_list(
            "reference", "tracking_code", "state", "due_on", "answered_on")),
        "reports": sorted(Report.objects.values_list("agency__code", "period", "state")),
        "paid": sorted(Disbursement.objects.values("project__code").annotate(s=Sum("amount"))
                       .values_list("project__code", "s")),
        "audit": AuditEvent.objects.filter(kind__in=["petition.route", "dossier.complete"]).count(),
    }


def test_sizes_are_the_scale_totals(generated):
    assert Agency.objects.count() == TINY["agencies"]
    assert ActionProgram.objects.count() == TINY["programs"]
    assert Task.objects.count() == TINY["tasks"]
    assert Report.objects.count() == TINY["reports"]
    assert Dossier.objects.count() == TINY["dossiers"]
    assert Petition.objects.count() == TINY["petitions"]
    assert Project.objects.count() == TINY["projects"]
    assert PlanLine.objects.count() == TINY["plan_lines"]
    assert Disbursement.objects.count() == TINY["disbursements"]
    assert AuditEvent.objects.count() == TINY["audit_events"]
    assert generated["dossiers"] > 0 and generated["assignments"] > 0 and generated["disbursements"] > 0


def test_same_seed_same_rows(demo):
    sid = transaction.savepoint()
    generate.generate(scale="tiny", seed=3, write=lambda line: None)
    first = fingerprint()
    transaction.savepoint_rollback(sid)
    generate.generate(scale="tiny", seed=3, write=lambda line: None)
    assert fingerprint() == first
    transaction.savepoint_rollback(sid)
    generate.generate(scale="tiny", seed=4, write=lambda line: None)
    assert fingerprint() != first


def test_rows_are_coherent(generated):
    end = generate.END
    # Petitions: the stored deadline is the one routing computes; states agree with the dates.
    routed = Petition.objects.filter(routed_on__isnull=False, reference__regex=r"-\d{4}$").select_related("category")
    assert routed.exists()
    for p in routed:
        assert (p.due_on, p.deadline_rule) == compute_deadline(p, p.routed_on, p.answer_days)
        assert p.lead_agency_id and p.routings.count() == 1
        assert (p.answered_on is not None) == (p.state in ("answered", "published", "closed"))
    assert not Petition.objects.filter(received_on__gt=end).exists()
    # Dossiers: completed after received, never after the end of the history.
    assert not Dossier.objects.filter(completed_on__gt=end).exists()
    assert Dossier.objects.filter(completed_on__isnull=True).exists()
    # Their stored clock dates are the ones the actions keep (the generator ran the rebuild).
    assert Dossier.objects.filter(due_on__isnull=False).exists()
    assert deadlines_actions.refresh_clocks() == 0
    # Assignments keep the task's deadline unless an extension was approved.
    extended = set(Extension.objects.filter(state="approved").values_list("assignment_id", flat=True))
    for a in Assignment.objects.select_related("task").exclude(pk__in=extended):
        assert a.deadline == a.task.deadline
    # Reports: accepted ones were submitted first; drafts were not.
    assert not Report.objects.filter(state=ReportState.ACCEPTED, accepted_at__isnull=True).exists()
    assert not Report.objects.filter(state=ReportState.DRAFT).exclude(first_submitted_on=None).exists()
    for r in Report.objects.exclude(state=ReportState.DRAFT):
        assert r.versions.count() >= 1
    # Disbursements belong to existing projects and published batches.
    project_ids = set(Project.objects.values_list("pk", flat=True))
    assert set(Disbursement.objects.values_list("project_id", flat=True).distinct()) <= project_ids
    batch_ids = Disbursement.all_objects.values_list("batch_id", flat=True).distinct()
    assert not ImportBatch.objects.filter(pk__in=batch_ids).exclude(state="published").exists()
    assert Disbursement.objects.count() == Disbursement.all_objects.count()
    assert set(Disbursement.objects.values_list("year", flat=True).distinct()) <= set(range(2020, 2026))
    # Every agency has its two accounts.
    assert not Agency.objects.filter(memberships__isnull=True).exists()


def test_a_second_run_refuses(generated):
    with pytest.raises(CommandError, match="already generated") as exc:
        call_command("generate", "--scale", "large", "--seed", "1", stdout=io.StringIO())
    assert exc.value.returncode == 1


def test_an_unknown_scale_is_a_usage_error(demo):
    with pytest.raises(CommandError, match="unknown scale") as exc:
        call_command("generate", "--scale", "huge", stdout=io.StringIO())
    assert exc.value.returncode == 2


@pytest.mark.parametrize("url", ["/", "/tasks/", "/tasks/?status=overdue", "/deadlines/", "/petitions/",
                                 "/investment/", "/audit/", "/reports/"])
def test_main_pages_answer_after_generation(generated, client, url):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get(url).status_code == 200


def test_dates_spread_over_five_years(generated):
    years = {d.year for d in Dossier.objects.values_list("received_on", flat=True)}
    assert min(years) == 2020 and max(years) == 2025
    assert dt.date(2025, 12, 31) == generate.END
