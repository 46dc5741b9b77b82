"""Query parameters: out-of-range or garbage values answer 400 with a page (never a 500), and authenticated
pages are never cached by the browser."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # one past SQLite's largest integer


@pytest.mark.parametrize(("url", "query"), [
    ("tasks:list", {"program": HUGE}),
    ("investment:home", {"year": "0"}),
    ("investment:home", {"year": "99999"}),
    ("deadlines:calendar", {"year": HUGE}),
    ("investment:projects", {"investor": HUGE}),
])
def test_values_out_of_range_answer_400_with_a_page(personas, client_for, url, query):
    response = client_for("admin").get(reverse(url), query)
    assert response.status_code == 400
    assert "1900" in response.content.decode()


NUMBERS = [HUGE, "-9223372036854775809", "1e400", "٣"]
DATES = ["31/02/2020", "01/01/0001", "9999-12-31", HUGE]
PARAMS = {  # page -> (integer parameters, date parameters, others)
    "home": ([], ["as_of"], []),
    "tasks:list": (["program"], ["due_from", "due_to"], ["agency", "status"]),
    "reports:list": (["obligation"], ["as_of"], []),
    "deadlines:home": (["page"], ["as_of", "month"], ["agency"]),
    "deadlines:calendar": (["year"], [], []),
    "investment:home": (["year"], ["as_of"], []),
    "investment:projects": (["investor", "page"], ["as_of"], []),
    "investment:reallocation": ([], ["as_of"], []),
    "investment:emulation": ([], ["as_of"], []),
    "petitions:list": (["page"], [], ["category", "agency"]),
    "agencies:list": ([], [], ["kind", "sort"]),
    "audit": (["page"], ["since", "until"], ["agency"]),
}


def test_the_main_lists_never_answer_500(personas, client_for):
    client = client_for("admin")
    failures = []
    for name, (numbers, dates, others) in PARAMS.items():
        tries = [(k, v) for k in numbers for v in NUMBERS] + [(k, v) for k in dates for v in DATES]
        tries += [(k, HUGE + "\x00" + "x" * 300) for k in others]
        for key, value in tries:
            response = client.get(reverse(name), {key: value})
            if response.status_code >= 500:
                failures.append(f"{name}?{key}={value!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_authenticated_pages_are_not_stored(personas, client_for):
    response = client_for("officer").get(reverse("home"))
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache
