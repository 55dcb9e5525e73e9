/* How the page reaches the backend, so the panel and settings code never ask which host framed them.
   Connect: a fetch with the page's session token, then Jira's context token (AP) once that expires.
   Forge (Custom UI, see static/ and `make forge-bundle`): @forge/bridge, handed over by forge.js as
   window.TGForge. JSON calls go through invokeRemote, the only call Forge sends the user's Jira token
   with (the backend acts with that person's permissions); files (the upload, the downloads) go through
   requestRemote, which carries bytes but only the invocation token. Forge frames Custom UI without
   allow-popups or allow-top-navigation, so a link that leaves the page (target _blank or _top) would do
   nothing: there the bridge's router opens it, with a site-relative path so Jira does not ask first.
   Every call resolves to a Response-like {status, ok, text(), blob()}; a backend that cannot be reached
   rejects. `ready` resolves once the page's context is known (Forge asks the bridge for it). */
(function () {
  "use strict";

  var REMOTE = "backend"; // app/forge/manifest.py REMOTE_KEY

  function connectTransport(ctx) {
    var useContextToken = false; // after the session token expires, Jira's context tokens take over

    function contextToken() {
      if (!window.AP || !window.AP.context || !window.AP.context.getToken) return Promise.resolve(null);
      return new Promise(function (resolve) { window.AP.context.getToken(function (t) { resolve(t || null); }); });
    }

    function authHeader() {
      if (!useContextToken) return Promise.resolve("Bearer " + ctx.sessionToken);
      return contextToken().then(function (t) { return t ? "JWT " + t : "Bearer " + ctx.sessionToken; });
    }

    function send(method, url, body, retried) {
      return authHeader().then(function (auth) {
        var init = {method: method, headers: {"Authorization": auth, "Accept": "application/json"}};
        if (body !== undefined && body !== null) {
          init.headers["Content-Type"] = "application/json";
          init.body = JSON.stringify(body);
        }
        return fetch(url, init);
      }).then(function (response) {
        if (response.status === 401 && !useContextToken && !retried && window.AP && ctx.projectKey) {
          useContextToken = true;
          return send(method, url, body, true);
        }
        return response;
      });
    }

    /* XMLHttpRequest, not fetch: only it reports upload progress. */
    function upload(url, form, onProgress) {
      return authHeader().then(function (auth) {
        return new Promise(function (resolve, reject) {
          var xhr = new XMLHttpRequest();
          xhr.open("POST", url);
          xhr.setRequestHeader("Authorization", auth);
          xhr.setRequestHeader("Accept", "application/json");
          xhr.upload.onprogress = function (event) { if (event.lengthComputable) onProgress(event.loaded, event.total); };
          xhr.onload = function () { resolve(reply(xhr.status, xhr.responseText)); };
          xhr.onerror = function () { reject(new Error("unreachable")); };
          xhr.send(form);
        });
      });
    }

    return {host: "connect", ready: Promise.resolve(ctx), send: send, download: function (url) { return send("GET", url); }, upload: upload};
  }

  function forgeTransport(ctx, bridge) {
    function send(method, url, body) {
      var input = {path: url, method: method, headers: {"Accept": "application/json"}};
      if (body !== undefined && body !== null) {
        input.headers["Content-Type"] = "application/json";
        input.body = body;
      }
      return bridge.invokeRemote(input).then(function (answer) {
        answer = answer || {};
        var text = answer.body === undefined || answer.body === null ? "" : JSON.stringify(answer.body);
        return reply(answer.status || 0, text);
      });
    }

    function download(url) {
      return bridge.requestRemote(REMOTE, {path: url, method: "GET", headers: {"Accept": "*/*"}});
    }

    /* The bridge serialises a FormData one value per name, so each file gets its own name
       (files, files.1, files.2, ...); Forge reports no upload progress, so progress jumps to done. */
    function upload(url, form, onProgress) {
      var keyed = new FormData(), count = 0, total = 0;
      form.forEach(function (value, name) {
        if (name === "files" && typeof value !== "string") {
          keyed.append(count ? "files." + count : "files", value, value.name);
          count += 1;
          total += value.size;
        } else keyed.append(name, value);
      });
      return bridge.requestRemote(REMOTE, {path: url, method: "POST", headers: {"Accept": "application/json"}, body: keyed})
        .then(function (response) {
          onProgress(total, total);
          return response.text().then(function (text) { return reply(response.status, text); });
        });
    }

    var ready = bridge.view.getContext().then(function (context) {
      var extension = context.extension || {};
      var project = extension.project || {};
      ctx.projectKey = project.key || "";
      ctx.accountId = context.accountId || "";
      ctx.jiraBaseUrl = String(context.siteUrl || "").replace(/\/$/, "");
      ctx.apiBase = ctx.page === "settings" ? "/api/settings" : "/api/projects/" + encodeURIComponent(ctx.projectKey);
      if (ctx.page === "settings") return ctx;
      // What the Connect page gets rendered in: the approval settings the panel's wording depends on.
      return send("GET", ctx.apiBase + "/page-context").then(function (answer) {
        return answer.text().then(function (text) {
          if (!answer.ok) throw new Error("The app's backend answered HTTP " + answer.status + " for the page context.");
          var body = JSON.parse(text || "{}");
          ctx.approvalRequired = !!body.approvalRequired;
          ctx.slackChannel = body.slackChannel || "";
          return ctx;
        });
      });
    });

    function sitePath(href) {
      var site = ctx.jiraBaseUrl;
      return site && href.indexOf(site + "/") === 0 ? href.slice(site.length) : href;
    }

    document.addEventListener("click", function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a[href][target]") : null;
      if (!link || event.defaultPrevented || (link.target !== "_blank" && link.target !== "_top")) return;
      var href = link.getAttribute("href");
      if (!href || href === "#") return;
      event.preventDefault();
      var go = link.target === "_top" ? bridge.router.navigate : bridge.router.open;
      go(sitePath(link.href)).catch(function () { /* the person declined to leave for another site */ });
    });

    return {host: "forge", ready: ready, send: send, download: download, upload: upload};
  }

  function reply(status, text) {
    return {
      status: status,
      ok: status >= 200 && status < 300,
      text: function () { return Promise.resolve(text); },
      blob: function () { return Promise.resolve(new Blob([text])); }
    };
  }

  var ctx = JSON.parse(document.getElementById("ticketgen-context").textContent);
  var transport = ctx.host === "forge" ? forgeTransport(ctx, window.TGForge) : connectTransport(ctx);
  transport.ctx = ctx;
  window.TGTransport = transport;
})();
