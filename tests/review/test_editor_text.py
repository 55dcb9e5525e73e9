"""Words and links editors read, asked about only when one edit makes a common word of them: the web terms,
derived words and abbreviations a spec is full of stay silent."""

from __future__ import annotations

import pytest

from tests.review.conftest import bundle, field
from ticketgen.review import editor_text

HERO = bundle("Hero", "hero", "Paragraph type")


def _asked(make_index, **cells) -> list:
    row = field("Hero", "hero", "field_links", type_label="Paragraph type", **cells)
    return list(editor_text.check(make_index([row], [HERO])))


def test_a_misspelt_word_in_help_text_is_asked_with_the_corrected_text(make_index) -> None:
    [q] = _asked(make_index, help="Links will not be shown on a vdeo hero.")
    assert (q.code, q.topic, q.rows) == ("typo_in_editor_text", "editor_text", (("Test_Fields.csv", 2),))
    assert q.finding.column == "Help text"
    assert "reads “vdeo”, which looks like a typo for “video”" in q.message
    assert q.finding.suggestions == ("Links will not be shown on a video hero.",)


def test_a_field_label_and_a_bundle_description_are_read_too(make_index) -> None:
    [label] = _asked(make_index, label="Backgorund image")
    assert label.finding.column == "Field label" and "“Background”" in label.message
    assert label.finding.suggestions == ("Background image",)
    described = {**HERO, "Description": "Shown in the medai library."}
    [q] = editor_text.check(make_index([], [described]))
    assert (q.finding.file, q.finding.column) == ("Test_Bundles.csv", "Description")


@pytest.mark.parametrize(
    "help_text",
    [
        "Upload a webm or mp4; see the href of the <strong>link</strong> at https://exmaple.edu/help.",
        "Slideshows need no prestyling: images are upscaled.",  # compounds, prefixes, suffixes
        "Press ctrl to pick several.",  # no vowel: an abbreviation
        "Drupal shows the WYSIWYG toolbar.",  # capitalised words are names
    ],
)
def test_web_terms_derived_words_and_addresses_are_silent(make_index, help_text: str) -> None:
    assert _asked(make_index, help=help_text) == []


def test_a_link_that_reads_one_address_and_opens_another_is_asked(make_index) -> None:
    help_text = 'Need a photo? <a href="mailto:photo@example.com">email photo@example.edu</a>'
    [q] = _asked(make_index, help=help_text)
    assert q.code == "link_text_mismatch"
    assert "reads “photo@example.edu” but opens “photo@example.com”" in q.message
    agreeing = 'Need a photo? <a href="mailto:photo@example.edu">email photo@example.edu</a>'
    assert _asked(make_index, help=agreeing) == []


def test_rows_that_are_not_built_are_not_read(make_index) -> None:
    assert _asked(make_index, help="Shown on a vdeo hero.", status="d") == []
