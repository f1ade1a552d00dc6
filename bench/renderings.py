"""How the other side's clerks write a Ukrainian name: Russian orthography and forms, and Latin
by six conventions. Hand-written tables, independent of the engine (which uses ICU); the Russian
forms of given names are demo/names.py's."""

from __future__ import annotations

import unicodedata

from demo.names import RUSSIAN_FORMS

RUSSIAN_LETTERS = {"і": "и", "и": "ы", "є": "е", "ї": "и", "ґ": "г", "'": "", "’": ""}
RUSSIAN_PATRONYMIC_EXCEPTIONS = {
    "Илья": ("Ильич", "Ильинична"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Пётр": ("Петрович", "Петровна"),
    "Павел": ("Павлович", "Павловна"),
    "Лев": ("Львович", "Львовна"),
}

NATIONAL_2010 = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
}
NATIONAL_2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
BGN_UKRAINIAN = NATIONAL_2010 | {
    "є": "ye",
    "ї": "yi",
    "й": "y",
    "ю": "yu",
    "я": "ya",
    "ь": "ʹ",
    "'": "”",
}
BGN_RUSSIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "ë",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "”",
    "ы": "y",
    "ь": "ʹ",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
ICAO_RUSSIAN = BGN_RUSSIAN | {
    "е": "e",
    "ё": "e",
    "й": "i",
    "ъ": "ie",
    "ь": "",
    "ю": "iu",
    "я": "ia",
}
ISO_9 = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g̀",
    "д": "d",
    "е": "e",
    "є": "ê",
    "ё": "ë",
    "ж": "ž",
    "з": "z",
    "и": "i",
    "і": "ì",
    "ї": "ï",
    "й": "j",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "ш": "š",
    "щ": "ŝ",
    "ъ": "ʺ",
    "ы": "y",
    "ь": "ʹ",
    "э": "è",
    "ю": "û",
    "я": "â",
    "'": "’",
    "’": "’",
}
VOWELS = set("аеєиіїоуюяыэё")


def russian_orthography(word: str) -> str:
    """A Ukrainian surname as a Russian clerk spells it: і→и, и→ы, є→е, ї→и, ґ→г, no apostrophe;
    adjectival endings take the Russian form (-ський → -ский)."""
    ending = ""
    for ukrainian, russian in (("ський", "ский"), ("цький", "цкий"), ("ий", "ий")):
        if word.lower().endswith(ukrainian):
            word, ending = word[: -len(ukrainian)], _keep_case(word[-len(ukrainian)], russian)
            break
    body = "".join(_keep_case(ch, RUSSIAN_LETTERS.get(ch.lower(), ch.lower())) for ch in word)
    return body + ending


def russian_given(name: str) -> str:
    return RUSSIAN_FORMS.get(name, russian_orthography(name))


def russian_patronymic(father: str, female: bool) -> str:
    ru = russian_given(father)
    if ru in RUSSIAN_PATRONYMIC_EXCEPTIONS:
        return RUSSIAN_PATRONYMIC_EXCEPTIONS[ru][1 if female else 0]
    if ru.endswith("ий"):
        stem, male, fem = ru[:-2], "ьевич", "ьевна"
    elif ru.endswith(("ей", "ай")) or ru.endswith("ь"):
        stem, male, fem = ru[:-1], "евич", "евна"
    elif ru.endswith("а"):
        stem, male, fem = ru[:-1], "ич", "ична"
    else:
        stem, male, fem = ru, "ович", "овна"
    return stem + (fem if female else male)


def latin(
    word: str,
    table: dict[str, str],
    initial: dict[str, str] | None = None,
    russian_ye: bool = False,
) -> str:
    """Transliterate one word letter by letter, keeping its capitals."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        first = i == 0 or word[i - 1] in " -"
        after_vowel = i > 0 and word[i - 1].lower() in VOWELS | {"ь", "ъ"}
        if table is NATIONAL_2010 and low == "г" and i > 0 and word[i - 1].lower() == "з":
            piece = "gh"  # зг is written zgh, so that it is not read as ж
        elif initial and first and low in initial:
            piece = initial[low]
        elif russian_ye and low == "е" and (first or after_vowel):
            piece = "ye"
        else:
            piece = table.get(low, low)
        out.append(_keep_case(ch, piece, all_caps=word.isupper()))
    return "".join(out)


def strip_marks(text: str) -> str:
    """Plain ASCII: diacritics and soft-sign marks dropped, as a keyboard without them does."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch not in "'\"").replace("`", "")


def _keep_case(original: str, piece: str, all_caps: bool = False) -> str:
    if not piece or not original.isupper():
        return piece
    return piece.upper() if all_caps else piece[0].upper() + piece[1:]
