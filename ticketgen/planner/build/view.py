from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.drupal.names import usable
from ticketgen.planner._utils import norm
from ticketgen.planner.build._utils import BUILDING, Steps

PLUGINS = {"block": "block", "page": "page", "embed": "embed", "attachment": "attachment", "feed": "feed"}


def steps(f: dict) -> Steps:
    mn = f["machine_name"]
    result = Steps(admin_path=cfg.admin_path("view", id=mn), modules=["views", "views_ui"])
    if "index" in norm(f.get("base_table", "")):
        result.need(["search_api"])
    name = cfg.view_config(mn)
    result.config.append(name)
    result.check(f"The view “{f['name']}” exists", name, "label", f["name"])
    if any(d["status"] in BUILDING and norm(d.get("plugin", "")) == "embed" for d in f.get("displays", [])):
        result.config.append("views.settings")  # Embed displays are offered only with this setting on
        result.check("Views allows embedded displays", "views.settings", "ui.show.display_embed", "true")
    indexed = [a for a in f.get("asked_elsewhere", []) if a.get("index_field")]
    if indexed and "index" in norm(f.get("base_table", "")):
        # the index's own config name is the id this base table names, which no sheet gives (the search
        # review asks): the criterion names the field to check on it
        result.check("The view reads the Search API index to change", name, "base_table",
                     "search_api_index_ followed by the index id; that index's Fields tab lists the field(s) above")  # fmt: skip
    for display in f.get("displays", []):
        plugin = PLUGINS.get(norm(display.get("plugin", "")))
        if display["status"] in BUILDING and plugin and display.get("machine_name"):
            result.check(f"Display “{display['title']}” uses the {display['plugin']} display plugin", name,
                         f"display.{usable(display['machine_name'])}.display_plugin", plugin)  # fmt: skip
    return result
