// The Playground's four linked charts, drawn by the browser.
//
// Python computes every number (perceptron/figures.py builds the figures; they are tested
// there) and this file draws them. The data chart is layered: a canvas with the ŷ shading
// and an SVG with the boundary and the w arrow under the Plotly plot (axes, points, hover),
// and an SVG with the rings and pending clicks over it. A step only redraws the layers
// and the points' hover texts; Plotly redraws the chart only when the points or the view
// change, and Plotly.react keeps the user's zoom/pan (layout.uirevision).
// What crosses between Python and this file is declared in ui/contract.py (the payload,
// its step records and every event); this file reads nothing else.
// The browser does three things itself because a round trip to the server would be slow:
//   1. a click or tap on the data chart draws the new point at once (a "pending" point)
//      and queues it; Python adds it, acknowledges its sequence number, and it stops
//      pending. Its position comes from the pointer events themselves: after a touch tap
//      Plotly.js dispatches a click of its own at (0, 0);
//   2. it owns the current step k: Start, Back, Step, Epoch, End, the scrubber and the
//      keys move k through the step records Python sent (every number in them computed
//      by perceptron/), and k goes back to Python only when stepping pauses (so the URL,
//      the Share link and the other pages follow), or for a step it was not sent;
//   3. Play shows the frames Python sends when Play is pressed, on the clock.
// The one formula here is σ, for the ŷ shading and the probe, which are per pixel; it is
// checked against perceptron.model in tests/test_browser_contract.py.
// Every chart is sized by this file to its container (a ResizeObserver: the sidebar, the
// presenter toggle, a window resize or a phone turning), never by Plotly's own
// window-resize handler. The view is the learner's: pans and zooms (a two-finger pinch on
// a touch screen) are reported to Python, which draws the shading for what is on show.

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

// A point mask as Python packs it (perceptron.figures.point_mask): base64, point i at
// bit i % 8 of byte i // 8.
function maskPoints(mask, X) {
  const bytes = atob(mask || "");
  const pts = { x: [], y: [] };
  X.forEach((p, i) => {
    if ((bytes.charCodeAt(i >> 3) >> (i & 7)) & 1) {
      pts.x.push(p[0]);
      pts.y.push(p[1]);
    }
  });
  return pts;
}

// The layers of the data chart for one step record, in the shape drawOverlay draws.
function overlayOf(rec) {
  const base = state.data.main.overlay;
  const X = state.data.anim.X;
  const seg = rec.boundary;
  const arrow = rec.arrow;
  return {
    colors: base.colors,
    style: base.style,
    grid: base.grid,
    w: rec.w,
    b: rec.b,
    boundary: seg ? { x: [seg[0], seg[2]], y: [seg[1], seg[3]] } : { x: [], y: [] },
    arrow: arrow ? { from: [arrow[0], arrow[1]], to: [arrow[2], arrow[3]] } : null,
    misclassified: maskPoints(rec.wrong, X),
    undecided: maskPoints(rec.undecided, X),
    used: { x: rec.used.map((i) => X[i][0]), y: rec.used.map((i) => X[i][1]) },
    note: rec.note,
  };
}

// ŷ on the shading grid, rows along x2 (as perceptron.figures.shading_grid).
function shadingValues(grid, w, b) {
  return grid.y.map((yv) => grid.x.map((xv) => sigmoid(w[0] * xv + w[1] * yv + b)));
}

function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function shadeColour(scale, v) {
  let i = 1;
  while (i < scale.length - 1 && v > scale[i][0]) i += 1;
  const [v0, c0] = scale[i - 1];
  const [v1, c1] = scale[i];
  const t = Math.max(0, Math.min(1, (v - v0) / (v1 - v0)));
  const a = hexToRgb(c0);
  const b = hexToRgb(c1);
  return a.map((x, j) => Math.round(x + t * (b[j] - x)));
}

function axes(gd) {
  return gd._fullLayout ? [gd._fullLayout.xaxis, gd._fullLayout.yaxis] : [null, null];
}

function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

// Draw the shading canvas and the SVG layers for the overlay on root's data chart.
function drawOverlay(root, ov) {
  const gd = root.querySelector(".pp-main");
  const [xa, ya] = axes(gd);
  if (!xa || !ov) return;
  const W = gd.clientWidth;
  const H = gd.clientHeight;
  const px = (x) => xa._offset + xa.l2p(x);
  const py = (y) => ya._offset + ya.l2p(y);
  drawShading(root.querySelector(".pp-shade"), ov, xa, ya, W, H, px, py);
  const under = root.querySelector(".pp-under");
  under.replaceChildren();
  const clip = svgEl("clipPath", { id: "pp-clip" });
  clip.appendChild(svgEl("rect", { x: xa._offset, y: ya._offset, width: xa._length, height: ya._length }));
  under.appendChild(clip);
  const style = ov.style;
  if (ov.boundary.x.length === 2) {
    const [x0, x1] = ov.boundary.x;
    const [y0, y1] = ov.boundary.y;
    under.appendChild(svgEl("path", {
      d: `M${px(x0)},${py(y0)}L${px(x1)},${py(y1)}`,
      stroke: ov.colors.boundary, "stroke-width": style.line_width, "clip-path": "url(#pp-clip)",
    }));
  }
  if (ov.arrow) {
    const [fx, fy] = [px(ov.arrow.from[0]), py(ov.arrow.from[1])];
    const [tx, ty] = [px(ov.arrow.to[0]), py(ov.arrow.to[1])];
    const ang = Math.atan2(ty - fy, tx - fx);
    const h = 6 + 2 * style.line_width;
    const head = [ang + 2.7, ang - 2.7].map((a) => `${tx + h * Math.cos(a)},${ty + h * Math.sin(a)}`);
    under.appendChild(svgEl("path", {
      d: `M${fx},${fy}L${tx},${ty}M${head[0]}L${tx},${ty}L${head[1]}`,
      stroke: ov.colors.boundary, "stroke-width": style.line_width, fill: "none",
      "stroke-linecap": "round", "stroke-linejoin": "round",
    }));
    const label = svgEl("text", {
      x: tx + 10 * Math.cos(ang), y: ty + 10 * Math.sin(ang) + 6,
      "font-size": 6 + style.marker_size, "font-weight": "bold", fill: ov.colors.boundary,
    });
    label.textContent = "w";
    under.appendChild(label);
  }
  const over = root.querySelector(".pp-rings");
  over.replaceChildren();
  const rings = [
    [ov.misclassified, ov.colors.misclassified, style.marker_size / 2 + 5, 2, null],
    [ov.undecided || { x: [], y: [] }, ov.colors.undecided, style.marker_size / 2 + 5, 2, "3,2"],
    [ov.used, ov.colors.used, style.marker_size / 2 + 9, 4, null],
  ];
  for (const [pts, colour, r, width, dash] of rings) {
    pts.x.forEach((x, i) => {
      const ring = svgEl("circle", {
        cx: px(x), cy: py(pts.y[i]), r: r, fill: "none", stroke: colour, "stroke-width": width,
      });
      if (dash) ring.setAttribute("stroke-dasharray", dash);
      over.appendChild(ring);
    });
  }
  // The note sits inside the plot area, clear of the tick labels and the mode bar.
  const note = root.querySelector(".pp-note");
  note.textContent = ov.note || "";
  note.hidden = !ov.note;
  note.style.top = `${ya._offset + 8}px`;
  note.style.left = `${xa._offset + xa._length / 2}px`;
  note.style.maxWidth = `${Math.max(120, xa._length - 16)}px`;
}

