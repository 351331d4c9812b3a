// Keeps a running duration ticking in the person's unit ([data-duration-since]: today's total on the
// dashboard): the finished seconds plus those since the instant, as "2.50 h" or "2:30 h", rounded
// half up as the server rounds. Without JavaScript it shows the duration at page load.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function text(seconds, format) {
    if (format === "hm") {
      var minutes = Math.floor((seconds + 30) / 60);
      return Math.floor(minutes / 60) + ":" + pad(minutes % 60);
    }
    var hundredths = Math.floor((seconds + 18) / 36);
    return Math.floor(hundredths / 100) + "." + pad(hundredths % 100);
  }
  function tick() {
    document.querySelectorAll("[data-duration-since]").forEach(function (total) {
      var since = Math.max(0, Math.floor((Date.now() - Date.parse(total.dataset.durationSince)) / 1000));
      total.textContent = text(Number(total.dataset.durationFinished) + since, total.dataset.durationFormat) + " h";
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();
