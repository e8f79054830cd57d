// A weekly grid of half-hours kept in step with the plain-text availability field.
// The text field stays the source of truth, so the form works without this script.
(function () {
  "use strict";
  const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const SLOTS = 48;
  const host = document.getElementById("availability-grid");
  const field = document.getElementById("id_availability");
  if (!host || !field) return;

  const selected = Array.from({ length: 7 }, () => new Array(SLOTS).fill(false));
  const clock = (slot) => `${String(Math.floor(slot / 2)).padStart(2, "0")}:${slot % 2 ? "30" : "00"}`;
  const minutes = (text) => { const [h, m] = text.split(":").map(Number); return h * 60 + m; };

  function readText() {
    selected.forEach((day) => day.fill(false));
    for (const entry of field.value.split(/[;\n]/)) {
      const match = entry.trim().match(/^([a-z]{3})[a-z]*\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/i);
      if (!match) continue;
      const day = DAYS.indexOf(match[1].toLowerCase());
      if (day < 0) continue;
      for (let slot = Math.floor(minutes(match[2]) / 30); slot < Math.ceil(minutes(match[3]) / 30) && slot < SLOTS; slot++) {
        selected[day][slot] = true;
      }
    }
  }

  function writeText() {
    const parts = [];
    selected.forEach((slots, day) => {
      let start = null;
      for (let slot = 0; slot <= SLOTS; slot++) {
        const on = slot < SLOTS && slots[slot];
        if (on && start === null) start = slot;
        if (!on && start !== null) { parts.push(`${DAYS[day]} ${clock(start)}-${clock(slot)}`); start = null; }
      }
    });
    field.value = parts.join("; ");
  }

  const table = document.createElement("table");
  table.className = "availability-grid";
  table.setAttribute("role", "grid");
  table.setAttribute("aria-label", host.dataset.label || "Weekly availability");
  const head = table.createTHead().insertRow();
  head.appendChild(document.createElement("th"));
  for (const day of DAYS) { const th = document.createElement("th"); th.scope = "col"; th.textContent = day; head.appendChild(th); }
  const body = table.createTBody();
  const cells = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = slot % 2 ? "" : clock(slot);
    row.appendChild(th);
    cells.push([]);
    for (let day = 0; day < 7; day++) {
      const cell = row.insertCell();
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-label", `${DAYS[day]} ${clock(slot)}-${clock(slot + 1)}`);
      cell.tabIndex = slot === 36 && day === 0 ? 0 : -1;
      cell.dataset.day = day; cell.dataset.slot = slot;
      cells[slot].push(cell);
    }
  }

  function paint() {
    cells.forEach((row, slot) => row.forEach((cell, day) => cell.setAttribute("aria-selected", String(selected[day][slot]))));
  }

  let dragging = null;
  function toggle(cell, value) {
    const day = Number(cell.dataset.day), slot = Number(cell.dataset.slot);
    selected[day][slot] = value === undefined ? !selected[day][slot] : value;
    cell.setAttribute("aria-selected", String(selected[day][slot]));
    writeText();
  }
  table.addEventListener("pointerdown", (event) => {
    const cell = event.target.closest("td"); if (!cell) return;
    event.preventDefault();
    dragging = !selected[cell.dataset.day][cell.dataset.slot];
    toggle(cell, dragging);
  });
  table.addEventListener("pointerover", (event) => {
    const cell = event.target.closest("td"); if (cell && dragging !== null) toggle(cell, dragging);
  });
  document.addEventListener("pointerup", () => { dragging = null; });
  table.addEventListener("keydown", (event) => {
    const cell = event.target.closest("td"); if (!cell) return;
    let day = Number(cell.dataset.day), slot = Number(cell.dataset.slot);
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === " " || event.key === "Enter") { event.preventDefault(); toggle(cell); return; }
    if (!(event.key in moves)) return;
    event.preventDefault();
    day = Math.min(6, Math.max(0, day + moves[event.key][0]));
    slot = Math.min(SLOTS - 1, Math.max(0, slot + moves[event.key][1]));
    cell.tabIndex = -1;
    const next = cells[slot][day]; next.tabIndex = 0; next.focus();
  });
  field.addEventListener("input", () => { readText(); paint(); });

  readText();
  paint();
  host.appendChild(table);
})();
