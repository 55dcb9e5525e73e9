"""The reference-table invariant, on UWEC and on generated specs (hypothesis)."""

from __future__ import annotations

import copy
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.planner.conftest import HEADERS, bundle, field, sheet, spec_of
from ticketgen.adf import description_for, validate_adf
from ticketgen.drafts.model import KIND_ORDER
from ticketgen.planner import Plan, coverage, plan
from ticketgen.planner.graph import kind_rank
from ticketgen.spec import load
from ticketgen.spec.model import Row, Spec, SpecFile
from ticketgen.writers.template import TemplateWriter

NAMES = ["Alpha", "alpha", "Beta Gamma", "beta_gamma", "42x42", "42x42_2x", "42x42 Non-WebP", "42x42_non-webp",
         "Site admin", "site_admin", "Programs", "program"]  # fmt: skip
TYPES = ["Content type", "Media type", "Vocabulary", "Paragraph type", "Custom block type", "Odd type", ""]
KEY_COLUMNS = {
    "Name", "Machine name", "Machine Name", "View name", "View", "View ID", "Style name", "Responsive style",
    "Label", "Workflow", "Bundle machine name", "Fallback machine name", "From state", "To state",
}  # fmt: skip

codes = st.sampled_from(["a", "w", "d", "x", "", "A", "q"])
# Notes the planner reads: paragraph rules, permissions naming roles, display clauses, image style matching.
NOTES = [
    "Only alpha allowed.", "All paragraphs allowed except beta gamma.", "All parent paragraphs enabled except alpha",
    "Only site admins can access.", "Site admin and alpha can use", "Field hidden from node form.",
    "Not displayed on node", "Render as 42x42", "Add to image media type manage display, set to matching image style.",
    "set to matching responsive image style", "Goes on alpha nodes. Filter for programs", "Used on all other content types",
    "Used on content types with 'Alpha' in the title (except beta)",
]  # fmt: skip
text = st.one_of(
    st.just(""),
    st.sampled_from([*NAMES, "All", "All except beta", "#N/A", "y", "n", "*", "  padded  ", "two\nlines"]),
    st.sampled_from(NOTES),
    st.text(alphabet="abcXYZ 09_-.,()#&é\n", max_size=12),
)


def _cell(column: str) -> st.SearchStrategy[str]:
    if column == "X":
        return codes
    if column in {"Type", "Entity Type"}:
        return st.sampled_from(TYPES)
    if column == "Bundle":
        return st.builds(
            lambda n, t: f"{n} ({t})" if t else n, st.sampled_from(NAMES), st.sampled_from(TYPES)
        )
    if column == "Ref. bundle":
        return st.one_of(
            st.just(""), st.sampled_from(["All", "All except alpha"]),
            st.builds(lambda n, t: f"{n} ({t})", st.sampled_from(NAMES), st.sampled_from(TYPES)),
        )  # fmt: skip
    if column == "Field type":
        return st.sampled_from(
            ["Entity reference", "Entity Reference Revisions (paragraphs)", "Text (plain)", ""]
        )
    if column in KEY_COLUMNS:
        return st.sampled_from(NAMES)
    return text


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    """Every file type, some twice (a second sheet of the same type may lack a non-key column)."""
    kinds = list(HEADERS) + draw(st.lists(st.sampled_from(list(HEADERS)), max_size=3))
    files = []
    for n, type_name in enumerate(kinds):
        columns = HEADERS[type_name].split(",")
        if n >= len(HEADERS):
            optional = [c for c in columns if c not in KEY_COLUMNS | {"X", "Bundle", "Type", "Entity Type"}]
            dropped = draw(st.sampled_from(optional))
            columns = [c for c in columns if c != dropped]
        count = draw(st.integers(0, 6))
        rows = tuple(Row(number, {c: draw(_cell(c)) for c in columns}) for number in range(2, 2 + count))
        files.append(SpecFile(f"{n}-{type_name}.csv", type_name, 1.0, tuple(columns), rows))
    return Spec(tuple(files))


# Same-kind edges a lead draws: a paragraph type waits for the paragraph types its fields hold (bundle →
# bundle), a fields ticket for the ticket creating a storage it reuses (fields → fields), a display rendering a
# media field through a media view mode for that media type's display (display → display).
SAME_KIND = ("bundle", "fields", "display")
CLOSING = ["drush config:status", "drush config:export", "drush config:status"]


def _check_plan(spec: Spec, p: Plan) -> None:
    result = coverage(spec, p)  # display drafts re-present rows: they are not counted
    assert result.missing == [] and result.fraction == 1.0
    keys = [d.key for d in p.drafts]
    assert len(keys) == len(set(keys)) and p.order == keys
    position = {k: i for i, k in enumerate(p.order)}
    for blocker, blocked in p.edges():
        assert position[blocker] < position[blocked] and kind_rank(blocker) <= kind_rank(blocked)
        if kind_rank(blocker) == kind_rank(blocked):
            assert blocker.partition(":")[0] in SAME_KIND, (blocker, blocked)
            assert not blocker.startswith("display:") or blocker.startswith("display:media."), (
                blocker,
                blocked,
            )
    for d in p.drafts:
        assert d.kind in KIND_ORDER and 0 < len(d.summary) <= 255
        assert d.sources and d.tables and all(t.rows for t in d.tables)
        assert all(len(r) == len(t.columns) for t in d.tables for r in t.rows)
        assert d.depends_on == [k for k in p.order if k in set(d.depends_on)]
        assert all(
            set(v) == {"check", "command", "expect"} and v["command"].startswith("drush ") for v in d.verify
        )
        assert [v["command"] for v in d.verify][-3:] == CLOSING, d.key
        story, criteria = TemplateWriter().copy_for(d)
        assert story.strip() and criteria and all(c.strip() for c in criteria)
        written = replace(d, user_story=story, criteria=criteria)
        assert validate_adf(description_for(written).adf) == [], d.key


