/* The Plan step (issue 16): who builds each work category, the sprint, totals per person and per category,
   and on the drafts list each ticket's category, points and assignee with bulk edit. Every change is a PATCH
   of the batch's plan; the server's answer (plan and totals) is what is shown afterwards. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel, state = P.state, $ = P.$;
  var POINTS = [1, 2, 3, 5, 8]; // ticketgen.planner.estimate.SCALE
  var SHOWN = 8;
  var selected = {}; // draft key → true: the drafts chosen for a bulk edit

  function loadPlan() {
    var batchId = state.batchId;
    var jobs = [TG.request("GET", P.batchPath("plan")).then(function (body) { state.plan = body; state.planError = null; })
      .catch(function (error) { state.plan = null; state.planError = error.message; })];
    if (!state.sprints || state.sprints.batchId !== batchId) {
      jobs.push(TG.request("GET", P.batchPath("plan/sprints")).then(function (body) { state.sprints = {batchId: batchId, boards: body.boards}; })
        .catch(function (error) { state.sprints = {batchId: batchId, boards: [], error: error.message}; }));
    }
    return Promise.all(jobs);
  }

  function planEditable() { return P.editable() && P.batchStatus() !== "approved"; }

  function personOf(d) {
    var plan = state.plan && state.plan.plan;
    if (!plan) return null;
    return plan.overrides[d.key] || plan.people[d.category] || null;
  }

  function initials(name) {
    return String(name || "?").split(/\s+/).filter(Boolean).slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join("") || "?";
  }

  /* Jira's avatar: the person's picture, or their initials while there is none. */
  function avatar(person, size) {
    var cls = "avatar" + (size === "small" ? " small" : "");
    if (!person) return el("span", {class: cls + " empty", "aria-hidden": "true"});
    var letters = el("span", {class: cls + " initials", "aria-hidden": "true"}, initials(person.display_name || person.account_id));
    if (!person.avatar_url) return letters;
    var img = el("img", {class: cls, src: person.avatar_url, alt: "", width: size === "small" ? 16 : 24, height: size === "small" ? 16 : 24});
    img.addEventListener("error", function () { if (img.parentNode) img.parentNode.replaceChild(letters, img); });
    return img;
  }

  function nameOf(person) { return person ? (person.display_name || person.account_id) : "Unassigned"; }

  /* A combobox over the project's assignable people, searched by name in Jira as the person types. */
  function personPicker(id, labelText, onPick, options) {
    options = options || {};
    var listId = id + "-options", shown = [], active = -1, asked = 0;
    var input = el("input", {type: "text", id: id, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": listId, autocomplete: "off", placeholder: options.placeholder || "Search people by name", disabled: !!options.disabled});
    var list = el("ul", {class: "picker-options", id: listId, role: "listbox", "aria-label": "People who can be assigned", hidden: true});
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute("aria-selected", String(n === i)); });
      if (i >= 0 && list.children[i]) input.setAttribute("aria-activedescendant", list.children[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function pick(person) { close(); input.value = ""; onPick(person); }
    function show(items, note) {
      shown = items.slice(0, SHOWN);
      clear(list);
      shown.forEach(function (u, i) {
        list.appendChild(el("li", {role: "option", id: listId + "-" + i, "aria-selected": "false",
          onmousedown: function (event) { event.preventDefault(); pick(u); }}, avatar(u), " ", el("span", {class: "summary"}, u.display_name)));
      });
      if (note) list.appendChild(el("li", {class: "muted small picker-more", role: "presentation"}, note));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(shown.length === 1 ? 0 : -1);
    }
    var search = TG.debounce(function () {
      var query = input.value.trim();
      if (!query) { close(); return; }
      var mine = ++asked;
      show([], "Searching…");
      TG.request("GET", P.batchPath("plan/users?query=" + encodeURIComponent(query))).then(function (body) {
        if (mine !== asked || document.activeElement !== input) return;
        show(body.users, body.users.length ? (body.users.length > SHOWN ? "More people match: type more of the name." : null)
          : "Nobody who can be assigned issues in this project matches “" + query + "”.");
      }).catch(function (error) { if (mine === asked) show([], error.message); });
    }, 250);
    input.addEventListener("input", search);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && shown.length) {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(active === -1 ? (step > 0 ? 0 : shown.length - 1) : (active + step + shown.length) % shown.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!list.hidden && active >= 0 && shown[active]) pick(shown[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    return el("div", {class: "field picker person-picker"}, el("label", {for: id, class: options.hideLabel ? "sr-only" : null}, labelText), input, list);
  }

  /* One PATCH of the plan; `notice` shows what went wrong, where the change was made. */
  function save(changes, notice, done) {
    clear(notice);
    return TG.request("PATCH", P.batchPath("plan"), changes).then(function (body) {
      state.plan = body;
      Object.keys(changes.categories || {}).forEach(function (key) { var d = P.draftByKey(key); if (d) d.category = changes.categories[key]; });
      Object.keys(changes.points || {}).forEach(function (key) {
        var d = P.draftByKey(key);
        if (d) d.estimate = Object.assign({}, d.estimate || {}, {points: changes.points[key]});
      });
      if (done) done(body);
      keepFocus(function () { renderPlan(); P.renderDrafts(); });
      return P.refresh({});
    }).catch(function (error) {
      keepFocus(function () { renderPlan(); P.renderDrafts(); });
      notice.appendChild(TG.message("error", "Not saved.", el("p", null, error.message)));
    });
  }

  /* Redraws keep the person where they were: the focused control (found again by its id) keeps the focus,
     and a half-typed search carries on. */
  function keepFocus(draw) {
    var active = document.activeElement, id = active && active.id, typed = active && active.getAttribute("role") === "combobox" ? active.value : "";
    draw();
    var again = id ? document.getElementById(id) : null;
    if (!again || again === active) return;
    again.focus({preventScroll: true});
    if (typed) { again.value = typed; again.dispatchEvent(new Event("input")); }
  }

  function personJson(u) { return {account_id: u.account_id, display_name: u.display_name, avatar_url: u.avatar_url || ""}; }

  function renderPlan() { keepFocus(drawPlan); }

  function drawPlan() {
    var card = $("plan-card");
    card.hidden = !state.drafts.length;
    if (card.hidden) return;
    var box = clear($("plan"));
    if (state.planError) { box.appendChild(TG.message("error", "The plan could not be loaded.", el("p", null, state.planError))); return; }
    if (!state.plan) return;
    var plan = state.plan.plan, editable = planEditable();
    var notice = $("plan-notice");
    if (!editable) box.appendChild(el("p", {class: "muted", id: "plan-read-only"}, "The plan is read only: the issues are being created or exist."));
    if (P.batchStatus() === "awaiting_approval") box.appendChild(TG.message("info", null, el("p", null, "Changing the plan withdraws the approval request: submit the batch again afterwards.")));

    var byCategory = {};
    state.plan.totals.categories.forEach(function (c) { byCategory[c.category] = c; });
    var rows = state.plan.categories.map(function (category) {
      var person = plan.people[category], slug = category.toLowerCase().replace(/\W+/g, "-");
      var t = byCategory[category] || {count: 0, points: 0};
      return el("tr", {"data-category": category},
        el("th", {scope: "row"}, category),
        el("td", null, el("div", {class: "person-cell"},
          el("span", {class: "person"}, avatar(person), " ", el("span", {class: person ? "" : "muted"}, nameOf(person))),
          editable ? personPicker("plan-person-" + slug, "Person for " + category, function (u) {
            var change = {}; change[category] = personJson(u);
            save({people: change}, notice);
          }, {hideLabel: true, placeholder: person ? "Change: search by name" : "Assign: search by name"}) : null,
          editable && person ? el("button", {type: "button", class: "btn subtle small", "aria-label": "Leave " + category + " unassigned",
            onclick: function () { var change = {}; change[category] = null; save({people: change}, notice); }}, "Clear") : null)),
        el("td", {class: "num"}, String(t.count)), el("td", {class: "num"}, String(t.points)));
    });
    box.appendChild(el("h3", {id: "plan-people-title"}, "Who builds what"));
    box.appendChild(el("div", {class: "table-wrap plan-wrap"}, el("table", {class: "data", id: "plan-people", "aria-labelledby": "plan-people-title"},
      el("thead", null, el("tr", null, el("th", {scope: "col"}, "Category"), el("th", {scope: "col"}, "Person"),
        el("th", {scope: "col", class: "num"}, "Tickets"), el("th", {scope: "col", class: "num"}, "Points"))),
      el("tbody", null, rows))));
    box.appendChild(el("p", {class: "muted small"}, "Every ticket of a category goes to its person, unless a draft below names someone else. Only people who can be assigned issues in " + TG.ctx.projectKey + " are offered."));

    box.appendChild(sprintField(plan, editable, notice));

    box.appendChild(el("h3", {id: "plan-totals-title"}, "Totals per person"));
    box.appendChild(el("div", {class: "table-wrap plan-wrap"}, el("table", {class: "data", id: "plan-totals", "aria-labelledby": "plan-totals-title"},
      el("thead", null, el("tr", null, el("th", {scope: "col"}, "Person"), el("th", {scope: "col", class: "num"}, "Tickets"), el("th", {scope: "col", class: "num"}, "Points"))),
      el("tbody", null, state.plan.totals.people.map(function (p) {
        var person = p.account_id ? p : null;
        return el("tr", {"data-account": p.account_id},
          el("td", null, el("span", {class: "person"}, avatar(person), " ", el("span", {class: person ? "" : "muted"}, nameOf(person)))),
          el("td", {class: "num"}, String(p.count)), el("td", {class: "num"}, String(p.points)));
      })))));
  }

  function sprintField(plan, editable, notice) {
    var sprints = state.sprints || {boards: []};
    var wrap = el("div", {class: "field", id: "plan-sprint-field"});
    if (sprints.error) {
      wrap.appendChild(TG.message("warning", "The project's sprints could not be read.", el("p", null, sprints.error)));
      return wrap;
    }
    var scrum = sprints.boards.filter(function (b) { return b.sprints.length; });
    if (!scrum.length) {
      wrap.appendChild(el("p", {class: "muted", id: "plan-no-board"}, sprints.boards.length
        ? "The project's boards have no open sprint: the issues go to the backlog."
        : "Project " + TG.ctx.projectKey + " has no board: the issues go to the backlog."));
      return wrap;
    }
    var chosen = plan.sprint ? String(plan.sprint.id) : "";
    var select = el("select", {id: "plan-sprint", disabled: !editable, onchange: function () {
      var id = select.value;
      var found = null;
      scrum.forEach(function (b) { b.sprints.forEach(function (s) { if (String(s.id) === id) found = s; }); });
      save({sprint: found ? {id: found.id, name: found.name} : null}, notice);
    }}, el("option", {value: ""}, "Backlog (no sprint)"), scrum.map(function (b) {
      return el("optgroup", {label: b.name}, b.sprints.map(function (s) {
        return el("option", {value: String(s.id), selected: String(s.id) === chosen}, s.name + (s.state === "active" ? " (active)" : " (future)"));
      }));
    }));
    wrap.appendChild(el("label", {for: "plan-sprint"}, "Sprint"));
    wrap.appendChild(select);
    wrap.appendChild(el("p", {class: "help"}, "Every issue goes into this sprint of the project's board, or stays in the backlog."));
    return wrap;
  }

  // ---- on the drafts list: each draft's category, points and assignee, and bulk edit ---------------------

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
  P.loadPlan = loadPlan;
  P.renderPlan = renderPlan;
  P.renderBulk = renderBulk;
  P.draftControls = draftControls;
  P.bulkSelectBox = selectBox;
  P.planAvatar = avatar;
})();
