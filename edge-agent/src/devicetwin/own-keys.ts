/**
 * Twin names are data: `__proto__`, `constructor` or `toString` must read and write like any
 * other name, never reach Object.prototype (a plain `map[key] = v` with `__proto__` would set
 * the prototype and drop the twin).
 */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function put<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