def test_uwec_coverage_is_complete(uwec_spec: Spec, uwec_plan: Plan) -> None:
    result = coverage(uwec_spec, uwec_plan)
    assert result.cells > 6000
    assert result.fraction == 1.0, result.missing[:5]
    _check_plan(uwec_spec, uwec_plan)


def test_coverage_reports_a_changed_cell(uwec_spec: Spec, uwec_plan: Plan) -> None:
    broken = copy.deepcopy(uwec_plan)
    draft = broken.by_key = {d.key: d for d in broken.drafts}
    draft = broken.by_key["image_styles:42x42"]
    draft.tables[0].rows[1][-1] = "Focal point scale and crop to 63x63"  # an edited notes cell
    result = coverage(uwec_spec, broken)
    assert result.fraction < 1.0
    assert [(m.file, m.row, m.column) for m in result.missing] == [("UWEC_Imagestyles.csv", 3, "Notes")]
    assert "image_styles:42x42" in result.missing[0].reason


def test_coverage_reports_rows_no_ticket_cites(uwec_spec: Spec, uwec_plan: Plan) -> None:
    broken = copy.deepcopy(uwec_plan)
    broken.drafts = [d for d in broken.drafts if d.key != "user_role:site_admin"]
    result = coverage(uwec_spec, broken)
    assert {(m.row, m.column, m.reason) for m in result.missing} == {
        (5, "Name", "no ticket cites this row"),
        (5, "Machine name", "no ticket cites this row"),
        (5, "Notes", "no ticket cites this row"),
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_generated_specs_keep_every_invariant(spec: Spec) -> None:
    p = plan(spec)
    _check_plan(spec, p)
    assert [d.key for d in plan(spec).drafts] == [d.key for d in p.drafts]  # stable keys
    ticketed = {(f.name, r.number) for f in spec.files for r in f.rows if r.status in {"a", "w"}}
    cited = {(s.file, n) for d in p.drafts for s in d.sources for n in s.rows}
    assert ticketed <= cited
    for d in p.drafts:  # no ticket without a ticketed row
        assert any((s.file, n) in ticketed for s in d.sources for n in s.rows), d.key


# ---- cases the property test found, kept as plain reproducers ----------------------------------------------


def test_a_paragraph_listed_twice_keeps_its_fields_on_its_one_ticket() -> None:
    """The same paragraph type on two bundle rows, the first with a blank X and the second on hold: its bundle
    ticket is made (one row is ticketed) and holds the fields, so no fields ticket cites them again."""
    first = bundle("Hero", "hero", "paragraph", x="")
    again = bundle("Hero", "hero", "paragraph", x="w")
    _, later = sheet("bundles", [again])
    spec = load(
        [
            sheet("bundles", [first]),
            ("More_bundles.csv", later),
            sheet("fields", [field(first, "Title", "field_title")]),
        ]
    )
    assert {f.code for f in spec.errors} == {"duplicate_key_conflict"}  # reported, and still planned
    p = plan(spec)
    assert [d.key for d in p.drafts if d.key.endswith("paragraph.hero")] == ["bundle:paragraph.hero"]
    result = coverage(spec, p)
    assert result.missing == [], {(m.row, m.reason) for m in result.missing}


def test_fields_found_by_label_go_to_the_ticket_whose_name_normalises_alike() -> None:
    """A fields row names its paragraph type by label ("Beta Gamma", machine name Alpha, no X) while "alpha" is
    the paragraph type being built: the bundle planner gives it to alpha's ticket, so no fields ticket too."""
    built = bundle("Alpha", "alpha", "paragraph")
    namesake = bundle("Beta Gamma", "Alpha", "paragraph", x="")
    row = {**field(namesake, "Caption", "field_caption"), "Bundle machine name": "missing"}
    spec = load([sheet("bundles", [built, namesake]), sheet("fields", [row])])
    p = plan(spec)
    assert not [d.key for d in p.drafts if d.kind == "fields"]
    result = coverage(spec, p)
    assert result.missing == [], {(m.row, m.reason) for m in result.missing}


def test_each_field_row_is_cited_once_when_two_paragraph_names_normalise_alike() -> None:
    """“Hero Banner” (an invalid machine name, built as hero_banner) and hero_banner are two rows: each field
    row belongs to exactly one of the two tickets."""
    hero = bundle("Hero", "Hero Banner", "paragraph")
    banner = bundle("Hero banner", "hero_banner", "paragraph")
    spec = spec_of(
        bundles=[hero, banner],
        fields=[field(hero, "Title", "field_title"), field(banner, "Body", "field_body")],
    )
    result = coverage(spec, plan(spec))
    assert result.missing == [], {(m.row, m.reason) for m in result.missing}


def test_a_display_note_on_an_existing_bundle_makes_no_ticket() -> None:
    """The rubric: no ticket for anything the spec marks as existing (or leaves blank)."""
    for x in ("d", ""):
        note = "Add to image media type manage display, set to matching image style."
        spec = spec_of(bundles=[bundle("Image", "image", "media", x=x, **{"Settings/notes": note})])
        assert [d.key for d in plan(spec).drafts] == [], x


def test_a_bundle_note_about_the_form_leaves_no_empty_table() -> None:
    """Hero's own note "Field hidden from node form." with no field rows: no ticket carries an empty table."""
    spec = spec_of(
        bundles=[bundle("Hero", "hero", "paragraph", **{"Settings/notes": "Field hidden from node form."})]
    )
    empty = [(d.key, t.title) for d in plan(spec).drafts for t in d.tables if not t.rows]
    assert empty == []
