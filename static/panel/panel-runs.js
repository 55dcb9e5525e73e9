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
        el("p", null, "Each error is listed under Findings with the file, row and how to fix it. Correct the spreadsheet and pick the corrected file with Add or replace files above (it replaces the file of the same name), or pick the right type for a misdetected file."))));
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
          TG.confirm({title: "Generate the drafts again?", confirm: "Generate again", kind: "warning",
            body: el("p", null, "Your edits to summaries, stories and criteria are replaced by newly generated drafts.")})
            .then(function (yes) { if (yes) generate(); });
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
      box.appendChild(TG.message("error", "The drafts were rejected" + (batch.rejected_by ? " by " + P.person(batch.rejected_by) : "") + ".",
        el("p", null, "Reason: " + (batch.reject_reason || "none given") + ". Edit the drafts and submit them again.")));
    }
    var refused = status.export_run;
    if (s === "drafted" && refused && refused.status === "failed" && refused.message) {
      // the export refused before sending anything (e.g. an assignee who cannot be assigned): the plan fixes it
      box.appendChild(TG.message("error", "The issues were not created.", el("div", null,
        el("p", {id: "export-refused-why"}, refused.message),
        el("p", null, el("button", {type: "button", class: "btn link", onclick: function () {
          $("plan-card").scrollIntoView({block: "start"}); $("plan-title").setAttribute("tabindex", "-1"); $("plan-title").focus({preventScroll: true});
        }}, "Change the plan")))));
    }
    if (s === "drafted" || s === "rejected") {
      if (state.resync && state.resync.batchId === state.batchId) { P.renderResync(box); return; }
      var found = state.existingFound;
      if (found && found.batchId === state.batchId) { renderExisting(box, found.existing, n); return; }
      if (batch.existing_issues === "resync") {
        box.appendChild(el("p", null, "A re-sync plan was made for this batch. ", el("button", {type: "button", class: "btn link", id: "resync-open",
          onclick: function () { P.openResync(this); }}, "Review the re-sync plan")));
      }
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
      box.appendChild(TG.message("info", "Waiting for approval in Slack.", el("div", null, el("p", null,
        "Submitted" + (batch.submitted_by ? " by " + P.person(batch.submitted_by) : "") + (batch.submitted_at ? " on " + new Date(batch.submitted_at).toLocaleString() : "") +
        ". Editing a draft withdraws the request."), chosenMode(batch))));
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
    var kept = issues.filter(function (i) { return i.state === "kept"; }).length;
    var updated = issues.filter(function (i) { return i.state === "updated" || i.state === "update"; }).length;
    if (s === "exported") {
      var made = created.length - kept - updated;
      box.appendChild(TG.message("success", P.plural(made, "issue") + " created in " + ctx.projectKey + ".", el("div", null,
        el("p", null, el("a", {href: ctx.jiraBaseUrl + "/issues/?jql=" + encodeURIComponent(batchJql()), target: "_top"}, "Open them in Jira")),
        kept || updated ? el("p", {id: "existing-outcome"}, "Of the issues an earlier batch created: " +
          (kept ? P.plural(kept, "issue") + " kept as they were" : "") + (kept && updated ? ", " : "") +
          (updated ? P.plural(updated, "issue") + " updated with these drafts" : "") + " (listed below, not in the search above).") : null)));
    }
    if (s === "export_failed") {
      box.appendChild(TG.message("error", "The export stopped before every issue was created.",
        // the run's message already says why and what exists: said once (issue 14, item 5)
        el("p", {id: "export-stopped-why"}, (run && run.message) || "Jira refused or could not be reached. " + created.length + " of " + issues.length + " issues exist; Resume creates only the missing ones.")));
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
        var note = {kept: " (existing, kept" + (i.error ? "; " + i.error : "") + ")", update: " (existing, to update)", updated: " (existing, updated)"}[i.state] || "";
        return el("li", null, el("a", {href: i.url, target: "_blank", rel: "noopener"}, i.issue_key), " ", el("span", {class: "small"}, i.summary + note));
      })));
    }
  }

  function submit() {
    var button = this;
    button.disabled = true;
    sendSubmit(null).catch(function (error) {
      button.disabled = false;
      if (error && error.code === "existing_issues" && error.details && error.details.existing) {
        state.existingFound = {batchId: state.batchId, existing: error.details.existing};
        renderExport();
        var heading = $("existing-warning");
        if (heading) heading.focus();
        return;
      }
      P.fail(error);
    });
  }

  function sendSubmit(mode) {
    return TG.request("POST", P.batchPath("submit"), mode ? {existing: mode} : undefined).then(function (outcome) {
      state.existingFound = null;
      TG.flag("success", outcome.status === "awaiting_approval" ? "Submitted for approval." : "Creating the issues…");
      return P.refresh({drafts: true});
    });
  }

  // Drafts an earlier batch already created in the project: nothing is submitted until the person picks
  // one of the three choices (none is preselected), each saying what it will do in Jira.
  var CHOICES = {
    only_new: function (k, m) { return (m > k ? "Creates the " + P.plural(m - k, "new draft") + " only, linked to the existing issues where the drafts depend on them." : "Creates nothing: every draft already exists.") + " The " + P.plural(k, "existing issue") + " stay exactly as they are."; },
    update: function (k, m) { return "Overwrites the summary and description of the " + P.plural(k, "existing issue") + " with these drafts (their status, comments, labels and links stay)" + (m > k ? ", and creates the " + P.plural(m - k, "new draft") + "." : "; nothing new is created."); },
    resync: function (k) { return "Shows, before anything is sent, what the revised spec changes in the " + P.plural(k, "existing issue") + ": edits, new issues, issues that left the spec (labelled, never deleted) and links. Issues a person edited in Jira wait for your choice."; },
    duplicate: function (k, m) { return "Creates all " + P.plural(m, "draft") + " as new issues: the project will then hold two issues for " + P.plural(k, "draft") + "."; }
  };

  function modeLabel(value) {
    var labels = {only_new: "create only the new ones", update: "update the existing issues", duplicate: "create anyway (duplicates)", resync: "re-sync them with the revised spec, as planned"};
    return labels[value] || value;
  }

  function renderExisting(box, existing, included) {
    var k = existing.count, m = existing.total || included, shown = existing.issues.slice(0, 12);
    var keys = el("p", {id: "existing-issues"}, shown.map(function (i, index) {
      return el("span", null, index ? ", " : "", el("a", {href: i.url, target: "_blank", rel: "noopener", title: i.summary}, i.issue_key));
    }), existing.issues.length > shown.length ? " and " + (existing.issues.length - shown.length) + " more" : null);
    box.appendChild(TG.message("warning", null, el("div", null,
      el("p", null, el("strong", {id: "existing-warning", tabindex: "-1"},
        k + " of " + m + " drafts already exist in " + existing.project_key + " as issues created by an earlier batch:")),
      keys,
      el("p", null, "Nothing has been sent to Jira. Choose what happens to these drafts."))));
    var submitLabel = ctx.approvalRequired ? "Submit for approval" : "Create the issues";
    var go = el("button", {type: "button", class: "btn primary", id: "submit-with-choice", disabled: true}, submitLabel);
    var choices = existing.modes.map(function (mode) {
      var id = "existing-" + mode.value;
      return el("div", {class: "choice"},
        el("input", {type: "radio", name: "existing-mode", id: id, value: mode.value, "aria-describedby": id + "-what",
          onchange: function () { go.disabled = false; go.textContent = mode.value === "resync" ? "Review what changed" : submitLabel; }}),
        el("label", {for: id}, el("strong", null, mode.label)),
        el("p", {class: "small muted", id: id + "-what"}, (CHOICES[mode.value] || function () { return ""; })(k, m)));
    });
    box.appendChild(el("fieldset", {class: "choices", id: "existing-choices"}, el("legend", null, "What should happen to the " + P.plural(k, "draft") + " already in Jira?"), choices));
    go.onclick = function () {
      var picked = box.querySelector('input[name="existing-mode"]:checked');
      if (!picked) { TG.flag("error", "Choose what happens to the drafts already in Jira."); return; }
      if (picked.value === "resync") { P.makeResync(go); return; }
      go.disabled = true;
      sendSubmit(picked.value).catch(function (error) { go.disabled = false; P.fail(error); });
    };
    box.appendChild(el("p", null, go, " ",
      el("button", {type: "button", class: "btn subtle", id: "existing-cancel", onclick: function () { state.existingFound = null; renderExport(); }}, "Cancel")));
  }

  function chosenMode(batch) {
    return batch.existing_issues ? el("p", {id: "existing-mode-chosen"}, "Drafts already in Jira: " + modeLabel(batch.existing_issues) + (batch.resync_headline ? ": " + batch.resync_headline : "") + ".") : null;
  }

  // No Slack channel: a Jira admin decides here, so the request never waits on a Slack nobody reads.
  function renderPanelDecision(box, batch) {
    box.appendChild(TG.message("info", "Waiting for approval.", el("div", null, el("p", null,
      "Submitted" + (batch.submitted_by ? " by " + P.person(batch.submitted_by) : "") + ". No Slack channel is configured, so a Jira admin approves or rejects here."), chosenMode(batch))));
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


  P.sendSubmit = sendSubmit;
  P.renderDrafting = renderDrafting;
  P.renderExport = renderExport;
})();
