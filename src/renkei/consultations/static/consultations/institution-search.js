// Search-as-you-type for institution fields: an ARIA combobox over the region's directory.
// Without this script the field is plain text and the server matches the name itself.
(function () {
  "use strict";

  function setup(input) {
    var url = input.getAttribute("data-facility-search");
    var hidden = document.getElementById(input.getAttribute("data-facility-target"));
    if (!url || !hidden) { return; }
    var listId = input.id + "-results";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "institution-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "資源一覧の候補");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var linked = document.createElement("p");
    linked.className = "institution-linked";
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    status.insertAdjacentElement("afterend", linked);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var timer = null;
    var sequence = 0;

    function showLinked() {
      linked.textContent = hidden.value ? "資源一覧の機関として記録します。" : "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = results[index];
      if (!item) { return; }
      input.value = item.name;
      hidden.value = String(item.id);
      showLinked();
      close();
    }

    function render() {
      list.textContent = "";
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.name;
        var detail = document.createElement("small");
        detail.textContent = item.municipality + "・" + item.category;
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length ? results.length + "件の候補があります。上下キーで選べます。" : "資源一覧に候補はありません。名称をそのまま記録します。";
      active = -1;
    }

    function search() {
      var query = input.value.trim();
      var mine = ++sequence;
      if (!query) { results = []; render(); return; }
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === sequence) { results = data.results || []; render(); } })
        .catch(function () { results = []; render(); });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      showLinked();
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    showLinked();
  }

  document.querySelectorAll("input[data-facility-search]").forEach(setup);
})();
