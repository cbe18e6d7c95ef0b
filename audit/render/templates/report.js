/* citeaudit report filters: severity, link verdict and text search. No network, no storage. */
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var items = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=severity]"));
  var verdict = document.getElementById("verdict-filter");
  var search = document.getElementById("search");
  var count = document.getElementById("shown-count");
  var reset = document.getElementById("reset-filters");
  if (!verdict || !search || !count || !reset) { return; }

  function apply() {
    var wanted = {};
    boxes.forEach(function (b) { wanted[b.value] = b.checked; });
    var v = verdict.value;
    var q = search.value.trim().toLowerCase();
    var shown = 0;
    cards.forEach(function (card) {
      var sevs = (card.getAttribute("data-severities") || "none").split(" ");
      var sevOk = sevs.some(function (s) { return wanted[s]; });
      var verdictOk = !v || card.getAttribute("data-verdict") === v;
      var textOk = !q || card.textContent.toLowerCase().indexOf(q) !== -1;
      card.hidden = !(sevOk && verdictOk && textOk);
      if (!card.hidden) { shown += 1; }
    });
    items.forEach(function (li) {
      li.hidden = !wanted[li.getAttribute("data-severity")];
    });
    count.textContent = shown + " of " + cards.length + " citations shown";
  }

  function clear() {
    boxes.forEach(function (b) { b.checked = true; });
    verdict.value = "";
    search.value = "";
    apply();
  }

  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  verdict.addEventListener("change", apply);
  search.addEventListener("input", apply);
  reset.addEventListener("click", clear);

  // A marker whose card is filtered out would scroll nowhere: show everything first.
  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("a.mark") : null;
    if (!link) { return; }
    var card = document.getElementById(link.getAttribute("href").slice(1));
    if (card && card.hidden) { clear(); }
  });

  apply();
})();
