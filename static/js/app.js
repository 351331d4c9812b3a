// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  // Close the company menu when clicking elsewhere.
  const menu = document.getElementById("company-menu");
  if (menu && menu.open && !menu.contains(event.target)) menu.open = false;
  // And "Menu" on a phone (on a wide screen the left menu is always shown).
  const drawer = document.getElementById("nav-drawer");
  if (drawer && drawer.open && !drawer.contains(event.target) && window.matchMedia("(max-width: 800px)").matches) {
    drawer.open = false;
  }
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

// Keyboard: a region swapped in place keeps the focus. htmx itself gives it back to an element of
// the same id (the switch, Sync now); when that element is gone or disabled, the new region (its
// heading, else itself) takes the focus instead of <body>, so a keyboard or screen reader user is
// not sent back to the top of the page.
let focusWasIn = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  focusWasIn = target && target.id && target.contains(document.activeElement) ? target.id : null;
});
document.addEventListener("htmx:afterSwap", () => {
  const id = focusWasIn;
  focusWasIn = null;
  if (!id || (document.activeElement && document.activeElement !== document.body)) return;
  const region = document.getElementById(id);
  if (!region) return;
  const landing = region.querySelector("[role=alert], h2, h3") || region;
  if (!landing.hasAttribute("tabindex") && !landing.matches("a[href], button, input, select, textarea")) {
    landing.setAttribute("tabindex", "-1");
  }
  landing.focus();
});

// The left menu folds behind "Menu" on a phone only. Browsers that cannot show a closed <details>
// by CSS alone (no ::details-content) get it opened here on a wide screen.
(() => {
  const drawer = document.getElementById("nav-drawer");
  if (!drawer || (window.CSS && CSS.supports("selector(::details-content)"))) return;
  const wide = window.matchMedia("(min-width: 801px)");
  const follow = () => { drawer.open = wide.matches; };
  follow();
  wide.addEventListener("change", follow);
})();

// Escape closes the menu the focus is in (company menu, or "Menu" on a phone) and gives the focus
// back to its summary.
const phone = window.matchMedia("(max-width: 800px)");
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const open = event.target.closest("details.company-menu[open], details.nav-drawer[open]");
  if (!open || (open.classList.contains("nav-drawer") && !phone.matches)) return;
  open.open = false;
  open.querySelector("summary").focus();
});
