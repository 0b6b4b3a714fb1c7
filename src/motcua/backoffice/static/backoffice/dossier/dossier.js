// Progressive help on the dossier page; everything works without it.
// "Add a row" copies the last row of a repeatable group in place instead of posting the form back.
(function () {
  "use strict";
  var LAST_INDEX = /-(\d+)-(?!.*-\d+-)/;

  function renumber(element, index) {
    ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      if (value) {
        element.setAttribute(attribute, value.split(" ").map(function (part) {
          return part.replace(LAST_INDEX, "-" + index + "-");
        }).join(" "));
      }
    });
  }

  function clear(row, index, template) {
    row.querySelectorAll(".error, [data-stored-file]").forEach(function (node) { node.remove(); });
    row.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.tagName === "SELECT") { input.selectedIndex = 0; } else { input.value = ""; }
    });
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) { renumber(node, index); });
    row.querySelectorAll("[data-row-label]").forEach(function (label) {
      label.textContent = " " + template.replace("%d", index + 1);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) { return; }
    var group = button.closest("[data-rows]");
    var rows = group.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var label = last.querySelector("[data-row-label]");
    var number = String(rows.length);
    var template = label ? label.textContent.trim().replace(number, "%d") : "";
    var copy = last.cloneNode(true);
    clear(copy, rows.length, template);
    last.after(copy);
    group.querySelector("[data-row-count]").value = rows.length + 1;
    var first = copy.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
    event.preventDefault();
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
