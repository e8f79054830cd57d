// A time-zone field the server marked (a profile still on the UTC it started with) takes the
// browser's own zone, for the person to check and save. Without JavaScript it stays as it was.
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  for (const input of document.querySelectorAll("input[data-zone-from-browser]")) {
    if (zone && (!input.value || input.value === "UTC")) {
      input.value = zone;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
});
