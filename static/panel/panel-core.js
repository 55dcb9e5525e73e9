/* The panel's shared state and small helpers (the other panel-*.js files build on `TG.panel`). */
(function () {
  "use strict";
  var TG = window.TG, ctx = TG.ctx;
  var $ = function (id) { return document.getElementById(id); };

  var LIMITS = {files: 25, fileBytes: 2 * 1024 * 1024, batchBytes: 50 * 1024 * 1024};
  var KIND_LABELS = { // export order (ticketgen.drafts.model.KIND_ORDER)
    user_role: "User roles", bundle: "Bundles", fields: "Fields", image_styles: "Image style families",
    responsive_image_style: "Responsive image styles", view_modes: "View modes", display: "Displays",
    view: "Views", workflow: "Workflows"
  };
  var KIND_ORDER = Object.keys(KIND_LABELS);
  var EDITABLE = ["drafted", "awaiting_approval", "approved", "rejected"];
  var REVALIDATABLE = ["uploaded", "validated", "invalid", "drafted", "rejected"];
  var EXPORT_STATES = ["approved", "exporting", "exported", "export_failed"];
  var HINT_KEY = "ticketgen:" + ctx.projectKey + ":batch";

  var state = {
    batches: [], batchId: null, status: null, files: [], types: [], findings: [], review: null, drafts: [], deps: [],
    exportInfo: null, chosen: [], open: {}, sort: {key: "severity", dir: 1}, pollTimer: null, csvUrl: null
  };

  function fail(error) {
    TG.flag("error", (error && error.message) || "Something went wrong; please try again.");
  }
  function batchPath(rest) { return "batches/" + encodeURIComponent(state.batchId) + (rest ? "/" + rest : ""); }
  function typeLabel(type) { var w = TG.words(type); return w.charAt(0).toUpperCase() + w.slice(1); }
  function plural(n, word, many) { return n + " " + (n === 1 ? word : (many || word + "s")); }
  function batchStatus() { return state.status ? state.status.batch.status : null; }
  /* A person as people know them: the display name the server looked up, never an account id. */
  function person(id) { var names = (state.status && state.status.people) || {}; return names[id] || "a Jira user"; }
  /* "UWEC_Fields.csv row 4", "UWEC_Fields.csv rows 4–6, 9": where a question's cells are, file by file. */
  function rowsText(rows) {
    var byFile = {}, files = [];
    (rows || []).forEach(function (r) {
      if (!byFile[r.file]) { byFile[r.file] = []; files.push(r.file); }
      if (byFile[r.file].indexOf(r.row) === -1) byFile[r.file].push(r.row);
    });
    return files.map(function (f) {
      var nums = byFile[f].sort(function (a, b) { return a - b; });
      return f + " " + (nums.length === 1 ? "row " : "rows ") + compactRows(nums);
    });
  }
  function compactRows(rows) {
    var out = [], i = 0;
    while (i < rows.length) {
      var j = i;
      while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
      out.push(j > i ? rows[i] + "–" + rows[j] : String(rows[i]));
      i = j + 1;
    }
    return out.join(", ");
  }

  TG.panel = {state: state, $: $};
  /* The lists that grow with an upload (findings, drafts) come a bounded page at a time. */
  function allPages(path, key) {
    var items = [];
    function from(offset) {
      return TG.request("GET", path + "?offset=" + offset).then(function (body) {
        items = items.concat(body[key]);
        return body.next_offset === null || body.next_offset === undefined ? items : from(body.next_offset);
      });
    }
    return from(0);
  }

  var P = TG.panel;
  P.allPages = allPages;
  P.EDITABLE = EDITABLE;
  P.EXPORT_STATES = EXPORT_STATES;
  P.HINT_KEY = HINT_KEY;
  P.KIND_LABELS = KIND_LABELS;
  P.KIND_ORDER = KIND_ORDER;
  P.LIMITS = LIMITS;
  P.REVALIDATABLE = REVALIDATABLE;
  P.batchPath = batchPath;
  P.batchStatus = batchStatus;
  P.compactRows = compactRows;
  P.fail = fail;
  P.person = person;
  P.plural = plural;
  P.rowsText = rowsText;
  P.typeLabel = typeLabel;
})();
