import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { selectInfos, type CapAlert, type CapAlertResult, type CapFaultCode } from './cap.domain.js';
import { parseCapAlert, parseCapDocument, parseCapFeed } from './cap.parse.js';
import { pointInRing } from './geometry.js';
import { areaXml, capXml, infoXml } from './fixtures/cap-builder.js';

const fixture = (name: string) => readFileSync(referencePath('hazard', 'cap', 'fixtures', name));
const feed = (name: string) => readFileSync(referencePath('hazard', 'cap', 'feeds', name));

function accepted(r: CapAlertResult): CapAlert {
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.reasons)}`);
  return r.alert;
}

function codes(r: CapAlertResult): CapFaultCode[] {
  return r.ok ? [] : r.reasons.map((x) => x.code);
}

function withPolygon(polygon: string): CapAlertResult {
  return parseCapAlert(capXml({ info: infoXml({ area: areaXml(`<polygon>${polygon}</polygon>`) }) }));
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

  it('rejects a circle without a radius', () => {
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<circle>28.37,121.36</circle>') }) }));
    expect(codes(r)).toEqual(['circle-syntax']);
  });

  it('rejects an unclosed polygon, naming where', () => {
    const r = withPolygon('38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89');
    expect(codes(r)).toEqual(['polygon-not-closed']);
    expect(r.ok ? '' : r.reasons[0]!.where).toBe('/alert/info[0]/area[0]/polygon[0]');
  });

  it('rejects a polygon of fewer than 4 points', () => {
    expect(codes(withPolygon('38.47,-120.14 38.34,-119.95 38.47,-120.14'))).toEqual(['polygon-too-few-points']);
  });

  it('rejects a self-crossing (bow-tie) polygon', () => {
    const r = withPolygon('0,0 0,1 1,0 1,1 0,0');
    expect(codes(r)).toEqual(['polygon-self-crossing']);
    expect(r.ok ? '' : r.reasons[0]!.message).toMatch(/edges 1 .* and 3 /);
  });

  it('rejects a polygon that folds back on itself', () => {
    expect(codes(withPolygon('0,0 0,2 0,1 1,1 0,0'))).toEqual(['polygon-self-crossing']);
  });

  it('rejects out-of-range coordinates in polygons and circles', () => {
    expect(codes(withPolygon('91,10 10,10 10,11 91,10'))).toContain('coordinate-out-of-range');
    expect(codes(withPolygon('10,181 10,10 11,10 10,181'))).toContain('coordinate-out-of-range');
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<circle>-95,0 10</circle>') }) }));
    expect(codes(r)).toEqual(['coordinate-out-of-range']);
  });

  it('rejects a polygon token that is not a pair', () => {
    expect(codes(withPolygon('10,10 10;11 11,11 10,10'))).toEqual(['polygon-syntax']);
  });

  it('drops only the bad shape when asked to', () => {
    const r = parseCapAlert(capXml({ info: infoXml({ area: areaXml('<polygon>0,0 0,1 1,0 1,1 0,0</polygon><circle>1,1 5</circle>') }) }), {
      invalidGeometry: 'drop',
    });
    const alert = accepted(r);
    expect(alert.infos[0]!.areas[0]!.polygons).toEqual([]);
    expect(alert.infos[0]!.areas[0]!.circles).toHaveLength(1);
    expect(r.warnings.map((w) => w.code)).toEqual(['polygon-self-crossing']);
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

  it('rejects a wrong namespace and a missing one', () => {
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

describe.skipIf(!hasReferenceData)('CAP parser: every reference fixture', () => {
  const dir = referencePath('hazard', 'cap', 'fixtures');
  const expectedRejections: Record<string, CapFaultCode[]> = {
    'bad-missing-scope.cap': ['missing-element'],
    'bad-wrong-namespace.cap': ['wrong-namespace'],
    // CAP 1.1 namespace, empty <references>, empty urgency/severity/certainty, empty <polygon>.
    'bad-noaa-polygon-syntax.cap': ['unsupported-cap-version', 'invalid-references', 'empty-element', 'empty-element', 'empty-element', 'empty-element'],
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
        expect(doc.alerts.filter((a) => a.ok)).toHaveLength(57);
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

  it('names the empty polygon of the NOAA message, and tolerates its "+41.12," pairs', () => {
    const r = parseCapAlert(fixture('bad-noaa-polygon-syntax.cap'), { acceptCap11: true });
    expect(r.ok ? [] : r.reasons.map((x) => `${x.code} ${x.where}`)).toEqual([
      'invalid-references /alert/references',
      'empty-element /alert/info[0]/urgency',
      'empty-element /alert/info[0]/severity',
      'empty-element /alert/info[0]/certainty',
      'empty-element /alert/info[0]/area[0]/polygon[1]',
    ]);
    expect(r.warnings.filter((w) => w.code === 'lenient-syntax')).toHaveLength(2);
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

  it('finds 59 alerts in the EDXL-DE envelope and names the 2 self-crossing polygons', () => {
    const doc = parseCapDocument(fixture('rfs-edxl-de-59-alerts.edxlde'));
    expect(doc.ok && doc.kind).toBe('edxl-de');
    if (!doc.ok) return;
    expect(doc.alerts).toHaveLength(59);
    const bad = doc.alerts.filter((a) => !a.ok);
    expect(bad.flatMap(codes)).toEqual(['polygon-self-crossing', 'polygon-self-crossing']);
    expect(bad[0]!.where).toBe('/EDXLDistribution/contentObject[12]/xmlContent[0]/embeddedXMLContent[0]/alert[0]');
    const dropped = parseCapDocument(fixture('rfs-edxl-de-59-alerts.edxlde'), { invalidGeometry: 'drop' });
    expect(dropped.ok && dropped.alerts.every((a) => a.ok)).toBe(true);
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