function drawShading(canvas, ov, xa, ya, W, H, px, py) {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const { x: gx, y: gy } = ov.grid;
  const z = shadingValues(ov.grid, ov.w, ov.b);
  const nx = gx.length;
  const ny = gy.length;
  const img = new ImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const [r, g, b] = shadeColour(ov.colors.shading, z[j][i]);
      const o = 4 * ((ny - 1 - j) * nx + i); // image rows run top down, grid rows bottom up
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  }
  const tile = state.tile || (state.tile = document.createElement("canvas"));
  tile.width = nx;
  tile.height = ny;
  tile.getContext("2d").putImageData(img, 0, 0);
  // Each grid value sits at its pixel's centre: the image reaches half a cell past the grid.
  const hx = (gx[nx - 1] - gx[0]) / (nx - 1) / 2;
  const hy = (gy[ny - 1] - gy[0]) / (ny - 1) / 2;
  ctx.save();
  ctx.beginPath();
  ctx.rect(xa._offset, ya._offset, xa._length, ya._length);
  ctx.clip();
  ctx.fillStyle = ov.colors.background;
  ctx.fillRect(xa._offset, ya._offset, xa._length, ya._length);
  ctx.globalAlpha = 0.7;
  ctx.imageSmoothingEnabled = true;
  const left = px(gx[0] - hx);
  const top = py(gy[ny - 1] + hy);
  ctx.drawImage(tile, left, top, px(gx[nx - 1] + hx) - left, py(gy[0] - hy) - top);
  ctx.restore();
}

// Clicked points the server has not confirmed yet are drawn on an SVG layer over the plot:
// no Plotly redraw is needed, so a click shows at once. Pending erases are crossed out.

function drawPending(root) {
  const gd = root.querySelector(".pp-main");
  const svg = root.querySelector(".pp-clicks");
  const d = state.data;
  svg.replaceChildren();
  if (!d || !gd._fullLayout) return;
  const xa = gd._fullLayout.xaxis;
  const ya = gd._fullLayout.yaxis;
  const size = d.marker_size;
  for (const p of state.pending) {
    const cx = xa._offset + xa.l2p(p.x1);
    const cy = ya._offset + ya.l2p(p.x2);
    let el;
    if (p.op === "erase") {
      el = document.createElementNS(SVG, "path");
      const r = size * 0.7;
      el.setAttribute("d", `M${cx - r},${cy - r}L${cx + r},${cy + r}M${cx - r},${cy + r}L${cx + r},${cy - r}`);
      el.setAttribute("stroke", state.overlay ? state.overlay.colors.boundary : "#111");
      el.setAttribute("stroke-width", "3");
    } else if (p.cls === 1) {
      const r = size * 0.65;
      el = document.createElementNS(SVG, "path");
      el.setAttribute("d", `M${cx},${cy - r}L${cx + r},${cy + r * 0.75}L${cx - r},${cy + r * 0.75}Z`);
    } else {
      el = document.createElementNS(SVG, "circle");
      el.setAttribute("cx", cx);
      el.setAttribute("cy", cy);
      el.setAttribute("r", size / 2);
    }
    if (p.op !== "erase") {
      el.setAttribute("fill", d.colors[p.cls === 1 ? 1 : 0]);
      el.setAttribute("stroke", d.main.overlay.colors.outline);
      el.setAttribute("stroke-width", "1.5");
    }
    el.setAttribute("class", "pp-pending");
    svg.appendChild(el);
  }
}

// The data chart's legend as plain HTML (see perceptron.figures.data_legend).
const LEGEND_SHAPES = {
  circle: (c, o) => `<circle cx="9" cy="9" r="6" fill="${c}" stroke="${o}" stroke-width="1.5"/>`,
  triangle: (c, o) => `<path d="M9,2L16,15L2,15Z" fill="${c}" stroke="${o}" stroke-width="1.5"/>`,
  line: (c) => `<path d="M1,9L17,9" stroke="${c}" stroke-width="3"/>`,
  arrow: (c) => `<path d="M2,9L14,9M10,4L16,9L10,14" stroke="${c}" stroke-width="2.5" fill="none"/>`,
  ring: (c) => `<circle cx="9" cy="9" r="6.5" fill="none" stroke="${c}" stroke-width="2.5"/>`,
  "dashed-ring": (c) =>
    `<circle cx="9" cy="9" r="6.5" fill="none" stroke="${c}" stroke-width="2" stroke-dasharray="3,2"/>`,
};

function drawLegend(root, entries, outline) {
  const box = root.querySelector(".pp-legend");
  const key = JSON.stringify([entries, outline]);
  if (box.dataset.drawn === key) return;
  box.replaceChildren();
  for (const e of entries) {
    const item = document.createElement("span");
    item.className = "pp-legend-item";
    const icon = document.createElementNS(SVG, "svg");
    icon.setAttribute("viewBox", "0 0 18 18");
    icon.setAttribute("aria-hidden", "true");
    // Shapes and colours come from our own code, never from user input.
    icon.innerHTML = (LEGEND_SHAPES[e.symbol] || LEGEND_SHAPES.circle)(e.color, outline);
    const label = document.createElement("span");
    label.textContent = e.label;
    item.append(icon, label);
    box.appendChild(item);
  }
  box.dataset.drawn = key;
}

// On a touch-first device one finger scrolls the page (Plotly's drag would hold it).
function withDevice(layout) {
  return COARSE ? Object.assign({}, layout, { dragmode: false }) : layout;
}

// Update k written out with its numbers (made by Python: lines of [text, bold] parts).
function drawNumbers(root, lines) {
  const box = root.querySelector(".pp-numbers");
  box.replaceChildren(
    ...(lines || []).map((parts) => {
      const p = document.createElement("p");
      for (const [text, bold] of parts) {
        const el = document.createElement(bold ? "strong" : "span");
        el.textContent = text;
        p.appendChild(el);
      }
      return p;
    }),
  );
}

