/**
 * Fixed vocabulary of the demo world: the manufacturer's catalogue, name parts, job titles,
 * activity subjects and the Spring Festival calendar. Data only; the generator draws from it.
 */

export type ProductCategory = 'cement' | 'mortar' | 'tile_adhesive' | 'waterproofing' | 'gypsum_board' | 'admixture';

export type DemoProduct = {
  sku: string;
  nameEn: string;
  nameZh: string;
  unit: 't' | 'bag' | 'roll' | 'sheet' | 'bucket';
  /** Order multiple: bags per pallet, sheets per bundle; 1 for bulk and single items. */
  packSize: number;
  category: ProductCategory;
  /** List price to dealers, CNY fen per unit, before account discounts. */
  priceMinor: number;
  /** Standard cost as a share of list price (gross margin = 1 − costRatio). */
  costRatio: number;
};

const p = (
  sku: string, nameEn: string, nameZh: string, unit: DemoProduct['unit'], packSize: number,
  category: ProductCategory, priceYuan: number, costRatio: number,
): DemoProduct => ({ sku, nameEn, nameZh, unit, packSize, category, priceMinor: Math.round(priceYuan * 100), costRatio });

/** About 30 SKUs of a cement and building-materials maker. Prices are plausible 2020s ex-works levels. */
export const demoProducts: readonly DemoProduct[] = [
  p('CEM-PO425-BLK', 'Ordinary Portland cement P.O 42.5, bulk', '普通硅酸盐水泥 P.O 42.5（散装）', 't', 1, 'cement', 395, 0.78),
  p('CEM-PO425-B50', 'Ordinary Portland cement P.O 42.5, 50 kg bag', '普通硅酸盐水泥 P.O 42.5（袋装 50kg）', 'bag', 40, 'cement', 22, 0.76),
  p('CEM-PO425R-B50', 'Ordinary Portland cement P.O 42.5R, 50 kg bag', '普通硅酸盐水泥 P.O 42.5R（袋装 50kg）', 'bag', 40, 'cement', 23.5, 0.76),
  p('CEM-PO525-BLK', 'Ordinary Portland cement P.O 52.5, bulk', '普通硅酸盐水泥 P.O 52.5（散装）', 't', 1, 'cement', 468, 0.77),
  p('CEM-PC325R-BLK', 'Composite Portland cement P.C 32.5R, bulk', '复合硅酸盐水泥 P.C 32.5R（散装）', 't', 1, 'cement', 338, 0.8),
  p('CEM-PC325R-B50', 'Composite Portland cement P.C 32.5R, 50 kg bag', '复合硅酸盐水泥 P.C 32.5R（袋装 50kg）', 'bag', 40, 'cement', 18.5, 0.79),
  p('CEM-WHITE-B40', 'White Portland cement 42.5, 40 kg bag', '白色硅酸盐水泥 42.5（袋装 40kg）', 'bag', 25, 'cement', 62, 0.7),
  p('MOR-DM10-BLK', 'Ready-mixed masonry mortar DM M10, bulk', '预拌砌筑砂浆 DM M10（散装）', 't', 1, 'mortar', 305, 0.74),
  p('MOR-DP15-B40', 'Plastering mortar DP M15, 40 kg bag', '抹灰砂浆 DP M15（40kg）', 'bag', 50, 'mortar', 15, 0.72),
  p('MOR-DS20-B40', 'Floor screed mortar DS M20, 40 kg bag', '地面砂浆 DS M20（40kg）', 'bag', 50, 'mortar', 16, 0.72),
  p('MOR-SL-B25', 'Self-levelling underlayment, 25 kg bag', '水泥基自流平砂浆（25kg）', 'bag', 40, 'mortar', 45, 0.62),
  p('MOR-REP-B25', 'Structural repair mortar, 25 kg bag', '结构修补砂浆（25kg）', 'bag', 40, 'mortar', 58, 0.6),
  p('MOR-GRT-B25', 'Cementitious grout CGM, 25 kg bag', '水泥基灌浆料 CGM（25kg）', 'bag', 40, 'mortar', 48, 0.62),
  p('TA-C1-B20', 'Tile adhesive C1, 20 kg bag', '瓷砖胶 C1（20kg）', 'bag', 50, 'tile_adhesive', 38, 0.62),
  p('TA-C2TE-B20', 'Tile adhesive C2TE, 20 kg bag', '瓷砖胶 C2TE 加强型（20kg）', 'bag', 50, 'tile_adhesive', 58, 0.58),
  p('TA-GROUT-B5', 'Tile grout, 5 kg bag', '瓷砖填缝剂（5kg）', 'bag', 4, 'tile_adhesive', 26, 0.55),
  p('WP-JS2-S20', 'Polymer-cement waterproof coating JS type II, 20 kg set', 'JS 聚合物水泥防水涂料 II 型（20kg/组）', 'bucket', 1, 'waterproofing', 168, 0.6),
  p('WP-PU-B20', 'Polyurethane waterproof coating, 20 kg bucket', '聚氨酯防水涂料（20kg/桶）', 'bucket', 1, 'waterproofing', 320, 0.62),
  p('WP-K11-B18', 'Flexible waterproof slurry K11, 18 kg bucket', 'K11 柔韧型防水浆料（18kg/桶）', 'bucket', 1, 'waterproofing', 135, 0.58),
  p('WP-SBS3-R10', 'SBS modified bitumen membrane 3 mm, 10 m² roll', 'SBS 改性沥青防水卷材 3mm（10㎡/卷）', 'roll', 1, 'waterproofing', 95, 0.66),
  p('WP-SBS4-R10', 'SBS modified bitumen membrane 4 mm, 10 m² roll', 'SBS 改性沥青防水卷材 4mm（10㎡/卷）', 'roll', 1, 'waterproofing', 125, 0.66),
  p('WP-TPO15-R20', 'TPO roofing membrane 1.5 mm, 20 m² roll', 'TPO 防水卷材 1.5mm（20㎡/卷）', 'roll', 1, 'waterproofing', 380, 0.64),
  p('GB-STD95', 'Gypsum board 9.5 mm, 1200 × 2400', '纸面石膏板 9.5mm（1200×2400）', 'sheet', 10, 'gypsum_board', 22, 0.72),
  p('GB-STD12', 'Gypsum board 12 mm, 1200 × 2400', '纸面石膏板 12mm（1200×2400）', 'sheet', 10, 'gypsum_board', 26, 0.72),
  p('GB-MR12', 'Moisture-resistant gypsum board 12 mm', '耐水纸面石膏板 12mm', 'sheet', 10, 'gypsum_board', 34, 0.7),
  p('GB-FR15', 'Fire-resistant gypsum board 15 mm', '耐火纸面石膏板 15mm', 'sheet', 10, 'gypsum_board', 42, 0.7),
  p('GB-PLAST-B40', 'Gypsum plaster, 40 kg bag', '粉刷石膏（40kg）', 'bag', 50, 'gypsum_board', 28, 0.68),
  p('ADM-PCE40-T', 'Polycarboxylate superplasticiser, 40% solids', '聚羧酸高性能减水剂 40% 母液', 't', 1, 'admixture', 6500, 0.6),
  p('ADM-ACC-B25', 'Early-strength accelerator, 25 kg bag', '混凝土早强剂（25kg）', 'bag', 40, 'admixture', 85, 0.55),
  p('ADM-WPA-B25', 'Integral waterproofing admixture, 25 kg bag', '混凝土防水剂（25kg）', 'bag', 40, 'admixture', 110, 0.55),
  p('ADM-UEA-B25', 'Expansive agent UEA, 25 kg bag', 'UEA 膨胀剂（25kg）', 'bag', 40, 'admixture', 60, 0.58),
];

