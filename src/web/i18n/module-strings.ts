/**
 * Feature modules keep their strings beside their pages: src/modules/<feature>/web/i18n.<locale>.json,
 * each under its own top-level key (the feature's name). One language's strings: the app's, then each module's.
 */
export const withModules = (base: Record<string, unknown>, files: Record<string, Record<string, unknown>>): Record<string, unknown> =>
  Object.keys(files).sort().reduce((acc, file) => ({ ...acc, ...files[file] }), { ...base });
