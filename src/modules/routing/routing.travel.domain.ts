/**
 * Travel times and distances between places. The default model needs nothing but
 * coordinates: great-circle distance × detour factor, driven at a constant speed. A
 * `TravelMatrixProvider` (for instance the OSRM client) can replace it behind one interface.
 */
import { haversineMetres, type LatLng } from '../../shared/geo.js';

export type TravelModel = {
  /** Road distance ÷ great-circle distance (default 1.3). */
  detourFactor: number;
  /** Average speed in km/h (default 40). */
  speedKmh: number;
};

export const DEFAULT_TRAVEL_MODEL: TravelModel = { detourFactor: 1.3, speedKmh: 40 };

/** Square matrices, row-major (from × size + to): minutes and metres. */
export type TravelMatrix = { size: number; minutes: Float64Array; metres: Float64Array };

/** Anything that can measure travel between points (coordinates model, OSRM, a cache…). */
export type TravelMatrixProvider = {
  readonly name: string;
  matrix(points: readonly LatLng[]): Promise<TravelMatrix>;
};

/** Travel matrix from coordinates under `model`. */
export function coordinateTravelMatrix(points: readonly LatLng[], model: Partial<TravelModel> = {}): TravelMatrix {
  const { detourFactor, speedKmh } = { ...DEFAULT_TRAVEL_MODEL, ...model };
  if (!(detourFactor > 0) || !(speedKmh > 0)) throw new Error('travel model: detourFactor and speedKmh must be positive');
  const n = points.length;
  const minutes = new Float64Array(n * n);
  const metres = new Float64Array(n * n);
  const metresPerMinute = (speedKmh * 1000) / 60;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = haversineMetres(points[i]!, points[j]!) * detourFactor;
      metres[i * n + j] = metres[j * n + i] = d;
      minutes[i * n + j] = minutes[j * n + i] = d / metresPerMinute;
    }
  }
  return { size: n, minutes, metres };
}

/** The coordinates model as a provider. */
export function createCoordinateTravelProvider(model: Partial<TravelModel> = {}): TravelMatrixProvider {
  return { name: 'coordinates', matrix: async (points) => coordinateTravelMatrix(points, model) };
}

/** Checks a matrix's shape and values; throws with the first problem found. */
export function assertTravelMatrix(m: TravelMatrix, size: number): void {
  if (m.size !== size || m.minutes.length !== size * size || m.metres.length !== size * size) {
    throw new Error(`travel matrix is ${m.size}×${m.size}, expected ${size}×${size}`);
  }
  for (let i = 0; i < m.minutes.length; i++) {
    if (!(m.minutes[i]! >= 0) || !(m.metres[i]! >= 0)) throw new Error(`travel matrix entry ${i} is not a non-negative number`);
  }
}
