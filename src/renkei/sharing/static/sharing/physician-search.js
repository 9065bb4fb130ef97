// かかりつけ医 search as you type: the matches replace the radio choices below the search field.
// Without this script the 「かかりつけ医を検索」 button sends the form back with the matches.
(function () {
  "use strict";

  function setup(box) {
    var url = box.getAttribute("data-physician-search");
    var choices = document.getElementById(box.getAttribute("data-physician-choices"));
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    var options = choices && choices.querySelector(".choice-group__options");
    if (!url || !input || !options) { return; }
    var first = options.querySelector("input[type=radio]");
    if (!first) { return; }
    var name = first.name;
    var idBase = first.id.replace(/_\d+$/, "");
    var button = box.querySelector("button");
    // The button would become the form's default (Enter in any field): without it, Enter saves.
    if (button) { button.remove(); }
    var timer = null;
    var sequence = 0;

    function option(value, text, checked, index) {
      var label = document.createElement("label");
      label.className = "choice";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = name;
      radio.value = value;
      radio.id = idBase + "_js" + index;
      radio.checked = checked;
      label.htmlFor = radio.id;
      var span = document.createElement("span");
      span.textContent = text;
      label.appendChild(radio);
      label.appendChild(span);
      return label;
    }

    function render(query, results) {
      var kept = [];
      options.querySelectorAll("input[type=radio]").forEach(function (radio) {
        // The empty choice and the current choice stay; the previous matches go.
        if (radio.value === "" || radio.checked) { kept.push(radio.closest("label")); }
      });
      var keptValues = kept.map(function (label) { return label.querySelector("input").value; });
      options.textContent = "";
      kept.forEach(function (label) { options.appendChild(label); });
      results.forEach(function (item, i) {
        if (keptValues.indexOf(String(item.id)) === -1) {
          options.appendChild(option(String(item.id), item.label, false, i));
        }
      });
      if (!query) { status.textContent = ""; }
      else if (results.length) { status.textContent = "「" + query + "」に当てはまる病院・診療所が" + results.length + "件あります。下から選んでください。"; }
      else { status.textContent = "「" + query + "」に当てはまる病院・診療所はありません。下の自由記入欄に記入できます。"; }
    }

    function search() {
      var query = input.value.trim();
      var mine = ++sequence;
      if (!query) { render("", []); return; }
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === sequence) { render(query, data.results || []); } })
        .catch(function () { if (mine === sequence) { render(query, []); } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
  }

  document.querySelectorAll("[data-physician-search]").forEach(setup);
})();
