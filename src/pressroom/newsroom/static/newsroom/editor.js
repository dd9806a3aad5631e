/* Pressroom newsroom body editor: progressive enhancement of a plain textarea.
 * Without this script the textarea works on its own (text or HTML). With it, the textarea
 * is hidden behind a contenteditable area with a small toolbar; the HTML goes back into the
 * textarea on submit and the server sanitises it (releases/html.py). No inline script: CSP. */
(function () {
  "use strict";
  var COMMANDS = [
    ["bold", "Bold"], ["italic", "Italic"], ["insertParagraph", "Paragraph"],
    ["insertUnorderedList", "Bulleted list"], ["insertOrderedList", "Numbered list"],
    ["createLink", "Link"], ["unlink", "Remove link"], ["table", "Table"],
    ["removeFormat", "Clear formatting"]
  ];

  function looksLikeHtml(text) { return /<[a-z\/!]/i.test(text); }

  function textToHtml(text) {
    var div = document.createElement("div");
    return text.split(/\n/).filter(function (l) { return l.trim(); }).map(function (l) {
      div.textContent = l.trim();
      return "<p>" + div.innerHTML + "</p>";
    }).join("");
  }

  function enhance(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Body formatting");
    var area = document.createElement("div");
    area.className = "rich-editor__area release__body";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) { label.id = label.id || textarea.id + "-label"; area.setAttribute("aria-labelledby", label.id); }
    var value = textarea.value;
    area.innerHTML = looksLikeHtml(value) ? value : textToHtml(value);

    COMMANDS.forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = c[1];
      b.addEventListener("click", function () {
        area.focus();
        if (c[0] === "createLink") {
          var url = window.prompt("Link address (https://…)");
          if (url) { document.execCommand("createLink", false, url); }
        } else if (c[0] === "table") {
          document.execCommand("insertHTML", false,
            "<table><tbody><tr><td>&nbsp;</td><td>&nbsp;</td></tr><tr><td>&nbsp;</td><td>&nbsp;</td></tr></tbody></table><p></p>");
        } else if (c[0] === "insertParagraph") {
          document.execCommand("formatBlock", false, "p");
        } else {
          document.execCommand(c[0], false, null);
        }
      });
      toolbar.appendChild(b);
    });

    // Pasting from a word processor: keep its HTML (the server strips Word's clutter),
    // or plain text as paragraphs.
    area.addEventListener("paste", function (e) {
      var data = e.clipboardData;
      if (!data) { return; }
      var html = data.getData("text/html");
      var text = data.getData("text/plain");
      e.preventDefault();
      document.execCommand("insertHTML", false, html || textToHtml(text));
    });

    textarea.hidden = true;
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    var form = textarea.form;
    if (form) {
      form.addEventListener("submit", function () { textarea.value = area.innerHTML; });
    }
  }

  // "Copy link" beside each preview link: one click, and it says it was copied.
  function copyButton(button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) { return; }
    button.hidden = false;
    var label = button.firstChild.nodeValue;
    button.addEventListener("click", function () {
      var done = function () {
        button.firstChild.nodeValue = button.getAttribute("data-copied") || "Copied";
        window.setTimeout(function () { button.firstChild.nodeValue = label; }, 3000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select(); document.execCommand("copy"); done();
        });
      } else {
        input.select(); document.execCommand("copy"); done();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), copyButton);
    var areas = document.querySelectorAll("textarea[data-editor='body']");
    Array.prototype.forEach.call(areas, enhance);
  });
})();
