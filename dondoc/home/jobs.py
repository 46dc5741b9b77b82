"""Every kind of background job, with the feature handler that runs it (composition, like ``dondoc.access`` for
permissions): ``dondoc.jobs`` runs a job by looking its kind up in this table. Registered at start-up
(``HomeConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from dondoc.deadlines import jobs as deadlines_jobs
from dondoc.investment import jobs as investment_jobs
from dondoc.jobs.runner import Kind
from dondoc.programs import jobs as programs_jobs

KINDS = {
    "investment.plans": Kind(_("capital plans"), investment_jobs.run_plans),
    "investment.disbursements": Kind(_("disbursements"), investment_jobs.run_disbursements),
    deadlines_jobs.KIND: Kind(_("dossiers"), deadlines_jobs.run_dossiers),
    programs_jobs.KIND: Kind(_("program document"), programs_jobs.run_document),
}
