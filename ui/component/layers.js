// The data chart's layers, under and over the Plotly plot: the ŷ shading, the boundary,
// the w arrow, the rings, the pending clicks; and the HTML legend.

// A point mask as Python packs it (perceptron.frames.point_mask): base64, point i at
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
    asked: askedPoint(rec, X),
    ghost: ghostOf(rec),
  };
}

// Predict mode: the point the question about the next update is about (ringed, dashed).
function askedPoint(rec, X) {
  const i = predicting() && rec.ask ? rec.ask.point : null;
  return i === null || i === undefined || !X[i] ? { x: [], y: [] } : { x: [X[i][0]], y: [X[i][1]] };
}

// Predict mode, just after a step: the boundary before it, drawn faint and dashed, so the
// learner sees what the update changed.
function ghostOf(rec) {
  if (!predicting() || state.steppedTo !== rec.k) return null;
  const before = state.records.get(rec.k - 1);
  const seg = before && before.boundary;
  return seg ? { x: [seg[0], seg[2]], y: [seg[1], seg[3]] } : null;
}

// ŷ on the shading grid, rows along x2 (as perceptron.figures.shading_grid).
function shadingValues(grid, w, b) {
  return grid.y.map((yv) => grid.x.map((xv) => sigmoid(w[0] * xv + w[1] * yv + b)));
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
  if (ov.hand) drawHalos(under, ov, px, py);
  if (ov.ghost) {
    const [x0, x1] = ov.ghost.x;
    const [y0, y1] = ov.ghost.y;
    under.appendChild(svgEl("path", {
      d: `M${px(x0)},${py(y0)}L${px(x1)},${py(y1)}`, stroke: ov.colors.boundary, opacity: 0.55,
      "stroke-width": style.line_width - 1, "stroke-dasharray": "6,5", "clip-path": "url(#pp-clip)",
    }));
  }
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
    [ov.asked || { x: [], y: [] }, ov.colors.used, style.marker_size / 2 + 9, 4, "5,4"],
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
  if (ov.hand) drawHandles(under, over, ov, px, py);
  // The note sits inside the plot area, clear of the tick labels and the mode bar.
  const note = root.querySelector(".pp-note");
  note.textContent = ov.note || "";
  note.hidden = !ov.note;
  note.style.top = `${ya._offset + 8}px`;
  note.style.left = `${xa._offset + xa._length / 2}px`;
  note.style.maxWidth = `${Math.max(120, xa._length - 16)}px`;
}

// Hand-fit mode: a halo around each point, the wider the more it adds to the loss.
function drawHalos(under, ov, px, py) {
  const X = state.data.anim.X;
  const base = ov.style.marker_size / 2 + 3;
  (ov.hand.halo || []).forEach((share, i) => {
    if (!X[i] || share <= 0) return;
    under.appendChild(svgEl("circle", {
      cx: px(X[i][0]), cy: py(X[i][1]), r: base + 12 * Math.sqrt(share),
      fill: ov.colors.halo, opacity: 0.22,
    }));
  });
}

// Hand-fit mode: the boundary's two handles, and "downhill is this way" for w.
function drawHandles(under, over, ov, px, py) {
  const down = ov.hand.downhill;
  if (down) {
    const [fx, fy, tx, ty] = [px(down[0]), py(down[1]), px(down[2]), py(down[3])];
    const ang = Math.atan2(ty - fy, tx - fx);
    const h = 10;
    const head = [ang + 2.7, ang - 2.7].map((a) => `${tx + h * Math.cos(a)},${ty + h * Math.sin(a)}`);
    under.appendChild(svgEl("path", {
      d: `M${fx},${fy}L${tx},${ty}`, stroke: ov.colors.downhill, "stroke-width": ov.style.line_width,
      "stroke-dasharray": "7,5", fill: "none",
    }));
    under.appendChild(svgEl("path", {
      d: `M${head[0]}L${tx},${ty}L${head[1]}`, stroke: ov.colors.downhill, fill: "none",
      "stroke-width": ov.style.line_width, "stroke-linecap": "round",
    }));
  }
  const grips = [...(ov.hand.handles || []), ...(ov.arrow ? [ov.arrow.to] : [])];
  for (const p of grips) {
    over.appendChild(svgEl("circle", {
      cx: px(p[0]), cy: py(p[1]), r: 8, fill: ov.colors.background, "fill-opacity": 0.85,
      stroke: ov.colors.boundary, "stroke-width": 2.5, class: "pp-grip",
    }));
  }
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
  ctx.globalAlpha = ov.colors.shading_opacity;
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
  grip: (c, o) => `<circle cx="9" cy="9" r="6" fill="${o}" stroke="${c}" stroke-width="2.5"/>`,
  "dashed-arrow": (c) =>
    `<path d="M2,9L14,9M10,4L16,9L10,14" stroke="${c}" stroke-width="2.5" fill="none" stroke-dasharray="4,2"/>`,
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
