/* The spec review: the questions for the spec owner, grouped by topic, each with its rows and the fix, and
   the same report as a Markdown download. */
(function () {
  "use strict";
  var TG = window.TG, el = TG.el, clear = TG.clear;
  var P = TG.panel, state = P.state, $ = P.$;
  var OPEN_ALL_UP_TO = 10; // a short review is shown whole; a long one by topic, opened on demand

  function loadReview() {
    return TG.request("GET", P.batchPath("review")).then(function (body) { state.review = body; })
      .catch(function (error) { state.review = {error: error.message}; });
  }

  function renderReview() {
    var review = state.review, box = clear($("review")), badge = clear($("review-count"));
    var link = $("download-review");
    if (!review) return;
    if (review.error) {
      link.hidden = true;
      box.appendChild(TG.message("error", "The spec review could not be loaded.", el("p", null, review.error)));
      return;
    }
    link.hidden = false;
    badge.appendChild(review.count ? TG.lozenge("warning", P.plural(review.count, "question")) : TG.lozenge("success", "no questions"));
    if (!review.count) {
      box.appendChild(TG.message("success", "Nothing to ask the spec owner: the review found no row Drupal would refuse and no disagreement between the sheets."));
      return;
    }
    var many = review.count > OPEN_ALL_UP_TO;
    review.topics.forEach(function (topic) {
      var key = "topic:" + topic.topic;
      var open = state.open[key] !== undefined ? state.open[key] : !many;
      var details = el("details", {class: "review-topic", "data-topic": topic.topic, open: open},
        el("summary", null, topic.title + " ", el("span", {class: "count"}, "(" + topic.questions.length + ")")),
        el("ol", null, topic.questions.map(questionItem)));
      details.addEventListener("toggle", function () { state.open[key] = details.open; });
      box.appendChild(details);
    });
  }

  function questionItem(q) {
    var value = q.value ? el("code", null, q.value) : el("span", {class: "muted"}, "(blank)");
    var cell = q.column ? [" · ", q.column, " ", value] : null;
    var suggestions = (q.suggestions || []).filter(function (s) { return s && q.message.indexOf(s) === -1; });
    return el("li", {"data-code": q.code},
      el("span", null, q.message),
      el("span", {class: "where muted small"}, P.rowsText(q.rows).join("; "), cell),
      q.fix && q.message.indexOf(q.fix) === -1 ? el("span", {class: "where small"}, "Fix: " + q.fix) : null,
      suggestions.length ? el("span", {class: "where small"}, "Suggested: ", suggestions.map(function (s, i) { return [i ? ", " : null, el("code", null, s)]; })) : null,
      el("code", {class: "small"}, q.code));
  }

  /* The download needs the API's Authorization header: fetch it, then let the link's own click save a blob. */
  function setupReview() {
    var link = $("download-review"), blobUrl = null;
    link.addEventListener("click", function (event) {
      if (blobUrl) return;
      event.preventDefault();
      TG.request("GET", P.batchPath("review.md"), null, {raw: true}).then(function (response) {
        if (!response.ok) throw {message: "The spec review could not be downloaded; try again."};
        return response.blob();
      }).then(function (blob) {
        blobUrl = URL.createObjectURL(blob);
        link.href = blobUrl;
        link.setAttribute("download", TG.fileName("spec-review-", state.status.batch.name, ".md"));
        link.click();
        setTimeout(function () { URL.revokeObjectURL(blobUrl); blobUrl = null; link.href = "#"; }, 1000);
      }).catch(P.fail);
    });
  }


  P.loadReview = loadReview;
  P.renderReview = renderReview;
  P.setupReview = setupReview;
})();
