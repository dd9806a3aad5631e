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
    ["headerRow", "Header row"], ["addRow", "Add row"], ["removeRow", "Remove row"],
    ["addColumn", "Add column"], ["removeColumn", "Remove column"],
    ["removeFormat", "Clear formatting"]
  ];

  // Table editing: the cell the caret is in, and its row and table.
  function currentCell(area) {
    var sel = window.getSelection();
    var node = sel && sel.anchorNode;
    while (node && node !== area) {
      if (node.nodeName === "TD" || node.nodeName === "TH") { return node; }
      node = node.parentNode;
    }
    return null;
  }
  function emptyCell(tag) { var c = document.createElement(tag); c.innerHTML = "<br>"; return c; }
  function tableCommand(area, name) {
    var cell = currentCell(area);
    if (!cell) { return; }
    var row = cell.parentNode, table = row.closest("table"), index = cell.cellIndex;
    var rows = Array.prototype.slice.call(table.rows);
    if (name === "addRow") {
      var fresh = document.createElement("tr");
      for (var i = 0; i < row.cells.length; i++) { fresh.appendChild(emptyCell("td")); }
      if (row.parentNode.nodeName === "THEAD") {
        var body = table.tBodies[0] || table.appendChild(document.createElement("tbody"));
        body.insertBefore(fresh, body.firstChild);
      } else { row.parentNode.insertBefore(fresh, row.nextSibling); }
    } else if (name === "removeRow") {
      if (rows.length > 1) { row.parentNode.removeChild(row); }
    } else if (name === "addColumn") {
      rows.forEach(function (r) {
        var tag = r.parentNode.nodeName === "THEAD" ? "th" : "td";
        r.insertBefore(emptyCell(tag), r.cells[index + 1] || null);
      });
    } else if (name === "removeColumn") {
      if (row.cells.length > 1) {
        rows.forEach(function (r) { if (r.cells[index]) { r.removeChild(r.cells[index]); } });
      }
    } else if (name === "headerRow") {
      // The first row becomes (or stops being) the header: <thead> with <th scope="col">.
      var head = table.tHead;
      if (head) {
        var first = head.rows[0];
        var body2 = table.tBodies[0] || table.appendChild(document.createElement("tbody"));
        Array.prototype.slice.call(first.cells).forEach(function (c) {
          var td = document.createElement("td"); td.innerHTML = c.innerHTML; first.replaceChild(td, c);
        });
        body2.insertBefore(first, body2.firstChild);
        table.removeChild(head);
      } else {
        var top = rows[0];
        var thead = table.createTHead();
        Array.prototype.slice.call(top.cells).forEach(function (c) {
          var th = document.createElement("th"); th.setAttribute("scope", "col");
          th.innerHTML = c.innerHTML; top.replaceChild(th, c);
        });
        thead.appendChild(top);
      }
    }
  }

  function looksLikeHtml(text) { return /<[a-z\/!]/i.test(text); }

  function textToHtml(text) {
    var div = document.createElement("div");
    return text.split(/\n/).filter(function (l) { return l.trim(); }).map(function (l) {
      div.textContent = l.trim();
      return "<p>" + div.innerHTML + "</p>";
    }).join("");
  }

  function enhance(textarea) {
    var labels = {};
    try { labels = JSON.parse(textarea.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar || "Body formatting");
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
      b.textContent = labels[c[0]] || c[1];
      b.addEventListener("click", function () {
        area.focus();
        if (c[0] === "createLink") {
          var url = window.prompt(labels.linkPrompt || "Link address (https://…)");
          if (url) { document.execCommand("createLink", false, url); }
        } else if (c[0] === "table") {
          document.execCommand("insertHTML", false,
            "<table><thead><tr><th scope=\"col\"><br></th><th scope=\"col\"><br></th></tr></thead><tbody><tr><td><br></td><td><br></td></tr></tbody></table><p><br></p>");
        } else if (["headerRow", "addRow", "removeRow", "addColumn", "removeColumn"].indexOf(c[0]) >= 0) {
          tableCommand(area, c[0]);
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
