"""Swedish-aware normalisation of idea text for the lexical index and its queries.

A text becomes two kinds of tokens:

- *terms*: each word lower-cased, stop words dropped, reduced to its Snowball (Swedish)
  stem and then accent-folded (å→a, ä→a, ö→o, é→e, ...), so that "föräldrarna",
  "föräldrar" and a hurried "foraldrar" meet in one term;
- *grams*: the character 4-grams of each folded word of five letters or more, so that a
  compound ("föräldrautbildning") shares grams with its parts written apart ("utbildning
  för föräldrar") and a typo leaves most of a word's grams intact.

Both sides (index and query) go through the same functions, which is what makes them meet.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

GRAM_SIZE = 4
#: Shorter words are matched by their stem alone: their grams would be the whole word.
GRAM_MIN_WORD = 5
#: Longer "words" are codes, links or pasted noise, never Swedish (the longest compounds
#: in use are around 35 letters); PostgreSQL also refuses a tsquery word of 2,048+ bytes.
MAX_WORD = 60

# Folding applies after stemming: the Swedish stemmer knows å, ä and ö as vowels.
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Common Swedish function words (after Snowball's list), and a few words every idea
#: uses; matching on them says nothing about whether two ideas are alike.
_STOP_WORDS_TEXT = """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade
    de av icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej
    vid kunde något från ut när efter upp vi dem vara vad över än dig kan sina här ha
    mot alla under någon eller allt mycket sedan ju denna själv detta åt utan varit hur
    ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er sådan vår
    blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta sådana vart
    dina vars vårt våra ert era vilkas också även bara få fler mer många ska skall kan
    kunna göra gör gjorde genom ny nya nytt idé idéer idén
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class Normalised:
    """A text reduced for matching: its stemmed terms and its character grams."""

    terms: tuple[str, ...]
    grams: tuple[str, ...]


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer  # here: it loads all its languages, 2.5 MB the worker rarely needs

    return snowballstemmer.stemmer("swedish")


def fold(text: str) -> str:
    """Lower-case and strip accents the way the index does (å→a, ä→a, ö→o, é→e, ...)."""
    text = text.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The lower-cased words of a text, in order, stop words and one-letter words left out."""
    return [
        word
        for word in _WORD.findall(text.lower())
        if 1 < len(word) <= MAX_WORD
        and word not in STOP_WORDS
        and fold(word) not in _FOLDED_STOP_WORDS
    ]


_FOLDED_STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A lower-cased word's folded Swedish stem ("föräldrarna" → "foraldr")."""
    return fold(_stemmer().stemWord(word))


def word_grams(folded_word: str) -> list[str]:
    """The character 4-grams of one folded word (none for short words)."""
    if len(folded_word) < GRAM_MIN_WORD:
        return []
    return [folded_word[i : i + GRAM_SIZE] for i in range(len(folded_word) - GRAM_SIZE + 1)]


def normalise(text: str) -> Normalised:
    """The distinct terms and grams of a text, in first-seen order."""
    terms: dict[str, None] = {}
    grams: dict[str, None] = {}
    for word in words(text):
        terms[stem(word)] = None
        for gram in word_grams(fold(word)):
            grams[gram] = None
    return Normalised(terms=tuple(terms), grams=tuple(grams))


#: Share of a query word's grams a text must hold for the word to count as found there.
WORD_GRAM_SHARE = 0.4


@dataclass(frozen=True)
class QueryWord:
    """One word of a search, in the forms it may be found in."""

    stem: str
    grams: frozenset[str]


def query_words(text: str) -> list[QueryWord]:
    """The distinct words of a search, stemmed and with their grams."""
    found: dict[str, QueryWord] = {}
    for word in words(text):
        key = stem(word)
        found.setdefault(key, QueryWord(stem=key, grams=frozenset(word_grams(fold(word)))))
    return list(found.values())


def word_found(word: QueryWord, terms: set[str], grams: set[str]) -> bool:
    """Whether a text with these terms and grams holds the word: its stem, a longer word
    its stem begins ("bibl" in "bibliotek"), or enough of its grams (a typo, a compound)."""
    if word.stem in terms or any(term.startswith(word.stem) for term in terms):
        return True
    return bool(word.grams) and len(word.grams & grams) >= WORD_GRAM_SHARE * len(word.grams)
