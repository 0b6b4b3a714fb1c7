/* Upload slots: a chosen file is sent at once with a progress bar (XMLHttpRequest's upload.onprogress), and
   the server sends the slot back re-drawn; "Remove" works the same way. Without this script the files go with
   the page's form and "Remove" submits it: both work, only without progress. */
(function () {
  "use strict";

  var forms = window.MotcuaForms || {
    message: function (key) { return key; },
    showError: function () {}
  };

  function token(form) {
    var input = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function parts(slot) {
    return {
      input: slot.querySelector('input[type="file"]'),
      progress: slot.querySelector("progress"),
      status: slot.querySelector(".upload-status")
    };
  }

  function fail(slot, text) {
    var p = parts(slot);
    p.progress.hidden = true;
    p.status.textContent = "";
    p.input.value = "";
    forms.showError(p.input, text);
  }

  function replace(slot, html, said) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    slot.replaceWith(fresh);
    bind(fresh);
    var p = parts(fresh);
    p.status.textContent = said;
    p.input.focus();
  }

  function send(slot, url, data, said) {
    var form = slot.closest("form");
    var p = parts(slot);
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRFToken", token(form));
    forms.showError(p.input, null);
    p.progress.value = 0;
    p.progress.hidden = !data;
    p.status.textContent = data ? forms.message("uploading") : "";
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) p.progress.value = Math.round((100 * event.loaded) / event.total);
    };
    request.onload = function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (ignored) { /* not JSON: a proxy's error page */ }
      if (request.status >= 200 && request.status < 300 && body.html) replace(slot, body.html, said);
      else fail(slot, body.error || forms.message("upload_failed"));
    };
    request.onerror = function () { fail(slot, forms.message("upload_failed")); };
    request.send(data);
  }

  function upload(slot, file) {
    var form = slot.closest("form");
    var limit = form ? +form.getAttribute("data-max-bytes") : 0;
    if (limit && file.size > limit) {
      fail(slot, forms.message("file_too_large").replace("%(size)d", file.size).replace("%(limit)d", limit));
      return;
    }
    var data = new FormData();
    data.append("file", file);
    send(slot, slot.getAttribute("data-upload-url"), data, forms.message("uploaded"));
  }

  function bind(slot) {
    var input = parts(slot).input;
    input.addEventListener("change", function () {
      if (input.files && input.files.length) upload(slot, input.files[0]);
    });
    var remove = slot.querySelector("[data-remove]");
    if (remove) {
      remove.addEventListener("click", function (event) {
        event.preventDefault();
        send(slot, slot.getAttribute("data-remove-url"), null, forms.message("removed"));
      });
    }
  }

  document.querySelectorAll(".upload-slot[data-upload-url]").forEach(bind);
})();
