"""Text editors read on the site (field labels, help text, bundle names and descriptions) goes into config
word for word. A misspelt word, or a link that reads one address and opens another, reaches every editor
on every form, so each is asked of the spec owner; the ticket never corrects the text silently.

Spelling is judged against an English word list (pyspellchecker's), the spec's own vocabulary (any word it
uses three times, every machine name's parts) and a short list of web terms. A word is only called a typo when one
edit turns it into a common English word and it is not a prefixed, suffixed or compound form of known words:
"slideshows" and "prestyling" pass, "vdeo" and "backgorund" are asked about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from html import unescape

from spellchecker import SpellChecker

from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import bundle_names, cardinality, clip, field_rows, row_numbers
from ticketgen.review.base import Question, question
from ticketgen.review.storage import storage_groups

TOPIC = "editor_text"
TYPO = "typo_in_editor_text"
LINK = "link_text_mismatch"
CARDINALITY = "help_text_against_cardinality"

# (sheet, label column, columns editors read)
_SHEETS = (
    ("fields", "Field label", ("Field label", "Help text")),
    ("bundles", "Name", ("Name", "Description")),
)
# fmt: off
_WEB_TERMS = frozenset((
    "href", "https", "http", "mailto", "html", "iframe", "embed", "embeds", "url", "urls", "pdf", "docx",
    "xlsx", "pptx", "jpeg", "jpg", "png", "gif", "svg", "webp", "webm", "mp4", "wysiwyg", "ckeditor",
    "drupal", "twig", "vimeo", "youtube", "seo", "alt", "ctas", "faq", "faqs", "wifi", "login", "logout",
    "email", "emails",
))
# fmt: on
_PREFIXES = ("pre", "re", "un", "up", "sub", "non", "co", "multi", "over", "under", "mis", "out", "in", "de")
_SUFFIXES = ("s", "es", "d", "ed", "ing", "er", "ers", "ly", "able")
_TAG = re.compile(r"<[^>]*>")
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+|\S+\.(?:com|edu|org|net)\b", re.I)
_WORD = re.compile(r"(?<![\w'’/.@-])((?:[A-Z]|[a-z])[a-z]{3,})(?![\w'’/@-])")
_ANY_WORD = re.compile(r"[a-z]+")
_VOWEL = re.compile(r"[aeiouy]")  # "ctrl", "cms": abbreviations, not slips
_COMMON = 50  # the correction must be a word people use, not a rarity of the word list
_NAME_BAR = 5000


@cache  # static, like Drupal's plugin catalog: loaded once a process (jobs/preload.py, before any fork)
def english_words() -> SpellChecker:
    return SpellChecker(distance=1)


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_swapped_descriptions(index), *_words_and_links(index), *_help_against_cardinality(index)]


def _words_and_links(index: SpecIndex) -> Iterator[Question]:
    vocabulary = index.memo("editor_vocabulary", _vocabulary)
    own_terms = vocabulary - _WEB_TERMS  # once, not per cell: the vocabulary holds thousands of words
    for sheet, label_column, columns in _SHEETS:
        for file, row in index.spec.rows_of(sheet):
            if not index.ticketed(row):
                continue
            label = row.get(label_column) or f"row {row.number}"
            for column in columns:
                text = row.get(column)
                if not text:
                    continue
                where = dict(topic=TOPIC, file=file.name, row=row.number, column=column, value=text)
                said = _said(column, label)
                # one question per cell, every slip in it
                if typos := list(_typos(text, vocabulary, own_terms)):
                    words, fixes = [f"“{w}”" for w, _ in typos], [f"“{f}”" for _, f in typos]
                    one = len(typos) == 1
                    corrected = text
                    for word, fix in typos:
                        corrected = re.sub(rf"\b{word}\b", fix, corrected)
                    yield question(
                        TYPO,
                        **where,
                        message=f"{said} reads {' and '.join(words)}, which {'looks like a typo' if one else 'look like typos'} "
                        f"for {' and '.join(fixes)}. Editors see it exactly as the spec spells it.",
                        hint=f"Correct the spelling in the spec, or confirm {' and '.join(words)} {'is' if one else 'are'} meant.",
                        suggestions=(corrected,),
                    )
                if column != "Help text":
                    continue
                for href, shown in _mismatched_links(text):
                    yield question(
                        LINK,
                        **where,
                        message=f"{said} has a link that reads “{shown}” but opens “{href}”: which address is "
                        "right?",
                        hint="Make the link's address and its text agree.",
                    )


_SEVERAL = re.compile(
    r"\bselect (?:multiple|several|all that apply|one or more)\b|\bhold down the (?:ctrl|control|command|cmd)\b",
    re.I,
)


def _swapped_descriptions(index: SpecIndex) -> Iterator[Question]:
    """A container whose description adds its own item to itself ("Select Type: Add a select item to the
    select type widget"): that is the item's description, so the pair is most likely swapped, and each
    would be shown to editors under the other's name in the "Add paragraph" dialog."""
    from ticketgen.planner._utils import singular_words
    from ticketgen.planner.paragraphs import families

    def words(text: str) -> str:
        return " ".join(singular_words(text))

    by_id = {b.id: b for b in index.bundles}
    for child_id, root_id in families(index).root_of.items():
        child, parent = by_id.get(child_id), by_id.get(root_id)
        if child is None or parent is None:
            continue
        said = f" {words(parent.row.get('Description'))} "
        if not re.search(rf"\badd (?:an? |the )?{re.escape(words(child.name))} to\b", said):
            continue
        yield question(
            "descriptions_swapped",
            topic=TOPIC,
            file=parent.file.name,
            row=parent.row.number,
            column="Description",
            value=parent.row.get("Description"),
            message=f"The {parent.name} description (“{parent.row.get('Description')}”) adds a {child.name} to "
            f"it, which describes the {child.name} type, while the {child.name} description reads “"
            f"{child.row.get('Description')}”: are the two descriptions swapped? Editors read each in the "
            "“Add paragraph” dialog.",
            hint=f"Swap the Description cells of {parent.name} and {child.name}, or confirm them as they are.",
            also=[(child.file.name, child.row.number)],
        )


def _help_against_cardinality(index: SpecIndex) -> Iterator[Question]:
    """Help text that tells editors to pick several values on a field that keeps one: one of the two is wrong,
    and a storage shared with other bundles makes "just allow more" a change there too."""
    for f in field_rows(index):
        help_text = f.row.get("Help text")
        if (
            not index.ticketed(f.row)
            or not help_text
            or cardinality(f.row) != 1
            or not _SEVERAL.search(help_text)
        ):
            continue
        shared = [g for g in storage_groups(index).get(f.storage, []) if g is not f] if f.storage else []
        also = (
            f" {f.machine_name} is one storage with {bundle_names(shared)} ({row_numbers(shared)}): more values "
            "there too, or a field of its own."
            if shared
            else ""
        )
        yield question(
            CARDINALITY,
            topic=TOPIC,
            file=f.file.name,
            row=f.row.number,
            column="Vals.",
            value=f.row.get("Vals."),
            message=f"The help text of “{f.label}” tells editors to pick several (“{clip(_TAG.sub(' ', help_text), 70)}”), but Vals. "
            f"is 1, so the field keeps one value. Which is meant?{also}",
            hint="Set Vals. to the number of values editors may pick, or drop the multi-select advice from the help "
            "text.",
        )


def _said(column: str, label: str) -> str:
    return {
        "Help text": f"The help text of “{label}”",
        "Field label": f"The field label “{label}”",
        "Name": f"The name “{label}”",
        "Description": f"The description of “{label}”",
    }[column]


def _vocabulary(index: SpecIndex) -> frozenset[str]:
    """Words the spec itself establishes: used three times (a typo is often pasted twice), or part of a machine
    name."""
    every: list[str] = []
    machine: list[str] = []
    for spec_file in index.spec.files:
        machine_columns = [c for c in spec_file.columns if "machine" in c.casefold()]
        for row in spec_file.rows:
            every.append("\n".join(row.cells.values()))
            machine += (row.cells.get(c, "") for c in dict.fromkeys(machine_columns))
    # one pass of the word pattern over all the text, not one per cell (~40,000 cells in UWEC); a row's cells
    # are joined whole, and the machine-name cells' words taken off the counts again
    seen = Counter(_ANY_WORD.findall("\n".join(every).casefold()))
    named = _ANY_WORD.findall("\n".join(machine).casefold())
    seen.subtract(named)
    return frozenset(w for w, n in seen.items() if n >= 3) | set(named) | _WEB_TERMS


def _typos(text: str, vocabulary: frozenset[str], own_terms: frozenset[str]) -> Iterator[tuple[str, str]]:
    plain = _ADDRESS.sub(" ", _TAG.sub(" ", unescape(text)))
    english = english_words()
    for said in dict.fromkeys(_WORD.findall(plain)):
        word = said.lower()
        if word in vocabulary or _english_word(word):
            continue
        # a slip of a word the spec itself uses ("lightobx" where "lightbox" is the spec's own term)
        own = sorted(w for w in _edits(word) if len(w) >= 5 and w in own_terms)
        if len(own) == 1 and said == word:  # a capitalised word may be a name ("Pinterest")
            yield said, own[0]
            continue
        fix = _correction(word)
        # a capitalised word may be a name ("Hibbard"): only a slip of a very common word is asked about
        if not fix or fix == word or english.word_frequency[fix] < (_NAME_BAR if said != word else _COMMON):
            continue
        if fix in {word[1:], word[:-1]}:  # "webm" → "web", "href" → "ref": a prefix or suffix, not a slip
            continue
        yield said, fix if said == word else fix.capitalize()


# The dictionary never changes while the process runs: an upload's unknown words are looked up once.
@lru_cache(maxsize=4096)
def _edits(word: str) -> frozenset[str]:
    return frozenset(english_words().edit_distance_1(word))


@lru_cache(maxsize=4096)
def _correction(word: str) -> str | None:
    return english_words().correction(word)


# The dictionary never changes while the process runs: each word of the notes is looked up once.
@lru_cache(maxsize=16384)
def _english_word(word: str) -> bool:
    english = english_words()
    return word in english or not _VOWEL.search(word) or _derived(word, english)


def _derived(word: str, english: SpellChecker) -> bool:
    if any(word.startswith(p) and word[len(p) :] in english for p in _PREFIXES if len(word) - len(p) >= 4):
        return True
    if any(word.endswith(s) and word[: -len(s)] in english for s in _SUFFIXES if len(word) - len(s) >= 3):
        return True
    return any(
        word[:i] in english
        and word[i:] in english
        and min(english.word_frequency[word[:i]], english.word_frequency[word[i:]]) >= _COMMON
        for i in range(3, len(word) - 2)
    )


_LINK = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.I | re.S)


def _mismatched_links(text: str) -> Iterator[tuple[str, str]]:
    for m in _LINK.finditer(unescape(text)):
        href, shown = m.group(1).strip(), _TAG.sub("", m.group(2)).strip()
        target = href.removeprefix("mailto:").rstrip("/")
        address = _ADDRESS.search(shown)
        if address and address.group(0).rstrip("/.").casefold() not in {
            target.casefold(),
            re.sub(r"^https?://(www\.)?", "", target, flags=re.I).casefold(),
        }:
            yield target, address.group(0).rstrip("/.")
