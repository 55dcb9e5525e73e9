/* Upload: drag and drop or pick many CSVs, limits checked before sending, per-file progress. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  // ---- upload -----------------------------------------------------------------------------------------

  function showUpload(show) {
    $("upload-card").hidden = !show;
    $("upload-close").hidden = !(show && state.batchId);
    if (show && !state.batchId) P.markSteps("upload", false);
  }

  /* A file named like one already in the list is the corrected copy: it takes the old one's place, and
     the flag says so with both sizes (before, the second pick was silently dropped). */
  function chooseFiles(list) {
    Array.prototype.forEach.call(list, function (file) {
      var same = state.chosen.filter(function (c) { return c.file.name === file.name; })[0];
      if (!same) { state.chosen.push({file: file, loaded: 0}); return; }
      TG.flag("info", "Replaced " + file.name + " in the list: " + TG.formatBytes(same.file.size) + " → " + TG.formatBytes(file.size) + ".");
      same.file = file;
      same.loaded = 0;
    });
    renderChosen();
  }

  function uploadProblems() {
    var problems = [], total = 0;
    if (state.chosen.length > P.LIMITS.files) problems.push("There are " + state.chosen.length + " files; a batch takes at most 25. Upload the rest as another batch.");
    state.chosen.forEach(function (c) {
      total += c.file.size;
      if (c.file.size > P.LIMITS.fileBytes) problems.push(c.file.name + " is " + TG.formatBytes(c.file.size) + "; a file can be at most 2 MB. Split it into several files of the same kind.");
      if (!/\.csv$/i.test(c.file.name)) problems.push(c.file.name + " is not a .csv file; export the sheet as CSV.");
    });
    if (total > P.LIMITS.batchBytes) problems.push("The files add up to " + TG.formatBytes(total) + "; a batch can be at most 50 MB.");
    return problems;
  }

  function renderChosen() {
    var list = clear($("chosen-files"));
    state.chosen.forEach(function (c, i) {
      var bar = TG.progressBar("Upload progress of " + c.file.name);
      bar.set(c.loaded, c.file.size, c.loaded >= c.file.size && c.loaded > 0 ? "success" : null);
      c.bar = bar;
      list.appendChild(el("li", null,
        el("span", null, c.file.name), el("span", {class: "muted small"}, TG.formatBytes(c.file.size)), bar,
        el("button", {type: "button", class: "btn subtle small", "aria-label": "Remove " + c.file.name,
          onclick: function () { state.chosen.splice(i, 1); renderChosen(); }}, "Remove")));
    });
    var problems = uploadProblems();
    var box = clear($("upload-error"));
    if (problems.length) box.appendChild(TG.message("error", "These files cannot be uploaded yet:", el("ul", null, problems.map(function (p) { return el("li", null, p); }))));
    $("upload-button").disabled = state.chosen.length === 0 || problems.length > 0;
    $("clear-files").disabled = state.chosen.length === 0;
    $("upload-button").textContent = state.chosen.length ? "Upload and check " + P.plural(state.chosen.length, "file") : "Upload and check";
  }

  function sendUpload() {
    var form = new FormData();
    var name = $("batch-name").value.trim();
    if (name) form.append("name", name);
    var params = new URLSearchParams(window.location.search);
    if (params.get("projectId")) form.append("project_id", params.get("projectId"));
    state.chosen.forEach(function (c) { form.append("files", c.file, c.file.name); });
    var button = $("upload-button");
    button.disabled = true;
    button.textContent = "Uploading…";
    clear($("upload-error"));
    var sizes = state.chosen.map(function (c) { return c.file.size; });
    var payload = sizes.reduce(function (a, b) { return a + b; }, 0);
    TG.upload("batches", form, function (loaded, total) {
      // One request carries every file in order: spread the bytes sent over the files.
      var sent = Math.max(0, loaded - (total - payload)), offset = 0;
      state.chosen.forEach(function (c, i) {
        c.loaded = Math.max(0, Math.min(sizes[i], sent - offset));
        offset += sizes[i];
        if (c.bar) c.bar.set(c.loaded, sizes[i], c.loaded >= sizes[i] ? "success" : null);
      });
      if (loaded >= total) button.textContent = "Checking the files…";
    }).then(function (body) {
      state.chosen = [];
      renderChosen();
      $("batch-name").value = "";
      state.batches.unshift(body.batch);
      var errors = body.files.reduce(function (n, f) { return n + f.errors; }, 0);
      if (body.batch.status === "invalid") {
        TG.flag("warning", "Uploaded " + P.plural(body.files.length, "file") + "; the check found " + P.plural(errors, "error") + ": see Findings.");
      } else {
        TG.flag("success", "Uploaded " + P.plural(body.files.length, "file") + "; the check passed.");
      }
      return P.openBatch(body.batch.id);
    }).catch(function (error) {
      state.chosen.forEach(function (c) { c.loaded = 0; });
      renderChosen();
      $("upload-error").appendChild(TG.message("error", "The upload was refused.", el("p", null, error.message)));
    });
  }

  function setupUpload() {
    var zone = $("dropzone"), input = $("file-input");
    $("pick-files").addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () { chooseFiles(input.files); input.value = ""; });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) { if (e.dataTransfer) chooseFiles(e.dataTransfer.files); });
    $("upload-button").addEventListener("click", sendUpload);
    $("clear-files").addEventListener("click", function () { state.chosen = []; renderChosen(); });
    $("new-upload").addEventListener("click", function () { showUpload(true); $("pick-files").focus(); });
    $("upload-close").addEventListener("click", function () { showUpload(false); });
  }


  P.setupUpload = setupUpload;
  P.showUpload = showUpload;
})();
