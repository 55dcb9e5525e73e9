/* Re-sync (issue 15): the plan of a revised spec against the issues an earlier batch created, shown like a
   pull request before anything is sent. Conflicts (issues a person edited in Jira since export) are
   settled one at a time with PATCH; the plan is submitted only when every one is settled and the drafts
   are still those it was made on. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  function shown(view) { state.resync = {batchId: state.batchId, view: view}; P.renderExport(); focus("resync-title"); }
  function focus(id) { var node = $(id); if (node) node.focus(); }

  function make(button) {
    if (button) button.disabled = true;
    return TG.request("POST", P.batchPath("resync")).then(shown)
      .catch(function (error) { if (button) button.disabled = false; P.fail(error); });
  }
  function open(button) {
    if (button) button.disabled = true;
    return TG.request("GET", P.batchPath("resync")).then(shown)
      .catch(function (error) { if (button) button.disabled = false; P.fail(error); });
  }
  // The batch changed since this view was read (a draft edit, or the Plan step's): the server says
  // whether the plan still matches the drafts; people and points alone leave it current.
  function refresh() {
    return TG.request("GET", P.batchPath("resync")).then(function (view) {
      if (state.resync && state.resync.batchId === state.batchId) { state.resync.view = view; P.renderExport(); }
    }).catch(P.fail);
  }
  function close() { state.resync = null; P.renderExport(); }

  function issue(view, key, summary) {
    var url = key && view.urls[key];
    return el("span", {class: "resync-issue-name"}, url ? el("a", {href: url, target: "_blank", rel: "noopener"}, key) : null, url ? " " : null, summary);
  }
  function draftName(view, key, issueKey) { return issue(view, issueKey, view.names[key] || key); }

  function cellsText(row) { return Object.keys(row || {}).filter(function (c) { return row[c]; }).map(function (c) { return c + ": " + row[c]; }).join("; "); }
  function change(old, now) { return [el("del", null, old || "(empty)"), " → ", el("ins", null, now || "(empty)")]; }

  function rowsTable(section) {
    return el("div", {class: "table-wrap resync-table"}, el("table", {class: "data resync-rows"},
      el("caption", null, section.title + (section.columns_added.length ? " (new columns: " + section.columns_added.join(", ") + ")" : "")),
      el("thead", null, el("tr", null, el("th", {scope: "col"}, "Row"), el("th", {scope: "col"}, "Change"), el("th", {scope: "col"}, "Cells"))),
      el("tbody", null, section.rows.map(function (r) {
        var what = r.change === "changed" ? r.cells.map(function (c) { return el("div", null, c.column + ": ", change(c.old, c.new)); })
          : cellsText(r.change === "added" ? r.new : r.old);
        return el("tr", {class: "row-" + r.change}, el("th", {scope: "row"}, r.key), el("td", null, el("span", {class: "lozenge " + LOZENGE[r.change]}, r.change)), el("td", null, what));
      }))));
  }
  var LOZENGE = {added: "new", removed: "removed", changed: "moved"};

  function textChange(section) {
    var old = section.old, now = section.new;
    if (Array.isArray(old) || Array.isArray(now)) {
      var gone = (old || []).filter(function (x) { return (now || []).indexOf(x) < 0; });
      var added = (now || []).filter(function (x) { return (old || []).indexOf(x) < 0; });
      return el("ul", {class: "resync-items"}, gone.map(function (x) { return el("li", null, el("del", null, x)); }),
        added.map(function (x) { return el("li", null, el("ins", null, x)); }));
    }
    return el("p", null, change(typeof old === "string" ? old : JSON.stringify(old), typeof now === "string" ? now : JSON.stringify(now)));
  }

  function sections(c) {
    return [c.old_summary ? el("p", {class: "resync-summary"}, "Summary: ", change(c.old_summary, c.summary)) : null,
      c.sections.filter(function (s) { return s.name !== "summary"; }).map(function (s) {
        return el("div", {class: "resync-section"}, s.rows.length ? rowsTable(s)
          : [el("h5", null, s.title + " ", el("span", {class: "lozenge " + LOZENGE[s.change]}, s.change)), textChange(s)]);
      })];
  }

  function changed(view, c) {
    var done = c.action === "comment";
    return el("li", {class: "resync-change"}, el("h5", null, issue(view, c.issue_key, c.summary)),
      done ? el("p", {class: "small muted"}, "Done in Jira: the changes are added as a comment and labelled " + (c.labels.join(", ") || "spec-changed") + ".") : null,
      sections(c));
  }

  function conflict(view, c, index) {
    var key = c.change.draft_key, name = "resync-choice-" + index;
    return el("li", {class: "resync-change"}, el("fieldset", {class: "choices", id: "conflict-" + index},
      el("legend", null, issue(view, c.change.issue_key, c.change.summary)),
      el("p", {class: "small"}, "A person edited " + inWords(c.edited_sections.map(sectionName)) + " in Jira since export, and the spec changed this issue too."),
      el("details", null, el("summary", null, "What the spec changes"), sections(c.change)),
      view.choices.map(function (choice) {
        var id = name + "-" + choice.value;
        return el("div", {class: "choice"}, el("input", {type: "radio", name: name, id: id, value: choice.value, checked: c.choice === choice.value,
          disabled: !editable(view), onchange: function () { settle(key, choice.value, id); }}), el("label", {for: id}, choice.label));
      })));
  }

  var SECTIONS = {summary: "the summary", story: "the user story", criteria: "the success criteria", questions: "the open questions", description: "the description"};
  function sectionName(name) { return name.indexOf("table:") === 0 ? "the " + name.slice(6) + " table" : SECTIONS[name] || name; }

  function settle(key, choice, id) {
    var body = {choices: {}};
    body.choices[key] = choice;
    TG.request("PATCH", P.batchPath("resync"), body).then(function (view) {
      state.resync = {batchId: state.batchId, view: view}; P.renderExport(); focus(id);
    }).catch(function (error) { P.fail(error); open(); });
  }

  function inWords(names) {
    return names.length < 2 ? names.join("") : names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  function editable(view) { return view.status === "drafted" || view.status === "rejected"; }

  function part(title, id, items) {
    return items.length ? el("section", {class: "resync-part", "aria-labelledby": id}, el("h4", {id: id}, title), el("ul", {class: "resync-list"}, items)) : null;
  }

  function linkItem(view, l, verb) {
    return el("li", null, draftName(view, l.blocker, l.blocker_issue), " " + verb + " ", draftName(view, l.blocked, l.blocked_issue));
  }

  function add(box, node) { if (node) box.appendChild(node); }

  function render(box) {
    var view = state.resync.view, plan = view.plan, n = view.counts;
    if (view.revision < state.status.batch.revision && !view.reloading) { view.reloading = true; refresh(); }
    var pending = plan.conflicts.filter(function (c) { return !c.choice; }).length;
    box.appendChild(el("h3", {id: "resync-title", tabindex: "-1"}, "Re-sync plan: what the revised spec changes in " + ctx.projectKey));
    if (view.stale) {
      box.appendChild(TG.message("warning", "The drafts changed since this plan was made.", el("p", null, "Make the plan again to review what would be sent now.")));
    }
    box.appendChild(el("ul", {class: "resync-counts", id: "resync-counts"}, [["changed", n.changed], ["new", n.new], ["removed", n.removed],
      [n.links === 1 ? "link" : "links", n.links], [n.conflicts === 1 ? "conflict" : "conflicts", n.conflicts]].map(function (pair) {
      return el("li", null, el("strong", null, String(pair[1])), " " + pair[0]);
    })));
    box.appendChild(el("p", {class: "muted"}, "Nothing has been sent to Jira. " + P.plural(n.unchanged, "issue") + " unchanged" +
      (n.kept ? "; " + P.plural(n.kept, "issue") + " kept as a person left them" : "") + ". Nothing is deleted: an issue that left the spec gets a comment and a label."));
    add(box, part("Edited in Jira: choose what happens (" + pending + " of " + plan.conflicts.length + " still to choose)", "resync-conflicts",
      plan.conflicts.map(function (c, i) { return conflict(view, c, i); })));
    add(box, part("Changed (" + plan.changed.length + ")", "resync-changed", plan.changed.map(function (c) { return changed(view, c); })));
    add(box, part("New (" + plan.new.length + ")", "resync-new", plan.new.map(function (d) {
      return el("li", null, el("span", {class: "lozenge new"}, P.typeLabel(d.kind)), " " + d.summary,
        d.links.length ? el("ul", {class: "small"}, d.links.map(function (l) { return linkItem(view, l, "blocks"); })) : null);
    })));
    add(box, part("Removed from the spec (" + plan.removed.length + ")", "resync-removed", plan.removed.map(function (r) {
      return el("li", null, issue(view, r.issue_key, r.summary), el("p", {class: "small muted"}, r.reason + "; labelled " + r.labels.join(", ") + ", with this comment:"),
        el("pre", {class: "resync-comment"}, r.comment));
    })));
    add(box, part("Links (" + n.links + ")", "resync-links", plan.links_add.map(function (l) { return linkItem(view, l, "will block"); })
      .concat(plan.links_remove.map(function (l) { return linkItem(view, l, "no longer blocks"); }))));
    var ready = view.settled && !view.stale && editable(view);
    var hint = el("p", {class: "small muted", id: "resync-submit-hint"}, view.stale ? "Make the plan again first."
      : ready ? "The plan is applied as shown once approved." : "Choose what happens to each issue edited in Jira first.");
    var go = el("button", {type: "button", class: "btn primary", id: "submit-resync", disabled: !ready, "aria-describedby": "resync-submit-hint", onclick: function () {
      go.disabled = true;
      P.sendSubmit("resync").then(function () { state.resync = null; }).catch(function (error) { go.disabled = false; P.fail(error); });
    }}, ctx.approvalRequired ? "Submit re-sync for approval" : "Apply the re-sync");
    box.appendChild(el("p", {class: "resync-actions"}, go, " ",
      el("button", {type: "button", class: "btn", id: "resync-again", onclick: function () { make(this); }}, "Make the plan again"), " ",
      el("button", {type: "button", class: "btn subtle", id: "resync-back", onclick: close}, "Back to the choices")));
    box.appendChild(hint);
  }

  P.makeResync = make;
  P.openResync = open;
  P.renderResync = render;
})();
