// Saves each answer as it is given, so a closed tab or a dropped connection loses nothing.
// Every save names the sequence it builds on; the server refuses a stale one (another tab).
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch) { return; }
  var saveUrl = form.dataset.saveUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var texts = { saving: "…", saved: "✓", failed: "!" };

  function answerOf(fieldset) {
    var kind = fieldset.dataset.kind;
    var id = fieldset.dataset.question;
    if (kind === "matching") {
      var matches = {};
      fieldset.querySelectorAll("select").forEach(function (select) {
        matches[select.name.slice(("q" + id + "-m").length)] = select.value;
      });
      return matches;
    }
    if (kind === "multiple-choice") {
      var checked = Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (input) { return input.value; });
      return fieldset.querySelector("input[type=checkbox]") ? checked : (checked[0] || "");
    }
    var radio = fieldset.querySelector("input[type=radio]:checked");
    if (kind === "true-false") { return radio ? radio.value : ""; }
    var text = fieldset.querySelector("textarea, input[type=text]");
    return text ? text.value : "";
  }

  var pending = {}, inFlight = {}, again = {};
  // One save per question at a time: a change made while a save travels is sent after it, on
  // the sequence the server returned, so quick changes never collide with each other.
  function save(fieldset) {
    var id = fieldset.dataset.question;
    if (inFlight[id]) { again[id] = true; return inFlight[id]; }
    inFlight[id] = send(fieldset).then(function () {
      inFlight[id] = null;
      if (again[id]) { again[id] = false; return save(fieldset); }
    });
    return inFlight[id];
  }

  function send(fieldset) {
    var sequenceInput = fieldset.querySelector("[data-sequence]");
    var state = fieldset.querySelector(".save-state");
    state.textContent = texts.saving;
    return fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ question: fieldset.dataset.question, answer: answerOf(fieldset), sequence: Number(sequenceInput.value) })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          sequenceInput.value = body.sequence;
          state.textContent = texts.saved + " " + body.saved_at;
          fieldset.dataset.saved = body.sequence;
        } else {
          state.textContent = texts.failed + " " + (body.error || response.status);
        }
      });
    }).catch(function () {
      state.textContent = texts.failed;  // the Save button still sends everything
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) { save(fieldset); }
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset || !event.target.matches("textarea, input[type=text]")) { return; }
    clearTimeout(pending[fieldset.dataset.question]);
    pending[fieldset.dataset.question] = setTimeout(function () { save(fieldset); }, 800);
  });

  var timer = document.querySelector(".timer");
  if (timer) {
    var ends = Date.now() + Number(timer.dataset.remaining) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left > 0) { setTimeout(tick, 1000); } else { window.location.reload(); }
    };
    tick();
  }
}());
