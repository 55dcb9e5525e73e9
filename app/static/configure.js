/* The configure page: load the tenant's settings, check them field by field, save them. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el;
  var form = document.getElementById("settings-form");
  var saveState = document.getElementById("save-state");
  var LISTS = ["approvers", "ticketed_codes", "on_hold_codes", "existing_codes", "labels"];
  var FLAGS = ["approval_required", "llm_enabled"];
  var DAYS = ["retention_exported_days", "retention_inactive_days"];
  var TEXTS = ["slack_channel", "issue_type", "llm_model"];

  var ACCOUNT = /^[A-Za-z0-9:_-]{1,128}$/;  /* as app/store/settings.py ACCOUNT_ID */
  var USER = /^[UW][A-Z0-9]{6,20}$/;

  function field(name) { return document.getElementById(name); }
  function split(text) { return text.split(/[\s,;]+/).map(function (s) { return s.trim(); }).filter(Boolean); }

  /* One Jira account field per approver named in the approvers box, keeping what was typed in each. */
  function showAccounts(links) {
    var rows = document.getElementById("approver-account-rows");
    var typed = links || readAccounts();
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    var users = split(field("approvers").value).filter(function (u) { return USER.test(u); });
    users.filter(function (u, i) { return users.indexOf(u) === i; }).forEach(function (user) {
      var id = "account-" + user;
      rows.appendChild(el("div", {class: "approver-account"},
        el("label", {for: id}, "Jira account of " + user),
        el("input", {type: "text", id: id, "data-approver": user, value: typed[user] || "", placeholder: "557058:f58131cb-…", autocomplete: "off"})));
    });
    if (!users.length) rows.appendChild(el("p", {class: "help"}, "Name approvers above to link them."));
  }

  function readAccounts() {
    var out = {};
    Array.prototype.forEach.call(document.querySelectorAll("#approver-account-rows input"), function (input) {
      out[input.getAttribute("data-approver")] = input.value.trim();
    });
    return out;
  }

  function fill(settings) {
    LISTS.forEach(function (n) { field(n).value = (settings[n] || []).join(", "); });
    FLAGS.forEach(function (n) { field(n).checked = !!settings[n]; });
    DAYS.concat(TEXTS).forEach(function (n) { field(n).value = settings[n] === undefined ? "" : settings[n]; });
    showAccounts(settings.approver_accounts || {});
    var as = document.getElementById("category_as-" + (settings.category_as || "label"));
    if (as) as.checked = true;
  }

  /* Without a key on the server the template writer runs whatever the tenant chose: show that, and keep
     the tenant's choice (not sent while the box is disabled) for when a key is set. */
  function showWriter(llm) {
    var available = !llm || llm.available !== false;
    var note = document.getElementById("llm-unavailable");
    ["llm_enabled", "llm_model"].forEach(function (n) { field(n).disabled = !available; });
    if (!available) field("llm_enabled").checked = false;
    note.hidden = available;
  }

  function read() {
    var out = {};
    LISTS.forEach(function (n) { out[n] = split(field(n).value); });
    FLAGS.forEach(function (n) { if (!field(n).disabled) out[n] = field(n).checked; });
    TEXTS.forEach(function (n) { if (!field(n).disabled) out[n] = field(n).value.trim(); });
    DAYS.forEach(function (n) { out[n] = field(n).value.trim(); });
    out.approver_accounts = readAccounts();
    var as = form.querySelector('input[name="category_as"]:checked');
    if (as) out.category_as = as.value;
    return out;
  }

  /* Field name → what is wrong, in words. */
  function validate(v) {
    var errors = {};
    if (v.slack_channel && !/^([CG][A-Z0-9]{6,20}|#[a-z0-9][a-z0-9._-]{0,79})$/.test(v.slack_channel)) {
      errors.slack_channel = "Use the channel's id (like C0123ABCD) or its name starting with # (lower case, no spaces).";
    }
    var badUsers = v.approvers.filter(function (u) { return !USER.test(u); });
    if (badUsers.length) errors.approvers = badUsers.join(", ") + (badUsers.length === 1 ? " is not a Slack user id" : " are not Slack user ids") + "; they look like U0123ABCD.";
    if (v.approvers.length > 50) errors.approvers = "Name at most 50 approvers.";
    if (v.approval_required && v.slack_channel && !v.approvers.length) errors.approvers = "Name at least one approver, or nobody can approve.";
    var badAccounts = Object.keys(v.approver_accounts).filter(function (u) { var a = v.approver_accounts[u]; return a && !ACCOUNT.test(a); });
    if (badAccounts.length) errors.approver_accounts = "The Jira account of " + badAccounts.join(", ") + " is not an account id: 1 to 128 letters, digits or : _ -, like 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077.";
    ["ticketed_codes", "on_hold_codes", "existing_codes"].forEach(function (n) {
      var bad = v[n].filter(function (c) { return !/^[A-Za-z0-9?!*+-]{1,8}$/.test(c); });
      if (bad.length) errors[n] = "Codes are short values such as a or w (at most 8 characters): " + bad.join(", ") + ".";
      else if (v[n].length > 20) errors[n] = "Give at most 20 codes.";
    });
    if (!errors.ticketed_codes && !v.ticketed_codes.length) errors.ticketed_codes = "Give at least one code, or no ticket would ever be created.";
    var lower = function (list) { return list.map(function (c) { return c.toLowerCase(); }); };
    var ticketed = lower(v.ticketed_codes);
    var notTicketed = lower(v.on_hold_codes).filter(function (c) { return ticketed.indexOf(c) === -1; });
    if (!errors.on_hold_codes && notTicketed.length) errors.on_hold_codes = "On-hold codes must also be listed as codes that create tickets: " + notTicketed.join(", ") + ".";
    var both = lower(v.existing_codes).filter(function (c) { return ticketed.indexOf(c) !== -1; });
    if (!errors.existing_codes && both.length) errors.existing_codes = "A code cannot both create a ticket and mean “already exists”: " + both.join(", ") + ".";
    var badLabels = v.labels.filter(function (l) { return l.length > 255; });
    if (badLabels.length) errors.labels = "A label can be at most 255 characters.";
    else if (v.labels.length > 20) errors.labels = "Give at most 20 labels.";
    if (!v.issue_type) errors.issue_type = "Name the issue type to create, for example Task.";
    else if (v.issue_type.length > 60) errors.issue_type = "An issue type name is at most 60 characters.";
    if (v.llm_model && !/^[A-Za-z0-9._:-]{1,100}$/.test(v.llm_model)) errors.llm_model = "A model name has no spaces, for example claude-sonnet-4-5.";
    DAYS.forEach(function (n) {
      var days = Number(v[n]);
      if (!/^\d+$/.test(v[n]) || days < 1 || days > 3650) errors[n] = "Enter a whole number of days from 1 to 3650.";
      else v[n] = days;
    });
    return errors;
  }

  function showErrors(errors) {
    Array.prototype.forEach.call(form.querySelectorAll(".field"), function (box) {
      box.classList.remove("invalid");
      var old = box.querySelector(".error");
      if (old) old.parentNode.removeChild(old);
    });
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var input = field(name);
      if (!input) return;
      var box = input.closest(".field");
      var id = name + "-error";
      box.classList.add("invalid");
      box.appendChild(el("p", {class: "error", id: id}, errors[name]));
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id + (document.getElementById(name + "-help") ? " " + name + "-help" : ""));
      if (!first) first = input;
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (input) {
      if (!errors[input.id]) {
        input.removeAttribute("aria-invalid");
        var help = document.getElementById(input.id + "-help");
        if (help) input.setAttribute("aria-describedby", help.id); else input.removeAttribute("aria-describedby");
      }
    });
    if (first) first.focus();
  }

  field("approvers").addEventListener("input", function () { showAccounts(); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var values = read();
    var errors = validate(values);
    showErrors(errors);
    if (Object.keys(errors).length) {
      saveState.className = "save-state failed";
      saveState.textContent = "Not saved: correct the " + (Object.keys(errors).length === 1 ? "field" : "fields") + " marked in red.";
      return;
    }
    saveState.className = "save-state";
    saveState.textContent = "Saving…";
    TG.request("PUT", "", values).then(function (body) {
      fill(body.settings);
      showWriter(body.llm);
      saveState.className = "save-state saved";
      saveState.textContent = "Saved " + new Date().toLocaleTimeString() + ".";
    }).catch(function (error) {
      var match = /setting '([a-z_]+)'/i.exec(error.message || "");
      if (match && field(match[1])) {
        var one = {};
        one[match[1]] = error.message.replace(/^setting '[a-z_]+' /i, "This ");
        showErrors(one);
      }
      saveState.className = "save-state failed";
      saveState.textContent = "Not saved: " + error.message;
    });
  });

  function showSlack(slack) {
    var box = document.getElementById("slack-workspace");
    if (!slack || slack.mode !== "workspaces") { box.hidden = true; return; }
    box.hidden = false;
    document.getElementById("slack-workspace-state").textContent = slack.team_id
      ? "Linked Slack workspace: " + (slack.team_name || slack.team_id) + "."
      : "No Slack workspace is linked yet: connect one, then choose one of its channels.";
    var link = document.getElementById("slack-connect");
    link.href = slack.install_url;
    link.textContent = slack.team_id ? "Link another Slack workspace" : "Connect Slack";
  }

  TG.request("GET", "").then(function (body) { fill(body.settings); showWriter(body.llm); showSlack(body.slack); }).catch(function (error) {
    document.getElementById("page-notice").appendChild(TG.message("error", "The settings could not be loaded.", el("p", null, error.message)));
  });
})();
