/* E-form checks in the browser: the rules the server applies (the page carries them as HTML and data-
   attributes), shown per field when it is left and all at once on submit, with an error summary. The messages
   are the server's, translated, read from the page's "eform-messages" JSON. Without this script the browser's
   own checks of the same attributes apply, and the server checks everything again in any case. */
(function () {
  "use strict";

  var catalogue = document.getElementById("eform-messages");
  var MESSAGES = catalogue ? JSON.parse(catalogue.textContent) : {};

  function message(key, limit) {
    var text = MESSAGES[key] || key;
    return limit === undefined ? text : text.replace("%s", limit);
  }

  function isControl(el) {
    return el.name && !el.disabled && ["hidden", "submit", "button", "reset"].indexOf(el.type) < 0;
  }

  function groupOf(el) {
    return el.type === "radio" ? el.closest(".choice-group") : null;
  }

  function valueOf(el) {
    if (el.type === "radio") {
      var list = el.form.elements.namedItem(el.name);
      return list && list.value ? list.value : "";
    }
    if (el.type === "checkbox") return el.checked ? "on" : "";
    if (el.type === "file") return el.files && el.files.length ? "file" : "";
    return el.value.trim();
  }

  function isRequired(el) {
    if (el.required) return true;
    var rule = el.getAttribute("data-required-when");
    if (!rule || !el.form) return false;
    var cut = rule.indexOf("=");
    var other = el.form.elements.namedItem(rule.slice(0, cut));
    return !!other && other.value === rule.slice(cut + 1);
  }

  function numberProblem(el, value) {
    var integer = el.getAttribute("step") === "1";
    if (integer ? !/^[+-]?\d+$/.test(value) : !/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(value)) {
      return message(integer ? "integer" : "number");
    }
    var number = parseFloat(value.replace(",", "."));
    var bounds = [["min", "min", function (b) { return number < b; }],
                  ["max", "max", function (b) { return number > b; }],
                  ["data-exclusive-min", "exclusive_min", function (b) { return number <= b; }],
                  ["data-exclusive-max", "exclusive_max", function (b) { return number >= b; }]];
    for (var i = 0; i < bounds.length; i++) {
      var raw = el.getAttribute(bounds[i][0]);
      if (raw !== null && raw !== "" && bounds[i][2](parseFloat(raw))) return message(bounds[i][1], raw);
    }
    return null;
  }

  function problemOf(el) {
    var value = valueOf(el);
    if (!value) return isRequired(el) ? message("required") : null;
    if (el.type === "radio" || el.type === "checkbox" || el.type === "file") return null;
    var length = Array.from(value).length;
    var low = el.getAttribute("minlength"), high = el.getAttribute("maxlength");
    if (low && length < +low) return message("minlength", low);
    if (high && length > +high) return message("maxlength", high);
    var pattern = el.getAttribute("data-pattern");
    if (pattern) {
      try {
        if (!new RegExp(pattern, "u").test(value)) return message("pattern");
      } catch (ignored) { /* a pattern the browser cannot read is left to the server */ }
    }
    if (el.type === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return message("email");
    if (el.type === "number") return numberProblem(el, value);
    if (el.type === "date" && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || isNaN(Date.parse(value)))) return message("date");
    if (el.type === "datetime-local" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return message("datetime");
    return null;
  }

  /* The element whose id names the error, and the inputs the error describes. */
  function anchorOf(el) {
    return groupOf(el) || el;
  }

  function inputsOf(el) {
    var group = groupOf(el);
    return group ? Array.from(group.querySelectorAll('input[type="radio"]')) : [el];
  }

  function showError(el, text) {
    var anchor = anchorOf(el);
    var errorId = anchor.id + "-error";
    var node = document.getElementById(errorId);
    var box = groupOf(el) || el.closest(".upload-slot") || el.closest(".field") || el.parentNode;
    inputsOf(el).forEach(function (input) {
      var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== errorId;
      });
      if (text) ids.push(errorId);
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
      else input.removeAttribute("aria-describedby");
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
    if (!text) {
      if (node) node.remove();
      return;
    }
    if (!node) {
      node = document.createElement("p");
      node.className = "error";
      node.id = errorId;
      box.appendChild(node);
    }
    node.textContent = text;
  }

  function check(el) {
    var text = problemOf(el);
    showError(el, text);
    return text;
  }

  function validate(form) {
    var problems = [];
    var seen = {};
    Array.from(form.elements).forEach(function (el) {
      if (!isControl(el) || (el.type === "radio" && seen[el.name])) return;
      seen[el.name] = true;
      var text = check(el);
      if (text) problems.push({ el: el, text: text });
    });
    return problems;
  }

  /* The field's name as its label shows it, for the summary. */
  function labelOf(el) {
    var group = groupOf(el);
    var source = group ? group.querySelector("legend") : el.id && document.querySelector('label[for="' + el.id + '"]');
    if (!source) return "";
    var copy = source.cloneNode(true);
    copy.querySelectorAll(".required-mark, .sr-only").forEach(function (node) { node.remove(); });
    return copy.textContent.trim();
  }

  function showSummary(form, problems) {
    var summary = document.getElementById("error-summary");
    if (!summary) {
      summary = document.createElement("div");
      summary.className = "error-summary";
      summary.id = "error-summary";
      summary.setAttribute("role", "alert");
      summary.setAttribute("tabindex", "-1");
      summary.setAttribute("aria-labelledby", "error-summary-title");
      form.parentNode.insertBefore(summary, form);
    }
    summary.innerHTML = "";
    var title = document.createElement("h2");
    title.id = "error-summary-title";
    title.textContent = message("summary");
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = anchorOf(problem.el);
      link.href = "#" + target.id;
      var label = labelOf(problem.el);
      link.textContent = label
        ? message("summary_item").replace("%(field)s", label).replace("%(problem)s", problem.text)
        : problem.text;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        (groupOf(problem.el) ? inputsOf(problem.el)[0] : problem.el).focus();
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(title);
    summary.appendChild(list);
    summary.focus();
  }

  function enhance(form) {
    form.noValidate = true;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("formnovalidate")) return;
      var problems = validate(form);
      if (problems.length) {
        event.preventDefault();
        showSummary(form, problems);
      }
    });
    form.addEventListener("focusout", function (event) {
      var el = event.target;
      if (!isControl(el) || el.type === "file") return;
      // Leaving one radio for the next of the same group is not leaving the question.
      var group = groupOf(el);
      if (group && event.relatedTarget && group.contains(event.relatedTarget)) return;
      check(el);
    });
    form.addEventListener("input", function (event) {
      // Once marked wrong, a field is re-checked as it is corrected, so the mark goes as soon as it is right.
      if (event.target.getAttribute("aria-invalid") === "true") check(event.target);
    });
    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT") check(el);
      if (el.type === "radio") {
        // A choice can make another field required (a person's ID number, an organisation's tax code).
        Array.from(form.querySelectorAll("[data-required-when]")).forEach(function (other) {
          if (other.getAttribute("aria-invalid") === "true") check(other);
        });
      }
    });
  }

  document.querySelectorAll("form[data-eform]").forEach(enhance);

  // A submission is sent once: a second click while the first is on its way does nothing.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  window.MotcuaForms = { message: message, showError: showError };
})();
