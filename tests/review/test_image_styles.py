"""Image style families: a 1.5x or 2x variant is 1.5 or 2 times its 1x size (to the nearest pixel), a
Non-WebP copy the same size, and a style's name agrees with the size its notes set."""

from __future__ import annotations

import pytest

from ticketgen.planner.index import SpecIndex
from ticketgen.review import image_styles
from ticketgen.review.image_styles import Size, notes_size
from ticketgen.spec import load

HEADER = "ID,Style name,Machine name,X,Dev,QA,Notes"
FILE = "Test_Imagestyles.csv"


def _index(*rows: tuple[str, str, str, str]) -> SpecIndex:
    """Rows of (style name, machine name, X, notes)."""
    lines = [HEADER, *(f',{name},{machine},{x},,,"{notes}"' for name, machine, x, notes in rows)]
    spec = load([(FILE, "\n".join(lines).encode())])
    assert not spec.errors
    return SpecIndex(spec)


def _asked(index: SpecIndex) -> list[tuple[int, tuple[str, ...]]]:
    return [(q.finding.row, q.finding.suggestions) for q in image_styles.check(index)]


def test_uwec_banner_tablet_and_1680(uwec_index: SpecIndex) -> None:
    asked = {
        q.finding.row: q for q in image_styles.check(uwec_index) if q.code == "image_style_size_mismatch"
    }
    assert set(asked) == {57, 68}
    tablet = asked[68]
    assert tablet.code == "image_style_size_mismatch" and tablet.topic == "image_styles"
    assert tablet.finding.suggestions == ("1179x786",) and tablet.finding.column == "Notes"
    assert tablet.rows == (("UWEC_Imagestyles.csv", 68), ("UWEC_Imagestyles.csv", 67))
    assert "1.5 × 786x524 = 1179x786" in tablet.message
    assert "named for 1680x1260, but its notes set 1680x1280" in asked[57].message


@pytest.mark.parametrize(
    ("notes", "size"),
    [
        ("Focal point scale and crop to 786x524, convert to WebP", Size(786, 524, "786x524")),
        ("Scale and crop to 1200x628px, NO FOCAL POINT, NO WEBP", Size(1200, 628, "1200x628")),
        ("Scale wdith/height to 200x200", Size(200, 200, "200x200")),
        ("Scale width and height to 32", Size(32, 32, "32x32")),
        ("Scale width 480 upscaling allowed, convert to WebP", Size(480, None, "width 480")),
        ("Crop to 100x100, then scale to 50x50", None),  # two sizes: unclear
        ("Image Style Quality 45%, convert to WebP", None),
        ("", None),
    ],
)
def test_notes_size(notes: str, size: Size | None) -> None:
    assert notes_size(notes) == size


def test_rounding_to_the_nearest_pixel_is_fine() -> None:
    index = _index(
        ("393x221", "393x221", "a", "Focal point scale and crop to 393x221"),
        ("393x221 1.5x", "393x221_1_5x", "a", "Focal point scale and crop to 590x332"),  # 589.5 x 331.5
        ("393x221 2x", "393x221_2x", "a", "Focal point scale and crop to 786x442"),
    )
    assert _asked(index) == []


def test_a_variant_one_pixel_off_is_asked() -> None:
    index = _index(
        ("Card", "card", "a", "Scale and crop to 400x300"),
        ("Card 2x", "card_2x", "a", "Scale and crop to 801x600"),
    )
    assert _asked(index) == [(3, ("800x600",))]


def test_width_only_families_and_non_webp_copies() -> None:
    index = _index(
        ("Medium non-crop", "medium_non_crop", "a", "Scale width 480 upscaling allowed"),
        ("Medium non-crop 1.5x", "medium_non_crop_1_5x", "a", "Scale width 700 upscaling allowed"),
        ("Medium non-crop Non-WebP", "medium_non_crop_non_webp", "a", "Scale width 480"),
        ("Banner", "banner", "a", "Scale and crop to 1194x786"),
        ("Banner Non-WebP", "banner_non_webp", "a", "Scale and crop to 1194x768"),
    )
    assert _asked(index) == [(3, ("width 720",)), (6, ("1194x786",))]


def test_families_follow_the_machine_name_when_a_label_has_a_typo() -> None:
    index = _index(
        ("Thumbnail cropped", "thumbnail_cropped", "a", "Focal point scale and crop to 96x96"),
        ("Thubmnail cropped 2x", "thumbnail_cropped_2x", "a", "Focal point scale and crop to 190x190"),
    )
    assert _asked(index) == [(3, ("192x192",))]


def test_existing_styles_and_unknown_sizes_are_left_alone() -> None:
    index = _index(
        ("Views card", "views_card", "d", "Focal point scale and crop to 400x300"),
        ("Views card 2x", "views_card_2x", "x", "Focal point scale and crop to 900x600"),  # both exist
        ("Hero 16x9", "hero_16x9", "a", "Scale and crop to 1600x900"),  # a ratio in the name, not pixels
        ("Large (480×480)", "large", "a", ""),  # no notes: nothing to compare
        ("Teaser", "teaser", "a", "Scale and crop to 300x200"),
        ("Teaser 2x", "teaser_2x", "a", "Image Style Quality 40%"),  # the variant says no size
    )
    assert _asked(index) == []


# -- size_undefined --------------------------------------------------------------------------------------


def test_uwec_a_crop_size_no_style_has_is_asked_with_the_nearest(uwec_index: SpecIndex) -> None:
    """Image Size's help text (Fields row 491) crops to 974x492; the styles say 874x492. The many "Optimal
    image size: 1920x1445" help texts are upload sizes, not styles, and stay silent."""
    asked = [q for q in image_styles.check(uwec_index) if q.code == "size_undefined"]
    assert [(q.finding.row, q.finding.column, q.finding.suggestions) for q in asked] == [
        (491, "Help text", ("874x492",))
    ]
    assert (
        "names 974x492" in asked[0].message and "nearest size the spec defines is 874x492" in asked[0].message
    )


def test_sizes_in_notes_are_checked_and_upload_sizes_in_help_text_are_not() -> None:
    from tests.review._sheets import index
    from tests.review.conftest import bundle, field

    found = index(
        bundles=[bundle("Hero", "hero")],
        fields=[
            field("Hero", "hero", "field_a", label="A", notes="Render as 640x480"),
            field("Hero", "hero", "field_b", label="B", notes="Render as 600x400"),
            field("Hero", "hero", "field_c", label="C", help="Optimal image size: 2000x1000"),
            field("Hero", "hero", "field_d", label="D", notes="16x9 ratio"),
        ],
        image_styles=[
            {"Style name": "600x400", "Machine name": "600x400", "X": "a", "Notes": "Scale to 600x400"}
        ],
    )
    asked = [
        (q.finding.row, q.finding.suggestions)
        for q in image_styles.check(found)
        if q.code == "size_undefined"
    ]
    assert asked == [(2, ("600x400",))]