function draw(Plotly, div, fig, size) {
  return Plotly.react(div, fig.data, Object.assign(withDevice(fig.layout), size), CONFIG);
}

// The data chart keeps equal axis scales, so its plot area is square: its height follows
// the width it gets, capped at the height Python asked for, and at what the window leaves
// below the step buttons, so the buttons, the update's numbers and the chart fit together.
function mainSize(root, div, layout) {
  const width = div.clientWidth;
  const m = layout.margin;
  const side = width - m.l - m.r - 70; // 70: the colour bar beside the plot
  let height = Math.min(layout.height, side + m.t + m.b);
  const bar = document.querySelector(".st-key-stepbar");
  if (bar) {
    const header = document.querySelector("[data-testid=stHeader]");
    const top = header ? header.getBoundingClientRect().height : 0;
    const below = div.getBoundingClientRect().top - bar.getBoundingClientRect().top;
    if (below > 0) height = Math.min(height, window.innerHeight - top - below - 12);
  }
  return { width: width, height: Math.round(Math.max(300, height)) };
}

// Beside the data chart (two columns), the update's numbers and the three line charts
// together are as tall as the data chart and its toolbar, but no line chart below 150 px.
function seriesSize(root, div, layout) {
  const side = root.querySelector(".pp-side");
  const twoColumns = side.getBoundingClientRect().left > root.getBoundingClientRect().left + 10;
  if (!twoColumns) return { width: div.clientWidth, height: layout.height };
  const wrap = root.querySelector(".pp-main-wrap").getBoundingClientRect().height;
  const numbers = root.querySelector(".pp-numbers").getBoundingClientRect().height;
  const each = Math.floor((wrap - numbers - 8) / 3);
  return { width: div.clientWidth, height: Math.max(150, Math.min(layout.height, each)) };
}

// Re-lay every chart whose container changed size. A container of width 0 (hidden while
// the page reruns or is switched) is skipped: sizing a chart to it would collapse it.
function fitCharts(root) {
  if (!window.Plotly || !state.data) return;
  const main = root.querySelector(".pp-main");
  const all = [[main, mainSize(root, main, state.data.main.layout)]];
  root.querySelectorAll(".pp-series").forEach((div, j) => {
    all.push([div, seriesSize(root, div, state.data.series[j].layout)]);
  });
  for (const [div, size] of all) {
    const full = div._fullLayout;
    if (!full || size.width < 50) continue;
    if (Math.abs(full.width - size.width) > 1 || Math.abs(full.height - size.height) > 1) {
      window.Plotly.relayout(div, size);
    }
  }
}

function watchSize(root) {
  if (root.__ppObserved) return;
  root.__ppObserved = true;
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fitCharts(root);
    });
  };
  new ResizeObserver(later).observe(root);
  window.addEventListener("resize", later);
}

// The data chart: Plotly draws axes and points only when they change (a new data set, view
// or size); otherwise a step updates the points' hover texts and redraws the layers.
function drawMain(Plotly, root, data) {
  const div = root.querySelector(".pp-main");
  const fig = data.main;
  if (div.__ppKey === data.main_key) {
    const ids = [];
    const texts = [];
    fig.data.forEach((t, i) => {
      if (t.hovertext) {
        ids.push(i);
        texts.push(t.hovertext);
      }
    });
    if (ids.length) Plotly.restyle(div, { hovertext: texts }, ids);
    drawOverlay(root, state.overlay);
    return;
  }
  div.__ppKey = data.main_key;
  draw(Plotly, div, fig, mainSize(root, div, fig.layout));
  if (!div.__ppHooked) {
    div.__ppHooked = true;
    // Zoom, pan and resize move the axes: the layers follow.
    div.on("plotly_afterplot", () => {
      drawOverlay(root, state.overlay);
      drawPending(root);
    });
    div.on("plotly_relayout", (ev) => reportView(div, ev));
  }
  drawOverlay(root, state.overlay);
}

// After the learner panned or zoomed, Python draws the shading and boundary for the new view.
function reportView(div, ev) {
  const moved = Object.keys(ev || {}).some((k) => k.startsWith("xaxis.range") || k.startsWith("yaxis.range") || k.endsWith("autorange"));
  if (!moved || !div._fullLayout || state.pinch) return; // a pinch reports when it ends
  const x = div._fullLayout.xaxis.range.slice();
  const y = div._fullLayout.yaxis.range.slice();
  const a = state.data.anim;
  const same = (r, q) => Math.abs(r[0] - q[0]) + Math.abs(r[1] - q[1]) <= 1e-9 * (q[1] - q[0]);
  if (same(x, a.x_range) && same(y, a.y_range)) return;
  state.setState("view", { x: x, y: y, t: Date.now() });
}

// The marker at step k on the line charts lives on an SVG layer over each chart, so a step
// moves it without redrawing the chart; the lines are redrawn only when the run changes.
function drawStep(div) {
  const svg = div.parentElement.querySelector(".pp-overlay");
  const step = div.__ppStep;
  svg.replaceChildren();
  if (!step || !div._fullLayout) return;
  const xa = div._fullLayout.xaxis;
  const ya = div._fullLayout.yaxis;
  const x = xa._offset + xa.c2p(step.k);
  if (!(x >= xa._offset - 1 && x <= xa._offset + xa._length + 1)) return;
  const line = document.createElementNS(SVG, "path");
  line.setAttribute("d", `M${x},${ya._offset}V${ya._offset + ya._length}`);
  line.setAttribute("stroke", step.line || "#777");
  line.setAttribute("stroke-width", "1.5");
  line.setAttribute("stroke-dasharray", "3,3");
  svg.appendChild(line);
  for (const p of step.points) {
    const y = ya._offset + ya.c2p(p.y);
    if (!Number.isFinite(y)) continue;
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", x);
    dot.setAttribute("cy", y);
    dot.setAttribute("r", state.data && state.data.presenter ? 6 : 4.5);
    dot.setAttribute("fill", p.color);
    dot.setAttribute("stroke", step.outline || "#fff");
    dot.setAttribute("stroke-width", "1.5");
    svg.appendChild(dot);
  }
}

function drawSeries(Plotly, div, j, data) {
  const fig = data.series[j];
  div.__ppStep = fig.step;
  // The key lives on the div: a new div (the page was left and reopened) is always drawn.
  if (div.__ppKey === data.series_key) {
    drawStep(div);
    return;
  }
  div.__ppKey = data.series_key;
  draw(Plotly, div, fig, seriesSize(div.closest(".pp-root"), div, fig.layout));
  if (!div.__ppHooked) {
    div.__ppHooked = true;
    div.on("plotly_afterplot", () => drawStep(div)); // after zoom, pan or resize too
  }
  drawStep(div);
}

