"""The engine's full explanation in the reader's language: strengths of evidence and likelihoods,
never bits, nor the engine's English, on the reviewer's and the caseworker's pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.utils import translation

from accounts.roles import Role
from captives.matching import Candidate, FieldAgreement
from captives.matching.explain import Account, Evidence, Weighed
from captives.reasons import likelihood, stored_candidate, told
from exchanges.models import ReleaseList, ReleaseListRow
from exchanges.reconciliation import reconcile_release_list
from inquiries.matching import rematch_open_inquiries
from inquiries.models import Inquiry
from tests.factories import make_captive, make_phase, make_user, sign_in

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 10, 0, tzinfo=UTC)
ENGLISH_ENGINE = ("bits", "P=", "agrees (", "transliterated (", '<p lang="en">')


def _hnatiuk() -> None:
    make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )


def _row_for(name: str) -> ReleaseListRow:
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="c" * 64, rows_total=1
    )
    ReleaseListRow.objects.create(release_list=release_list, line_number=1, full_name=name)
    reconcile_release_list(release_list_id=release_list.pk, now=NOW)
    return release_list.rows.get()


def _page(role: Role, url: str, language: str = "uk") -> str:
    client = Client()
    sign_in(client, make_user(role))
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(url).content.decode()


def test_the_review_page_explains_in_ukrainian_with_strengths_not_bits() -> None:
    _hnatiuk()
    row = _row_for("Gnatyuk Dmitriy Yurievich")

    page = _page(Role.REVIEWER, f"/review/rows/{row.pk}/")

    assert "Повне пояснення" in page
    assert "прізвище: збігається, в іншому письмі чи транслітерації (Gnatyuk ~ Гнатюк)" in page
    assert "доказ на користь" in page
    assert "імовірність" in page
    assert row.explanation[:40] not in page
    for english in ENGLISH_ENGINE:
        assert english not in page


def test_the_review_page_explains_in_english_to_an_english_reader() -> None:
    _hnatiuk()
    row = _row_for("Gnatyuk Dmitriy Yurievich")

    page = _page(Role.REVIEWER, f"/review/rows/{row.pk}/", "en")

    assert "family name: agrees, in another script or transliteration (Gnatyuk ~ Гнатюк)" in page
    assert "evidence for" in page
    assert "bits" not in page


def test_the_caseworkers_pages_tell_likelihoods_and_evidence_not_bits() -> None:
    _hnatiuk()
    inquiry = Inquiry.objects.create(
        reference="HC-EXPL-AIN1",
        pin_hash="x",
        relative_name="Марія Гнатюк",
        relationship="mother",
        email="m@example.org",
        consent_given_at=NOW,
        sought_full_name="Gnatyuk Dmitriy Yurievich",
        sought_birth_date=date(1998, 12, 3),
    )
    rematch_open_inquiries(at=NOW)

    suggestions = _page(Role.CASEWORKER, "/inquiries/suggestions/")
    detail = _page(Role.CASEWORKER, f"/inquiries/{inquiry.reference}/")

    for page in (suggestions, detail):
        assert "російська форма того самого імені" in page.lower()
        assert "доказ на користь" in page
        for english in ENGLISH_ENGINE:
            assert english not in page
    assert "імовірність" in suggestions


def test_an_account_is_told_as_sentences_of_the_active_language() -> None:
    found = Account(
        reason="equal",
        alike=3,
        unreadable_date="31.02.1997",
        lacking=("military_unit",),
        candidates=(
            Weighed("", 0.6, (Evidence("family", "exact", "strong_for", "Бойко ~ Бойко"),)),
            Weighed("", 0.2, (Evidence("birth_date", "different", "strong_against"),)),
        ),
    )

    with translation.override("uk"):
        said = told(found)

    assert said.notes == [
        "Дата народження «31.02.1997» не є датою, тож її не порівнювали.",
        "У реєстрі немає нічого про найкращого кандидата, з чим порівняти такі дані рядка: "
        "військова частина.",
        "2 кандидати підходять майже так само, як найкращий.",
        "Наступний кандидат менш імовірний у 3 рази.",
    ]
    assert [c.name for c in said.candidates] == ["Кандидат 1", "Кандидат 2"]
    assert said.candidates[0].likelihood == "імовірність 60 %"
    assert said.candidates[0].evidence == [
        "прізвище: збігається точно (Бойко ~ Бойко) — сильний доказ на користь"
    ]
    assert said.candidates[1].evidence == ["дата народження: відрізняється — сильний доказ проти"]


@pytest.mark.parametrize(
    ("probability", "said"), [(0.973, "97"), (0.004, "0,4"), (0.0, "0"), (1.0, "100")]
)
def test_a_probability_is_told_as_a_percentage(probability: float, said: str) -> None:
    with translation.override("uk"):
        assert likelihood(probability) == f"імовірність {said} %"


def test_a_stored_candidate_reads_back_as_the_engines() -> None:
    stored = {
        "captive_id": 7,
        "label": "DEMO-7",
        "score": 12.5,
        "probability": 0.9,
        "agreements": [{"field": "given", "level": "form", "weight": 2.0, "detail": "a ~ b"}],
    }

    assert stored_candidate(stored) == Candidate(
        7, "DEMO-7", 12.5, (FieldAgreement("given", "form", 2.0, "a ~ b"),), 0.9
    )
