// Draws each history chart (position over time, 1 at the top) from the data in its
// data-history attribute with uPlot. Without this script the tables below show the same.

(() => {
  const COLOURS = ['#1db954', '#2f80ed', '#e0a100', '#d64545', '#9b51e0', '#00a3a3', '#f2994a'];
  const day = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;

  function draw(element) {
    const series = JSON.parse(element.getAttribute('data-history') || '[]');
    if (series.length === 0 || typeof uPlot !== 'function') return;
    // One x value per date any series has; each series null where it was not on its chart.
    const dates = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort();
    const index = new Map(dates.map((d, i) => [d, i]));
    const column = (s, at) => {
      const values = dates.map(() => null);
      for (const p of s.points) values[index.get(p[0])] = p[at];
      return values;
    };
    const data = [dates.map(day)];
    const lines = [
      {
        label: 'Date',
        value: (_u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)),
      },
    ];
    const withStreams = series.filter((s) => s.points.some((p) => p[2] !== null));
    series.forEach((s, i) => {
      data.push(column(s, 1));
      lines.push({
        label: s.label,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        scale: 'pos',
        points: { show: dates.length < 60 },
      });
    });
    withStreams.forEach((s, _i) => {
      data.push(column(s, 2));
      lines.push({
        label: `${s.label} streams`,
        stroke: COLOURS[series.indexOf(s) % COLOURS.length],
        dash: [6, 4],
        width: 1,
        scale: 'streams',
      });
    });
    const maxPos = Math.max(...series.flatMap((s) => s.points.map((p) => p[1])));
    const ink = getComputedStyle(document.body).color;
    const axis = {
      stroke: ink,
      grid: { stroke: 'rgba(128,128,128,0.2)' },
      ticks: { stroke: 'rgba(128,128,128,0.3)' },
    };
    // Charts are daily or weekly: ticks fall on whole days, labelled as dates.
    const DAY = 86400;
    const axes = [
      {
        ...axis,
        space: 70,
        incrs: [1, 2, 7, 14, 30, 61, 91, 182, 365, 730].map((n) => n * DAY),
        values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(0, 10)),
      },
      {
        ...axis,
        scale: 'pos',
        incrs: [1, 2, 5, 10, 20, 25, 50, 100],
        label: 'Position',
        values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? `#${t}` : '')),
      },
    ];
    if (withStreams.length > 0) {
      axes.push({
        ...axis,
        scale: 'streams',
        side: 1,
        grid: { show: false },
        label: 'Streams',
        values: (_u, ticks) =>
          ticks.map((t) =>
            t >= 1e6 ? `${(t / 1e6).toFixed(1)}M` : t >= 1e3 ? `${Math.round(t / 1e3)}k` : t,
          ),
      });
    }
    // The figure's width: the plot's own is 0 until drawn (an empty .plot is not displayed).
    const size = () => {
      const width = element.parentElement.clientWidth;
      return { width: Math.max(280, width), height: width < 500 ? 260 : 340 };
    };
    // Says in words which days the drawing spans (its axes are pixels, not text), as it is zoomed.
    const shown = (t) => new Date(t * 1000).toISOString().slice(0, 10);
    const label = (element.getAttribute('aria-label') || '').replace(/, from \S+ to \S+$/, '');
    const describe = (u, key) => {
      if (key !== 'x' || u.scales.x.min == null) return;
      const span = `from ${shown(u.scales.x.min)} to ${shown(u.scales.x.max)}`;
      element.setAttribute('aria-label', `${label}, ${span}`);
    };
    const plot = new uPlot(
      {
        ...size(),
        series: lines,
        scales: {
          // A single date would make a zero-wide range, which uPlot widens by itself to years
          // (the point pressed to the edge): show the week around it, from the data.
          x: {
            time: true,
            range: (_u, min, max) =>
              data[0].length === 1 ? [data[0][0] - 3 * DAY, data[0][0] + 3 * DAY] : [min, max],
          },
          pos: { dir: -1, range: [1, Math.max(2, maxPos)] },
          streams: { range: (_u, _min, max) => [0, max * 1.05 || 1] },
        },
        axes,
        // Room on the right for the last date's label.
        padding: [12, withStreams.length > 0 ? 8 : 36, 0, 0],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        hooks: { setScale: [describe] },
      },
      data,
      element,
    );
    window.addEventListener('resize', () => plot.setSize(size()));
    return plot;
  }

  let plots = [];
  const start = () => {
    plots = [...document.querySelectorAll('[data-history]')].map(draw).filter(Boolean);
  };
  // Axis colours follow the page's: draw again when the system switches light and dark.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    for (const plot of plots) plot.destroy();
    start();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
