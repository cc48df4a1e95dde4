// Pointer input on the data chart: a click or tap places or erases a point at once (and
// queues it for Python); two fingers pinch-zoom; the probe shows ŷ under the mouse.

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
  if (handMode()) {
    startDrag(ev, root); // a handle or the arrow's tip; anywhere else pans, placing nothing
    state.gesture = null;
    return;
  }
  const onPlot = ev.target.classList && ev.target.classList.contains("nsewdrag");
  const primary = ev.isPrimary && (ev.pointerType !== "mouse" || ev.button === 0);
  state.gesture = onPlot && primary && state.touches.size <= 1
    ? { id: ev.pointerId, type: ev.pointerType, x: ev.clientX, y: ev.clientY }
    : null;
}

function onPointerUp(ev, root) {
  endDrag(ev, root);
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
  if (d.points_locked) {
    flash(root, d.points_locked);
    return false;
  }
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

// A short message over the data chart, seen and heard, gone after a while; it floats, so
// the chart does not move under the pointer.
function flash(root, text) {
  const box = root.querySelector(".pp-flash");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(state.flashTimer);
  state.flashTimer = setTimeout(() => (box.hidden = true), 5000);
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


// Window-level pointer listeners, hooked once: a press may end outside the chart (Plotly
// covers the page while it pans), and the chart may have been mounted anew since.
function hookPointers() {
  if (state.pointersHooked) return;
  state.pointersHooked = true;
  const live = () => document.querySelector(".pp-root");
  window.addEventListener("pointerup", (ev) => live() && onPointerUp(ev, live()), true);
  window.addEventListener("pointercancel", (ev) => live() && onPointerCancel(ev, live()), true);
  const move = (ev) => {
    const root = live();
    if (!root) return;
    movePinch(ev, root);
    moveDrag(ev, root);
  };
  window.addEventListener("pointermove", move, { capture: true, passive: false });
}
