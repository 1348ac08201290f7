/**
 * The data behind `get_weather`: a small built-in table and a deterministic fallback, so the demo
 * never touches the network and every run (and every test) sees the same forecast.
 *
 * Nothing here is about authorization; it exists so that one tool has something worth
 * protecting with its own scope (`weather:read`, see scopes.ts).
 */

export interface Forecast {
  city: string;
  conditions: string;
  temperature_c: number;
  wind_kph: number;
  /** `table` for the built-in cities, `generated` for the deterministic fallback. */
  source: 'table' | 'generated';
}

type Reading = Pick<Forecast, 'conditions' | 'temperature_c' | 'wind_kph'>;

const TABLE: Record<string, Reading> = {
  amsterdam: { conditions: 'light rain', temperature_c: 12, wind_kph: 24 },
  berlin: { conditions: 'overcast', temperature_c: 9, wind_kph: 14 },
  cairo: { conditions: 'sunny', temperature_c: 31, wind_kph: 11 },
  london: { conditions: 'drizzle', temperature_c: 11, wind_kph: 18 },
  'new york': { conditions: 'partly cloudy', temperature_c: 17, wind_kph: 16 },
  oslo: { conditions: 'snow showers', temperature_c: -2, wind_kph: 20 },
  paris: { conditions: 'clear', temperature_c: 15, wind_kph: 9 },
  'san francisco': { conditions: 'fog', temperature_c: 14, wind_kph: 22 },
  sydney: { conditions: 'sunny', temperature_c: 24, wind_kph: 19 },
  tokyo: { conditions: 'humid and cloudy', temperature_c: 26, wind_kph: 8 },
};

const CONDITIONS = ['clear', 'sunny', 'partly cloudy', 'overcast', 'light rain', 'showers', 'windy', 'fog'];

/** FNV-1a (32 bit): a small, stable hash, so an unknown city always gets the same forecast. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function forecastFor(city: string): Forecast {
  const name = city.trim().replace(/\s+/g, ' ');
  const key = name.toLowerCase();
  const known = Object.hasOwn(TABLE, key) ? TABLE[key] : undefined;
  if (known) return { city: name, ...known, source: 'table' };

  const hash = fnv1a(key);
  return {
    city: name,
    conditions: CONDITIONS[hash % CONDITIONS.length] ?? 'clear',
    temperature_c: ((hash >>> 8) % 36) - 5,
    wind_kph: (hash >>> 16) % 40,
    source: 'generated',
  };
}
