/* Weekly trend charts on the engagement page. Progressive enhancement: the same numbers are in
 * the table under the charts, so the page reads the same without JavaScript. Each canvas names
 * its figure (data-scorecard-chart) and the json_script block holding the series (data-source).
 * Redrawn after htmx swaps the scorecard for another window. The week under way (data.partial)
 * is drawn as a hollow point off the line, and the y-axis is scaled on the complete weeks only
 * (series.scale_max): a few early answers in this week must not flatten the weeks that ended. */
(function () {
  "use strict";

  var UNITS = { percent: "%", hours: " h", days: " days", count: "", ratio: "" };

  function format(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    var digits = unit === "percent" || unit === "count" ? 0 : unit === "ratio" ? 2 : 1;
    return value.toFixed(digits) + (UNITS[unit] || "");
  }

  // A round top for the y-axis at or above the complete weeks' highest value (percent: 100).
  function axisMax(scaleMax, unit) {
    if (unit === "percent") { return 100; }
    if (scaleMax === null || scaleMax === undefined || scaleMax <= 0) { return undefined; }
    var magnitude = Math.pow(10, Math.floor(Math.log10(scaleMax)));
    var steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var index = 0; index < steps.length; index += 1) {
      if (steps[index] * magnitude >= scaleMax * 1.05) { return steps[index] * magnitude; }
    }
    return 10 * magnitude;
  }

  function readSource(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  function draw(root) {
    if (typeof window.Chart === "undefined") { return; }
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var canvases = (root || document).querySelectorAll("canvas[data-scorecard-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var data = readSource(canvas.getAttribute("data-source"));
      if (!data) { return; }
      var series = null;
      data.series.forEach(function (candidate) {
        if (candidate.key === canvas.getAttribute("data-scorecard-chart")) { series = candidate; }
      });
      if (!series) { return; }
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      var color = series.side === "client" ? "#0b6e4f" : "#2e5aac";
      var partial = data.partial || [];
      var complete = series.values.map(function (value, index) { return partial[index] ? null : value; });
      var underWay = series.values.map(function (value, index) { return partial[index] ? value : null; });
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [{
            label: series.label,
            data: complete,
            borderColor: color,
            backgroundColor: color,
            spanGaps: true,
            tension: 0.2,
            pointRadius: 3
          }, {
            label: series.label + " (this week so far, partial)",
            data: underWay,
            borderColor: color,
            backgroundColor: "#ffffff",
            showLine: false,
            pointRadius: 4,
            pointBorderWidth: 2
          }]
        },
        options: {
          animation: reduceMotion ? false : { duration: 300 },
          maintainAspectRatio: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.raw, series.unit); } } }
          },
          scales: {
            y: {
              beginAtZero: true,
              max: axisMax(series.scale_max, series.unit),
              ticks: { precision: 0, callback: function (value) { return format(Math.round(value), series.unit); } }
            }
          }
        }
      });
    });
  }

  // After htmx swapped the scorecard for another window, the requisition pages keep that window.
  function keepWindowInPager() {
    var days = new URLSearchParams(window.location.search).get("days");
    if (!days) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".pager a[href]"), function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      url.searchParams.set("days", days);
      link.setAttribute("href", url.pathname + url.search + url.hash);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function () { draw(document); keepWindowInPager(); });
  document.addEventListener("htmx:pushedIntoHistory", keepWindowInPager);
})();
