// Live preview, image insertion and a warning before leaving unsaved changes; the form works without this script.
(function () {
  "use strict";
  var guarded = document.querySelector("form[data-warn-unsaved]");
  if (guarded) {
    var dirty = false;
    var note = guarded.querySelector("[data-unsaved-note]");
    var mark = function () {
      dirty = true;
      if (note) { note.hidden = false; }
    };
    guarded.addEventListener("input", mark);
    guarded.addEventListener("change", mark);
    guarded.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return; }
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own "leave site?" question only when this is set
    });
  }
  var body = document.querySelector("textarea[data-preview-url]");
  if (!body) { return; }
  var pane = document.getElementById(body.getAttribute("data-preview-target"));
  var token = body.form.querySelector("input[name=csrf_token]");
  var timer = null;
  var pending = null;

  function refresh() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var data = new FormData();
    data.append("body", body.value);
    fetch(body.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (response) {
      if (!response.ok) { throw new Error("preview " + response.status); }
      return response.text();
    }).then(function (html) {
      // The server renders through the same sanitiser as published articles.
      pane.innerHTML = html;
    }).catch(function (error) {
      if (error.name !== "AbortError") { pane.setAttribute("data-stale", "true"); }
    });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  if (body.value && !pane.querySelector(":not(.hint)")) { refresh(); }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-markdown]");
    if (!button) { return; }
    var snippet = button.getAttribute("data-insert-markdown");
    var start = body.selectionStart, end = body.selectionEnd;
    body.value = body.value.slice(0, start) + snippet + body.value.slice(end);
    body.focus();
    body.selectionStart = body.selectionEnd = start + snippet.length;
    body.dispatchEvent(new Event("input"));
  });
}());
