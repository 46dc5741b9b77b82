"""Who sees a reallocation proposal: the policy behind ``access.scope(user, Proposal.objects…)``.

A proposal moves capital between projects of several investors, hence of several agencies: the province admin
and leaders see every proposal; an agency's users see the proposals with a transfer from or to a project of their
agency's investors; anyone else none. The rest of investment's rules are rows of ``access.RULES``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dondoc.accounts import roles

from .models import ProposedTransfer


def scope_proposals(user, queryset: QuerySet) -> QuerySet:
    if roles.sees_all(user):
        return queryset
    mine = roles.agency_ids(user)
    if not mine:
        return queryset.none()
    touching = ProposedTransfer.objects.filter(Q(donor__investor__agency__in=mine)
                                               | Q(receiver__investor__agency__in=mine))
    return queryset.filter(pk__in=touching.values("proposal_id"))
