// Small progressive enhancements for assistive technology; every page works without them.
(function () {
  "use strict";

  // A form that failed: move focus to the error summary so screen readers read it first.
  var summary = document.querySelector(".error-summary");
  var result = document.querySelector(".result-panel");
  if (summary) {
    summary.focus();
  } else if (result) {
    // A calculation's answer comes first: focus it so it is read before the form again.
    result.focus();
  }

  // A link in the error summary: focus the field and show its label above it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // A table wider than the screen scrolls inside .table-wrap: make that region reachable and
  // scrollable from the keyboard and give it a name (WCAG 2.1.1, 1.4.10).
  function updateRegion(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      wrap.setAttribute("data-scrollable", "");
      var hint = document.body.getAttribute("data-scroll-hint");
      if (hint && !(wrap.previousElementSibling && wrap.previousElementSibling.classList.contains("scroll-hint"))) {
        var note = document.createElement("p");
        note.className = "scroll-hint";
        note.textContent = hint;
        wrap.parentNode.insertBefore(note, wrap);
      }
    } else if (!scrolls && wrap.hasAttribute("data-scrollable")) {
      ["tabindex", "role", "aria-label", "data-scrollable"].forEach(function (name) {
        wrap.removeAttribute(name);
      });
      var previous = wrap.previousElementSibling;
      if (previous && previous.classList.contains("scroll-hint")) { previous.remove(); }
    }
  }
  // On a phone a data table becomes stacked cards: each cell gets its column's name as
  // data-label (CSS shows it before the value) and explicit table roles, since display:block
  // can drop a table's semantics. Two-column tables, tables with more than one header row,
  // spans in the body or data-no-stack keep their columns (and scroll in their named region).
  function stackable(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1 || table.hasAttribute("data-no-stack")) { return false; }
    if (head.rows[0].cells.length < 3) { return false; }  // a name-value table fits as it is
    return !table.querySelector("tbody [rowspan]:not([rowspan='1'])");
  }
  function stack(table) {
    var labels = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      // a sortable header names its column in data-label (its text also says how to sort)
      var text = (cell.getAttribute("data-label") || cell.textContent).replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(text); }
      cell.setAttribute("role", "columnheader");
    });
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var span = cell.colSpan || 1;
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        if (span === 1 && labels[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += span;
      });
    });
    table.tHead.rows[0].setAttribute("role", "row");
    table.classList.add("stacked");
  }
  Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
    if (stackable(table)) { stack(table); }
  });

  var wraps = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  wraps.forEach(updateRegion);
  if (wraps.length && window.ResizeObserver) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { updateRegion(entry.target); });
    });
    wraps.forEach(function (wrap) { observer.observe(wrap); });
  }

  // The main menu on a phone: one button opens and closes it (without script it stays open).
  var nav = document.querySelector(".main-nav");
  var toggle = document.querySelector(".menu-button");
  if (nav && toggle) {
    nav.classList.add("js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Task groups are <details> menus: one open at a time; Escape or a click elsewhere closes it.
  var menus = Array.prototype.slice.call(document.querySelectorAll("details.nav-menu"));
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) {
        menus.forEach(function (other) { if (other !== menu) { other.open = false; } });
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
  });
})();