/** Category mix of revenue by account kind: dealers sell bags, distributors bulk, retail chains the finishing range. */
export const categoryMix: Record<'dealer' | 'distributor' | 'retail_chain', Record<ProductCategory, number>> = {
  dealer: { cement: 0.62, mortar: 0.12, tile_adhesive: 0.09, waterproofing: 0.08, gypsum_board: 0.05, admixture: 0.04 },
  distributor: { cement: 0.72, mortar: 0.1, tile_adhesive: 0.04, waterproofing: 0.04, gypsum_board: 0.03, admixture: 0.07 },
  retail_chain: { cement: 0.14, mortar: 0.14, tile_adhesive: 0.24, waterproofing: 0.26, gypsum_board: 0.2, admixture: 0.02 },
};

/** Trade names used in company names, with their pinyin for the English form. */
export const brandWords: ReadonlyArray<readonly [string, string]> = [
  ['宏达', 'Hongda'], ['鑫源', 'Xinyuan'], ['恒盛', 'Hengsheng'], ['永固', 'Yonggu'], ['华盛', 'Huasheng'], ['金鼎', 'Jinding'],
  ['顺发', 'Shunfa'], ['联创', 'Lianchuang'], ['东方', 'Dongfang'], ['建业', 'Jianye'], ['隆基', 'Longji'], ['天成', 'Tiancheng'],
  ['众力', 'Zhongli'], ['振华', 'Zhenhua'], ['宏远', 'Hongyuan'], ['盛达', 'Shengda'], ['利民', 'Limin'], ['长城', 'Changcheng'],
  ['富强', 'Fuqiang'], ['安居', 'Anju'], ['百川', 'Baichuan'], ['鸿运', 'Hongyun'], ['中联', 'Zhonglian'], ['瑞丰', 'Ruifeng'],
  ['汇通', 'Huitong'], ['正泰', 'Zhengtai'], ['同力', 'Tongli'], ['万家', 'Wanjia'], ['嘉禾', 'Jiahe'], ['广厦', 'Guangsha'],
  ['兴业', 'Xingye'], ['德昌', 'Dechang'], ['福源', 'Fuyuan'], ['海达', 'Haida'], ['金石', 'Jinshi'], ['立信', 'Lixin'],
  ['三峰', 'Sanfeng'], ['裕丰', 'Yufeng'], ['和兴', 'Hexing'], ['荣昌', 'Rongchang'], ['新华', 'Xinhua'], ['宝华', 'Baohua'],
  ['泰和', 'Taihe'], ['开元', 'Kaiyuan'], ['恒通', 'Hengtong'], ['佳信', 'Jiaxin'], ['中建', 'Zhongjian'], ['华夏', 'Huaxia'],
];

