/* The Plan step (issue 16): who builds each work category, the sprint, totals per person and per category.
   Every change (here or on the drafts list, panel-bulk.js) is a PATCH of the batch's plan; the server's
   answer (plan and totals) is what is shown afterwards. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel, state = P.state, $ = P.$;
  var avatar = P.avatar, nameOf = P.personName, personPicker = P.personPicker, personJson = P.personJson;

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

  P.loadPlan = loadPlan;
  P.planEditable = planEditable;
  P.personOf = personOf;
  P.renderPlan = renderPlan;
  P.savePlan = save;
})();
