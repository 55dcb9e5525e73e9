/* The drafts: grouped by kind, searchable, included or excluded, and the dependency graph. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  // ---- drafts -----------------------------------------------------------------------------------------

  function editable() { return P.EDITABLE.indexOf(P.batchStatus()) !== -1; }

  function draftByKey(key) { return state.drafts.filter(function (d) { return d.key === key; })[0]; }

  function renderDrafts() {
    var card = $("drafts-card");
    card.hidden = state.drafts.length === 0;
    if (card.hidden) return;
    var included = state.drafts.filter(function (d) { return d.included; }).length;
    $("drafts-count").textContent = P.plural(state.drafts.length, "draft") + " · " + included + " included";
    var groups = clear($("draft-groups"));
    var query = $("draft-search").value.trim().toLowerCase();
    var undecided = $("needs-decision-only").checked;
    var needing = state.drafts.filter(function (d) { return d.question_count > 0; }).length;
    $("needs-decision-count").textContent = needing ? "(" + needing + ")" : "(none)";
    var kinds = P.KIND_ORDER.concat(state.drafts.map(function (d) { return d.kind; }).filter(function (k) { return P.KIND_ORDER.indexOf(k) === -1; }));
    kinds.forEach(function (kind) {
      var all = state.drafts.filter(function (d) { return d.kind === kind; });
      if (!all.length) return;
      var matching = all.filter(function (d) {
        return (!undecided || d.question_count > 0) &&
          (!query || (d.summary + " " + d.key + " " + (d.user_story || "")).toLowerCase().indexOf(query) !== -1);
      });
      if (!matching.length) return;
      var filtered = !!query || undecided;
      var undecidedHere = all.filter(function (d) { return d.question_count > 0; }).length;
      var details = el("details", {class: "kind-group", "data-kind": kind, open: filtered || !!state.open["kind:" + kind]},
        el("summary", null, (P.KIND_LABELS[kind] || P.typeLabel(kind)) + " ",
          el("span", {class: "count"}, filtered ? "(" + matching.length + " of " + all.length + ")" : "(" + all.length + ")"),
          undecidedHere && !undecided ? el("span", {class: "count"}, " · " + undecidedHere + " need" + (undecidedHere === 1 ? "s" : "") + " a decision") : null));
      details.addEventListener("toggle", function () { state.open["kind:" + kind] = details.open; });
      matching.forEach(function (d) { details.appendChild(draftRow(d)); });
      groups.appendChild(details);
    });
    if (!groups.firstChild) {
      groups.appendChild(el("p", {class: "muted"}, query ? "No draft " + (undecided ? "that needs a decision " : "") + "matches “" + query + "”." :
        "No draft needs a decision: the spec review found nothing to ask about these tickets."));
    }
    P.renderBulk();
  }

  function draftRow(d) {
    var wrap = el("div", {class: "draft" + (d.included ? "" : " excluded"), "data-key": d.key});
    var bodyId = "draft-body-" + d.position;
    var toggle = el("button", {type: "button", class: "toggle", "aria-expanded": state.open[d.key] ? "true" : "false", "aria-controls": bodyId,
      onclick: function () { state.open[d.key] = !state.open[d.key]; toggle.setAttribute("aria-expanded", String(!!state.open[d.key])); showBody(); }},
      el("span", {class: "title"}, d.summary), el("span", {class: "key"}, d.key));
    var include = el("input", {type: "checkbox", title: "Included in the export", checked: d.included, disabled: !editable(), "aria-label": "Include “" + d.summary + "” in the export",
      onchange: function () { setIncluded(d, include.checked, wrap); }});
    var badges = [];
    if ((d.labels || []).indexOf("on-hold") !== -1) badges.push(TG.lozenge("moved", "on hold"));
    if (d.question_count) {
      var badge = TG.lozenge("moved", "needs decision (" + d.question_count + ")");
      badge.classList.add("needs-decision");
      badge.title = P.plural(d.question_count, "open question") + " from the spec review";
      badges.push(badge);
    }
    if (d.writer === "fallback") badges.push(TG.lozenge("moved", "template fallback"));
    if (d.depends_on && d.depends_on.length) badges.push(el("span", {class: "muted small"}, "blocked by " + d.depends_on.length));
    wrap.appendChild(el("div", {class: "draft-head"}, P.bulkSelectBox(d), include, toggle, badges, P.draftControls(d)));
    var body = el("div", {class: "draft-body", id: bodyId, hidden: true});
    wrap.appendChild(body);
    function showBody() {
      body.hidden = !state.open[d.key];
      if (!body.hidden && !body.firstChild) fillBody(d, body);
    }
    showBody();
    return wrap;
  }

  function setIncluded(d, included, wrap) {
    TG.request("PATCH", P.batchPath("drafts/" + encodeURIComponent(d.key)), {included: included}).then(function (b) {
      d.included = b.draft.included;
      wrap.classList.toggle("excluded", !d.included);
      return TG.request("GET", P.batchPath());
    }).then(function (status) {
      state.status = status;
      P.renderSummary();
      P.renderDrafting();
      P.renderExport();
      $("drafts-count").textContent = P.plural(state.drafts.length, "draft") + " · " + status.counts.included + " included";
    }).catch(function (error) { P.fail(error); P.refresh({drafts: true}); });
  }

  function fillBody(d, body) {
    body.appendChild(el("p", {class: "muted"}, "Loading the draft…"));
    Promise.all([TG.request("GET", P.batchPath("drafts/" + encodeURIComponent(d.key))),
      TG.request("GET", P.batchPath("drafts/" + encodeURIComponent(d.key) + "/preview"))]).then(function (r) {
      clear(body);
      var preview = el("div", {class: "preview", "aria-label": "Preview of " + d.key + " as Jira will show it", role: "region"});
      var questions = P.questionsPanel(r[0].draft);
      if (questions) body.appendChild(questions);
      body.appendChild(P.editor(r[0].draft, preview));
      body.appendChild(el("div", null, el("h3", null, "As Jira will show it"), preview));
      showPreview(preview, r[1]);
    }).catch(function (error) { clear(body).appendChild(TG.message("error", "The draft could not be loaded.", el("p", null, error.message))); });
  }

  function showPreview(box, data) {
    clear(box).appendChild(TG.renderAdf(data.adf));
    if (data.attachment) box.insertBefore(TG.message("info", "This description is long: the full content goes to Jira as the attachment " + data.attachment.name + "."), box.firstChild);
  }


  function drawGraph() {
    var detail = $("graph-detail");
    var show = function (text) { detail.textContent = text || "Point at a ticket, or Tab into the graph, to see its full summary."; };
    clear($("graph-wrap")).appendChild(TG.drawGraph(state.drafts, state.deps, P.KIND_LABELS, {onOpen: openDraft, onShow: show}));
    show("");
  }

  /* Show one draft opened in the list (its group open, a search that hides it cleared) and move there. */
  function openDraft(key) {
    var d = draftByKey(key);
    if (!d) return;
    state.open[key] = true;
    state.open["kind:" + d.kind] = true;
    var selector = '.draft[data-key="' + CSS.escape(key) + '"]';
    renderDrafts();
    if (!document.querySelector(selector)) {
      $("draft-search").value = "";
      $("needs-decision-only").checked = false;
      renderDrafts();
    }
    var row = document.querySelector(selector);
    if (!row) return;
    row.closest("details").open = true;
    row.scrollIntoView({block: "start"});
    row.querySelector("button.toggle").focus({preventScroll: true});
  }

  function setupDrafts() {
    $("draft-search").addEventListener("input", TG.debounce(renderDrafts, 200));
    $("needs-decision-only").addEventListener("change", renderDrafts);
    $("graph-toggle").addEventListener("click", function () {
      var show = $("graph").hidden;
      $("graph").hidden = !show;
      this.setAttribute("aria-expanded", String(show));
      this.textContent = show ? "Hide the dependency graph" : "Show the dependency graph";
      if (show) drawGraph();
    });
    $("expand-all").addEventListener("click", function () {
      var details = document.querySelectorAll(".kind-group");
      var open = Array.prototype.some.call(details, function (d) { return !d.open; });
      Array.prototype.forEach.call(details, function (d) { d.open = open; });
      this.textContent = open ? "Close all groups" : "Open all groups";
    });
  }


  P.draftByKey = draftByKey;
  P.drawGraph = drawGraph;
  P.openDraft = openDraft;
  P.editable = editable;
  P.renderDrafts = renderDrafts;
  P.setupDrafts = setupDrafts;
  P.showPreview = showPreview;
})();
