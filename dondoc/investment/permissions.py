"""Who sees a reallocation proposal: the policy behind ``access.scope(user, Proposal.objects…)``.

A proposal moves capital between projects of several investors, hence of several agencies: the province admin
and leaders see every proposal; an agency's users see the proposals with a transfer from or to a project of their
agency's investors; anyone else none. Inside a proposal, an agency's users see only the transfers from or to their
agency's projects (``scope_transfers``): the other lines name other agencies' projects and forecasts. The rest of investment's rules are rows of ``access.RULES``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dondoc.accounts import roles

from .models import ProposedTransfer


def scope_transfers(user, queryset: QuerySet) -> QuerySet:
    """The lines of proposals ``user`` may see: all for the province, those touching their agencies' projects."""
    if roles.sees_all(user):
        return queryset
    mine = roles.agency_ids(user)
    if not mine:
        return queryset.none()
    return queryset.filter(Q(donor__investor__agency__in=mine) | Q(receiver__investor__agency__in=mine))


def scope_proposals(user, queryset: QuerySet) -> QuerySet:
    if roles.sees_all(user):
        return queryset
    touching = scope_transfers(user, ProposedTransfer.objects.all())
    return queryset.filter(pk__in=touching.values("proposal_id"))
