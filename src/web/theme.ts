import { createTheme, defaultVariantColorsResolver, type MantineColorsTuple, parseThemeColor, type VariantColorsResolver } from '@mantine/core';

const brand: MantineColorsTuple = ['#e8f1fa', '#d2e1f1', '#a3c1e3', '#719fd6', '#4882ca', '#2f70c3', '#2267c1', '#1457aa', '#0a4d99', '#1c4e80'];

// Light badges and buttons use the darkest shade for text so that they meet WCAG AA contrast.
const variantColorResolver: VariantColorsResolver = (input) => {
  const r = defaultVariantColorsResolver(input);
  const c = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (c.isThemeColor && c.shade === undefined && input.variant === 'light') {
    return { ...r, color: `var(--mantine-color-${c.color}-9)`, background: `var(--mantine-color-${c.color}-0)`, hover: `var(--mantine-color-${c.color}-1)` };
  }
  if (c.isThemeColor && c.shade === undefined && (input.variant === 'outline' || input.variant === 'subtle' || input.variant === 'dot')) {
    return { ...r, color: `var(--mantine-color-${c.color}-9)` };
  }
  if (c.isThemeColor && c.shade === undefined && input.variant === 'filled' && ['gray', 'blue', 'teal', 'orange', 'yellow', 'grape', 'red', 'pink'].includes(c.color)) {
    return { ...r, background: `var(--mantine-color-${c.color}-8)`, hover: `var(--mantine-color-${c.color}-9)` };
  }
  return r;
};

/** Amber text (the "watch" colour) on white or a light ground: Mantine's orange is too pale to read there (WCAG AA). */
export const AMBER_TEXT = '#8a3700';

export const theme = createTheme({
  variantColorResolver,
  primaryColor: 'brand',
  primaryShade: 7,
  colors: { brand },
  fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    Paper: { defaultProps: { radius: 'md' } },
  },
});