/** Company-name endings by kind: [Chinese, English]. */
export const companySuffixes: Record<'dealer' | 'distributor' | 'retail_chain', ReadonlyArray<readonly [string, string]>> = {
  dealer: [
    ['建材有限公司', 'Building Materials Co., Ltd.'], ['建材有限公司', 'Building Materials Co., Ltd.'],
    ['水泥经销有限公司', 'Cement Trading Co., Ltd.'], ['建材商行', 'Building Materials Store'], ['建筑材料有限公司', 'Construction Materials Co., Ltd.'],
  ],
  distributor: [
    ['建材贸易有限公司', 'Building Materials Trading Co., Ltd.'], ['物资有限公司', 'Materials Supply Co., Ltd.'],
    ['供应链管理有限公司', 'Supply Chain Management Co., Ltd.'], ['建材集团有限公司', 'Building Materials Group Co., Ltd.'],
  ],
  retail_chain: [
    ['家居建材连锁有限公司', 'Home & Building Materials Chain Co., Ltd.'], ['建材超市有限公司', 'Building Materials Supermarket Co., Ltd.'],
    ['装饰材料连锁有限公司', 'Decoration Materials Chain Co., Ltd.'],
  ],
};

export const surnames: ReadonlyArray<readonly [string, string]> = [
  ['王', 'Wang'], ['李', 'Li'], ['张', 'Zhang'], ['刘', 'Liu'], ['陈', 'Chen'], ['杨', 'Yang'], ['黄', 'Huang'], ['赵', 'Zhao'],
  ['吴', 'Wu'], ['周', 'Zhou'], ['徐', 'Xu'], ['孙', 'Sun'], ['马', 'Ma'], ['朱', 'Zhu'], ['胡', 'Hu'], ['郭', 'Guo'],
  ['何', 'He'], ['林', 'Lin'], ['罗', 'Luo'], ['郑', 'Zheng'], ['梁', 'Liang'], ['谢', 'Xie'], ['宋', 'Song'], ['唐', 'Tang'],
  ['邓', 'Deng'], ['冯', 'Feng'], ['韩', 'Han'], ['曹', 'Cao'], ['彭', 'Peng'], ['曾', 'Zeng'], ['叶', 'Ye'], ['蒋', 'Jiang'],
  ['潘', 'Pan'], ['蔡', 'Cai'], ['余', 'Yu'], ['杜', 'Du'], ['金', 'Jin'], ['钟', 'Zhong'], ['汪', 'Wang'], ['应', 'Ying'],
];

