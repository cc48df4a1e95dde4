// The Playground's four linked charts, drawn with Plotly.js by the browser.
//
// Python sends ready-made figures (perceptron/figures.py builds them) and this file only
// draws them, so every number on screen is computed, and tested, in Python. The browser
// does two things itself because a round trip to the server would be too slow:
//   1. a click on the data chart draws the new point at once (a "pending" point) and
//      queues it; Python adds it, acknowledges its sequence number, and it stops pending;
//   2. Play animates the recorded run frame by frame (boundary, shading, markers).
// Plotly.react on the same divs keeps the user's zoom/pan (layout.uirevision).

const state = (window.__ppChart = window.__ppChart || {
  loading: null,
  clientId: Math.random().toString(36).slice(2, 10),
  seq: 0,
  pending: [],
  data: null,
  playTimer: null,
  frameIndex: 0,
  keysHooked: false,
  trigger: null,
  setState: null,
});

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!state.loading) {
    state.loading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => reject(new Error("could not load " + url));
      document.head.appendChild(s);
    });
  }
  return state.loading;
}

const CONFIG = {
  displaylogo: false,
  doubleClick: false, // two quick clicks place two points, they must not reset the view
  responsive: true,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
  toImageButtonOptions: { filename: "perceptron-playground", scale: 2 },
};

function sigmoid(z) {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

// The visible piece of w1*x + w2*y + b = 0 inside the view (mirrors perceptron.geometry).
function clipLine(w1, w2, b, xr, yr) {
  const pts = [];
  const eps = 1e-12 * (Math.abs(w1) + Math.abs(w2) + Math.abs(b) + 1);
  if (Math.abs(w2) > 0) {
    for (const x of xr) {
      const y = -(w1 * x + b) / w2;
      if (y >= yr[0] - eps && y <= yr[1] + eps) pts.push([x, y]);
    }
  }
  if (Math.abs(w1) > 0) {
    for (const y of yr) {
      const x = -(w2 * y + b) / w1;
      if (x >= xr[0] - eps && x <= xr[1] + eps) pts.push([x, y]);
    }
  }
  if (pts.length < 2) return null;
  pts.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const a = pts[0];
  const z = pts[pts.length - 1];
  if (a[0] === z[0] && a[1] === z[1]) return null;
  return [a, z];
}

function traceIndex(fig, uid) {
  return fig.data.findIndex((t) => t.uid === uid);
}

// Recompute the step-dependent parts of the data chart for weights (w1, w2, b).
function frameUpdate(fig, anim, w1, w2, b) {
  const data = fig.data.map((t) => Object.assign({}, t));
  const iz = traceIndex(fig, "shading");
  if (iz >= 0) {
    const gx = anim.grid_x;
    const gy = anim.grid_y;
    data[iz].z = gy.map((yv) => gx.map((xv) => sigmoid(w1 * xv + w2 * yv + b)));
  }
  const ib = traceIndex(fig, "boundary");
  const seg = clipLine(w1, w2, b, anim.x_range, anim.y_range);
  if (ib >= 0) {
    data[ib].x = seg ? [seg[0][0], seg[1][0]] : [];
    data[ib].y = seg ? [seg[0][1], seg[1][1]] : [];
  }
  const im = traceIndex(fig, "misclassified");
  if (im >= 0) {
    const mx = [];
    const my = [];
    anim.X.forEach((p, i) => {
      const yhat = sigmoid(w1 * p[0] + w2 * p[1] + b);
      if ((yhat >= 0.5 ? 1 : 0) !== anim.y[i]) {
        mx.push(p[0]);
        my.push(p[1]);
      }
    });
    data[im].x = mx;
    data[im].y = my;
    data[im].hovertext = null;
  }
  const iu = traceIndex(fig, "used");
  if (iu >= 0) {
    data[iu].x = [];
    data[iu].y = [];
  }
  const layout = Object.assign({}, fig.layout, { annotations: [] });
  return { data, layout };
}


// Clicked points the server has not confirmed yet are drawn on an SVG layer over the plot:
// no Plotly redraw is needed, so a click shows at once. Pending erases are crossed out.
const SVG = "http://www.w3.org/2000/svg";

function drawPending(root) {
  const gd = root.querySelector(".pp-main");
  const svg = root.querySelector(".pp-overlay");
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
      el.setAttribute("stroke", "#111");
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
      el.setAttribute("stroke", "#fff");
      el.setAttribute("stroke-width", "1.5");
    }
    el.setAttribute("class", "pp-pending");
    svg.appendChild(el);
  }
}

