"""The 30,000-character description budget: large drafts keep story, criteria and a pointer; the full
content moves to a Markdown attachment."""

from __future__ import annotations

import asyncio
import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.render.conftest import CHECK, EXPORT, QUESTION, STATUS, decided_draft, make_draft
from tests.render.helpers import assert_well_formed, tables, text_of
from ticketgen.adf import BUDGET, adf_size, attachment_name, description_for, render
from ticketgen.drafts.model import Source, Table
from ticketgen.markdown import cell_text

COLUMNS = [f"Column {i}" for i in range(14)]


def wide_table(rows: int, cell: str = "value") -> Table:
    return Table("Fields", COLUMNS, [[f"{cell} {r}.{c}" for c in range(14)] for r in range(rows)])


def assert_reduced(description, draft, rows: int) -> None:
    adf, attachment = description.adf, description.attachment
    assert attachment is not None
    assert adf_size(adf) <= BUDGET
    assert_well_formed(adf)
    assert tables(adf) == []
    text = text_of(adf)
    assert draft.user_story[:100] in text
    assert draft.criteria[0] in text
    assert f"({rows} row{'s' * (rows != 1)})" in text and f"attached as {attachment.name}" in text
    assert attachment.size == len(attachment.content)
    markdown = attachment.content.decode("utf-8")
    assert markdown.startswith(f"# {draft.summary}\n")
    for row in draft.tables[0].rows:
        assert "| " + " | ".join(cell_text(c) for c in row) + " |" in markdown


def test_small_draft_is_described_in_full():
    draft = make_draft()
    description = description_for(draft)
    assert description.attachment is None
    assert description.adf == render(draft)


@pytest.mark.parametrize("rows", [200, 5000])
def test_thousands_of_rows_go_to_the_attachment(rows):
    draft = make_draft(
        tables=[wide_table(rows)], sources=[Source("UWEC_Fields.csv", list(range(2, rows + 2)))]
    )
    assert adf_size(render(draft)) > BUDGET
    description = description_for(draft)
    assert_reduced(description, draft, rows)
    assert f"UWEC_Fields.csv rows 2–{rows + 1}" in text_of(description.adf)


def test_one_very_long_cell_goes_to_the_attachment():
    long_cell = "Lorem ipsum | <b>dolor</b>\n" * 2000
    draft = make_draft(tables=[Table("Fields", ["Help text"], [[long_cell]])])
    description = description_for(draft)
    assert_reduced(description, draft, 1)
    assert "(1 row)" in text_of(description.adf)


def test_budget_boundary_is_inclusive():
    draft = make_draft(tables=[wide_table(40)])
    size = adf_size(render(draft))
    assert description_for(draft, budget=size).attachment is None
    assert description_for(draft, budget=size - 1).attachment is not None


def test_criteria_and_story_are_trimmed_when_they_alone_exceed_the_budget():
    criteria = [f"Criterion {i}: " + "x" * 200 for i in range(400)]
    draft = make_draft(tables=[wide_table(300)], criteria=criteria, user_story="As an editor " * 4000)
    description = description_for(draft)
    adf = description.adf
    assert adf_size(adf) <= BUDGET
    assert_well_formed(adf)
    text = text_of(adf)
    assert criteria[0] in text and criteria[-1] not in text
    assert re.search(r"… and \d+ more criteria in fields-node\.article\.md\.", text)
    assert description.attachment is not None
    assert criteria[-1] in description.attachment.content.decode()


def test_attachment_names_are_safe_file_names():
    assert (
        attachment_name(make_draft(key="fields:node.academic_program")) == "fields-node.academic_program.md"
    )
    assert attachment_name(make_draft(key="bundle:taxonomy_term.Editorial Access")) == (
        "bundle-taxonomy_term.Editorial-Access.md"
    )
    assert attachment_name(make_draft(key="view:../../etc/passwd")) == "view-..-..-etc-passwd.md"
    assert attachment_name(make_draft(key=":::")) == "draft.md"
    assert len(attachment_name(make_draft(key="x" * 1000))) <= 123


