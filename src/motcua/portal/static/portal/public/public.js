// Bring an error summary into view and focus, so screen readers announce it and keyboards start there.
(function () {
  "use strict";
  var summary = document.querySelector("[data-autofocus]");
  if (summary) {
    summary.focus();
  }
})();
