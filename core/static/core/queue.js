// The work queue's tab badges: counted after the page is shown, since counting is the slow part
// of the page. Without scripts the tabs simply carry no badges.
(function () {
  "use strict";
  var nav = document.querySelector("nav.tabs[data-counts-url]");
  if (!nav || !window.fetch) { return; }
  var cap = parseInt(nav.dataset.countCap || "999", 10);
  fetch(nav.dataset.countsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (resp) {
      if (!resp.ok) { throw new Error(resp.status); }
      return resp.json();
    })
    .then(function (counts) {
      var links = nav.querySelectorAll("a[data-tab]");
      for (var i = 0; i < links.length; i++) {
        var tab = links[i].dataset.tab;
        var n = counts[tab];
        if (typeof n !== "number") { continue; }
        var badge = document.createElement("span");
        badge.className = "count" + (tab === "overdue" && n > 0 ? " err" : "");
        // Counting stops one past the cap: more than that is shown as "999+".
        badge.textContent = n > cap ? cap + "+" : String(n);
        links[i].appendChild(document.createTextNode(" "));
        links[i].appendChild(badge);
      }
    })
    .catch(function () { /* no badges: the tabs still work */ });
})();
