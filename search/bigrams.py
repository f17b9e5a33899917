"""Character bigrams: how text becomes index tokens and how a query becomes terms.

Chinese has no spaces, and the commonest queries are two characters long (广西, 氢能), which word
segmenters get wrong and trigram indexes cannot serve (shared/NOTES.md). So the index holds every
pair of adjacent characters. Text is cut into runs of Chinese characters and ASCII letters or
digits; anything else (spaces, punctuation, symbols) ends a run. Each run, lowercased, yields its
bigrams: "发展5G基站" → 发展 展5 5g g基 基站.

A query is cut the same way into terms. A document contains a term only if it holds all the term's
bigrams, so the AND of the bigrams finds every match; for a two-character term it finds exactly the
matches, longer terms need a substring recheck (石墨 and 墨烯 may sit apart).
"""

import re

from django.utils.translation import gettext as _

# CJK Unified Ideographs with extension A and the compatibility block, plus ASCII letters and digits.
CHARACTERS = "0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(f"[{CHARACTERS}]+")
# Every overlapping pair of such characters, found in one pass by the regex engine: building the
# pairs in a Python loop costs twice as much, and indexing 100,000 documents is mostly this.
PAIR = re.compile(f"(?=([{CHARACTERS}]{{2}}))")
ASCII_LETTER = re.compile(r"[A-Za-z]")

MAX_QUERY_LENGTH = 100


def runs(text):
    return RUN.findall(text or "")


def pairs(*texts):
    """The bigrams of all the texts' runs, lowercased, in order, repeats included."""
    found = []
    for text in texts:
        found += PAIR.findall((text or "").lower())
    return found


def bigrams(*texts):
    """The set of bigrams of all the texts' runs."""
    return set(pairs(*texts))


def as_lexemes(tokens):
    """Tokens as PostgreSQL tsvector input: space-separated, taken verbatim (no parser, no stemming);
    the tsvector input function sorts them and drops repeats. Tokens only hold letters, digits and
    Chinese characters, so none needs quoting."""
    return " ".join(tokens)


def as_tsquery(tokens):
    """The AND of the tokens as tsquery input, e.g. `'石墨' & '墨烯'`."""
    return " & ".join(f"'{token}'" for token in sorted(tokens))


class Query:
    """A parsed search query.

    `terms`: the runs a document must all contain, in the order typed, without repeats.
    `tokens`: the bigrams of the terms of two or more characters (what the index can answer).
    `error`: a message for the reader when the query cannot be searched.
    """

    def __init__(self, raw):
        self.raw = (raw or "").strip()
        self.error = ""
        self.terms = []
        if not self.raw:
            self.error = _("请输入要检索的词，如“乡村振兴”或“氢能”。")
            return
        if len(self.raw) > MAX_QUERY_LENGTH:
            self.error = _("检索词太长（%(length)s个字），请不超过%(limit)s个字。") % {
                "length": len(self.raw),
                "limit": MAX_QUERY_LENGTH,
            }
            return
        for run in runs(self.raw):
            if run.lower() not in (term.lower() for term in self.terms):
                self.terms.append(run)
        if not self.terms:
            self.error = _("检索词中没有汉字、字母或数字，请换一个词。")
        elif all(len(term) < 2 for term in self.terms):
            self.error = _("请至少输入两个字，如“氢能”；单个字会匹配几乎所有提案。")

    def __bool__(self):
        return not self.error

    @property
    def tokens(self):
        return bigrams(*[term for term in self.terms if len(term) > 1])

    @staticmethod
    def is_exact(term):
        """A two-character term is found exactly by its one bigram: no recheck needed."""
        return len(term) == 2

    @staticmethod
    def ignores_case(term):
        return bool(ASCII_LETTER.search(term))
