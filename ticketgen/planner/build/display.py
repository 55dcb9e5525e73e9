from __future__ import annotations

import re

from ticketgen.drupal import config as cfg
from ticketgen.drupal.names import usable
from ticketgen.planner._clause_patterns import LATER
from ticketgen.planner._utils import machine
from ticketgen.planner.build._utils import Steps

_RENDERED = re.compile(r"“Rendered entity” formatter in the “(?P<mode>[^”]+)” view mode")


def steps(f: dict) -> Steps:
    bundle = f["bundle"]
    etype, mn = bundle["entity_type"], bundle["machine_name"]
    mn = usable(mn)  # an invalid name is built under the name its open question proposes
    said = f.get("hidden", [])
    form_work = bool(f.get("groups")) or any(s["side"] == "form" for s in said)
    where = "form_display" if form_work else "view_display"
    result = Steps(admin_path=cfg.admin_path(where, etype=etype, bundle=mn), modules=["field_ui"])
    if any(m.get("responsive_style") for m in f.get("view_modes", [])):
        result.need(["responsive_image"])
    form, page = cfg.form_display_config(etype, mn), cfg.view_display_config(etype, mn)
    if form_work:
        result.config.append(form)
    if f.get("groups"):
        result.need(["field_group"])
    for group in f.get("groups", []):
        result.verify.append({"check": f"The “{group['group']}” group holds {', '.join(group['fields'])}",
                              "command": cfg.config_get(form, "third_party_settings.field_group"),
                              "expect": f"a group labelled “{group['group']}” listing those fields"})  # fmt: skip
    for s in said:
        for m in s.get("media_modes", []):
            shown = cfg.view_display_config(etype, mn, machine(m["display"]))
            result.config.append(shown)
            if s["machine_name"]:
                result.check(f"{s['label']} renders in the “{m['mode']}” media view mode ({m['display']})", shown,
                             f"content.{s['machine_name']}.settings.view_mode", machine(m["mode"]))  # fmt: skip
        if s["side"] == "view":
            result.config.append(page)
        if s.get("media_view_mode") and s["machine_name"]:
            result.check(f"{s['label']} renders in the “{s['media_view_mode']}” media view mode", page,
                         f"content.{s['machine_name']}.settings.view_mode", machine(s["media_view_mode"]))  # fmt: skip
        if (
            s["side"] == "view"
            and s["machine_name"]
            and (rendered := _RENDERED.search(s.get("criterion", "")))
        ):
            mode = machine(rendered["mode"])
            result.check(f"{s['label']} shows the referenced items' “{rendered['mode']}” view mode", page,
                         f"content.{s['machine_name']}.settings.view_mode", mode)  # fmt: skip
        if (
            s["kind"] == "hidden" and s["machine_name"] and LATER not in s.get("criterion", "")
        ):  # hidden later
            display = form if s["side"] == "form" else page
            shown = "on the form" if s["side"] == "form" else "on the page"
            result.check(f"{s['label']} is not shown {shown}", display, f"hidden.{s['machine_name']}", "true")
    for mode in f.get("view_modes", []):
        mode_id = machine(mode["label"])
        name = cfg.view_display_config(etype, mn, mode_id)
        result.config.append(name)
        result.check(
            f"The “{mode['label']}” view mode is enabled on {bundle['name']}", name, "status", "true"
        )
        image = f.get("image_field")
        if image and mode.get("responsive_style"):
            key = f"content.{image}"
            result.check(f"In “{mode['label']}” the image uses its responsive style", name,
                         f"{key}.settings.responsive_image_style", mode["responsive_style"])  # fmt: skip
            result.check("…with the Responsive image formatter", name, f"{key}.type", "responsive_image")
        elif image and mode.get("image_style"):
            result.check(f"In “{mode['label']}” the image uses its image style", name,
                         f"content.{image}.settings.image_style", mode["image_style"])  # fmt: skip
    result.config = list(dict.fromkeys(result.config))
    return result
