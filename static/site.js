// Turn <time data-relative> into "14 hours ago"; the server renders the absolute date so caches never go stale.
// Plain English words rather than Intl.RelativeTimeFormat: the site is in English, and the first use of Intl
// loads locale data in a long main-thread task on slow phones.
(function () {
  "use strict";
  // Each unit applies from its own size up; amounts are whole units elapsed (floor), as WordPress and news
  // sites count: 23 hours is "23 hours ago", never "1 day ago"; 29 days is "4 weeks ago".
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];

  function relative(date) {
    var seconds = Math.floor((Date.now() - date.getTime()) / 1000);
    var magnitude = Math.abs(seconds);
    for (var i = 0; i < units.length; i++) {
      var amount = Math.floor(magnitude / units[i][1]);
      if (amount >= 1) {
        var phrase = amount + " " + units[i][0] + (amount === 1 ? "" : "s");
        return seconds >= 0 ? phrase + " ago" : "in " + phrase;
      }
    }
    return "just now";
  }

  function update(nodes) {
    for (var i = 0; i < nodes.length; i++) {
      var date = new Date(nodes[i].getAttribute("datetime"));
      if (isNaN(date.getTime())) continue;
      if (!nodes[i].title) nodes[i].title = nodes[i].textContent;
      nodes[i].textContent = relative(date);
    }
  }

  function start() {
    var nodes = document.querySelectorAll("time[data-relative]");
    if (!nodes.length) return;
    update(nodes);
    setInterval(function () { update(nodes); }, 60000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
