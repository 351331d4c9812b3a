// Time-zone lists (select[data-time-zone-select]): a search box above each list, the browser's zone
// pre-selected where the form asks for it (sign-up), and a "Use it" hint where a person may pick
// their own (Your preferences). Without JavaScript the list works as it is, UTC chosen.
(function () {
  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // The browser's own name for a zone, so that an alias it reports (Asia/Calcutta) finds the
  // canonical name the list offers (Asia/Kolkata).
  function canonical(name) {
    try { return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone; } catch (e) { return null; }
  }

  function optionFor(select, zone) {
    var options = Array.prototype.slice.call(select.options).filter(function (option) { return option.value; });
    var exact = options.filter(function (option) { return option.value === zone; })[0];
    if (exact || !zone) { return exact || null; }
    var wanted = canonical(zone);
    return options.filter(function (option) { return canonical(option.value) === wanted; })[0] || null;
  }

  function addSearch(select) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "time-zone-search";
    search.placeholder = "Search: a city, a country or UTC+02";
    search.setAttribute("aria-label", "Search the time zones");
    search.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
        var text = (option.textContent + " " + option.value.replace(/_/g, " ")).toLowerCase();
        var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !shown;
        if (shown && !first) { first = option; }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      var selected = select.options[select.selectedIndex];
      if (first && (!selected || selected.hidden)) { first.selected = true; }
    });
  }

  function offerBrowserZone(select, zone) {
    var hint = document.querySelector("[data-browser-zone-hint]");
    var option = optionFor(select, zone);
    if (!hint || !option || option.selected) { return; }
    hint.querySelector("[data-browser-zone]").textContent = option.textContent;
    hint.hidden = false;
    hint.querySelector("[data-use-browser-zone]").addEventListener("click", function () {
      option.selected = true;
      hint.hidden = true;
    });
  }

  document.querySelectorAll("select[data-time-zone-select]").forEach(function (select) {
    var zone = browserZone();
    if (select.hasAttribute("data-detect-browser-zone")) {
      var option = optionFor(select, zone);
      if (option) { option.selected = true; }
    } else {
      offerBrowserZone(select, zone);
    }
    addSearch(select);
  });
})();
