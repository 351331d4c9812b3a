// Keeps the running timer's clock ticking. Without JavaScript it shows the time at page load.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function tick() {
    document.querySelectorAll("[data-timer-started]").forEach(function (clock) {
      var seconds = Math.max(0, Math.floor((Date.now() - Date.parse(clock.dataset.timerStarted)) / 1000));
      clock.textContent = Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();
