/* The public dashboard's charts, drawn from the figures the page carries (#dashboard-data); the tables under
   them hold the same numbers. */
(function () {
  "use strict";
  var charts = window.motcuaCharts;
  if (!charts || !charts.available()) {
    return;
  }
  var data = charts.read("dashboard-data");
  var text = charts.read("dashboard-text");
  var colour = charts.colours;
  var months = data.months;
  var labels = months.map(function (item) { return charts.month(item.month); });

  function bars(key, stack) {
    return {
      label: text[key.replace(/^(received|rated)_/, "")],
      data: months.map(function (item) { return item[key]; }),
      backgroundColor: colour[key.replace(/^(received|rated)_/, "")],
      borderColor: "#ffffff",
      borderWidth: 1,
      stack: stack,
      yAxisID: "y",
      order: 2
    };
  }

  function rateLine(key) {
    return {
      type: "line",
      label: text[key],
      data: months.map(function (item) { return item[key]; }),
      borderColor: colour.line,
      backgroundColor: colour.line,
      pointRadius: 3,
      spanGaps: true,
      clip: 6,
      yAxisID: "y1",
      order: 1
    };
  }

  function monthly(datasets) {
    return {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: text.dossiers } },
          y1: charts.percentAxis()
        }
      }
    };
  }

  charts.draw("chart-trend", monthly([
    bars("received_counter", "received"),
    bars("received_online", "received"),
    bars("received_post", "received"),
    rateLine("on_time_rate")
  ]));

  charts.draw("chart-rating", monthly([
    bars("rated_very_satisfied", "rated"),
    bars("rated_satisfied", "rated"),
    bars("rated_dissatisfied", "rated"),
    rateLine("satisfied_share")
  ]));

  var total = data.trend_total;
  charts.draw("chart-channels", {
    type: "doughnut",
    data: {
      labels: [text.counter, text.online, text.post],
      datasets: [{
        data: [total.received_counter, total.received_online, total.received_post],
        backgroundColor: [colour.counter, colour.online, colour.post],
        borderColor: "#ffffff",
        borderWidth: 2
      }]
    },
    options: { plugins: { legend: { position: "bottom" } } }
  });

  var score = data.score_766;
  charts.draw("chart-score", {
    type: "bar",
    data: {
      labels: score.groups.map(function (group) { return group.code + ". " + group.name; }),
      datasets: [
        {
          label: text.points,
          data: score.groups.map(function (group) { return group.points; }),
          backgroundColor: colour.on_time,
          order: 1
        },
        {
          label: text.max_points,
          data: score.groups.map(function (group) { return group.max_points; }),
          backgroundColor: "rgba(0, 0, 0, 0)",
          borderColor: colour.outline,
          borderWidth: 2,
          order: 2
        }
      ]
    },
    options: {
      indexAxis: "y",
      datasets: { bar: { grouped: false } },
      scales: { x: { beginAtZero: true }, y: { ticks: { callback: charts.shortLabels() } } },
      plugins: { legend: { position: "bottom" } }
    }
  });

  charts.foldTables();
})();
