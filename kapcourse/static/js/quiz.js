// Autosave quiz answers as they change. Without this script the form's buttons save the same way.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var token = form.querySelector("input[name=csrf_token]");
  var timers = {};

  function show(position, text) {
    var status = document.getElementById("q" + position + "-status");
    if (status) { status.textContent = text; }
  }

  function save(fieldset) {
    var position = fieldset.getAttribute("data-position");
    var data = new FormData();
    if (token) { data.append("csrf_token", token.value); }
    fieldset.querySelectorAll("input, select, textarea").forEach(function (control) {
      if (!control.name) { return; }
      if ((control.type === "radio" || control.type === "checkbox") && !control.checked) { return; }
      data.append(control.name, control.value);
    });
    show(position, "Saving…");
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": token ? token.value : ""}
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      if (result.body.closed) { window.location.reload(); return; }
      var error = result.body.errors && result.body.errors[position];
      show(position, error ? "Not saved: " + error : "Saved.");
    }).catch(function () {
      show(position, "Not saved: check your connection. Use the Save answers button.");
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.quiz-item");
    if (!fieldset) { return; }
    var position = fieldset.getAttribute("data-position");
    clearTimeout(timers[position]);
    timers[position] = setTimeout(function () { save(fieldset); }, 300);
  });
})();
