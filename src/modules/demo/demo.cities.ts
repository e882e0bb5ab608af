/**
 * Cities of the demo world, curated from GeoNames (https://www.geonames.org, CC-BY-4.0;
 * attribution "GeoNames") as extracted with Chinese prefecture and province names in
 * ../shared/data/hazard/geo/geonames_cn_cities.csv. Copied here so the app runs without that
 * folder. Coordinates are WGS 84, rounded to GeoNames' precision. Two corrections to the
 * extraction: Shanghai's districts carry 上海市 (the join gave 天津市) and Xiamen, Chongqing
 * carry their Chinese names (the join left them empty).
 *
 * Trap kept on purpose: two cities romanise as Taizhou — 台州 (Zhejiang, on the coast) and
 * 泰州 (Jiangsu, inland on the Yangtze plain). Code matches on the Chinese name.
 */
export type TerritoryCode = 'EAST' | 'SOUTH' | 'CENTRAL' | 'WEST';

export type DemoCity = {
  /** English (pinyin) name as GeoNames spells it. */
  en: string;
  /** Chinese name with its administrative suffix: 台州市, 温岭市, 浦东新区. */
  zh: string;
  /** Short Chinese form used in company names: 台州, 温岭. */
  short: string;
  province: string;
  provinceEn: string;
  lat: number;
  lng: number;
  territory: TerritoryCode;
  /** Relative number of demo accounts placed here. */
  weight: number;
  /**
   * Sites are scattered at most this many km from the point; small where the sea or a wide
   * river is close, so that generated sites stay on land.
   */
  spreadKm: number;
  /**
   * Where sites are scattered around, when the city's GeoNames point is close to the sea or a
   * wide river: moved inland (at most ~4 km) to a point more than `spreadKm` from the Natural
   * Earth 1:10m coastline, so that no generated site lands in the water.
   */
  siteCentre: { lat: number; lng: number };
};

export const demoTerritories: ReadonlyArray<{ code: TerritoryCode; name: string; nameZh: string }> = [
  { code: 'EAST', name: 'East China', nameZh: '华东大区' },
  { code: 'SOUTH', name: 'South China', nameZh: '华南大区' },
  { code: 'CENTRAL', name: 'Central China', nameZh: '华中大区' },
  { code: 'WEST', name: 'West China', nameZh: '西南大区' },
];

const c = (
  en: string, zh: string, province: string, provinceEn: string, lat: number, lng: number,
  territory: TerritoryCode, weight: number, spreadKm = 6, siteCentre = { lat, lng },
): DemoCity => ({ en, zh, short: zh.replace(/(新区|市|区)$/u, ''), province, provinceEn, lat, lng, territory, weight, spreadKm, siteCentre });

