"""Script-independent keys for one name token, built with ICU transliterators.

Any spelling of a Ukrainian name — Ukrainian Cyrillic, its Russian orthography, or a Latin
rendering by the national 2010 system, BGN/PCGN, ICAO 9303, ISO 9 or plain ASCII — is folded to
the same *fine* key when the spellings differ only by the conventions of a standard. The *coarse*
key also survives what a clerk's keyboard loses: stripped diacritics (š → s, č → c), ISO 9's
``h`` for х, dropped glides (û → u); and what a Latin standard cannot tell apart: ш + ч, written
``shch`` as щ is.

Steps:
1. Cyrillic is romanised letter for letter by ICU's ``Cyrillic-Latin`` (ISO 9 style), so that
   Ukrainian and Russian letters keep their identity: і → í, ї → ï, є → ê, ы → y, ё → ë.
2. One ICU rule-based transliterator folds every Latin convention onto a single alphabet in which
   a letter class is one symbol: ж = Z, х = X, ц = T, ч = C, ш = S, щ = W (``shch``; ``sch`` is
   с and ч, as the national system and BGN/PCGN write Панасченко: Panaschenko); the glides
   (ya/ia/ja/â, yu/iu/ju/û) become ``ia``/``iu``; ye/ie/je/ê/ë, and yo/io/jo after a consonant
   (ё), become ``e``; every
   i-like letter (и, і, ї, ы, й, y, j) becomes ``i``; г/ґ/h/g become ``g``; soft signs and
   apostrophes go.
3. Runs of one letter collapse (Кирилл/Кирило differ only where the name table says so).

A letter the file could not carry is kept as ``LOST``: a list saved in cp1251 writes ``?`` for
every Latin letter with a diacritic (ISO 9's š, ì, û, â), and a decoder writes U+FFFD for a byte
it cannot read. Inside a name such a mark is a letter we know nothing of, not a gap: the model
compares a key holding one as a pattern (``model.name_level``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu  # type: ignore[import-untyped]  # PyICU ships no type information

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LOST = "*"
_LOST_MARK = re.compile(r"(?<=[^\W\d_])[?\ufffd]|[?\ufffd](?=[^\W\d_?\ufffd]|[?\ufffd]+[^\W\d_])")
_REPEATS = re.compile(r"([^*])\1+")  # two lost letters are two, whatever they were
_NOT_LETTER = re.compile(r"[^a-zA-Z*]")

# Longer sequences first: ICU tries the rules in order at each position.
_FOLD_RULES = r"""
$consonant = [bcdfghklmnpqrstvwxzšžčŝ] ;
:: NFC ;
[ʹʺ'’ʼ`´"] > ;
shch > W ; ŝ > W ;
zh > Z ; ž > Z ;
kh > X ; x > X ;
tch > C ; ch > C ; č > C ;
sh > S ; š > S ;
ts > T ; tz > T ; c > T ;
yu > iu ; ju > iu ; û > iu ; ü > iu ;
ya > ia ; ja > ia ; â > ia ;
ye > e ; je > e ; ie > e ; ê > e ; ë > e ; ö > e ;
$consonant { yo > e ; $consonant { jo > e ; $consonant { io > e ;
è > e ; é > e ;
ï > i ; í > i ; ì > i ; y > i ; j > i ;
g̀ > g ; ǵ > g ; h > g ;
w > v ; q > k ;
:: NFD ;
[:Mn:] > ;
:: NFC ;
"""

# The coarse key forgets what stripped diacritics and ISO 9's h make ambiguous, and what every
# Latin system does: щ and ш + ч are both "shch" (Hryshchenko is Грищенко or Гришченко).
_COARSE = str.maketrans({"W": "s", "S": "s", "Z": "z", "X": "g", "C": "c", "T": "c"})
_SH_CH = "SC"
_GLIDE_BEFORE_VOWEL = re.compile(r"i(?=[aeou])")


@lru_cache(maxsize=1)
def _romanise() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Cyrillic-Latin")


@lru_cache(maxsize=1)
def _fold() -> icu.Transliterator:
    return icu.Transliterator.createFromRules(
        "homecoming-name-fold", _FOLD_RULES, icu.UTransDirection.FORWARD
    )


@lru_cache(maxsize=500_000)
def fine_key(token: str) -> str:
    """The standard-independent key of one name token ('' for a token with no letters)."""
    return _REPEATS.sub(r"\1", folded_key(token))


@lru_cache(maxsize=100_000)
def folded_key(token: str) -> str:
    """The fine key before runs of one letter are written once: where a doubled letter is."""
    text = _LOST_MARK.sub(LOST, unicodedata.normalize("NFC", token).lower())
    if _CYRILLIC.search(text):
        # ISO 9 writes х as h, which the Ukrainian national system uses for г: keep them apart.
        text = _romanise().transliterate(text.replace("х", "kh"))
    text = _fold().transliterate(text)
    return _NOT_LETTER.sub("", text)


@lru_cache(maxsize=500_000)
def coarse_key(token: str) -> str:
    """A looser key: equal for spellings that lost diacritics or glides on the way."""
    text = fine_key(token).replace(_SH_CH, "W").translate(_COARSE)
    text = _GLIDE_BEFORE_VOWEL.sub("", text)
    return _REPEATS.sub(r"\1", text)


def tokens(full_name: str) -> tuple[str, ...]:
    """The name tokens of a full name as written; hyphenated surnames stay one token."""
    cleaned = re.sub(r"[,;/()]+", " ", full_name)
    return tuple(t.strip(".") for t in cleaned.split() if _letters(t))


def _letters(token: str) -> bool:
    return any(ch.isalpha() for ch in token)
