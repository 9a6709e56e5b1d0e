"""A mechanical layout check, run in the page by Playwright: text that overprints other text or is cut off.

Screenshots only show a problem to someone who looks; this check fails a test instead. For every
plotly chart on the page it collects the boxes of the chart's text (title, axis titles, tick labels,
legend items, annotations and subplot titles, bar and heatmap text, treemap labels, colour-bar text)
and reports

- *overlap*: two texts whose boxes overlap by more than a small tolerance (an axis title over a
  legend, bar labels over a band's label, rotated column labels over the title);
- *clipped*: a text that leaves the chart's box, or the clip area plotly draws it in (a title cut on
  both sides, a bar label cut at the axis end), or the part of the page it can be seen in;
- *unlabelled*: a treemap box whose name plotly hid because it did not fit (readable only on hover,
  which a projector and a hand-out cannot do);
- *too small*: chart text plotly shrank below MIN_SIZE px to fit its box.

For widget and HTML panels (anything a container selector names, e.g. every output of a Voilà app) it
does the same for their text nodes: text over other text, or text spilling out of the box that holds
it (a label wider than its button) or cut by an `overflow: hidden` box. Scroll boxes are not clipping:
what they hide can be scrolled to.

Invisible text (display: none, visibility: hidden, zero opacity, empty or blank text, no size) is
ignored, as is plotly's hover layer. The check knows nothing about the workbook's own DOM, so it
keeps working when a panel is rebuilt.
"""

from __future__ import annotations

TOLERANCE = 2.0  # px: boxes may touch, anti-aliasing may spill a pixel
MIN_SIZE = 9.0  # px: chart text drawn smaller than this (plotly shrinks labels to fit boxes) cannot be read