function sendClicks() {
  state.setState("clicks", { client: state.clientId, items: state.pending.slice() });
}

// A press on the plot area becomes a click (or tap) if it is released within a few pixels
// of where it began, with no second finger down meanwhile: the point goes where the pointer
// was released, in the pointer event's own coordinates.
function onPointerDown(ev, root) {
  const el = document.activeElement;
  // Plotly cancels mousedown, so a click on the chart left the focus where it was (often on
  // the class picker, which then swallowed the arrow keys): let it go, so Right steps.
  if (el && el !== document.body && !root.contains(el)) el.blur();
  if (ev.pointerType === "touch") {
    state.touches.set(ev.pointerId, [ev.clientX, ev.clientY]);
    if (state.touches.size === 2) return startPinch(root);
  }
  const onPlot = ev.target.classList && ev.target.classList.contains("nsewdrag");
  const primary = ev.isPrimary && (ev.pointerType !== "mouse" || ev.button === 0);
  state.gesture = onPlot && primary && state.touches.size <= 1
    ? { id: ev.pointerId, type: ev.pointerType, x: ev.clientX, y: ev.clientY }
    : null;
}

function onPointerUp(ev, root) {
  state.touches.delete(ev.pointerId);
  if (state.pinch && state.touches.size < 2) endPinch(root);
  const g = state.gesture;
  if (!g || g.id !== ev.pointerId) return;
  state.gesture = null;
  const slop = TAP_SLOP[g.type] || 6;
  if (Math.hypot(ev.clientX - g.x, ev.clientY - g.y) > slop) return; // a pan or a scroll
  placeAt(root, ev.clientX, ev.clientY, g.type, ev.timeStamp);
}

function onPointerCancel(ev, root) {
  state.touches.delete(ev.pointerId);
  if (state.pinch && state.touches.size < 2) endPinch(root);
  if (state.gesture && state.gesture.id === ev.pointerId) state.gesture = null;
}

// t0: the release's event time (the point shows when the finger or button comes up).
function placeAt(root, clientX, clientY, pointerType, t0) {
  const d = state.data;
  const gd = root.querySelector(".pp-main");
  if (!d || !gd || !gd._fullLayout) return;
  if (state.playTimer) return; // clicks during Play would edit a run that is being shown
  const xa = gd._fullLayout.xaxis;
  const ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const px = clientX - box.left - xa._offset;
  const py = clientY - box.top - ya._offset;
  editAt(root, px, py, d.tool, ERASE_RADIUS[pointerType] || 14, t0);
}

// The drawn point nearest to plot pixel (px, py) within `reach` px, or −1 (server points
// only; pending ones are not yet real).
function pointNear(gd, px, py, reach) {
  const [xa, ya] = axes(gd);
  let best = -1;
  let bestDist = reach;
  state.data.anim.X.forEach((p, i) => {
    const dist = Math.hypot(xa.l2p(p[0]) - px, ya.l2p(p[1]) - py);
    if (dist < bestDist) {
      bestDist = dist;
      best = i;
    }
  });
  return best;
}

// Add a point of the chosen class at plot pixel (px, py), or erase the one within `reach`
// px of it (tool "erase"): by a click, a tap or the keyboard's crosshair. Returns whether
// it changed anything.
function editAt(root, px, py, tool, reach, t0) {
  const d = state.data;
  const gd = root.querySelector(".pp-main");
  const [xa, ya] = axes(gd);
  if (px < 0 || py < 0 || px > xa._length || py > ya._length) return false;
  const x1 = xa.p2d(px);
  const x2 = ya.p2d(py);
  if (!Number.isFinite(x1) || !Number.isFinite(x2)) return false;
  if (tool === "erase") {
    const best = pointNear(gd, px, py, reach);
    if (best < 0) return false;
    const p = d.anim.X[best];
    state.seq += 1;
    state.pending.push({ seq: state.seq, op: "erase", index: best, x1: p[0], x2: p[1] });
    drawPending(root);
  } else {
    const r = d.round;
    state.seq += 1;
    state.pending.push({
      seq: state.seq,
      op: "add",
      x1: Math.round(x1 * r) / r,
      x2: Math.round(x2 * r) / r,
      cls: d.cls,
    });
    drawPending(root);
    measureToFrame("pp-click", t0);
  }
  sendClicks();
  return true;
}

// Two fingers on the data chart: the data point under their midpoint stays under it, and
// the view scales by how far they spread (one scale for both axes, which stay equal).
function startPinch(root) {
  const gd = root.querySelector(".pp-main");
  if (!gd._fullLayout) return;
  state.gesture = null; // a second finger: no tap
  const [a, b] = [...state.touches.values()];
  const box = gd.getBoundingClientRect();
  const xa = gd._fullLayout.xaxis;
  const ya = gd._fullLayout.yaxis;
  const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  state.pinch = {
    dist: Math.max(10, Math.hypot(a[0] - b[0], a[1] - b[1])),
    anchor: [xa.p2d(mid[0] - box.left - xa._offset), ya.p2d(mid[1] - box.top - ya._offset)],
    span: [xa.range[1] - xa.range[0], ya.range[1] - ya.range[0]],
    queued: false,
  };
}

function movePinch(ev, root) {
  if (!state.pinch || !state.touches.has(ev.pointerId)) return;
  state.touches.set(ev.pointerId, [ev.clientX, ev.clientY]);
  ev.preventDefault();
  if (state.pinch.queued) return;
  state.pinch.queued = true;
  requestAnimationFrame(() => {
    const pinch = state.pinch;
    if (!pinch) return;
    pinch.queued = false;
    const gd = root.querySelector(".pp-main");
    const [a, b] = [...state.touches.values()];
    if (!b) return;
    const scale = pinch.dist / Math.max(10, Math.hypot(a[0] - b[0], a[1] - b[1]));
    const box = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis;
    const ya = gd._fullLayout.yaxis;
    const fx = ((a[0] + b[0]) / 2 - box.left - xa._offset) / xa._length;
    const fy = ((a[1] + b[1]) / 2 - box.top - ya._offset) / ya._length;
    const sx = pinch.span[0] * scale;
    const sy = pinch.span[1] * scale;
    const x0 = pinch.anchor[0] - fx * sx;
    const y1 = pinch.anchor[1] + fy * sy;
    window.Plotly.relayout(gd, { "xaxis.range": [x0, x0 + sx], "yaxis.range": [y1 - sy, y1] });
  });
}

function endPinch(root) {
  state.pinch = null;
  const gd = root.querySelector(".pp-main");
  reportView(gd, { "xaxis.range": true });
}

