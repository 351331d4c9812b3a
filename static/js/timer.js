// Keeps the running timer's clock ticking, with the running row of today's list and today's total.
// Without JavaScript they show the time at page load.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function secondsSince(iso) { return Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000)); }
  function tick() {
    document.querySelectorAll("[data-timer-started]").forEach(function (clock) {
      var seconds = secondsSince(clock.dataset.timerStarted);
      clock.textContent = Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
    });
    document.querySelectorAll("[data-total-since]").forEach(function (total) {
      var minutes = Math.floor((Number(total.dataset.totalFinished) + secondsSince(total.dataset.totalSince)) / 60);
      total.textContent = Math.floor(minutes / 60) + " h " + pad(minutes % 60) + " min";
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();
