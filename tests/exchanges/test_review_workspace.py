"""The review workspace: a decision is one request answered with the next row, the primary
action follows the outcome, the queue narrows, a new captive is prefilled as the registry
writes them, and a conflict on the list's page names whom it clashes with."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.models import Captive
from exchanges.models import Outcome, Phase, ReleaseList, ReleaseListRow, Resolution
from exchanges.reconciliation import reconcile_release_list
from exchanges.review import Action, primary_action
from tests.factories import make_captive, make_matched_list, make_phase, make_user, sign_in

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client() -> Client:
    reviewer = Client()
    sign_in(reviewer, make_user(Role.REVIEWER))
    return reviewer


def _english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _candidate(captive: Captive, probability: float = 0.6) -> dict[str, object]:
    return {
        "captive_id": captive.pk,
        "label": captive.full_name,
        "score": 5.0,
        "probability": probability,
        "agreements": [],
    }


def _list(
    rows: list[tuple[str, list[Captive]]], phase: Phase | None = None, **fields: str
) -> list[ReleaseListRow]:
    """A list whose rows wait: (outcome, candidates) each, lines 1, 2, …"""
    release_list = ReleaseList.objects.create(
        phase=phase or make_phase(),
        received_on=date(2025, 5, 21),
        sha256=f"{ReleaseList.objects.count():064d}",
        rows_total=len(rows),
    )
    ReleaseListRow.objects.bulk_create(
        ReleaseListRow(
            release_list=release_list,
            line_number=n,
            full_name=f"Рядок{n} Дмитрий Юрьевич",
            outcome=outcome,
            reason="name_only" if outcome == Outcome.REVIEW else "no_candidate",
            candidates=[_candidate(c) for c in candidates],
            **fields,
        )
        for n, (outcome, candidates) in enumerate(rows, start=1)
    )
    return list(release_list.rows.order_by("line_number"))


def _tag(page: str, key: str) -> str:
    """The opening tag of the element the key ``key`` presses."""
    found = re.search(rf'<(?:button|summary|input)\b[^>]*data-key="{key}"[^>]*>', page)
    assert found is not None, key
    return found[0]


def _decide(
    client: Client, row: ReleaseListRow, resolution: str, headers: dict[str, str] | None = None
) -> Any:  # the test client's response, whose type the stubs keep private
    return client.post(
        f"/review/rows/{row.pk}/", {"resolution": resolution, "version": "0"}, headers=headers
    )


# A decision: one request, the next row in its answer


def test_a_decision_sent_by_htmx_is_answered_with_the_next_rows_panel(client: Client) -> None:
    first, second = _list([(Outcome.UNMATCHED, []), (Outcome.UNMATCHED, [])])

    response = _decide(_english(client), first, "not_ours", headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page  # the panel alone, swapped in: no page load
    assert f"<title>Review line {second.line_number} · Homecoming</title>" in page
    assert '<h1 id="row-heading" tabindex="-1" aria-describedby="messages">Line 2:' in page
    assert "Line 1 decided." in page
    assert response["HX-Push-Url"] == f"/review/rows/{second.pk}/"
    assert "HX-Request" in response["Vary"]
    assert ReleaseListRow.objects.get(pk=first.pk).resolution == Resolution.NOT_OURS


def test_without_script_a_decision_redirects_to_the_next_row(client: Client) -> None:
    first, second = _list([(Outcome.UNMATCHED, []), (Outcome.UNMATCHED, [])])

    response = _decide(client, first, "not_ours")

    assert (response.status_code, response["Location"]) == (302, f"/review/rows/{second.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "<html" in page
    assert "Рядок 1 вирішено." in page  # the message, on the next row's page


def test_the_last_decision_says_nothing_more_waits_and_points_to_the_queue(
    client: Client,
) -> None:
    [row] = _list([(Outcome.UNMATCHED, [])])

    response = _decide(_english(client), row, "deferred", headers=HTMX)

    assert response["HX-Push-Url"] == "/review/"
    assert "Nothing more waits for review here." in response.content.decode()


def test_a_refused_decision_shows_the_row_again_saying_why(client: Client) -> None:
    row, _ = _list([(Outcome.UNMATCHED, []), (Outcome.UNMATCHED, [])])
    _decide(client, row, "not_ours")  # someone decided it meanwhile

    response = _decide(_english(client), row, "deferred", headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 422  # htmx is told to swap it in all the same (base.html)
    assert 'class="error-summary" id="review-error" role="alert" tabindex="-1"' in page
    assert "Line 1 is already decided: “Not ours”." in page
    assert ">Line 1: Рядок1 Дмитрий Юрьевич</h1>" in page  # the same row,
    assert "Decided: Not ours, by" in page  # now showing the decision made meanwhile
    assert "HX-Push-Url" not in response


def test_htmx_restoring_a_page_from_history_gets_the_whole_page(client: Client) -> None:
    [row] = _list([(Outcome.UNMATCHED, [])])

    response = client.get(
        f"/review/rows/{row.pk}/", headers=HTMX | {"HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


# The primary action and its key follow the outcome


def test_on_an_unmatched_row_recording_a_new_captive_is_the_primary_action(
    client: Client,
) -> None:
    namesake = make_captive(family_name="Гнатюк", given_name="Дмитро")
    [row] = _list([(Outcome.UNMATCHED, [namesake])])

    page = client.get(f"/review/rows/{row.pk}/").content.decode()

    record = _tag(page, "KeyN")
    assert record.startswith("<button")
    assert "secondary" not in record
    assert 'class="secondary"' in _tag(page, "KeyC")  # the namesake: offered, not first
    assert 'id="new-captive-heading"' in page  # the form is open on the page: one key


def test_on_a_review_row_confirming_the_best_candidate_is_the_primary_action(
    client: Client,
) -> None:
    best = make_captive(family_name="Гнатюк", given_name="Дмитро")
    [row] = _list([(Outcome.REVIEW, [best])])

    page = client.get(f"/review/rows/{row.pk}/").content.decode()

    assert "secondary" not in _tag(page, "KeyC")
    assert _tag(page, "KeyN").startswith("<summary")  # a new captive: one key away, folded
    assert 'class="secondary"' in _tag(page, "KeyX")


def test_a_candidates_status_and_likelihood_read_apart(client: Client) -> None:
    best = make_captive(family_name="Гнатюк", given_name="Дмитро")
    [row] = _list([(Outcome.REVIEW, [best])])

    page = _english(client).get(f"/review/rows/{row.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))

    assert "Confirmed captive · likelihood 60 %" in text


@pytest.mark.parametrize("reason", ["other_name", "contradicted"])
def test_a_candidate_a_rule_ruled_out_says_so_beside_its_likelihood(
    client: Client, reason: str
) -> None:
    """The engine's rule overrides the score: the first candidate of such an unmatched row may
    be likely to the model and is still someone else."""
    closest = make_captive(family_name="Бондар", given_name="Богдан")
    [row] = _list([(Outcome.UNMATCHED, [closest])])
    ReleaseListRow.objects.filter(pk=row.pk).update(reason=reason)

    page = _english(client).get(f"/review/rows/{row.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))

    assert "likelihood 60 %, ruled out: someone else" in text


def test_a_candidate_of_an_unmatched_row_no_rule_ruled_out_shows_its_likelihood_alone(
    client: Client,
) -> None:
    closest = make_captive(family_name="Бондар", given_name="Богдан")
    [row] = _list([(Outcome.UNMATCHED, [closest])])
    ReleaseListRow.objects.filter(pk=row.pk).update(reason="unlikely")

    page = _english(client).get(f"/review/rows/{row.pk}/").content.decode()

    assert "likelihood 60 %" in page
    assert "ruled out" not in page


def test_the_primary_action_of_each_outcome() -> None:
    someone = {"captive_id": 1}
    unmatched = ReleaseListRow(outcome=Outcome.UNMATCHED, candidates=[someone])
    review = ReleaseListRow(outcome=Outcome.REVIEW, candidates=[someone])
    matched = ReleaseListRow(outcome=Outcome.MATCHED, candidates=[someone])
    conflict = ReleaseListRow(outcome=Outcome.CONFLICT, candidates=[someone])
    other_line = ReleaseListRow(line_number=1)

    assert primary_action(unmatched, []) == Action.NEW_CAPTIVE
    assert primary_action(ReleaseListRow(outcome=Outcome.REVIEW, candidates=[]), []) == (
        Action.NEW_CAPTIVE
    )
    assert primary_action(review, []) == Action.CONFIRM
    assert primary_action(matched, []) == Action.CONFIRM
    assert primary_action(conflict, [other_line]) == Action.DUPLICATE
    assert primary_action(conflict, []) == Action.CONFIRM


def test_keys_are_bound_by_their_place_and_listed_on_the_page(client: Client) -> None:
    first, second = make_captive(), make_captive(family_name="Мельник")
    [row] = _list([(Outcome.REVIEW, [first, second])])

    page = client.get(f"/review/rows/{row.pk}/").content.decode()

    for key in ("KeyC", "Digit2", "KeyN", "KeyX", "KeyD", "Slash"):
        _tag(page, key)
    assert "<li><kbd>2</kbd> обрати іншого кандидата</li>" in page  # one other: no "2…2"
    assert "в українській ті самі клавіші друкують С, Т, Ч, В" in page  # the hint, in Ukrainian
    assert "<kbd>X</kbd> не наш" in page


# Every button names the person it decides for


def test_each_choice_names_its_person_to_a_screen_reader(client: Client) -> None:
    first = make_captive(family_name="Гнатюк", given_name="Дмитро", birth_date=date(1998, 12, 3))
    second = make_captive(family_name="Гнатюк", given_name="Тарас", birth_date=None)
    [row] = _list([(Outcome.REVIEW, [first, second])])

    page = _english(client).get(f"/review/rows/{row.pk}/", {"q": "Гнатюк"}).content.decode()

    hidden = '<span class="visually-hidden">: '
    assert f"Confirm this person{hidden}{first.full_name}, 03.12.1998</span>" in page
    assert f"Choose this person{hidden}{second.full_name}</span>" in page  # candidate 2
    assert page.count("Choose this person<span class") == 3  # and both found by the search


# The queue, narrowed


def test_the_queue_narrows_to_a_phase_a_list_or_an_outcome(client: Client) -> None:
    one, two = make_phase(), make_phase(number=2, date=date(2025, 5, 24))
    first = _list([(Outcome.UNMATCHED, []), (Outcome.REVIEW, [make_captive()])], one)
    second = _list([(Outcome.UNMATCHED, [])], two)
    _english(client)

    def lines(query: dict[str, str]) -> set[int]:
        page = client.get("/review/", query).content.decode()
        return {int(pk) for pk in re.findall(r'href="/review/rows/(\d+)/', page)}

    assert lines({}) == {r.pk for r in first + second}
    assert lines({"phase": str(two.pk)}) == {second[0].pk}
    assert lines({"list": str(first[0].release_list_id)}) == {r.pk for r in first}
    assert lines({"phase": str(one.pk), "outcome": "review"}) == {first[1].pk}
    assert lines({"phase": "999999"}) == set()  # a phase with nothing waiting: nothing


def test_a_filter_that_is_no_number_is_refused_beside_it(client: Client) -> None:
    page = _english(client).get("/review/", {"phase": "second"}).content.decode()

    assert 'id="id_phase_error"' in page
    assert "A whole number is required." in page


def test_the_next_row_stays_in_the_queue_as_narrowed(client: Client) -> None:
    early, late = make_phase(), make_phase(number=2, date=date(2025, 6, 1))
    [waiting_earlier] = _list([(Outcome.UNMATCHED, [])], early)
    first, second = _list([(Outcome.UNMATCHED, []), (Outcome.UNMATCHED, [])], late)
    scope = f"?phase={late.pk}"

    page = client.get(f"/review/?phase={late.pk}").content.decode()
    after_first = client.post(
        f"/review/rows/{first.pk}/{scope}", {"resolution": "not_ours", "version": "0"}, headers=HTMX
    )
    after_second = client.post(
        f"/review/rows/{second.pk}/{scope}",
        {"resolution": "not_ours", "version": "0"},
        headers=HTMX,
    )

    assert f'href="/review/rows/{first.pk}/{scope}"' in page  # links keep the scope
    assert after_first["HX-Push-Url"] == f"/review/rows/{second.pk}/{scope}"
    assert after_first.content.decode().count(f'hx-post="/review/rows/{second.pk}/{scope}"') >= 2
    # The phase is done: not on to the earlier phase's row, which the reviewer left out.
    assert after_second["HX-Push-Url"] == f"/review/{scope}"
    assert ReleaseListRow.objects.get(pk=waiting_earlier.pk).resolution == ""


# A new captive: prefilled as the registry writes them, then on to the next row


def test_a_new_captive_is_prefilled_in_ukrainian_with_the_unit_normalised(
    client: Client,
) -> None:
    [row, _] = _list([(Outcome.UNMATCHED, []), (Outcome.UNMATCHED, [])])
    ReleaseListRow.objects.filter(pk=row.pk).update(
        full_name="ГНАТЮК ДМИТРИЙ ЮРЬЕВИЧ", military_unit="в/ч A1019"
    )

    form = client.get(f"/review/rows/{row.pk}/new-captive/").context["form"]
    inline = client.get(f"/review/rows/{row.pk}/").content.decode()

    assert {name: form[name].value() for name in ("family_name", "given_name", "patronymic")} == {
        "family_name": "Гнатюк",
        "given_name": "Дмитро",
        "patronymic": "Юрійович",
    }
    assert form["military_unit"].value() == "\u04101019"  # a Cyrillic А, no "в/ч"
    assert 'value="Дмитро"' in inline  # the same, on the row's own page
    assert 'value="\u04101019"' in inline


def test_a_new_captive_recorded_goes_on_to_the_next_row(client: Client) -> None:
    first, second = _list([(Outcome.UNMATCHED, []), (Outcome.UNMATCHED, [])])
    form = {
        "family_name": "Вайнштейн",
        "given_name": "Аркадій",
        "category": "civilian",
        "held_by": "theirs",
        "version": "0",
    }

    without_script = client.post(f"/review/rows/{first.pk}/new-captive/", form)
    with_htmx = client.post(
        f"/review/rows/{second.pk}/new-captive/", form | {"family_name": "Коваль"}, headers=HTMX
    )

    assert (without_script.status_code, without_script["Location"]) == (
        302,
        f"/review/rows/{second.pk}/",
    )
    assert with_htmx["HX-Push-Url"] == "/review/"
    assert ReleaseListRow.objects.get(pk=second.pk).resolution == Resolution.NEW_CAPTIVE
    assert set(Captive.objects.values_list("family_name", flat=True)) == {"Вайнштейн", "Коваль"}


def test_a_new_captive_with_a_missing_name_is_refused_in_the_panel(client: Client) -> None:
    [row] = _list([(Outcome.UNMATCHED, [])])

    response = _english(client).post(
        f"/review/rows/{row.pk}/new-captive/",
        {"given_name": "Аркадій", "category": "civilian", "held_by": "theirs", "version": "0"},
        headers=HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was recorded: correct the fields marked below." in page
    assert 'id="id_family_name_error"' in page
    assert 'value="Аркадій"' in page  # what was typed stays
    assert not Captive.objects.exists()


# A conflict on the list's page says whom it clashes with


def test_a_conflict_row_on_the_lists_page_names_whom_it_clashes_with(official: User) -> None:
    person = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="e" * 64, rows_total=2
    )
    for line in (1, 2):
        ReleaseListRow.objects.create(
            release_list=release_list,
            line_number=line,
            full_name="Гнатюк Дмитрий Юрьевич",
            birth_date=date(1998, 12, 3),
        )
    reconcile_release_list(release_list_id=release_list.pk, now=release_list.uploaded_at)
    conflict = release_list.rows.get(outcome=Outcome.CONFLICT)
    other = release_list.rows.exclude(pk=conflict.pk).get()
    earlier = make_matched_list(release_list.phase, [person])  # the phase's other list names him
    elsewhere = make_matched_list(make_phase(number=2), [person], sha256="f" * 64)  # not a clash
    client = Client()
    sign_in(client, official)

    page = _english(client).get(f"/exchanges/lists/{release_list.pk}/").content.decode()

    clash = page[page.index('<div class="clash">') :]
    clash = clash[: clash.index("</div>")]
    assert person.full_name in clash
    here = f"line {other.line_number}: Гнатюк Дмитрий Юрьевич"
    there = f"line 1 of list {earlier.pk}: {person.full_name}"
    assert here in clash
    assert there in clash
    assert clash.index(here) < clash.index(there)  # its own list's lines first
    assert f"of list {elsewhere.pk}" not in clash  # another phase's lists clash with nothing
    assert page.count('<div class="clash">') == 1  # the matched line itself clashes with nobody