// "ŷ here": the model's probability under the mouse, for the weights on show.
function showProbe(ev, root) {
  const gd = root.querySelector(".pp-main");
  const [xa, ya] = axes(gd);
  const ov = state.overlay;
  if (!xa || !ov) return;
  const box = gd.getBoundingClientRect();
  const x1 = xa.p2d(ev.clientX - box.left - xa._offset);
  const x2 = ya.p2d(ev.clientY - box.top - ya._offset);
  const inside = x1 >= xa.range[0] && x1 <= xa.range[1] && x2 >= ya.range[0] && x2 <= ya.range[1];
  const yhat = sigmoid(ov.w[0] * x1 + ov.w[1] * x2 + ov.b);
  root.querySelector(".pp-probe").textContent = inside
    ? `at (${x1.toFixed(2)}, ${x2.toFixed(2)}): ŷ = ${yhat.toFixed(3)}`
    : "";
}

// ---------------------------------------------------------------- the keyboard's crosshair

// The data chart takes the focus (Tab): the arrow keys move a crosshair, Shift for bigger
// moves; Enter or Space places a point of the chosen class there, Delete or Backspace
// removes the point under it; the live region says where the crosshair is.
const CROSS_STEPS = 40; // a move is 1/40 of the view's width (Shift: 1/8)
const CROSS_REACH = 24; // px from the crosshair to a point it is "on"
const CROSS_KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

