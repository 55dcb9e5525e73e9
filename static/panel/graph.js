/* The dependency picture: one column per ticket kind in export order, tickets top to bottom in export
   order, a curve per Blocks link. Hovering a ticket highlights its links and neighbours. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var KIND_ORDER = ["user_role", "bundle", "fields", "image_styles", "responsive_image_style", "view_modes", "display", "view", "workflow"];
  var NODE_W = 200, NODE_H = 22, ROW = 28, COL_GAP = 72, TOP = 36, LEFT = 16;

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function short(text, max) { return text.length > max ? text.slice(0, max - 1) + "…" : text; }

  function draw(drafts, dependencies, labels) {
    var kinds = KIND_ORDER.filter(function (k) { return drafts.some(function (d) { return d.kind === k; }); });
    drafts.forEach(function (d) { if (kinds.indexOf(d.kind) === -1) kinds.push(d.kind); });
    var where = {}, rows = {};
    drafts.forEach(function (d) {
      var col = kinds.indexOf(d.kind);
      rows[col] = (rows[col] || 0) + 1;
      where[d.key] = {x: LEFT + col * (NODE_W + COL_GAP), y: TOP + (rows[col] - 1) * ROW, col: col, draft: d};
    });
    var height = TOP + Math.max.apply(null, [1].concat(Object.keys(rows).map(function (c) { return rows[c]; }))) * ROW + 8;
    var width = LEFT * 2 + kinds.length * NODE_W + (kinds.length - 1) * COL_GAP;
    var root = svg("svg", {class: "graph", width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-label": "Dependency graph: " + drafts.length + " tickets and " + dependencies.length +
      " dependencies, in columns by kind in export order"});
    kinds.forEach(function (kind, col) {
      root.appendChild(svg("text", {class: "col-title", x: LEFT + col * (NODE_W + COL_GAP), y: 20}, labels[kind] || kind));
    });
    var edges = svg("g"), nodes = svg("g");
    root.appendChild(edges);
    root.appendChild(nodes);
    var byKey = {};
    dependencies.forEach(function (dep) {
      var a = where[dep.blocker], b = where[dep.blocked];
      if (!a || !b) return;
      var y1 = a.y + NODE_H / 2, y2 = b.y + NODE_H / 2, d;
      if (a.col < b.col) {
        var x1 = a.x + NODE_W, x2 = b.x, mid = (x1 + x2) / 2;
        d = "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
      } else if (a.col > b.col) {
        var sx = a.x, ex = b.x + NODE_W, m = (sx + ex) / 2;
        d = "M" + sx + "," + y1 + " C" + m + "," + y1 + " " + m + "," + y2 + " " + ex + "," + y2;
      } else {
        var rx = a.x + NODE_W, bulge = rx + Math.min(COL_GAP - 8, 16 + Math.abs(y2 - y1) / 8);
        d = "M" + rx + "," + y1 + " C" + bulge + "," + y1 + " " + bulge + "," + y2 + " " + rx + "," + y2;
      }
      var path = svg("path", {class: "edge" + (dep.manual ? " manual" : ""), d: d});
      path.appendChild(svg("title", {}, dep.blocker + " blocks " + dep.blocked));
      edges.appendChild(path);
      [dep.blocker, dep.blocked].forEach(function (k) { (byKey[k] = byKey[k] || []).push({path: path, other: k === dep.blocker ? dep.blocked : dep.blocker}); });
    });
    var groups = {};
    drafts.forEach(function (d) {
      var p = where[d.key];
      var g = svg("g", {class: "node" + (d.included ? "" : " excluded"), transform: "translate(" + p.x + "," + p.y + ")"});
      g.appendChild(svg("title", {}, d.summary + " (" + d.key + ")"));
      g.appendChild(svg("rect", {width: NODE_W, height: NODE_H, rx: 3}));
      g.appendChild(svg("text", {x: 6, y: 15}, short(d.summary, 31)));
      groups[d.key] = g;
      g.addEventListener("mouseenter", function () { focus(d.key); });
      g.addEventListener("mouseleave", unfocus);
      nodes.appendChild(g);
    });

    function focus(key) {
      root.classList.add("focused");
      var near = {};
      near[key] = true;
      (byKey[key] || []).forEach(function (e) { e.path.classList.add("hot"); near[e.other] = true; });
      Object.keys(groups).forEach(function (k) {
        groups[k].classList.toggle("dim", !near[k]);
        groups[k].classList.toggle("active", k === key);
      });
    }
    function unfocus() {
      root.classList.remove("focused");
      Array.prototype.forEach.call(root.querySelectorAll(".hot"), function (e) { e.classList.remove("hot"); });
      Object.keys(groups).forEach(function (k) { groups[k].classList.remove("dim", "active"); });
    }
    return root;
  }

  window.TG = window.TG || {};
  window.TG.drawGraph = draw;
})();
