"""Paragraph types (issue 10 §4): one ticket per paragraph type, holding its fields and the child item type
only it uses; the key stays `bundle:paragraph.<id>`, and no `fields:paragraph.*` ticket exists for a
paragraph type being built."""

from __future__ import annotations

from tests.planner.conftest import bundle, deps, draft_of, field, paragraphs_field, spec_of
from ticketgen.planner import Plan, coverage, plan
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.paragraphs import families
from ticketgen.spec.model import Spec

UWEC_FAMILIES = {
    "paragraph.accordion_item": "paragraph.accordions",
    "paragraph.course": "paragraph.courses",
    "paragraph.cta_item": "paragraph.ctas",
    "paragraph.fauxfile_item": "paragraph.fauxfile",
    "paragraph.select_item": "paragraph.select_type",
    "paragraph.step_item": "paragraph.steps",
}


def test_uwec_child_item_types_fold_into_their_parent(uwec_spec: Spec, uwec_plan: Plan) -> None:
    assert families(SpecIndex(uwec_spec)).root_of == UWEC_FAMILIES
    for child, parent in UWEC_FAMILIES.items():
        assert f"bundle:{child}" not in uwec_plan.by_key, child
        facts = draft_of(uwec_plan, f"bundle:{parent}").facts
        assert [c["id"] for c in facts["children"]] == [child]
    # a paragraph type used by several types, or by content types directly, keeps its own ticket
    assert "bundle:paragraph.hallmark" in uwec_plan.by_key  # Academic Program and Department hold it
    assert "bundle:paragraph.gallery_item" in uwec_plan.by_key  # no Gallery field holds it (spec gap)


def test_no_fields_ticket_for_a_paragraph_type_being_built(uwec_spec: Spec, uwec_plan: Plan) -> None:
    index = SpecIndex(uwec_spec)
    built = {b.machine_name for b in index.bundles if b.etype == "paragraph" and index.ticketed(b.row)}
    fields_tickets = {d.key for d in uwec_plan.drafts if d.key.startswith("fields:paragraph.")}
    # Text and Video exist (d); Events List is built now while all its fields wait (w): they get their own
    # on-hold ticket so they stay on the board
    assert fields_tickets == {
        "fields:paragraph.text",
        "fields:paragraph.video",
        "fields:paragraph.events_list",
    }
    assert {k.removeprefix("fields:paragraph.") for k in fields_tickets} & built == {"events_list"}
    assert (
        draft_of(uwec_plan, "fields:paragraph.text").summary
        == "Add 1 field to the existing Text paragraph type"
    )


def test_paragraph_ticket_holds_its_fields_and_its_childs(uwec_plan: Plan) -> None:
    draft = draft_of(uwec_plan, "bundle:paragraph.ctas")
    assert draft.summary == "Create CTAs paragraph type with 3 fields and the CTA Item item type"
    titles = [t.title for t in draft.tables]
    assert titles[0] == "Paragraph type settings"
    assert {"Fields", "Child item type: CTA Item settings", "Child item type: CTA Item fields"} <= set(titles)
    assert titles.index("Fields") < titles.index("Child item type: CTA Item settings")
    own = draft.tables[titles.index("Fields")]
    child = draft.tables[titles.index("Child item type: CTA Item fields")]
    machine = own.columns.index("Machine name")
    assert [r[machine] for r in own.rows] == ["field_is_trio", "field_cta_items", "field_cta_bar"]
    assert [r[machine] for r in child.rows] == [
        "field_image",
        "field_headline",
        "field_additional_text",
        "field_link",
    ]
    facts = draft.facts
    assert [f["machine_name"] for f in facts["fields"]] == [
        "field_is_trio",
        "field_cta_items",
        "field_cta_bar",
    ]
    (cta_item,) = facts["children"]
    assert cta_item["name"] == "CTA Item" and cta_item["machine_name"] == "cta_item"
    assert [f["machine_name"] for f in cta_item["fields"]] == [
        "field_image",
        "field_headline",
        "field_additional_text",
        "field_link",
    ]
    sources = {s.file: s.rows for s in draft.sources}
    assert set(sources["UWEC_Bundles.csv"]) == {61, 62}  # CTA Item and CTAs rows
    assert len(sources["UWEC_Fields.csv"]) == 7
    assert "paragraphs.paragraphs_type.cta_item" in draft.config
    assert "field.field.paragraph.cta_item.field_headline" in draft.config


def test_a_folded_child_is_cited_once(uwec_spec: Spec, uwec_plan: Plan) -> None:
    """Coverage counts every cell of Accordion Item in exactly one ticket: its parent's."""
    result = coverage(uwec_spec, uwec_plan)
    assert result.fraction == 1.0
    citing = [
        d.key
        for d in uwec_plan.drafts
        if d.kind != "display"
        for s in d.sources
        if s.file == "UWEC_Bundles.csv" and 52 in s.rows
    ]
    assert citing == ["bundle:paragraph.accordions"]  # UWEC_Bundles.csv row 52: Accordion Item


