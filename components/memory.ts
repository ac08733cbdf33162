/**
 * Kubernetes memory quantities (`512Mi`, `1.5Gi`, `1G`, `129e6`, plain bytes), as the API server
 * reads them: a non-negative decimal number, then a binary suffix (Ki ... Ei), a decimal suffix
 * (k ... E) or an exponent (`e6`). Sub-byte suffixes (`m`, `u`, `n`) are CPU-style and refused:
 * `500m` of memory is half a byte.
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// The exponent alternative comes first, so that `1E3` is 1000 and a lone `1E` is one exabyte.
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E))?$/;

/** The rule a memory setting must follow, for error messages. */
export const MEMORY_RULE =
  'must be a Kubernetes memory quantity of at least one byte, such as "512Mi", "1.5Gi", "1G" or "1073741824" ("m" is for CPU)';

/** The bytes a memory quantity stands for, or `undefined` when it is not one (or under a byte). */
export function memoryBytes(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  const scale =
    exponent !== undefined
      ? 10 ** Number(exponent)
      : suffix !== undefined
        ? (BINARY[suffix] ?? DECIMAL[suffix])
        : 1;
  const bytes = Number(number) * scale;
  // Kubernetes rounds a fractional byte count up.
  return Number.isFinite(bytes) && bytes >= 1 ? Math.ceil(bytes) : undefined;
}
