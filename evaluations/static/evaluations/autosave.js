// Nothing typed is lost: the section saves itself a few seconds after typing stops and when a field
// is left. Valid entries are saved to the draft evaluation ("Saved 10:42"); entries with errors are
// kept on the server with their messages shown beside them, until fixed or discarded; a newer save
// elsewhere stops autosaving until the therapist compares both versions (press Save). Leaving the
// page with changes not yet sent asks first. Without JavaScript the page saves with its buttons.
(function () {
  "use strict";

  var DELAY_MS = 3000;
  var form = document.querySelector("form[data-section-form][data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.dataset.autosaveUrl;
  var status = form.querySelector("[data-autosave-status]");
  var version = form.querySelector('input[name="loaded_version"]');
  var timer = null;
  var inFlight = null;
  var stopped = form.hasAttribute("data-autosave-paused");
  var submitting = false;

  function serialize() {
    var data = new FormData(form);
    data.delete("loaded_version");
    return new URLSearchParams(data).toString();
  }

  var lastSent = serialize();

  function show(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-kept", kind === "kept");
    status.classList.toggle("is-stopped", kind === "stopped");
  }

  // The section menu's mark for this section follows what autosave found.
  var menuMark = document.querySelector('.section-nav a[aria-current="page"] .section-mark');
  function markSection(hasErrors) {
    if (!menuMark) return;
    if (hasErrors) {
      menuMark.dataset.before = menuMark.dataset.before || menuMark.textContent;
      menuMark.textContent = "!";
    } else if (menuMark.dataset.before && menuMark.textContent === "!") {
      menuMark.textContent = "◐";
    }
  }

  function clearMarks() {
    form.querySelectorAll("[data-autosave-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[data-autosave-invalid]").forEach(function (node) {
      node.removeAttribute("data-autosave-invalid");
      node.removeAttribute("aria-invalid");
    });
  }

  function markErrors(errors) {
    clearMarks();
    var unplaced = [];
    Object.keys(errors).forEach(function (name) {
      var field = form.querySelector('[name="' + CSS.escape(name) + '"]') ||
        form.querySelector('[name^="' + CSS.escape(name + "-") + '"]');
      if (!field) {
        unplaced = unplaced.concat(errors[name]);
        return;
      }
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("data-autosave-invalid", "");
      var note = document.createElement("div");
      note.className = "text-danger small";
      note.setAttribute("data-autosave-error", "");
      note.textContent = errors[name].join(" ");
      var cell = field.closest("td, th, .mb-3") || field.parentElement;
      cell.appendChild(note);
    });
    return unplaced;
  }

  function changed() {
    return serialize() !== lastSent;
  }

  function save() {
    timer = null;
    if (stopped || submitting) return Promise.resolve();
    if (inFlight) return inFlight.then(function () { return changed() ? save() : null; });
    var body = serialize();
    if (body === lastSent) return Promise.resolve();
    var data = new FormData(form);
    show("Saving…");
    inFlight = fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
      })
      .then(function (result) {
        var answer = result.answer;
        lastSent = body;
        if (answer.state === "saved") {
          version.value = String(answer.version);
          clearMarks();
          markSection(false);
          show("Saved " + answer.at);
        } else if (answer.state === "kept") {
          var unplaced = markErrors(answer.errors || {});
          markSection(true);
          show("Not saved yet (kept " + answer.at + "): " + answer.count + " entr" + (answer.count === 1 ? "y needs" : "ies need") +
            " correcting" + (unplaced.length ? ": " + unplaced.join(" ") : "."), "kept");
        } else {
          stopped = true;
          show(answer.message || "Not saved.", "stopped");
          if (answer.state === "signed_out" && answer.login) {
            var link = document.createElement("a");
            link.href = answer.login;
            link.textContent = " Log in again";
            status.appendChild(link);
          }
        }
      })
      .catch(function () {
        show("Not saved: the server could not be reached. Keep this page open; it tries again.", "stopped");
        lastSent = null; // try again with the next change or in a moment
        timer = setTimeout(save, DELAY_MS * 3);
      })
      .finally(function () { inFlight = null; });
    return inFlight;
  }

  function soon() {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  form.addEventListener("focusout", function () {
    if (stopped || !changed()) return;
    if (timer) clearTimeout(timer);
    save();
  });

  // Save waits for an autosave under way, so it posts the version that autosave produced.
  form.addEventListener("submit", function (event) {
    if (timer) clearTimeout(timer);
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (inFlight || changed())) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
