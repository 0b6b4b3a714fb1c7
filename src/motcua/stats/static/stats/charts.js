/* What the dashboards' charts share: the site's palette (each colour at least 4.5:1 on white, segments parted by
   white rules), no animation for visitors who ask for reduced motion, and the data tables, which stay the way to
   read the exact numbers. Without Chart.js (not installed, or failed to load) the pages keep their tables open
   and draw nothing. */
(function () {
  "use strict";

  var COLOURS = {
    counter: "#0d4f8b",
    online: "#6a3d9a",
    post: "#8a5300",
    early: "#1f6f3d",
    on_time: "#0d4f8b",
    late: "#a61b1b",
    very_satisfied: "#1f6f3d",
    satisfied: "#00707a",
    dissatisfied: "#a61b1b",
    line: "#1b2430",
    outline: "#6b7785",
    in_progress: "#0d4f8b",
    waiting: "#8a5300",
    average_days: "#6a3d9a"
  };
  var language = document.documentElement.lang || "vi";

  function available() {
    return typeof window.Chart === "function";
  }

  if (available()) {
    var Chart = window.Chart;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = COLOURS.line;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    Chart.defaults.plugins.legend.labels.boxWidth = 14;
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      Chart.defaults.animation = false;
    }
  }

  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  /* Numbers as the page's language writes them, without grouping (as the server writes them). */
  function number(value, digits) {
    if (value === null || value === undefined) {
      return "—";
    }
    var fraction = digits === undefined ? { maximumFractionDigits: 1 } : {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    };
    return new Intl.NumberFormat(language, Object.assign({ useGrouping: false }, fraction)).format(value);
  }

  function month(iso) {
    return iso.slice(5, 7) + "/" + iso.slice(0, 4);
  }

  /* A chart on the canvas `id`, revealed only once it draws; null without Chart.js or without the canvas. */
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || !available()) {
      return null;
    }
    canvas.closest(".chart-box").hidden = false;
    return new window.Chart(canvas, config);
  }

  /* Once the charts are drawn, their tables fold under a "Data table" toggle; screen readers and keyboards
     open it like any disclosure. */
  function foldTables() {
    if (!available()) {
      return;
    }
    document.querySelectorAll("details.chart-data").forEach(function (details) {
      details.open = false;
    });
  }

  /* Replace a table's rows with `rows`, one cell per header that names a key (data-col), linked when the
     header names the key of a link (data-link); data-digits fixes the decimals shown. */
  function fillTable(table, rows) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th[data-col]"));
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      headers.forEach(function (header) {
        var value = row[header.dataset.col];
        var cell = document.createElement("td");
        var text = typeof value === "number" ? number(value, header.dataset.digits === undefined
          ? undefined : Number(header.dataset.digits)) : String(value);
        if (header.dataset.link && row[header.dataset.link]) {
          var link = document.createElement("a");
          link.href = row[header.dataset.link];
          link.textContent = text;
          cell.appendChild(link);
        } else {
          cell.textContent = text;
        }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    if (!rows.length) {
      var empty = document.createElement("tr");
      var cell = document.createElement("td");
      empty.className = "empty";
      cell.colSpan = headers.length;
      cell.textContent = table.dataset.empty || "";
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    table.replaceChild(body, table.tBodies[0]);
  }

  /* Category labels run long (procedure and group names); an axis shows their start, more of it on a wide
     chart, and the table and the tooltip the whole name. */
  function shortLabels() {
    return function (value) {
      var label = this.getLabelForValue(value);
      var room = this.chart.width < 500 ? 18 : 40;
      return label.length > room ? label.slice(0, room - 1) + "…" : label;
    };
  }

  function percentAxis() {
    return {
      position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
      ticks: { callback: function (value) { return value + "%"; } }
    };
  }

  window.motcuaCharts = {
    colours: COLOURS,
    available: available,
    read: read,
    number: number,
    month: month,
    draw: draw,
    foldTables: foldTables,
    fillTable: fillTable,
    percentAxis: percentAxis,
    shortLabels: shortLabels
  };
})();
