// Registration desk: the petitioner's earlier matters as the ID number is typed, the
// three-level content category, Ctrl+Enter from text areas, focus on the first error.
// Loaded as a file (the CSP forbids inline scripts); the form works without it.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) { return; }
  var historyUrl = form.getAttribute("data-history-url");
  var list = document.getElementById("history-list");
  var status = document.getElementById("history-status");
  var repeatInput = document.getElementById("repeat_of");
  var candList = document.getElementById("candidate-list");
  var candTitle = document.getElementById("candidates-title");
  var timer = null;
  var lastAsked = "";

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function markRepeat(li, number, container) {
    repeatInput.value = number;
    Array.prototype.forEach.call(container.children, function (x) { x.classList.remove("chosen"); });
    li.classList.add("chosen");
    status.textContent = "已标记为重复信访：" + number;
    repeatInput.focus();
  }

  // Repeat detection: ranked candidates with the reasons, across agencies (number only when
  // the matter is outside what the clerk may see).
  function renderCandidates(items) {
    if (!candList) { return; }
    candList.textContent = "";
    candTitle.hidden = !items.length;
    items.forEach(function (c) {
      var li = document.createElement("li");
      if (c.url) {
        var a = text("a", c.number);
        a.href = c.url; a.target = "_blank"; a.rel = "noopener";
        li.appendChild(a);
      } else {
        li.appendChild(text("strong", c.number));
      }
      li.appendChild(text("span", " " + c.received_on + " · " + c.state_label + " · " + c.agency));
      if (c.summary) { li.appendChild(text("span", c.summary, "summary")); }
      li.appendChild(text("span", c.reasons.join("；"), c.leapfrog ? "summary error" : "summary"));
      if (repeatInput) {
        var btn = text("button", "标记为重复信访");
        btn.type = "button";
        btn.addEventListener("click", function () { markRepeat(li, c.number, candList); });
        li.appendChild(document.createElement("br"));
        li.appendChild(btn);
      }
      candList.appendChild(li);
    });
  }

  function render(data, idNumber) {
    renderCandidates(data.candidates || []);
    list.textContent = "";
    if (data.id_number_problem) {
      status.textContent = data.id_number_problem;
      return;
    }
    if (!data.matters.length) {
      status.textContent = idNumber
        ? "未查到身份证号码 " + idNumber + " 的既往信访事项（仅限您有权查看的范围）。"
        : "按姓名和手机号码查重：";
      return;
    }
    status.textContent = "查到 " + data.matters.length + (data.more ? "+" : "") + " 件既往信访事项：";
    data.matters.forEach(function (m) {
      var li = document.createElement("li");
      var a = text("a", m.number);
      a.href = m.url;
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
      li.appendChild(text("span", " " + m.received_on + " · " + m.state_label));
      li.appendChild(text("span", m.summary, "summary"));
      if (repeatInput) {
        var btn = text("button", "标记为重复信访");
        btn.type = "button";
        btn.addEventListener("click", function () { markRepeat(li, m.number, list); });
        li.appendChild(document.createElement("br"));
        li.appendChild(btn);
      }
      list.appendChild(li);
    });
  }

  function field(kind) {
    var el = form.querySelector("[data-repeat='" + kind + "']");
    return el ? el.value.trim() : "";
  }

  function ask(idNumber) {
    var summary = form.querySelector("textarea[name='summary']");
    var query = "id_number=" + encodeURIComponent(idNumber) +
      "&name=" + encodeURIComponent(field("name")) +
      "&mobile=" + encodeURIComponent(field("mobile")) +
      "&summary=" + encodeURIComponent(summary ? summary.value.slice(0, 500) : "");
    if (query === lastAsked) { return; }
    lastAsked = query;
    status.textContent = "正在查询……";
    fetch(historyUrl + "?" + query, {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      if (lastAsked === query) { render(data, idNumber); }
    }).catch(function () {
      status.textContent = "既往事项查询失败，请稍后再试（不影响登记）。";
      lastAsked = "";
    });
  }

  form.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!el.hasAttribute || !el.hasAttribute("data-history")) { return; }
    var value = el.value.trim().toUpperCase();
    clearTimeout(timer);
    if (value.length !== 18) { return; }
    timer = setTimeout(function () { ask(value); }, 300);
  });

  // Without an ID number, a name and a mobile number are enough to look for repeats (同音姓名).
  form.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el.hasAttribute || !el.hasAttribute("data-repeat")) { return; }
    var idField = form.querySelector("[data-history]");
    var idValue = idField ? idField.value.trim().toUpperCase() : "";
    if (idValue.length === 18 || (field("name") && field("mobile").length >= 7)) {
      ask(idValue.length === 18 ? idValue : "");
    }
  });

  // Three-level category: each level offers only the children of the level above.
  var levels = [1, 2, 3].map(function (n) { return form.querySelector("select[data-level='" + n + "']"); });
  var all = levels.map(function (sel) {
    return sel ? Array.prototype.slice.call(sel.options).map(function (o) { return o.cloneNode(true); }) : [];
  });
  function refill(n) {
    var sel = levels[n], parent = levels[n - 1];
    if (!sel || !parent) { return; }
    var keep = sel.value;
    sel.textContent = "";
    all[n].forEach(function (o) {
      if (!o.value || o.getAttribute("data-parent") === parent.value) { sel.appendChild(o.cloneNode(true)); }
    });
    sel.value = keep;
    if (sel.value !== keep) { sel.value = ""; }
    sel.disabled = !parent.value;
    if (n < 2) { refill(n + 1); }
  }
  if (levels[0]) {
    levels[0].addEventListener("change", function () { refill(1); });
    levels[1].addEventListener("change", function () { refill(2); });
    refill(1);
  }
  form.addEventListener("submit", function () {
    // Disabled selects are not submitted; nothing else to do: the server checks the chain.
    levels.forEach(function (sel) { if (sel) { sel.disabled = false; } });
  });

  // Ctrl+Enter (or Cmd+Enter) submits from a text area, where Enter starts a new line.
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.tagName === "TEXTAREA") {
      ev.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });

  // After a refused submission, start where the first problem is.
  var firstError = form.querySelector("[aria-invalid='true']");
  if (firstError) {
    var details = firstError.closest("details");
    if (details) { details.open = true; }
    firstError.focus();
  }
  // The ID number may already be there (a re-rendered form): show the history at once.
  var lead = form.querySelector("[data-history]");
  if (lead && lead.value.trim().length === 18) { ask(lead.value.trim().toUpperCase()); }
})();
