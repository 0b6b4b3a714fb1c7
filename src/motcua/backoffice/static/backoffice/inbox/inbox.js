// Progressive help for the inbox's bulk form: "select all on this page" and a count of the selection.
// Without JavaScript every row still has its own checkbox and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var all = form.querySelector("input[data-pick-all]");
  var rows = Array.prototype.slice.call(form.querySelectorAll("input[name='dossiers']"));
  var counter = form.querySelector("[data-selection-count]");

  function refresh() {
    var picked = rows.filter(function (box) { return box.checked; }).length;
    if (all) {
      all.checked = picked > 0 && picked === rows.length;
      all.indeterminate = picked > 0 && picked < rows.length;
    }
    if (counter) { counter.textContent = picked ? counter.dataset.template.replace("{count}", picked) : ""; }
  }

  if (all && rows.length) {
    form.querySelectorAll("[data-pick-all]").forEach(function (el) { el.hidden = false; });
    all.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
  }
  rows.forEach(function (box) { box.addEventListener("change", refresh); });
  refresh();

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
