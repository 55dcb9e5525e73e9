/* The long runs: generating drafts, then submitting or creating the issues and following the export. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  // ---- drafting ---------------------------------------------------------------------------------------

  function usageLine(batch) {
    var usage = batch.usage || {};
    if (!batch.writer) return null;
    if (batch.writer === "template" || !usage.requests) {
      return el("p", {class: "muted"}, "Written by the template writer (no LLM): stories and criteria come from the configuration.");
    }
    var tokens = (usage.input_tokens || 0) + (usage.output_tokens || 0);
    return el("p", {class: "muted"}, "Written by the LLM (" + batch.writer + "): " + usage.requests + " requests, " +
      tokens.toLocaleString() + " tokens (" + (usage.cache_read_tokens || 0).toLocaleString() + " from cache), about $" +
      Number(usage.cost_usd || 0).toFixed(2) + ".");
  }

  function renderDrafting() {
    var box = clear($("drafting"));
    var status = state.status, batch = status.batch, run = status.draft_run, s = batch.status;
    var running = s === "drafting" || (run && !run.finished);
    if (running) {
      var bar = TG.progressBar("Drafting progress");
      bar.set(run ? run.done : 0, run ? run.total : 0);
      box.appendChild(el("div", {class: "progress-block"},
        el("p", null, el("strong", null, run && run.total ? "Writing drafts: " + run.done + " of " + run.total : "Planning the tickets…"),
          run && run.message ? el("span", {class: "muted"}, " · " + run.message) : null),
        bar));
      box.appendChild(el("div", {class: "actions"},
        el("button", {type: "button", class: "btn", id: "cancel-drafting", disabled: !run || run.cancel_requested,
          onclick: function () { cancelRun(run); }}, run && run.cancel_requested ? "Cancelling…" : "Cancel")));
      return;
    }
    if (run && run.status === "failed") box.appendChild(TG.message("error", "The last drafting run failed.", el("p", null, run.message || "Try again.")));
    if (run && run.status === "cancelled") box.appendChild(TG.message("info", "Drafting was cancelled.", el("p", null, "Nothing was changed; generate the drafts again when ready.")));
    var errors = status.counts.errors;
    if (s === "invalid" || errors > 0) {
      box.appendChild(el("div", {id: "drafting-blocked"}, TG.message("error", "Drafting is disabled: the spec has " + P.plural(errors, "error") + ".",
        el("p", null, "Each error is listed under Findings with the file, row and how to fix it. Correct the spreadsheet and upload the files again as a new batch, or pick the right type for a misdetected file above."))));
      box.appendChild(el("button", {type: "button", class: "btn primary", disabled: true, "aria-describedby": "drafting-blocked"}, "Generate drafts"));
      return;
    }
    if (s === "validated") {
      box.appendChild(el("p", null, "The spec passed the check" + (status.counts.warnings ? " with " + P.plural(status.counts.warnings, "warning") + " (they do not block)" : "") +
        ". Generate one draft per configuration component, with its configuration table copied from the spec."));
      box.appendChild(el("button", {type: "button", class: "btn primary", id: "generate-drafts", onclick: generate}, "Generate drafts"));
      return;
    }
    if (status.counts.drafts > 0) {
      box.appendChild(el("p", null, P.plural(status.counts.drafts, "draft") + " generated, " + status.counts.included + " included in the export."));
      box.appendChild(usageLine(batch));
      if (s === "drafted" || s === "rejected") {
        box.appendChild(el("button", {type: "button", class: "btn subtle", onclick: function () {
          if (window.confirm("Generate the drafts again? Your edits to summaries, stories and criteria will be replaced.")) generate();
        }}, "Generate again"));
      }
    }
  }

  function generate() {
    TG.request("POST", P.batchPath("drafting")).then(function () { return P.refresh({}); }).catch(P.fail);
  }

  function cancelRun(run) {
    TG.request("POST", P.batchPath("runs/" + encodeURIComponent(run.id) + "/cancel")).then(function () {
      TG.flag("info", "Cancelling: the run stops after the current step.");
      return P.refresh({});
    }).catch(P.fail);
  }


  // ---- submit and export ------------------------------------------------------------------------------

  function renderExport() {
    var card = $("export-card"), box = clear($("export"));
    var status = state.status, s = status.batch.status, batch = status.batch;
    card.hidden = status.counts.drafts === 0 || s === "drafting";
    if (card.hidden) return;
    var n = status.counts.included;
    if (s === "rejected") {
      box.appendChild(TG.message("error", "The drafts were rejected" + (batch.rejected_by ? " by " + batch.rejected_by : "") + ".",
        el("p", null, "Reason: " + (batch.reject_reason || "none given") + ". Edit the drafts and submit them again.")));
    }
    if (s === "drafted" || s === "rejected") {
      if (ctx.approvalRequired) {
        box.appendChild(el("p", null, ctx.slackChannel
          ? "The drafts go to the Slack channel set by your Jira admin; an approver approves them there, and the " + P.plural(n, "issue") + " are then created in " + ctx.projectKey + "."
          : "Your Jira admin requires an approval before issues are created."));
        if (!ctx.slackChannel) box.appendChild(TG.message("warning", "No Slack channel is configured.", el("p", null, "Until a Jira admin sets one on the app's settings page, a Jira admin approves or rejects the request here, in this panel.")));
        box.appendChild(el("button", {type: "button", class: "btn primary", id: "submit-batch", disabled: n === 0, onclick: submit}, "Submit for approval"));
      } else {
        box.appendChild(el("p", null, "Creates " + P.plural(n, "issue") + " in project " + ctx.projectKey + ", in dependency order, with Blocks links between them. Excluded drafts are left out."));
        box.appendChild(el("button", {type: "button", class: "btn primary", id: "create-issues", disabled: n === 0, onclick: submit}, "Create " + P.plural(n, "issue")));
      }
      if (n === 0) box.appendChild(el("p", {class: "muted"}, "Include at least one draft to continue."));
      return;
    }
    if (s === "awaiting_approval" && !ctx.slackChannel) {
      renderPanelDecision(box, batch);
      return;
    }
    if (s === "awaiting_approval") {
      box.appendChild(TG.message("info", "Waiting for approval in Slack.", el("p", null,
        "Submitted" + (batch.submitted_by ? " by " + batch.submitted_by : "") + (batch.submitted_at ? " on " + new Date(batch.submitted_at).toLocaleString() : "") +
        ". Editing a draft withdraws the request.")));
      box.appendChild(el("button", {type: "button", class: "btn", id: "withdraw-request", onclick: withdraw}, "Withdraw the request"));
      return;
    }
    if (s === "cancelled") { box.appendChild(TG.message("info", "This batch was cancelled.")); return; }
    renderExportProgress(box);
  }

  // This batch's issues only, by the property each carries (the project may hold other batches' issues).
  function batchJql() {
    return "project = " + ctx.projectKey + ' AND issue.property[ticketgen].batchId = "' + state.batchId + '" ORDER BY key ASC';
  }

  function renderExportProgress(box) {
    var info = state.exportInfo, s = P.batchStatus();
    var run = info && info.run, issues = info ? info.issues : [];
    var created = issues.filter(function (i) { return i.issue_key; });
    if (s === "approved" || s === "exporting") {
      var bar = TG.progressBar("Export progress");
      var total = (run && run.total) || issues.length;
      bar.set(created.length, total);
      box.appendChild(el("div", {class: "progress-block"},
        el("p", null, el("strong", null, "Creating issues: " + created.length + " of " + total), run && run.message ? el("span", {class: "muted"}, " · " + run.message) : null), bar));
      if (run && !run.finished) {
        box.appendChild(el("button", {type: "button", class: "btn", id: "cancel-export", disabled: run.cancel_requested,
          onclick: function () { cancelRun(run); }}, run.cancel_requested ? "Stopping…" : "Stop the export"));
      }
    }
    if (s === "exported") {
      box.appendChild(TG.message("success", P.plural(created.length, "issue") + " created in " + ctx.projectKey + ".",
        el("p", null, el("a", {href: ctx.jiraBaseUrl + "/issues/?jql=" + encodeURIComponent(batchJql()), target: "_top"}, "Open them in Jira"))));
    }
    if (s === "export_failed") {
      box.appendChild(TG.message("error", "The export stopped before every issue was created.",
        el("p", null, (run && run.message) || "Jira refused or could not be reached.", " ", created.length + " of " + issues.length + " issues exist; resuming creates only the missing ones."))) ;
      box.appendChild(el("button", {type: "button", class: "btn primary", id: "resume-export", onclick: resumeExport}, "Resume the export"));
    }
    var failed = issues.filter(function (i) { return i.state === "failed"; });
    if (failed.length) {
      box.appendChild(el("h4", null, "Not created"));
      box.appendChild(el("ul", null, failed.map(function (i) { return el("li", null, i.summary + ": " + (i.error || "failed")); })));
    }
    if (created.length) {
      box.appendChild(el("h4", null, "Created issues"));
      box.appendChild(el("ul", {class: "issues-list", id: "created-issues"}, created.map(function (i) {
        return el("li", null, el("a", {href: i.url, target: "_blank", rel: "noopener"}, i.issue_key), " ", el("span", {class: "small"}, i.summary));
      })));
    }
  }

  function submit() {
    var button = this;
    button.disabled = true;
    TG.request("POST", P.batchPath("submit")).then(function (outcome) {
      TG.flag("success", outcome.status === "awaiting_approval" ? "Submitted for approval." : "Creating the issues…");
      return P.refresh({drafts: true});
    }).catch(function (error) { button.disabled = false; P.fail(error); });
  }

  // No Slack channel: a Jira admin decides here, so the request never waits on a Slack nobody reads.
  function renderPanelDecision(box, batch) {
    box.appendChild(TG.message("info", "Waiting for approval.", el("p", null,
      "Submitted" + (batch.submitted_by ? " by " + batch.submitted_by : "") + ". No Slack channel is configured, so a Jira admin approves or rejects here.")));
    var reason = el("input", {type: "text", id: "reject-reason", class: "text", maxlength: "500", "aria-label": "Reason for rejecting"});
    box.appendChild(el("p", null,
      el("button", {type: "button", class: "btn primary", id: "approve-batch", onclick: function () { decide(this, {decision: "approve", revision: batch.revision}); }}, "Approve and create the issues"), " ",
      el("button", {type: "button", class: "btn", id: "withdraw-request", onclick: withdraw}, "Withdraw the request")));
    box.appendChild(el("p", null, el("label", {for: "reject-reason"}, "Reason for rejecting "), reason, " ",
      el("button", {type: "button", class: "btn", id: "reject-batch", onclick: function () {
        if (!reason.value.trim()) { TG.flag("error", "Give a reason for rejecting."); reason.focus(); return; }
        decide(this, {decision: "reject", reason: reason.value.trim()});
      }}, "Reject")));
  }

  function decide(button, body) {
    button.disabled = true;
    TG.request("POST", P.batchPath("decision"), body).then(function (outcome) {
      TG.flag("success", outcome.status === "approved" ? "Approved: creating the issues…" : "Rejected; the drafts can be edited again.");
      return P.refresh({drafts: true});
    }).catch(function (error) { button.disabled = false; P.fail(error); });
  }

  function withdraw() {
    var button = this;
    button.disabled = true;
    TG.request("POST", P.batchPath("withdraw")).then(function () {
      TG.flag("success", "The request is withdrawn; the drafts can be edited and submitted again.");
      return P.refresh({});
    }).catch(function (error) { button.disabled = false; P.fail(error); });
  }

  function resumeExport() {
    TG.request("POST", P.batchPath("export")).then(function () { return P.refresh({}); }).catch(P.fail);
  }


  P.renderDrafting = renderDrafting;
  P.renderExport = renderExport;
})();
