/* The step bar stays on screen: each reached step takes the reader to its card, and the page's next action
   (its first visible primary button) is offered in the bar whenever that button is scrolled out of view,
   so nobody has to find "Generate drafts" 1,200 px below a long findings table. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel, $ = P.$;
  var CARDS = {upload: "upload-card", check: "files-card", review: "drafts-card", plan: "plan-card", create: "export-card"};
  var ORDER = ["upload", "check", "review", "plan", "create"];
  var watched = null, scheduled = false, shown = "", reached = 0;
  var seen = new IntersectionObserver(function () { schedule(); }, {threshold: 1});

  function visible(node) { return !!(node && node.offsetParent !== null); }

  function nextAction() {
    var buttons = document.querySelectorAll("#app .btn.primary");
    for (var i = 0; i < buttons.length; i++) if (visible(buttons[i]) && !$("stepbar").contains(buttons[i])) return buttons[i];
    return null;
  }

  function inView(node) {
    var box = node.getBoundingClientRect(), bar = $("stepbar").getBoundingClientRect();
    return box.top >= bar.bottom && box.bottom <= window.innerHeight;
  }

  /* Cards appear after the summary is drawn, so which steps open is settled on every change. */
  function enableSteps() {
    Array.prototype.forEach.call(document.querySelectorAll("#steps li"), function (li) {
      var step = li.getAttribute("data-step");
      li.querySelector("button").disabled = ORDER.indexOf(step) > reached || !visible($(CARDS[step]));
    });
  }

  function render() {
    scheduled = false;
    enableSteps();
    var button = nextAction();
    if (button !== watched) {
      if (watched) seen.unobserve(watched);
      watched = button;
      if (button) seen.observe(button);
    }
    var wanted = button && !inView(button) ? button.textContent + (button.disabled ? " (disabled)" : "") : "";
    if (wanted === shown) return;  // the bar's own change would otherwise wake the observer again
    shown = wanted;
    var slot = clear($("next-action"));
    if (!wanted) return;
    slot.appendChild(el("button", {type: "button", class: "btn primary", disabled: button.disabled || null,
      title: "Scrolls to the button below and presses it",
      onclick: function () { button.scrollIntoView({block: "center"}); button.focus(); if (!button.disabled) button.click(); }},
      button.textContent));
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(render);
  }

  function goTo(step) {
    var card = $(CARDS[step]);
    if (!visible(card)) return;
    card.scrollIntoView({block: "start"});
    var heading = card.querySelector("h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({preventScroll: true}); }
  }

  function setupSteps() {
    Array.prototype.forEach.call(document.querySelectorAll("#steps li"), function (li) {
      li.querySelector("button").addEventListener("click", function () { goTo(li.getAttribute("data-step")); });
    });
    new MutationObserver(function (changes) {
      if (changes.some(function (c) { return !$("stepbar").contains(c.target); })) schedule();
    }).observe($("app"), {subtree: true, childList: true, attributes: true, attributeFilter: ["hidden", "disabled", "class"]});
    window.addEventListener("scroll", schedule, {passive: true});
    window.addEventListener("resize", schedule);
    schedule();
  }

  /* A step can be opened once it is reached: done, current, or `upTo` (the plan can be made while reviewing). */
  function markSteps(current, finished, upTo) {
    reached = Math.max(ORDER.indexOf(current), upTo ? ORDER.indexOf(upTo) : -1);
    var now = ORDER.indexOf(current);
    Array.prototype.forEach.call(document.querySelectorAll("#steps li"), function (li) {
      var i = ORDER.indexOf(li.getAttribute("data-step"));
      li.className = i < now || (finished && i === now) ? "done" : (i === now ? "current" : "");
      if (i === now) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
    schedule();
  }

  P.setupSteps = setupSteps;
  P.markSteps = markSteps;
})();