_JS = r"""
({scope, tolerance, panels, minSize}) => {
  const round = r => ({x: Math.round(r.left), y: Math.round(r.top), w: Math.round(r.right - r.left),
                       h: Math.round(r.bottom - r.top)});
  const visible = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse') return false;
      if (parseFloat(s.opacity) === 0) return false;
      if (e.getAttribute && (e.getAttribute('fill-opacity') === '0' || e.getAttribute('opacity') === '0')) return false;
    }
    return true;
  };
  const inter = (a, b) => ({left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
                            right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)});
  // boxes are quadrilaterals (rotated tick labels are not upright rectangles): two overlap when every
  // axis of the separating-axis test sees them overlap by more than the tolerance
  const corners = r => [[r.left, r.top], [r.right, r.top], [r.right, r.bottom], [r.left, r.bottom]];
  const overlapping = (a, b) => {
    for (const quad of [a.quad, b.quad]) {
      for (let k = 0; k < 4; k++) {
        const [x1, y1] = quad[k], [x2, y2] = quad[(k + 1) % 4];
        const len = Math.hypot(x2 - x1, y2 - y1);
        if (len < 1e-6) continue;
        const nx = (y1 - y2) / len, ny = (x2 - x1) / len;
        const pa = a.quad.map(([x, y]) => x * nx + y * ny), pb = b.quad.map(([x, y]) => x * nx + y * ny);
        if (Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb)) <= tolerance)
          return false;
      }
    }
    return true;
  };
  // the four corners of an SVG text's own box, turned as the text is turned, in page coordinates
  const svgQuad = el => {
    const b = el.getBBox(), m = el.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => { const p = new DOMPoint(x, y).matrixTransform(m); return [p.x, p.y]; });
  };
  const outside = (box, frame) =>
    box.left < frame.left - tolerance || box.right > frame.right + tolerance ||
    box.top < frame.top - tolerance || box.bottom > frame.bottom + tolerance;
  const disjoint = (box, frame) =>
    box.right <= frame.left || box.left >= frame.right || box.bottom <= frame.top || box.top >= frame.bottom;
  const plain = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  // the part of the page in which a node can be seen: cut by ancestors that clip (overflow hidden or
  // clip), up to the first ancestor that scrolls on that axis (what it hides can be scrolled to; the
  // page's own scroll box included), and by the page's width
  const seenIn = node => {
    const frame = {left: -1e9, top: -1e9, right: 1e9, bottom: 1e9};
    let x = true, y = true;
    for (let e = node.parentElement; e && (x || y); e = e.parentElement) {
      const s = getComputedStyle(e), r = e.getBoundingClientRect();
      if (x && ['auto', 'scroll'].includes(s.overflowX)) x = false;
      else if (x && ['hidden', 'clip'].includes(s.overflowX)) { frame.left = Math.max(frame.left, r.left); frame.right = Math.min(frame.right, r.right); }
      if (y && ['auto', 'scroll'].includes(s.overflowY)) y = false;
      else if (y && ['hidden', 'clip'].includes(s.overflowY) && e !== document.body && e !== document.documentElement)
        { frame.top = Math.max(frame.top, r.top); frame.bottom = Math.min(frame.bottom, r.bottom); }
    }
    const page = document.documentElement;
    frame.left = Math.max(frame.left, -window.scrollX);
    frame.right = Math.min(frame.right, page.scrollWidth - window.scrollX);
    return frame;
  };
  const problems = [];
  const report = (kind, where, a, b) => problems.push({kind, where,
      a: {text: a.text, role: a.role, box: round(a.box)}, b: b && {text: b.text, role: b.role, box: round(b.box)}});
  const pairs = (texts, where) => {
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (texts[i].owner !== texts[j].owner && overlapping(texts[i], texts[j]))
          report('overlap', where, texts[i], texts[j]);
  };

  // --- plotly charts --------------------------------------------------------------------------------
  const role = el => {
    for (let e = el; e && e.classList && !e.classList.contains('main-svg'); e = e.parentNode) {
      for (const k of e.classList) {
        if (k === 'gtitle' || k === 'g-gtitle') return 'title';
        const axis = k.match(/^(?:g-)?([xy])\d*title$/);
        if (axis) return axis[1] + ' axis title';
        if (/^[xy]\d*tick$/.test(k)) return k[0] + ' tick';
        const named = {legendtitletext: 'legend title', legendtext: 'legend', annotation: 'annotation',
          bartext: 'bar text', slicetext: 'treemap label', pathbar: 'treemap path', colorbar: 'colour bar',
          textpoint: 'text', heatmaplayer: 'heatmap text'}[k];
        if (named) return named;
      }
    }
    return el.getAttribute('class') || 'text';
  };
  // the clip rectangle a plotly layer draws into, in page coordinates (null if none)
  const clipBox = el => {
    let box = null;
    for (let e = el; e && e.nodeName !== 'svg'; e = e.parentNode) {
      const ref = e.getAttribute && e.getAttribute('clip-path');
      const id = ref && (ref.match(/url\(["']?#([^"')]+)["']?\)/) || [])[1];
      const clip = id && e.ownerDocument.getElementById(id);
      const rect = clip && clip.querySelector('rect');
      if (!rect) continue;
      const m = e.getScreenCTM();
      const x = +rect.getAttribute('x') || 0, y = +rect.getAttribute('y') || 0;
      const w = +rect.getAttribute('width'), h = +rect.getAttribute('height');
      const p = (px, py) => new DOMPoint(px, py).matrixTransform(m);
      const a = p(x, y), b = p(x + w, y + h);
      const r = {left: Math.min(a.x, b.x), top: Math.min(a.y, b.y), right: Math.max(a.x, b.x), bottom: Math.max(a.y, b.y)};
      box = box ? inter(box, r) : r;
    }
    return box;
  };
  const graphs = [...document.querySelectorAll(scope + ' .js-plotly-plot')];
  graphs.forEach((gd, index) => {
    const title = (gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title)) || '';
    const where = {chart: index + 1, title: String(typeof title === 'string' ? title : '').replace(/<[^>]+>/g, ' ').trim()};
    const frame = inter(plain(gd.getBoundingClientRect()), seenIn(gd));
    const texts = [];
    gd.querySelectorAll('svg.main-svg text').forEach(el => {
      if (el.closest('.hoverlayer')) return;
      const text = el.textContent.replace(/\s+/g, ' ').trim();
      const slice = el.classList.contains('slicetext') && el.closest('g.slice');
      if (text && slice && !visible(el)) {  // a treemap box whose name is hidden: readable only on hover
        const box = plain(slice.getBoundingClientRect());
        report('unlabelled', where, {text, role: 'treemap box', box}, null);
        return;
      }
      if (!text || !visible(el)) return;
      const box = plain(el.getBoundingClientRect());
      if (box.right - box.left < 0.5 || box.bottom - box.top < 0.5) return;
      const clip = clipBox(el);
      if (clip && disjoint(box, clip)) return;  // wholly outside its clip area: plotly hides it on purpose
      const item = {text, role: role(el), box, quad: svgQuad(el), owner: el};
      texts.push(item);
      const m = el.getScreenCTM();
      const px = parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.a, m.b);
      if (px < minSize - 0.05) report('too small', where, {...item, text: `${text} (${px.toFixed(1)} px)`}, null);
      if (outside(box, frame)) report('clipped', where, item, {text: 'chart box', role: 'frame', box: frame});
      else if (clip && outside(box, clip)) report('clipped', where, item, {text: 'plot area', role: 'clip', box: clip});
    });
    pairs(texts, where);
  });

  // --- widget and HTML panels -----------------------------------------------------------------------
  if (panels) {
    const containers = [...document.querySelectorAll(panels)].filter(c => !c.parentElement.closest(panels));
    containers.forEach((container, index) => {
      const where = {panel: index + 1, title: (container.innerText || '').trim().split('\n')[0].slice(0, 60)};
      const texts = [];
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || el.closest('svg, script, style, noscript, .js-plotly-plot, .bp-layout-ignore')) continue;
        if (!visible(el)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const frame = seenIn(node);
        // the box that holds this text: its nearest ancestor that is not an inline element
        let holder = el;
        while (holder.parentElement && getComputedStyle(holder).display === 'inline') holder = holder.parentElement;
        const hs = getComputedStyle(holder);
        const scrolls = ['auto', 'scroll'].includes(hs.overflowX);
        const held = plain(holder.getBoundingClientRect());
        for (const r of range.getClientRects()) {
          const box = plain(r);
          if (box.right - box.left < 0.5 || box.bottom - box.top < 0.5) continue;
          if (disjoint(box, frame)) continue;  // folded away (a closed accordion): not shown
          const item = {text: node.textContent.replace(/\s+/g, ' ').trim().slice(0, 80), role: el.tagName.toLowerCase() +
            (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''),
            box, quad: corners(box), owner: el};
          texts.push(item);
          if (outside(box, frame)) report('clipped', where, item, {text: 'visible area', role: 'frame', box: frame});
          else if (!scrolls && (box.left < held.left - tolerance || box.right > held.right + tolerance))
            report('clipped', where, item, {text: 'its box', role: holder.tagName.toLowerCase(), box: held});
        }
      }
      pairs(texts, where);
    });
  }
  return problems;
}
"""


