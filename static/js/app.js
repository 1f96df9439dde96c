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
});
