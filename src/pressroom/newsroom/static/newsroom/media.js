/* Drag and drop onto the upload form: an enhancement of the plain file input, which works
 * on its own. Dropped files are put into the input and the form is sent as usual. No inline
 * script (CSP). */
(function () {
  "use strict";
  var form = document.querySelector("[data-media-upload]");
  if (!form || !window.DataTransfer) { return; }
  var input = form.querySelector("input[type=file]");
  form.classList.add("media-upload--droppable");
  function over(e) { e.preventDefault(); form.classList.add("media-upload--over"); }
  function leave() { form.classList.remove("media-upload--over"); }
  form.addEventListener("dragenter", over);
  form.addEventListener("dragover", over);
  form.addEventListener("dragleave", leave);
  form.addEventListener("drop", function (e) {
    e.preventDefault();
    leave();
    if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
    input.files = e.dataTransfer.files;
    var note = form.querySelector("input[name=note]");
    if (note && !note.value) { note.focus(); return; }  // published: the note first
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
})();
