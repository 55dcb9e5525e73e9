/* The dependency picture: one column per ticket kind, tickets top to bottom in draft order, an arrow per
   Blocks link from the blocker to the ticket it blocks. Pointing at or focusing a ticket highlights its
   links and neighbours and shows its full summary; a click, Enter or Space opens its draft. Tab reaches one
   ticket (the last one focused), the arrow keys move between tickets: one tab stop for the whole picture. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var KIND_ORDER = ["user_role", "bundle", "fields", "image_styles", "responsive_image_style", "view_modes", "display", "view", "workflow"];
  var NODE_W = 200, NODE_H = 22, ROW = 28, COL_GAP = 72, TOP = 36, LEFT = 16, ARROW = 7;

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function short(text, max) { return text.length > max ? text.slice(0, max - 1) + "…" : text; }
  function quoted(text) { return "“" + text + "”"; }

  function arrowMarker(id, hot) {
    var marker = svg("marker", {id: id, viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: String(ARROW),
      markerHeight: String(ARROW), markerUnits: "userSpaceOnUse", orient: "auto"});
    marker.appendChild(svg("path", {class: "arrow" + (hot ? " hot" : ""), d: "M0,0 L10,5 L0,10 z"}));
    return marker;
  }

  /* options: onOpen(key) when a ticket is clicked or Enter/Space pressed on it; onShow(text) with the
     pointed or focused ticket's full summary and links ("" when none is). */
  function draw(drafts, dependencies, labels, options) {
    options = options || {};
    var onOpen = options.onOpen || function () {}, onShow = options.onShow || function () {};
    var kinds = KIND_ORDER.filter(function (k) { return drafts.some(function (d) { return d.kind === k; }); });
    drafts.forEach(function (d) { if (kinds.indexOf(d.kind) === -1) kinds.push(d.kind); });
    var where = {}, rows = {}, columns = kinds.map(function () { return []; });
    drafts.forEach(function (d) {
      var col = kinds.indexOf(d.kind);
      rows[col] = (rows[col] || 0) + 1;
      where[d.key] = {x: LEFT + col * (NODE_W + COL_GAP), y: TOP + (rows[col] - 1) * ROW, col: col, row: rows[col] - 1, draft: d};
      columns[col].push(d.key);
    });
    var height = TOP + Math.max.apply(null, [1].concat(Object.keys(rows).map(function (c) { return rows[c]; }))) * ROW + 8;
    var width = LEFT * 2 + kinds.length * NODE_W + (kinds.length - 1) * COL_GAP;
    var root = svg("svg", {class: "graph", width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "group", "aria-roledescription": "dependency graph", "aria-label": "Dependency graph: " + drafts.length + " tickets and " +
      dependencies.length + " dependencies, in columns by kind. Arrow keys move between tickets; Enter opens one."});
    var defs = svg("defs");
    defs.appendChild(arrowMarker("tg-arrow", false));
    defs.appendChild(arrowMarker("tg-arrow-hot", true));
    root.appendChild(defs);
    kinds.forEach(function (kind, col) {
      root.appendChild(svg("text", {class: "col-title", x: LEFT + col * (NODE_W + COL_GAP), y: 20, "aria-hidden": "true"}, labels[kind] || kind));
    });
    var edges = svg("g", {"aria-hidden": "true"}), nodes = svg("g");
    root.appendChild(edges);
    root.appendChild(nodes);
    var byKey = {}, blockedBy = {}, blocking = {};
    dependencies.forEach(function (dep) {
      var a = where[dep.blocker], b = where[dep.blocked];
      if (!a || !b) return;
      var y1 = a.y + NODE_H / 2, y2 = b.y + NODE_H / 2, d;
      if (a.col < b.col) { // left to right: out of the blocker's right side, into the blocked one's left side
        var x1 = a.x + NODE_W, x2 = b.x, mid = (x1 + x2) / 2;
        d = "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
      } else if (a.col > b.col) { // a link added by hand can point back: out of the left side, into the right
        var sx = a.x, ex = b.x + NODE_W, m = (sx + ex) / 2;
        d = "M" + sx + "," + y1 + " C" + m + "," + y1 + " " + m + "," + y2 + " " + ex + "," + y2;
      } else { // same column: a loop on the right, arriving at the blocked ticket
        var rx = a.x + NODE_W, bulge = rx + Math.min(COL_GAP - 8, 16 + Math.abs(y2 - y1) / 8);
        d = "M" + rx + "," + y1 + " C" + bulge + "," + y1 + " " + bulge + "," + y2 + " " + rx + "," + y2;
      }
      var path = svg("path", {class: "edge" + (dep.manual ? " manual" : ""), d: d, "marker-end": "url(#tg-arrow)",
        "data-blocker": dep.blocker, "data-blocked": dep.blocked});
      path.appendChild(svg("title", {}, quoted(a.draft.summary) + " blocks " + quoted(b.draft.summary) + (dep.manual ? " (added by hand)" : "")));
      edges.appendChild(path);
      (blocking[dep.blocker] = blocking[dep.blocker] || []).push(dep.blocked);
      (blockedBy[dep.blocked] = blockedBy[dep.blocked] || []).push(dep.blocker);
      [dep.blocker, dep.blocked].forEach(function (k) { (byKey[k] = byKey[k] || []).push({path: path, other: k === dep.blocker ? dep.blocked : dep.blocker}); });
    });

    function describe(d) {
      var before = (blockedBy[d.key] || []).length, after = (blocking[d.key] || []).length;
      return d.summary + " — " + (labels[d.kind] || d.kind) + (d.included ? "" : ", excluded") + "; blocked by " + before +
        ", blocks " + after;
    }

    var groups = {}, current = drafts.length ? drafts[0].key : null;
    drafts.forEach(function (d) {
      var p = where[d.key];
      var g = svg("g", {class: "node" + (d.included ? "" : " excluded"), transform: "translate(" + p.x + "," + p.y + ")",
        role: "button", tabindex: d.key === current ? "0" : "-1", "data-key": d.key, "aria-label": describe(d) + ". Opens the draft."});
      g.appendChild(svg("title", {}, d.summary));
      g.appendChild(svg("rect", {width: NODE_W, height: NODE_H, rx: 3}));
      g.appendChild(svg("text", {x: 6, y: 15, "aria-hidden": "true"}, short(d.summary, 31)));
      groups[d.key] = g;
      g.addEventListener("mouseenter", function () { focus(d.key); });
      g.addEventListener("mouseleave", function () {
        var focused = document.activeElement && document.activeElement.getAttribute ? document.activeElement.getAttribute("data-key") : null;
        if (focused && groups[focused] === document.activeElement) focus(focused); else unfocus();
      });
      g.addEventListener("focus", function () { rove(d.key); focus(d.key); });
      g.addEventListener("blur", unfocus);
      g.addEventListener("click", function () { onOpen(d.key); });
      g.addEventListener("keydown", function (event) { key(event, d.key); });
      nodes.appendChild(g);
    });

    function rove(key) {
      if (current && groups[current]) groups[current].setAttribute("tabindex", "-1");
      current = key;
      groups[key].setAttribute("tabindex", "0");
    }
    /* The ticket an arrow key leads to: up and down the column, or the nearest row of the next column. */
    function next(key, direction) {
      var p = where[key], column = columns[p.col];
      if (direction === "ArrowDown") return column[Math.min(p.row + 1, column.length - 1)];
      if (direction === "ArrowUp") return column[Math.max(p.row - 1, 0)];
      if (direction === "Home") return column[0];
      if (direction === "End") return column[column.length - 1];
      var col = p.col + (direction === "ArrowRight" ? 1 : -1);
      if (col < 0 || col >= columns.length) return key;
      return columns[col][Math.min(p.row, columns[col].length - 1)];
    }
    function key(event, k) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        onOpen(k);
      } else if (["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End"].indexOf(event.key) !== -1) {
        event.preventDefault();
        var to = next(k, event.key);
        if (to && to !== k) groups[to].focus();
      }
    }
    function focus(key) {
      root.classList.add("focused");
      var near = {};
      near[key] = true;
      Array.prototype.forEach.call(root.querySelectorAll(".hot"), function (e) { e.classList.remove("hot"); });
      (byKey[key] || []).forEach(function (e) { e.path.classList.add("hot"); near[e.other] = true; });
      Object.keys(groups).forEach(function (k) {
        groups[k].classList.toggle("dim", !near[k]);
        groups[k].classList.toggle("active", k === key);
      });
      onShow(describe(where[key].draft));
    }
    function unfocus() {
      root.classList.remove("focused");
      Array.prototype.forEach.call(root.querySelectorAll(".hot"), function (e) { e.classList.remove("hot"); });
      Object.keys(groups).forEach(function (k) { groups[k].classList.remove("dim", "active"); });
      onShow("");
    }
    return root;
  }

  window.TG = window.TG || {};
  window.TG.drawGraph = draw;
})();
