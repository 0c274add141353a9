/* The owner's evidence upload on a weak connection: photos shrunk on the phone (photos.js) and a
   progress line while the form is sent. Progressive enhancement: without JavaScript the form posts
   as it always has. The words come from the form's data-words (certify.text.offline). */
(function () {
  "use strict";
  if (!window.certifyPhotos || typeof XMLHttpRequest !== "function") return;

  function word(words, key, values) {
    return (words[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    var words = JSON.parse(form.getAttribute("data-words") || "{}");
    var line = form.querySelector("[data-upload-status]");
    var bar = form.querySelector("[data-upload-bar]");
    var sending = false;
    form.addEventListener("submit", function (event) {
      var hasFiles = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
        return input.files && input.files.length > 0;
      });
      if (!hasFiles) return; /* nothing to upload: the plain form post */
      event.preventDefault();
      if (sending) return;
      sending = true;
      var submitter = event.submitter || null;
      window.certifyPhotos.shrinkForm(form).then(function () {
        var data = new FormData(form, submitter);
        var request = new XMLHttpRequest();
        request.open("POST", form.action);
        line.hidden = false;
        bar.hidden = false;
        bar.value = 0;
        line.textContent = word(words, "uploading", { percent: 0 });
        request.upload.addEventListener("progress", function (progress) {
          if (!progress.lengthComputable) return;
          var percent = Math.round((100 * progress.loaded) / progress.total);
          bar.value = percent;
          line.textContent = word(words, "uploading", { percent: percent });
        });
        request.addEventListener("load", function () {
          if (request.status < 400) {
            window.location.assign(request.responseURL);
            return;
          }
          /* A refusal is a whole page with the form and its errors: show it as the browser would. */
          document.open();
          document.write(request.responseText);
          document.close();
        });
        request.addEventListener("error", function () {
          sending = false;
          line.textContent = word(words, "upload_failed", {});
        });
        request.send(data);
      });
    });
  });
})();
