import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { selectInfos, type CapAlert, type CapAlertResult, type CapFaultCode } from './cap.domain.js';
import { parseCapAlert, parseCapDocument, parseCapFeed } from './cap.parse.js';
import { pointInPolygon, pointInRing, ringBBox, ringSignedArea, type Position } from './geometry.js';
import { findDescendants, readXml } from './xml.js';
import { areaXml, capXml, infoXml } from './fixtures/cap-builder.js';

const fixture = (name: string) => readFileSync(referencePath('hazard', 'cap', 'fixtures', name));
/** The ring at `where` in the RFS envelope, read straight from the XML (`[lon, lat]`). */
function originalRing(where: string): Position[] {
  const read = readXml(fixture('rfs-edxl-de-59-alerts.edxlde'));
  if (!('root' in read)) throw new Error('unreadable fixture');
  const el = findDescendants(read.root, 'polygon', '/EDXLDistribution').find((p) => p.path === where)?.el;
  if (!el) throw new Error(`no polygon at ${where}`);
  return el.text.split(/\s+/).map((pair) => {
    const [lat, lon] = pair.split(',').map(Number) as [number, number];
    return [lon, lat];
  });
}

/** A point strictly inside a ring: the middle of the widest inside stretch of a horizontal line through it. */
function interiorPoint(ring: Position[]): Position {
  const [, y0, , y1] = ringBBox(ring);
  for (const f of [0.5, 0.37, 0.63, 0.25, 0.75]) {
    const y = y0 + f * (y1 - y0);
    const xs: number[] = [];
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = ring[i - 1]!, [bx, by] = ring[i]!;
      if (ay > y !== by > y) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
    }
    xs.sort((a, b) => a - b);
    let best: Position | undefined, width = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i + 1]! - xs[i]! > width) { width = xs[i + 1]! - xs[i]!; best = [(xs[i]! + xs[i + 1]!) / 2, y]; }
    if (best) return best;
  }
  throw new Error('no interior point');
}

const feed = (name: string) => readFileSync(referencePath('hazard', 'cap', 'feeds', name));

