// Fit it by hand. The learner drags the boundary by one of its two handles (the line
// turns about the other) or the weight arrow by its tip (the line turns about the arrow's
// base, and a longer arrow means a larger w); on the chart with the keyboard, the arrows
// turn and shift the line and + / − scale w. While a drag is under way this file draws the
// dragged line itself and asks Python now and then for a "preview" (the numbers of what
// is on show); at the release the move goes to Python, which computes the new w and b
// (perceptron.geometry) and every number. Step takes a gradient step, Back undoes a move.

function handMode() {
  return !!(state.data && state.data.mode === "hand" && state.data.hand);
}

const HANDLE_REACH = { mouse: 14, pen: 16, touch: 28 }; // px from a handle to grab it
const PREVIEW_EVERY = 150; // ms between previews while dragging
const TURN = Math.PI / 60; // a key turns the line 3° (Shift: 15°)
const SHIFT = 1 / 40; // a key shifts it 1/40 of the view's width (Shift: 1/8)
const SCALE = 1.25; // + and − scale w and b by this

function showHand(root) {
  const h = state.data.hand;
  state.overlay = overlayOf(h.record);
  state.overlay.hand = { handles: h.handles, downhill: h.downhill, halo: h.halo };
  if (!state.drag) drawOverlay(root, state.overlay);
  root.querySelector(".pp-ask").hidden = true;
  root.querySelector(".pp-readout").textContent = ""; // the numbers say how many are right
  drawNumbers(root, h.numbers);
  root.querySelector(".pp-numbers").classList.toggle("pp-stale", h.preview);
  root.dataset.moves = String(h.moves); // read by the browser tests
}

// Plot pixel of data point p, and back.
function toPixel(gd, p) {
  const [xa, ya] = axes(gd);
  return [xa.l2p(p[0]), ya.l2p(p[1])];
}

function toData(gd, clientX, clientY) {
  const [xa, ya] = axes(gd);
  const box = gd.getBoundingClientRect();
  return [xa.p2d(clientX - box.left - xa._offset), ya.p2d(clientY - box.top - ya._offset)];
}

// A press on a handle or the arrow's tip starts a drag (and no pan); else nothing here.
function startDrag(ev, root) {
  const gd = root.querySelector(".pp-main");
  const ov = state.overlay;
  if (!handMode() || !gd._fullLayout || !ov || !ov.hand) return false;
  const at = toData(gd, ev.clientX, ev.clientY);
  const [px, py] = toPixel(gd, at);
  const reach = HANDLE_REACH[ev.pointerType] || 14;
  const near = (p) => p && Math.hypot(toPixel(gd, p)[0] - px, toPixel(gd, p)[1] - py) <= reach;
  const handles = ov.hand.handles || [];
  let drag = null;
  if (ov.arrow && near(ov.arrow.to)) drag = { kind: "arrow", fixed: ov.arrow.from };
  else if (near(handles[0])) drag = { kind: "line", fixed: handles[1] };
  else if (near(handles[1])) drag = { kind: "line", fixed: handles[0] };
  if (!drag) return false;
  ev.preventDefault();
  ev.stopPropagation();
  state.drag = Object.assign(drag, { id: ev.pointerId, at: at, sent: 0 });
  drawDrag(root);
  return true;
}

function moveDrag(ev, root) {
  const drag = state.drag;
  if (!drag || drag.id !== ev.pointerId || drag.done) return;
  ev.preventDefault();
  drag.at = toData(root.querySelector(".pp-main"), ev.clientX, ev.clientY);
  drawDrag(root);
  if (performance.now() - drag.sent > PREVIEW_EVERY) {
    drag.sent = performance.now();
    sendDrag("preview");
  }
}

function endDrag(ev, root) {
  const drag = state.drag;
  if (!drag || drag.id !== ev.pointerId || drag.done) return;
  drag.done = true; // drawn until Python's answer arrives
  sendDrag("move");
}

function sendDrag(op) {
  const drag = state.drag;
  state.trigger("hand", { op: op, drag: drag.kind, p: drag.fixed, q: drag.at, t: Date.now() });
}

// The dragged line (or arrow) as the pointer has it: drawing only, no numbers.
function drawDrag(root) {
  const svg = root.querySelector(".pp-drag");
  svg.replaceChildren();
  const drag = state.drag;
  const gd = root.querySelector(".pp-main");
  const [xa, ya] = axes(gd);
  if (!drag || !xa) return;
  const [fx, fy] = toPixel(gd, drag.fixed).map((v, i) => v + (i ? ya._offset : xa._offset));
  const [ax, ay] = toPixel(gd, drag.at).map((v, i) => v + (i ? ya._offset : xa._offset));
  const ink = state.overlay.colors.boundary;
  const width = state.overlay.style.line_width;
  // The line through the fixed point: along the drag (a handle), or across it (the arrow).
  const [dx, dy] = drag.kind === "line" ? [ax - fx, ay - fy] : [fy - ay, ax - fx];
  const len = Math.hypot(dx, dy);
  if (len < 2) return;
  const far = 4 * (xa._length + ya._length);
  const [ux, uy] = [(dx / len) * far, (dy / len) * far];
  svg.appendChild(svgEl("path", {
    d: `M${fx - ux},${fy - uy}L${fx + ux},${fy + uy}`, stroke: ink, "stroke-width": width,
    "stroke-dasharray": "8,5", "clip-path": "url(#pp-drag-clip)",
  }));
  if (drag.kind === "arrow") {
    svg.appendChild(svgEl("path", { d: `M${fx},${fy}L${ax},${ay}`, stroke: ink, "stroke-width": width }));
  }
  svg.appendChild(svgEl("circle", { cx: ax, cy: ay, r: 9, fill: "none", stroke: ink, "stroke-width": 2.5 }));
  const clip = svgEl("clipPath", { id: "pp-drag-clip" });
  clip.appendChild(svgEl("rect", { x: xa._offset, y: ya._offset, width: xa._length, height: ya._length }));
  svg.appendChild(clip);
}

// Python answered the drag's move: its line replaces the one drawn here.
function dragAnswered(root) {
  if (state.drag && state.drag.done) {
    state.drag = null;
    root.querySelector(".pp-drag").replaceChildren();
    root.querySelector(".pp-probe").textContent = ""; // it showed the old weights
  }
}

// Keys on the focused chart: ←/→ turn the line, ↑/↓ shift it along w, + and − scale w.
function onHandKey(ev) {
  const turn = { ArrowLeft: 1, ArrowRight: -1 }[ev.key];
  const shift = { ArrowUp: 1, ArrowDown: -1 }[ev.key];
  const scale = { "+": SCALE, "=": SCALE, "-": 1 / SCALE }[ev.key];
  const big = ev.shiftKey ? 5 : 1;
  let nudge = null;
  if (turn) nudge = { how: "rotate", amount: turn * TURN * big };
  else if (shift) nudge = { how: "shift", amount: shift * (ev.shiftKey ? 1 / 8 : SHIFT) };
  else if (scale) nudge = { how: "scale", amount: scale };
  if (!nudge) return false;
  ev.preventDefault();
  ev.stopPropagation();
  state.trigger("hand", Object.assign({ op: "nudge", t: Date.now() }, nudge));
  return true;
}

// Step and Back (their buttons, → ← and a clicker's PageDown / PageUp) in hand-fit mode.
function handStep(go) {
  const op = { step: "step", back: "undo" }[go];
  if (op) state.trigger("hand", { op: op, t: Date.now() });
}
