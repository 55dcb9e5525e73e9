/* Shared by the panel and the configure page: the page context, JSON calls (through transport.js), DOM helpers. */
(function () {
  "use strict";

  var transport = window.TGTransport; // transport.js: Connect or Forge, loaded first
  var ctx = transport.ctx;

  function url(path) {
    if (/^https?:|^\//.test(path)) return path;
    return ctx.apiBase + (path ? "/" + path : "");
  }

  /* An error the page can show as it is: the server's message when there is one, else plain words. */
  function ApiFailure(status, body) {
    var error = (body && body.error) || {};
    this.status = status;
    this.code = error.code || "http_" + status;
    this.details = error;
    this.message = error.message || (status === 0
      ? "The app could not be reached; check your connection and try again."
      : "Something went wrong on our side (HTTP " + status + "); please try again.");
  }

  function parse(response) {
    return response.text().then(function (text) {
      var body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
      if (!response.ok) throw new ApiFailure(response.status, body);
      return body;
    });
  }

  function unreachable() { throw new ApiFailure(0, null); }

  function request(method, path, body, options) {
    options = options || {};
    if (options.raw) return transport.download(url(path)).catch(unreachable);
    return transport.send(method, url(path), body).catch(unreachable).then(parse);
  }

  /* One multipart POST with upload progress where the host can report it. */
  function upload(path, form, onProgress) {
    return transport.upload(url(path), form, onProgress).catch(unreachable).then(parse);
  }

  /* el("div", {class: "x", onclick: f}, child, "text", [children]) */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
        else if (name === "text") node.textContent = value;
        else if (name === "value") node.value = value;
        else if (name in node && name !== "list" && name !== "form" && typeof value !== "string") node[name] = value;
        else node.setAttribute(name, value === true ? "" : value);
      });
    }
    append(node, Array.prototype.slice.call(arguments, 2));
    return node;
  }

  function append(node, children) {
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) append(node, child);
      else node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  var LOZENGES = {
    uploaded: "default", validated: "success", invalid: "removed", drafting: "inprogress", drafted: "new",
    awaiting_approval: "moved", approved: "success", exporting: "inprogress", exported: "success",
    rejected: "removed", export_failed: "removed", cancelled: "default",
    queued: "default", running: "inprogress", succeeded: "success", failed: "removed",
    error: "removed", warning: "moved", created: "success", intent: "inprogress", pending: "default"
  };

  function words(status) { return String(status || "").replace(/_/g, " "); }

  function lozenge(status, text) {
    return el("span", {class: "lozenge " + (LOZENGES[status] || "default")}, text || words(status));
  }

  /* A passing notification; `action` ({label, run}) adds a button such as Undo, and the flag then stays
     long enough to reach it (Atlassian's flag with actions). */
  function flag(kind, text, action) {
    var close = function () { if (box.parentNode) box.parentNode.removeChild(box); };
    var act = action ? el("button", {type: "button", class: "btn link flag-action",
      onclick: function () { close(); action.run(); }}, action.label) : null;
    var box = el("div", {class: "flag " + kind, role: action ? "alert" : null}, el("span", null, text, act ? el("br") : null, act),
      el("button", {type: "button", class: "btn subtle small", "aria-label": "Dismiss: " + text, onclick: close}, "×"));
    document.getElementById("flags").appendChild(box);
    setTimeout(close, action ? 10000 : kind === "error" ? 9000 : 4000);
    return close;
  }

  /* Atlassian's modal dialog for a consequential action (never the browser's confirm()): the heading says
     what will happen, the body what is lost, the button repeats the action. Escape, the blanket and Cancel
     decline; focus stays inside and returns where it was. Resolves true only on the action button. */
  function confirmDialog(options) {
    var opener = document.activeElement;
    return new Promise(function (resolve) {
      var done = function (answer) {
        document.removeEventListener("keydown", onKey, true);
        if (blanket.parentNode) blanket.parentNode.removeChild(blanket);
        if (opener && opener.focus && document.contains(opener)) opener.focus();
        resolve(answer);
      };
      var kind = options.kind || "danger";
      var cancel = el("button", {type: "button", class: "btn subtle", onclick: function () { done(false); }}, options.cancel || "Cancel");
      var go = el("button", {type: "button", class: "btn " + kind, "data-action": "confirm", onclick: function () { done(true); }}, options.confirm);
      var dialog = el("section", {class: "modal " + kind, role: "dialog", "aria-modal": "true", "aria-labelledby": "modal-title", "aria-describedby": "modal-body"},
        el("h2", {id: "modal-title"}, el("span", {class: "icon", "aria-hidden": "true"}, "!"), options.title),
        el("div", {id: "modal-body"}, options.body),
        el("footer", null, cancel, go));
      var blanket = el("div", {class: "blanket", onclick: function (e) { if (e.target === blanket) done(false); }}, dialog);
      var onKey = function (e) {
        if (e.key === "Escape") { e.preventDefault(); done(false); }
        if (e.key !== "Tab") return;
        var stops = [cancel, go], at = stops.indexOf(document.activeElement);
        e.preventDefault();
        stops[(at + (e.shiftKey ? stops.length - 1 : 1)) % stops.length].focus();
      };
      document.addEventListener("keydown", onKey, true);
      document.body.appendChild(blanket);
      cancel.focus(); // the safe choice has the focus: Enter alone never destroys anything
    });
  }

  function message(kind, title, body) {
    var icons = {error: "!", warning: "!", success: "✓", info: "i"};
    return el("div", {class: "message " + kind, role: kind === "error" ? "alert" : null},
      el("span", {class: "icon", "aria-hidden": "true"}, icons[kind] || "i"),
      el("div", null, title ? el("p", null, el("strong", null, title)) : null, body || null));
  }

  function debounce(fn, ms) {
    var timer = null;
    var debounced = function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { timer = null; fn.apply(null, args); }, ms);
    };
    debounced.flush = function () { if (timer) { clearTimeout(timer); timer = null; fn(); } };
    return debounced;
  }

  function progressBar(label) {
    var bar = el("span");
    var box = el("div", {class: "progress", role: "progressbar", "aria-label": label, "aria-valuemin": "0",
      "aria-valuemax": "100", "aria-valuenow": "0"}, bar);
    box.set = function (done, total, kind) {
      var pct = total > 0 ? Math.min(100, Math.round(100 * done / total)) : 0;
      bar.style.width = pct + "%";
      box.setAttribute("aria-valuenow", String(pct));
      box.className = "progress" + (kind ? " " + kind : "");
    };
    return box;
  }

  function formatBytes(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KB";
    return (n / 1024 / 1024).toFixed(1) + " MB";
  }

  /* A download's file name from a batch name: letters and digits of any script kept, the rest one "-". */
  function fileName(prefix, name, extension) {
    var safe = name.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[-.]+|[-.]+$/g, "");
    return prefix + (safe || "batch") + extension;
  }

  window.TG = {
    ctx: ctx, request: request, upload: upload, el: el, append: append, clear: clear, lozenge: lozenge,
    words: words, flag: flag, confirm: confirmDialog, message: message, debounce: debounce, progressBar: progressBar,
    formatBytes: formatBytes, url: url, fileName: fileName
  };
})();