function accepted(r: CapAlertResult): CapAlert {
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.reasons)}`);
  return r.alert;
}

function codes(r: CapAlertResult): CapFaultCode[] {
  return r.ok ? [] : r.reasons.map((x) => x.code);
}

function warningCodes(r: CapAlertResult): CapFaultCode[] {
  return r.warnings.map((x) => x.code);
}

function withPolygon(polygon: string, more = ''): CapAlertResult {
  return parseCapAlert(capXml({ info: infoXml({ area: areaXml(`<polygon>${polygon}</polygon>${more}`) }) }));
}

describe('CAP parser: synthetic messages', () => {
  it('reads polygons as lat,lon pairs and stores them as [lon, lat]', () => {
    const alert = accepted(withPolygon('38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14'));
    const ring = alert.infos[0]!.areas[0]!.polygons[0]!;
    expect(ring[0]).toEqual([-120.14, 38.47]);
    // 38.48 N 119.93 W lies in the middle of the A.2 thunderstorm polygon.
    expect(pointInRing(-119.93, 38.48, ring)).toBe(true);
    expect(pointInRing(38.48, -119.93, ring)).toBe(false);
  });

  it('reads a circle as "lat,lon radius-km"', () => {
    const alert = accepted(parseCapAlert(capXml({ info: infoXml({ area: areaXml('<circle>28.37,121.36 50</circle>') }) })));
    expect(alert.infos[0]!.areas[0]!.circles).toEqual([{ center: { lat: 28.37, lng: 121.36 }, radiusKm: 50 }]);
  });

  it('drops a circle without a radius, keeping the alert, and says why', () => {
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<circle>28.37,121.36</circle><circle>28.0,121.0 10</circle>') }) }));
    expect(accepted(r).infos[0]!.areas[0]!.circles).toHaveLength(1);
    expect(warningCodes(r)).toEqual(['circle-syntax']);
  });

  it('drops an unclosed polygon, naming where', () => {
    const r = withPolygon('38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89', '<circle>38.4,-119.9 5</circle>');
    expect(accepted(r).infos[0]!.areas[0]!.polygons).toEqual([]);
    expect(r.warnings.map((w) => `${w.code} ${w.where}`)).toEqual(['polygon-not-closed /alert/info[0]/area[0]/polygon[0]']);
  });

  it('drops a polygon of fewer than 4 points', () => {
    expect(warningCodes(withPolygon('38.47,-120.14 38.34,-119.95 38.47,-120.14', '<circle>38.4,-119.9 5</circle>'))).toEqual(['polygon-too-few-points']);
  });

  it('repairs a self-crossing (bow-tie) polygon into its two lobes, naming the crossing', () => {
    const r = withPolygon('0,0 0,1 1,0 1,1 0,0');
    const area = accepted(r).infos[0]!.areas[0]!;
    expect(area.polygons).toEqual([]);
    expect(area.repairedPolygons).toHaveLength(2);
    expect(warningCodes(r)).toEqual(['polygon-repaired']);
    expect(r.warnings[0]!.message).toMatch(/edges 1 .* and 3 .*cross or touch/);
  });

  it('repairs a polygon that folds back on itself', () => {
    const r = withPolygon('0,0 0,2 0,1 1,1 0,0');
    expect(warningCodes(r)).toEqual(['polygon-repaired']);
    expect(accepted(r).infos[0]!.areas[0]!.repairedPolygons).toHaveLength(1);
  });

  it('drops out-of-range coordinates in polygons and circles', () => {
    expect(warningCodes(withPolygon('91,10 10,10 10,11 91,10'))).toContain('coordinate-out-of-range');
    expect(warningCodes(withPolygon('10,181 10,10 11,10 10,181'))).toContain('coordinate-out-of-range');
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<circle>-95,0 10</circle>') }) }));
    expect(warningCodes(r)).toEqual(['coordinate-out-of-range', 'area-dropped', 'no-usable-area']);
  });

  it('drops a polygon that crosses itself too often to repair, saying why', () => {
    const pairs = Array.from({ length: 400 }, (_, i) => {
      const a = (2 * Math.PI * i * 7) / 400, r = i % 2 ? 1 : 0.3;
      return `${(28 + r * Math.sin(a)).toFixed(5)},${(121 + r * Math.cos(a)).toFixed(5)}`;
    });
    const r = withPolygon([...pairs, pairs[0]].join(' '), '<circle>28,121 5</circle>');
    expect(warningCodes(r)).toEqual(['polygon-self-crossing']);
    expect(r.warnings[0]!.message).toMatch(/could not be repaired \(it touches or crosses itself more than 200 times\)/);
  });

  it('drops a polygon token that is not a pair', () => {
    expect(warningCodes(withPolygon('10,10 10;11 11,11 10,10', '<circle>10,10 5</circle>'))).toEqual(['polygon-syntax']);
  });

  it('drops only the bad shape of an area', () => {
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<polygon>0,0 0,1 1,0</polygon><circle>1,1 5</circle>') }) }));
    const alert = accepted(r);
    expect(alert.infos[0]!.areas[0]!.polygons).toEqual([]);
    expect(alert.infos[0]!.areas[0]!.circles).toHaveLength(1);
    expect(warningCodes(r)).toEqual(['polygon-too-few-points']);
  });

  it('rejects each missing required alert element by name', () => {
    for (const field of ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope'] as const) {
      const r = parseCapAlert(capXml({ [field]: null }));
      expect(r.ok ? [] : r.reasons).toEqual([{ code: 'missing-element', message: `required <${field}> is missing`, where: `/alert/${field}` }]);
    }
  });

  it('rejects values outside the CAP enumerations and bad times', () => {
    expect(codes(parseCapAlert(capXml({ status: 'Real' })))).toEqual(['invalid-value']);
    expect(codes(parseCapAlert(capXml({ msgType: 'Revoke' })))).toEqual(['invalid-value']);
    expect(codes(parseCapAlert(capXml({ sent: '2019-08-09 12:00' })))).toEqual(['invalid-time']);
    expect(codes(parseCapAlert(capXml({ sent: '2019-02-30T12:00:00+08:00' })))).toEqual(['invalid-time']);
  });

  it('requires <restriction> for Restricted scope', () => {
    expect(codes(parseCapAlert(capXml({ scope: 'Restricted' })))).toEqual(['missing-element']);
  });

  it('accepts "Z" and keeps the offset of each time', () => {
    const r = parseCapAlert(capXml({ sent: '2019-08-09T04:00:00Z' }));
    expect(accepted(r).sent).toEqual({ text: '2019-08-09T04:00:00Z', epochMs: Date.UTC(2019, 7, 9, 4), offsetMinutes: 0 });
    expect(r.warnings.map((w) => w.code)).toEqual(['lenient-syntax']);
    expect(accepted(parseCapAlert(capXml())).sent).toMatchObject({ epochMs: Date.UTC(2019, 7, 9, 4), offsetMinutes: 480 });
  });

  it('rejects malformed XML with its position', () => {
    const r = parseCapDocument('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">\n<identifier>x</sender>\n</alert>');
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toEqual(['malformed-xml']);
    expect(r.ok ? '' : r.reasons[0]!.where).toMatch(/^line 2/);
  });

  it('rejects a wrong namespace and a missing one, and a CAP 1.0 message', () => {
    expect(codes(parseCapAlert(capXml({ ns: 'urn:oasis:names:tc:emergency:cap:1.0' })))).toEqual(['unsupported-cap-version']);
    expect(codes(parseCapAlert(capXml({ ns: 'urn:oasis:names:tc:emergency:alerts:1.2' })))).toEqual(['wrong-namespace']);
    expect(codes(parseCapAlert(capXml().replace(' xmlns="urn:oasis:names:tc:emergency:cap:1.2"', '')))).toEqual(['wrong-namespace']);
  });

  it('refuses a document over the size limit before parsing it', () => {
    const huge = capXml({ extra: `<note>${'x'.repeat(6 * 1024 * 1024)}</note>` });
    const r = parseCapDocument(huge);
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toEqual(['too-large']);
    expect(parseCapDocument(capXml(), { maxBytes: 100 }).ok).toBe(false);
  });

  it('refuses a billion-laughs document', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ']>',
      '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>',
    ].join('\n');
    const r = parseCapDocument(lol);
    expect(r.ok ? [] : r.reasons).toEqual([expect.objectContaining({ code: 'doctype-forbidden', where: 'line 2' })]);
  });

  it('refuses an external entity, and never expands an undeclared one', () => {
    const xxe = capXml().replace('<alert', '<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<alert').replace('TEST-1', 'TEST-1&xxe;');
    const r = parseCapDocument(xxe);
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toEqual(['doctype-forbidden']);
    const bare = parseCapAlert(capXml({ identifier: 'A&xxe;' }));
    expect(JSON.stringify(bare)).not.toContain('root:');
  });

  it('decodes the five XML entities and character references', () => {
    const alert = accepted(parseCapAlert(capXml({ identifier: 'A&amp;B&#x53F0;&#39118;' })));
    expect(alert.identifier).toBe('A&B台风');
  });

  it('decodes an ISO-8859-1 document from bytes as declared', () => {
    const xml = capXml({ identifier: 'Usulután' }).replace('UTF-8', 'ISO-8859-1');
    const alert = accepted(parseCapAlert(Buffer.from(xml, 'latin1')));
    expect(alert.identifier).toBe('Usulután');
  });

  it('reads the namespace through a prefix', () => {
    const xml = capXml().replace('<alert xmlns=', '<c:alert xmlns:c=').replace('</alert>', '</c:alert>').replace(/<(\/?)(identifier|sender|sent|status|msgType|scope|info|category|event|urgency|severity|certainty)>/g, '<$1c:$2>');
    expect(accepted(parseCapAlert(xml)).identifier).toBe('TEST-1');
  });

  it('chooses info blocks by language with fallbacks', () => {
    const xml = capXml({
      info: [infoXml({ language: 'en-US', event: 'Typhoon' }), infoXml({ language: 'zh-TW', event: '颱風' }), infoXml({ language: 'zh-CN', event: '台风' })].join(''),
    });
    const alert = accepted(parseCapAlert(xml));
    expect(selectInfos(alert, ['zh-CN']).map((i) => i.event)).toEqual(['台风']);
    expect(selectInfos({ infos: alert.infos.slice(0, 2) }, ['zh-CN']).map((i) => i.event)).toEqual(['颱風']);
    expect(selectInfos({ infos: alert.infos.slice(0, 1) }, ['zh-CN']).map((i) => i.event)).toEqual(['Typhoon']);
    expect(selectInfos(alert, ['en']).map((i) => i.event)).toEqual(['Typhoon']);
  });
});

describe('CAP parser: repair, warn, keep', () => {
  it('repairs a polygon whose edges touch at a vertex into valid polygons of the same area, with a warning', () => {
    // A figure eight: the ring passes through 1,1 twice.
    const r = withPolygon('0,0 1,1 0,2 2,2 1,1 2,0 0,0');
    const area = accepted(r).infos[0]!.areas[0]!;
    expect(area.repairedPolygons).toHaveLength(2);
    expect(area.repairedPolygons!.reduce((s, [outer]) => s + Math.abs(ringSignedArea(outer!)), 0)).toBeCloseTo(2, 12);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'polygon-repaired', where: '/alert/info[0]/area[0]/polygon[0]' })]);
  });

  it('removes a zero-width spike and keeps the polygon, with a warning', () => {
    const r = withPolygon('0,0 0,2 1,2 1,3 1,2 2,2 2,0 0,0');
    const area = accepted(r).infos[0]!.areas[0]!;
    // Only the spike's tip 3,1 goes; every other point is kept as sent.
    expect(area.repairedPolygons).toEqual([[[[0, 0], [2, 0], [2, 1], [2, 2], [0, 2], [0, 0]]]]);
    expect(warningCodes(r)).toEqual(['polygon-repaired']);
  });

  it('reads an empty <references/> on an Alert as no references, with a warning', () => {
    for (const empty of ['<references/>', '<references></references>', '<references>  </references>']) {
      const r = parseCapAlert(capXml({ extra: empty }));
      expect(accepted(r).references).toEqual([]);
      expect(r.warnings).toEqual([expect.objectContaining({ code: 'empty-references', where: '/alert/references' })]);
    }
  });

  it('skips a reference that is not a sender,identifier,sent triple, with a warning', () => {
    const r = parseCapAlert(capXml({ msgType: 'Update', references: 'a@b,ID-1,2019-08-09T10:00:00+08:00 garbage' }));
    expect(accepted(r).references.map((x) => x.identifier)).toEqual(['ID-1']);
    expect(warningCodes(r)).toEqual(['invalid-references']);
  });

  it('reads a CAP 1.1 message by default, with a warning', () => {
    const r = parseCapAlert(capXml({ ns: 'urn:oasis:names:tc:emergency:cap:1.1' }));
    expect(accepted(r).capVersion).toBe('1.1');
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'cap-1-1', where: '/alert' })]);
  });

  it('reads an empty <polygon> as no polygon, with a warning', () => {
    const r = withPolygon('', '<circle>1,1 5</circle>');
    const area = accepted(r).infos[0]!.areas[0]!;
    expect(area.polygons).toEqual([]);
    expect(area.circles).toHaveLength(1);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'empty-polygon', where: '/alert/info[0]/area[0]/polygon[0]' })]);
  });

  it('reads an empty or unknown urgency, severity or certainty as Unknown, with a warning naming it', () => {
    const xml = capXml().replace('<urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>', '<urgency></urgency><severity>High</severity>');
    const r = parseCapAlert(xml);
    const info = accepted(r).infos[0]!;
    expect([info.urgency, info.severity, info.certainty]).toEqual(['Unknown', 'Unknown', 'Unknown']);
    expect(r.warnings.map((w) => `${w.code} ${w.where}`)).toEqual([
      'empty-element /alert/info[0]/urgency',
      'invalid-value /alert/info[0]/severity',
      'missing-element /alert/info[0]/certainty',
    ]);
  });

  it('accepts many alerts under a non-standard root, with a warning on each', () => {
    const one = (id: string) => capXml({ identifier: id }).replace('<?xml version="1.0" encoding="UTF-8"?>', '');
    for (const root of ['alerts', 'capMessages']) {
      const doc = parseCapDocument(`<?xml version="1.0"?><${root}>${one('A')}<batch>${one('B')}</batch></${root}>`);
      expect(doc.ok && doc.kind).toBe('alerts');
      if (!doc.ok) return;
      expect(doc.alerts.map((a) => accepted(a).identifier)).toEqual(['A', 'B']);
      for (const a of doc.alerts) expect(a.warnings).toEqual([expect.objectContaining({ code: 'multi-alert-wrapper', where: `/${root}` })]);
    }
  });

  it('still refuses a document that holds no CAP alert, saying so', () => {
    const r = parseCapDocument('<?xml version="1.0"?><html><body><alert>not CAP</alert></body></html>');
    expect(r.ok ? [] : r.reasons).toEqual([expect.objectContaining({ code: 'not-cap', where: '/html' })]);
  });

  it('drops one invalid area only, never the alert', () => {
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<polygon>1,1 1,2 x 1,1</polygon>', 'Broken') + areaXml('<circle>28.0,121.0 10</circle>', 'Good') }) }));
    const alert = accepted(r);
    expect(alert.infos[0]!.areas.map((a) => [a.areaDesc, a.polygons.length + a.circles.length])).toEqual([['Broken', 0], ['Good', 1]]);
    expect(warningCodes(r)).toEqual(['polygon-syntax', 'area-dropped']);
    expect(r.warnings[1]!.message).toContain('"Broken"');
  });

  it('keeps an alert whose every area is unusable, flagged for a human, with its geocodes to match by', () => {
    const area = areaXml('<polygon></polygon><circle>-95,0 10</circle><geocode><valueName>SAME</valueName><value>006037</value></geocode>', 'County');
    const r = parseCapAlert(capXml({ info: infoXml({ area }) }));
    const a = accepted(r).infos[0]!.areas[0]!;
    expect([a.polygons, a.circles, a.geocodes]).toEqual([[], [], [{ valueName: 'SAME', value: '006037' }]]);
    expect(warningCodes(r)).toEqual(['empty-polygon', 'coordinate-out-of-range', 'no-usable-area']);
    expect(r.warnings[2]!.where).toBe('/alert');
  });

  it('does not flag an alert whose sender gave geocodes or a description only', () => {
    const geocodeOnly = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<geocode><valueName>SAME</valueName><value>006037</value></geocode>') }) }));
    expect(warningCodes(geocodeOnly)).toEqual([]);
    expect(warningCodes(parseCapAlert(capXml({ info: infoXml({ area: areaXml('', 'Nationwide') }) })))).toEqual([]);
  });

  it('refuses an alert it cannot identify, naming every missing element', () => {
    const r = parseCapAlert(capXml({ identifier: null, sent: 'yesterday' }));
    expect(r.ok ? [] : r.reasons.map((x) => `${x.code} ${x.where}`)).toEqual(['missing-element /alert/identifier', 'invalid-time /alert/sent']);
  });
});

describe.skipIf(!hasReferenceData)('CAP parser: every reference fixture', () => {
  const dir = referencePath('hazard', 'cap', 'fixtures');
  const expectedRejections: Record<string, CapFaultCode[]> = {
    'bad-missing-scope.cap': ['missing-element'],
    'bad-wrong-namespace.cap': ['wrong-namespace'],
    'bad-xxe-attack.cap': ['doctype-forbidden'],
  };

  for (const name of hasReferenceData ? readdirSync(dir).sort() : []) {
    it(`${name} parses or is rejected with the fault named`, () => {
      const doc = parseCapDocument(readFileSync(`${dir}/${name}`));
      const want = expectedRejections[name];
      if (name === 'bad-xxe-attack.cap') {
        expect(doc.ok ? [] : doc.reasons.map((r) => r.code)).toEqual(want);
        return;
      }
      expect(doc.ok).toBe(true);
      if (!doc.ok) return;
      if (want) {
        expect(doc.alerts.flatMap(codes)).toEqual(want);
      } else if (name.endsWith('.edxlde')) {
        expect(doc.alerts.filter((a) => a.ok)).toHaveLength(59);
      } else {
        expect(doc.alerts.map((a) => a.ok)).toEqual([true]);
      }
    });
  }

  it('names the missing scope', () => {
    const r = parseCapAlert(fixture('bad-missing-scope.cap'));
    expect(r.ok ? [] : r.reasons).toEqual([{ code: 'missing-element', message: 'required <scope> is missing', where: '/alert/scope' }]);
  });

  it('names the wrong namespace URI', () => {
    const r = parseCapAlert(fixture('bad-wrong-namespace.cap'));
    expect(r.ok ? '' : r.reasons[0]!.message).toContain('urn:oasis:names:tc:emergency:alerts:1.2');
  });

  it('reads the real NWS flood warning of the NOAA "errors" message, saying what it repaired', () => {
    const r = parseCapAlert(fixture('bad-noaa-polygon-syntax.cap'));
    const alert = accepted(r);
    expect(alert.capVersion).toBe('1.1');
    expect(alert.references).toEqual([]);
    expect(alert.infos[0]!.event).toBe('Flood Warning');
    expect(alert.infos[0]!.areas[0]!.polygons).toHaveLength(1);
    expect(r.warnings.map((x) => `${x.code} ${x.where}`)).toEqual([
      'cap-1-1 /alert',
      'empty-references /alert/references',
      'empty-element /alert/info[0]/urgency',
      'empty-element /alert/info[0]/severity',
      'empty-element /alert/info[0]/certainty',
      'lenient-syntax /alert/info[0]/area[0]/polygon[0]',
      'lenient-syntax /alert/info[0]/area[0]/polygon[0]',
      'empty-polygon /alert/info[0]/area[0]/polygon[1]',
    ]);
  });

  it('refuses the XXE fixture at its DOCTYPE, resolving nothing', () => {
    const r = parseCapDocument(fixture('bad-xxe-attack.cap'));
    expect(r.ok ? [] : r.reasons).toEqual([expect.objectContaining({ code: 'doctype-forbidden', where: 'line 3' })]);
  });

  it('reads Hurricane Laura as an Update with 8 references', () => {
    const alert = accepted(parseCapAlert(fixture('noaa-hurricane-laura-update-8refs.cap')));
    expect(alert.msgType).toBe('Update');
    expect(alert.references).toHaveLength(8);
    expect(alert.references[0]).toEqual({
      sender: 'w-nws.webmaster@noaa.gov',
      identifier: 'NWS-IDP-PROD-4410291-3675936',
      sent: { text: '2020-08-25T10:32:00-05:00', epochMs: Date.UTC(2020, 7, 25, 15, 32), offsetMinutes: -300 },
    });
    // The 4-point sliver is a valid (thin) triangle.
    expect(alert.infos[0]!.areas[0]!.polygons).toHaveLength(2);
  });

  it('reads the IPAWS Cancel with no info and ignores its ds:Signature', () => {
    const alert = accepted(parseCapAlert(fixture('ipaws-cancel-signed.xml')));
    expect(alert.msgType).toBe('Cancel');
    expect(alert.infos).toEqual([]);
    expect(alert.references.map((r) => r.identifier)).toEqual(['AS-NV-e18921c7-1b35-4a81-9705-42d25c265ddd']);
  });

  it('decodes the ISO-8859-1 USGS message and its point circle', () => {
    const alert = accepted(parseCapAlert(fixture('usgs-earthquake-iso8859-1-circle.cap')));
    expect(alert.infos[0]!.headline).toContain('Usulután');
    expect(alert.infos[0]!.areas[0]!.circles[0]!.radiusKm).toBe(0);
  });

  it('reads the prefixed RFS message and its 25 km circle', () => {
    const alert = accepted(parseCapAlert(fixture('australia-rfs-cap-prefix-circle.cap')));
    expect(alert.infos[0]!.categories).toEqual(['Fire', 'Met']);
    expect(alert.infos[0]!.areas[0]!.circles[0]).toEqual({ center: { lat: -35.3888, lng: 147.0598 }, radiusKm: 25 });
  });

  it('keeps all 59 alerts of the EDXL-DE envelope, repairing its 2 invalid polygons with a warning each', () => {
    const doc = parseCapDocument(fixture('rfs-edxl-de-59-alerts.edxlde'));
    expect(doc.ok && doc.kind).toBe('edxl-de');
    if (!doc.ok) return;
    expect(doc.alerts).toHaveLength(59);
    expect(doc.alerts.every((a) => a.ok)).toBe(true);
    const repaired = doc.alerts.filter((a) => a.warnings.some((w) => w.code === 'polygon-repaired'));
    expect(repaired.map((a) => a.where)).toEqual([
      '/EDXLDistribution/contentObject[12]/xmlContent[0]/embeddedXMLContent[0]/alert[0]',
      '/EDXLDistribution/contentObject[16]/xmlContent[0]/embeddedXMLContent[0]/alert[0]',
    ]);
    expect(repaired[0]!.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/edges 9 \(from -33\.7197,150\.2866\) and 11 .* cross or touch/)]);
    // Each repaired polygon covers the ground of the ring as sent: a point inside each original
    // ring (found by a search along its box's middle) is inside the repaired geometry.
    for (const a of repaired) {
      const area = accepted(a).infos[0]!.areas[0]!;
      const where = a.warnings[0]!.where;
      const original = originalRing(where);
      const p = interiorPoint(original);
      expect(pointInRing(p[0], p[1], original)).toBe(true);
      expect(area.repairedPolygons!.some((rings) => pointInPolygon(p[0], p[1], rings))).toBe(true);
      expect(area.repairedPolygons!.reduce((s, [outer]) => s + Math.abs(ringSignedArea(outer!)), 0)).toBeCloseTo(Math.abs(ringSignedArea(original)), 14);
    }
  });

  it('strips the BOM of the Taiwan message and keeps geocodes as strings', () => {
    const alert = accepted(parseCapAlert(fixture('taiwan-wra-zh-tw-geocode-only.cap')));
    expect(alert.infos[0]!.language).toBe('zh-tw');
    expect(alert.infos[0]!.areas[0]!.geocodes).toEqual([{ valueName: 'Taiwan_Geocode_100', value: '1000512' }]);
    expect(selectInfos(alert, ['zh-CN'])[0]!.event).toBe('水庫洩洪');
  });

  it('keeps leading zeros of geocodes and defaults the language to en-US', () => {
    const alert = accepted(parseCapAlert(fixture('oasis-v1.2-A2-thunderstorm-polygon.xml')));
    expect(alert.infos[0]!.language).toBe('en-US');
    expect(alert.infos[0]!.areas[0]!.geocodes[0]).toEqual({ valueName: 'SAME', value: '006109' });
  });

  it('reads the PAGASA integer polygon: Manila (14.6 N 121.0 E) is inside', () => {
    const alert = accepted(parseCapAlert(fixture('pagasa-tropical-cyclone-polygon-signed.cap')));
    expect(alert.status).toBe('Test');
    const ring = alert.infos[0]!.areas[0]!.polygons[0]!;
    expect(pointInRing(121.0, 14.6, ring)).toBe(true);
    expect(pointInRing(105, 14.6, ring)).toBe(false);
  });

  it('picks English of the Canadian en-CA/fr-CA message for a zh-CN user, French for fr', () => {
    const alert = accepted(parseCapAlert(fixture('canada-ec-update-en-fr-polygons.cap')));
    expect(alert.infos.map((i) => i.language)).toEqual(['en-CA', 'fr-CA']);
    expect(selectInfos(alert, ['zh-CN']).map((i) => i.language)).toEqual(['en-CA']);
    expect(selectInfos(alert, ['fr-CA']).map((i) => i.language)).toEqual(['fr-CA']);
    expect(alert.infos[0]!.urgency).toBe('Past');
  });
});

describe.skipIf(!hasReferenceData)('CAP index feeds', () => {
  it('lists the Atom entries with their links', () => {
    const r = parseCapFeed(feed('nws-weather-index.atom'));
    expect(r.ok && r.kind).toBe('atom');
    if (!r.ok) return;
    expect(r.entries).toHaveLength(2);
    expect(r.entries[0]!.link).toMatch(/^http:\/\/www\.weather\.gov\/alerts-beta\/wwacapget\.php\?x=CT2010/);
  });

  it('lists the RSS items', () => {
    const r = parseCapFeed(feed('ny-index.rss'));
    expect(r.ok && r.entries.map((e) => e.id)).toEqual(['NYAlert-ALLHAZALERT-3167113', 'NYAlert-ALLHAZALERT-3162202']);
  });

  it('reads an empty feed as no entries', () => {
    const r = parseCapFeed(feed('empty-weather-index.atom'));
    expect(r.ok && r.entries).toEqual([]);
  });

  it('parses the CAP alert embedded in an Atom entry', () => {
    const r = parseCapFeed(feed('canada-signed.atom'));
    const embedded = r.ok ? r.entries[0]!.alert : undefined;
    expect(embedded && accepted(embedded).references).toHaveLength(9);
  });

  it('is not a feed when given an alert', () => {
    expect(parseCapFeed(fixture('oasis-v1.2-A1-homeland-security.xml')).ok).toBe(false);
  });
});