export const givenNames: ReadonlyArray<readonly [string, string]> = [
  ['建国', 'Jianguo'], ['伟', 'Wei'], ['芳', 'Fang'], ['秀英', 'Xiuying'], ['敏', 'Min'], ['静', 'Jing'], ['丽', 'Li'], ['强', 'Qiang'],
  ['磊', 'Lei'], ['军', 'Jun'], ['洋', 'Yang'], ['勇', 'Yong'], ['艳', 'Yan'], ['杰', 'Jie'], ['娟', 'Juan'], ['涛', 'Tao'],
  ['明', 'Ming'], ['超', 'Chao'], ['秀兰', 'Xiulan'], ['霞', 'Xia'], ['平', 'Ping'], ['刚', 'Gang'], ['志强', 'Zhiqiang'], ['海燕', 'Haiyan'],
  ['建华', 'Jianhua'], ['晓东', 'Xiaodong'], ['文斌', 'Wenbin'], ['国平', 'Guoping'], ['丽华', 'Lihua'], ['春梅', 'Chunmei'], ['宏伟', 'Hongwei'],
  ['永红', 'Yonghong'], ['俊杰', 'Junjie'], ['雪梅', 'Xuemei'], ['建军', 'Jianjun'], ['志明', 'Zhiming'], ['玉兰', 'Yulan'], ['德明', 'Deming'],
  ['晓燕', 'Xiaoyan'], ['海波', 'Haibo'], ['立新', 'Lixin'], ['国庆', 'Guoqing'], ['红梅', 'Hongmei'], ['小龙', 'Xiaolong'], ['佳怡', 'Jiayi'],
];

/** Contact roles in a dealer: [title, English title, decision role, influence range]. */
export const contactRoles: ReadonlyArray<{ title: string; titleEn: string; decisionRole: string; influence: readonly [number, number] }> = [
  { title: '老板', titleEn: 'Owner', decisionRole: 'decision_maker', influence: [5, 5] },
  { title: '总经理', titleEn: 'General manager', decisionRole: 'decision_maker', influence: [4, 5] },
  { title: '采购经理', titleEn: 'Purchasing manager', decisionRole: 'buyer', influence: [3, 4] },
  { title: '仓库主管', titleEn: 'Warehouse supervisor', decisionRole: 'user', influence: [1, 3] },
  { title: '财务经理', titleEn: 'Finance manager', decisionRole: 'gatekeeper', influence: [2, 4] },
  { title: '销售经理', titleEn: 'Sales manager', decisionRole: 'influencer', influence: [2, 4] },
  { title: '技术负责人', titleEn: 'Technical lead', decisionRole: 'champion', influence: [2, 4] },
];

export const roadNames: readonly string[] = [
  '建设路', '人民路', '解放路', '中山路', '工业大道', '物流园路', '环城东路', '环城西路', '开发大道', '建材市场路', '长江路', '新华路', '创业路', '江滨路',
];

export const activitySubjects: Record<'call' | 'meeting' | 'visit' | 'event', readonly string[]> = {
  call: ['回款跟进', '订单确认', '价格调整沟通', '发货时间确认', '旺季备货沟通', '投诉回访', '新品询价答复', '对账沟通'],
  meeting: ['季度业务回顾', '年度返利政策沟通', '年度合同续签', '区域市场规划', '信用额度评审', '新品推广方案讨论'],
  visit: ['门店拜访', '仓库库存检查', '客户拜访', '工地技术服务', '陈列检查', '新品瓷砖胶推广', '防水施工技术指导', '质量问题现场处理'],
  event: ['经销商大会', '防水施工技术培训', '工厂参观', '新品发布会', '瓦工技能大赛', '年终答谢会'],
};

/**
 * Spring Festival (春节, first day of the lunar year) by Gregorian year: construction stops for
 * about three weeks around it, so sales drop sharply.
 */
export const springFestival: Readonly<Record<number, string>> = {
  2018: '2018-02-16', 2019: '2019-02-05', 2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22',
  2024: '2024-02-10', 2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-03', 2031: '2031-01-23', 2032: '2032-02-11', 2033: '2033-01-31', 2034: '2034-02-19', 2035: '2035-02-08',
  2036: '2036-01-28', 2037: '2037-02-15', 2038: '2038-02-04', 2039: '2039-01-24', 2040: '2040-02-12',
};

/**
 * Building-season shape by calendar month (Jan … Dec): peaks March–June and September–November;
 * the July–August heat and rains dip. January–February are further cut around the Spring Festival.
 */
export const monthSeason: readonly number[] = [0.9, 0.85, 1.1, 1.22, 1.25, 1.12, 0.86, 0.84, 1.1, 1.18, 1.22, 1.02];
