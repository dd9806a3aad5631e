/* A lightbox for a release's photos: a modal <dialog> with the photo at screen size, its
 * caption, previous/next and close buttons. Keyboard: Enter opens, arrow keys move (mirrored
 * on right-to-left pages), Escape closes and focus returns to the photo it came from.
 * Without this script each photo is a link to its full-size copy. No inline script (CSP). */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-lightbox]"));
  if (!links.length || typeof HTMLDialogElement === "undefined") { return; }
  var rtl = (document.querySelector(".release") || document.documentElement).getAttribute("dir") === "rtl";
  var labels = document.documentElement.lang === "hi"
    ? { close: "बंद करें", prev: "पिछली फ़ोटो", next: "अगली फ़ोटो", of: "में से" }
    : { close: "Close", prev: "Previous photo", next: "Next photo", of: "of" };
  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", "Photo");
  dialog.innerHTML = '<figure class="lightbox__figure"><div class="lightbox__image"></div>' +
    '<figcaption class="lightbox__caption"></figcaption></figure>' +
    '<p class="lightbox__count" aria-live="polite"></p>' +
    '<button type="button" class="lightbox__prev"></button>' +
    '<button type="button" class="lightbox__next"></button>' +
    '<button type="button" class="lightbox__close"></button>';
  document.body.appendChild(dialog);
  var holder = dialog.querySelector(".lightbox__image");
  var caption = dialog.querySelector(".lightbox__caption");
  var count = dialog.querySelector(".lightbox__count");
  var prev = dialog.querySelector(".lightbox__prev");
  var next = dialog.querySelector(".lightbox__next");
  var close = dialog.querySelector(".lightbox__close");
  prev.textContent = "‹"; prev.setAttribute("aria-label", labels.prev);
  next.textContent = "›"; next.setAttribute("aria-label", labels.next);
  close.textContent = "×"; close.setAttribute("aria-label", labels.close);
  var current = 0, opener = null;

  function show(i) {
    current = (i + links.length) % links.length;
    var link = links[current];
    var picture = link.querySelector("picture").cloneNode(true);
    Array.prototype.forEach.call(picture.querySelectorAll("source, img"), function (el) {
      el.setAttribute("sizes", "100vw");
    });
    var img = picture.querySelector("img");
    img.setAttribute("loading", "eager");
    img.removeAttribute("fetchpriority");
    holder.replaceChildren(picture);
    var fig = link.closest("figure");
    var cap = fig && fig.querySelector("figcaption");
    caption.textContent = cap ? cap.textContent : img.alt;
    var lang = fig && fig.getAttribute("lang");
    if (lang) { caption.setAttribute("lang", lang); caption.setAttribute("dir", fig.getAttribute("dir") || "ltr"); }
    else { caption.removeAttribute("lang"); caption.removeAttribute("dir"); }
    count.textContent = (current + 1) + " " + labels.of + " " + links.length;
    prev.hidden = next.hidden = links.length < 2;
  }

  links.forEach(function (link, i) {
    link.addEventListener("click", function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey) { return; }  // a new tab, as asked
      e.preventDefault();
      opener = link;
      show(i);
      dialog.showModal();
      close.focus();
    });
  });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) { dialog.close(); } });
  dialog.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(current + (rtl ? -1 : 1)); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(current + (rtl ? 1 : -1)); e.preventDefault(); }
  });
  dialog.addEventListener("close", function () {
    holder.replaceChildren();
    if (opener) { opener.focus(); }
  });
})();
