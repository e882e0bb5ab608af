import { describe, expect, it } from 'vitest';
import { digamma, hyp2f1, lnGamma, SeriesDivergenceError, sumSeries } from './special.js';

const EULER_GAMMA = 0.5772156649015329;

describe('lnGamma', () => {
  it('gives ln of the factorials and of Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(2)).toBeCloseTo(0, 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    // ln 170! from the sum of logs.
    let s = 0;
    for (let k = 2; k < 171; k++) s += Math.log(k);
    expect(lnGamma(171) / s).toBeCloseTo(1, 14);
  });

  it('follows Γ(x+1) = xΓ(x) over small and large arguments', () => {
    for (const x of [1e-8, 0.013, 0.243, 0.793, 2.426, 7.5, 123.4, 5001.25]) {
      expect(lnGamma(x + 1) - lnGamma(x)).toBeCloseTo(Math.log(x), 9);
    }
    // ln Γ(1e7) ≈ 1.5e8: the difference of two such numbers keeps about 8 decimals.
    expect(lnGamma(1e7 + 1) - lnGamma(1e7)).toBeCloseTo(Math.log(1e7), 6);
  });
});

describe('digamma', () => {
  it('gives ψ(1) = −γ and ψ(1/2) = −γ − 2 ln 2', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.log(2), 14);
  });

  it('is the derivative of lnGamma', () => {
    for (const x of [0.05, 0.243, 1.7, 12.3, 480]) {
      const h = 1e-5 * x;
      expect(digamma(x)).toBeCloseTo((lnGamma(x + h) - lnGamma(x - h)) / (2 * h), 5);
    }
  });
});

describe('hyp2f1', () => {
  it('matches its closed forms', () => {
    for (const z of [-0.7, 0.1, 0.5, 0.9, 0.99]) {
      // 2F1(1, 1; 2; z) = −ln(1−z)/z; 2F1(a, b; b; z) = (1−z)^−a
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 12);
      expect(hyp2f1(0.37, 2.5, 2.5, z)).toBeCloseTo((1 - z) ** -0.37, 12);
    }
    // A terminating series: 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
    expect(hyp2f1(-2, 3, 4, 0.5)).toBeCloseTo(1 - 2 * 3 * 0.5 / 4 + (3 * 4 * 0.25) / (4 * 5), 14);
  });

  it('refuses |z| ≥ 1 and gives up past its term budget instead of returning a wrong sum', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 2, 0.999999, { maxTerms: 1000 })).toThrow(SeriesDivergenceError);
    expect(() => sumSeries(1, () => 2, { maxTerms: 5000 })).toThrow(SeriesDivergenceError);
  });
});