export const demoCities: readonly DemoCity[] = [
  // Zhejiang: the home market, densest network. Listed coast-first: the first East China
  // manager's patch is the Taizhou–Wenzhou coast.
  c('Taizhou', '台州市', '浙江省', 'Zhejiang', 28.66266, 121.43312, 'EAST', 6, 2),
  c('Wenling', '温岭市', '浙江省', 'Zhejiang', 28.37524, 121.38416, 'EAST', 4, 3),
  c('Linhai', '临海市', '浙江省', 'Zhejiang', 28.85535, 121.1447, 'EAST', 2, 3, { lat: 28.8754, lng: 121.1597 }),
  c('Wenzhou', '温州市', '浙江省', 'Zhejiang', 27.99942, 120.66682, 'EAST', 6, 3, { lat: 27.9894, lng: 120.6668 }),
  c('Rui’an', '瑞安市', '浙江省', 'Zhejiang', 27.77605, 120.65859, 'EAST', 2, 2),
  c('Hangzhou', '杭州市', '浙江省', 'Zhejiang', 30.29365, 120.16142, 'EAST', 9),
  c('Ningbo', '宁波市', '浙江省', 'Zhejiang', 29.87819, 121.54945, 'EAST', 7, 4),
  c('Shaoxing', '绍兴市', '浙江省', 'Zhejiang', 30.00237, 120.57864, 'EAST', 4),
  c('Zhuji', '诸暨市', '浙江省', 'Zhejiang', 29.71877, 120.24233, 'EAST', 2),
  c('Jinhua', '金华市', '浙江省', 'Zhejiang', 29.10678, 119.64421, 'EAST', 4),
  c('Yiwu', '义乌市', '浙江省', 'Zhejiang', 29.31506, 120.07676, 'EAST', 3),
  c('Jiaxing', '嘉兴市', '浙江省', 'Zhejiang', 30.7522, 120.75, 'EAST', 3),
  c('Huzhou', '湖州市', '浙江省', 'Zhejiang', 30.8703, 120.0933, 'EAST', 3),
  c('Quzhou', '衢州市', '浙江省', 'Zhejiang', 28.95944, 118.86861, 'EAST', 2),
  c('Lishui', '丽水市', '浙江省', 'Zhejiang', 28.46042, 119.91029, 'EAST', 2, 3),
  c('Zhoushan', '舟山市', '浙江省', 'Zhejiang', 29.98869, 122.20488, 'EAST', 1, 1, { lat: 29.9987, lng: 122.2049 }),
  c('Cixi', '慈溪市', '浙江省', 'Zhejiang', 30.1764, 121.2457, 'EAST', 2, 3),
  // Jiangsu
  c('Nanjing', '南京市', '江苏省', 'Jiangsu', 32.06167, 118.77778, 'EAST', 7),
  c('Suzhou', '苏州市', '江苏省', 'Jiangsu', 31.30408, 120.59538, 'EAST', 7),
  c('Kunshan', '昆山市', '江苏省', 'Jiangsu', 31.37762, 120.95431, 'EAST', 2),
  c('Wuxi', '无锡市', '江苏省', 'Jiangsu', 31.56887, 120.28857, 'EAST', 5, 4),
  c('Jiangyin', '江阴市', '江苏省', 'Jiangsu', 31.91102, 120.26302, 'EAST', 2, 2, { lat: 31.901, lng: 120.268 }),
  c('Changzhou', '常州市', '江苏省', 'Jiangsu', 31.77359, 119.95401, 'EAST', 4),
  c('Nantong', '南通市', '江苏省', 'Jiangsu', 32.03028, 120.87472, 'EAST', 4, 3),
  c('Taizhou', '泰州市', '江苏省', 'Jiangsu', 32.49069, 119.90812, 'EAST', 2),
  c('Yangzhou', '扬州市', '江苏省', 'Jiangsu', 32.39722, 119.43583, 'EAST', 3),
  c('Zhenjiang', '镇江市', '江苏省', 'Jiangsu', 32.21086, 119.45508, 'EAST', 2, 3),
  c('Xuzhou', '徐州市', '江苏省', 'Jiangsu', 34.20442, 117.28386, 'EAST', 4),
  c('Yancheng', '盐城市', '江苏省', 'Jiangsu', 33.3575, 120.1573, 'EAST', 2),
  c('Huai’an', '淮安市', '江苏省', 'Jiangsu', 33.58861, 119.01917, 'EAST', 2),
  c('Lianyungang', '连云港市', '江苏省', 'Jiangsu', 34.59845, 119.21556, 'EAST', 2, 3),
  // Shanghai
  c('Shanghai', '上海市', '上海市', 'Shanghai', 31.22222, 121.45806, 'EAST', 6, 5),
  c('Pudong', '浦东新区', '上海市', 'Shanghai', 31.23995, 121.50094, 'EAST', 3, 2),
  c('Songjiang', '松江区', '上海市', 'Shanghai', 31.03443, 121.22326, 'EAST', 2),
  c('Jiading', '嘉定区', '上海市', 'Shanghai', 31.38575, 121.24465, 'EAST', 2),
  // Anhui
  c('Hefei', '合肥市', '安徽省', 'Anhui', 31.86389, 117.28083, 'EAST', 6),
  c('Wuhu', '芜湖市', '安徽省', 'Anhui', 31.35259, 118.42947, 'EAST', 3, 3),
  c('Ma’anshan', '马鞍山市', '安徽省', 'Anhui', 31.68579, 118.51008, 'EAST', 2, 3),
  c('Bengbu', '蚌埠市', '安徽省', 'Anhui', 32.94083, 117.36083, 'EAST', 2),
  c('Anqing', '安庆市', '安徽省', 'Anhui', 30.51365, 117.04723, 'EAST', 2, 3),
  c('Fuyang', '阜阳市', '安徽省', 'Anhui', 32.9, 115.81667, 'EAST', 2),
  c('Chuzhou', '滁州市', '安徽省', 'Anhui', 32.32194, 118.29778, 'EAST', 2),
  // Shandong
  c('Jinan', '济南市', '山东省', 'Shandong', 36.66833, 116.99722, 'EAST', 5),
  c('Qingdao', '青岛市', '山东省', 'Shandong', 36.06488, 120.38042, 'EAST', 5, 2, { lat: 36.0749, lng: 120.3804 }),
  c('Yantai', '烟台市', '山东省', 'Shandong', 37.47649, 121.44081, 'EAST', 3, 2),
  c('Weifang', '潍坊市', '山东省', 'Shandong', 36.71, 119.10194, 'EAST', 3),
  c('Linyi', '临沂市', '山东省', 'Shandong', 35.06306, 118.34278, 'EAST', 3),
  c('Zibo', '淄博市', '山东省', 'Shandong', 36.79056, 118.06333, 'EAST', 2),
  c('Jining', '济宁市', '山东省', 'Shandong', 35.405, 116.58139, 'EAST', 2),
  c('Weihai', '威海市', '山东省', 'Shandong', 37.50914, 122.11356, 'EAST', 1, 1),
  c('Rizhao', '日照市', '山东省', 'Shandong', 35.41414, 119.52908, 'EAST', 1, 1),
  // Fujian
  c('Fuzhou', '福州市', '福建省', 'Fujian', 26.06139, 119.30611, 'SOUTH', 6, 4, { lat: 26.0914, lng: 119.3261 }),
  c('Fuqing', '福清市', '福建省', 'Fujian', 25.7294, 119.37469, 'SOUTH', 2, 3),
  c('Xiamen', '厦门市', '福建省', 'Fujian', 24.47979, 118.08187, 'SOUTH', 5, 1, { lat: 24.4598, lng: 118.0819 }),
  c('Quanzhou', '泉州市', '福建省', 'Fujian', 24.91389, 118.58583, 'SOUTH', 4, 3),
  c('Jinjiang', '晋江市', '福建省', 'Fujian', 24.81978, 118.57415, 'SOUTH', 2, 2),
  c('Zhangzhou', '漳州市', '福建省', 'Fujian', 24.51333, 117.65556, 'SOUTH', 3),
  c('Putian', '莆田市', '福建省', 'Fujian', 25.43944, 119.01028, 'SOUTH', 2),
  c('Longyan', '龙岩市', '福建省', 'Fujian', 25.07485, 117.01775, 'SOUTH', 2),
  c('Sanming', '三明市', '福建省', 'Fujian', 26.24861, 117.61861, 'SOUTH', 1),
  c('Nanping', '南平市', '福建省', 'Fujian', 26.645, 118.17361, 'SOUTH', 1),
  c('Ningde', '宁德市', '福建省', 'Fujian', 26.66167, 119.52278, 'SOUTH', 1, 2, { lat: 26.6617, lng: 119.5178 }),
  // Guangdong
  c('Guangzhou', '广州市', '广东省', 'Guangdong', 23.11667, 113.25, 'SOUTH', 8),
  c('Shenzhen', '深圳市', '广东省', 'Guangdong', 22.54554, 114.0683, 'SOUTH', 6, 3, { lat: 22.5555, lng: 114.0633 }),
  c('Dongguan', '东莞市', '广东省', 'Guangdong', 23.01797, 113.74866, 'SOUTH', 5),
  c('Foshan', '佛山市', '广东省', 'Guangdong', 23.02677, 113.13148, 'SOUTH', 5),
  c('Huizhou', '惠州市', '广东省', 'Guangdong', 23.11147, 114.41523, 'SOUTH', 3),
  c('Zhongshan', '中山市', '广东省', 'Guangdong', 22.52306, 113.37912, 'SOUTH', 2),
  c('Jiangmen', '江门市', '广东省', 'Guangdong', 22.58333, 113.08333, 'SOUTH', 2),
  c('Zhuhai', '珠海市', '广东省', 'Guangdong', 22.27694, 113.56778, 'SOUTH', 2, 2, { lat: 22.2769, lng: 113.5528 }),
  c('Shantou', '汕头市', '广东省', 'Guangdong', 23.35489, 116.67876, 'SOUTH', 2, 2, { lat: 23.3799, lng: 116.6788 }),
  c('Jieyang', '揭阳市', '广东省', 'Guangdong', 23.5418, 116.36581, 'SOUTH', 1),
  c('Zhaoqing', '肇庆市', '广东省', 'Guangdong', 23.04893, 112.46091, 'SOUTH', 1),
  c('Qingyuan', '清远市', '广东省', 'Guangdong', 23.7, 113.03333, 'SOUTH', 1),
  c('Shaoguan', '韶关市', '广东省', 'Guangdong', 24.8, 113.58333, 'SOUTH', 1),
  c('Meizhou', '梅州市', '广东省', 'Guangdong', 24.28859, 116.11768, 'SOUTH', 1),
  c('Zhanjiang', '湛江市', '广东省', 'Guangdong', 21.23391, 110.38749, 'SOUTH', 2, 2, { lat: 21.2289, lng: 110.3825 }),
  // Hubei
  c('Wuhan', '武汉市', '湖北省', 'Hubei', 30.58333, 114.26667, 'CENTRAL', 9),
  c('Yichang', '宜昌市', '湖北省', 'Hubei', 30.71444, 111.28472, 'CENTRAL', 3, 3),
  c('Xiangyang', '襄阳市', '湖北省', 'Hubei', 32.0422, 112.14479, 'CENTRAL', 3),
  c('Jingzhou', '荆州市', '湖北省', 'Hubei', 30.35028, 112.19028, 'CENTRAL', 2),
  c('Huangshi', '黄石市', '湖北省', 'Hubei', 30.24706, 115.04814, 'CENTRAL', 2, 3),
  c('Shiyan', '十堰市', '湖北省', 'Hubei', 32.6475, 110.77806, 'CENTRAL', 1),
  c('Xiaogan', '孝感市', '湖北省', 'Hubei', 30.92689, 113.92221, 'CENTRAL', 2),
  c('Jingmen', '荆门市', '湖北省', 'Hubei', 31.03361, 112.20472, 'CENTRAL', 1),
  // Hunan
  c('Changsha', '长沙市', '湖南省', 'Hunan', 28.19874, 112.97087, 'CENTRAL', 7),
  c('Zhuzhou', '株洲市', '湖南省', 'Hunan', 27.83333, 113.15, 'CENTRAL', 2),
  c('Xiangtan', '湘潭市', '湖南省', 'Hunan', 27.85, 112.9, 'CENTRAL', 2),
  c('Hengyang', '衡阳市', '湖南省', 'Hunan', 26.88946, 112.61888, 'CENTRAL', 2),
  c('Yueyang', '岳阳市', '湖南省', 'Hunan', 29.37455, 113.09481, 'CENTRAL', 2, 3),
  c('Changde', '常德市', '湖南省', 'Hunan', 29.03205, 111.69844, 'CENTRAL', 2),
  c('Chenzhou', '郴州市', '湖南省', 'Hunan', 25.8, 113.03333, 'CENTRAL', 1),
  c('Shaoyang', '邵阳市', '湖南省', 'Hunan', 27.23818, 111.46214, 'CENTRAL', 1),
  c('Loudi', '娄底市', '湖南省', 'Hunan', 27.73444, 111.99444, 'CENTRAL', 1),
  // Jiangxi
  c('Nanchang', '南昌市', '江西省', 'Jiangxi', 28.68396, 115.85306, 'CENTRAL', 5),
  c('Ganzhou', '赣州市', '江西省', 'Jiangxi', 25.84664, 114.9326, 'CENTRAL', 2),
  c('Jiujiang', '九江市', '江西省', 'Jiangxi', 29.70475, 116.00206, 'CENTRAL', 2, 3),
  c('Shangrao', '上饶市', '江西省', 'Jiangxi', 28.45179, 117.94287, 'CENTRAL', 1),
  c('Yichun', '宜春市', '江西省', 'Jiangxi', 27.83333, 114.4, 'CENTRAL', 1),
  // Sichuan and Chongqing
  c('Chengdu', '成都市', '四川省', 'Sichuan', 30.66667, 104.06667, 'WEST', 9),
  c('Mianyang', '绵阳市', '四川省', 'Sichuan', 31.46784, 104.68168, 'WEST', 3),
  c('Deyang', '德阳市', '四川省', 'Sichuan', 31.13019, 104.38198, 'WEST', 2),
  c('Nanchong', '南充市', '四川省', 'Sichuan', 30.79508, 106.08473, 'WEST', 2),
  c('Yibin', '宜宾市', '四川省', 'Sichuan', 28.7593, 104.63994, 'WEST', 2),
  c('Luzhou', '泸州市', '四川省', 'Sichuan', 28.8903, 105.42575, 'WEST', 2),
  c('Leshan', '乐山市', '四川省', 'Sichuan', 29.56227, 103.76386, 'WEST', 1),
  c('Dazhou', '达州市', '四川省', 'Sichuan', 31.2106, 107.46308, 'WEST', 1),
  c('Meishan', '眉山市', '四川省', 'Sichuan', 30.04392, 103.83696, 'WEST', 1),
  c('Zigong', '自贡市', '四川省', 'Sichuan', 29.34162, 104.77689, 'WEST', 1),
  c('Suining', '遂宁市', '四川省', 'Sichuan', 30.50802, 105.57332, 'WEST', 1),
  c('Chongqing', '重庆市', '重庆市', 'Chongqing', 29.56026, 106.55771, 'WEST', 7),
];

