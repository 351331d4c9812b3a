// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  // Close the company menu when clicking elsewhere.
  const menu = document.getElementById("company-menu");
  if (menu && menu.open && !menu.contains(event.target)) menu.open = false;
});

// The integration panels answer a refusal with a 400 that explains it: show it in place (htmx
// leaves 4xx answers unswapped by default).
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest(".personal-integration, .sync-status")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After a panel of Your Integration changed in place, the page's old messages no longer apply.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.classList.contains("personal-integration")) {
    document.querySelectorAll("main .messages").forEach((list) => list.remove());
  }
});
