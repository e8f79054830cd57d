// On a phone each table row shows as a card (site.css); this names each cell by its column
// heading, for the tables whose templates do not say it themselves. Without JavaScript the
// cards still show, just without the names.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("main table:not(.availability-grid):not(.keep-table)")) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (!headings.length) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, index) => {
        if (cell.tagName === "TD" && !cell.dataset.label && headings[index] && headings[index] !== "#") {
          cell.dataset.label = headings[index];
        }
      });
    }
  }
});
