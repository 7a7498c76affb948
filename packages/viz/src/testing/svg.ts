/** An element of a parsed SVG/XML document. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parse an SVG (or any well-formed XML without DTDs) into a tree. Throws on mismatched or unclosed tags, so a test
 * that parses a rendered plot also checks that the SVG is well formed.
 *
 * @example
 * const root = parseSvg(await renderSvg(spec)); // root.name === 'svg'
 */
export function parseSvg(src: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(src))) {
    if (m.index !== consumed) throw new Error(`parseSvg: unexpected markup at ${consumed}: ${src.slice(consumed, consumed + 40)}`);
    consumed = re.lastIndex;
    const top = stack[stack.length - 1];
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`parseSvg: </${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const attrs: Record<string, string> = {};
      for (const a of m[3].matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = a[2] ?? a[3] ?? '';
      const el: XmlElement = { name: m[2], attrs, children: [], text: '' };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    } else if (m[5]) {
      top.text += m[5];
    }
  }
  if (consumed !== src.length) throw new Error(`parseSvg: unexpected markup at ${consumed}`);
  if (stack.length !== 1) throw new Error(`parseSvg: <${stack[stack.length - 1].name}> is not closed`);
  const svg = root.children.find((c) => c.name === 'svg');
  if (!svg) throw new Error('parseSvg: no <svg> element');
  return svg;
}

/** Every element below `el` (depth first), itself included. */
export function walk(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  out.push(el);
  for (const c of el.children) walk(c, out);
  return out;
}

/**
 * Count the items of vega marks of one type in a rendered SVG: the children of every
 * `<g class="mark-<type> role-mark ...">` group (vega draws one `path`/`line`/`text` per datum for point, rect and
 * text marks, and one `path` per series for line and area marks). Axis, legend and title marks have other roles and
 * are not counted.
 *
 * @example
 * countMarks(svg, 'rect'); // heatmap cells, histogram bars
 */
export function countMarks(svg: string | XmlElement, type: 'symbol' | 'rect' | 'line' | 'area' | 'text' | 'rule' | 'path'): number {
  const root = typeof svg === 'string' ? parseSvg(svg) : svg;
  let n = 0;
  for (const el of walk(root)) {
    const cls = (el.attrs['class'] ?? '').split(/\s+/);
    if (el.name === 'g' && cls.includes(`mark-${type}`) && cls.includes('role-mark')) n += el.children.length;
  }
  return n;
}
