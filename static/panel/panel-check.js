/* The check: detected file types (overridable) and the findings table (grouped, sortable, filterable). */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear, ctx = TG.ctx;
  var P = TG.panel, state = P.state, $ = P.$;

  // ---- files ------------------------------------------------------------------------------------------

  function renderFiles() {
    var body = clear(document.querySelector("#files-table tbody"));
    var locked = P.REVALIDATABLE.indexOf(P.batchStatus()) === -1;
    $("files-count").textContent = P.plural(state.files.length, "file");
    state.files.forEach(function (f) {
      // Choosing is not applying: an arrow key on a closed menu changes its value (and fires change), so
      // the re-type and re-check wait for an explicit Apply.
      var apply = el("span", {class: "type-apply", hidden: true},
        el("button", {type: "button", class: "btn primary small", "aria-label": "Apply the type of " + f.name + " and check again",
          onclick: function () { setType(f, select.value); }}, "Apply"),
        el("button", {type: "button", class: "btn subtle small", "aria-label": "Keep the type of " + f.name,
          onclick: function () { select.value = f.type; apply.hidden = true; select.focus(); }}, "Cancel"));
      var select = el("select", {class: "compact", "aria-label": "Type of " + f.name, disabled: locked,
        onchange: function () { apply.hidden = select.value === f.type; }});
      state.types.forEach(function (t) {
        var label = t === f.detected_type ? P.typeLabel(t) + " (detected)" : P.typeLabel(t);
        select.appendChild(el("option", {value: t, selected: t === f.type}, label));
      });
      var conf = Math.round(f.confidence * 100);
      body.appendChild(el("tr", {"data-file": f.name},
        el("td", null, f.name, f.override_type ? el("span", {class: "muted small"}, " · type chosen by you") : null),
        el("td", null, select, apply),
        el("td", {class: "num"}, conf + "%", conf < 60 ? el("span", null, " ", TG.lozenge("warning", "check")) : null),
        el("td", {class: "num"}, String(f.rows)),
        el("td", {class: "num"}, f.errors ? TG.lozenge("error", String(f.errors)) : "0"),
        el("td", {class: "num"}, f.warnings ? TG.lozenge("warning", String(f.warnings)) : "0"),
        P.fileActions(f)));
    });
    P.renderLocks();
  }

  function setType(file, type) {
    P.confirmDiscard("Read " + file.name + " as " + P.typeLabel(type) + "?", "Apply and discard the drafts").then(function (yes) {
      if (!yes) { renderFiles(); return null; }
      return TG.request("PUT", P.batchPath("files/" + encodeURIComponent(file.name) + "/type"), {type: type === file.detected_type ? null : type})
        .then(function (body) { return P.showChange(body, file.name + " is now read as " + P.typeLabel(type)); });
    }).catch(function (error) { P.fail(error); renderFiles(); });
  }

  // ---- findings ---------------------------------------------------------------------------------------

  function renderFindingFilters() {
    var fileSelect = $("filter-file"), codeSelect = $("filter-code");
    var keepFile = fileSelect.value, keepCode = codeSelect.value;
    [fileSelect, codeSelect].forEach(function (s) { while (s.options.length > 1) s.remove(1); });
    state.files.forEach(function (f) { fileSelect.appendChild(el("option", {value: f.name}, f.name)); });
    var codes = {};
    state.findings.forEach(function (f) { codes[f.code] = (codes[f.code] || 0) + 1; });
    Object.keys(codes).sort().forEach(function (c) { codeSelect.appendChild(el("option", {value: c}, c + " (" + codes[c] + ")")); });
    fileSelect.value = keepFile;
    codeSelect.value = keepCode;
    if (state.csvUrl) { URL.revokeObjectURL(state.csvUrl); state.csvUrl = null; }
  }

  function compare(a, b) {
    var key = state.sort.key, dir = state.sort.dir;
    var sev = function (f) { return f.severity === "error" ? 0 : 1; };
    var va, vb;
    if (key === "severity") { va = sev(a); vb = sev(b); }
    else if (key === "row") { va = a.row === null ? -1 : a.row; vb = b.row === null ? -1 : b.row; }
    else { va = String(a[key] || "").toLowerCase(); vb = String(b[key] || "").toLowerCase(); }
    if (va < vb) return -dir;
    if (va > vb) return dir;
    return (sev(a) - sev(b)) || ((a.row || 0) - (b.row || 0));
  }

  function renderFindings() {
    var severity = $("filter-severity").value, file = $("filter-file").value, code = $("filter-code").value;
    var shown = state.findings.filter(function (f) {
      return (!severity || f.severity === severity) && (!file || f.file === file) && (!code || f.code === code);
    });
    var errors = state.findings.filter(function (f) { return f.severity === "error"; }).length;
    $("findings-count").textContent = P.plural(errors, "error") + ", " + P.plural(state.findings.length - errors, "warning") +
      (shown.length !== state.findings.length ? " · showing " + shown.length : "");
    Array.prototype.forEach.call(document.querySelectorAll("#findings-table th[data-sort]"), function (th) {
      th.setAttribute("aria-sort", th.getAttribute("data-sort") === state.sort.key ? (state.sort.dir > 0 ? "ascending" : "descending") : "none");
    });
    var empty = clear($("findings-empty"));
    if (!state.findings.length) empty.appendChild(TG.message("success", "No findings: the spec is clean."));
    else if (!shown.length) {
      empty.appendChild(TG.message("info", "No findings match these filters.", el("p", null,
        el("button", {type: "button", class: "btn", id: "clear-filters", onclick: clearFilters}, "Show all findings"))));
    }
    var body = clear(document.querySelector("#findings-table tbody"));
    var order = state.files.map(function (f) { return f.name; });
    var groups = {};
    shown.forEach(function (f) { (groups[f.file] = groups[f.file] || []).push(f); });
    var names = Object.keys(groups).sort(function (a, b) {
      var ea = groups[a].some(function (f) { return f.severity === "error"; }) ? 0 : 1;
      var eb = groups[b].some(function (f) { return f.severity === "error"; }) ? 0 : 1;
      return (ea - eb) || (order.indexOf(a) - order.indexOf(b)) || (a < b ? -1 : 1);
    });
    names.forEach(function (name) {
      var items = groups[name].sort(compare);
      var errs = items.filter(function (f) { return f.severity === "error"; }).length;
      body.appendChild(el("tr", {class: "group"}, el("td", {colspan: "7"}, name + " — " + P.plural(errs, "error") + ", " + P.plural(items.length - errs, "warning"))));
      items.forEach(function (f) {
        body.appendChild(el("tr", {class: "finding " + f.severity},
          el("td", null, TG.lozenge(f.severity)),
          el("td", {class: "num"}, f.row === null ? "—" : String(f.row)),
          el("td", null, f.column || "—"),
          el("td", {class: "value-cell"}, f.value ? el("code", null, f.value) : el("span", {class: "muted"}, "(empty)")),
          el("td", null, f.message, f.hint ? el("div", {class: "muted small"}, f.hint) : null),
          el("td", {class: "small"}, f.suggestions.length ? f.suggestions.join(", ") : ""),
          el("td", null, el("code", null, f.code))));
      });
    });
  }

  function clearFilters() {
    ["filter-severity", "filter-file", "filter-code"].forEach(function (id) { $(id).value = ""; });
    renderFindings();
  }

  function setupFindings() {
    ["filter-severity", "filter-file", "filter-code"].forEach(function (id) { $(id).addEventListener("change", renderFindings); });
    Array.prototype.forEach.call(document.querySelectorAll("#findings-table th[data-sort] button"), function (button) {
      button.addEventListener("click", function () {
        var key = button.parentNode.getAttribute("data-sort");
        state.sort = {key: key, dir: state.sort.key === key ? -state.sort.dir : 1};
        renderFindings();
      });
    });
    var link = $("download-findings");
    link.addEventListener("click", function (event) {
      if (state.csvUrl) return; // the second, real click downloads the fetched file
      event.preventDefault();
      TG.request("GET", P.batchPath("findings.csv"), null, {raw: true}).then(function (response) {
        if (!response.ok) throw {message: "The findings could not be downloaded; try again."};
        return response.blob();
      }).then(function (blob) {
        state.csvUrl = URL.createObjectURL(blob);
        link.href = state.csvUrl;
        link.setAttribute("download", TG.fileName("findings-", state.status.batch.name, ".csv"));
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); state.csvUrl = null; link.href = "#"; }, 1000);
      }).catch(P.fail);
    });
  }


  P.renderFiles = renderFiles;
  P.renderFindingFilters = renderFindingFilters;
  P.renderFindings = renderFindings;
  P.setupFindings = setupFindings;
})();
