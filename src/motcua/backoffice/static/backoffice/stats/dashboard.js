/* The leader's dashboard keeps itself current: it asks for its JSON every few seconds (data-poll-seconds) and
   redraws the counts, the tables and the charts in place. Polling stops while the tab is hidden and resumes
   when it is shown again; a failed request keeps the last figures and tries again at the next tick. */
(function () {
  "use strict";
  var root = document.getElementById("leader-dashboard");
  var charts = window.motcuaCharts;
  if (!root || !charts) {
    return;
  }
  var text = charts.read("dashboard-text");
  var colour = charts.colours;
  var interval = Math.max(1, Number(root.dataset.pollSeconds) || 20) * 1000;
  var updated = document.getElementById("dashboard-updated");
  var drawn = {};
  var timer = null;

  /* Draw the chart `id` the first time, then only replace its labels and numbers. */
  function chart(id, labels, series, options) {
    if (drawn[id]) {
      drawn[id].data.labels = labels;
      series.forEach(function (item, index) { drawn[id].data.datasets[index].data = item.data; });
      drawn[id].update();
      return;
    }
    drawn[id] = charts.draw(id, {
      type: "bar",
      data: {
        labels: labels,
        datasets: series.map(function (item) {
          return {
            label: text[item.key],
            data: item.data,
            backgroundColor: colour[item.key],
            borderColor: "#ffffff",
            borderWidth: 1
          };
        })
      },
      options: options
    });
  }

  function render(data) {
    root.querySelectorAll("[data-total]").forEach(function (element) {
      element.textContent = charts.number(data.totals[element.dataset.total]);
    });
    root.querySelectorAll("table[data-rows]").forEach(function (table) {
      charts.fillTable(table, data[table.dataset.rows]);
    });
    if (updated) {
      updated.textContent = data.updated_at;
      updated.setAttribute("datetime", data.generated_at);
    }
    if (!charts.available()) {
      return;
    }
    var units = data.workload_by_unit;
    chart("chart-workload", units.map(function (row) { return row.unit_name; }), [
      { key: "in_progress", data: units.map(function (row) { return row.in_progress; }) },
      { key: "waiting", data: units.map(function (row) { return row.waiting; }) }
    ], {
      indexAxis: "y",
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: true, ticks: { callback: charts.shortLabels() } }
      },
      plugins: { legend: { position: "bottom" } }
    });
    var slowest = data.slowest;
    chart("chart-slowest", slowest.map(function (row) { return row.procedure_name; }), [
      { key: "average_days", data: slowest.map(function (row) { return row.average_days; }) }
    ], {
      indexAxis: "y",
      scales: {
        x: { beginAtZero: true, title: { display: true, text: text.average_days } },
        y: { ticks: { callback: charts.shortLabels() } }
      },
      plugins: { legend: { display: false } }
    });
  }

  function poll() {
    timer = null;
    fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          throw new Error("signed out");
        }
        return response.ok ? response.json().then(render) : null;
      })
      .then(schedule, function (error) {
        if (error.message !== "signed out") {
          schedule();
        }
      });
  }

  function schedule() {
    if (timer === null && !document.hidden) {
      timer = window.setTimeout(poll, interval);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden && timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    } else {
      schedule();
    }
  });

  render(charts.read("dashboard-data"));
  schedule();
})();