/**
 * Warehouses placed on purpose within a few hundred metres of the sea, so that hazard matching
 * (typhoon, storm surge) has believable coastal exposure. Typhoon Lekima (2019) came ashore at
 * Chengnan, Wenling — between the Songmen and Shitang points below.
 *
 * How the points were chosen: each lies in a town that sits on the open coast (Shitang and
 * Songmen are fishing towns on Wenling's east shore; Jiaojiang harbour is the Haimen port
 * front on the Jiao River mouth in Taizhou Bay; the others are harbour districts), and each was
 * checked against the Natural Earth 1:10m land polygons (world-atlas land-10m): on land, and
 * 150–350 m from that coastline. Natural Earth is only good to about ±1 km, so treat "a few
 * hundred metres" as the intent rather than a survey.
 */
export type CoastalWarehouse = { cityZh: string; name: string; nameEn: string; address: string; lat: number; lng: number };

export const coastalWarehouses: readonly CoastalWarehouse[] = [
  { cityZh: '台州市', name: '椒江海门港仓库', nameEn: 'Jiaojiang Haimen harbour warehouse', address: '浙江省台州市椒江区海门港区沿江路', lat: 28.683, lng: 121.462 },
  { cityZh: '温岭市', name: '石塘滨海仓库', nameEn: 'Shitang seafront warehouse', address: '浙江省温岭市石塘镇滨海路', lat: 28.273, lng: 121.607 },
  { cityZh: '温岭市', name: '松门渔港仓库', nameEn: 'Songmen fishing-port warehouse', address: '浙江省温岭市松门镇渔港路', lat: 28.358, lng: 121.628 },
];
