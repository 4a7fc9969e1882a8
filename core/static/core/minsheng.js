// Minsheng — small progressive enhancements; every page works without it.
(function () {
  "use strict";
  // Buttons with data-confirm ask before submitting (uninstall, purge, …).
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    if (btn && btn.dataset.confirm && !window.confirm(btn.dataset.confirm)) {
      ev.preventDefault();
    }
  });
})();
