/* Shrinks a photo on the phone before it is sent: upright from its EXIF orientation, longest side
   at most 2048 px, JPEG at quality 0.85. The server normalises every image anyway (certify.images);
   this only spares a weak connection 3–8 MB per photo. A file the browser cannot decode (HEIC,
   PDF) or that would not get smaller is sent as it is. */
(function () {
  "use strict";
  var LONGEST = 2048;
  var QUALITY = 0.85;

  function jpegName(name) {
    return (name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
  }

  function shrink(file) {
    if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== "function") {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg" && file.size < 1024 * 1024) {
        bitmap.close();
        return file;
      }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) resolve(file);
          else resolve(new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  /* The input's files replaced by their shrunk copies (what a plain form submission then sends). */
  function shrinkInput(input) {
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length === 0 || typeof DataTransfer !== "function") return Promise.resolve();
    return Promise.all(files.map(shrink)).then(function (shrunk) {
      var transfer = new DataTransfer();
      shrunk.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
    });
  }

  function shrinkForm(form) {
    return Promise.all(Array.prototype.map.call(form.querySelectorAll("input[type=file][data-shrink-photos]"), shrinkInput));
  }

  window.certifyPhotos = { shrink: shrink, shrinkInput: shrinkInput, shrinkForm: shrinkForm };
})();
