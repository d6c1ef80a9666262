// Turn <time data-relative> into "14 hours ago"; the server renders the absolute date so caches never go stale.
(function () {
  "use strict";
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var format = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat("en", { numeric: "auto" }) : null;

  function relative(date) {
    var seconds = Math.round((date.getTime() - Date.now()) / 1000);
    for (var i = 0; i < units.length; i++) {
      var amount = Math.round(seconds / units[i][1]);
      if (Math.abs(amount) >= 1) {
        return format ? format.format(amount, units[i][0]) : Math.abs(amount) + " " + units[i][0] + (Math.abs(amount) === 1 ? "" : "s") + " ago";
      }
    }
    return "just now";
  }

  function update() {
    var nodes = document.querySelectorAll("time[data-relative]");
    for (var i = 0; i < nodes.length; i++) {
      var date = new Date(nodes[i].getAttribute("datetime"));
      if (isNaN(date.getTime())) continue;
      if (!nodes[i].title) nodes[i].title = nodes[i].textContent;
      nodes[i].textContent = relative(date);
    }
  }

  document.addEventListener("DOMContentLoaded", update);
  setInterval(update, 60000);
})();
