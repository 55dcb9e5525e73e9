/* Atlassian Document Format → DOM, for previews "as Jira will show them". Text is only ever set as text
   (never parsed as HTML), links only keep http(s)/mailto targets. */
(function () {
  "use strict";
  var BLOCKS = {
    paragraph: "p", bulletList: "ul", orderedList: "ol", listItem: "li", blockquote: "blockquote",
    table: "table", tableRow: "tr", tableHeader: "th", tableCell: "td", taskItem: "li", panel: "aside",
    expand: "details", rule: "hr", codeBlock: "pre"
  };
  var MARKS = {strong: "strong", em: "em", code: "code", strike: "s", underline: "u"};

  function text(node) {
    var out = document.createTextNode(node.text || "");
    (node.marks || []).forEach(function (mark) {
      var wrap = null;
      if (mark.type === "link") {
        var href = String((mark.attrs || {}).href || "");
        wrap = document.createElement("a");
        if (/^(https?:|mailto:)/.test(href)) wrap.href = href;
        wrap.rel = "noopener";
        wrap.target = "_blank";
      } else if (MARKS[mark.type]) {
        wrap = document.createElement(MARKS[mark.type]);
      }
      if (wrap) { wrap.appendChild(out); out = wrap; }
    });
    return out;
  }

  function render(node) {
    if (!node || typeof node !== "object") return document.createDocumentFragment();
    if (node.type === "text") return text(node);
    if (node.type === "hardBreak") return document.createElement("br");
    var element;
    if (node.type === "doc") element = document.createDocumentFragment();
    else if (node.type === "heading") {
      var level = Math.min(6, Math.max(1, Number((node.attrs || {}).level) || 3));
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
    } else {
      element = document.createElement(BLOCKS[node.type] || "div");
    }
    (node.content || []).forEach(function (child) { element.appendChild(render(child)); });
    return element;
  }

  window.TG = window.TG || {};
  window.TG.renderAdf = render;
})();
