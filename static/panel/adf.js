/* Atlassian Document Format → DOM, for previews "as Jira will show them". Text is only ever set as text
   (never parsed as HTML), links only keep http(s)/mailto targets. */
(function () {
  "use strict";
  var BLOCKS = {
    paragraph: "p", bulletList: "ul", orderedList: "ol", listItem: "li", blockquote: "blockquote",
    table: "table", tableRow: "tr", tableHeader: "th", tableCell: "td", taskItem: "li", panel: "aside",
    expand: "details", nestedExpand: "details", rule: "hr", codeBlock: "pre"
  };
  var MARKS = {strong: "strong", em: "em", code: "code", strike: "s", underline: "u"};
  var PANEL_TYPES = ["info", "note", "warning", "success", "error"];
  var STATUS_COLOURS = {neutral: "default", purple: "new", blue: "inprogress", red: "removed", yellow: "moved", green: "success"};

  function safeHref(href) {
    href = String(href || "");
    return /^(https?:|mailto:)/.test(href) ? href : null;
  }

  function text(node) {
    var out = document.createTextNode(node.text || "");
    (node.marks || []).forEach(function (mark) {
      var wrap = null;
      if (mark.type === "link") {
        wrap = document.createElement("a");
        var href = safeHref((mark.attrs || {}).href);
        if (href) wrap.href = href;
        wrap.rel = "noopener";
        wrap.target = "_blank";
      } else if (MARKS[mark.type]) {
        wrap = document.createElement(MARKS[mark.type]);
      }
      if (wrap) { wrap.appendChild(out); out = wrap; }
    });
    return out;
  }

  /* Inline nodes other than text: shown as Jira shows them, as text only. */
  function inlineNode(node) {
    var attrs = node.attrs || {};
    var span = document.createElement("span");
    if (node.type === "status") {
      span.className = "lozenge " + (STATUS_COLOURS[attrs.color] || "default");
      span.textContent = attrs.text || "";
    } else if (node.type === "inlineCard") {
      var href = safeHref(attrs.url);
      var link = document.createElement("a");
      if (href) link.href = href;
      link.rel = "noopener";
      link.target = "_blank";
      link.textContent = String(attrs.url || "");
      return link;
    } else if (node.type === "emoji") {
      span.textContent = attrs.text || attrs.shortName || "";
    } else if (node.type === "mention") {
      span.textContent = attrs.text || "@someone";
    } else if (node.type === "date") {
      var when = new Date(Number(attrs.timestamp));
      span.textContent = isNaN(when.getTime()) ? "" : when.toISOString().slice(0, 10);
    } else {
      return null;
    }
    return span;
  }

  function render(node) {
    if (!node || typeof node !== "object") return document.createDocumentFragment();
    if (node.type === "text") return text(node);
    if (node.type === "hardBreak") return document.createElement("br");
    var inline = inlineNode(node);
    if (inline) return inline;
    var element;
    var attrs = node.attrs || {};
    if (node.type === "doc") element = document.createDocumentFragment();
    else if (node.type === "heading") {
      var level = Math.min(6, Math.max(1, Number(attrs.level) || 3));
      element = document.createElement("h" + Math.max(3, level)); // keep the page's own outline
    } else if (node.type === "taskList") {
      element = document.createElement("ul");
      element.className = "tasks";
    } else if (node.type === "table") {
      var table = document.createElement("table");
      var body = document.createElement("tbody");
      table.appendChild(body);
      (node.content || []).forEach(function (child) { body.appendChild(render(child)); });
      return table;
    } else if (node.type === "panel") {
      element = document.createElement("aside");
      var kind = PANEL_TYPES.indexOf(attrs.panelType) !== -1 ? attrs.panelType : "info";
      element.className = "adf-panel " + kind;
    } else if (node.type === "codeBlock") {
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      pre.appendChild(code);
      (node.content || []).forEach(function (child) { code.appendChild(render(child)); });
      return pre;
    } else if (node.type === "expand" || node.type === "nestedExpand") {
      element = document.createElement("details");
      element.open = true; // a preview shows everything; Jira opens it on a click
      var summary = document.createElement("summary");
      summary.textContent = attrs.title || "Details";
      element.appendChild(summary);
    } else {
      element = document.createElement(BLOCKS[node.type] || "div");
    }
    (node.content || []).forEach(function (child) { element.appendChild(render(child)); });
    return element;
  }

  window.TG = window.TG || {};
  window.TG.renderAdf = render;
})();
