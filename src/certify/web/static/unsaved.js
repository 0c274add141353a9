/* Warns before leaving a page whose form has changes that are not saved yet.
   Progressive enhancement: without JavaScript the forms work just the same, without the warning.
   A form opts in with data-warn-unsaved; data-unsaved marks a form shown again after a refused
   save, whose contents are not saved even though nothing was typed since. */
(function () {
  "use strict";

  function contents(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      parts.push(name + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
    });
    return parts.join("&");
  }

  var watched = [];
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var entry = { form: form, saved: form.hasAttribute("data-unsaved") ? null : contents(form), sending: false };
    form.addEventListener("submit", function () { entry.sending = true; });
    watched.push(entry);
  });
  if (watched.length === 0) return;

  /* Back from another page (back-forward cache): the form is sent, so nothing is pending. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) watched.forEach(function (entry) { entry.sending = false; });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = watched.some(function (entry) {
      return !entry.sending && contents(entry.form) !== entry.saved;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
