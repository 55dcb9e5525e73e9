/* One draft opened: autosaved edits, its preview as Jira will show it, sources and dependencies. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  function editor(draft, preview) {
    var id = "d" + draft.position;
    var readOnly = !P.editable();
    var saveState = el("p", {class: "save-state", role: "status", "aria-live": "polite"}, readOnly ? "Read only: the issues are being created or exist." : "");
    var summary = el("input", {type: "text", id: id + "-summary", maxlength: "255", value: draft.summary, readOnly: readOnly});
    var story = el("textarea", {id: id + "-story", rows: "4", maxlength: "2000", readOnly: readOnly, value: draft.user_story});
    var criteria = el("textarea", {id: id + "-criteria", rows: "6", readOnly: readOnly, value: draft.criteria.join("\n")});
    var saved = {summary: draft.summary, user_story: draft.user_story, criteria: draft.criteria.join("\n")};
    var save = TG.debounce(function () {
      var changes = {};
      if (summary.value !== saved.summary) changes.summary = summary.value;
      if (story.value !== saved.user_story) changes.user_story = story.value;
      if (criteria.value !== saved.criteria) changes.criteria = criteria.value.split("\n");
      if (!Object.keys(changes).length) return;
      if (changes.summary !== undefined && !changes.summary.trim()) {
        saveState.className = "save-state failed";
        saveState.textContent = "Not saved: the summary cannot be empty.";
        return;
      }
      saveState.className = "save-state";
      saveState.textContent = "Saving…";
      var before = P.batchStatus();
      TG.request("PATCH", P.batchPath("drafts/" + encodeURIComponent(draft.key)), changes).then(function (b) {
        saved = {summary: changes.summary !== undefined ? changes.summary : saved.summary,
          user_story: changes.user_story !== undefined ? changes.user_story : saved.user_story,
          criteria: changes.criteria !== undefined ? criteria.value : saved.criteria};
        var row = P.draftByKey(draft.key);
        if (row) { row.summary = b.draft.summary; row.user_story = b.draft.user_story; }
        var title = document.querySelector('.draft[data-key="' + CSS.escape(draft.key) + '"] .title');
        if (title) title.textContent = b.draft.summary;
        saveState.className = "save-state saved";
        saveState.textContent = "Saved " + new Date().toLocaleTimeString();
        if (before === "awaiting_approval" || before === "approved") {
          TG.flag("info", "The approval request was withdrawn because a draft changed; submit again when ready.");
          P.refresh({});
        }
        return TG.request("GET", P.batchPath("drafts/" + encodeURIComponent(draft.key) + "/preview")).then(function (p) { P.showPreview(preview, p); });
      }).catch(function (error) {
        saveState.className = "save-state failed";
        saveState.textContent = "Not saved: " + error.message;
      });
    }, 700);
    [summary, story, criteria].forEach(function (input) {
      input.addEventListener("input", function () {
        saveState.className = "save-state";
        saveState.textContent = "Unsaved changes…";
        save();
      });
      input.addEventListener("blur", save.flush);
    });
    var sources = el("ul", null, (draft.sources || []).map(function (s) {
      return el("li", null, s.file + " — " + (s.rows.length === 1 ? "row " : "rows ") + P.compactRows(s.rows));
    }));
    return el("div", {class: "editor"},
      el("div", {class: "field"}, el("label", {for: id + "-summary"}, "Summary"), summary),
      el("div", {class: "field"}, el("label", {for: id + "-story"}, "User story"), story),
      el("div", {class: "field"}, el("label", {for: id + "-criteria"}, "Success criteria (one per line)"), criteria),
      saveState,
      buildFacts(draft, id),
      dependencyEditor(draft, id),
      el("h4", null, "Sources"), sources);
  }

  /* The spec review's open questions on this draft: a warning above everything else, as in the issue. */
  function questionsPanel(draft) {
    var questions = draft.questions || [];
    if (!questions.length) return null;
    var list = el("ul", {class: "question-list"}, questions.map(function (q) {
      return el("li", null, el("span", null, q.message),
        el("span", {class: "where muted small"}, P.rowsText(q.rows).join("; ")),
        el("code", {class: "small"}, q.code));
    }));
    var box = TG.message("warning", "Needs a decision: " + P.plural(questions.length, "open question") + " from the spec review", [
      el("p", null, "Settle " + (questions.length === 1 ? "it" : "them") + " with the spec owner before the sprint. " +
        "The issue carries the needs-decision label and shows the same warning at the top of its description."),
      list]);
    box.classList.add("draft-questions");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Open questions on " + draft.key);
    return box;
  }

  /* Build and verify, derived from the spec: shown, never edited here (regenerating the drafts updates it). */
  function buildFacts(draft, id) {
    var modules = draft.modules || [], config = draft.config || [], verify = draft.verify || [];
    if (!modules.length && !draft.admin_path && !config.length && !verify.length) return null;
    var codes = function (items) { return items.map(function (m, i) { return [i ? ", " : null, el("code", null, m)]; }); };
    var facts = el("dl", {class: "facts"});
    if (modules.length) TG.append(facts, [el("dt", null, "Modules to enable"), el("dd", null, codes(modules))]);
    if (draft.admin_path) TG.append(facts, [el("dt", null, "Admin path"), el("dd", null, el("code", null, draft.admin_path))]);
    if (config.length) {
      TG.append(facts, [el("dt", null, "Config objects the work produces"),
        el("dd", null, el("ul", null, config.map(function (c) { return el("li", null, el("code", null, c)); })))]);
    }
    var checks = null;
    if (verify.length) {
      checks = el("div", {class: "table-wrap facts-checks"}, el("table", {class: "data"},
        el("caption", {class: "sr-only"}, "Checks for " + draft.key),
        el("thead", null, el("tr", null, el("th", {scope: "col"}, "Check"), el("th", {scope: "col"}, "Command"), el("th", {scope: "col"}, "Expect"))),
        el("tbody", null, verify.map(function (v) {
          return el("tr", null, el("td", null, v.check || ""), el("td", null, el("code", null, v.command || "")),
            el("td", null, v.expect ? el("code", null, v.expect) : el("span", {class: "muted"}, "—")));
        }))));
    }
    return el("section", {class: "build-facts", id: id + "-build", "aria-labelledby": id + "-build-title"},
      el("h4", {id: id + "-build-title"}, "Build and verify"),
      el("p", {class: "muted small"}, "Derived from the spec (read only): generate the drafts again to change it."),
      facts, checks);
  }

  function dependencyEditor(draft, id) {
    var box = el("div", {class: "deps"});
    var error = el("div", {class: "inline-error", role: "alert"});
    function label(key) { var d = P.draftByKey(key); return d ? d.summary + " (" + key + ")" : key; }
    function edge(blocker, blocked, manual) {
      return el("li", null, label(blocker === draft.key ? blocked : blocker), manual ? el("span", {class: "muted small"}, " · added by hand") : null, " ",
        P.editable() ? el("button", {type: "button", class: "btn link small", "aria-label": "Remove: " + blocker + " blocks " + blocked,
          onclick: function () { removeDependency(blocker, blocked, draft, box, id); }}, "Remove") : null);
    }
    var blockers = state.deps.filter(function (e) { return e.blocked === draft.key; });
    var blocks = state.deps.filter(function (e) { return e.blocker === draft.key; });
    box.appendChild(el("h4", null, "Blocked by"));
    box.appendChild(blockers.length ? el("ul", null, blockers.map(function (e) { return edge(e.blocker, e.blocked, e.manual); })) : el("p", {class: "muted"}, "Nothing."));
    box.appendChild(el("h4", null, "Blocks"));
    box.appendChild(blocks.length ? el("ul", null, blocks.map(function (e) { return edge(e.blocker, e.blocked, e.manual); })) : el("p", {class: "muted"}, "Nothing."));
    if (P.editable()) {
      var listId = id + "-keys";
      var input = el("input", {type: "text", id: id + "-blocker", list: listId, placeholder: "Draft key, e.g. bundle:node.page", autocomplete: "off"});
      var options = el("datalist", {id: listId}, state.drafts.filter(function (d) { return d.key !== draft.key; }).map(function (d) {
        return el("option", {value: d.key}, d.summary);
      }));
      var add = el("button", {type: "button", class: "btn", onclick: function () {
        var key = input.value.trim();
        error.textContent = "";
        if (!key) { error.textContent = "Type the key of the draft that must be done first."; return; }
        if (!P.draftByKey(key)) { error.textContent = "There is no draft with the key " + key + " in this batch."; return; }
        TG.request("POST", P.batchPath("dependencies"), {blocker: key, blocked: draft.key}).then(function (b) {
          TG.flag("success", b.added ? key + " now blocks " + draft.key + "." : "That dependency already exists.");
          return rebuildDependencies(draft, box, id);
        }).catch(function (e) {
          error.textContent = e.code === "dependency_cycle" ? "Refused: " + e.message + "." : e.message;
        });
      }}, "Add blocker");
      box.appendChild(el("div", {class: "add"},
        el("div", {class: "field"}, el("label", {for: id + "-blocker"}, "Add a ticket that blocks this one"), input, options), add));
      box.appendChild(error);
    }
    return box;
  }

  function rebuildDependencies(draft, box, id) {
    return P.loadDrafts().then(function () {
      box.parentNode.replaceChild(dependencyEditor(draft, id), box);
      if (!$("graph").hidden) P.drawGraph();
    });
  }

  function removeDependency(blocker, blocked, draft, box, id) {
    TG.request("DELETE", P.batchPath("dependencies"), {blocker: blocker, blocked: blocked}).then(function () {
      TG.flag("success", blocker + " no longer blocks " + blocked + ".");
      return rebuildDependencies(draft, box, id);
    }).catch(P.fail);
  }


  P.editor = editor;
  P.questionsPanel = questionsPanel;
})();
