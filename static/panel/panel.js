/* The project panel: upload → check → drafts → issues. All state comes from the server; the only thing
   kept in the browser is which batch was open last (a hint, checked against the server's list). */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  // ---- batches ----------------------------------------------------------------------------------------

  function start() {
    TG.request("GET", "batches").then(function (body) {
      state.batches = body.batches;
      var hint = null;
      try { hint = window.localStorage.getItem(P.HINT_KEY); } catch (e) { hint = null; }
      var current = state.batches.filter(function (b) { return b.id === hint; })[0] || state.batches[0];
      renderBatchList();
      if (current) openBatch(current.id); else P.showUpload(true);
    }).catch(function (error) {
      $("page-notice").appendChild(TG.message("error", "The panel could not load.", el("p", null, error.message)));
    });
    if (window.AP && window.AP.sizeToParent) window.AP.sizeToParent();
  }

  function renderBatchList() {
    var list = clear($("batch-list"));
    $("batches-card").hidden = state.batches.length === 0;
    state.batches.forEach(function (b) {
      var current = b.id === state.batchId;
      list.appendChild(el("li", {"aria-current": current ? "true" : null},
        el("span", {class: "grow"}, b.name, el("br"), el("span", {class: "muted small"}, "Uploaded " + new Date(b.created_at).toLocaleString())),
        TG.lozenge(b.status),
        current ? el("span", {class: "muted small"}, "Open") :
          el("button", {type: "button", class: "btn small", "aria-label": "Open batch " + b.name, onclick: function () { openBatch(b.id); }}, "Open")));
    });
  }

  function openBatch(id) {
    stopPolling();
    state.batchId = id;
    state.open = {};
    state.drafts = [];
    state.deps = [];
    state.exportInfo = null;
    state.review = null;
    state.plan = null;
    P.clearSelection();
    clear($("files-notice"));
    try { window.localStorage.setItem(P.HINT_KEY, id); } catch (e) { /* private mode: the server's list decides */ }
    P.showUpload(false);
    $("batch").hidden = false;
    return refresh({files: true, drafts: true}).then(reloadBatches);
  }

  /* Every batch's badge as the server has it now: jobs, Slack and colleagues change them meanwhile. */
  function reloadBatches() {
    return TG.request("GET", "batches").then(function (body) { state.batches = body.batches; })
      .catch(function () { /* the list keeps what it had; the open batch still shows its own status */ })
      .then(renderBatchList);
  }

  /* Reload what the batch's state says is relevant; `what` picks the heavier lists. */
  function refresh(what) {
    what = what || {};
    return TG.request("GET", P.batchPath()).then(function (status) {
      state.status = status;
      syncListed(status.batch);
      var jobs = [];
      if (what.files) {
        jobs.push(TG.request("GET", P.batchPath("files")).then(function (b) { state.files = b.files; state.types = b.types; }));
        jobs.push(P.allPages(P.batchPath("findings"), "findings").then(function (items) { state.findings = items; }));
        jobs.push(P.loadReview());
      }
      var ready = status.counts.drafts > 0 && status.batch.status !== "drafting";
      if (ready && (what.drafts || !state.drafts.length)) { what.drafts = true; jobs.push(loadDrafts()); }
      if (!ready && state.drafts.length) { what.drafts = true; state.drafts = []; }
      if (ready && (what.drafts || what.plan || !state.plan)) jobs.push(P.loadPlan());
      if (P.EXPORT_STATES.indexOf(status.batch.status) !== -1 || status.export_run) jobs.push(loadExport());
      return Promise.all(jobs);
    }).then(function () {
      render(what);
      schedulePoll();
    }).catch(P.fail);
  }

  /* The batch list shows each batch's status: the open one's must follow it (not the page load's). */
  function syncListed(batch) {
    var listed = state.batches.filter(function (b) { return b.id === batch.id; })[0];
    if (!listed || listed.status === batch.status) return;
    listed.status = batch.status;
    renderBatchList();
  }

  function loadDrafts() {
    return Promise.all([P.allPages(P.batchPath("drafts"), "drafts"), TG.request("GET", P.batchPath("dependencies"))])
      .then(function (r) { state.drafts = r[0]; state.deps = r[1].dependencies; });
  }

  function loadExport() {
    return TG.request("GET", P.batchPath("export")).then(function (b) { state.exportInfo = b; });
  }

  function schedulePoll() {
    stopPolling();
    var s = P.batchStatus();
    var run = state.status.draft_run;
    var drafting = s === "drafting" || (run && !run.finished);
    var exporting = s === "approved" || s === "exporting";
    if (!drafting && !exporting) return;
    state.pollTimer = setTimeout(function () {
      var wasDrafting = drafting;
      TG.request("GET", P.batchPath()).then(function (status) {
        state.status = status;
        syncListed(status.batch);
        var done = wasDrafting && status.batch.status !== "drafting" && (!status.draft_run || status.draft_run.finished);
        if (done) return refresh({drafts: true});
        // the export ended, or refused before sending anything: the plan and drafts are editable again
        if (exporting && ["approved", "exporting"].indexOf(status.batch.status) === -1) return refresh({drafts: true});
        if (exporting) return loadExport().then(function () { renderSummary(); P.renderExport(); schedulePoll(); });
        renderSummary();
        P.renderDrafting();
        schedulePoll();
      }).catch(function (error) { P.fail(error); schedulePoll(); });
    }, 1000);
  }

  function stopPolling() { if (state.pollTimer) clearTimeout(state.pollTimer); state.pollTimer = null; }

  // ---- rendering --------------------------------------------------------------------------------------

  function render(what) {
    renderSummary();
    P.renderFiles(); // its menus and Remove buttons follow the status, whichever lists were reloaded
    if (what.files) { P.renderFindingFilters(); P.renderFindings(); P.renderReview(); }
    P.renderDrafting();
    if (what.drafts) { P.renderDrafts(); if (!$("graph").hidden) P.drawGraph(); }
    P.renderPlan();
    P.renderExport();
  }

  function renderSummary() {
    var batch = state.status.batch, counts = state.status.counts;
    $("batch-title").textContent = batch.name;
    clear($("batch-status")).appendChild(TG.lozenge(batch.status));
    $("batch-meta").textContent = "Uploaded " + new Date(batch.created_at).toLocaleString();
    var stats = clear($("batch-stats"));
    [["Files", counts.files], ["Errors", counts.errors], ["Warnings", counts.warnings], ["Drafts", counts.drafts],
      ["Included", counts.included]].concat(counts.drafts ? [["Need a decision", counts.needs_decision || 0]] : []).forEach(function (pair) {
      stats.appendChild(el("div", null, el("strong", null, String(pair[1])), el("span", {class: "muted"}, pair[0])));
    });
    $("new-upload").hidden = false;
    var step = "check";
    if (counts.drafts > 0) step = state.plan && isPlanned(state.plan.plan) ? "plan" : "review";
    if (["awaiting_approval", "approved", "exporting", "exported", "export_failed"].indexOf(batch.status) !== -1) step = "create";
    P.markSteps(step, batch.status === "exported", step === "review" ? "plan" : step);
  }

  function isPlanned(plan) { return Object.keys(plan.people).length > 0 || Object.keys(plan.overrides).length > 0 || !!plan.sprint; }


  P.refresh = refresh;
  P.renderBatchList = renderBatchList;
  P.reloadBatches = reloadBatches;
  P.renderSummary = renderSummary;
  P.loadDrafts = loadDrafts;
  P.openBatch = openBatch;

  P.setupUpload();
  P.setupFindings();
  P.setupFiles();
  P.setupReview();
  P.setupDrafts();
  P.setupSteps();
  start();
})();