def test_questions_and_build_stay_when_the_tables_move():
    draft = decided_draft(tables=[wide_table(300)])
    description = description_for(draft)
    adf = description.adf
    assert description.attachment is not None and tables(adf) == []
    assert_well_formed(adf)
    assert adf["content"][0]["type"] == "panel"
    text = text_of(adf)
    for needle in [QUESTION["message"], *draft.criteria, *draft.config, CHECK["command"], STATUS["expect"]]:
        assert needle in text
    assert "more" not in text  # nothing else had to give way
    markdown = description.attachment.content.decode()
    assert "> **Open questions — decide before building**" in markdown and "**Build and verify**" in markdown


def test_long_build_lists_give_way_together_and_keep_the_closing_steps():
    config = [f"field.field.node.article.field_number_{i:04d}" for i in range(1500)]
    checks = [
        {
            "check": f"Field {i} is plain text",
            "command": f"drush config:get {c} field_type",
            "expect": "string",
        }
        for i, c in enumerate(config)
    ]
    criteria = [f"Field field_number_{i:04d} is optional." for i in range(1500)]
    draft = decided_draft(config=config, verify=[*checks, EXPORT, STATUS], criteria=criteria)
    description = description_for(draft)
    adf = description.adf
    assert adf_size(adf) <= BUDGET
    assert_well_formed(adf)
    text = text_of(adf)
    assert QUESTION["message"] in text and config[0] in text and config[-1] not in text
    assert re.search(r"… and \d+ more config objects in fields-node\.article\.md\.", text)
    assert re.search(r"… and \d+ more checks in fields-node\.article\.md\.", text)
    assert re.search(r"… and \d+ more criteria in fields-node\.article\.md\.", text)
    (verify,) = [n for n in adf["content"] if n["type"] == "orderedList"]
    assert [text_of(i) for i in verify["content"][-2:]] == [
        "Export the configuration: drush config:export",
        f"Nothing is left to export: drush config:status → {STATUS['expect']}",
    ]
    markdown = description.attachment.content.decode()
    assert config[-1] in markdown and checks[-1]["command"] in markdown


def test_questions_stay_whole_while_the_long_lists_give_way():
    questions = [{**QUESTION, "message": f"Question {i}: is this right?"} for i in range(30)]
    criteria = [f"Criterion {i}: " + "x" * 200 for i in range(400)]
    description = description_for(decided_draft(questions=questions, criteria=criteria))
    text = text_of(description.adf)
    assert all(q["message"] in text for q in questions) and "more open questions" not in text
    assert criteria[0] in text and criteria[-1] not in text


def test_endless_questions_still_fit():
    questions = [{**QUESTION, "message": f"Question {i}: " + "why? " * 40} for i in range(800)]
    description = description_for(decided_draft(questions=questions))
    assert adf_size(description.adf) <= BUDGET
    assert_well_formed(description.adf)
    text = text_of(description.adf)
    assert questions[0]["message"] in text and questions[-1]["message"] not in text
    assert re.search(r"… and \d+ more open questions in fields-node\.article\.md\.", text)
    assert questions[-1]["message"] in description.attachment.content.decode()


cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cells, min_size=1, max_size=5), min_size=0, max_size=30),
    story=cells,
    criteria=st.lists(cells.filter(str.strip), max_size=5),
    budget=st.integers(min_value=2_500, max_value=12_000),
    questions=st.lists(st.fixed_dictionaries({"message": cells}), max_size=4),
    config=st.lists(cells, max_size=20),
    verify=st.lists(st.fixed_dictionaries({"check": cells, "command": cells, "expect": cells}), max_size=20),
)
def test_any_draft_renders_valid_adf_within_any_budget(
    rows, story, criteria, budget, questions, config, verify
):
    draft = make_draft(
        tables=[Table("T", ["A", "B", "C"], rows)],
        user_story=story,
        criteria=criteria,
        questions=questions,
        config=config,
        verify=verify,
        admin_path=story[:20],
    )
    full = render(draft)
    assert_well_formed(full)
    description = description_for(draft, budget=budget)
    assert_well_formed(description.adf)
    assert adf_size(description.adf) <= budget
    assert (description.attachment is None) == (adf_size(full) <= budget)


