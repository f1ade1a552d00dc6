"""How a Ukrainian name looks in the other side's hands: Russian orthography, and the Latin
systems written out from their published tables (KMU 2010, BGN/PCGN Ukrainian 1965,
BGN/PCGN Russian 1947, ICAO 9303 Russian, ISO 9:1995, scholarly), plus plain ASCII.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from unidecode import unidecode

APOSTROPHES = "'’ʼ"
UA_VOWELS = "аеєиіїоуюя"
RU_VOWELS = "аеёиоуыэюя"


def russian_spelling(ukrainian: str) -> str:
    """The Ukrainian name in Russian letters: і→и, и→ы (и after к, г, х and the hushing
    consonants, as Russian spelling wants), є→е, ї→и, ґ→г, apostrophe dropped; -ський → -ский."""
    table = {"и": "ы", "і": "и", "є": "е", "ї": "и", "ґ": "г"}
    out: list[str] = []
    for ch in ukrainian:
        if ch in APOSTROPHES:
            continue
        lower = ch.lower()
        mapped = table.get(lower, lower)
        if lower == "и" and out and out[-1].lower() in "кгхжшчщ":
            mapped = "и"
        out.append(mapped.upper() if ch.isupper() else mapped)
    text = "".join(out)
    for ending, russian in (("ський", "ский"), ("цький", "цкий"), ("зький", "зкий")):
        if text.endswith(ending):
            text = text[: -len(ending)] + russian
    return text


def _transliterate(
    text: str, table: dict[str, str], initial: dict[str, str], after_vowel: str = ""
) -> str:
    """Letter by letter; ``initial`` forms apply at a word's start (and after ``after_vowel``)."""
    out: list[str] = []
    previous = ""
    for ch in text:
        lower = ch.lower()
        at_start = not previous.isalpha() and previous not in APOSTROPHES
        if (at_start or previous.lower() in after_vowel) and lower in initial:
            latin = initial[lower]
        else:
            latin = table.get(lower, lower)
        if ch.isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        previous = ch
    return "".join(out)


_UA_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "y",
    "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
}  # fmt: skip
NATIONAL_2010 = _UA_COMMON | {
    "г": "h", "ґ": "g", "є": "ie", "ї": "i", "й": "i", "ь": "", "ю": "iu", "я": "ia",
    "'": "", "’": "", "ʼ": "",
}  # fmt: skip
NATIONAL_2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
BGN_UA = _UA_COMMON | {
    "г": "h", "ґ": "g", "є": "ye", "ї": "yi", "й": "y", "ь": "’", "ю": "yu", "я": "ya",
    "'": "”", "’": "”", "ʼ": "”",
}  # fmt: skip
_RU_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
    "э": "e",
}  # fmt: skip
BGN_RU = _RU_COMMON | {
    "е": "e", "ё": "ë", "й": "y", "ъ": "”", "ь": "’", "ю": "yu", "я": "ya",
}  # fmt: skip
BGN_RU_INITIAL = {"е": "ye", "ё": "yë"}
ICAO_RU = _RU_COMMON | {
    "е": "e", "ё": "e", "й": "i", "ъ": "ie", "ь": "", "ю": "iu", "я": "ia",
}  # fmt: skip
ISO9_UA = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g̀", "д": "d", "е": "e", "є": "ê",
    "ж": "ž", "з": "z", "и": "i", "і": "ì", "ї": "ï", "й": "j", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
    "ц": "c", "ч": "č", "ш": "š", "щ": "ŝ", "ь": "ʹ", "ю": "û", "я": "â", "'": "ʼ", "’": "ʼ",
}  # fmt: skip
SCHOLARLY_UA = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ж": "ž", "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x",
    "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ь": "ʹ", "ю": "ju", "я": "ja", "'": "ʼ", "’": "ʼ",
}  # fmt: skip


def national_2010(ukrainian: str) -> str:
    """Ukraine's passport system (KMU resolution 55 of 2010): зг is zgh, є/ї/й/ю/я vary."""
    marked = ukrainian.replace("зг", "з\x01").replace("Зг", "З\x01").replace("ЗГ", "З\x02")
    return _transliterate(
        marked, NATIONAL_2010 | {"\x01": "gh", "\x02": "GH"}, NATIONAL_2010_INITIAL
    )


def bgn_pcgn_ukrainian(ukrainian: str) -> str:
    return _transliterate(ukrainian, BGN_UA, {})


def bgn_pcgn_russian(russian: str) -> str:
    """е is ye at a word's start and after a vowel, й, ъ or ь."""
    return _transliterate(russian, BGN_RU, BGN_RU_INITIAL, after_vowel=RU_VOWELS + "йъь")


def icao_russian(russian: str) -> str:
    return _transliterate(russian, ICAO_RU, {})


def iso9(ukrainian: str) -> str:
    return unicodedata.normalize("NFC", _transliterate(ukrainian, ISO9_UA, {}))


def scholarly(ukrainian: str) -> str:
    return _transliterate(ukrainian, SCHOLARLY_UA, {})


def plain_ascii(text: str) -> str:
    """Diacritics, soft signs and apostrophes stripped: what an ASCII-only keyboard leaves."""
    ascii_text = unidecode(text)
    return "".join(ch for ch in ascii_text if ch not in "'`\"’”")


LATIN_UKRAINIAN: dict[str, Callable[[str], str]] = {
    "national 2010": national_2010,
    "BGN/PCGN Ukrainian": bgn_pcgn_ukrainian,
    "ISO 9": iso9,
    "scholarly": scholarly,
}
LATIN_RUSSIAN: dict[str, Callable[[str], str]] = {
    "BGN/PCGN Russian": bgn_pcgn_russian,
    "ICAO Russian": icao_russian,
}
