/* On the drafts list: each draft's category, story points and assignee, changeable in its row, and the bulk
   edit (select many drafts, set their category or assignee at once). Saved through the plan (panel-plan.js). */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel, state = P.state, $ = P.$;
  var avatar = P.avatar, nameOf = P.personName, personPicker = P.personPicker, personJson = P.personJson;
  var save = P.savePlan, planEditable = P.planEditable, personOf = P.personOf;
  var POINTS = [1, 2, 3, 5, 8]; // ticketgen.planner.estimate.SCALE
  var selected = {}; // draft key → true: the drafts chosen for a bulk edit

  /* The controls at the end of a draft's row; `select` is the bulk-edit checkbox at its start. */
  function draftControls(d) {
    var editable = planEditable(), notice = $("bulk-notice");
    var category = el("select", {class: "compact", id: "category-" + d.position, disabled: !editable, "aria-label": "Category of “" + d.summary + "”",
      onchange: function () { var c = {}; c[d.key] = category.value; save({categories: c}, notice); }},
      (state.plan ? state.plan.categories : [d.category]).map(function (c) { return el("option", {value: c, selected: c === d.category}, c); }));
    var current = d.estimate ? d.estimate.points : null;
    var points = el("select", {class: "compact", id: "points-" + d.position, disabled: !editable, "aria-label": "Story points of “" + d.summary + "”",
      title: d.estimate && d.estimate.basis ? d.estimate.basis.join("\n") : null,
      onchange: function () { var c = {}; c[d.key] = Number(points.value); save({points: c}, notice); }},
      POINTS.map(function (p) { return el("option", {value: String(p), selected: p === current}, p + " pt"); }));
    var person = personOf(d), override = state.plan && state.plan.plan.overrides[d.key];
    return el("span", {class: "plan-controls"}, category, points,
      el("span", {class: "person small" + (override ? " override" : ""), title: override ? "Assigned to this draft only" : "The category's person"},
        avatar(person, "small"), " ", nameOf(person)));
  }

  function selectBox(d) {
    return el("span", {class: "bulk-pick", title: "Select for bulk edit"}, el("input", {type: "checkbox", class: "bulk-select", id: "select-" + d.position,
      checked: !!selected[d.key], disabled: !planEditable(), "aria-label": "Select “" + d.summary + "” for bulk edit", onchange: function () {
        if (this.checked) selected[d.key] = true; else delete selected[d.key];
        renderBulk();
      }}));
  }

  function chosenKeys() {
    return Object.keys(selected).filter(function (key) { return P.draftByKey(key); });
  }

  function renderBulk() {
    var bar = clear($("bulk-bar"));
    var keys = chosenKeys(), editable = planEditable();
    bar.hidden = !state.plan || !editable;
    if (bar.hidden) return;
    var notice = $("bulk-notice");
    var visibleRows = function () { return Array.prototype.map.call(document.querySelectorAll("#draft-groups details[open] .draft"), function (r) { return r.getAttribute("data-key"); }); };
    bar.appendChild(el("strong", {id: "bulk-count", "aria-live": "polite"}, keys.length ? P.plural(keys.length, "draft") + " selected" : "Bulk edit: tick drafts at the start of their row"));
    bar.appendChild(el("button", {type: "button", class: "btn subtle small", id: "bulk-select-shown", onclick: function () {
      visibleRows().forEach(function (k) { selected[k] = true; });
      P.renderDrafts();
    }}, "Select all shown"));
    if (!keys.length) return;
    bar.appendChild(el("button", {type: "button", class: "btn subtle small", id: "bulk-clear", onclick: function () { selected = {}; P.renderDrafts(); }}, "Clear selection"));
    var category = el("select", {id: "bulk-category", class: "compact"}, el("option", {value: ""}, "Choose a category"),
      state.plan.categories.map(function (c) { return el("option", {value: c}, c); }));
    bar.appendChild(el("span", {class: "bulk-group"}, el("label", {for: "bulk-category", class: "sr-only"}, "Set the category of the selected drafts"), category,
      el("button", {type: "button", class: "btn small", id: "bulk-set-category", onclick: function () {
        if (!category.value) { clear(notice).appendChild(TG.message("error", "Choose the category to give the selected drafts.")); category.focus(); return; }
        var c = {};
        keys.forEach(function (k) { c[k] = category.value; });
        save({categories: c}, notice, function () { TG.flag("success", P.plural(keys.length, "draft") + " now in " + category.value + "."); });
      }}, "Set category")));
    bar.appendChild(el("span", {class: "bulk-group"}, personPicker("bulk-assignee", "Assign the selected drafts to", function (u) {
      var o = {};
      keys.forEach(function (k) { o[k] = personJson(u); });
      save({overrides: o}, notice, function () { TG.flag("success", P.plural(keys.length, "draft") + " assigned to " + u.display_name + "."); });
    }, {hideLabel: true, placeholder: "Assign to: search by name"}),
      el("button", {type: "button", class: "btn subtle small", id: "bulk-category-person", onclick: function () {
        var o = {};
        keys.forEach(function (k) { o[k] = null; });
        save({overrides: o}, notice);
      }}, "Use the category's person")));
  }

  P.clearSelection = function () { selected = {}; };
  P.renderBulk = renderBulk;
  P.draftControls = draftControls;
  P.bulkSelectBox = selectBox;
})();