def _generated_spec(uwec_dir, copies: int):
    """The real Bundles and Fields files, with the Academic Program fields repeated `copies` times under
    new machine names and one help text made very long: a spec far beyond the UWEC set."""
    bundles = (uwec_dir / "UWEC_Bundles.csv").read_bytes()
    rows = list(csv.reader(io.StringIO((uwec_dir / "UWEC_Fields.csv").read_text("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    machine, bundle, help_text = (
        header.index(c) for c in ("Machine name", "Bundle machine name", "Help text")
    )
    program = [r for r in body if r[bundle] == "academic_program" and r[machine].startswith("field_")]
    grown = [header]
    for n in range(copies):
        for r in program:
            r = list(r)
            r[machine] = f"{r[machine]}_{n}"[:32]
            grown.append(r)
    grown[1][help_text] = "Use the approved wording. " * 1500
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(grown)
    return [("UWEC_Bundles.csv", bundles), ("UWEC_Fields.csv", out.getvalue().encode())], len(grown) - 1


def test_generated_large_spec_end_to_end(uwec_dir):
    from ticketgen.planner import plan
    from ticketgen.spec import load
    from ticketgen.writers.template import TemplateWriter

    files, count = _generated_spec(uwec_dir, copies=60)
    assert count > 2000
    spec = load(files)
    assert not spec.errors, [f"{f.row} {f.column}: {f.message}" for f in spec.errors[:5]]
    drafts = asyncio.run(TemplateWriter().write(plan(spec).drafts)).drafts
    (fields,) = [d for d in drafts if d.key == "fields:node.academic_program"]
    rows = sum(len(t.rows) for t in fields.tables)
    assert rows >= count
    description = description_for(fields)
    assert (
        description.attachment is not None
        and description.attachment.name == "fields-node.academic_program.md"
    )
    assert adf_size(description.adf) <= BUDGET
    assert_well_formed(description.adf)
    text = text_of(description.adf)
    # the first criterion names all 2,340 fields: it is shortened here and whole in the attachment
    assert fields.user_story in text and fields.criteria[0][:100] in text
    assert re.search(r"… and \d+ more criteria in fields-node\.academic_program\.md\.", text)
    markdown = description.attachment.content.decode()
    assert "Use the approved wording. " * 10 in markdown
    assert all(f"field_image_{n}" in markdown for n in range(60))


def test_story_is_shortened_to_a_third_of_the_budget():
    draft = make_draft(tables=[wide_table(300)], user_story="As an editor " * 4000)
    description = description_for(draft)
    story = text_of(description.adf["content"][1])
    assert story.endswith("…") and len(story) <= BUDGET // 3 + 1
    assert all(c in text_of(description.adf) for c in draft.criteria)


def test_endless_dependency_lists_cost_the_description_nothing():
    """The Blocks links carry the relations in Jira: the description does not list them."""
    blockers = [f"bundle:paragraph.component_{i}" for i in range(3000)]
    sources = [Source("UWEC_Fields.csv", list(range(2, 6000, 2)))]
    draft = make_draft(depends_on=blockers, sources=sources)
    description = description_for(draft)
    assert description.attachment is None
    assert description.adf == render(make_draft(depends_on=[], sources=sources))
    assert_well_formed(description.adf)


@pytest.mark.parametrize(
    ("tables_", "notes", "pointer"),
    [
        (
            [wide_table(300)],
            [],
            "The full configuration table (300 rows) is attached as fields-node.article.md.",
        ),
        (
            [wide_table(200), wide_table(1)],
            ["n"],
            "The 2 full configuration tables (201 rows) and the notes are attached as fields-node.article.md.",
        ),
    ],
)
def test_pointer_says_what_was_moved(tables_, notes, pointer):
    description = description_for(make_draft(tables=tables_, notes=notes))
    assert pointer in [text_of(n) for n in description.adf["content"] if n["type"] == "paragraph"]
