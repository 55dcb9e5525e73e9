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
      if (!Object.keys(changes).length) { // typed, then undone: nothing is unsaved any more
        if (saveState.textContent === "Unsaved changes…") { saveState.className = "save-state"; saveState.textContent = "No unsaved changes."; }
        return;
      }
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

  /* Blocked by / Blocks, by summary: a blocker is picked by searching the drafts' summaries, never by key. */
  function dependencyEditor(draft, id) {
    var box = el("div", {class: "deps"});
    var error = el("div", {class: "inline-error", role: "alert"});
    function name(key) { var d = P.draftByKey(key); return d ? d.summary : key; }
    function edge(blocker, blocked, manual) {
      var other = P.draftByKey(blocker === draft.key ? blocked : blocker);
      var sentence = "“" + name(blocker) + "” blocks “" + name(blocked) + "”";
      return el("li", null,
        el("span", {title: other ? P.KIND_LABELS[other.kind] || other.kind : null}, other ? other.summary : blocker === draft.key ? blocked : blocker),
        manual ? el("span", {class: "muted small"}, " · added by hand") : null, " ",
        P.editable() ? el("button", {type: "button", class: "btn link small", "aria-label": "Remove: " + sentence,
          onclick: function () { removeDependency(blocker, blocked, draft, box, id); }}, "Remove") : null);
    }
    var blockers = state.deps.filter(function (e) { return e.blocked === draft.key; });
    var blocks = state.deps.filter(function (e) { return e.blocker === draft.key; });
    box.appendChild(el("h4", null, "Blocked by"));
    box.appendChild(blockers.length ? el("ul", null, blockers.map(function (e) { return edge(e.blocker, e.blocked, e.manual); })) : el("p", {class: "muted"}, "Nothing."));
    box.appendChild(el("h4", null, "Blocks"));
    box.appendChild(blocks.length ? el("ul", null, blocks.map(function (e) { return edge(e.blocker, e.blocked, e.manual); })) : el("p", {class: "muted"}, "Nothing."));
    if (P.editable()) {
      var taken = {};
      taken[draft.key] = true;
      blockers.forEach(function (e) { taken[e.blocker] = true; });
      var picker = blockerPicker(id, state.drafts.filter(function (d) { return !taken[d.key]; }), function () { add(); });
      function add() {
        var chosen = picker.chosen();
        error.textContent = "";
        if (!chosen) { error.textContent = picker.problem(); picker.input.focus(); return; }
        TG.request("POST", P.batchPath("dependencies"), {blocker: chosen.key, blocked: draft.key}).then(function (b) {
          TG.flag("success", b.added ? "“" + chosen.summary + "” now blocks “" + name(draft.key) + "”." : "That dependency already exists.");
          return rebuildDependencies(draft, box, id);
        }).catch(function (e) {
          error.textContent = e.code === "dependency_cycle" ? "Refused: " + e.message.replace(/\.$/, "") + "." : e.message;
        });
      }
      box.appendChild(el("div", {class: "add"}, picker.field,
        el("button", {type: "button", class: "btn", id: id + "-add-blocker", onclick: add}, "Add blocker")));
      box.appendChild(error);
    }
    return box;
  }

  var PICKER_SHOWN = 8;

  /* A combobox over the candidate drafts: type words of a summary (or its kind), pick with the arrows and
     Enter or a click. `onEnter` runs when Enter is pressed with a draft already picked. */
  function blockerPicker(id, candidates, onEnter) {
    var inputId = id + "-blocker", listId = id + "-blocker-options";
    var picked = null, active = -1, shown = [];
    var input = el("input", {type: "text", id: inputId, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": listId, autocomplete: "off", placeholder: "Search by summary, e.g. Academic Program"});
    var list = el("ul", {class: "picker-options", id: listId, role: "listbox", "aria-label": "Drafts that match", hidden: true});
    function words(d) { return (d.summary + " " + (P.KIND_LABELS[d.kind] || d.kind) + " " + d.key).toLowerCase(); }
    function matching() {
      var terms = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      return candidates.filter(function (d) { var w = words(d); return terms.every(function (t) { return w.indexOf(t) !== -1; }); });
    }
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute("aria-selected", String(n === i)); });
      if (i >= 0 && list.children[i]) { input.setAttribute("aria-activedescendant", list.children[i].id); list.children[i].scrollIntoView({block: "nearest"}); }
      else input.removeAttribute("aria-activedescendant");
    }
    function pick(d) { picked = d; input.value = d.summary; close(); }
    function open() {
      var found = matching();
      shown = found.slice(0, PICKER_SHOWN);
      clear(list);
      shown.forEach(function (d, i) {
        list.appendChild(el("li", {role: "option", id: listId + "-" + i, "aria-selected": "false", "data-key": d.key,
          onmousedown: function (event) { event.preventDefault(); pick(d); }},
          el("span", {class: "summary"}, d.summary), " ", el("span", {class: "muted small"}, P.KIND_LABELS[d.kind] || d.kind)));
      });
      if (!shown.length) list.appendChild(el("li", {class: "muted", role: "presentation"}, "No draft matches “" + input.value.trim() + "”."));
      if (found.length > shown.length) {
        list.appendChild(el("li", {class: "muted small picker-more", role: "presentation"},
          P.plural(found.length - shown.length, "more draft") + " match: type more of the summary."));
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(shown.length === 1 ? 0 : -1);
    }
    input.addEventListener("input", function () { picked = null; open(); });
    input.addEventListener("focus", function () { if (!picked) open(); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) open();
        if (!shown.length) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(active === -1 ? (step > 0 ? 0 : shown.length - 1) : (active + step + shown.length) % shown.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!list.hidden && active >= 0 && shown[active]) pick(shown[active]);
        else if (picked) onEnter();
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    return {
      input: input,
      field: el("div", {class: "field picker"}, el("label", {for: inputId}, "Add a ticket that blocks this one"), input, list),
      chosen: function () {
        if (picked && picked.summary === input.value) return picked;
        var found = input.value.trim() ? matching() : [];
        return found.length === 1 ? found[0] : null;
      },
      problem: function () {
        if (!input.value.trim()) return "Type part of the summary of the ticket that must be done first, then pick it from the list.";
        var count = matching().length;
        return count ? P.plural(count, "draft") + " match “" + input.value.trim() + "”: pick one from the list." :
          "No draft in this batch matches “" + input.value.trim() + "”.";
      }
    };
  }

  function rebuildDependencies(draft, box, id) {
    return P.loadDrafts().then(function () {
      box.parentNode.replaceChild(dependencyEditor(draft, id), box);
      if (!$("graph").hidden) P.drawGraph();
    });
  }

  function removeDependency(blocker, blocked, draft, box, id) {
    TG.request("DELETE", P.batchPath("dependencies"), {blocker: blocker, blocked: blocked}).then(function () {
      var name = function (key) { var d = P.draftByKey(key); return d ? d.summary : key; };
      TG.flag("success", "“" + name(blocker) + "” no longer blocks “" + name(blocked) + "”.");
      return rebuildDependencies(draft, box, id);
    }).catch(P.fail);
  }


  P.editor = editor;
  P.questionsPanel = questionsPanel;
})();
