// Count which search result a reader opens: send the result's signed token (query, position, article; nothing
// about the reader) with navigator.sendBeacon, which survives the page being left. Without it, nothing is sent.
(function () {
  "use strict";
  var data = document.getElementById("search-click-tokens");
  if (!data || !navigator.sendBeacon || !window.URLSearchParams) return;
  var url = data.getAttribute("data-url");
  var tokens = {};
  JSON.parse(data.textContent).forEach(function (entry) { tokens[entry[0]] = entry[1]; });
  var sent = {};

  function opened(event) {
    var link = event.target.closest && event.target.closest("ol.results a[href]");
    if (!link || (event.type === "auxclick" && event.button !== 1)) return;
    var path = new URL(link.href, document.baseURI).pathname;
    var token = tokens[path];
    if (!token || sent[path]) return;  // a result counts once per page view, however often it is opened
    sent[path] = true;
    navigator.sendBeacon(url, new URLSearchParams({ token: token }));
  }

  document.addEventListener("click", opened);
  document.addEventListener("auxclick", opened);  // middle click: opened in a new tab
})();
