import pytest
from django.http import Http404

from dondoc import access
from dondoc.accounts.models import Agency, Membership

pytestmark = pytest.mark.django_db


def test_scope_gives_each_persona_what_it_may_see(personas):
    all_agencies = Agency.objects.all()
    assert access.scope(personas.admin, all_agencies).count() == 32
    assert access.scope(personas.leader, all_agencies).count() == 32
    assert list(access.scope(personas.officer, all_agencies).values_list("code", flat=True)) == ["STC"]
    assert list(access.scope(personas.other, all_agencies).values_list("code", flat=True)) == ["KBNN"]
    memberships = Membership.objects.all()
    assert set(access.scope(personas.officer, memberships).values_list("agency__code", flat=True)) == {"STC"}


def test_anonymous_and_inactive_users_see_nothing(personas, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert access.scope(AnonymousUser(), Agency.objects.all()).count() == 0
    personas.officer.is_active = False
    assert access.scope(personas.officer, Agency.objects.all()).count() == 0
    assert not access.can(personas.officer, "agency.view", personas.own_agency)


@pytest.mark.parametrize(
    ("persona", "action", "own", "expected"),
    [
        ("admin", "agency.edit", False, True), ("admin", "audit.view", None, True),
        ("leader", "agency.view", False, True), ("leader", "agency.edit", True, False),
        ("leader", "audit.view", None, False),
        ("head", "agency.edit", True, True), ("head", "agency.edit", False, False),
        ("officer", "agency.view", True, True), ("officer", "agency.edit", True, False),
        ("officer", "agency.view", False, False), ("other", "agency.view", True, False),
        ("officer", "organisation.edit", None, False), ("officer", "no.such.action", True, False),
    ],
)
def test_can(personas, persona, action, own, expected):
    obj = None if own is None else (personas.own_agency if own else personas.other_agency)
    assert access.can(getattr(personas, persona), action, obj) is expected


def test_get_agency_for_404s_outsiders(personas):
    assert access.get_agency_for(personas.officer, "stc").code == "STC"
    with pytest.raises(Http404):
        access.get_agency_for(personas.officer, "KBNN")
    with pytest.raises(Http404):
        access.get_agency_for(personas.admin, "NOPE")


def test_can_delegates_feature_policies(personas):
    # One entry point: rules that depend on more than one agency live in the feature's policy module.
    assert access.can(personas.admin, "investment.import")
    assert not access.can(personas.officer, "investment.import")
    assert access.can(personas.admin, "petition.intake")
    assert not access.can(personas.leader, "petition.intake")
