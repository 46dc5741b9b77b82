from dondoc import access
from dondoc.domain import disbursement as rules_mod

from . import queries


def disbursement(request, today):
    """Province rate against the next milestone, and the investors flagged (cut, behind the milestone)."""
    user = request.user
    if not access.can(user, "investment.view"):
        return None
    evaluation = queries.evaluate(year=today.year, as_of=today, user=user, projects=False)  # investor figures only
    if not evaluation.investors:
        return None
    flagged = [r for r in evaluation.investors if rules_mod.CUT in r.flags or rules_mod.MILESTONE in r.flags]
    flagged.sort(key=lambda r: (rules_mod.CUT not in r.flags, r.current.rate is None, r.current.rate or 0))
    return {
        "template": "investment/panel.html", "order": 30, "as_of": today, "scoped": evaluation.scoped,
        "rate": evaluation.province.rate, "plan": evaluation.province.plan,
        "disbursed": evaluation.province.disbursed, "milestone": evaluation.next_milestone,
        "gap": evaluation.milestone_gap, "flagged": flagged,
    }
