// The Playground's four linked charts, drawn by the browser: the chart component.
//
// ui/chart.py joins the files of ui/component/ into one module, in the order of its
// JS_FILES (base.js first: what every other file uses; main.js last: the entry point).
// Python computes every number (perceptron/frames.py, ui/figures.py, ui/payload.py) and
// these files draw them. What crosses between Python and the browser is declared in
// ui/contract.py (the payload, its step records and every event); nothing else is read.
// The data chart is layered: a canvas with the ŷ shading and an SVG with the boundary and
// the w arrow under the Plotly plot (axes, points, hover), and an SVG with the rings and
// pending clicks over it. A step only redraws the layers and the points' hover texts;
// Plotly redraws the chart only when the points or the view change, and Plotly.react keeps
// the user's zoom/pan (layout.uirevision).
// The browser does three things itself because a round trip to the server would be slow:
//   1. a click or tap on the data chart draws the new point at once (a "pending" point)
//      and queues it; Python adds it, acknowledges its sequence number, and it stops
//      pending (pointer.js);
//   2. it owns the current step k: Start, Back, Step, Epoch, End, the scrubber and the
//      keys move k through the step records Python sent, and k goes back to Python only
//      when stepping pauses, or for a step it was not sent (stepping.js);
//   3. Play shows the frames Python sends when Play is pressed, on the clock (play.js).
// The one formula here is σ, for the ŷ shading and the probe, which are per pixel; it is
// checked against perceptron.model in tests/test_browser_contract.py.
// Every chart is sized to its container (a ResizeObserver: the sidebar, the presenter
// toggle, a window resize or a phone turning), never by Plotly's own window-resize
// handler. The view is the learner's: pans and zooms (a two-finger pinch on a touch
// screen) are reported to Python, which draws the shading for what is on show.
//
// This file: the shared state and small tools (Plotly.js loading, σ, timings, SVG).

const state = (window.__ppChart = window.__ppChart || {
  loading: null,
  clientId: Math.random().toString(36).slice(2, 10),
  seq: 0,
  pending: [],
  data: null,
  playTimer: null,
  frameIndex: 0,
  records: new Map(), // step k -> its record (ui/contract.py StepRecord)
  want: null, // the step the learner asked for; shown as soon as its record is here
  reported: null, // the last step told to Python and not yet answered
  reportTimer: null,
  run: null, // series_key of the run the records belong to
  keysHooked: false,
  trigger: null,
  setState: null,
  gesture: null, // the pointer that may become a click or tap, or a two-finger pinch
  touches: new Map(),
  given: {}, // predict mode: update k -> the option chosen for it, not yet revealed
  revealed: {}, // predict mode: update k -> [option, right], revealed here
  drag: null, // hand-fit mode: the handle or arrow being dragged
});

// A touch-first device (a phone, a tablet): one finger scrolls the page, a tap places a
// point, two fingers pan and zoom the data chart; the mode bars stay hidden.
const COARSE = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

const TAP_SLOP = { mouse: 4, pen: 6, touch: 10 }; // px a press may move and still be a click

const ERASE_RADIUS = { mouse: 14, pen: 16, touch: 24 }; // px from a point to erase it

// Plotly.js comes from the app's own static folder. On a fresh server the first visitors
// may ask for it a moment before it is in place (a 404): ask again, a few times.
function loadPlotly(url, tries = 20) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!state.loading) {
    state.loading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => {
        s.remove();
        state.loading = null;
        if (tries <= 1) reject(new Error("could not load " + url));
        else setTimeout(() => loadPlotly(url, tries - 1).then(resolve, reject), 500);
      };
      document.head.appendChild(s);
    });
  }
  return state.loading;
}

const CONFIG = {
  displaylogo: false,
  doubleClick: false, // two quick clicks place two points, they must not reset the view
  displayModeBar: COARSE ? false : "hover",
  // No "Share chart..." (it uploads the chart to Plotly's cloud): nothing leaves the machine.
  modeBarButtonsToRemove: [
    "select2d", "lasso2d", "autoScale2d", "sendDataToCloud", "sendChartToCloud",
  ],
  toImageButtonOptions: { filename: "perceptron-playground", scale: 2 },
};

const SVG = "http://www.w3.org/2000/svg";

function sigmoid(z) {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

// Quiet stepping this long (ms) tells Python where the learner stopped.
const REPORT_AFTER = 300;

// Within this many steps of the records' edge, Python is asked at once for records beyond.
const RECORDS_MARGIN = 8;

// Input event -> the frame that shows its answer, as a User Timing measure named `name`
// (the browser's performance panel shows it; the benchmarks read it). At most
// MEASURES_KEPT of a name are kept: then they are cleared and counting starts again.
const MEASURES_KEPT = 500;

const measureCounts = {};

function measureToFrame(name, t0) {
  requestAnimationFrame(() => {
    measureCounts[name] = (measureCounts[name] || 0) + 1;
    if (measureCounts[name] > MEASURES_KEPT) {
      performance.clearMeasures(name);
      measureCounts[name] = 1;
    }
    performance.measure(name, { start: t0, end: performance.now() });
  });
}

function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function axes(gd) {
  return gd._fullLayout ? [gd._fullLayout.xaxis, gd._fullLayout.yaxis] : [null, null];
}

function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}
