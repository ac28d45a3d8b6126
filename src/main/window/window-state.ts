import Store from 'electron-store';
import { z } from 'zod';

/** Where each window was, so the layout across two monitors comes back after a restart. */
const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

const store = new Store<Record<string, unknown>>({ name: 'window-state', clearInvalidConfig: true });

export function loadWindowBounds(key: string): WindowBounds | null {
  const parsed = boundsSchema.safeParse(store.get(key));
  return parsed.success ? parsed.data : null;
}

export function saveWindowBounds(key: string, bounds: WindowBounds): void {
  store.set(key, bounds);
}
