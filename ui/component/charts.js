// The four Plotly charts: drawing them, sizing them to their containers, the marks at k
// on the line charts, the numbers box, and the theme the page shows.

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
    const fig = state.data.series[j];
    if (fig) all.push([div, seriesSize(root, div, fig.layout)]);
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
  if (predicting()) drawCurtain(svg, x, xa, ya);
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

// Predict mode: the steps after k are covered, so the line charts do not give away what
// the next update will do.
function drawCurtain(svg, x, xa, ya) {
  const right = xa._offset + xa._length;
  if (right - x < 1) return;
  svg.appendChild(svgEl("rect", {
    x: x, y: ya._offset, width: right - x, height: ya._length,
    fill: state.data.main.overlay.colors.background, opacity: 0.96,
    "pointer-events": "all", // no hover labels from under it either
  }));
  const label = svgEl("text", {
    x: Math.min(x + 8, right - 60), y: ya._offset + 16, "font-size": 12,
    fill: state.data.series[0].layout.font.color,
  });
  label.textContent = "ahead: predict first";
  if (right - x > 80) svg.appendChild(label);
}

function drawSeries(Plotly, div, j, data) {
  const fig = data.series[j];
  div.parentElement.hidden = !fig; // hand-fit mode has one line chart
  if (!fig) return;
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
