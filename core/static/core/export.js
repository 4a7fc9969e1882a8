// Large CSV exports: read the stream, show rows done against X-Total-Count, then save.
(function () {
  "use strict";
  var link = document.getElementById("export-csv");
  var box = document.getElementById("export-progress");
  if (!link || !box || !window.fetch || !window.ReadableStream) { return; }
  link.addEventListener("click", function (ev) {
    var total = parseInt(link.dataset.total || "0", 10);
    if (total < 2000) { return; }  // small exports: let the browser download directly
    ev.preventDefault();
    var bar = box.querySelector(".progress > span");
    var label = box.querySelector("p");
    box.hidden = false;
    fetch(link.href, { credentials: "same-origin" }).then(function (resp) {
      if (!resp.ok) { throw new Error(resp.status); }
      var reader = resp.body.getReader();
      var parts = [];
      var rows = 0;
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) { return; }
          parts.push(r.value);
          for (var i = 0; i < r.value.length; i++) { if (r.value[i] === 10) { rows++; } }
          var pct = Math.min(100, Math.round(100 * rows / (total + 1)));
          bar.style.width = pct + "%";
          label.textContent = "已导出 " + Math.max(0, rows - 1) + " / " + total + " 条";
          return pump();
        });
      }
      return pump().then(function () {
        var url = URL.createObjectURL(new Blob(parts, { type: "text/csv" }));
        var a = document.createElement("a");
        a.href = url; a.download = "matters.csv";
        document.body.appendChild(a); a.click(); a.remove();
        label.textContent = "导出完成：" + total + " 条";
      });
    }).catch(function () { label.textContent = "导出失败，请重试。"; });
  });
})();