def test_paragraph_ticket_waits_for_what_its_fields_reference(uwec_plan: Plan) -> None:
    assert deps(uwec_plan, "bundle:paragraph.contact_placer") == ["bundle:node.contact"]
    assert "bundle:media.icon" in deps(uwec_plan, "bundle:paragraph.steps")  # Step Item's icon field
    # A parent never waits for its folded child; it waits for another paragraph type's ticket only when that
    # ticket creates a field storage one of its fields (or its child's) reuses, or switches on Paragraphs Type
    # Permissions for it.
    for parent in UWEC_FAMILIES.values():
        draft = draft_of(uwec_plan, f"bundle:{parent}")
        fields = [*draft.facts["fields"], *(f for c in draft.facts["children"] for f in c["fields"])]
        owners = {f["storage"]["by"] for f in fields if f["storage"].get("state") == "created_by"}
        owners |= {draft.facts.get("paragraph_permissions", {}).get("switched_on_in")} - {None}
        waits = [k for k in draft.depends_on if k.startswith("bundle:paragraph.")]
        assert {draft_of(uwec_plan, k).summary for k in waits} <= owners, (parent, waits, owners)
    # Select Item's field_additional_text reuses the storage CTA Item creates (row 418, the first ticketed row:
    # Highlight Box's d row sits on a paragraph type still to build)
    assert [
        k for k in deps(uwec_plan, "bundle:paragraph.select_type") if k.startswith("bundle:paragraph.")
    ] == ["bundle:paragraph.accordions", "bundle:paragraph.ctas"]  # Accordions switches on the permissions
    assert not [
        k for k in deps(uwec_plan, "bundle:paragraph.accordions") if k.startswith("bundle:paragraph.")
    ]


def test_fields_on_hold_of_a_paragraph_type_being_built_wait_in_their_own_ticket(uwec_plan: Plan) -> None:
    """Events List is to build (a), but all five of its fields wait on a decision (w). Folded into the
    paragraph ticket they dropped off the board once the type was done (round 26): they get an on-hold
    fields ticket, which the paragraph ticket blocks."""
    draft = draft_of(uwec_plan, "bundle:paragraph.events_list")
    assert draft.facts["fields"] == [] and "on-hold" not in draft.labels
    held = draft_of(uwec_plan, "fields:paragraph.events_list")
    assert "on-hold" in held.labels
    assert [f["machine_name"] for f in held.facts["fields"] if f["status"] == "on_hold"] == [
        "field_college", "field_department", "field_program", "field_placement_tag", "field_page_family"
    ]  # fmt: skip


def _cards_spec(*, deck: bool = False, item_x: str = "a", parent_x: str = "a") -> Spec:
    page = bundle("Page", "page")
    cards = bundle("Cards", "cards", "paragraph", x=parent_x)
    card_item = bundle("Card Item", "card_item", "paragraph", x=item_x)
    card_link = bundle("Card Link", "card_link", "paragraph")
    deck_row = bundle("Deck", "deck", "paragraph")
    fields = [
        paragraphs_field(page, "Cards", "field_cards", **{"Ref. bundle": "Cards (Paragraph type)"}),
        paragraphs_field(cards, "Items", "field_card_items", **{"Ref. bundle": "Card Item (Paragraph type)"}),
        field(card_item, "Title", "field_card_title", x=item_x),
        paragraphs_field(
            card_item, "Links", "field_card_links", x=item_x, **{"Ref. bundle": "Card Link (Paragraph type)"}
        ),
        field(card_link, "URL", "field_card_url", **{"Field type": "Link", "Form widget": "Link"}),
    ]
    bundles = [page, cards, card_item, card_link]
    if deck:
        bundles.append(deck_row)
        fields += [
            paragraphs_field(page, "Deck", "field_deck", **{"Ref. bundle": "Deck (Paragraph type)"}),
            paragraphs_field(
                deck_row, "Items", "field_deck_items", **{"Ref. bundle": "Card Item (Paragraph type)"}
            ),
        ]
    return spec_of(bundles=bundles, fields=fields)


def test_nested_children_fold_into_the_outermost_type() -> None:
    p = plan(_cards_spec())
    assert [k for k in p.by_key if k.startswith("bundle:paragraph.")] == ["bundle:paragraph.cards"]
    facts = draft_of(p, "bundle:paragraph.cards").facts
    assert sorted(c["id"] for c in facts["children"]) == ["paragraph.card_item", "paragraph.card_link"]
    assert draft_of(p, "bundle:paragraph.cards").summary == (
        "Create Cards paragraph type with 1 field, the Card Item item type and the Card Link item type"
    )
    assert "bundle:paragraph.cards" in deps(p, "fields:node.page")
    assert not any(k.startswith("fields:paragraph.") for k in p.by_key)
    assert coverage(_cards_spec(), p).fraction == 1.0


def test_a_child_used_by_two_types_keeps_its_own_ticket() -> None:
    p = plan(_cards_spec(deck=True))
    assert "bundle:paragraph.card_item" in p.by_key  # Cards and Deck both hold it
    assert "bundle:paragraph.card_item" in deps(p, "bundle:paragraph.cards")
    assert "bundle:paragraph.card_item" in deps(p, "bundle:paragraph.deck")
    assert "bundle:paragraph.card_link" not in p.by_key  # still used by Card Item alone
    assert [c["id"] for c in draft_of(p, "bundle:paragraph.card_item").facts["children"]] == [
        "paragraph.card_link"
    ]


def test_existing_child_or_parent_does_not_fold() -> None:
    p = plan(_cards_spec(item_x="x"))  # Card Item exists: nothing of it to build
    assert "bundle:paragraph.card_item" not in p.by_key
    assert "bundle:paragraph.card_link" in p.by_key  # its own link type is new: a ticket of its own
    p = plan(
        _cards_spec(parent_x="d")
    )  # Cards exists: its new child cannot hide in a ticket that is not there
    assert "bundle:paragraph.cards" not in p.by_key
    assert "bundle:paragraph.card_item" in p.by_key