// The data chart's legend as plain HTML (see perceptron.figures.data_legend).
const LEGEND_SHAPES = {
  circle: (c) => `<circle cx="9" cy="9" r="6" fill="${c}" stroke="#fff" stroke-width="1.5"/>`,
  triangle: (c) => `<path d="M9,2L16,15L2,15Z" fill="${c}" stroke="#fff" stroke-width="1.5"/>`,
  line: (c) => `<path d="M1,9L17,9" stroke="${c}" stroke-width="3"/>`,
  arrow: (c) => `<path d="M2,9L14,9M10,4L16,9L10,14" stroke="${c}" stroke-width="2.5" fill="none"/>`,
  ring: (c) => `<circle cx="9" cy="9" r="6.5" fill="none" stroke="${c}" stroke-width="2.5"/>`,
};

function drawLegend(root, entries) {
  const box = root.querySelector(".pp-legend");
  if (box.dataset.drawn === JSON.stringify(entries)) return;
  box.replaceChildren();
  for (const e of entries) {
    const item = document.createElement("span");
    item.className = "pp-legend-item";
    const icon = document.createElementNS(SVG, "svg");
    icon.setAttribute("viewBox", "0 0 18 18");
    icon.setAttribute("aria-hidden", "true");
    // Shapes and colours come from our own code, never from user input.
    icon.innerHTML = (LEGEND_SHAPES[e.symbol] || LEGEND_SHAPES.circle)(e.color);
    const label = document.createElement("span");
    label.textContent = e.label;
    item.append(icon, label);
    box.appendChild(item);
  }
  box.dataset.drawn = JSON.stringify(entries);
}

function draw(Plotly, div, fig) {
  return Plotly.react(div, fig.data, fig.layout, CONFIG);
}

// The data chart keeps equal axis scales, so its plot area is square: size the figure's
// height to the width it gets, capped at the height Python asked for.
function drawMain(Plotly, div, fig) {
  const m = fig.layout.margin;
  const side = div.clientWidth - m.l - m.r - 70; // 70: the colour bar beside the plot
  const height = Math.max(320, Math.min(fig.layout.height, side + m.t + m.b));
  return draw(Plotly, div, { data: fig.data, layout: Object.assign({}, fig.layout, { height }) });
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
  line.setAttribute("stroke", "#777");
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
    dot.setAttribute("stroke", "#fff");
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
  draw(Plotly, div, fig);
  if (!div.__ppHooked) {
    div.__ppHooked = true;
    div.on("plotly_afterplot", () => drawStep(div)); // after zoom, pan or resize too
  }
  drawStep(div);
}

function sendClicks() {
  state.setState("clicks", { client: state.clientId, items: state.pending.slice() });
}

function onPlotClick(ev, root) {
  const d = state.data;
  const gd = root.querySelector(".pp-main");
  if (!d || !gd || !gd._fullLayout) return;
  const target = ev.target;
  if (!target.classList || !target.classList.contains("nsewdrag")) return;
  if (state.playTimer) return; // clicks during Play would edit a run that is being shown
  const xa = gd._fullLayout.xaxis;
  const ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const px = ev.clientX - box.left - xa._offset;
  const py = ev.clientY - box.top - ya._offset;
  const x1 = xa.p2d(px);
  const x2 = ya.p2d(py);
  if (!Number.isFinite(x1) || !Number.isFinite(x2)) return;
  state.seq += 1;
  if (d.tool === "erase") {
    // Nearest drawn point within 14 px (server points only; pending ones are not yet real).
    let best = -1;
    let bestDist = 14;
    d.anim.X.forEach((p, i) => {
      const dist = Math.hypot(xa.l2p(p[0]) - px, ya.l2p(p[1]) - py);
      if (dist < bestDist) {
        bestDist = dist;
        best = i;
      }
    });
    if (best < 0) return;
    const p = d.anim.X[best];
    state.pending.push({ seq: state.seq, op: "erase", index: best, x1: p[0], x2: p[1] });
    drawPending(root);
  } else {
    const r = d.round;
    state.pending.push({
      seq: state.seq,
      op: "add",
      x1: Math.round(x1 * r) / r,
      x2: Math.round(x2 * r) / r,
      cls: d.cls,
    });
    drawPending(root);
    // Click-to-drawn latency, read by the browser benchmark: event time to the next frame.
    requestAnimationFrame(() => {
      window.__ppClickLatency = (window.__ppClickLatency || []).concat(performance.now() - ev.timeStamp);
    });
  }
  sendClicks();
}

function stopPlay(report) {
  if (!state.playTimer) return;
  cancelAnimationFrame(state.playTimer);
  state.playTimer = null;
  const f = state.data.frames;
  const k = f.k[Math.min(state.frameIndex, f.k.length - 1)];
  // At the end of the frames sent so far Python sends the next window and Play goes on.
  const resume = report === "window-end" && k < state.data.n_updates;
  if (report) state.trigger("paused_at", { k: k, resume: resume, t: Date.now() });
}

