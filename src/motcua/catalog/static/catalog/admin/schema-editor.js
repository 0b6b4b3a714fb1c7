/* Live preview of a case's e-form while its JSON Schema is typed in the admin.
 *
 * The preview follows the rules the portal uses to draw the form (portal/eform.py): an enum of up to four
 * choices as radio buttons, a longer one as a select; booleans as a check box; integer and number as number
 * inputs; the formats date, date-time and email as their inputs; a maxLength of 256 or more as a text area;
 * an object as a group. The preview's inputs have no name, so they are never sent with the admin's form.
 * Every word shown comes translated from the page (data-texts); the script has none of its own.
 */
(function () {
  "use strict";

  var MAX_RADIO_CHOICES = 4;
  var TEXTAREA_FROM_LENGTH = 256;
  var REDRAW_DELAY_MS = 300;
  var FORMAT_INPUTS = { date: "date", "date-time": "datetime-local", email: "email", "idn-email": "email" };

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function make(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== undefined && attrs[key] !== null && attrs[key] !== false) {
        node.setAttribute(key, attrs[key] === true ? "" : String(attrs[key]));
      }
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function labelText(spec, key) {
    return typeof spec.title === "string" && spec.title ? spec.title : key;
  }

  function requiredMark(texts) {
    return make("span", { class: "required-mark", title: texts.required }, [" *"]);
  }

  function helpFor(spec, id) {
    return typeof spec.description === "string" && spec.description
      ? make("p", { class: "schema-preview-help", id: id + "-help" }, [spec.description])
      : null;
  }

  function choicesField(id, spec, key, required, texts) {
    var choices = spec.enum.map(String);
    var chosen = spec.default === undefined || spec.default === null ? null : String(spec.default);
    if (choices.length <= MAX_RADIO_CHOICES) {
      var legend = make("legend", {}, [labelText(spec, key)]);
      if (required) legend.append(requiredMark(texts));
      var options = choices.map(function (choice, index) {
        var optionId = id + "-" + index;
        return make("div", { class: "schema-preview-choice" }, [
          // Radios need a name to act as one group; naming a form that does not exist keeps them out of
          // the admin's form all the same.
          make("input", {
            type: "radio",
            id: optionId,
            name: id,
            value: choice,
            form: id + "-detached",
            checked: choice === chosen,
          }),
          make("label", { for: optionId }, [choice]),
        ]);
      });
      return make("fieldset", { class: "schema-preview-field" }, [legend].concat(options));
    }
    var select = make("select", { id: id, "aria-required": required ? "true" : null }, [
      make("option", { value: "" }, [texts.choose]),
    ]);
    choices.forEach(function (choice) {
      select.append(make("option", { value: choice, selected: choice === chosen }, [choice]));
    });
    return labelled(id, spec, key, required, texts, select);
  }

  function labelled(id, spec, key, required, texts, control) {
    var label = make("label", { for: id }, [labelText(spec, key)]);
    if (required) label.append(requiredMark(texts));
    var help = helpFor(spec, id);
    if (help) control.setAttribute("aria-describedby", help.id);
    return make("div", { class: "schema-preview-field" }, [label, control].concat(help ? [help] : []));
  }

  function leaf(id, spec, key, required, texts) {
    if (Array.isArray(spec.enum)) return choicesField(id, spec, key, required, texts);
    var type = spec.type || "string";
    var value = spec.default === undefined || spec.default === null ? null : String(spec.default);
    if (type === "boolean") {
      var box = make("input", { type: "checkbox", id: id, checked: spec.default === true });
      var help = helpFor(spec, id);
      return make(
        "div",
        { class: "schema-preview-field schema-preview-check" },
        [box, make("label", { for: id }, [labelText(spec, key)])].concat(help ? [help] : [])
      );
    }
    var attrs = { id: id, value: value, "aria-required": required ? "true" : null };
    if (type === "integer" || type === "number") {
      attrs.type = "number";
      attrs.step = type === "integer" ? "1" : "any";
      attrs.min = spec.minimum;
      attrs.max = spec.maximum;
      return labelled(id, spec, key, required, texts, make("input", attrs));
    }
    attrs.maxlength = spec.maxLength;
    attrs.minlength = spec.minLength;
    var inputType = FORMAT_INPUTS[spec.format] || "text";
    if (inputType === "text" && spec.maxLength >= TEXTAREA_FROM_LENGTH) {
      delete attrs.value;
      return labelled(id, spec, key, required, texts, make("textarea", attrs, value ? [value] : []));
    }
    attrs.type = inputType;
    return labelled(id, spec, key, required, texts, make("input", attrs));
  }

  function fields(schema, idPrefix, texts) {
    var required = Array.isArray(schema.required) ? schema.required : [];
    return Object.keys(isObject(schema.properties) ? schema.properties : {}).map(function (key) {
      var spec = isObject(schema.properties[key]) ? schema.properties[key] : {};
      var id = idPrefix + "-" + key.replace(/[^\w-]/g, "_");
      var isRequired = required.indexOf(key) !== -1;
      if (spec.type === "object" || isObject(spec.properties)) {
        var legend = make("legend", {}, [labelText(spec, key)]);
        if (isRequired) legend.append(requiredMark(texts));
        var help = helpFor(spec, id);
        return make(
          "fieldset",
          { class: "schema-preview-group" },
          [legend].concat(help ? [help] : [], fields(spec, id, texts))
        );
      }
      return leaf(id, spec, key, isRequired, texts);
    });
  }

  function start(root) {
    var source = root.querySelector("textarea");
    var panel = document.getElementById(root.dataset.preview);
    if (!source || !panel) return;
    var status = panel.querySelector(".schema-preview-status");
    var form = panel.querySelector(".schema-preview-form");
    var texts = JSON.parse(root.dataset.texts);
    var idPrefix = panel.id + "-field";
    var timer = null;

    function show(message, isError) {
      status.textContent = message;
      status.classList.toggle("is-error", Boolean(isError));
    }

    function redraw() {
      var text = source.value.trim();
      var schema;
      form.replaceChildren();
      show("", false);
      if (!text) return show(texts.empty, false);
      try {
        schema = JSON.parse(text);
      } catch (error) {
        return show(texts.invalidJson.replace("%(error)s", error.message), true);
      }
      if (isObject(schema) && Object.keys(schema).length === 0) return show(texts.empty, false);
      if (!isObject(schema) || !isObject(schema.properties) || !Object.keys(schema.properties).length) {
        return show(texts.noFields, false);
      }
      if (typeof schema.title === "string" && schema.title) {
        form.append(make("p", { class: "schema-preview-title" }, [schema.title]));
      }
      fields(schema, idPrefix, texts).forEach(function (node) {
        form.append(node);
      });
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(redraw, REDRAW_DELAY_MS);
    });
    root.classList.add("is-live");
    panel.hidden = false;
    redraw();
  }

  function startAll() {
    document.querySelectorAll("[data-schema-editor]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