function onChartKey(ev, root) {
  const d = state.data;
  const gd = root.querySelector(".pp-main");
  const [xa, ya] = axes(gd);
  if (!d || !xa || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const move = CROSS_KEYS[ev.key];
  const place = ev.key === "Enter" || ev.key === " ";
  const erase = ev.key === "Delete" || ev.key === "Backspace";
  if (!move && !place && !erase) return; // Page keys, P, 0/1/E: as anywhere else
  if (!state.keyFocus) return; // focused by a tap: the keys step, as with nothing focused
  ev.preventDefault();
  ev.stopPropagation();
  const c = crosshair(gd);
  let done = null; // what the keys did: "add", "erase", "nothing" (no point to remove)
  if (move) {
    const span = (xa.range[1] - xa.range[0]) / (ev.shiftKey ? 8 : CROSS_STEPS);
    const r = d.round;
    const clamp = (v, [lo, hi]) => Math.min(Math.max(v, lo), hi);
    c.x1 = clamp(Math.round((c.x1 + move[0] * span) * r) / r, xa.range);
    c.x2 = clamp(Math.round((c.x2 + move[1] * span) * r) / r, ya.range);
  } else if (!state.playTimer) {
    const tool = place ? "add" : "erase";
    done = editAt(root, xa.l2p(c.x1), ya.l2p(c.x2), tool, CROSS_REACH, ev.timeStamp) ? tool : "nothing";
  }
  drawCrosshair(root);
  say(root, crossText(gd, c, done));
}

// The crosshair's place in data units; at first the middle of the view.
function crosshair(gd) {
  const [xa, ya] = axes(gd);
  if (!state.cross) {
    state.cross = { x1: (xa.range[0] + xa.range[1]) / 2, x2: (ya.range[0] + ya.range[1]) / 2 };
  }
  return state.cross;
}

function crossText(gd, c, done) {
  const [xa, ya] = axes(gd);
  const d = state.data;
  const at = `(${c.x1.toFixed(2)}, ${c.x2.toFixed(2)})`.replaceAll("-", "−");
  const i = pointNear(gd, xa.l2p(c.x1), ya.l2p(c.x2), CROSS_REACH);
  const ov = state.overlay;
  const yhat = ov ? `, ŷ = ${sigmoid(ov.w[0] * c.x1 + ov.w[1] * c.x2 + ov.b).toFixed(3)}` : "";
  const on = i >= 0 ? `, on point ${i + 1} (class ${d.anim.y[i]})` : "";
  const what = {
    add: `Placed a class ${d.cls} point at ${at}`,
    erase: `Removed the point near ${at}`,
    nothing: `No point to remove at ${at}`,
  }[done] || `Crosshair at ${at}`;
  return what + yhat + on + ".";
}

function drawCrosshair(root) {
  const gd = root.querySelector(".pp-main");
  const svg = root.querySelector(".pp-cross");
  const [xa, ya] = axes(gd);
  svg.replaceChildren();
  if (!state.cross || !state.keyFocus || document.activeElement !== gd || !xa) return;
  const cx = xa._offset + xa.l2p(state.cross.x1);
  const cy = ya._offset + ya.l2p(state.cross.x2);
  const ink = state.overlay ? state.overlay.colors.boundary : "#111";
  const line = (x0, y0, x1, y1) =>
    svgEl("line", { x1: x0, y1: y0, x2: x1, y2: y1, stroke: ink, "stroke-width": 1.5, "stroke-dasharray": "4,3" });
  svg.append(
    line(xa._offset, cy, xa._offset + xa._length, cy),
    line(cx, ya._offset, cx, ya._offset + ya._length),
    svgEl("circle", { cx, cy, r: 9, fill: "none", stroke: ink, "stroke-width": 2.5 }),
  );
}

function say(root, text) {
  root.querySelector(".pp-said").textContent = text;
}

function hookCrosshair(root) {
  const gd = root.querySelector(".pp-main");
  gd.addEventListener("keydown", (ev) => onChartKey(ev, root));
  // A tap focuses the chart too (a mouse click does not: Plotly cancels mousedown); the
  // crosshair is for focus that came from the keyboard (Tab).
  gd.addEventListener("pointerdown", () => (state.pointerAt = performance.now()), true);
  gd.addEventListener("focus", () => {
    state.chartFocused = true;
    if (!state.refocusing) state.keyFocus = !(performance.now() - (state.pointerAt || -Infinity) < 1000);
    if (!state.keyFocus || !state.data || !axes(gd)[0]) return;
    say(root, crossText(gd, crosshair(gd), null));
    drawCrosshair(root);
  });
  gd.addEventListener("blur", () => {
    // A rerun that mounts the chart anew takes the focus away too: that is no blur.
    setTimeout(() => {
      if (gd.isConnected) state.chartFocused = state.keyFocus = false;
    }, 0);
    drawCrosshair(root);
  });
}

// ---------------------------------------------------------------- the step, owned here

// Draw state k from its record: the data chart's layers, the marks on the line charts,
// the update's numbers (a frame of Play has none: the last ones stay, marked as older).
function showRecord(root, rec) {
  state.overlay = overlayOf(rec);
  drawOverlay(root, state.overlay);
  root.querySelectorAll(".pp-series").forEach((div, j) => {
    const fig = state.data.series[j];
    const points = (fig.data || []).map((t, i) => ({
      name: t.name,
      color: t.line.color,
      y: (rec.marks[j] || [])[i],
    }));
    div.__ppStep = Object.assign({}, fig.step, {
      k: rec.k,
      points: points.filter((p) => p.y !== null && p.y !== undefined),
    });
    drawStep(div);
  });
  if (rec.numbers) drawNumbers(root, rec.numbers);
  root.querySelector(".pp-numbers").classList.toggle("pp-stale", !rec.numbers);
  if (rec.alt) root.querySelectorAll(".pp-alt").forEach((p, j) => (p.textContent = rec.alt[j] || ""));
  root.dataset.k = String(rec.k); // read by the browser tests and benchmarks
  updateStepControls(root, rec.k);
}

// Where each step button goes from k (Epoch: the end of k's epoch, or of the next one
// when k is an epoch's end; also from a step whose record has not arrived yet).
function targets(k) {
  const d = state.data;
  const per = Math.max(1, d.per_epoch);
  return {
    start: 0,
    back: Math.max(0, k - 1),
    step: Math.min(d.n_updates, k + 1),
    epoch: Math.min(d.n_updates, (Math.floor(k / per) + 1) * per),
    end: d.n_updates,
  };
}

function updateStepControls(root, k) {
  const K = state.data.n_updates;
  const off = { start: k <= 0, back: k <= 0, step: k >= K, epoch: k >= K, end: k >= K };
  root.querySelectorAll(".pp-step").forEach((btn) => {
    btn.disabled = K === 0 || off[btn.dataset.go];
  });
  const scrub = root.querySelector(".pp-scrub");
  scrub.max = String(K);
  scrub.value = String(k);
  scrub.disabled = K === 0;
  root.querySelector(".pp-scrub-label").textContent = K
    ? `Step ${k.toLocaleString("en-US")} of ${K.toLocaleString("en-US")}`
    : "No run yet";
}

// The learner asked for step k: show it now if its record is here, else ask Python.
// t0: when the input event happened (performance.now() time), for the latency figure.
function moveTo(root, k, t0 = performance.now()) {
  const d = state.data;
  if (!d || d.n_updates === 0) return;
  if (state.playTimer) stopPlay(null);
  k = Math.max(0, Math.min(d.n_updates, Math.round(k)));
  state.want = k;
  const rec = state.records.get(k);
  if (rec) {
    showRecord(root, rec);
    say(root, rec.said);
    measureToFrame("pp-step", t0);
  } else {
    root.querySelector(".pp-status").textContent = `Going to step ${k.toLocaleString("en-US")}…`;
    updateStepControls(root, k);
  }
  scheduleReport(!rec || nearEdge(k) ? 0 : REPORT_AFTER);
}

// Whether k is within RECORDS_MARGIN of the edge of the unbroken run of records around it
// (an edge at step 0 or K is no edge).
function nearEdge(k) {
  let hi = k;
  let lo = k;
  while (hi - k < RECORDS_MARGIN && state.records.has(hi + 1)) hi += 1;
  while (k - lo < RECORDS_MARGIN && state.records.has(lo - 1)) lo -= 1;
  return (hi - k < RECORDS_MARGIN && hi < state.data.n_updates) || (k - lo < RECORDS_MARGIN && lo > 0);
}

function scheduleReport(delay) {
  clearTimeout(state.reportTimer);
  state.reportTimer = setTimeout(report, delay);
}

// Tell Python the step on show (it writes the URL and sends records around it).
function report() {
  state.reportTimer = null;
  if (state.want === null || !state.data || state.want === state.data.k) return;
  state.reported = state.want;
  state.trigger("paused_at", { k: state.want, resume: false, t: Date.now() });
}

// A new payload: its records replace the old; the learner's step stays what it was when
// the payload answers a report while the learner went on (the same run), else it is
// Python's (a new run, Back/Forward, another page).
function takeRecords(data) {
  const sameRun = state.run === data.series_key;
  state.records = new Map(data.records.map((r) => [r.k, r]));
  const keep = sameRun && state.want !== null && state.reported !== null && data.k === state.reported;
  if (!keep) state.want = data.k;
  if (data.k === state.want) state.reported = null;
  state.run = data.series_key;
  return state.records.get(state.want) || state.records.get(data.k);
}

// ---------------------------------------------------------------- Play

function stopPlay(report) {
  if (!state.playTimer) return;
  cancelAnimationFrame(state.playTimer);
  state.playTimer = null;
  const f = state.data.frames;
  const k = f[Math.min(state.frameIndex, f.length - 1)].k;
  state.want = k;
  // At the end of the frames sent so far Python sends the next window and Play goes on.
  const resume = report === "window-end" && k < state.data.n_updates;
  if (report) {
    state.reported = k;
    state.trigger("paused_at", { k: k, resume: resume, t: Date.now() });
  }
  const rec = state.records.get(k);
  if (rec) showRecord(state.root, rec);
}

function showFrame(root, i) {
  const d = state.data;
  const frame = d.frames[i];
  showRecord(root, state.records.get(frame.k) || frame);
  root.dataset.playK = String(frame.k); // read by the browser tests and the Play-rate benchmark
}

// When the system asks for reduced motion, Play keeps the chosen speed in updates per
// second but draws at most REDUCED_MOTION_FPS still pictures a second: no smooth motion.
const REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
const REDUCED_MOTION_FPS = 2;

// Play follows the clock, not the frame rate: at speed s it shows update k0 + s·t at time t,
// skipping frames the browser has no time to draw, so the speed holds on a slow machine.
function startPlay(root) {
  const d = state.data;
  const f = d.frames;
  if (!f || f.length < 2) return;
  clearTimeout(state.reportTimer);
  const k0 = f[0].k;
  const t0 = performance.now();
  state.frameIndex = 0;
  let shown = -1;
  let shownAt = -Infinity;
  // Said once (a live region), not per frame: the step bar's "Step k of K" counts.
  root.querySelector(".pp-status").textContent =
    `Playing at ${d.speed} updates a second` +
    (REDUCED_MOTION && REDUCED_MOTION.matches
      ? `, ${REDUCED_MOTION_FPS} pictures a second (your system asks for reduced motion)`
      : "");
  const tick = () => {
    const now = performance.now();
    const target = k0 + ((now - t0) / 1000) * d.speed;
    while (state.frameIndex + 1 < f.length && f[state.frameIndex + 1].k <= target) {
      state.frameIndex += 1;
    }
    const last = state.frameIndex >= f.length - 1;
    const calm = REDUCED_MOTION && REDUCED_MOTION.matches;
    if (state.frameIndex !== shown && (!calm || last || now - shownAt >= 1000 / REDUCED_MOTION_FPS)) {
      showFrame(root, state.frameIndex);
      shown = state.frameIndex;
      shownAt = now;
    }
    if (last) {
      stopPlay("window-end");
      updatePlayButton(root);
      return;
    }
    state.playTimer = requestAnimationFrame(tick);
  };
  state.playTimer = requestAnimationFrame(tick);
  updatePlayButton(root);
}

// Icons are drawn, not typed: a glyph such as ⏸ is an empty box where no emoji font is.
const ICONS = {
  start: '<path d="M3 2.5v11M13 2.5 6 8l7 5.5z" stroke="currentColor" stroke-width="1.6" fill="currentColor"/>',
  back: '<path d="M10.5 2.5 5 8l5.5 5.5" stroke="currentColor" stroke-width="2" fill="none"/>',
  step: '<path d="M5.5 2.5 11 8l-5.5 5.5" stroke="currentColor" stroke-width="2" fill="none"/>',
  epoch: '<path d="M2 2.5 8 8l-6 5.5zM8 2.5 14 8l-6 5.5z" fill="currentColor"/>',
  end: '<path d="M13 2.5v11M3 2.5 10 8l-7 5.5z" stroke="currentColor" stroke-width="1.6" fill="currentColor"/>',
  play: '<path d="M4 2.5v11l9-5.5z" fill="currentColor"/>',
  pause: '<path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" fill="currentColor"/>',
  fit: '<path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" stroke="currentColor" stroke-width="1.8" fill="none"/>',
};

function setButton(btn, icon, label) {
  btn.innerHTML = `<svg viewBox="0 0 16 16" aria-hidden="true">${ICONS[icon]}</svg>`;
  const text = document.createElement("span");
  text.textContent = label;
  btn.appendChild(text);
}

function updatePlayButton(root) {
  const btn = root.querySelector(".pp-play");
  const playing = !!state.playTimer;
  setButton(btn, playing ? "pause" : "play", playing ? "Pause (P)" : "Play (P)");
  btn.setAttribute("aria-pressed", playing ? "true" : "false");
  const d = state.data;
  btn.disabled = !playing && !(d && d.n_updates > 0);
  btn.title = btn.disabled ? "Place points of both classes to have a run to play" : "";
  if (!playing) root.querySelector(".pp-status").textContent = "";
}

// Which theme the page shows, from the colours Streamlit gives the component.
function shownTheme(el) {
  const bg = getComputedStyle(el).getPropertyValue("--st-background-color").trim();
  const m = bg.match(/^#([0-9a-f]{6})$/i);
  if (!m) return null;
  const rgb = hexToRgb("#" + m[1]);
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 128 ? "dark" : "light";
}

function checkTheme(el) {
  const shown = shownTheme(el);
  if (shown && state.data && shown !== state.data.theme && state.asked !== shown) {
    state.asked = shown; // ask once per theme; Python answers with figures in it
    state.trigger("theme", { theme: shown, t: Date.now() });
  }
}

// Window-level pointer listeners, hooked once: a press may end outside the chart (Plotly
// covers the page while it pans), and the chart may have been mounted anew since.
function hookPointers() {
  if (state.pointersHooked) return;
  state.pointersHooked = true;
  const live = () => document.querySelector(".pp-root");
  window.addEventListener("pointerup", (ev) => live() && onPointerUp(ev, live()), true);
  window.addEventListener("pointercancel", (ev) => live() && onPointerCancel(ev, live()), true);
  window.addEventListener("pointermove", (ev) => live() && movePinch(ev, live()), {
    capture: true,
    passive: false,
  });
}

// Play asks Python for its frames from the step on show (one round trip), then plays them
// as they arrive (the payload's autoplay).
function togglePlay(root) {
  if (state.playTimer) stopPlay("paused");
  else if (state.data && state.data.n_updates > 0) {
    clearTimeout(state.reportTimer);
    const k = state.want ?? state.data.k;
    state.reported = k;
    state.trigger("paused_at", { k: k, resume: true, t: Date.now() });
    updatePlayButton(root);
    root.querySelector(".pp-status").textContent = "Starting Play…";
    return;
  }
  updatePlayButton(root);
}

// The step buttons: what each does, its label, and its keys.
const STEP_BUTTONS = [
  ["start", "Start", "Back to step 0 (Home)", "Home"],
  ["back", "Back", "One update back (Left arrow, PageUp)", "ArrowLeft PageUp"],
  ["step", "Step", "One update forward (Right arrow, PageDown)", "ArrowRight PageDown"],
  ["epoch", "Epoch", "Forward to the end of this epoch", ""],
  ["end", "End", "To the last update (End)", "End"],
];
const STEP_KEYS = {
  ArrowRight: "step", PageDown: "step", ArrowLeft: "back", PageUp: "back", Home: "start", End: "end",
};

function stepBar(root) {
  const bar = root.querySelector(".pp-stepbar");
  for (const [go, label, tip, keys] of STEP_BUTTONS) {
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = `pp-step pp-button${go === "step" ? " pp-primary" : ""}`;
    btn.dataset.go = go;
    btn.title = tip;
    if (keys) btn.setAttribute("aria-keyshortcuts", keys);
    setButton(btn, go, label);
    btn.addEventListener("click", (ev) => moveTo(root, targets(state.want ?? 0)[go], ev.timeStamp));
    bar.appendChild(btn);
  }
  const scrub = root.querySelector(".pp-scrub");
  scrub.addEventListener("input", (ev) => moveTo(root, Number(scrub.value), ev.timeStamp));
}

// A focused control that uses the arrow keys itself (a slider, a radio group, a list).
function widget(el) {
  const role = el && el.getAttribute && el.getAttribute("role");
  return ["slider", "radio", "radiogroup", "tab", "listbox", "option", "combobox", "spinbutton", "menu", "menuitem"].includes(role);
}

// Before the page is left by a link (another page of the app), the step on show must reach
// Python first, or the other page would open at the old one: the link's click waits for
// Python's answer to the report (at most LINK_WAIT ms), then goes ahead. A reload or a
// closed tab reports at once.
const LINK_WAIT = 2000;

function hookLeaving() {
  if (state.leavingHooked) return;
  state.leavingHooked = true;
  document.addEventListener(
    "click",
    (ev) => {
      const link = ev.target.closest && ev.target.closest("a[href]");
      if (!link || link === state.releasing || !unreported()) return;
      ev.preventDefault();
      ev.stopPropagation();
      state.deferred = link;
      clearTimeout(state.reportTimer);
      report();
      setTimeout(releaseLink, LINK_WAIT);
    },
    true,
  );
  window.addEventListener("pagehide", () => unreported() && report());
}

// Whether the step on show differs from the step Python has.
function unreported() {
  return !!(state.data && document.querySelector(".pp-root") && state.want !== null && state.want !== state.data.k);
}

function releaseLink() {
  const link = state.deferred;
  state.deferred = null;
  if (!link || !link.isConnected) return;
  state.releasing = link; // this click is ours: let it through
  link.click();
  state.releasing = null;
}

function hookKeys(root) {
  if (state.keysHooked) return;
  state.keysHooked = true;
  // Back/Forward: tell Python which address the browser went to (see ui/state.py).
  window.addEventListener("popstate", () => {
    if (document.querySelector(".pp-root")) {
      state.trigger("history", { query: window.location.search, t: Date.now() });
    }
  });
  document.addEventListener("keydown", (ev) => {
    const el = document.activeElement;
    const typing = el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable);
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const live = document.querySelector(".pp-root");
    if (!live) return;
    if (ev.key === "p" || ev.key === "P") {
      ev.preventDefault();
      togglePlay(live);
    } else if (STEP_KEYS[ev.key] && !widget(el)) {
      // Clickers send PageDown/PageUp. The step moves here, with no server round trip.
      ev.preventDefault();
      if (state.data) moveTo(live, targets(state.want ?? 0)[STEP_KEYS[ev.key]], ev.timeStamp);
    } else if (["0", "1", "e", "E"].includes(ev.key)) {
      ev.preventDefault();
      state.trigger("key", { key: ev.key.toLowerCase() === "e" ? "e" : ev.key, t: Date.now() });
    }
  });
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  state.setState = setStateValue;
  state.trigger = setTriggerValue;
  let root = parentElement.querySelector(".pp-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "pp-root";
    root.innerHTML = `
      <div class="pp-main-wrap">
        <div class="pp-stepbar" role="group" aria-label="Step through the run"></div>
        <div class="pp-toolbar">
          <button class="pp-play pp-button" type="button" aria-pressed="false"></button>
          <button class="pp-fit pp-button" type="button"
            title="Fit the view to the points (placing points never moves it)"></button>
          <label class="pp-scrub-row"><span class="pp-scrub-label"></span>
            <input class="pp-scrub" type="range" min="0" max="0" step="1" value="0">
          </label>
          <span class="pp-status" role="status" aria-live="polite"></span>
          <span class="pp-sr pp-said" role="status" aria-live="polite"></span>
          <div class="pp-legend"></div>
        </div>
        <div class="pp-plot pp-data">
          <canvas class="pp-shade"></canvas><svg class="pp-under"></svg>
          <div class="pp-main" role="figure" aria-label="Data chart" tabindex="0"
            aria-describedby="pp-alt-0 pp-keys-help"></div>
          <p class="pp-sr pp-alt" id="pp-alt-0"></p>
          <p class="pp-sr" id="pp-keys-help">Arrow keys move a crosshair, Shift for bigger
            moves; Enter or Space places a point of the chosen class there; Delete removes
            the point under it.</p>
          <svg class="pp-rings"></svg><svg class="pp-clicks"></svg>
          <svg class="pp-cross" aria-hidden="true"></svg>
          <div class="pp-note" role="note" hidden></div>
          <div class="pp-probe" aria-hidden="true"></div>
        </div>
      </div>
      <div class="pp-side">
        <div class="pp-numbers" role="group" aria-label="Update k in numbers"></div>
        <div class="pp-plot"><div class="pp-series" role="figure" aria-label="Loss chart"
          aria-describedby="pp-alt-1"></div><svg class="pp-overlay" aria-hidden="true"></svg>
          <p class="pp-sr pp-alt" id="pp-alt-1"></p></div>
        <div class="pp-plot"><div class="pp-series" role="figure" aria-label="Derivatives chart"
          aria-describedby="pp-alt-2"></div><svg class="pp-overlay" aria-hidden="true"></svg>
          <p class="pp-sr pp-alt" id="pp-alt-2"></p></div>
        <div class="pp-plot"><div class="pp-series" role="figure" aria-label="Weights chart"
          aria-describedby="pp-alt-3"></div><svg class="pp-overlay" aria-hidden="true"></svg>
          <p class="pp-sr pp-alt" id="pp-alt-3"></p></div>
      </div>`;
    parentElement.appendChild(root);
    stepBar(root);
    root.querySelector(".pp-play").addEventListener("click", () => togglePlay(root));
    const fit = root.querySelector(".pp-fit");
    setButton(fit, "fit", "Fit view");
    fit.addEventListener("click", () => state.trigger("fit", { t: Date.now() }));
    const main = root.querySelector(".pp-main");
    main.addEventListener("pointerdown", (ev) => onPointerDown(ev, root), true);
    main.addEventListener("mousemove", (ev) => showProbe(ev, root));
    main.addEventListener("mouseleave", () => (root.querySelector(".pp-probe").textContent = ""));
    hookCrosshair(root);
  }
  hookKeys(root);
  hookLeaving();
  hookPointers();
  watchSize(root);
  if (state.playTimer) stopPlay(false);

  const ack = data.ack || {};
  if (ack.client === state.clientId) {
    state.pending = state.pending.filter((p) => p.seq > ack.seq);
  }
  state.data = data;
  state.root = root;
  const rec = takeRecords(data);
  if (state.deferred && data.k === state.want) releaseLink(); // Python has the step now
  updatePlayButton(root);
  checkTheme(parentElement);
  root.classList.toggle("pp-presenter", !!data.presenter);
  root.classList.toggle("pp-coarse", COARSE);

  loadPlotly(data.plotly_url).then((Plotly) => {
    drawLegend(root, data.legend, data.main.overlay.colors.outline);
    drawMain(Plotly, root, data);
    drawPending(root);
    const main = root.querySelector(".pp-main");
    // The chart mounted anew under a keyboard user (after placing a point): keep the focus.
    if (state.chartFocused && state.keyFocus && document.activeElement !== main) {
      state.refocusing = true;
      main.focus({ preventScroll: true });
      state.refocusing = false;
    }
    drawCrosshair(root);
    root.querySelectorAll(".pp-series").forEach((div, j) => drawSeries(Plotly, div, j, data));
    showRecord(root, rec);
    if (state.want !== data.k) {
      // The learner went on meanwhile: show that step, and report it when they pause.
      const own = state.records.get(state.want);
      if (own) showRecord(root, own);
      scheduleReport(own ? REPORT_AFTER : 0);
    }
    fitCharts(root); // the line charts follow the data chart's height
    root.dataset.rendered = String(data.render_id);
    if (data.autoplay && !state.playTimer) startPlay(root);
  });
}