function showFrame(root, i) {
  const d = state.data;
  const f = d.frames;
  const Plotly = window.Plotly;
  const main = root.querySelector(".pp-main");
  drawMain(Plotly, main, frameUpdate(d.main, d.anim, f.w1[i], f.w2[i], f.b[i]));
  const k = f.k[i];
  root.querySelectorAll(".pp-series").forEach((div) => {
    div.__ppStep = { k: k, points: [] };
    drawStep(div);
  });
  root.querySelector(".pp-status").textContent = `Playing: update ${k} of ${d.n_updates}`;
  root.dataset.playK = String(k); // read by the browser tests and the Play-rate benchmark
  window.__ppPlayShown = (window.__ppPlayShown || 0) + 1;
}

// Play follows the clock, not the frame rate: at speed s it shows update k0 + s·t at time t,
// skipping frames the browser has no time to draw, so the speed holds on a slow machine.
function startPlay(root) {
  const d = state.data;
  const f = d.frames;
  if (!f || f.k.length < 2) return;
  const k0 = f.k[0];
  const t0 = performance.now();
  state.frameIndex = 0;
  let shown = -1;
  const tick = () => {
    const target = k0 + ((performance.now() - t0) / 1000) * d.speed;
    while (state.frameIndex + 1 < f.k.length && f.k[state.frameIndex + 1] <= target) {
      state.frameIndex += 1;
    }
    if (state.frameIndex !== shown) {
      showFrame(root, state.frameIndex);
      shown = state.frameIndex;
    }
    if (state.frameIndex >= f.k.length - 1) {
      stopPlay("window-end");
      updatePlayButton(root);
      return;
    }
    state.playTimer = requestAnimationFrame(tick);
  };
  state.playTimer = requestAnimationFrame(tick);
  updatePlayButton(root);
}

function updatePlayButton(root) {
  const btn = root.querySelector(".pp-play");
  btn.textContent = state.playTimer ? "⏸ Pause (P)" : "▶ Play (P)";
  btn.setAttribute("aria-pressed", state.playTimer ? "true" : "false");
  if (!state.playTimer) root.querySelector(".pp-status").textContent = "";
}

function togglePlay(root) {
  if (state.playTimer) stopPlay("paused");
  else startPlay(root);
  updatePlayButton(root);
}

function hookKeys(root) {
  if (state.keysHooked) return;
  state.keysHooked = true;
  document.addEventListener("keydown", (ev) => {
    const el = document.activeElement;
    const typing = el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable);
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const live = document.querySelector(".pp-root");
    if (!live) return;
    if (ev.key === "p" || ev.key === "P") {
      ev.preventDefault();
      togglePlay(live);
    } else if (["PageDown", "PageUp", "Home", "End", "0", "1", "e", "E"].includes(ev.key)) {
      // Clickers send PageDown/PageUp; Right/Left are the Step/Back buttons' own shortcuts.
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
        <div class="pp-toolbar">
          <button class="pp-play" type="button" aria-pressed="false">▶ Play (P)</button>
          <span class="pp-status" role="status" aria-live="polite"></span>
          <div class="pp-legend"></div>
        </div>
        <div class="pp-plot"><div class="pp-main" role="img"></div><svg class="pp-overlay"></svg></div>
      </div>
      <div class="pp-side">
        <div class="pp-plot"><div class="pp-series"></div><svg class="pp-overlay"></svg></div>
        <div class="pp-plot"><div class="pp-series"></div><svg class="pp-overlay"></svg></div>
        <div class="pp-plot"><div class="pp-series"></div><svg class="pp-overlay"></svg></div>
      </div>`;
    parentElement.appendChild(root);
    root.querySelector(".pp-play").addEventListener("click", () => togglePlay(root));
    root.querySelector(".pp-main").addEventListener("click", (ev) => onPlotClick(ev, root), true);
  }
  hookKeys(root);
  if (state.playTimer) stopPlay(false);
  updatePlayButton(root);

  const ack = data.ack || {};
  if (ack.client === state.clientId) {
    state.pending = state.pending.filter((p) => p.seq > ack.seq);
  }
  state.data = data;
  root.classList.toggle("pp-presenter", !!data.presenter);
  root.querySelector(".pp-main").setAttribute("aria-label", data.main_alt || "");

  loadPlotly(data.plotly_url).then((Plotly) => {
    drawLegend(root, data.legend);
    drawMain(Plotly, root.querySelector(".pp-main"), data.main);
    drawPending(root);
    root.querySelectorAll(".pp-series").forEach((div, j) => drawSeries(Plotly, div, j, data));
    root.dataset.rendered = String(data.render_id);
    if (data.autoplay && !state.playTimer) togglePlay(root);
  });
}
