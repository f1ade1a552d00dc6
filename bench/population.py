"""A realistic registry: Ukrainian names at realistic frequencies, namesakes by the hundred.

Written for the benchmark alone (it shares no code with the engine): common surnames each worn
by about one person in a hundred, a long tail of rarer ones made from roots and suffixes so that
100,000 people carry some 15,000 surnames, given names and fathers' names by rank.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from bench.profiles import SPARSE, Profile

COMMON_SURNAMES = [
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Бойко",
    "Мельник",
    "Коваль",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Бондар",
    "Ткачук",
    "Марченко",
    "Лисенко",
    "Руденко",
    "Савченко",
    "Петренко",
    "Клименко",
    "Мороз",
    "Павленко",
    "Кравчук",
    "Левченко",
    "Гончаренко",
    "Кузьменко",
    "Литвиненко",
    "Мазур",
    "Романенко",
    "Пономаренко",
    "Гаврилюк",
    "Карпенко",
    "Бабенко",
    "Харченко",
    "Давиденко",
    "Мельничук",
    "Костенко",
    "Ярошенко",
    "Гнатюк",
    "Білик",
    "Щербак",
    "Воробйов",
    "Кириленко",
    "Зінченко",
    "Хоменко",
    "Остапчук",
    "Гуменюк",
    "Романюк",
    "Данилюк",
    "Юрченко",
    "Сидоренко",
    "Дорошенко",
    "Ковальчук",
    "Василенко",
    "Захарченко",
    "Тимошенко",
    "Пилипенко",
    "Сердюк",
    "Кучер",
    "Гриценко",
    "Волошин",
    "Нестеренко",
    "Мартинюк",
    "Кравець",
    "Панченко",
    "Науменко",
    "Дмитренко",
    "Тарасенко",
    "Гордієнко",
    "Іваненко",
    "Лук'яненко",
    "Тимченко",
    "Головко",
    "Приходько",
    "Семенюк",
    "Яковенко",
    "Онищенко",
    "Соловйов",
    "Ігнатенко",
    "Козак",
    "Рибак",
    "Білоус",
    "Чорновол",
    "Заєць",
    "Дячук",
    "Цибуля",
    "Коломієць",
    "Журавель",
    "Остапенко",
    "Ґудзь",
    "Їжак",
    "Євтушенко",
    "Шаповал",
    "Гайовий",
    "Білецький",
    "Лозинський",
    "Ковальський",
]
ROOTS = [
    "Гриц",
    "Остап",
    "Марч",
    "Лук",
    "Дем",
    "Сав",
    "Кир",
    "Трох",
    "Мас",
    "Заг",
    "Вер",
    "Жур",
    "Кост",
    "Пан",
    "Гон",
    "Руд",
    "Бут",
    "Сок",
    "Бар",
    "Дуд",
    "Біл",
    "Чорн",
    "Сір",
    "Хом",
    "Щерб",
    "Ящ",
    "Юх",
    "Ляш",
    "Тесл",
    "Кушн",
    "Гнид",
    "Шиш",
    "Дзюб",
    "Цап",
    "Жовт",
    "Фед",
    "Гал",
    "Пилип",
    "Ільч",
    "Єрем",
    "Їв",
    "Оліф",
    "Гуц",
    "Мат",
    "Харч",
    "Зуб",
    "Вовк",
    "Кот",
    "Стецьк",
    "Бабич",
    "Собк",
    "Деркач",
    "Ворон",
    "Тур",
    "Гуль",
    "Рожк",
    "Палій",
    "Сич",
]
MIDDLES = ["", "а", "о", "ин", "ов", "ен", "ар", "ан", "ич", "ун", "ій"]
SUFFIXES = ["енко", "чук", "юк", "ук", "ський", "ович", "ів", "ко", "ець", "ак", "ишин", "енко"]
MALE_GIVEN = [
    "Олександр",
    "Сергій",
    "Андрій",
    "Дмитро",
    "Володимир",
    "Юрій",
    "Віталій",
    "Олег",
    "Іван",
    "Микола",
    "Василь",
    "Віктор",
    "Максим",
    "Богдан",
    "Тарас",
    "Ярослав",
    "Євген",
    "Ігор",
    "Роман",
    "Руслан",
    "Денис",
    "Артем",
    "Анатолій",
    "Петро",
    "Михайло",
    "Олексій",
    "Вадим",
    "Валерій",
    "Степан",
    "Павло",
    "Григорій",
    "Леонід",
    "Костянтин",
    "Антон",
    "Назар",
    "Остап",
    "Кирило",
    "Ілля",
    "Захар",
    "Федір",
    "Святослав",
    "Данило",
    "Матвій",
    "Орест",
    "Любомир",
    "Геннадій",
    "Станіслав",
    "Владислав",
    "Едуард",
    "Борис",
    "Яків",
    "Тимофій",
    "Семен",
    "Аркадій",
    "Всеволод",
    "Зіновій",
    "Омелян",
    "Трохим",
    "Никифор",
    "Лук'ян",
]
FEMALE_GIVEN = [
    "Олена",
    "Тетяна",
    "Наталія",
    "Ірина",
    "Світлана",
    "Юлія",
    "Оксана",
    "Марія",
    "Ольга",
    "Катерина",
    "Галина",
    "Людмила",
    "Вікторія",
    "Анна",
    "Надія",
    "Лариса",
    "Віра",
    "Дар'я",
    "Софія",
    "Анастасія",
    "Валентина",
    "Алла",
    "Інна",
    "Лілія",
    "Ніна",
    "Тамара",
    "Ганна",
    "Євгенія",
    "Христина",
    "Уляна",
]
# Ukrainian patronymics: the regular rule, and the names it does not fit.
IRREGULAR_PATRONYMICS = {
    "Микола": ("Миколайович", "Миколаївна"),
    "Ілля": ("Ілліч", "Іллівна"),
    "Яків": ("Якович", "Яківна"),
    "Григорій": ("Григорович", "Григорівна"),
    "Лук'ян": ("Лук'янович", "Лук'янівна"),
}


@dataclass(frozen=True)
class Someone:
    id: int
    family_name: str
    given_name: str
    patronymic: str
    father: str
    female: bool
    birth_date: date | None
    military_unit: str
    service_number: str


def patronymic(father: str, female: bool) -> str:
    if father in IRREGULAR_PATRONYMICS:
        return IRREGULAR_PATRONYMICS[father][1 if female else 0]
    if father.endswith("ій"):
        stem = father[:-1]
        return stem + ("ївна" if female else "йович")
    if father.endswith("о"):
        stem = father[:-1]
        return stem + ("івна" if female else "ович")
    if father.endswith("ь"):
        stem = father[:-1]
        return stem + ("івна" if female else "ьович")
    return father + ("івна" if female else "ович")


def _zipf(rng: random.Random, items: list[str], exponent: float = 1.0) -> str:
    weights = [1 / (rank + 1) ** exponent for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def surname(rng: random.Random, rare_pool: list[str]) -> str:
    """About 40% of people carry one of the common surnames, the rest one of the long tail."""
    if rng.random() < 0.40:
        return _zipf(rng, COMMON_SURNAMES, 0.7)
    return rng.choice(rare_pool)


def rare_surnames(rng: random.Random, count: int) -> list[str]:
    pool = {
        rng.choice(ROOTS) + rng.choice(MIDDLES) + rng.choice(SUFFIXES) for _ in range(count * 2)
    }
    return sorted(pool)[:count]


def person(
    rng: random.Random,
    pid: int,
    rare_pool: list[str],
    unknown_birth: float = SPARSE.registry_unknown_birth,
) -> Someone:
    female = rng.random() < 0.08
    serviceman = not female or rng.random() < 0.5
    father = _zipf(rng, MALE_GIVEN, 0.9)
    born = (
        None
        if rng.random() < unknown_birth
        else date(
            rng.randint(1970 if serviceman else 1960, 2005), rng.randint(1, 12), rng.randint(1, 28)
        )
    )
    return Someone(
        id=pid,
        family_name=surname(rng, rare_pool),
        given_name=_zipf(rng, FEMALE_GIVEN if female else MALE_GIVEN, 0.9),
        patronymic=patronymic(father, female),
        father=father,
        female=female,
        birth_date=born,
        military_unit=f"А{rng.randint(1000, 1500)}" if serviceman else "",
        service_number=f"АА{rng.randint(100000, 999999)}"
        if serviceman and rng.random() < 0.6
        else "",
    )


def registry(size: int, seed: int, profile: Profile = SPARSE) -> list[Someone]:
    """``size`` people; 3% are deliberate full-name namesakes of someone else."""
    rng = random.Random(seed)
    rare_pool = rare_surnames(rng, max(size // 6, 50))
    people: list[Someone] = []
    for pid in range(1, size + 1):
        someone = person(rng, pid, rare_pool, profile.registry_unknown_birth)
        if people and rng.random() < 0.03:
            twin = rng.choice(people)
            someone = replace(
                someone,
                family_name=twin.family_name,
                given_name=twin.given_name,
                patronymic=twin.patronymic,
                father=twin.father,
                female=twin.female,
            )
        people.append(someone)
    return people
