/* People as Jira shows them: round avatars (or initials) and a combobox over the project's assignable
   people, searched by name in Jira as the person types. Used by the Plan step and the drafts' bulk edit. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel;
  var SHOWN = 8;

  function initials(name) {
    return String(name || "?").split(/\s+/).filter(Boolean).slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join("") || "?";
  }

  /* Jira's avatar: the person's picture, or their initials while there is none. */
  function avatar(person, size) {
    var cls = "avatar" + (size === "small" ? " small" : "");
    if (!person) return el("span", {class: cls + " empty", "aria-hidden": "true"});
    var letters = el("span", {class: cls + " initials", "aria-hidden": "true"}, initials(person.display_name || person.account_id));
    if (!person.avatar_url) return letters;
    var img = el("img", {class: cls, src: person.avatar_url, alt: "", width: size === "small" ? 16 : 24, height: size === "small" ? 16 : 24});
    img.addEventListener("error", function () { if (img.parentNode) img.parentNode.replaceChild(letters, img); });
    return img;
  }

  function nameOf(person) { return person ? (person.display_name || person.account_id) : "Unassigned"; }

  /* A combobox over the project's assignable people, searched by name in Jira as the person types. */
  function personPicker(id, labelText, onPick, options) {
    options = options || {};
    var listId = id + "-options", shown = [], active = -1, asked = 0;
    var input = el("input", {type: "text", id: id, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": listId, autocomplete: "off", placeholder: options.placeholder || "Search people by name", disabled: !!options.disabled});
    var list = el("ul", {class: "picker-options", id: listId, role: "listbox", "aria-label": "People who can be assigned", hidden: true});
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute("aria-selected", String(n === i)); });
      if (i >= 0 && list.children[i]) input.setAttribute("aria-activedescendant", list.children[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function pick(person) { close(); input.value = ""; onPick(person); }
    function show(items, note) {
      shown = items.slice(0, SHOWN);
      clear(list);
      shown.forEach(function (u, i) {
        list.appendChild(el("li", {role: "option", id: listId + "-" + i, "aria-selected": "false",
          onmousedown: function (event) { event.preventDefault(); pick(u); }}, avatar(u), " ", el("span", {class: "summary"}, u.display_name)));
      });
      if (note) list.appendChild(el("li", {class: "muted small picker-more", role: "presentation"}, note));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(shown.length === 1 ? 0 : -1);
    }
    var search = TG.debounce(function () {
      var query = input.value.trim();
      if (!query) { close(); return; }
      var mine = ++asked;
      show([], "Searching…");
      TG.request("GET", P.batchPath("plan/users?query=" + encodeURIComponent(query))).then(function (body) {
        if (mine !== asked || document.activeElement !== input) return;
        show(body.users, body.users.length ? (body.users.length > SHOWN ? "More people match: type more of the name." : null)
          : "Nobody who can be assigned issues in this project matches “" + query + "”.");
      }).catch(function (error) { if (mine === asked) show([], error.message); });
    }, 250);
    input.addEventListener("input", search);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && shown.length) {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(active === -1 ? (step > 0 ? 0 : shown.length - 1) : (active + step + shown.length) % shown.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!list.hidden && active >= 0 && shown[active]) pick(shown[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    return el("div", {class: "field picker person-picker"}, el("label", {for: id, class: options.hideLabel ? "sr-only" : null}, labelText), input, list);
  }

  function personJson(u) { return {account_id: u.account_id, display_name: u.display_name, avatar_url: u.avatar_url || ""}; }

  P.avatar = avatar;
  P.personName = nameOf;
  P.personPicker = personPicker;
  P.personJson = personJson;
})();