def layout_problems(
    page, scope: str = "body", panels: str | None = None, tolerance: float = TOLERANCE, min_size: float = MIN_SIZE
) -> list[dict]:
    """Every overlap and clipped text on the page (charts under `scope`; panels matching `panels`)."""
    page.evaluate("async () => { await document.fonts.ready; }")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(_JS, {"scope": scope, "tolerance": tolerance, "panels": panels, "minSize": min_size})


def _box(b: dict) -> str:
    return f"[x={b['x']} y={b['y']} w={b['w']} h={b['h']}]"


def describe(problems: list[dict], where: str = "") -> str:
    """One line per problem: the page, the chart (number and title) or panel, the two texts and their boxes."""
    lines = []
    for p in problems:
        w = p["where"]
        thing = f"chart {w['chart']}" if "chart" in w else f"panel {w['panel']}"
        a, b = p["a"], p["b"]
        head = f"{where}: {thing} «{w['title'][:60]}»: {a['role']} «{a['text'][:50]}» {_box(a['box'])}"
        if p["kind"] == "unlabelled":
            lines.append(f"{head} has its name hidden (shown only on hover)")
        elif p["kind"] == "too small":
            lines.append(f"{head} is drawn too small to read")
        else:
            verb = "overlaps" if p["kind"] == "overlap" else "is cut off by"
            lines.append(f"{head} {verb} {b['role']} «{b['text'][:50]}» {_box(b['box'])}")
    return "\n".join(lines)


def charts_drawn(page, timeout: int = 60_000) -> None:
    """Wait until every plotly chart on the page has drawn at its layout's width, and a responsive chart
    without a fixed width at its container's current width (plotly redraws those after a resize)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => {"
        " const svg = gd.querySelector('.main-svg'); const full = gd._fullLayout; if (!svg || !full) return false;"
        " if (Math.abs(svg.getBoundingClientRect().width - full.width) >= 2) return false;"
        " const fixed = gd.layout && gd.layout.width; const responsive = gd._context && gd._context.responsive;"
        " return fixed || !responsive || Math.abs(full.width - gd.getBoundingClientRect().width) < 2; })",
        timeout=timeout,
    )


def settled(page, quiet_ms: int = 400, timeout: int = 60_000) -> None:
    """Wait until the page's DOM has not changed for `quiet_ms` (widgets render asynchronously)."""
    page.evaluate(
        """([quiet, limit]) => new Promise((resolve, reject) => {
            let timer = setTimeout(done, quiet);
            const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
            const deadline = setTimeout(() => { observer.disconnect(); reject(new Error('page never settled')); }, limit);
            function done() { observer.disconnect(); clearTimeout(deadline); resolve(); }
            observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
        })""",
        [quiet_ms, timeout],
    )


def verdict(found: list[str]) -> None:
    """Fail with every problem line of every page checked (`describe`'s output), or pass if there are none."""
    lines = [line for f in found if f for line in f.splitlines()]
    assert not lines, "text over text, cut off or too small to read:\n" + "\n".join(lines)


def settled_problems(page, panels: str | None = None) -> list[dict]:
    """`layout_problems` of the page as a reader sees it once it has settled: when the first look finds
    problems, look again after a second of quiet (a chart still being drawn on a busy machine can sit
    at a passing position); what the second look finds is the answer."""
    problems = layout_problems(page, panels=panels)
    if problems:
        settled(page, quiet_ms=1000)
        charts_drawn(page)
        problems = layout_problems(page, panels=panels)
    return problems
