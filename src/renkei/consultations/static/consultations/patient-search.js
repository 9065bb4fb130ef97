// Narrow the "登録利用者" choice by reading (ふりがな) and birth date. The options are the patients
// the person already sees on their care teams; nothing is sent to the server while searching.
// Without this script the plain select is used.
(function () {
  "use strict";

  function normalizeKana(text) {
    var folded = (text || "").normalize("NFKC").replace(/\s+/g, "");
    return folded.replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    });
  }

  function field(id, labelText, type) {
    var wrapper = document.createElement("div");
    wrapper.className = "patient-search__field";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = labelText;
    var input = document.createElement("input");
    input.id = id;
    input.type = type;
    input.autocomplete = "off";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    return { wrapper: wrapper, input: input };
  }

  function setup(select) {
    var box = document.createElement("div");
    box.className = "patient-search";
    var kana = field(select.id + "-kana", "ふりがなで絞り込む", "text");
    var birth = field(select.id + "-birth", "生年月日で絞り込む", "date");
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("role", "status");
    box.appendChild(kana.wrapper);
    box.appendChild(birth.wrapper);
    box.appendChild(status);
    select.insertAdjacentElement("beforebegin", box);

    function filter() {
      var wanted = normalizeKana(kana.input.value);
      var born = birth.input.value;
      var shown = 0;
      var firstShown = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var reading = option.getAttribute("data-kana");
        if (reading === null) { return; }  // "紐づけない" and a link the person cannot see
        var match = reading.indexOf(wanted) === 0 && (!born || option.getAttribute("data-birth") === born);
        option.hidden = !match;
        option.disabled = !match && !option.selected;
        if (match) {
          shown += 1;
          if (firstShown === null) { firstShown = option; }
        }
      });
      if (!wanted && !born) {
        status.textContent = "";
        return;
      }
      status.textContent = shown ? shown + "人が該当します。" : "該当する利用者はいません。";
      if (shown === 1 && firstShown) { select.value = firstShown.value; }
    }

    kana.input.addEventListener("input", filter);
    birth.input.addEventListener("input", filter);
    birth.input.addEventListener("change", filter);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-patient-search]"), setup);
  });
})();
