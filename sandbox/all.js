/* Sandbox stand-in for Atlassian Connect's all.js: the parts of `AP` the panel uses.
   Inside the sandbox project page, requests go to the host page by postMessage (as in Jira);
   opened directly in a tab, the token comes from the sandbox's own endpoint. */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var hostOrigin = params.get("xdm_e") || window.location.origin;
  var contextPath = params.get("cp") || "/sandbox";
  var projectKey = (window.location.pathname.match(/projects\/([^/?#]+)/) || [])[1] || params.get("projectKey") || "";
  var pending = {};
  var counter = 0;

  function viaEndpoint(callback) {
    fetch(hostOrigin + contextPath + "/context-token?project=" + encodeURIComponent(projectKey), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (body) { callback(body.token); })
      .catch(function () { callback(null); });
  }

  function askHost(kind, callback) {
    if (window.parent === window) { viaEndpoint(callback); return; }
    var id = "ap-" + (++counter);
    pending[id] = callback;
    window.parent.postMessage({sandboxAP: kind, id: id, project: projectKey}, hostOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== hostOrigin || !event.data || !event.data.sandboxAPReply) return;
    var callback = pending[event.data.id];
    delete pending[event.data.id];
    if (callback) callback(event.data.value);
  });

  function promised(kind, callback) {
    return new Promise(function (resolve) {
      askHost(kind, function (value) { if (callback) callback(value); resolve(value); });
    });
  }

  window.AP = {
    context: {
      getToken: function (callback) { return promised("token", callback); },
      getContext: function (callback) {
        var value = {jira: {project: {key: projectKey}}};
        if (callback) callback(value);
        return Promise.resolve(value);
      }
    },
    user: {
      getCurrentUser: function (callback) { return promised("user", callback); }
    },
    resize: function () {},
    sizeToParent: function () {},
    flag: {create: function (options) { if (window.console) console.log("AP.flag", options); return {close: function () {}}; }},
    navigator: {go: function () {}, reload: function () { window.location.reload(); }}
  };
})();
