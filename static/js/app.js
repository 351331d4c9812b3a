// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  // Close the company menu when clicking elsewhere.
  const menu = document.getElementById("company-menu");
  if (menu && menu.open && !menu.contains(event.target)) menu.open = false;
});
