"""Release lists with every variation the other side's clerks produce, and the truth beside."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from bench import renderings as r
from bench.population import Someone, person, rare_surnames
from bench.profiles import SPARSE, Profile
from captives.matching import Entry

STYLES = {
    "ukrainian": 0.18,
    "russian": 0.24,
    "national-2010": 0.10,
    "bgn-uk": 0.08,
    "bgn-ru": 0.10,
    "icao-ru": 0.10,
    "iso9": 0.08,
    "ascii": 0.12,
}
KEYBOARD_NEIGHBOURS = {
    "а": "пв",
    "о": "лр",
    "е": "кн",
    "и": "мт",
    "і": "ьс",
    "н": "ег",
    "р": "по",
    "к": "уе",
    "a": "sq",
    "o": "ip",
    "e": "wr",
    "i": "uo",
    "n": "bm",
    "r": "et",
    "k": "jl",
    "s": "ad",
}


@dataclass(frozen=True)
class ListRow:
    entry: Entry
    truth: int | None  # the registry person, or None for someone the registry does not hold
    style: str
    namesake: bool = False
    order: str = "FGP"  # the name's parts as written: F family, G given, P patronymic


def render_name(someone: Someone, style: str, order: str, rng: random.Random) -> str:
    family, given, patronymic = someone.family_name, someone.given_name, someone.patronymic
    russian = style in ("russian", "bgn-ru", "icao-ru") or (style == "ascii" and rng.random() < 0.5)
    if russian:
        family = r.russian_orthography(family)
        given = r.russian_given(given)
        patronymic = r.russian_patronymic(someone.father, someone.female)
    if rng.random() < 0.4:
        family = family.upper()
    parts = {"F": family, "G": given, "P": patronymic}
    words = [_latin(parts[key], style, russian) for key in order]
    return " ".join(words)


def _latin(word: str, style: str, russian: bool) -> str:
    if style in ("ukrainian", "russian"):
        return word
    if style == "national-2010":
        return r.latin(word, r.NATIONAL_2010, r.NATIONAL_2010_INITIAL)
    if style == "bgn-uk":
        return r.latin(word, r.BGN_UKRAINIAN)
    if style == "bgn-ru":
        return r.latin(word, r.BGN_RUSSIAN, russian_ye=True)
    if style == "icao-ru":
        return r.latin(word, r.ICAO_RUSSIAN)
    if style == "iso9":
        return r.latin(word, r.ISO_9)
    table = r.BGN_RUSSIAN if russian else r.ISO_9
    return r.strip_marks(r.latin(word, table, russian_ye=russian))


def typo(name: str, rng: random.Random) -> str:
    """One dropped, doubled, swapped or wrong letter in the surname or the given name."""
    words = name.split()
    target = rng.randrange(min(2, len(words)))
    word = words[target]
    if len(word) < 4:
        return name
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "wrong"))
    if kind == "drop":
        word = word[:i] + word[i + 1 :]
    elif kind == "double":
        word = word[:i] + word[i] + word[i:]
    elif kind == "swap":
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        options = KEYBOARD_NEIGHBOURS.get(word[i].lower(), "")
        if options:
            word = word[:i] + rng.choice(options) + word[i + 1 :]
    words[target] = word
    return " ".join(words)


def written_date(
    born: date | None, rng: random.Random, missing: float = SPARSE.list_missing_birth
) -> tuple[date | None, str]:
    """The date as the list gives it: missing, swapped, a year off, in one of three formats."""
    if born is None or rng.random() < missing:
        return None, ""
    roll = rng.random()
    if roll < 0.04 and born.day <= 12 and born.day != born.month:
        born = date(born.year, born.day, born.month)
    elif roll < 0.07:
        born = date(born.year + rng.choice((-1, 1)), born.month, born.day)
    text = rng.choice((f"{born:%d.%m.%Y}", f"{born.day}/{born.month}/{born:%y}", born.isoformat()))
    return born, text


def make_row(
    line: int,
    someone: Someone,
    truth: int | None,
    rng: random.Random,
    namesake: bool = False,
    profile: Profile = SPARSE,
) -> ListRow:
    style = rng.choices(list(STYLES), list(STYLES.values()))[0]
    orders = profile.orders
    order = rng.choices(list(orders), list(orders.values()))[0]
    if order == "FGP" and rng.random() < 0.08:
        order = "FG"
    name = render_name(someone, style, order, rng)
    if rng.random() < 0.15:
        name = typo(name, rng)
    born, born_text = written_date(someone.birth_date, rng, profile.list_missing_birth)
    entry = Entry(
        line=line,
        full_name=name,
        birth_date=born,
        birth_date_text=born_text,
        military_unit=someone.military_unit if rng.random() < 0.30 else "",
        service_number=someone.service_number if rng.random() < 0.15 else "",
    )
    return ListRow(entry, truth, style, namesake, order)


def release_list(
    registry: list[Someone], rows: int, seed: int, profile: Profile = SPARSE
) -> list[ListRow]:
    """``rows`` rows: 90% people the registry holds, 10% it does not (a third of them namesakes
    of registry people), and a few lines that repeat a person already on the list."""
    rng = random.Random(seed)
    present = rng.sample(registry, int(rows * 0.9))
    strangers_pool = rare_surnames(random.Random(seed + 1), 400)
    absent = []
    for n in range(rows - len(present)):
        if n % 3 == 0:
            twin = rng.choice(registry)
            born = (
                None
                if rng.random() < profile.list_missing_birth
                else date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28))
            )
            absent.append(
                (replace(twin, id=-1, birth_date=born, service_number="", military_unit=""), True)
            )
        else:
            stranger = person(rng, -1, strangers_pool)
            absent.append((stranger, False))
    listed: list[ListRow] = []
    people = [(p, p.id, False) for p in present] + [(p, None, copied) for p, copied in absent]
    rng.shuffle(people)
    for someone, truth, namesake in people:
        listed.append(make_row(len(listed) + 1, someone, truth, rng, namesake, profile))
        if truth is not None and rng.random() < 0.003:
            listed.append(make_row(len(listed) + 1, someone, truth, rng, profile=profile))
    return listed
