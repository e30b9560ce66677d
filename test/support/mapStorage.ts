/** localStorage as a map, for the web state's tests of writes kept across a reload. */
import type { WriteStorage } from "../../web/src/state/unsentWrites";

export class MapStorage implements WriteStorage {
  readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  keys(): string[] {
    return [...this.items.keys()];
  }
}
