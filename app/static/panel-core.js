/* The panel's shared state and small helpers (the other panel-*.js files build on `TG.panel`). */
(function () {
  "use strict";
  var TG = window.TG, ctx = TG.ctx;
  var $ = function (id) { return document.getElementById(id); };

  var LIMITS = {files: 25, fileBytes: 2 * 1024 * 1024, batchBytes: 50 * 1024 * 1024};
  var KIND_LABELS = {
    bundle: "Bundles", fields: "Fields", image_styles: "Image style families",
    responsive_image_style: "Responsive image styles", view_modes: "View modes", view: "Views",
    user_role: "User roles", workflow: "Workflows"
  };
  var KIND_ORDER = Object.keys(KIND_LABELS);
  var EDITABLE = ["drafted", "awaiting_approval", "approved", "rejected"];
  var REVALIDATABLE = ["uploaded", "validated", "invalid", "drafted", "rejected"];
  var EXPORT_STATES = ["approved", "exporting", "exported", "export_failed"];
  var HINT_KEY = "ticketgen:" + ctx.projectKey + ":batch";

  var state = {
    batches: [], batchId: null, status: null, files: [], types: [], findings: [], drafts: [], deps: [],
    exportInfo: null, chosen: [], open: {}, sort: {key: "severity", dir: 1}, pollTimer: null, csvUrl: null
  };

  function fail(error) {
    TG.flag("error", (error && error.message) || "Something went wrong; please try again.");
  }
  function batchPath(rest) { return "batches/" + encodeURIComponent(state.batchId) + (rest ? "/" + rest : ""); }
  function typeLabel(type) { var w = TG.words(type); return w.charAt(0).toUpperCase() + w.slice(1); }
  function plural(n, word, many) { return n + " " + (n === 1 ? word : (many || word + "s")); }
  function batchStatus() { return state.status ? state.status.batch.status : null; }

  TG.panel = {state: state, $: $};
  var P = TG.panel;
  P.EDITABLE = EDITABLE;
  P.EXPORT_STATES = EXPORT_STATES;
  P.HINT_KEY = HINT_KEY;
  P.KIND_LABELS = KIND_LABELS;
  P.KIND_ORDER = KIND_ORDER;
  P.LIMITS = LIMITS;
  P.REVALIDATABLE = REVALIDATABLE;
  P.batchPath = batchPath;
  P.batchStatus = batchStatus;
  P.fail = fail;
  P.plural = plural;
  P.typeLabel = typeLabel;
})();
