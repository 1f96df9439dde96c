// Progressive enhancement only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to what went wrong: the error summary, a stale-edit conflict or a refused gate.
  const target = ["error-summary", "conflict", "gate"].map((id) => document.getElementById(id)).find(Boolean);
  if (target && target.hasAttribute("tabindex")) target.focus();
  // A print button only where the browser can print (the case summary's print view).
  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
  // The header's menu as a disclosure on narrow screens (the CSS hides it only while this button says so).
  // Without JavaScript the button stays hidden and the menu stays open.
  document.querySelectorAll("button.menu-toggle[aria-controls]").forEach((button) => {
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
    });
    // Escape closes the open menu, from the button or from any link in it, and puts focus back on the button.
    button.parentElement.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  });
});
