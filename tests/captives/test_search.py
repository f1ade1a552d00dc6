from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from accounts.models import User
from captives.queries import parse_query, search_refusal, search_registry
from tests.factories import make_captive, sign_in

pytestmark = pytest.mark.django_db


def test_query_is_split_into_name_date_and_identifiers() -> None:
    entry = parse_query("Shevchenko 14.03.1990 A1234")

    assert entry.full_name == "Shevchenko"
    assert entry.birth_date == date(1990, 3, 14)
    assert entry.service_number == entry.military_unit == "A1234"


@pytest.mark.parametrize(
    ("query", "personal", "refused"),
    [
        ("Коваленко Андрій", False, ""),
        ("Kovalenko Andrii", False, ""),
        ("02.07.1988", False, "registry:personal"),
        ("Коваленко 1988-07-02", False, "registry:personal"),
        ("Коваленко ZX-998877", False, "registry:personal"),
        ("А4321", False, "registry:personal"),
        ("Коваленко 1988", False, "registry:personal"),
        ("31.02.1988", False, "Give a name"),
        ("Коваленко 02.07.1988 ZX-998877", True, ""),
        ("02.07.1988", True, ""),
    ],
)
def test_without_the_personal_scope_a_search_is_by_name_alone(
    query: str, personal: bool, refused: str
) -> None:
    refusal = search_refusal(parse_query(query), personal=personal)

    if refused:
        assert refusal is not None
        assert refused in refusal
    else:
        assert refusal is None


def test_a_latin_or_russian_spelling_finds_the_ukrainian_record_first() -> None:
    wanted = make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    make_captive(family_name="Гнатюк", given_name="Тарас", patronymic="Іванович")
    make_captive(family_name="Шевченко", given_name="Дмитро", patronymic="Юрійович")

    for query in ("Hnatiuk Dmytro", "Гнатюк Дмитрий Юрьевич", "gnatyuk"):
        results = search_registry(query)
        assert results, query
        assert results[0].captive == wanted or query == "gnatyuk"
    assert {f.captive.given_name for f in search_registry("gnatyuk")} == {"Дмитро", "Тарас"}


def test_a_date_of_birth_alone_finds_who_was_born_that_day() -> None:
    born = make_captive(birth_date=date(1977, 7, 7))
    make_captive(birth_date=date(1977, 7, 8))

    assert [f.captive for f in search_registry("07.07.1977")] == [born]


def test_search_page_shows_ranked_results(official: User) -> None:
    make_captive(family_name="Ярошенко", given_name="Вікторія", patronymic="Олегівна")
    client = Client()
    sign_in(client, official)

    response = client.get("/registry/", {"q": "Iaroshenko Viktoriia"})

    assert response.status_code == 200
    assert "Ярошенко Вікторія Олегівна" in response.content.decode()


def test_search_page_rows_link_each_person_with_their_birth_date_and_status(
    official: User,
) -> None:
    dated = make_captive(family_name="Ярошенко", given_name="Вікторія", birth_date=date(1990, 3, 4))
    undated = make_captive(family_name="Ярошенко", given_name="Віра", birth_date=None)
    client = Client(headers={"Accept-Language": "en"})
    sign_in(client, official)

    page = client.get("/registry/", {"q": "Ярошенко"}).content.decode()

    for captive, born in ((dated, "04.03.1990"), (undated, "—")):
        row = page.split(f'<a href="/registry/{captive.public_id}/">')[1].split("</tr>")[0]
        assert row.startswith(f"{captive.full_name}</a>")
        assert f'<td data-label="Date of birth">{born}</td>' in row
        assert row.endswith(
            '<td data-label="Category">Serviceman</td>'
            '<td data-label="Status">Confirmed captive</td>'
        )


def test_search_page_rows_escape_what_a_name_holds(official: User) -> None:
    make_captive(
        family_name="Ярошенко", given_name='Віра"><img src=x onerror=alert(1)>', patronymic=""
    )
    client = Client()
    sign_in(client, official)

    page = client.get("/registry/", {"q": "Ярошенко"}).content.decode()

    assert "<img" not in page
    assert "Ярошенко Віра&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>" in page


def test_search_page_says_when_nobody_matches(official: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    sign_in(client, official)

    page = client.get("/registry/", {"q": "Ярошенко"}).content.decode()

    assert "Nobody in the registry matches." in page
    assert '<th scope="row">' not in page


def test_a_search_from_the_pages_form_is_answered_with_its_results_alone(official: User) -> None:
    make_captive(family_name="Ярошенко", given_name="Віра", patronymic="")
    client = Client(headers={"Accept-Language": "en"})
    sign_in(client, official)

    whole = client.get("/registry/", {"q": "Ярошенко"})
    part = client.get("/registry/", {"q": "Ярошенко"}, headers={"HX-Request": "true"})
    restored = client.get(
        "/registry/",
        {"q": "Ярошенко"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "HX-Request" in part["Vary"]
    assert "HX-Request" in whole["Vary"]
    assert "<html" in whole.content.decode()
    assert "<html" in restored.content.decode()
    fragment = part.content.decode()
    assert "<html" not in fragment
    assert "<nav" not in fragment
    assert "Matches shown: 1" in fragment
    assert "Ярошенко Віра</a>" in fragment
    assert 'hx-get="/registry/"' in whole.content.decode()
