import { describe, expect, it } from 'vitest';
import { buildCell, buildOverview, CELL_DEG, cellKeys, cellOf, chinaPlaces, DETAIL_BOX, DETAIL_ZOOM } from '../scripts/basemap.js';
import { coastalWarehouses } from '../src/modules/demo/demo.cities.js';
import { cellsIn, decodePath, placeLabels, placeName, placePriority, shownAt, type BasemapLayer, type PlaceRow } from '../src/web/map/basemap-data.js';

/** Even-odd point in polygon over decoded [lat, lng] rings. */
function onLand(layer: BasemapLayer, lat: number, lng: number): boolean {
  let inside = false;
  for (const poly of layer.land) {
    for (const ring of poly.map((r) => decodePath(r, layer.q))) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [yi, xi] = ring[i]!, [yj, xj] = ring[j]!;
        if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

const near = (p: PlaceRow, lat: number, lng: number) => Math.abs(p[1] - lat) < 0.05 && Math.abs(p[0] - lng) < 0.05;

describe('offline basemap', () => {
  it('names Taizhou and Wenling in English and Chinese, and tells Zhejiang’s Taizhou from Jiangsu’s', () => {
    const places = chinaPlaces();
    const taizhou = places.filter((p) => p[3] === 'Taizhou');
    expect(taizhou.find((p) => near(p, 28.66, 121.43))).toMatchObject([expect.any(Number), expect.any(Number), 2, 'Taizhou', '台州市']);
    expect(taizhou.find((p) => near(p, 32.49, 119.91))?.[4]).toBe('泰州市');
    expect(places.find((p) => p[3] === 'Wenling' && near(p, 28.37, 121.38))).toMatchObject([expect.any(Number), expect.any(Number), 3, 'Wenling', '温岭市']);
    expect(places.find((p) => p[4] === '杭州市')).toMatchObject([expect.any(Number), expect.any(Number), 1, 'Hangzhou', '杭州市']);
    // A capital whose English name is no pinyin, and a county named after its county, not its seat's subdistrict.
    expect(places.find((p) => p[4] === '哈尔滨市')?.[3]).toBe('Harbin');
    expect(places.find((p) => p[4] === '浦江县')?.[3]).toBe('Pujiang');
    expect(places.some((p) => p[4].endsWith('街道') && p[2] < 4)).toBe(false);
  }, 60_000);

  it('draws the coastal warehouses of Taizhou and Wenling on land with the 1:10m coastline', () => {
    const cell = buildCell(cellOf(121.5, 28.5));
    expect(cell.q).toBeLessThanOrEqual(0.001);
    for (const w of coastalWarehouses) expect(onLand(cell, w.lat, w.lng), w.nameEn).toBe(true);
    // The coast near Wenling has far more detail than the overview's 1:50m land.
    const overview = buildOverview();
    const pointsNear = (q: number, land: number[][][]) => land.flat().map((r) => decodePath(r, q))
      .reduce((n, ring) => n + ring.filter(([lat, lng]) => lat > 28 && lat < 29 && lng > 121 && lng < 122).length, 0);
    expect(pointsNear(cell.q, cell.land)).toBeGreaterThan(5 * pointsNear(overview.q, overview.landInner));
    // On the overview's coarser coast the seafront warehouses fall in the sea.
    expect(coastalWarehouses.filter((w) => !onLand({ ...overview, land: overview.landInner }, w.lat, w.lng)).length).toBeGreaterThan(0);
    // Sea stays sea: the Taizhou Islands' waters east of Shitang.
    expect(onLand(cell, 28.3, 121.9)).toBe(false);
  }, 60_000);

  it('keeps the overview small and puts counties and towns in the detail cells', () => {
    const overview = buildOverview();
    expect(JSON.stringify(overview).length).toBeLessThan(250_000);
    expect(overview.places.every((p) => p[2] <= 2)).toBe(true);
    expect(overview.places.filter((p) => p[2] === 0).map((p) => p[4])).toEqual(expect.arrayContaining(['浙江', '江苏']));
    expect(overview.provinces.length).toBeGreaterThan(50);
    const cell = buildCell(cellOf(121.5, 28.5));
    expect(cell.places.every((p) => p[2] >= 3 && cellOf(p[0], p[1]) === cellOf(121.5, 28.5))).toBe(true);
    expect(cell.places.map((p) => p[4])).toEqual(expect.arrayContaining(['温岭市', '椒江区', '临海市']));
    // Zhejiang's border with Jiangxi runs through the cell west of it.
    expect(buildCell(cellOf(118.3, 28.8)).provinces.length).toBeGreaterThan(0);
    const keys = cellKeys();
    expect(keys).toContain(cellOf(121.5, 28.5));
    expect(keys.every((k) => { const [x, y] = k.split('_').map(Number) as [number, number]; return x >= DETAIL_BOX[0] && y >= DETAIL_BOX[1] && x % CELL_DEG === 0 && y % CELL_DEG === 0; })).toBe(true);
  }, 60_000);

  it('decodes paths, finds the cells of a view and shows names by zoom without overlaps', () => {
    expect(decodePath([121500, 28500, 10, -5, -3, 2], 0.001)).toEqual([[28.5, 121.5], [28.495, 121.51], [28.497, 121.507]]);
    expect(cellsIn([120.5, 27.9, 121.9, 29.1], 4)).toEqual(['120_24', '120_28']);
    expect(shownAt(4, DETAIL_ZOOM)).toBe(false);
    expect(shownAt(4, 10)).toBe(true);
    expect(shownAt(0, 10)).toBe(false);
    expect(shownAt(1, 4)).toBe(true);
    const wenling: PlaceRow = [121.38, 28.37, 3, 'Wenling', '温岭市'];
    expect(placeName(wenling, 'zh-CN')).toBe('温岭市');
    expect(placeName(wenling, 'en')).toBe('Wenling');
    const city: PlaceRow = [0, 0, 2, 'City', '市'];
    const town: PlaceRow = [0, 0, 4, 'Town', '镇'];
    const far: PlaceRow = [0, 0, 4, 'Far', '远'];
    const boxes = new Map([[city, { x: 0, y: 0, w: 50, h: 14 }], [town, { x: 30, y: 5, w: 40, h: 12 }], [far, { x: 200, y: 5, w: 40, h: 12 }]]);
    const kept = placeLabels([town, far, city], (p) => placePriority(p[2]), (p) => boxes.get(p)!);
    expect(kept.map((k) => k.place[3])).toEqual(['City', 'Far']);
  });
});
