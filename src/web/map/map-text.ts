/**
 * The only way OpenKAM puts words on a Leaflet map. Leaflet renders a string it is given as HTML
 * (tooltips, popups, div icons, the attribution line), so a site named `<img onerror=…>` or a CAP
 * `areaDesc` with markup would become elements; only the CSP stood between them and script. Every
 * label here is built from text nodes instead. A test keeps the Leaflet calls that take HTML to
 * this file.
 */
import L from 'leaflet';

/** A node holding `lines` as text, one line each. */
export function mapText(...lines: string[]): HTMLElement {
  const el = document.createElement('span');
  lines.forEach((line, i) => {
    if (i > 0) el.append(document.createElement('br'));
    el.append(document.createTextNode(line));
  });
  return el;
}

/** Binds a tooltip of plain text (one line per entry) to `layer`. */
export function bindTextTooltip<T extends L.Layer>(layer: T, text: string | string[], options?: L.TooltipOptions): T {
  return layer.bindTooltip(mapText(...[text].flat()), options);
}

/** A div icon showing `text` (a stop number, a symbol) as text. */
export function textIcon(text: string, options: Omit<L.DivIconOptions, 'html'> = {}): L.DivIcon {
  return L.divIcon({ ...options, html: mapText(text) });
}

/**
 * Shows `text` on the attribution control, which only takes HTML: the text is escaped first.
 * Returns what removes it again.
 */
export function addTextAttribution(control: L.Control.Attribution, text: string): () => void {
  const html = mapText(text).innerHTML;
  control.addAttribution(html);
  return () => { control.removeAttribution(html); };
}
