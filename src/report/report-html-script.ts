/**
 * The script of report.html: draws the two charts from the JSON data block with the inlined Chart.js. Plain ES2017
 * in a string, since the page has no build step; `document.body.dataset.charts` says how it went (for tests).
 * A measure that is absent (null: the case did not run, nothing was acknowledged) has no bar, and an empty slot
 * reads as 0: the notMeasured plugin writes "not measured" up that slot (each canvas's `data-not-measured` counts
 * them, for tests), and a measured 0 gets a sliver (minBarLength) so the two never look alike.
 */
export const REPORT_HTML_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  if (typeof Chart === 'undefined') {
    document.querySelectorAll('.chart').forEach(function (el) {
      el.innerHTML = '<p class="chart-fallback">The charting library did not load; the table below has the same numbers.</p>';
    });
    document.body.dataset.charts = 'unavailable';
    return;
  }
  var palette = ['#2f64c0', '#d9600c', '#1e7b34', '#8e44ad', '#b3261e', '#138577'];
  var color = function (i) { return palette[i % palette.length]; };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1d232b';
  var notMeasured = {
    id: 'notMeasured',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var drawn = 0;
      chart.data.datasets.forEach(function (dataset, d) {
        var meta = chart.getDatasetMeta(d);
        if (!chart.isDatasetVisible(d)) return;
        dataset.data.forEach(function (value, i) {
          var bar = meta.data[i];
          if (value !== null && value !== undefined) return;
          if (!bar || !isFinite(bar.x)) return;
          ctx.save();
          ctx.translate(bar.x, chart.chartArea.bottom - 4);
          ctx.rotate(-Math.PI / 2);
          ctx.fillStyle = '#5b6673';
          ctx.font = 'italic 11px ' + Chart.defaults.font.family;
          ctx.textBaseline = 'middle';
          ctx.fillText('not measured', 0, 0);
          ctx.restore();
          drawn++;
        });
      });
      chart.canvas.dataset.notMeasured = String(drawn);
    }
  };
  var common = function (title, yTitle, max, unit) {
    return {
      animation: false,
      responsive: true,
      datasets: { bar: { minBarLength: 2 } },
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, max: max, title: { display: true, text: yTitle } } },
      plugins: {
        title: { display: true, text: title, font: { size: 14, weight: 'bold' } },
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: function (item) {
          return item.dataset.label + ': ' + (item.raw === null ? 'not measured' : item.raw + unit);
        } } }
      }
    };
  };
  var latency = [];
  data.targets.forEach(function (target, i) {
    latency.push({ label: target + ' p50', data: data.ackP50[i], backgroundColor: color(i), borderColor: color(i), borderWidth: 1 });
    latency.push({ label: target + ' p99', data: data.ackP99[i], backgroundColor: color(i) + '55', borderColor: color(i), borderWidth: 1 });
  });
  new Chart(document.getElementById('chart-ack-latency'), {
    type: 'bar',
    data: { labels: data.scenarios, datasets: latency },
    options: common('Acknowledgment latency per target (p50 solid, p99 light)', 'milliseconds', undefined, ' ms'),
    plugins: [notMeasured]
  });
  new Chart(document.getElementById('chart-live-delivery'), {
    type: 'bar',
    data: { labels: data.scenarios, datasets: data.targets.map(function (target, i) {
      return { label: target, data: data.livePercent[i], backgroundColor: color(i), borderColor: color(i), borderWidth: 1 };
    }) },
    options: common('Live delivery rate per target', '% delivered by broadcast', 100, '%'),
    plugins: [notMeasured]
  });
  document.body.dataset.charts = 'drawn';
})();
`;
