/* The Forge Custom UI page's first script (bundled with @forge/bridge into forge.js by `make forge-bundle`).
   A Connect page gets its context rendered in; a Custom UI page is static, so the context comes from the
   bridge. The page's own scripts (the same files the Connect page loads, kept inert in index.html as
   text/x-ticketgen-later) run only once transport.js has that context, in their order. */
import { invokeRemote, requestRemote, router, view } from "@forge/bridge";

window.TGForge = { invokeRemote: invokeRemote, requestRemote: requestRemote, router: router, view: view };

function load(src) {
  return new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = function () { reject(new Error("The page's script " + src + " could not be loaded.")); };
    document.body.appendChild(script);
  });
}

function later() {
  var inert = document.querySelectorAll('script[type="text/x-ticketgen-later"]');
  return Array.prototype.map.call(inert, function (script) { return script.getAttribute("data-src"); });
}

function fail(error) {
  var notice = document.getElementById("page-notice") || document.body;
  var box = document.createElement("div");
  box.className = "message error";
  box.setAttribute("role", "alert");
  box.textContent = "The Ticket Generator could not start: " + ((error && error.message) || error);
  notice.appendChild(box);
}

function start() {
  var scripts = later();
  var transport = scripts.shift(); // transport.js first: it learns the context everything else reads
  return load(transport).then(function () { return window.TGTransport.ready; }).then(function (ctx) {
    var key = document.getElementById("tg-project-key");
    if (key) key.textContent = ctx.projectKey;
    return scripts.reduce(function (done, src) { return done.then(function () { return load(src); }); }, Promise.resolve());
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", function () { start().catch(fail); });
} else {
  start().catch(fail);
}
