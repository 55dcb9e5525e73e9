/* A batch's files after the upload: a corrected file replaces the one of the same name (and says so, with
   both sizes and the new check), files are added or removed (with Undo), the batch is deleted (with a
   confirm dialog). What discards drafts or deletes is always confirmed first. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel, state = P.state, $ = P.$;

  function batch() { return state.status.batch; }
  function drafts() { return state.status.counts.drafts; }
  function locks() { return batch().locks || {}; }

  /* The drafts go with the files they were made from: say how many before anything is lost. */
  function confirmDiscard(title, action) {
    if (!drafts()) return Promise.resolve(true);
    return TG.confirm({
      title: title, confirm: action, kind: "warning",
      body: el("p", null, "The " + P.plural(drafts(), "draft") + " of this batch were made from the old files. They are discarded, " +
        "with any edits and links you made, and you generate them again from the new files.")
    });
  }

  function sizeChange(r) {
    return r.name + ": " + TG.formatBytes(r.old_size) + " → " + TG.formatBytes(r.new_size) +
      (r.old_size === r.new_size ? " (same size, new content)" : "");
  }

  /* What the server did, kept on the page (not a passing flag): the person compares it with what they meant. */
  function showChange(body, title) {
    var check = body.check, lines = [];
    body.replaced.forEach(function (r) { lines.push("Replaced " + sizeChange(r) + "."); });
    if (body.added.length) lines.push("Added " + body.added.join(", ") + ".");
    if (body.removed.length) lines.push("Removed " + body.removed.join(", ") + ".");
    var verdict = check.status === "invalid"
      ? "the batch is invalid: fix the errors listed under Findings before drafting."
      : "the batch is valid; you can generate the drafts.";
    lines.push("Checked again: " + P.plural(check.errors, "error") + ", " + P.plural(check.warnings, "warning") + "; " + verdict);
    if (body.drafts_discarded) lines.push("The " + P.plural(body.drafts_discarded, "draft") + " made from the old files were discarded; generate them again.");
    var box = clear($("files-notice"));
    box.appendChild(TG.message(check.status === "invalid" ? "warning" : "success", title,
      el("ul", {id: "files-change"}, lines.map(function (l) { return el("li", null, l); }))));
    return afterChange();
  }

  function afterChange() {
    return P.refresh({files: true, drafts: true}).then(P.reloadBatches);
  }

  // ---- add or replace ---------------------------------------------------------------------------------

  function problems(list) {
    var out = [];
    list.forEach(function (f) {
      if (!/\.csv$/i.test(f.name)) out.push(f.name + " is not a .csv file; export the sheet as CSV.");
      if (f.size > P.LIMITS.fileBytes) out.push(f.name + " is " + TG.formatBytes(f.size) + "; a file can be at most 2 MB.");
    });
    return out;
  }

  function pickForBatch(fileList) {
    var list = Array.prototype.slice.call(fileList);
    if (!list.length) return;
    var wrong = problems(list);
    if (wrong.length) {
      clear($("files-notice")).appendChild(TG.message("error", "These files cannot be added:", el("ul", null, wrong.map(function (p) { return el("li", null, p); }))));
      return;
    }
    var names = state.files.map(function (f) { return f.name; });
    var replacing = list.filter(function (f) { return names.indexOf(f.name) !== -1; });
    var title = replacing.length ? "Replace " + replacing.map(function (f) { return f.name; }).join(", ") + "?" : "Add " + P.plural(list.length, "file") + "?";
    confirmDiscard(title, replacing.length ? "Replace and discard the drafts" : "Add and discard the drafts").then(function (yes) {
      if (!yes) return;
      var form = new FormData();
      list.forEach(function (f) { form.append("files", f, f.name); });
      sendFiles(form, replacing.length ? "Replaced " + P.plural(replacing.length, "file") : "Added " + P.plural(list.length, "file"));
    });
  }

  function sendFiles(form, title) {
    var button = $("replace-files");
    button.disabled = true;
    button.textContent = "Checking the files…";
    return TG.upload(P.batchPath("files"), form, function () {}).then(function (body) {
      return showChange(body, title);
    }).catch(function (error) {
      clear($("files-notice")).appendChild(TG.message("error", "The files were not changed.", el("p", null, error.message)));
    }).then(function () {
      button.disabled = false;
      button.textContent = "Add or replace files";
      renderLocks();
    });
  }

  // ---- remove, with Undo ------------------------------------------------------------------------------

  function removeFile(f) {
    var hadDrafts = drafts() > 0;
    var position = state.files.indexOf(f), override = f.override_type;
    var keep = hadDrafts ? Promise.resolve(null) : TG.request("GET", P.batchPath("files/" + encodeURIComponent(f.name)), null, {raw: true})
      .then(function (r) { if (!r.ok) throw {message: "The file could not be read; nothing was removed."}; return r.blob(); });
    confirmDiscard("Remove " + f.name + "?", "Remove and discard the drafts").then(function (yes) {
      if (!yes) return null;
      return keep.then(function (content) {
        return TG.request("DELETE", P.batchPath("files/" + encodeURIComponent(f.name))).then(function (body) {
          if (content) {
            var batchId = state.batchId; // Undo puts the file back into this batch, whichever is open by then
            TG.flag("info", "Removed " + f.name + "; the batch was checked again.", {label: "Undo", run: function () { putBack(batchId, f.name, content, position, override); }});
          }
          return showChange(body, "Removed " + f.name);
        });
      });
    }).catch(P.fail);
  }

  function putBack(batchId, name, content, position, override) {
    var path = function (rest) { return "batches/" + encodeURIComponent(batchId) + (rest ? "/" + rest : ""); };
    var form = new FormData();
    form.append("files", new File([content], name, {type: "text/csv"}), name);
    form.append("position", String(position));
    var restored = override
      ? function (body) { return TG.request("PUT", path("files/" + encodeURIComponent(name) + "/type"), {type: override}).then(function () { return body; }); }
      : function (body) { return body; };
    TG.upload(path("files"), form, function () {}).then(restored).then(function (body) {
      if (state.batchId !== batchId) { TG.flag("success", name + " is back in its batch."); return P.reloadBatches(); }
      return TG.request("GET", path()).then(function (status) {
        body.check = {status: status.batch.status, errors: status.counts.errors, warnings: status.counts.warnings};
        body.added = [];
        return showChange(body, "Undone: " + name + " is back in its place");
      });
    }).catch(P.fail);
  }

  // ---- delete the batch -------------------------------------------------------------------------------

  function deleteBatch() {
    var b = batch(), counts = state.status.counts;
    var lost = [P.plural(counts.files, "file") + " and their findings (" + P.plural(counts.errors, "error") + ", " + P.plural(counts.warnings, "warning") + ")"];
    if (counts.drafts) lost.push(P.plural(counts.drafts, "draft") + ", with any edits and links you made");
    TG.confirm({
      title: "Delete batch “" + b.name + "”?", confirm: "Delete batch",
      body: [el("p", null, "This deletes:"), el("ul", null, lost.map(function (l) { return el("li", null, l); })),
        el("p", null, "No Jira issue was created from this batch, so nothing changes in Jira. This cannot be undone.")]
    }).then(function (yes) {
      if (!yes) return null;
      return TG.request("DELETE", P.batchPath()).then(function () {
        TG.flag("success", "Deleted batch “" + b.name + "”.");
        state.batches = state.batches.filter(function (x) { return x.id !== b.id; });
        state.batchId = null;
        if (state.batches.length) return P.openBatch(state.batches[0].id);
        $("batch").hidden = true;
        P.renderBatchList();
        P.showUpload(true);
        return null;
      });
    }).catch(P.fail);
  }

  // ---- rendering --------------------------------------------------------------------------------------

  /* Why an action is not offered, beside where it would be: a hidden button explains nothing. */
  function renderLocks() {
    var l = locks();
    $("replace-files").hidden = !!l.files;
    $("files-help").textContent = l.files
      ? "The files cannot change now: " + l.files + "."
      : "A file named like one below replaces it (a corrected sheet); a new name is added. The batch is checked again either way.";
    $("delete-batch").hidden = !!l.delete;
    var kept = $("batch-kept");
    kept.hidden = !l.delete;
    kept.textContent = l.delete ? "This batch cannot be deleted: " + l.delete + "." : "";
  }

  /* The cell at the end of a file's row in the Files table. */
  function fileActions(f) {
    if (locks().files || state.files.length < 2) return el("td", {class: "file-actions"});
    return el("td", {class: "file-actions"}, el("button", {type: "button", class: "btn subtle small", "aria-label": "Remove " + f.name,
      onclick: function () { removeFile(f); }}, "Remove"));
  }

  function setupFiles() {
    var input = $("replace-input");
    $("replace-files").addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () { pickForBatch(input.files); input.value = ""; });
    $("delete-batch").addEventListener("click", deleteBatch);
  }

  P.confirmDiscard = confirmDiscard;
  P.fileActions = fileActions;
  P.showChange = showChange;
  P.renderLocks = renderLocks;
  P.setupFiles = setupFiles;
})();
