import base from './zh-CN.json' with { type: 'json' };
import { withModules } from './module-strings.js';

// One chunk per language: the app loads only the strings of the language it shows.
const files = import.meta.glob<Record<string, unknown>>('../../modules/*/web/i18n.zh-CN.json', { eager: true, import: 'default' });
export default withModules(base, files);
