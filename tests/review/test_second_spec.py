"""A second spec of our own (`tests/data/acme`, a museum site: exhibitions, artists, events) with one
planted instance of every kind of defect the review knows. Each is found on its exact row, nothing else is
asked, and every ticket citing a planted row carries the question and the `needs-decision` label."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT
from ticketgen.planner import plan
from ticketgen.review import NEEDS_DECISION, review
from ticketgen.spec import load_dir
from ticketgen.spec.codes import CODES
from ticketgen.spec.model import Spec

ACME = ROOT / "tests" / "data" / "acme"
BUNDLES, FIELDS, STYLES, VIEWS = (
    "Acme_Bundles.csv",
    "Acme_Fields.csv",
    "Acme_Imagestyles.csv",
    "Acme_Views.csv",
)

# (file, row, code) of each planted defect, and what was planted
DISPLAYS = "Acme_ViewDisplays.csv"
ROLES, RESPONSIVE = "Acme_Userroles.csv", "Acme_ResponsiveImageStyles.csv"
PLANTED = {
    (FIELDS, 3, "widget_not_for_field_type"): "Textfield on a with-summary body",
    (FIELDS, 16, "list_without_values"): "List (text) Nationality with no values anywhere",
    (FIELDS, 21, "storage_conflict"): "field_subtitle plain on Exhibition, plain long on Event",
    (FIELDS, 23, "storage_created_twice"): "field_location new on Exhibition and on Event",
    (FIELDS, 7, "storage_without_owner"): "field_curator reused, created nowhere",
    (STYLES, 5, "invalid_machine_name"): "card_non-webp",
    (FIELDS, 11, "name_too_long"): "exhibition_accessibility_notes: 36 characters once prefixed",
    (VIEWS, 3, "label_name_mismatch"): "Top 10 Exhibitions / top_12_exhibitions",
    (STYLES, 4, "image_style_size_mismatch"): "Card 2x at 820x600 for a 400x300 Card",
    (BUNDLES, 11, "bundle_without_new_fields"): "Quote Banner created with only existing fields",
    (FIELDS, 17, "existing_field_on_new_bundle"): "Portrait marked d on the new Artist",
    (FIELDS, 25, "reference_not_built"): "Donor level (a) references Donor Levels, on hold",
    (FIELDS, 13, "soft_link_unresolved"): "Featured artist references Sculptor, which no sheet defines",
    (BUNDLES, 10, "unreferenced_bundle"): "Gallery Rooms vocabulary that no field uses",
    (FIELDS, 18, "progress_already_marked"): "Website to build with Dev = done",
    (FIELDS, 22, "help_text_copied"): "Event's start date says 'the exhibition opens'",
    (BUNDLES, 4, "workflow_coverage_conflict"): "Event has Mod. = n, Editorial covers all other types",
    (BUNDLES, 2, "search_index_undefined"): "Srch. = y on the content types, no search index defined",
    (DISPLAYS, 2, "page_without_path"): "Exhibitions page display with no path",
    (DISPLAYS, 4, "page_without_path"): "Events page display with no path",
    (BUNDLES, 14, "paragraph_without_fields"): "Pull Quote allowed in Sections, but no fields row",
    (FIELDS, 9, "default_paragraph_not_allowed"): "Artworks defaults to Quote Banner, allows Artwork Card",
    (FIELDS, 8, "unknown_view_mode"): "Image rendered as 'hero view mode'; the sheet has Card and Teaser",
    (ROLES, 4, "role_transition_conflict"): "Content Editor 'cannot publish', granted Editorial: Publish",
    (RESPONSIVE, 3, "breakpoints_short_of_groups"): "Hero maps Card and Hero onto Desktop only",
    (BUNDLES, 7, "delete_permission_unstated"): "Art Movements: 'Only curators can add/edit terms'",
    (BUNDLES, 8, "note_copied"): "Event Types repeats Gallery Rooms' note, which names Gallery Rooms",
    (DISPLAYS, 3, "sort_field_unnamed"): "Top 10 block: 'Sort desc' with no field",
    (FIELDS, 33, "help_text_twice"): "Credit line: notes and help text are two drafts of one help text",
    (BUNDLES, 3, "teaser_content_unstated"): "Artist: 'Need teaser' with nothing saying what it shows",
    (FIELDS, 28, "existing_but_dropped"): "Attribution is d (on the site) but 'No longer needed'",
    (FIELDS, 8, "storage_marked_built_elsewhere"): "Exhibition creates field_image; new Artist marks it d",
    (BUNDLES, 6, "media_permissions_unstated"): "Media library image fields, no row lets a role add media",
}
ASKED_OF_ROLES = {"media_permissions_unstated"}
# Written like the planted defects but correct, so they must stay silent: Sections defaults to Text Block
# (allowed), Artwork image renders as Card (a view mode of the sheet).
SILENT = {(FIELDS, 10), (FIELDS, 30)}
REVIEW_CODES = {
    "widget_not_for_field_type",
    "list_without_values",
    "storage_conflict",
    "storage_created_twice",
    "storage_without_owner",
    "name_too_long",
    "label_name_mismatch",
    "image_style_size_mismatch",
    "bundle_without_new_fields",
    "existing_field_on_new_bundle",
    "reference_not_built",
    "unreferenced_bundle",
    "progress_already_marked",
    "help_text_copied",
    "workflow_coverage_conflict",
    "delete_permission_unstated",
    "note_copied",
    "sort_field_unnamed",
    "help_text_twice",
    "teaser_content_unstated",
    "existing_but_dropped",
    "media_permissions_unstated",
}


@pytest.fixture(scope="module")
def acme() -> Spec:
    return load_dir(ACME)


def test_the_fixture_is_a_complete_spec_of_its_own(acme: Spec) -> None:
    assert len(acme.files) == 11 and all(f.type != "unknown" for f in acme.files)
    assert {f.type for f in acme.files} == {
        "bundles", "fields", "image_styles", "responsive_image_styles", "view_modes", "views", "view_displays",
        "user_roles", "workflows", "workflow_states", "workflow_transitions",
    }  # fmt: skip
    assert acme.errors == ()
    assert {code for _, _, code in PLANTED} >= REVIEW_CODES | {"invalid_machine_name", "soft_link_unresolved"}
    assert set(CODES) >= REVIEW_CODES


def test_every_planted_defect_is_found_on_its_row_and_nothing_else(acme: Spec) -> None:
    questions = review(acme).questions
    asked = Counter((q.finding.file, q.finding.row, q.code) for q in questions)
    assert set(asked) == set(PLANTED), {k: PLANTED.get(k, "unexpected") for k in set(asked) ^ set(PLANTED)}
    assert max(asked.values()) == 1
    assert not SILENT & {row for q in questions for row in q.rows}


def test_check_reports_each_planted_defect_once(acme: Spec) -> None:
    assert Counter((f.file, f.row, f.code) for f in acme.warnings) == Counter(set(PLANTED))


def test_tickets_citing_a_planted_row_need_a_decision(acme: Spec) -> None:
    planned = plan(acme)
    for (file, row, code), planted in PLANTED.items():
        citing = [
            d
            for d in planned.drafts
            if d.kind != "display"  # displays only re-present rows (planner.questions.attach)
            and any(s.file == file and row in s.rows for s in d.sources)
        ]
        if code in ASKED_OF_ROLES:  # anchored on a media type the site has: the roles' tickets answer it
            citing = [d for d in planned.drafts if d.kind == "user_role"]
        assert citing, f"no ticket cites {file} row {row} ({planted})"
        for draft in citing:
            assert NEEDS_DECISION in draft.labels, (draft.key, planted)
            assert code in {q["code"] for q in draft.questions}, (draft.key, planted)
    clean = [d for d in planned.drafts if NEEDS_DECISION not in d.labels]
    assert clean and all(not d.questions for d in clean)


def test_the_fixture_path_is_the_repo_copy() -> None:
    assert Path(ACME).is_dir() and sorted(p.name for p in ACME.glob("*.csv"))[0] == BUNDLES
